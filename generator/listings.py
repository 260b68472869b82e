"""Every list page of a site, planned once: index and tag pages split into pages, digests, archives.

The HTML pages and the sitemap both read this plan, so they always agree on which pages exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import SiteConfig
from .digests import ArchiveYear, Digest, archive_years, digest_series
from .model import Article, Site, TagGroup
from .paginate import Pager, paginate


@dataclass(frozen=True)
class TagListing:
    group: TagGroup
    pages: tuple[Pager, ...]

    @property
    def path(self) -> str:
        return self.group.tag.url_path


@dataclass(frozen=True)
class Listings:
    index: tuple[Pager, ...]  # the front page and its later pages
    tags: tuple[TagListing, ...]
    days: tuple[Digest, ...]  # newest first; empty when daily digests are off
    weeks: tuple[Digest, ...]
    years: tuple[ArchiveYear, ...]  # newest first
    undated: tuple[Article, ...]  # articles no calendar page lists


def plan_listings(site: Site, config: SiteConfig) -> Listings:
    weeks = digest_series(site.articles, config.zone, "week") if config.weekly_digests else ()
    days = digest_series(site.articles, config.zone, "day") if config.daily_digests else ()
    return Listings(
        index=paginate(site.articles, "", config.per_page),
        tags=tuple(TagListing(g, paginate(g.articles, g.tag.url_path, config.per_page))
                   for g in site.tag_groups),
        days=days,
        weeks=weeks,
        years=archive_years(site.articles, config.zone, daily=config.daily_digests, weeks=weeks),
        undated=tuple(a for a in site.articles if a.date is None),
    )
