"""sitemap.xml and robots.txt."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from .config import SiteConfig
from .listings import Listings
from .model import Article, OutputFile, Site
from .render import render
from .theme import Theme
from .urls import absolute_url


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None  # the newest date of the articles the page shows


def _newest(articles: Iterable[Article]) -> datetime | None:
    dates = [d for a in articles for d in (a.updated, a.date) if d is not None]
    return max(dates, default=None)


def sitemap_entries(site: Site, listings: Listings, config: SiteConfig) -> tuple[SitemapEntry, ...]:
    """Every HTML page but the 404 and search pages, which no search engine should list."""
    def dated(path: str, newest: datetime | None) -> SitemapEntry:
        return SitemapEntry(absolute_url(config.base_url, path), newest)

    def entry(path: str, articles: Iterable[Article]) -> SitemapEntry:
        return dated(path, _newest(articles))

    # Pages that show the whole site, found once: at 100,000 articles each search took 0.2 s.
    site_wide = _newest(site.articles)
    entries = [entry(pager.path, pager.articles) if pager.number > 1 else dated(pager.path, site_wide)
               for pager in listings.index]
    entries += [entry(a.url_path, (a,)) for a in site.articles]
    entries.append(dated("tags/", site_wide))
    for listing in listings.tags:
        entries += [entry(p.path, p.articles if p.number > 1 else listing.group.articles) for p in listing.pages]
    entries += [entry(s.url_path, s.articles) for s in site.stories]
    entries += [entry(d.path, d.articles) for d in (*listings.days, *listings.weeks)]
    entries.append(dated("archive/", site_wide))
    for year in listings.years:
        entries.append(entry(year.path, (a for m in year.months for d in m.days for a in d.articles)))
        entries += [entry(m.path, (a for d in m.days for a in d.articles)) for m in year.months]
    return tuple(entries)


def seo_files(site: Site, listings: Listings, config: SiteConfig, theme: Theme) -> Iterator[OutputFile]:
    yield render(theme, "sitemap.xml", "sitemap.xml", "sitemap", entries=sitemap_entries(site, listings, config))
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config.base_url, 'sitemap.xml')}\n"
    yield OutputFile(PurePosixPath("robots.txt"), robots.encode("utf-8"), "robots.txt")
