"""The result of cleaning one text dump."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CleanedArticle:
    title: str
    date: datetime.date | datetime.datetime | None  # only when the page states it
    author: str | None
    source: str | None  # publisher
    source_url: str | None  # when the dump names its URL
    image_caption: str | None
    image_credit: str | None
    tags: tuple[str, ...]  # canonical names
    summary: str | None  # the lede, whole or cut at a sentence end
    paragraphs: tuple[str, ...]  # the body, text as in the input (whitespace tidied)
    dropped: tuple[tuple[str, str], ...]  # (block text, reason) for every block not kept
    warnings: tuple[str, ...]
