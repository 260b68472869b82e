"""Saved HTML page -> CleanedArticle: trafilatura finds the body, digest does the rest.

html_decode.py turns a file's bytes into text (gzip, charset). clean_html_page parses the page
once with lxml and hands the tree to trafilatura (extract.py) for the article's paragraphs; around that
it applies digest's own passes: the headline and what the page states about itself
(html_meta.py), the lead image's caption and credit (html_figures.py), bylines and datelines, which of the
paragraphs are the body (html_body.py), tags and summary as clean_text_dump does. page_blocks gives the
page's visible text blocks, the unit the ingest pipeline counts across one site's pages.
Nothing of the page's markup reaches the output: paragraphs are plain text.

Failure policy as in clean.py: DigestError(Problem(...)) without a path.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable

import lxml.html
from lxml import etree

from ..taxonomy import Vocabulary, word_key
from ..text import clean_text
from .article import CleanedArticle
from .blocks import Block
from .clean import article_tags, lede, missing_metadata, summarize
from .dates import article_date, dateline_date, is_update_stamp
from .extract import PageBlocks, extract_body
from .features import MENU_SEPARATORS
from .html_body import (SiftedBody, labels_above, list_lead_ins, rejection, sift, with_own_lines,
                        with_subheadings, without_pull_quotes)
from .html_decode import page_error
from .html_figures import caption_and_credit, caption_holding, is_caption, shows_image
from .html_headline import Headline, choose_title
from .html_meta import (INVISIBLE_TAGS, MACHINE_DATES, as_author, host_key, html_blocks, inside, is_invisible,
                        machine_date_text, marked, organization_author, page_tags, parse_date, part_texts, read_head,
                        site_name, source_url, stated_author, stated_date, visible_text)
from .html_sign_off import sign_off
from .metadata import bare_byline, byline_author, byline_date, publisher, tag_line_tags
from .rules import Rules, load_rules
from .title import without_label


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
# The page's top strip, where a news site shows the day's date and weather above its name.
_MASTHEAD_CLASS = re.compile(r"(?i)(?:^|[\s_-])(?:today|top-?bar|current-?date|date-?today|weather|utility-?bar)"
                             r"(?=$|[\s_-])")
_SEPARATOR = re.compile("|".join(map(re.escape, MENU_SEPARATORS)))  # between a byline's or dateline's parts
_EXTRACTOR = "not article text (extractor)"



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
        headline = _heading_above_body(blocks, extracted)
        if headline is not None:  # what the extractor took above it is the old page's masthead and menu
            at = next(i for i, (_, el) in enumerate(blocks) if el is headline.element)
            below = {t for t, _ in blocks[at + 1:]}
            extracted = list(itertools.dropwhile(lambda entry: entry[0] not in below, extracted))
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
    sifted = sift(extracted, headline.text, captions, rules, boilerplate, labels_above(blocks, top),
                   list_lead_ins(blocks))
    rejected = rejection(headline.text, captions, rules, boilerplate)
    body = without_pull_quotes(with_own_lines(with_subheadings(sifted, blocks, rejected), blocks, rules,
                                                boilerplate), blocks)
    if not body.paragraphs:
        raise page_error("no article body found", "only a headline or boilerplate around it")

    region = _story_region(blocks, headline, top, first)
    in_story = _in_region(order, blocks, region)
    shown = _visible_author(blocks, region, rules) or _name_beside_date(blocks, region, site, rules)
    author = _credited_author(stated_author(root, head, rules, in_story), shown, rules)
    timed, updated = _time_elements(root, in_story, rules)
    # An update's stamp is the page's date only when it shows no other: "Updated <time
    # datetime=...>" beside a published date the page writes out in words dates the update.
    date = (stated_date(head, rules) or timed or _visible_date(blocks, region, top, rules)) or updated
    last, story = _body_end(blocks, body, first, headline)
    signed = sign_off(blocks, last, story, rules) if not (author and date) else None
    author = author or (signed.author if signed else None) or organization_author(head, rules)
    date = date or (signed.date if signed else None)
    listed = page_tags(head)
    if listed is None:
        listed = _shown_tags(blocks, body, first, last, story, rules)
    tags = article_tags(listed, headline.text, body.paragraphs, vocabulary, min_mentions, max_inferred)
    labels = _labels(blocks, region, headline.text, figcaption, rules)
    return CleanedArticle(
        title=without_label(headline.text, rules), date=date, author=author, source=site, source_url=url,
        image_caption=caption, image_credit=credit, tags=tags,
        summary=summarize(lede(body.paragraphs, rules), rules.thresholds.summary_target),
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


def _heading_above_body(blocks: PageBlocks, extracted: list[tuple[str, str]]) -> Headline | None:
    """An old page's headline when it states none and has no <h1>: the nearest <h2>..<h4> a few
    blocks above the body's first paragraph ("<h2>Record crowd for lantern festival</h2>")."""
    body_texts = {t for t, _ in extracted if len(t.split()) >= LEDE_WORDS}  # prose, not the masthead's
    first = next((i for i, (t, _) in enumerate(blocks) if t in body_texts), 0)
    return next((Headline(text, el) for text, el in reversed(blocks[max(0, first - HEADING_ABOVE_BLOCKS):first])
                 if el.tag in ("h2", "h3", "h4")), None)


HEADING_ABOVE_BLOCKS = 4  # a byline and a dateline may stand between the heading and the body
LEDE_WORDS = 12  # the body's first paragraph is a sentence or more


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


def _credited_author(stated: str | None, shown: str | None, rules: Rules) -> str | None:
    """The page's stated author (its metadata, a marked byline) unless the byline it shows in
    the story says more: all of the stated names and others ("Jo Doe" against "By Jo Doe and
    Al Roe", metadata naming the first author only), or a person where the stated credit is a
    staff's or a society's."""
    if not (stated and shown) or stated == shown or rules.byline_collective.search(shown):
        return stated or shown
    fuller = stated.casefold() in shown.casefold() and bool(re.search(r",|&|\band\b", shown))
    return shown if fuller or rules.byline_collective.search(stated) else stated


def _visible_author(blocks: PageBlocks, region: tuple[int, ...], rules: Rules) -> str | None:
    """The first byline in the story region. A block's parts are tried first: the page may set
    them apart by style alone ("<span>By Jane Doe</span><span>BBC News</span>" reads
    "By Jane DoeBBC News" as text)."""
    texts = (text for i in region for text in (*part_texts(blocks[i][1]), blocks[i][0]))
    bylines = (byline_author(text, rules) for text in texts)
    return next((name for byline in bylines if byline and (name := as_author(byline, rules))), None)


def _name_beside_date(blocks: PageBlocks, region: tuple[int, ...], site: str | None, rules: Rules) -> str | None:
    """A name alone beside the date in one element of the story region ("<span>Jane Doe</span>
    <span>March 16, 2026</span>"): a byline without its "By", as in a text dump (``bare_byline``)."""
    for i in region:
        parts = part_texts(blocks[i][1])
        for j, part in enumerate(parts):
            if dateline_date(part, rules):
                beside = (parts[k] for k in (j - 1, j + 1) if 0 <= k < len(parts))
                name = next((n for text in beside if (n := bare_byline(text, site, rules))), None)
                if name:
                    return name
    return None


def _visible_date(blocks: PageBlocks, region: tuple[int, ...], top: int, rules: Rules) -> datetime.date | None:
    """The article's date from the datelines and bylines around the headline (``article_date``).
    A block's parts, and the parts of its text between separators, are tried after it: a line
    "Staff report · August 1, 2024" is no dateline whole, its date part is. Above the headline,
    a masthead's date of the day ("today", "topbar") dates the page's printing, not the story."""
    region = tuple(i for i in region if i >= top or not marked(blocks[i][1], _MASTHEAD_CLASS))
    lines = ((i, text) for i in region
             for text in (blocks[i][0], *part_texts(blocks[i][1]), *_separated(blocks[i][0])))
    stated = article_date(lines, rules, functools.partial(byline_date, rules=rules), top)
    return stated[0] if stated else None


def _separated(text: str) -> list[str]:
    """The parts of a line set apart by a separator (" · ", " | ", ...), when it has several."""
    parts = [part for part in _SEPARATOR.split(text) if part]
    return parts if len(parts) > 1 else []


def _time_elements(root: etree._Element, in_story: Callable[[etree._Element], bool],
                   rules: Rules) -> tuple[datetime.date | None, datetime.date | None]:
    """The first machine-readable date (``MACHINE_DATES``) in the story region, one labelled
    "Published" first; and apart, the first labelled as an update's.

    Only there: elsewhere <time>s date other stories (teaser lists) or comments.
    """
    found = []  # (rank, date): as with datelines, "Published" first, "Updated" last
    for el in root.xpath(MACHINE_DATES):
        value = machine_date_text(el)
        if value and in_story(el):
            parsed = parse_date(value, rules)
            if parsed is not None:
                label = _label_before(el)
                rank = 0 if rules.date_published.search(label) else 2 if is_update_stamp(label, rules) else 1
                found.append((rank, len(found), parsed))
    dated = [f for f in found if f[0] < 2]
    updates = [f for f in found if f[0] == 2]
    return (min(dated)[2] if dated else None), (updates[0][2] if updates else None)


SHOWN_TAGS_AFTER_BODY = 8  # page blocks below the body's last paragraph where a tag line may stand


def _shown_tags(blocks: PageBlocks, body: SiftedBody, first: int, last: int, container: etree._Element | None,
                rules: Rules) -> tuple[str, ...] | None:
    """A tag line the page shows with the story ("Tags: Infrastructure, Local politics"), as a
    text dump's: in the story's element (``container``), from its body to a few blocks below its
    last paragraph (block ``last``); a tag menu elsewhere on the page is the site's, not the story's."""
    kept = set(body.paragraphs)
    for i in range(first, min(len(blocks), last + 1 + SHOWN_TAGS_AFTER_BODY)):
        if blocks[i][0] not in kept and inside(blocks[i][1], container):
            # A blog's footer holds its labels among other parts ("Posted by ... Labels: ferry").
            for text in (blocks[i][0], *part_texts(blocks[i][1])):
                tags = tag_line_tags(text, rules)
                if tags is not None:
                    return tags
    return None


def _body_end(blocks: PageBlocks, body: SiftedBody, first: int,
              headline: Headline) -> tuple[int, etree._Element | None]:
    """The page block of the body's last paragraph, and the element holding the story from its
    headline (or first paragraph) to there."""
    if not blocks:  # nothing shown on the page: the body came from its metadata (JSON-LD's articleBody)
        return first, headline.element
    kept = set(body.paragraphs)
    last = max((i for i in range(first, len(blocks)) if blocks[i][0] in kept), default=first)
    story = headline.element if headline.element is not None else blocks[first][1]
    return last, _common_ancestor(story, blocks[last][1])


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
