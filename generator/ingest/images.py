"""The lead image's caption and credit, and image captions inside the body.

Between headline and body a page shows its lead image as text: a short credit line
("Kremlin.ru", "Photo: X", "X / Agency"), a "<caption>. <credit>" line, or a wire-style
caption ("FILE - ...") above a credit. Inside the body, "<caption>. <credit>" lines are
photo captions, not paragraphs (however long, when the credit is labelled "Credit: ..."), and
a first block that the next one restates nearly word for word is a video caption or
standfirst, not the lede.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Block
from .features import SENTENCE_BREAK, Features, words_of
from .metadata import has_labelled_credit, is_caption_start, is_credit_line, split_caption_credit
from .rules import Rules

LOOK_ABOVE = 5  # blocks above the body that may hold the lead image's text
MAX_CAPTION_CHARS = 400  # a longer body block is a paragraph even if it ends like a caption
RESTATE_MIN_WORDS = 8  # shorter lines share words by chance
RESTATE_SHARE = 0.85  # of the shorter block's distinct words found in the other


@dataclass(frozen=True)
class ImageText:
    caption: str | None
    credit: str | None
    body: tuple[int, ...]  # the body blocks left once captions are taken out
    taken: tuple[tuple[int, str], ...]  # (block index, reason) of caption and credit lines


def image_text(blocks: tuple[Block, ...], features: tuple[Features, ...],
               roles: tuple[str | None, ...], start: int, body: tuple[int, ...],
               rules: Rules, skip: frozenset[int] = frozenset()) -> ImageText:
    """Caption and credit of the lead image; ``start`` is the first block of the body region.

    ``skip`` blocks (boilerplate the caller named) are never a caption or credit.
    """
    caption = credit = None
    taken: list[tuple[int, str]] = []
    for i in range(start - 1, max(-1, start - 1 - LOOK_ABOVE), -1):
        if roles[i] in ("byline", "dateline"):
            break  # above the byline is the headline area, not the lead image
        if i in skip or rules.fact_line.match(blocks[i].text):
            continue  # "When: 10 a.m. to 4 p.m. Saturday and Sunday" ends like a caption and credit
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
    if caption is None and credit is not None and rules.credit_needs_caption.match(credit):
        credit = None  # no image: the story's source
        taken = [(i, reason) for i, reason in taken if reason != "image credit"]

    kept: list[int] = []
    for n, i in enumerate(body):
        lead = not kept  # no paragraph kept yet: this block opens the body
        if lead and n + 1 < len(body) and restates(blocks[i].text, blocks[body[n + 1]].text):
            taken.append((i, "restates the lede (caption or standfirst)"))
            continue
        if rules.fact_line.match(blocks[i].text):
            kept.append(i)  # an event's facts box is no caption
            continue
        split = split_caption_credit(blocks[i].text, rules)
        if split and (lead or features[i].chars <= MAX_CAPTION_CHARS
                      or has_labelled_credit(blocks[i].text, rules)):
            taken.append((i, "image caption and credit"))
            if lead and caption is None:
                caption, credit = split
            continue
        credit_below = (i + 1 < len(blocks) and i + 1 not in skip
                        and is_credit_line(blocks[i + 1].text, rules))
        if lead and caption is None and i != body[-1] and (
                is_caption_start(blocks[i].text, rules) or credit_below):
            caption = blocks[i].text
            taken.append((i, "image caption"))
            if credit_below and credit is None:
                credit = blocks[i + 1].text
                taken.append((i + 1, "image credit"))
            continue
        if credit_below and _one_sentence(blocks[i].text) and rules.credit_labelled_tail.search(blocks[i + 1].text):
            taken.append((i, "image caption"))  # a picture inside the body: "Photo: X" below its caption
            continue
        kept.append(i)
    return ImageText(caption, credit, tuple(kept), tuple(taken))


MAX_INNER_CAPTION_CHARS = 200  # a caption above a labelled credit inside the body: one sentence


def _one_sentence(text: str) -> bool:
    return len(text) <= MAX_INNER_CAPTION_CHARS and SENTENCE_BREAK.search(text) is None


def restates(text: str, other: str) -> bool:
    """Does ``text`` say what ``other`` says, nearly word for word?

    A video caption or standfirst above the lede often repeats it with a word changed
    or a time stamp added; the lede below is the article's own.
    """
    mine, theirs = ({w.casefold() for w in words_of(t)} for t in (text, other))
    shorter = min(len(mine), len(theirs))
    return shorter >= RESTATE_MIN_WORDS and len(mine & theirs) >= RESTATE_SHARE * shorter
