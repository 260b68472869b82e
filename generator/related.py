"""Related articles: shared tags weighted by rarity, similar text and closeness in time, explained.

Candidates come from indexes, never from all pairs: the tag -> articles index (for a tag on
many articles, only the ``HUB_NEIGHBOURS`` closest in time to the article), the text similarity
index (``similarity.py``) and the article's story (``stories.py``). Each candidate's score adds

- the rarity-weighted share of the article's tags it shares (a tag on half the site says little),
- the similarity of their texts,
- a recency bonus that fades over ``window_days``, and
- a bonus when both report one story,

each multiplied by its weight in ``related`` in site.yaml. Ties go to the article closer in
time, then to the slug, so the order never depends on input order.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from .config import RelatedWeights
from .model import Article, RelatedLink, Story, Tag
from .similarity import Neighbour

HUB_NEIGHBOURS = 200  # articles of one tag looked at per article: bounds the cost of a hub tag
MIN_TEXT = 0.05  # similarity below which two texts are not called similar


def tag_weights(articles: tuple[Article, ...]) -> dict[str, float]:
    """Inverse document frequency per tag slug: a tag on half the site says little."""
    counts: dict[str, int] = defaultdict(int)
    for article in articles:
        for tag in article.tags:
            counts[tag.slug] += 1
    total = len(articles)
    return {slug: math.log(1 + total / count) for slug, count in counts.items()}


def related_links(articles: tuple[Article, ...], top_k: int, weights: RelatedWeights = RelatedWeights(),
                  neighbours: Sequence[Sequence[Neighbour]] | None = None,
                  story_of: Mapping[str, Story] = MappingProxyType({})) -> Mapping[str, tuple[RelatedLink, ...]]:
    """For each article id, up to ``top_k`` others, best first, each with why it was chosen.

    ``neighbours`` are each article's most similar texts (``similarity.nearest``, same order as
    ``articles``); without them text plays no part. ``story_of`` maps article ids to stories.
    """
    idf = tag_weights(articles)
    order = sorted(range(len(articles)), key=lambda i: (_timestamp(articles[i]), i))
    rank = [0] * len(articles)  # article -> its position in time
    for position, index in enumerate(order):
        rank[index] = position
    by_tag: dict[str, list[int]] = defaultdict(list)  # members in time order, so a window is a slice
    for index in order:
        for tag in articles[index].tags:
            by_tag[tag.slug].append(index)
    tag_ranks = {slug: [rank[m] for m in members] for slug, members in by_tag.items()}
    position = {article.id: index for index, article in enumerate(articles)}

    result: dict[str, tuple[RelatedLink, ...]] = {}
    for index, article in enumerate(articles):
        own = sum(idf[t.slug] for t in article.tags) or 1.0
        text = {n.row: n.score for n in (neighbours[index] if neighbours and weights.text > 0 else ())
                if n.score >= MIN_TEXT}
        story = story_of.get(article.id)
        same_story = {position[a.id] for a in story.articles if a.id in position} - {index} if story else set()
        candidates = set(text) | same_story
        for tag in article.tags:
            members = by_tag[tag.slug]
            if len(members) > HUB_NEIGHBOURS:
                members = _closest(members, tag_ranks[tag.slug], rank, rank[index], HUB_NEIGHBOURS)
            candidates.update(m for m in members if m != index)
        scored = []
        for other in candidates:
            target = articles[other]
            shared = tuple(sorted((t for t in article.tags if t in target.tags), key=lambda t: (-idf[t.slug], t.slug)))
            days = _days_apart(article, target)
            recency = 0.0 if math.isinf(days) else 0.5 ** (days / weights.window_days)
            reports = other in same_story
            score = (weights.tags * sum(idf[t.slug] for t in shared) / own + weights.text * text.get(other, 0.0)
                     + weights.recency * recency + weights.story * reports)
            if shared or other in text or reports:
                link = RelatedLink(target, shared, round(score, 6), round(text.get(other, 0.0), 6),
                                   None if math.isinf(days) else days, reports)
                scored.append((-link.score, days, target.slug, link))
        scored.sort(key=lambda item: item[:3])
        result[article.id] = tuple(item[3] for item in scored[:top_k])
    return MappingProxyType(result)


def _closest(members: list[int], ranks: list[int], rank: list[int], position: int, count: int) -> list[int]:
    """The ``count`` members closest in time to ``position``. Members are in time order (``ranks``
    ascending), so they lie within ``count`` places either side of it: a hub tag costs a slice,
    not a sort of all its articles for every one of them."""
    middle = bisect.bisect_left(ranks, position)
    window = members[max(0, middle - count):middle + count]
    return sorted(window, key=lambda m: (abs(rank[m] - position), rank[m]))[:count]


def _timestamp(article: Article) -> float:
    return article.date.timestamp() if article.date else math.inf


def _days_apart(a: Article, b: Article) -> float:
    if a.date is None or b.date is None:
        return math.inf
    return abs((a.date - b.date).total_seconds()) / 86400
