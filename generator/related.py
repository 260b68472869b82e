"""Related articles: shared tags weighted by rarity, similar text and closeness in time, explained.

Candidates come from indexes, never from all pairs: the tag -> articles index (for a tag on
many articles, only the ``HUB_NEIGHBOURS`` around the article in the tag's time order) and the
text similarity index (``similarity.py``). The other reports of the article's own story
(``stories.py``) are no candidates: they rank above every related link and are listed on their
own. Each candidate's score adds

- the rarity-weighted share of the article's tags it shares (a tag on half the site says little),
- the similarity of their texts, and
- a recency bonus that fades over ``window_days``,

each multiplied by its weight in ``related`` in site.yaml. Ties go to the article closer in
time, then to the slug, so the order never depends on input order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp

from .config import RelatedWeights
from .model import Article, RelatedLink, Story
from .parallel import available_cores, map_with_shared
from .similarity import Neighbours

HUB_NEIGHBOURS = 50  # articles of one tag looked at per article: bounds the cost of a hub tag
MIN_TEXT = 0.05  # similarity below which two texts are not called similar
CHUNK = 2048  # articles whose candidate pairs are scored together: bounds the arrays' memory


def tag_weights(articles: tuple[Article, ...]) -> dict[str, float]:
    """Inverse document frequency per tag slug: a tag on half the site says little."""
    counts: dict[str, int] = defaultdict(int)
    for article in articles:
        for tag in article.tags:
            counts[tag.slug] += 1
    total = len(articles)
    return {slug: math.log(1 + total / count) for slug, count in counts.items()}


def related_links(articles: tuple[Article, ...], top_k: int, weights: RelatedWeights = RelatedWeights(),
                  neighbours: Neighbours | None = None,
                  story_of: Mapping[str, Story] = MappingProxyType({}),
                  jobs: int | None = 1) -> Mapping[str, tuple[RelatedLink, ...]]:
    """For each article id, up to ``top_k`` others, best first, each with why it was chosen.

    ``neighbours`` are each article's most similar texts (``similarity.nearest``, same order as
    ``articles``); without them text plays no part. ``story_of`` maps article ids to stories,
    whose other reports are left out.
    Candidates are scored in chunks of ``CHUNK`` articles with array arithmetic, over ``jobs``
    processes (None: every core); only the links kept become objects.
    """
    total = len(articles)
    if total == 0 or top_k == 0:
        return MappingProxyType({a.id: () for a in articles})
    idf = tag_weights(articles)
    tags = _TagIndex.of(articles, idf)
    text = _TextScores.of(neighbours if weights.text > 0 else None, total)
    stamps = np.array([a.date.timestamp() if a.date else np.nan for a in articles])
    story = np.full(total, -1)  # per article, its story's number
    numbers: dict[str, int] = {}
    for index, article in enumerate(articles):
        if article.id in story_of:
            story[index] = numbers.setdefault(story_of[article.id].slug, len(numbers))
    by_slug = np.empty(total, dtype=np.int64)  # ties go to the slug first in order
    by_slug[sorted(range(total), key=lambda i: articles[i].slug)] = np.arange(total)

    evidence = _Evidence(tags, text, stamps, story, by_slug, weights, top_k)
    chunks = [range(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]
    result: dict[str, tuple[RelatedLink, ...]] = {}
    rarest_first = [sorted(a.tags, key=lambda t: (-idf[t.slug], t.slug)) for a in articles]
    slugs = [frozenset(t.slug for t in a.tags) for a in articles]
    for chunk, (rows, others, score, similar, days) in zip(
            chunks, map_with_shared(_best_links, evidence, chunks, available_cores() if jobs is None else jobs)):
        links: dict[int, list[RelatedLink]] = {index: [] for index in chunk}
        for row, other, value, text_score, apart in zip(rows.tolist(), others.tolist(), score.tolist(),
                                                        similar.tolist(), days.tolist()):
            shared_tags = tuple(t for t in rarest_first[row] if t.slug in slugs[other])
            links[row].append(RelatedLink(articles[other], shared_tags, value, text_score,
                                          None if math.isinf(apart) else apart))
        result.update((articles[index].id, tuple(found)) for index, found in links.items())
    return MappingProxyType(result)


@dataclass(frozen=True, eq=False)
class _Evidence:
    """What scoring a chunk of articles reads: shared by the processes that score chunks."""

    tags: "_TagIndex"
    text: "_TextScores"
    stamps: np.ndarray  # per article, its date as a timestamp (NaN: undated)
    story: np.ndarray  # per article, its story's number (-1: none)
    by_slug: np.ndarray  # per article, its slug's place in sorted order
    weights: RelatedWeights
    top_k: int


def _best_links(evidence: _Evidence, chunk: range) -> tuple[np.ndarray, ...]:
    """The ``top_k`` links of each article in ``chunk``: rows, others, scores, text scores,
    and days apart, best first per row."""
    tags, text, story, weights = evidence.tags, evidence.text, evidence.story, evidence.weights
    rows, others = _candidates(chunk, tags, text)
    other_story = (story[rows] < 0) | (story[rows] != story[others])  # the story's own reports are listed apart
    rows, others = rows[other_story], others[other_story]
    shared = tags.shared_weight(rows, others)
    similar = text.lookup(rows, others)
    days = np.abs(evidence.stamps[rows] - evidence.stamps[others]) / 86400
    days[np.isnan(days)] = np.inf
    keep = (shared > 0) | (similar > 0)
    rows, others, shared, similar, days = (a[keep] for a in (rows, others, shared, similar, days))
    recency = np.where(np.isinf(days), 0.0, 0.5 ** (np.where(np.isinf(days), 0, days) / weights.window_days))
    score = np.round(weights.tags * shared / tags.own[rows] + weights.text * similar
                     + weights.recency * recency, 6)
    order = np.lexsort((evidence.by_slug[others], days, -score, rows))  # per row, best first
    sorted_rows = rows[order]
    best = order[(np.arange(len(order)) - np.searchsorted(sorted_rows, sorted_rows)) < evidence.top_k]
    return rows[best], others[best], score[best], np.round(similar[best], 6), days[best]


@dataclass(frozen=True, eq=False)
class _TagIndex:
    """Which articles carry which tag, as arrays."""

    incidence: sp.csr_matrix  # article x tag, 1 where the article has the tag
    weighted: sp.csr_matrix  # the same, holding the tag's rarity weight
    own: np.ndarray  # per article, the weight of all its tags (1 for none)
    members: np.ndarray  # each tag's articles in time order, tag after tag
    starts: np.ndarray  # where each tag's articles begin in members
    place: sp.csr_matrix  # article x tag: 1 + the article's place among the tag's members

    @classmethod
    def of(cls, articles: tuple[Article, ...], idf: dict[str, float]) -> "_TagIndex":
        slugs = sorted(idf)
        column = {slug: n for n, slug in enumerate(slugs)}
        pairs = sorted({(row, column[t.slug]) for row, a in enumerate(articles) for t in a.tags})
        rows = np.array([r for r, _ in pairs], dtype=np.int64)
        cols = np.array([c for _, c in pairs], dtype=np.int64)
        shape = (len(articles), len(slugs))
        incidence = sp.csr_matrix((np.ones(len(pairs)), (rows, cols)), shape=shape)
        weights = np.array([idf[slug] for slug in slugs])
        weighted = sp.csr_matrix((weights[cols] if len(cols) else np.zeros(0), (rows, cols)), shape=shape)
        own = np.asarray(weighted.sum(axis=1)).ravel()
        own[own == 0] = 1.0
        in_time = sorted(range(len(articles)), key=lambda i: (_timestamp(articles[i]), i))
        rank = np.empty(len(articles), dtype=np.int64)
        rank[in_time] = np.arange(len(articles))
        by_tag = incidence.tocsc()
        tag_of_entry = np.repeat(np.arange(len(slugs)), np.diff(by_tag.indptr))
        order = np.lexsort((rank[by_tag.indices], tag_of_entry))  # tag by tag, each in time order
        members, tag_of_entry = by_tag.indices[order].astype(np.int64), tag_of_entry[order]
        places = np.arange(len(members)) - by_tag.indptr[tag_of_entry]
        place = sp.csr_matrix((places + 1, (members, tag_of_entry)), shape=shape)
        place.sort_indices()
        return cls(incidence, weighted, own, members, by_tag.indptr.astype(np.int64), place)

    def shared_weight(self, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
        """For each pair, the rarity weight of the tags both carry."""
        if not len(rows):
            return np.zeros(0)
        return np.asarray(self.weighted[rows].multiply(self.incidence[others]).sum(axis=1)).ravel()


@dataclass(frozen=True, eq=False)
class _TextScores:
    """Each article's similar texts (at least ``MIN_TEXT``), looked up by pair."""

    keys: np.ndarray  # row * total + other, ascending
    scores: np.ndarray
    starts: np.ndarray  # per row, where its pairs begin in keys
    total: int

    @classmethod
    def of(cls, neighbours: Neighbours | None, total: int) -> "_TextScores":
        if neighbours is None or not len(neighbours.rows):
            return cls(np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(total + 1, dtype=np.int64), total)
        similar = neighbours.scores >= MIN_TEXT
        keys = (neighbours.owners() * total + neighbours.rows)[similar]
        order = np.argsort(keys, kind="stable")
        keys, scores = keys[order], neighbours.scores[similar][order]
        return cls(keys, scores, np.searchsorted(keys, np.arange(total + 1) * total), total)

    def others(self, row: int) -> np.ndarray:
        return self.keys[self.starts[row]:self.starts[row + 1]] - row * self.total

    def lookup(self, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Each pair's text score, 0 where the other is not among the row's similar texts."""
        if not len(self.keys) or not len(rows):
            return np.zeros(len(rows))
        wanted = rows * self.total + others
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[at] == wanted, self.scores[at], 0.0)


def _candidates(chunk: range, tags: _TagIndex, text: _TextScores) -> tuple[np.ndarray, np.ndarray]:
    """(row, other) pairs to score for the articles in ``chunk``, each pair once, no self pairs."""
    rows, others = [], []
    for row in chunk:
        found = [text.others(row)]
        at = slice(tags.place.indptr[row], tags.place.indptr[row + 1])
        for column, place in zip(tags.place.indices[at].tolist(), tags.place.data[at].tolist()):
            members = tags.members[tags.starts[column]:tags.starts[column + 1]]
            if len(members) > HUB_NEIGHBOURS:
                members = hub_window(members, place - 1, HUB_NEIGHBOURS)
            found.append(members)
        block = np.concatenate(found)
        rows.append(np.full(len(block), row, dtype=np.int64))
        others.append(block)
    pairs = np.sort(np.concatenate(rows) * tags.own.shape[0] + np.concatenate(others))
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    pair_rows, pair_others = pairs // tags.own.shape[0], pairs % tags.own.shape[0]
    distinct = pair_rows != pair_others
    return pair_rows[distinct], pair_others[distinct]


def hub_window(members: np.ndarray, place: int, count: int) -> np.ndarray:
    """The ``count`` members around ``place`` in a tag's time order, half before and half after
    (more on one side at either end): a hub tag costs a slice, never a scan of all its articles."""
    start = min(max(0, place - count // 2), len(members) - count)
    return members[start:start + count]


def _timestamp(article: Article) -> float:
    return article.date.timestamp() if article.date else math.inf

