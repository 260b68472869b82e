"""sitemap.xml and robots.txt."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from .config import SiteConfig
from .model import Article, OutputFile, Site
from .render import render
from .theme import Theme
from .urls import absolute_url


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None


def _newest(articles: tuple[Article, ...]) -> datetime | None:
    dates = [d for a in articles for d in (a.updated, a.date) if d is not None]
    return max(dates, default=None)


def sitemap_entries(site: Site, config: SiteConfig) -> tuple[SitemapEntry, ...]:
    def entry(path: str, articles: tuple[Article, ...]) -> SitemapEntry:
        return SitemapEntry(absolute_url(config.base_url, path), _newest(articles))

    entries = [entry("", site.articles)]
    entries += [entry(a.url_path, (a,)) for a in site.articles]
    entries.append(entry("tags/", site.articles))
    entries += [entry(f"tags/{g.tag.slug}/", g.articles) for g in site.tag_groups]
    entries.append(entry("archive/", site.articles))
    return tuple(entries)


def seo_files(site: Site, config: SiteConfig, theme: Theme) -> Iterator[OutputFile]:
    yield render(theme, "sitemap.xml", "sitemap.xml", "sitemap", entries=sitemap_entries(site, config))
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config.base_url, 'sitemap.xml')}\n"
    yield OutputFile(PurePosixPath("robots.txt"), robots.encode("utf-8"), "robots.txt")

