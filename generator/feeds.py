"""RSS 2.0, Atom 1.0 and JSON Feed 1.1, site-wide and per tag.

Values are prepared here (absolute URLs, dates, ids); the theme's ``feeds/*.xml``
templates lay out RSS and Atom (autoescaped as XML), and JSON Feed is serialized
here, since JSON has one right spelling. Which formats, how many items and whether
items carry the full text are set in ``feeds`` in site.yaml, per feed if wanted. Whatever an
article holds, the text fed is legal XML, and a title longer than MAX_FEED_TITLE_LENGTH is cut
at a word, before escaping, with an ellipsis.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath

from .bodies import body_text
from .config import FEED_FILES, SITE_FEED, FeedSettings, SiteConfig
from .errors import Problem
from .markup import absolutize_urls, markdown_to_html
from .model import Article, OutputFile, PendingFile, Site, guid
from .page_keys import PageKeys, page_key
from .render import render
from .taxonomy import Vocabulary
from .text import clean_text, has_end_tag, normalize_key
from .theme import Theme, rfc3339
from .urls import absolute_url

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Feed readers show a title on a line or two of a list; the longest real headlines run to about
# 150 characters, so a longer title (a paragraph taken for one) is cut, ellipsis included.
MAX_FEED_TITLE_LENGTH = 200
_ELLIPSIS = "\u2026"
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters that belong to the one before them: a cut before one would change what that shows.
_JOINED = {"\u200c", "\u200d", "\ufe0e", "\ufe0f"}


_html = functools.lru_cache(maxsize=4096)(markdown_to_html)  # the site's feeds and the tags' share items


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    guid: str  # urn:uuid:..., from the article's stable id
    published: datetime | None  # None for an undated article: RSS leaves pubDate out
    updated: datetime  # Atom requires one; an undated article takes the feed's build date
    author: str | None
    categories: tuple[str, ...]
    summary: str
    content: str | None  # plain str (escaped by the XML template), None when summary-only
    atom_updated: datetime  # ``updated``, made unique across the site (see unique_updated)

    @property
    def html(self) -> str:
        """What RSS's HTML ``description`` carries: the content, or the summary as HTML."""
        return self.content if self.content is not None else html.escape(self.summary, quote=False)


@dataclass(frozen=True)
class Feed:
    title: str
    description: str
    page_url: str  # the HTML page the feed mirrors
    rss_url: str
    atom_url: str
    json_url: str
    language: str
    author: str
    updated: datetime
    items: tuple[FeedItem, ...]


def unique_updated(articles: tuple[Article, ...], build_date: datetime) -> dict[str, datetime]:
    """Each article's Atom ``updated``, no two alike across the site.

    The W3C validator warns about two entries of a feed with one ``updated`` (DuplicateUpdated),
    which date-only articles of one day and undated ones (given the build date) would share.
    Walking the site oldest first, a taken instant moves forward a second until it is free, so
    ``updated`` never falls before ``published`` and every feed, a subset of the site, is free of
    duplicates. Dated articles go first, so an undated one (given the build date, the newest
    date) never moves a dated one. Only Atom's ``updated`` moves; published dates never do.
    """
    taken: set[datetime] = set()
    last_given: dict[datetime, datetime] = {}  # an instant -> the latest one handed out for it
    result = {}
    oldest_first = articles[::-1]
    dated = [a for a in oldest_first if a.modified]
    undated = [a for a in oldest_first if not a.modified]
    for article in (*dated, *undated):
        # In UTC: a local time in the hour a zone repeats when its clocks go back never equals
        # the same instant in another zone (PEP 495), so the set would miss the clash.
        wanted = (article.modified or build_date).astimezone(timezone.utc)
        moment = last_given.get(wanted, wanted)  # skip the run already handed out: linear, not quadratic
        while moment in taken:
            moment += timedelta(seconds=1)
        taken.add(moment)
        last_given[wanted] = moment
        result[article.id] = moment
    return result


def feed_text(value: str) -> str:
    """Plain text as every feed writes it: no character XML forbids (control characters,
    noncharacters, lone surrogates, which could not even be encoded), whitespace single spaces.

    Loaded articles hold such text already; this keeps a feed well-formed whatever an
    Article is built from."""
    return " ".join(_xml_safe(value).split())


def _xml_safe(text: str) -> str:
    """``text`` without characters XML forbids; lone surrogates go too (no UTF-8 spells one)."""
    text = clean_text(text)
    return _SURROGATE.sub("", text) if not text.isascii() else text


def feed_title(text: str, limit: int = MAX_FEED_TITLE_LENGTH) -> str:
    """``text`` (plain, before any escaping) cut to at most ``limit`` characters, ellipsis included.

    The cut falls at the last space that keeps at least half the room, else mid-word (scripts
    written without spaces), never between a character and a combining mark or joiner after it.
    Cutting the raw text means no ``&amp;`` or ``&#x26;`` of an escaped title is ever cut in half.
    """
    if len(text) <= limit:
        return text
    room = limit - len(_ELLIPSIS)
    space = text.rfind(" ", 0, room + 1)  # a space right after the room ends a whole word too
    end = space if space >= room // 2 else room
    while 0 < end and (unicodedata.combining(text[end]) or text[end] in _JOINED or text[end - 1] in _JOINED):
        end -= 1
    end = end or room  # nothing but marks and joiners: cut anywhere
    kept = text[:end].rstrip(" ,;:-\u2013\u2014")
    return (kept or text[:end]) + _ELLIPSIS


def feed_item(article: Article, config: SiteConfig, build_date: datetime, *, full_content: bool,
              atom_updated: datetime | None = None) -> FeedItem:
    link = absolute_url(config.base_url, article.url_path)
    updated = article.modified or build_date
    content = absolutize_urls(_html(_xml_safe(body_text(article.body))), link) if full_content else None
    return FeedItem(
        title=feed_title(feed_text(article.title)),
        link=link,
        guid=guid(article.id),
        published=article.date,
        updated=updated,
        author=feed_text(article.author or "") or None,
        categories=tuple(name for name in (feed_text(tag.name) for tag in article.tags) if name),
        summary=feed_text(article.summary or ""),
        # An empty body is fed as summary-only feeds feed every article (an empty Atom content
        # draws the validator's NotBlank).
        content=content if content and not content.isspace() else None,
        atom_updated=atom_updated or updated,
    )


def make_feed(items: tuple[FeedItem, ...], config: SiteConfig, build_date: datetime, *, prefix: str,
              title: str, description: str) -> Feed:
    def url(path: str) -> str:
        return absolute_url(config.base_url, path)

    return Feed(
        title=feed_title(feed_text(title)),
        description=feed_text(description),
        page_url=url(prefix),
        rss_url=url(prefix + FEED_FILES["rss"][0]),
        atom_url=url(prefix + FEED_FILES["atom"][0]),
        json_url=url(prefix + FEED_FILES["json"][0]),
        language=config.language,
        author=feed_text(config.author or config.title),
        updated=max((item.atom_updated for item in items), default=build_date),
        items=items,
    )


def feed_settings(config: SiteConfig) -> Callable[[str | None], FeedSettings]:
    """The settings of a tag's feed by the tag's name, or of the site's feed (None): ``per_feed``
    names the site feed ``site`` and a tag in any spelling the vocabulary knows (aliases included,
    through the same lookup tags themselves go through). Apart: a topic with the alias "site",
    or a tag named "Site", neither takes the site feed's settings nor gives it theirs."""
    vocabulary = Vocabulary.from_topics(config.topics)
    site = next((settings for name, settings in config.feeds.per_feed if _is_site(name)), None)
    chosen = {_feed_key(name, vocabulary): settings for name, settings in config.feeds.per_feed
              if not _is_site(name)}
    default = FeedSettings(config.feeds.items, config.feeds.full_content)
    return lambda tag: (site or default) if tag is None else chosen.get(_feed_key(tag, vocabulary), default)


def _is_site(name: str) -> bool:
    return normalize_key(name) == SITE_FEED


def _feed_key(name: str, vocabulary: Vocabulary) -> str:
    return normalize_key(vocabulary.canonical_name(name))


@dataclass(frozen=True)
class FeedSpec:
    """One feed's own inputs beside its articles: it is rendered from these by whichever process
    writes it, and its key hashes them."""

    prefix: str  # "" for the site's feeds, "tags/x/" for a tag's
    title: str
    description: str
    full_content: bool
    atom_updated: tuple[datetime, ...]  # per article, see unique_updated


def feed_files(site: Site, config: SiteConfig, theme: Theme, keys: PageKeys | None = None) -> Iterator[PendingFile]:
    """Every feed in every format, to be rendered by the writer; with ``keys``, a feed whose
    articles and settings are the last build's is not rendered again."""
    feeds = [("", None, site.articles, config.title, config.description or config.title)]
    feeds += [(g.tag.url_path, g.tag.name, g.articles, f"{config.title}: {g.tag.name}",
               f"Articles about {g.tag.name}") for g in site.tag_groups]
    atom_updated = unique_updated(site.articles, site.build_date)
    settings_of = feed_settings(config)
    for prefix, key, articles, title, description in feeds:
        settings = settings_of(key)
        chosen = tuple(articles[:settings.items or None])  # 0: all, as pagination.per_page 0 lists all
        spec = FeedSpec(prefix, title, description, settings.full_content,
                        tuple(atom_updated[article.id] for article in chosen))
        origin = f"feed {prefix or '/'}"
        for fmt in config.feeds.formats:
            name = prefix + FEED_FILES[fmt][0]
            yield PendingFile(PurePosixPath(name), origin,
                              functools.partial(render_feed, theme, config, fmt, spec, chosen, site.build_date),
                              None if keys is None else functools.partial(page_key, keys, f"feed:{fmt}", spec,
                                                                          chosen, site.build_date),
                              page=False)


def render_feed(theme: Theme, config: SiteConfig, fmt: str, spec: FeedSpec, articles: tuple[Article, ...],
                build_date: datetime) -> OutputFile:
    """One feed file: RSS or Atom through the theme's template, JSON Feed serialized here."""
    items = tuple(_feed_item(article, config, build_date, spec.full_content, updated)
                  for article, updated in zip(articles, spec.atom_updated))
    feed = make_feed(items, config, build_date, prefix=spec.prefix, title=spec.title, description=spec.description)
    name, origin = spec.prefix + FEED_FILES[fmt][0], f"feed {spec.prefix or '/'}"
    if fmt == "json":
        return OutputFile(PurePosixPath(name), json_feed(feed), origin)
    return render(theme, f"feeds/{FEED_FILES[fmt][0]}", name, origin, feed=feed)


@functools.lru_cache(maxsize=4096)
def _feed_item(article: Article, config: SiteConfig, build_date: datetime, full_content: bool,
               atom_updated: datetime) -> FeedItem:
    # An article is in up to a dozen feeds (the site's and its tags', each in every format).
    return feed_item(article, config, build_date, full_content=full_content, atom_updated=atom_updated)


def unknown_feed_names(site: Site, config: SiteConfig) -> tuple[str, ...]:
    """``feeds.per_feed`` keys that name neither the site feed nor any tag of the site: likely typos."""
    vocabulary = Vocabulary.from_topics(config.topics)
    known = {_feed_key(g.tag.name, vocabulary) for g in site.tag_groups}
    return tuple(name for name, _ in config.feeds.per_feed
                 if not _is_site(name) and _feed_key(name, vocabulary) not in known)


_EMAIL = re.compile(r"<[^<>@\s]+@[^<>\s]+>")


def feed_text_problems(site: Site) -> tuple[Problem, ...]:
    """Text that feed validators will flag and no escaping can spare, and titles feeds cut short.

    RSS titles and categories and authors' names in both formats are plain text that readers may
    render as HTML, so an HTML end tag in them draws ContainsHTML; an e-mail address in an author
    name draws ContainsEmail. A title longer than MAX_FEED_TITLE_LENGTH is cut (see feed_title)."""
    problems = []
    for article in site.articles:
        length = len(feed_text(article.title))
        if length > MAX_FEED_TITLE_LENGTH:
            problems.append(Problem(f"the title is {length:,} characters long; feeds carry it cut at a word to "
                                    f"{MAX_FEED_TITLE_LENGTH} at most", article.source_path, None,
                                    "shorten it, or move the rest into the summary or body"))
        for field, text in (("title", article.title), ("author", article.author or ""),
                            *(("tag", t.name) for t in article.tags)):
            if has_end_tag(text):
                problems.append(Problem(f"the {field} {text!r} holds what reads as an HTML end tag; RSS readers "
                                        "may show it as markup", article.source_path, None,
                                        "reword it, or leave it and accept the feed validator's warning"))
        if article.author and _EMAIL.search(article.author):
            problems.append(Problem(f"the author {article.author!r} holds an e-mail address, which feeds should "
                                    "not publish", article.source_path, None, "keep only the name"))
    return tuple(problems)


def json_feed(feed: Feed) -> bytes:
    """A JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/)."""
    items = []
    for item in feed.items:
        entry: dict = {"id": item.guid, "url": item.link, "title": item.title}
        if item.content is not None:
            entry["content_html"] = item.content
        else:
            entry["content_text"] = item.summary  # content is required; summary-only feeds carry the summary
        if item.summary:
            entry["summary"] = item.summary
        if item.published:
            entry["date_published"] = rfc3339(item.published)
        entry["date_modified"] = rfc3339(item.updated)
        if item.author:
            entry["authors"] = [{"name": item.author}]
        if item.categories:
            entry["tags"] = list(item.categories)
        items.append(entry)
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": feed.json_url,
        "description": feed.description,
        "language": feed.language,
        "authors": [{"name": feed.author}],
        "items": items,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
