"""Story clusters: reports of one event, from one source or several, grouped.

Two articles report one story when their wording overlaps heavily (the cosine of their term
vectors reaches ``min_similarity``) and they are dated at most ``window_days`` apart. Stories
are the connected groups of such pairs, so a story that develops over days through daily
reports stays one story, up to ``max_days`` from its first report to its last. Undated
articles join none: "within a few days" needs a date.

Pairs come from each article's text neighbours (``neighbours.nearest``), never from all pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np

from .config import StorySettings
from .model import Article, Story
from .neighbours import Neighbours


def find_stories(articles: Sequence[Article], neighbours: Neighbours,
                 settings: StorySettings = StorySettings()) -> tuple[Story, ...]:
    """Stories of two or more reports, oldest report first; stories ordered by their first
    report's date, then slug. A story's slug is its first report's, so it is unique."""
    parent = list(range(len(articles)))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    stamps = np.array([a.date.timestamp() if a.date else np.nan for a in articles])
    first, last = stamps.copy(), stamps.copy()  # per story root, its first and last report
    owners = neighbours.owners()
    close = np.abs(stamps[owners] - stamps[neighbours.rows]) <= settings.window_days * 86400  # NaN: never
    linked = np.flatnonzero(close & (neighbours.word_cosines >= settings.min_similarity))
    # The most similar pairs join first; a join that would make a story last longer than
    # max_days is refused, so a daily series (weather, market close) does not become one story.
    linked = linked[np.lexsort((neighbours.rows[linked], owners[linked], -neighbours.word_cosines[linked]))]
    for index, other in zip(owners[linked].tolist(), neighbours.rows[linked].tolist()):
        a, b = root(index), root(other)
        if a != b and max(last[a], last[b]) - min(first[a], first[b]) <= settings.max_days * 86400:
            keep, gone = min(a, b), max(a, b)
            parent[gone] = keep
            first[keep], last[keep] = min(first[a], first[b]), max(last[a], last[b])
    groups: dict[int, list[Article]] = {}
    for index, article in enumerate(articles):
        groups.setdefault(root(index), []).append(article)
    stories = []
    for members in groups.values():
        if len(members) < 2:
            continue
        reports = tuple(sorted(members, key=_oldest_first))
        stories.append(Story(slug=reports[0].slug, title=reports[0].title,
                             articles=reports))
    return tuple(sorted(stories, key=lambda s: _oldest_first(s.articles[0])))


def story_index(stories: Sequence[Story]) -> Mapping[str, Story]:
    """Article id -> the story it reports, for the articles of ``stories``."""
    return MappingProxyType({a.id: story for story in stories for a in story.articles})


def other_reports(article: Article, story: Story | None) -> tuple[Article, ...]:
    """The story's reports other than ``article``, the closest to it in time first."""
    if story is None:
        return ()
    assert article.date is not None
    return tuple(sorted((a for a in story.articles if a.id != article.id),
                        key=lambda a: (abs((a.date - article.date).total_seconds()), a.slug)))


def _oldest_first(article: Article) -> tuple:
    assert article.date is not None
    return (article.date.timestamp(), article.slug)
