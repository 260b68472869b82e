"""Saved HTML page -> CleanedArticle: trafilatura finds the body, digest does the rest.

html_decode.py turns a file's bytes into text (gzip, charset). clean_html_page parses the page
once with lxml and hands the tree to trafilatura (extract.py) for the article's paragraphs; around that
it applies digest's own passes: the headline and what the page states about itself
(html_meta.py), the lead image's caption and credit, bylines, datelines and boilerplate
among the paragraphs, tags and summary as clean_text_dump does. page_blocks gives the
page's visible text blocks, the unit the ingest pipeline counts across one site's pages.
Nothing of the page's markup reaches the output: paragraphs are plain text.

Failure policy as in clean.py: DigestError(Problem(...)) without a path.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
from lxml import etree

from ..taxonomy import Vocabulary, word_key
from ..text import clean_text
from .article import CleanedArticle
from .blocks import Block
from .clean import article_tags, lede, missing_metadata, summarize
from .dates import article_date, dateline_date, is_update_stamp
from .extract import PageBlocks, extract_body
from .features import MENU_SEPARATORS, is_appeal, outside_quotes, words_of
from .html_decode import page_error
from .html_headings import reads_as_subheading
from .html_meta import (INVISIBLE_TAGS, Headline, as_author, caption_and_credit, caption_holding,
                        choose_title, host_key, html_blocks, inside, is_caption, is_invisible, organization_author,
                        page_tags, parse_date, read_head, shows_image, site_name, source_url, stated_author,
                        stated_date, visible_text)
from .metadata import byline_author, byline_date, is_credit_line, publisher, tag_line_tags
from .region import PULL_QUOTE, pull_quotes
from .rules import Rules, load_rules


# trafilatura's cost grows faster than the page (its jusText fallback is quadratic in text
# blocks): past FAST_ABOVE_* it runs without its fallback extractors, past MAX_ELEMENTS the
# page is refused. A news page has a few thousand elements and a few hundred text blocks.
FAST_ABOVE_ELEMENTS = 20_000
FAST_ABOVE_BLOCKS = 1_500
MAX_ELEMENTS = 60_000


# A saved error page's headline ("Page not found", "404", "Oops! That page can't be found.").
# "404 flights cancelled" is news: after 404 comes nothing, a separator, or "(page) not found".
_NOT_FOUND = re.compile(r"(?i)^(?:error\s*)?(?:404(?:\s*[-:|–—!.]\s*.{0,60}|"
                        r"\s+(?:error|(?:page )?not found)\b.{0,40})?|(?:page|article|story|content) (?:not found|"
                        r"does not exist|(?:can(?:'|’)?t|cannot|could not) be found)\.?|not found\.?|"
                        r"oops\b.{0,60}(?:not|n't|n’t) (?:be )?(?:found|exist)\.?)$")
MIN_INDEX_CARDS = 3  # teaser <article> cards that, holding most of the "body", make an index page
_OPENING = 3  # body paragraphs at the top that may be a byline or dateline
_SET_APART_CLASS = re.compile(r"(?i)pull|quote|highlight|callout")
_SET_APART_LEVELS = 3  # ancestors of a block looked at for a pull quote's markup
_SEPARATOR = re.compile("|".join(map(re.escape, MENU_SEPARATORS)))  # between a byline's or dateline's parts
_LEAD_IN_WORDS = 15  # a line ending in ":" this short introduces a list or quote, never ends a story
_LABEL_WORDS = 4  # a section label shown above the headline ("Guest Column", "Public Safety")
# Boilerplate kinds of rules.yaml that can be article text in an extracted body (a
# bracketed editor's note): the extractor has already judged those.
_KINDS_KEPT = frozenset({"media"})
_MAX_BOILERPLATE_WORDS = 40  # a paragraph this long that mentions a "cookie policy" is prose
_NO_WORDS = re.compile(r"^[\W_]*$")
_CONTACT_LINE = re.compile(r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{2,30}|(?:https?://)?(?:www\.)?"
                           r"[\w-]+(?:\.[\w-]+)+/\S*)$")
_EXTRACTOR = "not article text (extractor)"
_BOILERPLATE = "boilerplate: {}"  # the reason a paragraph of a rules.yaml kind is dropped
_TEASER_HEADING = _BOILERPLATE.format("teaser_heading")



# ---------------------------------------------------------------- text -> blocks

def page_blocks(html: str) -> tuple[str, ...]:
    """The visible text of the page's block-level elements, in document order."""
    return tuple(text for text, _ in html_blocks(_parse(html)))


def _parse(html: str) -> etree._Element:
    parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                  remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(html.encode("utf-8", errors="replace"), parser)
    except (etree.LxmlError, ValueError) as exc:
        raise page_error("could not parse the HTML", f"lxml: {exc}") from None
    if root is None:
        raise page_error("could not parse the HTML", "the page holds no elements")
    if "&#" in html:  # a reference to a control character (&#1;) is one in the text, which lxml
        _drop_forbidden(root)  # then refuses to store again (a padded word break): none is text
    return root


def _drop_forbidden(root: etree._Element) -> None:
    for el in root.iter():
        for attr in ("text", "tail"):
            text = getattr(el, attr)
            if text and (cleaned := clean_text(text)) != text:
                setattr(el, attr, cleaned)
        for name, value in el.attrib.items():
            if (cleaned := clean_text(value)) != value:
                el.set(name, cleaned)


def _drop_hidden(root: etree._Element) -> None:
    """Remove what the page never shows (hidden, display:none): the extractor would keep it."""
    body = root.find("body")
    if body is None:
        return
    hidden = [el for el in body.iterdescendants() if is_invisible(el) and el.tag not in INVISIBLE_TAGS]
    for el in hidden:
        if el.getparent() is not None:  # not inside one removed already
            el.drop_tree()


# ---------------------------------------------------------------- the article

@dataclass(frozen=True)
class SiftedBody:
    paragraphs: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]  # (paragraph, reason)


def clean_html_page(html: str, *, vocabulary: Vocabulary, min_mentions: int, max_inferred: int,
                    rules: Rules | None = None,
                    boilerplate: Callable[[str], str | None] | None = None) -> CleanedArticle:
    """Clean one saved page; DigestError (without a path) when it holds no article."""
    rules = rules or load_rules()
    root = _parse(html)
    _drop_hidden(root)
    order = {el: i for i, el in enumerate(root.iter())}  # document order, for "between" tests
    if len(order) > MAX_ELEMENTS:
        raise page_error(f"too many HTML elements for one article ({len(order)})",
                     f"a news page has a few thousand; this one has more than {MAX_ELEMENTS}")
    blocks = html_blocks(root)
    extracted = extract_body(root, blocks, fast=len(order) > FAST_ABOVE_ELEMENTS or len(blocks) > FAST_ABOVE_BLOCKS)
    if not extracted:
        raise page_error("no article body found", "no run of prose paragraphs on the page; is it an index page?")
    head = read_head(root)
    url = source_url(head)
    site = site_name(head) or publisher(tuple(Block(i, t, 0, True) for i, (t, _) in enumerate(blocks)), rules)
    headline = choose_title(root, head, site, host_key(url))
    if headline is None:
        raise page_error("no headline found above the article body",
                     "the page has no <h1>, <title> or og:title naming the article")
    if _NOT_FOUND.match(headline.text):
        raise page_error("not an article: a \"page not found\" page", f"its headline is {headline.text!r}")
    if _is_index_page(root, blocks, extracted, headline):
        raise page_error("not an article: an index page",
                         f"what reads as its body is spread over {MIN_INDEX_CARDS} or more teaser <article> cards")
    top, first = _around_headline(blocks, headline, extracted)
    caption, credit, figcaption = _lead_image(root, order, blocks, top, first, rules)
    shown_caption = visible_text(figcaption) if figcaption is not None else None
    captions = {word_key(t) for t in (caption, credit, shown_caption) if t}
    sifted = _sift(extracted, headline.text, captions, rules, boilerplate, _labels_above(blocks, top),
                   _list_lead_ins(blocks))
    rejected = _rejection(headline.text, captions, rules, boilerplate)
    body = _without_pull_quotes(_with_own_lines(_with_subheadings(sifted, blocks, rejected), blocks, rules,
                                                boilerplate), blocks)
    if not body.paragraphs:
        raise page_error("no article body found", "only a headline or boilerplate around it")

    region = _story_region(blocks, headline, top, first)
    in_story = _in_region(order, blocks, region)
    author = (stated_author(root, head, rules, in_story) or _visible_author(blocks, region, rules)
              or organization_author(head, rules))
    date = stated_date(head, rules) or _time_element(root, in_story, rules) or _visible_date(blocks, region, rules)
    listed = page_tags(head)
    if listed is None:
        listed = _shown_tags(blocks, body, first, headline, rules)
    tags = article_tags(listed, headline.text, body.paragraphs, vocabulary, min_mentions, max_inferred)
    labels = _labels(blocks, region, headline.text, figcaption, rules)
    return CleanedArticle(
        title=headline.text, date=date, author=author, source=site, source_url=url,
        image_caption=caption, image_credit=credit, tags=tags,
        summary=summarize(lede(body.paragraphs), rules.thresholds.summary_target),
        paragraphs=body.paragraphs, dropped=_dropped(blocks, body, labels), warnings=missing_metadata(date, tags))


def _is_index_page(root: etree._Element, blocks: PageBlocks, extracted: list[tuple[str, str]],
                   headline: Headline) -> bool:
    """A front or section page: what the extractor took for the body lies mostly in <article>
    cards, spread over several, none holding half of it. (A story in its own <article> holds
    most of the body; its "related" cards hold little.)"""
    card_of: dict[etree._Element, etree._Element] = {}
    for card in root.iter("article"):  # document order: a card inside another claims its own
        if headline.element is None or not inside(headline.element, card):
            card_of.update((el, card) for el in card.iter())
    text_card = {text: card_of[el] for text, el in blocks if el in card_of}
    counts = Counter(text_card[text] for text, _ in extracted if text in text_card)
    in_cards = sum(counts.values())
    return (len(counts) >= MIN_INDEX_CARDS and in_cards * 2 > len(extracted)
            and max(counts.values()) * 2 <= len(extracted))


def _around_headline(blocks: PageBlocks, headline: Headline,
                     extracted: list[tuple[str, str]]) -> tuple[int, int]:
    """Page-block indices of the headline (the body's start when it is not shown) and of
    the body's first paragraph."""
    key = word_key(headline.text)
    shown = [i for i, (_, el) in enumerate(blocks)
             if headline.element is not None and inside(el, headline.element)]
    title_at = (shown or [i for i, (t, _) in enumerate(blocks) if word_key(t) == key] or [None])[0]
    body_texts = {t for t, _ in extracted if word_key(t) != key}
    after = title_at or 0
    first = next((i for i in range(after, len(blocks)) if blocks[i][0] in body_texts),
                 next((i for i, (t, _) in enumerate(blocks) if t in body_texts), after))
    return (title_at if title_at is not None and title_at <= first else first), first


def _labels(blocks: PageBlocks, region: tuple[int, ...], title: str,
            figcaption: etree._Element | None, rules: Rules) -> dict[str, str]:
    """Why the page blocks around the story are not body: title, byline, dateline, caption."""
    labels = {word_key(title): "title"}
    for i in region:
        text = blocks[i][0]
        if byline_author(text, rules):
            labels.setdefault(word_key(text), "byline")
        elif dateline_date(text, rules):
            labels.setdefault(word_key(text), "dateline")
    if figcaption is not None:
        for text, el in blocks:
            if inside(el, figcaption):
                labels.setdefault(word_key(text), "image caption and credit")
    return labels


def _lead_image(root: etree._Element, order: dict[etree._Element, int], blocks: PageBlocks, top: int, first: int,
                rules: Rules) -> tuple[str | None, str | None, etree._Element | None]:
    """Caption and credit of the first captioned figure from the headline to the body's start,
    or of a hero figure shown just above the headline."""
    if not blocks:
        return None, None, None
    start = order.get(blocks[top][1], 0)
    if top > 0 and (hero := caption_holding(blocks[top - 1][1])) is not None and shows_image(hero):
        start = order.get(hero, start)
    stop = order.get(blocks[min(first + 2, len(blocks) - 1)][1], start)
    for figcaption in (el for el in root.iter() if is_caption(el)):
        if start <= order.get(figcaption, -1) <= stop:
            caption, credit = caption_and_credit(figcaption, rules)
            if caption or credit:
                return caption, credit, figcaption
    return None, None, None


def _labels_above(blocks: PageBlocks, top: int) -> frozenset[str]:
    """The short lines only above the headline that are no sentence: a section label or kicker
    ("Opinion", "Guest Column"), never the body, which starts below the headline. (A line shown
    below it too, a score or a short first line repeated in a box above, may be the body's.)"""
    below = {text for text, _ in blocks[top:]}
    return frozenset(text for text, _ in blocks[:top] if text not in below
                     and len(text.split()) <= _LABEL_WORDS and not text.endswith((".", "!", "?", ":")))


def _list_lead_ins(blocks: PageBlocks) -> frozenset[str]:
    """Short lines ending in a colon with a list item right below them on the page."""
    return frozenset(text for (text, _), (_, below) in zip(blocks, blocks[1:])
                     if _leads_in(text) and any(el.tag == "li" for el in (below, *below.iterancestors())))


def _sift(extracted: list[tuple[str, str]], title: str, captions: set[str], rules: Rules,
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
        reason = ("teaser list" if teasers else "section label above the headline" if opening and text in labels_above
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


def _rejection(title: str, captions: set[str], rules: Rules,
               boilerplate: Callable[[str], str | None] | None) -> Callable[[str], str | None]:
    """Why a line the extractor left out would be dropped from the body anyway (None: it would
    not): digest's paragraph rules, any kind of boilerplate rule, the caller's hook."""
    def reason(text: str) -> str | None:
        kind = rules.boilerplate_kind(text)
        return (_drop_reason(text, False, title, captions, rules) or (kind and _BOILERPLATE.format(kind))
                or (boilerplate(text) if boilerplate is not None else None))
    return reason


def _with_subheadings(body: SiftedBody, blocks: PageBlocks,
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


def _with_own_lines(body: SiftedBody, blocks: PageBlocks, rules: Rules,
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


def _without_pull_quotes(body: SiftedBody, blocks: PageBlocks) -> SiftedBody:
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
        return _BOILERPLATE.format(kind)
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
    outside = [w.casefold().replace("’", "'") for w in words_of(outside_quotes(text))]
    density = sum(w in rules.reader_words for w in outside) / words if words else 0.0
    if density < rules.thresholds.reader_density_bad or not is_appeal(outside, rules):
        return set()
    return {w for w in outside if w in rules.appeal_words or w in rules.publication_appeal_words}


def _story_region(blocks: PageBlocks, headline: Headline, top: int,
                  first: int) -> tuple[int, ...]:
    """The page blocks where a byline or dateline may stand: from a few blocks above the
    headline to just inside the body, within the element holding both headline and body
    (a teaser list beside the story dates other stories)."""
    if not blocks:
        return ()
    body_start = blocks[first][1]
    if headline.element is not None and first > top:
        container = _common_ancestor(headline.element, body_start)
    elif headline.element is not None:  # the body's place is not known: the headline's article, if any
        container = next((a for a in headline.element.iterancestors() if a.tag == "article"), None)
    else:
        container = next((a for a in body_start.iterancestors() if a.tag == "article"), None)
    near = range(max(0, top - 8), min(len(blocks), first + 3))
    return tuple(i for i in near if container is None or inside(blocks[i][1], container))


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element | None:
    chain = {el: True for el in (b, *b.iterancestors())}
    return next((el for el in (a, *a.iterancestors()) if el in chain), None)


def _visible_author(blocks: PageBlocks, region: tuple[int, ...], rules: Rules) -> str | None:
    """The first byline in the story region. A block's parts are tried first: the page may set
    them apart by style alone ("<span>By Jane Doe</span><span>BBC News</span>" reads
    "By Jane DoeBBC News" as text)."""
    texts = (text for i in region for text in (*_part_texts(blocks[i][1]), blocks[i][0]))
    bylines = (byline_author(text, rules) for text in texts)
    return next((name for byline in bylines if byline and (name := as_author(byline, rules))), None)


def _part_texts(el: etree._Element) -> list[str]:
    """The visible texts of an element's child elements, when it has several."""
    parts = [text for child in el if isinstance(child.tag, str) and (text := visible_text(child))]
    return parts if len(parts) > 1 else []


def _visible_date(blocks: PageBlocks, region: tuple[int, ...], rules: Rules) -> datetime.date | None:
    """The article's date from the datelines and bylines around the headline (``article_date``).
    A block's parts, and the parts of its text between separators, are tried after it: a line
    "Staff report · August 1, 2024" is no dateline whole, its date part is."""
    lines = ((i, text) for i in region
             for text in (blocks[i][0], *_part_texts(blocks[i][1]), *_separated(blocks[i][0])))
    stated = article_date(lines, rules, functools.partial(byline_date, rules=rules))
    return stated[0] if stated else None


def _separated(text: str) -> list[str]:
    """The parts of a line set apart by a separator (" · ", " | ", ...), when it has several."""
    parts = [part for part in _SEPARATOR.split(text) if part]
    return parts if len(parts) > 1 else []


def _time_element(root: etree._Element, in_story: Callable[[etree._Element], bool],
                  rules: Rules) -> datetime.date | None:
    """A machine-readable date (<time datetime>, itemprop=datePublished) in the story region.

    Only there: elsewhere <time>s date other stories (teaser lists) or comments.
    """
    found = []  # (rank, date): as with datelines, "Published" first, "Updated" last
    for el in root.xpath("//time[@datetime] | //*[@itemprop='datePublished']"):
        value = el.get("datetime") or el.get("content") or visible_text(el)
        if value and in_story(el):
            parsed = parse_date(value, rules)
            if parsed is not None:
                label = _label_before(el)
                rank = 0 if rules.date_published.search(label) else 2 if is_update_stamp(label, rules) else 1
                found.append((rank, len(found), parsed))
    return min(found, key=lambda f: f[:2])[2] if found else None


SHOWN_TAGS_AFTER_BODY = 8  # page blocks below the body's last paragraph where a tag line may stand


def _shown_tags(blocks: PageBlocks, body: SiftedBody, first: int, headline: Headline,
                rules: Rules) -> tuple[str, ...] | None:
    """A tag line the page shows with the story ("Tags: Infrastructure, Local politics"), as a
    text dump's: in the story's element, from its body to a few blocks below it (a tag menu
    elsewhere on the page is the site's, not the story's)."""
    kept = set(body.paragraphs)
    last = max((i for i in range(first, len(blocks)) if blocks[i][0] in kept), default=first)
    story = headline.element if headline.element is not None else blocks[first][1]
    container = _common_ancestor(story, blocks[last][1])
    for i in range(first, min(len(blocks), last + 1 + SHOWN_TAGS_AFTER_BODY)):
        if blocks[i][0] not in kept and inside(blocks[i][1], container):
            tags = tag_line_tags(blocks[i][0], rules)
            if tags is not None:
                return tags
    return None


def _in_region(order: dict[etree._Element, int], blocks: PageBlocks,
               region: tuple[int, ...]) -> Callable[[etree._Element], bool]:
    """Whether an element stands in the story region's blocks (or between them)."""
    if not region:
        return lambda el: False
    start = order.get(blocks[region[0]][1], 0)
    stop = max(order.get(el, 0) for el in blocks[region[-1]][1].iter())  # its last descendant
    return lambda el: start <= order.get(el, -1) <= stop


_LABEL_BREAK = re.compile(r".*[·•|,;—–]\s*|.*\s-\s", re.DOTALL)


def _label_before(el: etree._Element) -> str:
    """The words just before ``el`` in its parent, back to the previous <time> or separator:
    "Last updated" in "Last updated <time> · Published <time>"."""
    parent = el.getparent()
    if parent is None:
        return ""
    parts = [parent.text or ""]
    for sibling in parent:
        if sibling is el:
            break
        parts = [] if sibling.tag == "time" else parts + [visible_text(sibling)]
        parts.append(sibling.tail or "")
    return _LABEL_BREAK.sub("", " ".join(parts)).strip()[-40:].strip()


def _dropped(blocks: PageBlocks, body: SiftedBody,
             labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Every page block the body does not hold, with the most specific reason known."""
    kept = set(body.paragraphs)
    joined = "\n".join(body.paragraphs)
    reasons = dict(labels)
    for text, reason in body.dropped:
        reasons.setdefault(word_key(text), reason)
    out: list[tuple[str, str]] = []
    for text, _ in blocks:
        if text in kept or (len(text) >= 40 and text in joined):
            continue
        out.append((text, reasons.get(word_key(text), _EXTRACTOR)))
    shown = {text for text, _ in out}
    out += [(text, reason) for text, reason in body.dropped if text not in shown]
    return tuple(out)
