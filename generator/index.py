"""Articles -> Site: order, tag groups, related links, build date; URL and tag collisions."""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import datetime, timezone

from .config import SiteConfig
from .errors import DigestError, Problem
from .model import Article, Site, TagGroup
from .related import related_links

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def newest_first(article: Article) -> tuple:
    """Dated articles newest first; undated ones after them (as Hugo treats a zero date), by title."""
    if article.date is None:
        return (1, 0.0, article.title.casefold(), article.slug)
    return (0, -article.date.timestamp(), article.title.casefold(), article.slug)


def index_site(articles: list[Article], config: SiteConfig) -> Site:
    _check_unique(articles)
    ordered = tuple(sorted(articles, key=newest_first))
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        for tag in article.tags:
            groups[tag.slug].append(article)
    tag_groups = tuple(
        TagGroup(next(t for t in members[0].tags if t.slug == slug), tuple(members))
        for slug, members in sorted(groups.items()))
    warnings = tuple(
        Problem("no date; listed after dated articles and fed without a publication date",
                a.source_path, None, "add date: YYYY-MM-DD to its front matter if the source states one")
        for a in ordered if a.date is None)
    return Site(
        articles=ordered,
        tag_groups=tag_groups,
        related=related_links(ordered, config.related_top_k),
        build_date=build_date(ordered),
        warnings=warnings,
    )


def build_date(articles: tuple[Article, ...]) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the newest date in the content: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise DigestError.at(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    dates = [d for a in articles for d in (a.date, a.updated) if d is not None]
    return max(dates, default=EPOCH).astimezone(timezone.utc)


def _check_unique(articles: list[Article]) -> None:
    """Two articles at one URL, with one id, or two tag names on one tag page are errors."""
    problems: list[Problem] = []
    for attribute, what in (("slug", "URL articles/{}/"), ("id", "id {}")):
        owners: dict[str, Article] = {}
        for article in sorted(articles, key=lambda a: str(a.source_path)):
            key = getattr(article, attribute)
            if key in owners:
                first = owners[key]
                problems.append(Problem(
                    f"{what.format(key)} is claimed by both {first.source_path} and {article.source_path}",
                    article.source_path, None,
                    f"give one of them a different {'slug' if attribute == 'slug' else 'id'} in its front matter"))
            else:
                owners[key] = article
    tag_names: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in sorted(articles, key=lambda a: str(a.source_path)):
        for tag in article.tags:
            tag_names[tag.slug].setdefault(tag.name, article)
    for slug, names in sorted(tag_names.items()):
        if len(names) > 1:
            (name_a, art_a), (name_b, art_b) = list(names.items())[:2]
            problems.append(Problem(
                f"tags {name_a!r} ({art_a.source_path}) and {name_b!r} ({art_b.source_path}) "
                f"would share the page tags/{slug}/", art_b.source_path, None,
                "rename one, or make one an alias of the other under topics in site.yaml"))
    if problems:
        raise DigestError(*problems)
