"""Articles by calendar: daily and weekly digests grouped by topic, and year/month archives.

Days are the site's calendar days (``timezone`` in site.yaml); weeks start on Monday and
are named by it ("the week of 25 March 2024"). Undated articles belong to no day.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from .dates import human_day, local_day
from .model import Article, Tag


@dataclass(frozen=True)
class TopicSection:
    """The articles of a digest filed under one topic; ``tag`` None holds the untagged ones."""

    tag: Tag | None
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Digest:
    """The news of one day or one week, by topic, with links to the digests around it."""

    kind: str  # "day" or "week"
    start: date
    end: date  # inclusive
    path: str  # days/2024-03-25/ or weeks/2024-03-25/ (the Monday)
    title: str  # "25 March 2024" or "The week of 25 March 2024"
    articles: tuple[Article, ...]  # newest first
    sections: tuple[TopicSection, ...]  # biggest topic first, untagged last
    older: tuple[str, str] | None = None  # (path, title) of the digest before, if any
    newer: tuple[str, str] | None = None


@dataclass(frozen=True)
class ArchiveDay:
    day: date
    title: str
    digest_path: str | None  # the day's digest page, when daily digests are built
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class ArchiveMonth:
    year: int
    month: int
    title: str  # "March 2024"
    path: str  # archive/2024/03/
    days: tuple[ArchiveDay, ...]  # newest first

    @property
    def count(self) -> int:
        return sum(len(d.articles) for d in self.days)


@dataclass(frozen=True)
class ArchiveYear:
    year: int
    path: str  # archive/2024/
    months: tuple[ArchiveMonth, ...]  # newest first
    weeks: tuple[Digest, ...]  # weekly digests with a day in this year, newest first

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months)


def day_path(day: date) -> str:
    return f"days/{day.isoformat()}/"


def week_path(monday: date) -> str:
    return f"weeks/{monday.isoformat()}/"


def article_day(article: Article, zone: ZoneInfo) -> date | None:
    return local_day(article.date, zone) if article.date else None


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_series(articles: tuple[Article, ...], zone: ZoneInfo, kind: str) -> tuple[Digest, ...]:
    """One digest per day (or week) that has articles, newest first, linked to their neighbours.

    ``articles`` come newest first, and keep that order inside each digest.
    """
    period: Callable[[date], date] = (lambda d: d) if kind == "day" else week_start
    grouped: dict[date, list[Article]] = defaultdict(list)
    for article in articles:
        day = article_day(article, zone)
        if day is not None:
            grouped[period(day)].append(article)
    found = []
    for start in sorted(grouped, reverse=True):
        members = tuple(grouped[start])
        if kind == "day":
            found.append(Digest("day", start, start, day_path(start), human_day(start),
                                members, topic_sections(members)))
        else:
            end = start + timedelta(days=min(6, (date.max - start).days))  # the last week ends with the calendar
            found.append(Digest("week", start, end, week_path(start),
                                f"The week of {human_day(start)}", members, topic_sections(members)))
    return tuple(
        dataclasses.replace(
            d,
            older=(found[i + 1].path, found[i + 1].title) if i + 1 < len(found) else None,
            newer=(found[i - 1].path, found[i - 1].title) if i > 0 else None)
        for i, d in enumerate(found))


def topic_sections(articles: tuple[Article, ...]) -> tuple[TopicSection, ...]:
    """File each article once, under the one of its tags that most articles of the digest share.

    Listing an article under every tag would repeat it down the page; the digest's biggest
    topics gather the most. Ties go to the tag name. Sections run biggest first.
    """
    counts = Counter(tag.slug for article in articles for tag in article.tags)
    sections: dict[str, list[Article]] = defaultdict(list)
    tags: dict[str, Tag] = {}
    untagged: list[Article] = []
    for article in articles:
        if not article.tags:
            untagged.append(article)
            continue
        primary = min(article.tags, key=lambda t: (-counts[t.slug], t.name.casefold(), t.slug))
        tags[primary.slug] = primary
        sections[primary.slug].append(article)
    ordered = sorted(sections, key=lambda slug: (-len(sections[slug]), tags[slug].name.casefold(), slug))
    result = [TopicSection(tags[slug], tuple(sections[slug])) for slug in ordered]
    if untagged:
        result.append(TopicSection(None, tuple(untagged)))
    return tuple(result)


def archive_years(articles: tuple[Article, ...], zone: ZoneInfo, *, daily: bool,
                  weeks: tuple[Digest, ...]) -> tuple[ArchiveYear, ...]:
    """Dated articles by year, month and day, newest first."""
    by_day: dict[date, list[Article]] = defaultdict(list)
    for article in articles:
        day = article_day(article, zone)
        if day is not None:
            by_day[day].append(article)
    months: dict[tuple[int, int], list[ArchiveDay]] = defaultdict(list)
    for day in sorted(by_day, reverse=True):
        months[(day.year, day.month)].append(
            ArchiveDay(day, human_day(day), day_path(day) if daily else None, tuple(by_day[day])))
    years: dict[int, list[ArchiveMonth]] = defaultdict(list)
    for (year, month), days in months.items():  # already newest first
        years[year].append(ArchiveMonth(year, month, f"{date(year, month, 1):%B %Y}",
                                        f"archive/{year:04d}/{month:02d}/", tuple(days)))
    return tuple(ArchiveYear(year, f"archive/{year:04d}/", tuple(year_months),
                             tuple(w for w in weeks if year in (w.start.year, w.end.year)))
                 for year, year_months in years.items())
