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
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from ..text import clean_text
from .dates import find_date
from .metadata import byline_author
from .rules import Rules

# Where pages state their publication date, most specific first (names are compared lower-cased).
_DATE_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "publish-date",
              "publish_date", "publishdate", "pubdate", "parsely-pub-date", "sailthru.date",
              "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created", "date")
_AUTHOR_KEYS = ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator")
# " | Site", " - Site", " – Site" ... : what pages put between a headline and the site's name.
_MAX_LD_CHARS = 1_000_000  # a JSON-LD block larger than this is not page metadata
_EARLIEST, _LATEST = datetime.date(1000, 1, 2), datetime.date(9999, 12, 30)  # what generator.load accepts
_UTC = datetime.timezone.utc
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_TIMEZONE_COLON = re.compile(r"([+-]\d\d)(\d\d)$")


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


def part_texts(el: etree._Element) -> list[str]:
    """The visible texts of an element's child elements, when it has several."""
    parts = [text for child in el if isinstance(child.tag, str) and (text := visible_text(child))]
    return parts if len(parts) > 1 else []


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


def ld_text(value: Any) -> str | None:
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
    text = ld_text(value)
    return [text] if text else []


def _listed(names: list[str]) -> str:
    """Names as a byline lists them: "A", "A and B", "A, B and C"."""
    return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)


# ---------------------------------------------------------------- publisher and URL

def site_name(head: HeadMeta) -> str | None:
    """The publisher's name: og:site_name, else JSON-LD publisher, else application-name."""
    candidates = [head.first("og:site_name")]
    candidates += [n for value in head.ld("publisher") for n in _names(value)]
    candidates += [ld_text(o.get("name")) for o in head.ld_objects
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
    names = [_listed(_names(value)) for value in head.ld("author") if not _is_organization(value)][:1]
    names += [v for key in _AUTHOR_KEYS for v in head.metas.get(key, ())]
    names += [visible_text(el) for el in root.xpath(
        "//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')"
        " or (contains(@class, 'author') and contains(@class, 'name'))]")  # an author card's "author-card__name"
        if in_story(el)][:5]
    for name in names:
        author = as_author(name, rules)
        if author:
            return author
    return None


def organization_author(head: HeadMeta, rules: Rules) -> str | None:
    """A JSON-LD author that is an organization ("BBC News"): the author when the page shows no
    byline naming a person."""
    names = [_listed(_names(value)) for value in head.ld("author") if _is_organization(value)][:1]
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


def inside(el: etree._Element, container: etree._Element) -> bool:
    """Whether ``el`` is ``container`` or within it."""
    return el is container or any(a is container for a in el.iterancestors())


def marked(el: etree._Element, pattern: re.Pattern[str]) -> bool:
    """Whether the class or id of ``el`` or of an element around it matches ``pattern``."""
    return any(pattern.search(f"{node.get('class', '')} {node.get('id', '')}") for node in (el, *el.iterancestors()))


# Machine-readable dates: <time datetime>, itemprop=datePublished, hAtom's <abbr class="published" title>.
MACHINE_DATES = ("descendant-or-self::time[@datetime] | descendant-or-self::*[@itemprop='datePublished']"
                 " | descendant-or-self::abbr[@title][contains(concat(' ', normalize-space(@class), ' '),"
                 " ' published ')]")


def machine_date_text(el: etree._Element) -> str:
    """The date a machine-readable date element states (``MACHINE_DATES``)."""
    return el.get("datetime") or el.get("content") or el.get("title") or visible_text(el)
