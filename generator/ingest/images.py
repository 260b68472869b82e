"""The lead image's caption and credit, and image captions inside the body.

Between headline and body a page shows its lead image as text: a short credit line
("Kremlin.ru", "Photo: X", "X / Agency"), a "<caption>. <credit>" line, or a wire-style
caption ("FILE - ...") above a credit. Inside the body, "<caption>. <credit>" lines are
photo captions, not paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Block
from .features import Features
from .metadata import is_caption_start, is_credit_line, split_caption_credit
from .rules import Rules

LOOK_ABOVE = 5  # blocks above the body that may hold the lead image's text
MAX_CAPTION_CHARS = 400  # a longer body block is a paragraph even if it ends like a caption


@dataclass(frozen=True)
class ImageText:
    caption: str | None
    credit: str | None
    body: tuple[int, ...]  # the body blocks left once captions are taken out
    taken: tuple[tuple[int, str], ...]  # (block index, reason) of caption and credit lines


def image_text(blocks: tuple[Block, ...], features: tuple[Features, ...],
               roles: tuple[str | None, ...], start: int, body: tuple[int, ...],
               rules: Rules) -> ImageText:
    """Caption and credit of the lead image; ``start`` is the first block of the body region."""
    caption = credit = None
    taken: list[tuple[int, str]] = []
    for i in range(start - 1, max(-1, start - 1 - LOOK_ABOVE), -1):
        if roles[i] in ("byline", "dateline"):
            break  # above the byline is the headline area, not the lead image
        split = split_caption_credit(blocks[i].text, rules)
        if split and caption is None:
            caption, credit = split[0], credit or split[1]
            taken.append((i, "image caption and credit"))
        elif roles[i] == "image credit" and credit is None:
            credit = blocks[i].text
            taken.append((i, "image credit"))
        elif caption is None and is_caption_start(blocks[i].text, rules):
            caption = blocks[i].text
            taken.append((i, "image caption"))

    kept: list[int] = []
    for i in body:
        lead = not kept  # no paragraph kept yet: this block opens the body
        split = split_caption_credit(blocks[i].text, rules)
        if split and (lead or features[i].chars <= MAX_CAPTION_CHARS):
            taken.append((i, "image caption and credit"))
            if lead and caption is None:
                caption, credit = split
            continue
        credit_below = i + 1 < len(blocks) and is_credit_line(blocks[i + 1].text, rules)
        if lead and caption is None and i != body[-1] and (
                is_caption_start(blocks[i].text, rules) or credit_below):
            caption = blocks[i].text
            taken.append((i, "image caption"))
            if credit_below and credit is None:
                credit = blocks[i + 1].text
                taken.append((i + 1, "image credit"))
            continue
        kept.append(i)
    return ImageText(caption, credit, tuple(kept), tuple(taken))
