"""Which of the paragraphs the extractor took from a saved page are the article's body.

clean_html_page (html.py) hands the extractor's paragraphs here: the headline, bylines,
captions, labels above the headline and boilerplate go (``sift``); subheadings and the
article's own closing lines the extractor left out come back (``with_subheadings``,
``with_own_lines``); pull quotes repeating the body go (``without_pull_quotes``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from ..taxonomy import word_key
from .classify import BOILERPLATE
from .dates import dateline_date
from .extract import PageBlocks
from .features import is_appeal, said_outside_quotes, words_of
from .html_headings import reads_as_subheading
from .metadata import byline_author, is_credit_line
from .pull_quotes import PULL_QUOTE, pull_quotes
from .rules import Rules

_OPENING = 3  # body paragraphs at the top that may be a byline or dateline
_SET_APART_CLASS = re.compile(r"(?i)pull|quote|highlight|callout")
_SET_APART_LEVELS = 3  # ancestors of a block looked at for a pull quote's markup
_LEAD_IN_WORDS = 15  # a line ending in ":" this short introduces a list or quote, never ends a story
_LABEL_WORDS = 4  # a section label shown above the headline ("Guest Column", "Public Safety")
# Boilerplate kinds of rules.yaml that can be article text in an extracted body (a
# bracketed editor's note), or are told apart below (a separator): the extractor has already judged those.
_KINDS_KEPT = frozenset({"media", "separator"})
_MAX_BOILERPLATE_WORDS = 40  # a paragraph this long that mentions a "cookie policy" is prose
_NO_WORDS = re.compile(r"^[\W_]*$")
_CONTACT_LINE = re.compile(r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{2,30}|(?:https?://)?(?:www\.)?"
                           r"[\w-]+(?:\.[\w-]+)+/\S*)$")
_TEASER_HEADING = BOILERPLATE.format("teaser_heading")


@dataclass(frozen=True)
class SiftedBody:
    paragraphs: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]  # (paragraph, reason)


def labels_above(blocks: PageBlocks, top: int) -> frozenset[str]:
    """The short lines only above the headline that are no sentence: a section label or kicker
    ("Opinion", "Guest Column"), never the body, which starts below the headline. (A line shown
    below it too, a score or a short first line repeated in a box above, may be the body's.)"""
    below = {text for text, _ in blocks[top:]}
    return frozenset(text for text, _ in blocks[:top] if text not in below
                     and len(text.split()) <= _LABEL_WORDS and not text.endswith((".", "!", "?", ":")))


def list_lead_ins(blocks: PageBlocks) -> frozenset[str]:
    """Short lines ending in a colon with a list item right below them on the page."""
    return frozenset(text for (text, _), (_, below) in zip(blocks, blocks[1:])
                     if _leads_in(text) and any(el.tag == "li" for el in (below, *below.iterancestors())))


def sift(extracted: list[tuple[str, str]], title: str, captions: set[str], rules: Rules,
          boilerplate: Callable[[str], str | None] | None, labels_above: frozenset[str] = frozenset(),
          list_lead_ins: frozenset[str] = frozenset()) -> SiftedBody:
    """The extracted paragraphs minus headline, byline, captions, the section label above the
    headline, boilerplate, and at the end a lead-in to a list the extractor left out."""
    kept: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    teasers = False  # in the list under a "Read more:" heading
    for i, (text, tag) in enumerate(extracted):
        teasers = teasers and tag == "item"
        opening = i < _OPENING and not kept
        # A run of labels may lead the body: a menu above the headline whose links are split by <br>
        reason = ("teaser list" if teasers else "section label above the headline" if not kept and text in labels_above
                  else _drop_reason(text, opening, title, captions, rules))
        if reason is None and boilerplate is not None:
            reason = boilerplate(text)
        teasers = teasers or reason == _TEASER_HEADING
        if reason is None:
            kept.append((text, tag))
        else:
            dropped.append((text, reason))
    while kept and (kept[-1][1] == "head" or kept[-1][0] in list_lead_ins):  # nothing under it: it heads no text
        text, tag = kept.pop()
        dropped.append((text, "heading after the article text" if tag == "head" else "lead-in to nothing below it"))
    return SiftedBody(tuple(t for t, _ in kept), tuple(dropped))


def _leads_in(text: str) -> bool:
    """A short line ending in a colon: it introduces what follows ("More stories from the
    Gazette:"); last in the body, above a list on the page, it introduced a list the extractor
    left out (a serial's last line may end "... were these:", above no list)."""
    return text.endswith(":") and len(text.split()) <= _LEAD_IN_WORDS


def rejection(title: str, captions: set[str], rules: Rules,
               boilerplate: Callable[[str], str | None] | None) -> Callable[[str], str | None]:
    """Why a line the extractor left out would be dropped from the body anyway (None: it would
    not): digest's paragraph rules, any kind of boilerplate rule, the caller's hook."""
    def reason(text: str) -> str | None:
        kind = rules.boilerplate_kind(text)
        return (_drop_reason(text, False, title, captions, rules) or (kind and BOILERPLATE.format(kind))
                or (boilerplate(text) if boilerplate is not None else None))
    return reason


def with_subheadings(body: SiftedBody, blocks: PageBlocks,
                      rejected: Callable[[str], str | None]) -> SiftedBody:
    """The body with the subheadings the extractor left out, each between the two paragraphs
    it stands between on the page.

    A page may mark a subheading up as a styled <div> or <span> rather than <h2>, and the
    extractor can skip it ("Our ruling" above a fact-check's verdict). A short heading-like
    block standing alone between two consecutive body paragraphs is the article's own.
    """
    keys = [word_key(text) for text, _ in blocks]
    held = {word_key(p) for p in body.paragraphs}
    judged = {word_key(t) for t, _ in body.dropped}  # digest dropped these itself: not missed
    between: dict[tuple[str, str], str] = {}  # (paragraph above, paragraph below) -> subheading
    for i in range(1, len(blocks) - 1):
        text, el = blocks[i]
        if (keys[i - 1] in held and keys[i + 1] in held and keys[i] not in held | judged
                and reads_as_subheading(text, el) and rejected(text) is None):
            between.setdefault((keys[i - 1], keys[i + 1]), text)
    if not between:
        return body
    paragraphs = list(body.paragraphs[:1])
    for above, below in zip(body.paragraphs, body.paragraphs[1:]):
        if (subheading := between.pop((word_key(above), word_key(below)), None)) is not None:
            paragraphs.append(subheading)
        paragraphs.append(below)
    return SiftedBody(tuple(paragraphs), body.dropped)


def with_own_lines(body: SiftedBody, blocks: PageBlocks, rules: Rules,
                    boilerplate: Callable[[str], str | None] | None) -> SiftedBody:
    """The body with the article's own lines below its last paragraph, which the extractor may
    leave out or the boilerplate rules drop: its copyright line right below it on the page (not
    below a share bar or tag list the extractor skipped), and the paper a science story reports
    on, a few page blocks down ("More information: ... DOI ...", "Provided by ...")."""
    if not body.paragraphs:
        return body
    texts = [text for text, _ in blocks]
    last_key = word_key(body.paragraphs[-1])
    last = next((i for i in range(len(texts) - 1, -1, -1) if word_key(texts[i]) == last_key), None)
    if last is None:
        return body
    below = last + 1
    rights = (below,) if below < len(texts) and rules.is_rights_notice(texts[below]) else ()
    held = set(body.paragraphs)
    own = tuple(texts[i] for i in (*rights, *rules.reference_below(texts, last, "\n".join(body.paragraphs)))
                if texts[i] not in held and not (boilerplate and boilerplate(texts[i])))
    if not own:
        return body
    return SiftedBody((*body.paragraphs, *own), tuple((t, r) for t, r in body.dropped if t not in own))


def without_pull_quotes(body: SiftedBody, blocks: PageBlocks) -> SiftedBody:
    """The body without its pull quotes: a paragraph the page sets apart as a quote or box
    (``_set_apart``: a <blockquote>, or a <div> or <p> classed so), repeating word for word
    part of a longer one. A refrain, a witness's repeated answer or a quote said twice, in
    plain paragraphs, stays. The first paragraph is the lede, never a pull quote."""
    repeats = pull_quotes(frozenset(range(len(body.paragraphs))), body.paragraphs) - {0}
    if not repeats:  # most pages: their markup is not looked at
        return body
    set_apart = _set_apart(blocks)
    quotes = {i for i in repeats if body.paragraphs[i] in set_apart}
    if not quotes:
        return body
    return SiftedBody(tuple(p for i, p in enumerate(body.paragraphs) if i not in quotes),
                      (*body.dropped, *((body.paragraphs[i], PULL_QUOTE) for i in sorted(quotes))))


def _set_apart(blocks: PageBlocks) -> frozenset[str]:
    """Texts the page sets apart from its paragraphs: in a <blockquote> or <aside>, or in an
    element classed as a pull quote, quote, highlight or callout (a few levels up)."""
    def apart(el: etree._Element) -> bool:
        for level, node in enumerate((el, *el.iterancestors())):
            if level > _SET_APART_LEVELS or node.tag in ("article", "main", "body"):
                return False
            if node.tag in ("blockquote", "aside") or _SET_APART_CLASS.search(node.get("class") or ""):
                return True
        return False
    return frozenset(text for text, el in blocks if apart(el))


def _drop_reason(text: str, opening: bool, title: str, captions: set[str], rules: Rules) -> str | None:
    if word_key(text) == word_key(title):
        return "title"
    if opening and byline_author(text, rules):
        return "byline"
    if opening and dateline_date(text, rules):
        return "dateline"
    if word_key(text) in captions:
        return "image caption and credit"
    kind = rules.boilerplate_kind(text) if len(text.split()) <= _MAX_BOILERPLATE_WORDS else None
    if kind is not None and kind not in _KINDS_KEPT:
        return BOILERPLATE.format(kind)
    if len(_appeal_words(text, rules)) >= 2:  # one alone mid-story may be an advice column's "help"
        return "addresses the reader (appeal)"
    if _CONTACT_LINE.match(text):
        return "contact address or link"
    if _NO_WORDS.match(text):
        return "no words (separator)"
    if is_credit_line(text, rules):
        return "credit line"
    return None


def _appeal_words(text: str, rules: Rules) -> set[str]:
    """The appeal words (support, subscribe, newsletter ...) of a text that addresses its
    reader as the text cleaner measures it; empty when it does not."""
    if rules.is_article_voice(text):
        return set()
    words = len(words_of(text))
    outside = [w.casefold().replace("’", "'") for w in words_of(said_outside_quotes(text))]
    density = sum(w in rules.reader_words for w in outside) / words if words else 0.0
    if density < rules.thresholds.reader_density_bad or not is_appeal(outside, rules):
        return set()
    return {w for w in outside if w in rules.appeal_words or w in rules.publication_appeal_words}
