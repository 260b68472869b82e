"""What a saved HTML page states about itself: headline, date, author, publisher, URL, tags.

Read from the page's own markup (meta tags, JSON-LD, <time>, <h1>), never guessed: a page
that states no date gets none, whatever its URL or the clock say. Every value is tidied
text with the characters XML forbids removed.
"""

from __future__ import annotations

import datetime
import email.utils
import html
import json
import re
from collections.abc import Callable, Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ..taxonomy import word_key
from ..text import clean_text
from .dates import find_date
from .metadata import byline_author, is_credit_line, split_caption_credit
from .rules import Rules

# Where pages state their publication date, most specific first (names are compared lower-cased).
_DATE_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "publish-date",
              "publish_date", "publishdate", "pubdate", "parsely-pub-date", "sailthru.date",
              "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created", "date")
_AUTHOR_KEYS = ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator")
_TITLE_KEYS = ("og:title", "twitter:title")
# " | Site", " - Site", " – Site" ... : what pages put between a headline and the site's name.
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-{1,2}|–|—|::|·|•|»|«)\s+")
_MAX_LD_CHARS = 1_000_000  # a JSON-LD block larger than this is not page metadata
_EARLIEST, _LATEST = datetime.date(1000, 1, 2), datetime.date(9999, 12, 30)  # what generator.load accepts
_UTC = datetime.timezone.utc
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_TIMEZONE_COLON = re.compile(r"([+-]\d\d)(\d\d)$")
# "... harbour (Jane Doe/AP)", "... harbour [Agency via Getty]"
_BRACKETED_CREDIT = re.compile(r"^(?P<caption>.*?\S)?\s*[(\[](?P<credit>[^()\[\]]{2,80})[)\]]$")
_CREDIT_WORD = re.compile(r"(?i)\b(?:photo|image|picture|credit|courtesy|illustration|file|via)\b|/")
# "... harbour. Photograph: Jane Doe/Agency" (capitalised: "the photo by the pier" is a caption)
_MARKED_CREDIT = re.compile(r"^(?P<caption>.*?\S)\s+(?P<credit>(?:Photo|Photograph|Photos|Image|Picture|Credit|"
                            r"Illustration|Courtesy|Video|Source)(?: by|:)\s*\S.{0,80})$")
_CREDIT_CLASS = re.compile(r"(?i)credit|copyright|byline|author|source|photographer|attribution")
# Text only a screen reader speaks: in a caption it is a label ("Image caption, "), not the caption.
_SCREEN_READER_CLASS = re.compile(r"(?i)\b(?:visually-?hidden|sr-only|screen-reader-text|a11y-only|off-?screen)\b")
# Caption elements besides <figcaption>: WordPress's (a <p> in its "wp-caption" box).
_CAPTION_CLASS = re.compile(r"\bwp-caption-text\b")


BLOCK_TAGS = frozenset(
    "address article aside blockquote body br button caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul legend".split())
INVISIBLE_TAGS = frozenset(
    "head script style noscript template svg math iframe object embed canvas textarea select video audio "
    "map".split())
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def tidy(text: str) -> str:
    """One line of text: forbidden characters out, whitespace runs one space."""
    return " ".join(clean_text(text).split())


def html_blocks(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """(text, block element) for the visible text of each block-level element, in order."""
    return text_blocks(root, lambda tag: tag in BLOCK_TAGS, is_invisible)


def is_invisible(el: etree._Element) -> bool:
    """Never shown: scripts, styles, comments, hidden and display:none elements."""
    return (not isinstance(el.tag, str) or el.tag in INVISIBLE_TAGS or el.get("hidden") is not None
            or bool(_HIDDEN_STYLE.search(el.get("style") or "")))


def text_blocks(root: etree._Element, breaks: Callable[[str], bool],
                skip: Callable[[etree._Element], bool]) -> list[tuple[str, etree._Element]]:
    """(text, the block element holding it) for each run of text between block boundaries.

    Walked without recursion, so a deeply nested page cannot exhaust the stack.
    """
    out: list[tuple[str, etree._Element]] = []
    buffer: list[str] = []
    owners = [root]

    def flush() -> None:
        text = tidy("".join(buffer))
        buffer.clear()
        if text:
            out.append((text, owners[-1]))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        hidden = el is not root and skip(el)
        block = not hidden and breaks(el.tag)
        if event == "start":
            if hidden:
                walker.skip_subtree()  # its end event still comes, for the tail
                continue
            if block:
                flush()
                owners.append(el)
            buffer.append(el.text or "")
        else:
            if block:
                flush()
                owners.pop()
            if el is not root and el.tail:
                buffer.append(el.tail)
    flush()
    return out


def visible_text(el: etree._Element) -> str:
    """An element's visible text, a space where a block or line break separates words."""
    return " ".join(text for text, _ in html_blocks(el))


@dataclass(frozen=True)
class HeadMeta:
    """The page's machine-readable statements about itself."""

    metas: Mapping[str, tuple[str, ...]]  # lower-cased name / property / itemprop -> contents
    articles: tuple[Mapping[str, Any], ...]  # JSON-LD objects that describe the article
    ld_objects: tuple[Mapping[str, Any], ...]  # every JSON-LD object, flattened
    html_title: str | None
    links: Mapping[str, str]  # rel -> first href

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.metas.get(key, ()):
                if value:
                    return value
        return None

    def ld(self, key: str) -> Iterator[Any]:
        """Values of ``key`` in the article objects, then in any other JSON-LD object."""
        for obj in (*self.articles, *self.ld_objects):
            if key in obj:
                yield obj[key]


def read_head(root: etree._Element) -> HeadMeta:
    """Meta tags, JSON-LD, <title> and <link>s: what the page says about itself for machines."""
    metas: dict[str, list[str]] = {}
    story = _story_scope(root)
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name")
        if not key and el.get("itemprop") and _outside_other_scopes(el, story):
            key = el.get("itemprop")
        content = el.get("content")
        if key and content is not None:
            metas.setdefault(key.strip().lower(), []).append(tidy(content))
    objects = tuple(_ld_objects(root))
    articles = tuple(o for o in objects if _is_article(o))
    title = next((tidy(el.text_content()) for el in root.xpath("//head/title")), None)  # not an <svg>'s
    links: dict[str, str] = {}
    for el in root.iter("link"):
        for rel in (el.get("rel") or "").lower().split():
            if el.get("href"):
                links.setdefault(rel, el.get("href", "").strip())
    return HeadMeta({k: tuple(v) for k, v in metas.items()}, articles, objects, title or None, links)


def _story_scope(root: etree._Element) -> etree._Element | None:
    """The story's own microdata scope: the one around its body (or headline), else the
    page's only article scope. Teaser cards come as a list of article scopes."""
    anchor = next(iter(root.xpath("//*[@itemprop='articleBody']") or root.xpath("//h1")), None)
    around = next((a for a in anchor.iterancestors() if a.get("itemscope") is not None), None) if (
        anchor is not None) else None
    if around is not None:
        return around
    articles = root.xpath("//*[@itemscope][contains(@itemtype, 'Article') or contains(@itemtype, 'BlogPosting')]")
    return articles[0] if len(articles) == 1 else None


def _outside_other_scopes(el: etree._Element, story: etree._Element | None) -> bool:
    """Microdata of the page or of its story, not of a teaser card with its own itemscope."""
    scope = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
    return scope is None or scope is story


def _ld_objects(root: etree._Element) -> Iterator[Mapping[str, Any]]:
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        if len(el.text) > _MAX_LD_CHARS:
            continue
        data = _lenient_json(el.text)
        if data is not None:
            yield from _flatten(data, 0)


def _lenient_json(text: str) -> Any:
    """JSON, also with the trailing commas hand-written JSON-LD often has; None if broken."""
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):  # broken or hostile JSON: the page just says less
            continue
    return None


def _flatten(data: Any, depth: int) -> Iterator[Mapping[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)


def _types(obj: Mapping[str, Any]) -> list[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k for k in kinds if isinstance(k, str)]


def _is_article(obj: Mapping[str, Any]) -> bool:
    return any("Article" in k or k in ("BlogPosting", "Report", "LiveBlogPosting") for k in _types(obj))


def _ld_text(value: Any) -> str | None:
    """A JSON-LD string value as text (JSON-LD often carries HTML entities)."""
    if isinstance(value, str):
        return tidy(html.unescape(value)) or None
    return None


def _names(value: Any) -> list[str]:
    """Names in a JSON-LD author / publisher value: a string, an object or a list of them."""
    if isinstance(value, list):
        return [n for item in value[:20] for n in _names(item)]
    if isinstance(value, dict):
        value = value.get("name")
    text = _ld_text(value)
    return [text] if text else []


# ---------------------------------------------------------------- publisher and URL

def site_name(head: HeadMeta) -> str | None:
    """The publisher's name: og:site_name, else JSON-LD publisher, else application-name."""
    candidates = [head.first("og:site_name")]
    candidates += [n for value in head.ld("publisher") for n in _names(value)]
    candidates += [_ld_text(o.get("name")) for o in head.ld_objects
                   if set(_types(o)) & {"NewsMediaOrganization", "Organization"}]
    candidates += [head.first("application-name"), head.first("publisher")]
    return next((c for c in candidates if c and not _is_address(c)), None)


def source_url(head: HeadMeta) -> str | None:
    """The page's canonical address (canonical link, else og:url); http(s) and absolute only."""
    for url in (head.links.get("canonical"), head.first("og:url")):
        if url and _is_web_url(tidy(url)):
            return tidy(url)
    return None


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url
    except ValueError:
        return False


def _is_address(text: str) -> bool:
    """A URL, e-mail address or social-media handle: not a name."""
    return bool(re.match(r"(?i)^(?:https?:|www\.|@\w)|^\S+@\S+$", text))


def host_key(url: str | None) -> str | None:
    """The site's name as its host spells it: "www.riverside-courier.example" -> "riversidecourier"."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    if not host:
        return None
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    return re.sub(r"\W|_", "", labels[0].casefold()) if labels else None


# ---------------------------------------------------------------- headline

@dataclass(frozen=True)
class Headline:
    text: str
    element: etree._Element | None  # the visible heading it was read from, if any


def choose_title(root: etree._Element, head: HeadMeta, site: str | None, host: str | None) -> Headline | None:
    """The headline: a visible heading that agrees with the page's metadata titles, else the
    best metadata title with the site's name cut off, else the main <h1>."""
    stated = [v for key in _TITLE_KEYS for v in head.metas.get(key, ())]
    stated += [t for value in head.ld("headline") if (t := _ld_text(value))]
    if head.html_title:
        stated.append(head.html_title)
    agreeing = {word_key(p) for s in stated for p in _prefixes(s)} - {""}
    headings = [(visible_text(el), el) for level in ("h1", "h2", "h3") for el in root.iter(level)]
    headings = [(t, el) for t, el in headings if t and not _is_site(t, site, host)]
    for text, el in headings:  # h1s first: they come first in the list
        if word_key(text) in agreeing:
            return Headline(text, el)
    for text, el in headings:
        if el.tag == "h1" and any(_similar(text, s) for s in stated):
            return Headline(text, el)
    for text in stated:
        cut = _strip_site(text, site, host)
        if cut and not _is_site(cut, site, host):
            return Headline(cut, None)
    main_h1 = [(t, el) for t, el in headings if el.tag == "h1"]
    in_article = [(t, el) for t, el in main_h1 if any(a.tag in ("article", "main") for a in el.iterancestors())]
    chosen = (in_article or main_h1 or [None])[0]
    return Headline(*chosen) if chosen else None


def _prefixes(title: str) -> list[str]:
    """ "A | B | C" -> ["A", "A | B", "A | B | C"]: the headline is one of them."""
    cuts = [m.start() for m in _TITLE_SEPARATOR.finditer(title)]
    return [title[:c] for c in cuts] + [title]


def _similar(a: str, b: str) -> bool:
    """Most words shared (Dice >= 0.8): a headline and its shortened social-media title."""
    wa, wb = set(word_key(a).split()), set(word_key(b).split())
    return bool(wa and wb) and 2 * len(wa & wb) / (len(wa) + len(wb)) >= 0.8


def _is_site(text: str, site: str | None, host: str | None) -> bool:
    key = re.sub(r"\W|_", "", text.casefold())
    site_key = re.sub(r"\W|_", "", site.casefold()) if site else None
    return bool(key) and key in {site_key, host}


def _strip_site(title: str, site: str | None, host: str | None) -> str:
    """A metadata title without its trailing " | Section | Site" parts.

    A trailing part goes when it names the site, or is short (three words at most)
    while what stays is a longer headline.
    """
    cuts = list(_TITLE_SEPARATOR.finditer(title))
    end = len(title)
    while cuts:
        last, rest = title[cuts[-1].end():end], title[:cuts[-1].start()]
        squashed = re.sub(r"\W|_", "", last.casefold())
        names_site = _is_site(last, site, host) or bool(site and word_key(last) and word_key(last) in word_key(site)) or (
            bool(host) and host in squashed)
        if not (names_site or (len(last.split()) <= 3 and len(rest.split()) >= 4)):
            break
        end = cuts.pop().start()
    return title[:end]


# ---------------------------------------------------------------- date

def stated_date(head: HeadMeta, rules: Rules) -> datetime.date | None:
    """The publication date the page's metadata states (meta tags, then JSON-LD)."""
    values = [v for key in _DATE_KEYS for v in head.metas.get(key, ())]
    values += [v for v in head.ld("datePublished") if isinstance(v, str)]
    parsed = [d for d in (parse_date(v, rules) for v in values[:50]) if d is not None]
    if not parsed or isinstance(parsed[0], datetime.datetime):
        return parsed[0] if parsed else None
    # A full timestamp of that day beats the bare day: pages often state both, the day in local
    # time, so a day either side counts. One of another day is another thing's date (a video's,
    # a lower-ranked tag's), never the article's.
    day = parsed[0]
    return next((d for d in parsed if isinstance(d, datetime.datetime)
                 and abs((d.astimezone(_UTC).date() - day).days) <= 1), day)


def parse_date(value: str, rules: Rules) -> datetime.date | None:
    """ISO 8601, RFC 2822 or a written English date -> a date, or an aware datetime in whole
    seconds; None when it is not a date in the years digest accepts. A time without a zone
    keeps only its day: digest never guesses the zone."""
    text = value.strip()
    moment: datetime.date | None = None
    if re.match(r"^\d{4}-\d\d-\d\d", text):
        iso = _TIMEZONE_COLON.sub(r"\1:\2", text.replace("Z", "+00:00").replace("z", "+00:00"))
        try:
            moment = datetime.datetime.fromisoformat(iso)
        except ValueError:
            moment = _date_only(text[:10])
    if moment is None:
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            moment = None
    if moment is None:
        found = find_date(text, rules) if len(text) < 200 else None
        moment = found[0] if found else None
    return _in_range(moment)


def _date_only(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _in_range(moment: datetime.date | None) -> datetime.date | None:
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            moment = moment.date()
        else:
            try:
                day = moment.astimezone(_UTC).date()
            except (OverflowError, ValueError):
                return None
            return moment.replace(microsecond=0) if _EARLIEST <= day <= _LATEST else None
    if moment is None or not _EARLIEST <= moment <= _LATEST:
        return None
    return moment


# ---------------------------------------------------------------- author, tags

def stated_author(root: etree._Element, head: HeadMeta, rules: Rules,
                  in_story: Callable[[etree._Element], bool]) -> str | None:
    """The author the page names: JSON-LD, meta tags, then a marked byline element where the
    story's byline stands (``in_story``): one elsewhere names a teaser's or a comment's author,
    or links "About our authors"."""
    names = [", ".join(_names(value)) for value in head.ld("author") if not _is_organization(value)][:1]
    names += [v for key in _AUTHOR_KEYS for v in head.metas.get(key, ())]
    names += [visible_text(el) for el in root.xpath(
        "//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')]") if in_story(el)][:5]
    for name in names:
        author = as_author(name, rules)
        if author:
            return author
    return None


def organization_author(head: HeadMeta, rules: Rules) -> str | None:
    """A JSON-LD author that is an organization ("BBC News"): the author when the page shows no
    byline naming a person."""
    names = [", ".join(_names(value)) for value in head.ld("author") if _is_organization(value)][:1]
    return next((author for name in names if (author := as_author(name, rules))), None)


def _is_organization(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(item, dict) and any("Organization" in k for k in _types(item))
                               for item in items)


def as_author(text: str, rules: Rules) -> str | None:
    """The name(s) in a byline or author field; None for addresses, dates and long text."""
    text = re.sub(r"\s+([,;])", r"\1", text)  # "Jane Doe , John Roe": separate elements joined
    if not text or _is_address(text) or "://" in text:
        return None
    named = byline_author(text, rules) or text
    if len(named.split()) > rules.byline_max_words or any(c.isdigit() for c in named):
        return None
    return named if any(c.isalpha() for c in named) else None


def page_tags(head: HeadMeta) -> tuple[str, ...] | None:
    """The page's own article:tag values, in order; None when it has none."""
    tags = [t for value in head.metas.get("article:tag", ()) for t in (p.strip() for p in value.split(","))]
    tags = [t for t in tags if t and t[0].isalnum()]  # "@hp-top-stories", "_promo": the CMS's own codes
    return tuple(dict.fromkeys(tags)) if tags else None


# ---------------------------------------------------------------- lead image

def caption_and_credit(figcaption: etree._Element, rules: Rules) -> tuple[str | None, str | None]:
    """A figcaption's caption and credit: a marked credit element, else a credit written
    after the caption ("... harbour. Photo: X", "... harbour (X/AP)")."""
    shown = _without_screen_reader_text(figcaption)
    marked = [el for el in shown.iterdescendants() if _is_credit_element(el)]
    if marked:
        credit = visible_text(marked[0])
        kept = _text_without(shown, marked[0])
        return kept or None, _unwrap(credit) or None
    caption, credit = split_credit(_without_caption_label(visible_text(shown)), rules)
    if credit is None and (box := _caption_box(figcaption)) is not None:
        # A credit shown beside the caption, elsewhere in its figure (over the image).
        beside = [el for el in box.iterdescendants() if _is_credit_element(el) and not inside(el, figcaption)]
        credit = (_unwrap(visible_text(_without_screen_reader_text(beside[0]))) or None if beside
                  else _labelled_credit(box, figcaption))
    return caption or None, credit


def _without_caption_label(text: str) -> str:
    """A caption without its "Image caption, " label (a credit's label stays: it says what follows)."""
    labelled = _IMAGE_LABEL.match(text)
    return text[labelled.end():] if labelled is not None and labelled.group("kind").casefold() == "caption" else text


def _labelled_credit(box: etree._Element, figcaption: etree._Element) -> str | None:
    """A credit elsewhere in the figure that says it is one ("Image source, Coastguard Agency",
    the label often for screen readers alone), without its label."""
    for el in box.iterdescendants():
        if isinstance(el.tag, str) and not inside(el, figcaption) and not inside(figcaption, el):
            labelled = _IMAGE_LABEL.match(text := visible_text(el))
            if labelled is not None and labelled.group("kind").casefold() in _CREDIT_LABELS:
                return text[labelled.end():].strip() or None
    return None


# A label saying what an image's text is: "Image caption, ...", "Image source, ...", "Photo credit: ..."
_IMAGE_LABEL = re.compile(r"(?i)^\s*(?:image|photo|picture|video) (?P<kind>caption|source|credit)s?\s*[,:]\s*")
_CREDIT_LABELS = frozenset({"source", "credit"})


def _is_credit_element(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and (el.tag in ("small", "cite") or bool(_CREDIT_CLASS.search(
        f"{el.get('class', '')} {el.get('itemprop', '')}")))


def _caption_box(caption: etree._Element) -> etree._Element | None:
    """The <figure> (or WordPress caption box) a caption belongs to."""
    parent = caption.getparent()
    while parent is not None and parent.tag not in ("figure", "body"):
        if "wp-caption" in (parent.get("class") or "").split():
            return parent
        parent = parent.getparent()
    return parent if parent is not None and parent.tag == "figure" else None


def inside(el: etree._Element, container: etree._Element) -> bool:
    """Whether ``el`` is ``container`` or within it."""
    return el is container or any(a is container for a in el.iterancestors())


def is_caption(el: etree._Element) -> bool:
    """A lead image's caption element: <figcaption>, or WordPress's caption text."""
    return el.tag == "figcaption" or (isinstance(el.tag, str) and bool(_CAPTION_CLASS.search(el.get("class") or "")))


def caption_holding(el: etree._Element) -> etree._Element | None:
    """The caption element ``el`` is, or is inside."""
    return next((a for a in (el, *el.iterancestors()) if is_caption(a)), None)


def shows_image(caption: etree._Element) -> bool:
    """The caption's figure holds a picture (not a "Watch live" banner's icon)."""
    box = _caption_box(caption)
    return box is not None and any(el.tag in ("img", "picture") for el in box.iter())


def _without_screen_reader_text(el: etree._Element) -> etree._Element:
    """A copy of the element without its screen-reader-only parts (the element when it has none)."""
    if not any(_SCREEN_READER_CLASS.search(d.get("class") or "") for d in el.iterdescendants()
               if isinstance(d.tag, str)):
        return el
    copy = deepcopy(el)
    for hidden in [d for d in copy.iterdescendants()
                   if isinstance(d.tag, str) and _SCREEN_READER_CLASS.search(d.get("class") or "")]:
        if hidden.getparent() is not None:
            hidden.drop_tree()
    return copy


def split_credit(text: str, rules: Rules) -> tuple[str | None, str | None]:
    """A caption's text -> (caption, credit); either may be None."""
    if not text:
        return None, None
    split = split_caption_credit(text, rules)
    if split:
        return split[0], _unwrap(split[1])
    marked = _MARKED_CREDIT.match(text)
    if marked:
        return marked["caption"], marked["credit"]
    bracketed = _BRACKETED_CREDIT.match(text)
    if bracketed and (_CREDIT_WORD.search(bracketed["credit"]) or is_credit_line(bracketed["credit"], rules)):
        return bracketed["caption"] or None, bracketed["credit"].strip()
    if is_credit_line(text, rules):
        return None, _unwrap(text)
    return text, None


def _unwrap(credit: str) -> str:
    return credit[1:-1].strip() if credit.startswith("(") and credit.endswith(")") else credit


def _text_without(root: etree._Element, part: etree._Element) -> str:
    """The element's text with the text of ``part`` (a descendant) taken out."""
    whole, cut = visible_text(root), visible_text(part)
    before, found, after = whole.rpartition(cut)
    return tidy(f"{before} {after}") if found else whole
