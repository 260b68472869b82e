"""Related articles: shared tags weighted by rarity, explained, deterministic.

Candidates come from a tag -> articles inverted index, so articles that share
nothing are never compared.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from types import MappingProxyType

from .model import Article, RelatedLink, Tag


def tag_weights(articles: tuple[Article, ...]) -> dict[str, float]:
    """Inverse document frequency per tag slug: a tag on half the site says little."""
    counts: dict[str, int] = defaultdict(int)
    for article in articles:
        for tag in article.tags:
            counts[tag.slug] += 1
    total = len(articles)
    return {slug: math.log(1 + total / count) for slug, count in counts.items()}


def related_links(articles: tuple[Article, ...], top_k: int) -> Mapping[str, tuple[RelatedLink, ...]]:
    """For each article id, up to ``top_k`` others sharing tags, best first.

    Ties go to the article closer in time, then to the slug, so the order never
    depends on input order.
    """
    weights = tag_weights(articles)
    by_tag: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        for tag in article.tags:
            by_tag[tag.slug].append(index)

    result: dict[str, tuple[RelatedLink, ...]] = {}
    for index, article in enumerate(articles):
        shared: dict[int, list[Tag]] = defaultdict(list)
        for tag in article.tags:
            for other in by_tag[tag.slug]:
                if other != index:
                    shared[other].append(tag)
        scored = []
        for other, tags in shared.items():
            score = sum(weights[tag.slug] for tag in tags)
            ordered = tuple(sorted(tags, key=lambda t: (-weights[t.slug], t.slug)))
            target = articles[other]
            scored.append((-score, _days_apart(article, target), target.slug,
                           RelatedLink(target, ordered, round(score, 6))))
        scored.sort(key=lambda item: item[:3])
        result[article.id] = tuple(item[3] for item in scored[:top_k])
    return MappingProxyType(result)


def _days_apart(a: Article, b: Article) -> float:
    if a.date is None or b.date is None:
        return math.inf
    return abs((a.date - b.date).total_seconds()) / 86400
