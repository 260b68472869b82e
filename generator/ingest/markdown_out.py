"""CleanedArticle -> Markdown file: front matter plus the body as literal text.

Scraped text is data, not markup: every paragraph is escaped so a CommonMark renderer
shows exactly its characters (no emphasis, links, HTML, entities, headings or lists).
"""

from __future__ import annotations

import re

from ..frontmatter import dump_front_matter
from .article import CleanedArticle

FRONT_MATTER_KEYS = ("id", "title", "date", "author", "source", "source_url", "image_caption",
                     "image_credit", "tags", "summary")
# Characters that start inline constructs anywhere in a line (& starts an entity).
_INLINE = re.compile(r"([\\`*_\[\]<&])")
# Line starts that open a block: heading, quote, list item, setext line, fence.
_BLOCK_START = re.compile(r"^([#>+=~-])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")


def escape_paragraph(text: str) -> str:
    """One paragraph as a single Markdown line that renders as exactly this text."""
    line = _LINE_BREAKS.sub(" ", text).strip()  # leading spaces would make a code block
    line = _INLINE.sub(r"\\\1", line)
    line = _ORDERED.sub(r"\1\\\2", line)
    return _BLOCK_START.sub(r"\\\1", line)


def to_markdown(article: CleanedArticle, *, article_id: str) -> str:
    meta = {
        "id": article_id,
        "title": article.title,
        "date": article.date,
        "author": article.author,
        "source": article.source,
        "source_url": article.source_url,
        "image_caption": article.image_caption,
        "image_credit": article.image_credit,
        "tags": list(article.tags),
        "summary": article.summary,
    }
    paragraphs = (escape_paragraph(p) for p in article.paragraphs)
    body = "\n\n".join(p for p in paragraphs if p)
    return dump_front_matter({k: meta[k] for k in FRONT_MATTER_KEYS}, body)
