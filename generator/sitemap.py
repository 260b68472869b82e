"""sitemap.xml and robots.txt."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from markupsafe import escape

from .config import SiteConfig
from .listings import Listings
from .model import Article, OutputFile, PendingFile, Site
from .page_keys import PageKeys, page_key
from .render import render
from .theme import Theme
from .urls import absolute_url

SITEMAP_URLS = 50_000  # the most URLs one sitemap may list (sitemaps.org); past it, an index of parts

# A page of the sitemap: its path, and the articles whose dates date it (None: the whole site's).
SitemapPage = tuple[str, Sequence[Article] | None]


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None  # the newest date of the articles the page shows


def _newest(articles: Iterable[Article]) -> datetime | None:
    dates = [d for a in articles for d in (a.updated, a.date) if d is not None]
    return max(dates, default=None)


def sitemap_pages(site: Site, listings: Listings) -> list[SitemapPage]:
    """Every HTML page but the 404 and search pages, which no search engine should list, with
    what dates it; finding the dates is left to ``sitemap_entries``, in the writer's processes."""
    pages: list[SitemapPage] = [(pager.path, pager.articles if pager.number > 1 else None)
                                for pager in listings.index]
    pages += [(a.url_path, (a,)) for a in site.articles]
    pages.append(("tags/", None))
    for listing in listings.tags:
        pages += [(p.path, p.articles if p.number > 1 else listing.group.articles) for p in listing.pages]
    pages += [(s.url_path, s.articles) for s in site.stories]
    pages += [(d.path, d.articles) for d in (*listings.days, *listings.weeks)]
    pages.append(("archive/", None))
    for year in listings.years:
        pages.append((year.path, tuple(a for m in year.months for d in m.days for a in d.articles)))
        pages += [(m.path, tuple(a for d in m.days for a in d.articles)) for m in year.months]
    return pages


def sitemap_entries(dates: ArticleDates, config: SiteConfig, pages: Sequence[SitemapPage]
                    ) -> tuple[SitemapEntry, ...]:
    """The pages' URLs, each dated by the newest date of the articles it shows (a page showing the
    whole site: of all the site's articles, whose ``dates`` a site's sitemaps share)."""
    return tuple(SitemapEntry(absolute_url(config.base_url, path),
                              dates.site_wide if shown is None else _newest_of(shown, dates.own))
                 for path, shown in pages)


@dataclass(frozen=True, eq=False)
class ArticleDates:
    """Each article's own newest date, found once for all of a site's sitemaps (in each process
    rendering one): the pages show 80,000 articles at 10,000 (every topic's and month's), and
    taking their dates again for each took half the sitemap's time."""

    articles: Sequence[Article]

    @functools.cached_property
    def own(self) -> dict[int, datetime | None]:
        return {id(article): _newest((article,)) for article in self.articles}

    def __getstate__(self) -> dict[str, object]:
        # Sent to another process, the dates are found again there: they are keyed by this one's ids.
        return {"articles": self.articles}

    @functools.cached_property
    def site_wide(self) -> datetime | None:
        return max(filter(None, self.own.values()), default=None)  # the first of equal ones, as _newest


def _newest_of(shown: Sequence[Article], own: dict[int, datetime | None]) -> datetime | None:
    """``_newest(shown)``, by each article's own newest date in ``own`` (the first of equal ones)."""
    try:
        return max(filter(None, map(own.__getitem__, map(id, shown))), default=None)
    except KeyError:  # an article not among the site's: taken as it is
        return _newest(shown)


def seo_files(site: Site, listings: Listings, config: SiteConfig, theme: Theme, keys: PageKeys | None = None
              ) -> Iterator[OutputFile | PendingFile]:
    """sitemap.xml, rendered by the writer's processes, and robots.txt. A site of more than
    ``SITEMAP_URLS`` pages gets sitemap-1.xml, sitemap-2.xml, ... and sitemap.xml indexes them.
    With ``keys``, a sitemap is keyed by its entries: the same as the last build's, it is not
    rendered again."""
    pages = sitemap_pages(site, listings)
    parts = [pages[start:start + SITEMAP_URLS] for start in range(0, len(pages), SITEMAP_URLS)] or [[]]
    names = ["sitemap.xml"] if len(parts) == 1 else [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    dates = ArticleDates(site.articles)
    for name, part in zip(names, parts):
        sitemap = _Sitemap(theme, config, dates, name, part)
        yield PendingFile(PurePosixPath(name), "sitemap", sitemap.render,
                          None if keys is None else functools.partial(sitemap.key, keys), page=False)
    if len(parts) > 1:
        yield OutputFile(PurePosixPath("sitemap.xml"), sitemap_index(config, names), "sitemap")
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config.base_url, 'sitemap.xml')}\n"
    yield OutputFile(PurePosixPath("robots.txt"), robots.encode("utf-8"), "robots.txt")


@dataclass(frozen=True, eq=False)
class _Sitemap:
    """One sitemap file of ``pages``. Its key is of its entries, not of the articles that date
    them: an edited article changes none, unless it changes its date. Rendering it every build
    cost 0.15 s of a rebuild at 10,000 articles, finding the entries about half of that."""

    theme: Theme
    config: SiteConfig
    dates: ArticleDates
    name: str
    pages: Sequence[SitemapPage]

    @functools.cached_property
    def entries(self) -> tuple[SitemapEntry, ...]:  # found once, for the key and the render both
        return sitemap_entries(self.dates, self.config, self.pages)

    def key(self, keys: PageKeys) -> str | None:
        return page_key(keys, "sitemap.xml", self.name, [(entry.url, entry.lastmod) for entry in self.entries])

    def render(self) -> OutputFile:
        return render(self.theme, "sitemap.xml", self.name, "sitemap", entries=self.entries)


def sitemap_index(config: SiteConfig, names: Iterable[str]) -> bytes:
    """A sitemap index of the sitemaps ``names`` (made here, not by the theme: only a large
    site has one)."""
    listed = "".join(f"<sitemap>\n<loc>{escape(absolute_url(config.base_url, name))}</loc>\n</sitemap>\n"
                     for name in names)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{listed}</sitemapindex>\n'
            ).encode("utf-8")
