"""The HTML pages of a site: index, articles, tags, digests, archives, search, 404."""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from markupsafe import Markup

from .bodies import body_text
from .config import SiteConfig
from .digests import Digest
from .listings import Listings
from .markup import markdown_to_html
from .model import Article, PendingFile, RelatedLink, Site, Story, TagGroup
from .page_keys import PageKeys
from .paginate import Pager
from .render import Deferred, PageMeta, defer_page, defer_planned, feed_links, page_meta, safe_html, script_json
from .text import normalize_key
from .theme import Theme, iso_date
from .urls import absolute_url, output_file


@dataclass(frozen=True)
class SiteNav:
    """What the header and footer of every page link to, besides the fixed pages."""

    latest_digest: str | None  # the newest weekly digest's path, else the newest daily one's
    search: bool


def html_pages(site: Site, listings: Listings, config: SiteConfig, theme: Theme,
               keys: PageKeys | None = None) -> Iterator[PendingFile]:
    """Every page, to be rendered by the writer (over several processes on a large site);
    ``keys`` gives each page the key of its inputs."""
    return itertools.chain.from_iterable(pages_by_kind(site, listings, config, theme, keys))


class PagesByKind(NamedTuple):
    """Every page, one lazy iterator per template (and per kind where kinds share one: days,
    weeks), each in the order of what its pages show: ``digest check`` picks the pages it
    renders to try a template by their place in that order."""

    index: Iterator[PendingFile]  # one per pager of listings.index
    articles: Iterator[PendingFile]  # one per article of site.articles
    tag_index: Iterator[PendingFile]
    tags: Iterator[PendingFile]  # each pager of each of listings.tags in turn
    stories: Iterator[PendingFile]  # one per story of site.stories
    days: Iterator[PendingFile]  # one per digest of listings.days
    weeks: Iterator[PendingFile]  # one per digest of listings.weeks
    archive: Iterator[PendingFile]
    years: Iterator[PendingFile]  # one per year of listings.years
    months: Iterator[PendingFile]  # each month of each year in turn
    search: Iterator[PendingFile]  # none when search is off
    not_found: Iterator[PendingFile]


def pages_by_kind(site: Site, listings: Listings, config: SiteConfig, theme: Theme,
                  keys: PageKeys | None = None) -> PagesByKind:
    """Every page, by kind (``PagesByKind``)."""
    newest = (*listings.weeks[:1], *listings.days[:1])
    nav = SiteNav(newest[0].path if newest else None, config.search)
    page = functools.partial(defer_page, theme, config, keys=keys, nav=nav)
    return PagesByKind(
        (page("index.html", _index_meta(config, pager), "index", pager=pager, articles=pager.articles)
         for pager in listings.index),
        _article_pages(site, config, theme, keys, nav),
        iter([page("tags.html", page_meta(config, kind="tags", path="tags/", title="Topics",
                                          description=f"All {len(site.tag_groups)} topics of {config.title}"),
                   "tag index", tag_groups=tuple(sorted(site.tag_groups, key=_by_name)))]),
        _tag_pages(listings, config, page),
        (_story_page(story, config, page) for story in site.stories),
        (_digest_page(digest, config, page) for digest in listings.days),
        (_digest_page(digest, config, page) for digest in listings.weeks),
        iter([page("archive.html", page_meta(config, kind="archive", path="archive/", title="Archive"),
                   "archive", years=listings.years, undated=listings.undated)]),
        (page("archive_year.html", page_meta(config, kind="archive", path=year.path, title=f"Archive {year.year}"),
              f"archive {year.year}", year=year) for year in listings.years),
        (page("archive_month.html", page_meta(config, kind="archive", path=month.path, title=month.title),
              f"archive {month.title}", month=month) for year in listings.years for month in year.months),
        iter([page("search.html", page_meta(config, kind="search", path="search/", title="Search"), "search page")]
             if config.search else []),
        iter([page("404.html", page_meta(config, kind="404", path="404.html", title="Page not found",
                                         absolute_links=True), "404 page")]),
    )


def _index_meta(config: SiteConfig, pager: Pager) -> PageMeta:
    return page_meta(config, kind="index", path=pager.path, title=_numbered("Latest news", pager),
                     prev_path=pager.prev_path, next_path=pager.next_path)


def _article_pages(site: Site, config: SiteConfig, theme: Theme, keys: PageKeys | None,
                   nav: SiteNav) -> Iterator[PendingFile]:
    articles = site.articles
    for position, article in enumerate(articles):
        plan = functools.partial(article_page, config, article, articles[position - 1] if position > 0 else None,
                                 articles[position + 1] if position + 1 < len(articles) else None,
                                 site.story_of.get(article.id), site.related.get(article.id, ()))
        yield defer_planned(theme, config, output_file(article.url_path), str(article.source_path), plan, keys,
                            nav=nav)


def _tag_pages(listings: Listings, config: SiteConfig, page: Callable[..., PendingFile]) -> Iterator[PendingFile]:
    for listing in listings.tags:
        tag = listing.group.tag
        feeds = feed_links(config, listing.path, f"{config.title}: {tag.name}")
        for pager in listing.pages:
            meta = page_meta(config, kind="tag", path=pager.path, title=_numbered(tag.name, pager),
                             description=f"{pager.total} article{'s' if pager.total != 1 else ''} "
                                         f"about {tag.name}",
                             feeds=feeds, prev_path=pager.prev_path, next_path=pager.next_path)
            yield page("tag.html", meta, f"tag {tag.name!r}", tag=tag, pager=pager, articles=pager.articles)


def _story_page(story: Story, config: SiteConfig, page: Callable[..., PendingFile]) -> PendingFile:
    sources = tuple(dict.fromkeys(a.source for a in story.articles if a.source))
    meta = page_meta(config, kind="story", path=story.url_path, title=f"Story: {story.title}",
                     description=f"{len(story.articles)} reports of one story")
    return page("story.html", meta, f"story {story.url_path}", story=story, sources=sources)


def _digest_page(digest: Digest, config: SiteConfig, page: Callable[..., PendingFile]) -> PendingFile:
    count = len(digest.articles)
    meta = page_meta(config, kind=digest.kind, path=digest.path, title=digest.title,
                     description=f"{count} article{'s' if count != 1 else ''} in {len(digest.sections)} "
                                 f"topic{'s' if len(digest.sections) != 1 else ''}",
                     prev_path=digest.newer[0] if digest.newer else None,
                     next_path=digest.older[0] if digest.older else None)
    return page("digest.html", meta, f"digest {digest.path}", digest=digest)


def _numbered(title: str, pager: Pager) -> str:
    return title if pager.number == 1 else f"{title}, page {pager.number} of {pager.count}"


def article_page(config: SiteConfig, article: Article, newer: Article | None, older: Article | None,
                 story: Story | None, related: Sequence[RelatedLink]) -> tuple[str, PageMeta, dict[str, Any]]:
    """The template, meta and context of an article's page (a ``PagePlan``, given what the site
    knows of the article)."""
    meta = page_meta(config, kind="article", path=article.url_path, title=article.title,
                     description=article.summary or "", json_ld=Deferred(article_json_ld, (article, config)))
    return "article.html", meta, dict(article=article, body=Deferred(article_body, (article,)), story=story,
                                      related=related, newer=newer, older=older)


def article_body(article: Article) -> Markup:
    return safe_html(markdown_to_html(body_text(article.body)))


def article_json_ld(article: Article, config: SiteConfig) -> Markup:
    return script_json(news_article(article, config))


def news_article(article: Article, config: SiteConfig) -> dict[str, Any]:
    """schema.org NewsArticle structured data: only what the article states, nothing guessed."""
    url = absolute_url(config.base_url, article.url_path)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
    }
    if article.date:
        data["datePublished"] = iso_date(article.date)
        data["dateModified"] = iso_date(article.modified)
    if article.author:
        # A byline naming the publisher or an agency ("AFP", "Reuters Staff") is no person.
        agency = article.author in (article.source, config.title) or article.author.isupper()
        data["author"] = {"@type": "Organization" if agency else "Person", "name": article.author}
    if article.summary:
        data["description"] = article.summary
    if article.tags:
        data["keywords"] = [tag.name for tag in article.tags]
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.source:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source}
    return data


def _by_name(group: TagGroup) -> tuple[str, str, str]:
    """A topic's place on the tag index: by name as a reader looks one up, accents and case aside
    ("Über" beside "uber", not after "z"), then as written, then by slug (names are unique)."""
    name = normalize_key(group.tag.name)
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return bare, name, group.tag.slug
