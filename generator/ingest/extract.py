"""The article body trafilatura finds in a parsed page, as (paragraph text, element tag) pairs.

digest prepares the tree first (word breaks and paragraph breaks the extractor would lose) and
reads its output after (a lone line break joins a paragraph, a table row is one paragraph, a space
the extractor lost between two text nodes is put back). html.py does everything else.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from lxml import etree

from .html_decode import page_error
from .html_meta import BLOCK_TAGS, is_invisible, text_blocks

PageBlocks = list[tuple[str, etree._Element]]  # (visible text, the block element holding it)
_WORD = re.compile(r"\w+")
# trafilatura's inline tags, and table cells (a row is one paragraph); the others break lines.
_INLINE_EXTRACTED = frozenset({"hi", "ref", "del", "cell"})
_CELL_SEPARATOR = " | "


@functools.lru_cache(maxsize=1)
def _trafilatura() -> tuple[Any, Any]:
    """trafilatura and its configuration, imported when a saved HTML page is first cleaned: the
    import takes a fifth of a second that builds and text dumps do not need."""
    import trafilatura
    from trafilatura.settings import use_config

    # trafilatura logs pages it gives up on; digest reports them itself, without a second message.
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    settings = use_config()
    settings.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its timeout uses signals; we need none
    return trafilatura, settings


def _keep_word_breaks(root: etree._Element) -> None:
    """Give each run of shown text a space at either end where the page shows it apart from
    the run before (white space or a block element between them).

    The extractor loses those breaks: its fallback (jusText) skips text nodes that are only
    white space, and its cleaning deletes blocks such as <figure>, so
    "repairs.</span>\n<span>0" came out "repairs.0". A space the runs carry themselves stays.
    """
    before: tuple[etree._Element, str] | None = None  # where the last run of text is
    apart = False  # a break since that run
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "start" and is_invisible(el):
            walker.skip_subtree()  # its end event still comes, for the tail
            continue
        apart = apart or el.tag in BLOCK_TAGS
        where = (el, "text" if event == "start" else "tail")
        text = getattr(*where)
        if not text or text.isspace():
            apart = apart or bool(text)
            continue
        if apart and before is not None:
            _pad(*before, end=True)
            _pad(*where, end=False)
        before, apart = where, False


def _keep_double_breaks(root: etree._Element) -> None:
    """Put white space between two <br> in a row: inside a <p> the extractor keeps such a pair
    as one <lb/>, and a pair (a paragraph break) could not be told from a line break."""
    for br in root.iter("br"):
        following = br.getnext()
        if not br.tail and following is not None and following.tag == "br":
            br.tail = "\n"


def _keep_quote_attributions(root: etree._Element) -> None:
    """Make a quotation's <footer> ("— Jane Doe, in a 2019 letter") a paragraph: the extractor
    deletes every <footer> as the page's, and kept the quote without who said it."""
    for footer in root.xpath("//blockquote//footer"):
        footer.tag = "p"


def _keep_metered_openings(root: etree._Element) -> None:
    """Rename the "teaser" in the class or id of a box of the story's own paragraphs: a metered
    site shows its first paragraphs as a "teaser-content" box, which the extractor deletes
    with every teaser. A teaser card (a headline, a link, a line of summary) keeps its name."""
    for el in root.xpath(_NAMED_TEASER):
        text = " ".join(el.itertext())
        linked = sum(len(" ".join(a.itertext())) for a in el.iter("a"))
        paragraphs = [p for p in el.iter("p") if len(" ".join(p.itertext())) >= _MIN_OPENING_CHARS]
        if (len(paragraphs) >= 2 and linked <= _MAX_LINKED_SHARE * len(text)
                and not any(True for _ in el.iter("h1", "h2", "h3", "h4", "h5", "h6"))):
            for name in ("class", "id"):
                if el.get(name):
                    el.set(name, re.sub("(?i)teaser", "opening", el.get(name)))


_NAMED_TEASER = ("//*[contains(translate(@class, 'TEASR', 'teasr'), 'teaser')"
                 " or contains(translate(@id, 'TEASR', 'teasr'), 'teaser')]")
_MIN_OPENING_CHARS = 80  # a paragraph of prose, not a card's line
_MAX_LINKED_SHARE = 0.1


def _pad(el: etree._Element, attr: str, *, end: bool) -> None:
    text = getattr(el, attr)
    if not (text[-1] if end else text[0]).isspace():
        setattr(el, attr, f"{text} " if end else f" {text}")


def extract_body(root: etree._Element, blocks: PageBlocks, fast: bool) -> list[tuple[str, str]]:
    """The body trafilatura finds, as (paragraph text, its element's tag) pairs."""
    page_words = {w for text, _ in blocks for w in _WORD.findall(text)}
    # Read before extraction: trafilatura may prune the tree it is given.
    node_words = {w for text in root.itertext() for w in _WORD.findall(text)}
    _keep_word_breaks(root)
    _keep_double_breaks(root)
    _keep_quote_attributions(root)
    _keep_metered_openings(root)
    trafilatura, settings = _trafilatura()
    try:
        doc = trafilatura.bare_extraction(
            root, fast=fast, include_comments=False, include_tables=True, include_images=False,
            include_formatting=False, include_links=False, with_metadata=False, config=settings)
    except Exception as exc:  # noqa: BLE001 - any failure of the third-party extractor is a bad page
        raise page_error("could not parse the HTML", f"the extractor failed: {type(exc).__name__}") from None
    if doc is None or doc.body is None:
        return []
    _join_lone_line_breaks(doc.body)
    _separate_cells(doc.body)
    return [(_unglue(text, page_words, node_words), el.tag)
            for text, el in text_blocks(doc.body, lambda tag: tag not in _INLINE_EXTRACTED,
                                        lambda el: not isinstance(el.tag, str))]


def _join_lone_line_breaks(body: etree._Element) -> None:
    """A lone <br> breaks a line inside a paragraph (an address, a verse), so the paragraph runs
    on past it, with a space; two or more in a row (kept as <lb/>) end a paragraph, as pages that
    set paragraphs apart with <br><br> mean them to."""
    def paired(a: etree._Element | None, b: etree._Element | None) -> bool:
        return a is not None and b is not None and a.tag == b.tag == "lb" and not (a.tail or "").strip()

    lone = [lb for lb in body.iter("lb") if not paired(lb.getprevious(), lb) and not paired(lb, lb.getnext())]
    for lb in lone:
        _drop_for_space(lb)


def _drop_for_space(el: etree._Element) -> None:
    """Remove an empty element, its place taken by a space before its tail."""
    parent, before = el.getparent(), el.getprevious()
    rest = f" {el.tail or ''}"
    if before is not None:
        before.tail = (before.tail or "") + rest
    else:
        parent.text = (parent.text or "") + rest
    parent.remove(el)


def _separate_cells(body: etree._Element) -> None:
    """A table row is one paragraph, its cells set apart as a plain-text table shows them (the
    extractor pads short rows with empty cells: those are not shown)."""
    for row in body.iter("row"):
        for cell in row.findall("cell"):
            # A cell's one paragraph (a CMS writes "<td><p>$1,080</p></td>") is its text, not the
            # body's; a layout table's cells hold whole stories, paragraph after paragraph.
            if len(cell) == 1 and cell[0].tag == "p" and not (cell.text or "").strip():
                etree.strip_tags(cell, "p")
        shown = [cell for cell in row.findall("cell") if "".join(cell.itertext()).strip()]
        for cell in shown[1:]:
            cell.text = _CELL_SEPARATOR + (cell.text or "")


def _unglue(text: str, page_words: set[str], node_words: set[str]) -> str:
    """Put back the space trafilatura sometimes loses between two pieces of text.

    It can join the last word of one text node to the first of the next ("pier.0The").
    A word the page never shows, made of two words its text nodes do hold, is split.
    """
    def split(match: re.Match[str]) -> str:
        word = match.group()
        if word in page_words or word in node_words:  # shown, or whole in a text node (JSON-LD's articleBody)
            return word
        for cut in range(1, len(word)):
            if word[:cut] in node_words and word[cut:] in node_words:
                return f"{word[:cut]} {word[cut:]}"
        return word
    return _WORD.sub(split, text)
