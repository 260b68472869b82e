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
time, then to the slug, so the order never depends on input order. A build may start from the
last build's links (``KeptLinks``): when nothing but texts changed, only the articles whose
similar texts changed are scored again.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

import numpy as np
import scipy.sparse as sp

from .config import RelatedWeights
from .dates import local_day
from .hashing import parts_digest
from .model import Article, RelatedLink, Story, Tag
from .parallel import available_cores, map_over_shares
from .link_table import ChosenLinks, LinkTable
from .neighbours import Neighbours, first_in_row

HUB_NEIGHBOURS = 50  # articles of one tag looked at per article: bounds the cost of a hub tag
MIN_TEXT = 0.05  # similarity below which two texts are not called similar
CHUNK = 512  # articles whose candidate pairs are scored together: their arrays, made afresh each chunk (2048: 3x the page faults)
PARALLEL_MIN = 2048  # articles per process at least: fewer cost more to fork for than to score
SHARE_MAX = 2048  # articles per process's task at most, so that a slow task leaves the other processes work
_SCORE_CEILING = (1 << 40) - 1  # scores in millionths below this sort in 40 bits, under the row


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
                  jobs: int | None = 1, zone: ZoneInfo | None = None) -> Mapping[str, Sequence[RelatedLink]]:
    """For each article id, up to ``top_k`` others, best first, each with why it was chosen.

    ``neighbours`` are each article's most similar texts (``neighbours.nearest``, same order as
    ``articles``); without them text plays no part. ``story_of`` maps article ids to stories,
    whose other reports are left out. A link's days apart are calendar days in ``zone`` (the
    site's; without one, in each date's own offset), as the two pages show their dates.
    Candidates are scored in chunks of ``CHUNK`` articles with array arithmetic, over ``jobs``
    processes (None: every core); a link becomes an object only when its article's links are read.
    """
    return chosen_links(articles, top_k, weights, neighbours, story_of, jobs, zone).links


@dataclass(frozen=True, eq=False)
class KeptLinks:
    """A build's links as chosen, and what they were chosen from, kept for the next build:
    ``evidence``, a digest of everything but the texts' similarity, and the similar texts.
    The next build whose evidence is the same (its articles differ in their words alone)
    scores again only the articles whose similar texts changed."""

    evidence: bytes
    text: TextScores
    chosen: ChosenLinks


@dataclass(frozen=True)
class RelatedLinks:
    links: Mapping[str, Sequence[RelatedLink]]  # article id -> its links, best first
    kept: KeptLinks | None  # for the next build


def chosen_links(articles: tuple[Article, ...], top_k: int, weights: RelatedWeights = RelatedWeights(),
                 neighbours: Neighbours | None = None, story_of: Mapping[str, Story] = MappingProxyType({}),
                 jobs: int | None = 1, zone: ZoneInfo | None = None, kept: KeptLinks | None = None) -> RelatedLinks:
    """``related_links``, and what the next build needs to choose them again; articles the
    last build's links (``kept``) hold for are not scored again."""
    total = len(articles)
    if total == 0 or top_k == 0:
        return RelatedLinks(MappingProxyType({a.id: () for a in articles}), None)
    idf = tag_weights(articles)
    stamps = np.array([a.date.timestamp() if a.date else np.nan for a in articles])
    days = [None if a.date is None else (local_day(a.date, zone) if zone else a.date.date()).toordinal()
            for a in articles]
    tags, rarest_first = _TagIndex.of(articles, idf, stamps)
    text = TextScores.of(neighbours if weights.text > 0 else None, total)
    story = np.full(total, -1)  # per article, its story's number
    numbers: dict[str, int] = {}
    for index, article in enumerate(articles):
        if article.id in story_of:
            story[index] = numbers.setdefault(story_of[article.id].slug, len(numbers))
    by_slug = np.empty(total, dtype=np.int64)  # ties go to the slug first in order
    by_slug[sorted(range(total), key=lambda i: articles[i].slug)] = np.arange(total)

    evidence = _Evidence(tags, text, stamps, story, by_slug, weights, top_k)
    digest = _evidence_digest(articles, tags.rarest_starts, rarest_first, stamps, days, story, top_k, weights)
    again = _rows_to_score(kept, digest, text, len(rarest_first))
    jobs = available_cores() if jobs is None else jobs
    rows = np.arange(total, dtype=np.int64) if again is None else again
    scored = map_over_shares(_best_links_in_share, evidence, rows, jobs, PARALLEL_MIN, SHARE_MAX)
    chosen = _merged(scored if again is None else [_without_rows(kept.chosen, again), *scored])
    return RelatedLinks(LinkTable(chosen, articles, days, rarest_first), KeptLinks(digest, text, chosen))


def _evidence_digest(articles: tuple[Article, ...], tag_starts: np.ndarray, rarest_first: list[Tag],
                     stamps: np.ndarray, days: list[int | None], story: np.ndarray, top_k: int,
                     weights: RelatedWeights) -> bytes:
    """A digest of all that links are chosen from but the texts: the articles in order, each
    one's id, slug, date (``stamps``), day, tags and story, and the settings. The tags are taken
    as the links name them, each article's rarest first (``rarest_first``, each article's from
    ``tag_starts``), which is what a kept link's places in them point at. Taken column by column,
    as arrays and joined texts: a tuple per article, written out, took 0.13 s of every build at
    10,000 articles."""
    return parts_digest((repr((len(articles), top_k, weights)).encode("utf-8"),
                         _joined([article.id for article in articles]), _joined([article.slug for article in articles]),
                         np.asarray(tag_starts, dtype=np.int64),
                         _joined([tag.slug for tag in rarest_first]), _joined([tag.name for tag in rarest_first]),
                         np.asarray(stamps, dtype=np.float64),  # NaN: undated
                         np.array([0 if day is None else day for day in days], dtype=np.int64),  # days are >= 1
                         np.asarray(story, dtype=np.int64)))


def _joined(texts: list[str]) -> bytes:
    """Texts as one run of bytes that tells them apart: their lengths, then the texts."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return lengths.tobytes() + "".join(texts).encode("utf-8", "surrogatepass")


def _rows_to_score(kept: KeptLinks | None, digest: bytes, text: TextScores, tags_written: int) -> np.ndarray | None:
    """The rows whose links may differ from ``kept``'s (None: all of them may): with the same
    evidence, those whose similar texts changed. A row's candidates and their scores come
    from its own similar texts, and from tags, dates, stories and slugs, which are the same."""
    if (kept is None or kept.evidence != digest or kept.text.total != text.total
            or np.any(kept.chosen.shared_at >= tags_written)):
        return None
    before, now = np.diff(kept.text.starts), np.diff(text.starts)
    changed = before != now
    alike = np.flatnonzero(~changed)  # rows with as many similar texts as before: compared entry by entry
    entries_now, entries_before = np.repeat(~changed, now), np.repeat(~changed, before)
    differ = ((text.keys[entries_now] != kept.text.keys[entries_before])
              | (text.scores[entries_now] != kept.text.scores[entries_before]))
    changed[np.repeat(alike, now[alike])[differ]] = True
    rows = np.flatnonzero(changed)
    return rows if 2 * len(rows) <= text.total else None  # else as cheap to score them all


def _runs(rows: np.ndarray) -> list[range]:
    """Ascending ``rows`` as ranges of consecutive rows, none longer than ``CHUNK``."""
    runs = []
    for run in np.split(rows, np.flatnonzero(np.diff(rows) != 1) + 1) if len(rows) else []:
        first, last = int(run[0]), int(run[-1]) + 1
        runs.extend(range(start, min(start + CHUNK, last)) for start in range(first, last, CHUNK))
    return runs


def _without_rows(chosen: ChosenLinks, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """``chosen``'s links of every row but ``rows``, as ``_best_links`` gives them."""
    keep = ~np.isin(chosen.rows, rows)
    shared_keep = np.repeat(keep, chosen.shared_counts)
    return (chosen.rows[keep], chosen.others[keep], chosen.scores[keep], chosen.similar[keep],
            np.cumsum(chosen.shared_counts[keep]), chosen.shared_at[shared_keep])


def _merged(parts: list[tuple[np.ndarray, ...]]) -> ChosenLinks:
    """The links of ``_best_links`` parts, rows ascending, each row's in the order given."""
    rows = np.concatenate([p[0] for p in parts])
    counts = np.concatenate([np.diff(p[4], prepend=0) for p in parts]).astype(np.int64)
    shared_at = np.concatenate([p[5] for p in parts]).astype(np.int64)
    order = np.argsort(rows, kind="stable")
    starts = np.cumsum(counts) - counts
    reordered = np.repeat(starts[order], counts[order]) + (np.arange(int(counts.sum()))
                                                            - np.repeat(np.cumsum(counts[order]) - counts[order],
                                                                        counts[order]))
    return ChosenLinks(rows[order].astype(np.int64), np.concatenate([p[1] for p in parts])[order].astype(np.int64),
                       np.concatenate([p[2] for p in parts])[order], np.concatenate([p[3] for p in parts])[order],
                       counts[order], shared_at[reordered])


@dataclass(frozen=True, eq=False)
class _Evidence:
    """What scoring a chunk of articles reads: shared by the processes that score chunks."""

    tags: "_TagIndex"
    text: "TextScores"
    stamps: np.ndarray  # per article, its date as a timestamp (NaN: undated)
    story: np.ndarray  # per article, its story's number (-1: none)
    by_slug: np.ndarray  # per article, its slug's place in sorted order
    weights: RelatedWeights
    top_k: int


def _best_links_in_share(evidence: _Evidence, rows: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """``_best_links`` of ``rows`` (ascending), a run of at most ``CHUNK`` at a time."""
    return [_best_links(evidence, run) for run in _runs(rows)]


def _best_links(evidence: _Evidence, chunk: range) -> tuple[np.ndarray, ...]:
    """The ``top_k`` links of each article in ``chunk``: rows, others, scores, text scores,
    best first per row; then the tags each link shares, as places in
    ``tags.rarest``: link n's are ``shared_at[ends[n - 1]:ends[n]]``."""
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
    # Only candidates scoring at least a row's top_k-th best can be among its best; sorting
    # those few by every tie-breaker costs less than sorting all.
    micros = np.rint(score * 1e6).astype(np.int64)  # scores are rounded to 6 decimals, non-negative
    by_score = np.sort(((rows - chunk.start) << 40) | (_SCORE_CEILING - np.minimum(micros, _SCORE_CEILING)))
    row_starts = np.searchsorted(by_score >> 40, np.arange(len(chunk) + 1))
    kth = np.minimum(row_starts[:-1] + evidence.top_k, row_starts[1:]) - 1  # its place, if the row has any
    threshold = np.zeros(len(chunk), dtype=np.int64)
    has = row_starts[1:] > row_starts[:-1]
    threshold[has] = _SCORE_CEILING - (by_score[kth[has]] & _SCORE_CEILING)
    contenders = np.flatnonzero(micros >= threshold[rows - chunk.start])
    order = contenders[np.lexsort((evidence.by_slug[others[contenders]], days[contenders], -score[contenders],
                                   rows[contenders]))]  # per row, best first
    sorted_rows = rows[order]
    best = order[first_in_row(sorted_rows, evidence.top_k)]
    rows, others = rows[best], others[best]
    pairs, shared_at = tags.common(tags.rarest_starts, tags.rarest, rows, others)
    return (rows, others, score[best], np.round(similar[best], 6),
            np.cumsum(np.bincount(pairs, minlength=len(rows))), shared_at)


@dataclass(frozen=True, eq=False)
class _TagIndex:
    """Which articles carry which tag, as arrays; tags are columns, in slug order."""

    incidence: sp.csr_matrix  # article x tag, 1 where the article has the tag
    pair_keys: np.ndarray  # article * tags + tag for each entry of incidence, ascending
    weight: np.ndarray  # per tag, its rarity weight
    own: np.ndarray  # per article, the weight of all its tags (1 for none)
    members: np.ndarray  # each tag's articles in time order, tag after tag
    starts: np.ndarray  # where each tag's articles begin in members
    place: sp.csr_matrix  # article x tag: 1 + the article's place among the tag's members
    rarest: np.ndarray  # each article's tags (as written, duplicates kept), rarest first, article after article
    rarest_starts: np.ndarray  # where each article's tags begin in rarest

    @classmethod
    def of(cls, articles: tuple[Article, ...], idf: dict[str, float],
           stamps: np.ndarray) -> tuple["_TagIndex", list[Tag]]:
        """The index, and the ``Tag`` of each place in ``rarest`` (ties: the slug, then the
        article's order)."""
        slugs = sorted(idf)
        column = {slug: n for n, slug in enumerate(slugs)}
        written = [tag for article in articles for tag in article.tags]
        per_article = np.fromiter((len(a.tags) for a in articles), dtype=np.int64, count=len(articles))
        tag_rows = np.repeat(np.arange(len(articles), dtype=np.int64), per_article)
        tag_cols = np.fromiter((column[tag.slug] for tag in written), dtype=np.int64, count=len(written))
        rarity = np.empty(len(slugs), dtype=np.int64)
        rarity[sorted(range(len(slugs)), key=lambda c: (-idf[slugs[c]], slugs[c]))] = np.arange(len(slugs))
        rarest_order = np.lexsort((np.arange(len(written)), rarity[tag_cols], tag_rows))
        rarest_first = [written[n] for n in rarest_order.tolist()]
        keys = np.sort(tag_rows * len(slugs) + tag_cols)
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys  # each once
        rows, cols = keys // max(len(slugs), 1), keys % max(len(slugs), 1)
        shape = (len(articles), len(slugs))
        incidence = sp.csr_matrix((np.ones(len(keys)), (rows, cols)), shape=shape)
        weight = np.array([idf[slug] for slug in slugs])
        own = np.bincount(rows, weights=weight[cols], minlength=len(articles))
        own[own == 0] = 1.0
        in_time = np.lexsort((np.arange(len(articles)), np.where(np.isnan(stamps), np.inf, stamps)))
        rank = np.empty(len(articles), dtype=np.int64)
        rank[in_time] = np.arange(len(articles))
        by_tag = incidence.tocsc()
        tag_of_entry = np.repeat(np.arange(len(slugs)), np.diff(by_tag.indptr))
        order = np.lexsort((rank[by_tag.indices], tag_of_entry))  # tag by tag, each in time order
        members, tag_of_entry = by_tag.indices[order].astype(np.int64), tag_of_entry[order]
        places = np.arange(len(members)) - by_tag.indptr[tag_of_entry]
        place = sp.csr_matrix((places + 1, (members, tag_of_entry)), shape=shape)
        place.sort_indices()
        index = cls(incidence, keys, weight, own, members, by_tag.indptr.astype(np.int64), place,
                    tag_cols[rarest_order], np.concatenate(([0], np.cumsum(per_article))))
        return index, rarest_first

    def common(self, starts: np.ndarray, columns: np.ndarray, rows: np.ndarray,
               others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each (row, other) pair, which of the row's tags (``columns[starts[row]:starts[row + 1]]``)
        the other carries too: the pair and the place in ``columns`` of each such tag, pair after pair."""
        per_pair = starts[rows + 1] - starts[rows]
        pair_of = np.repeat(np.arange(len(rows)), per_pair)
        at = np.repeat(starts[rows] - np.cumsum(per_pair) + per_pair, per_pair) + np.arange(int(per_pair.sum()))
        wanted = others[pair_of] * len(self.weight) + columns[at]
        found = np.minimum(np.searchsorted(self.pair_keys, wanted), max(len(self.pair_keys) - 1, 0))
        both = self.pair_keys[found] == wanted if len(self.pair_keys) else np.zeros(len(wanted), dtype=bool)
        return pair_of[both], at[both]

    def shared_weight(self, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
        """For each pair, the rarity weight of the tags both carry."""
        pairs, at = self.common(self.incidence.indptr, self.incidence.indices, rows, others)
        return np.bincount(pairs, weights=self.weight[self.incidence.indices[at]], minlength=len(rows))


@dataclass(frozen=True, eq=False)
class TextScores:
    """Each article's similar texts (at least ``MIN_TEXT``), looked up by pair."""

    keys: np.ndarray  # row * total + other, ascending
    scores: np.ndarray
    starts: np.ndarray  # per row, where its pairs begin in keys
    total: int

    @classmethod
    def of(cls, neighbours: Neighbours | None, total: int) -> "TextScores":
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


def _candidates(chunk: range, tags: _TagIndex, text: TextScores) -> tuple[np.ndarray, np.ndarray]:
    """(row, other) pairs to score for the articles in ``chunk``, each pair once, no self pairs:
    the rows' similar texts, and the members of each of their tags (of a hub tag, the window
    around the row)."""
    total = tags.own.shape[0]
    similar = text.keys[text.starts[chunk.start]:text.starts[chunk.stop]]
    # One entry per (row, tag) of the chunk, then one per (row, member looked at).
    entries = slice(tags.place.indptr[chunk.start], tags.place.indptr[chunk.stop])
    entry_rows = np.repeat(np.arange(chunk.start, chunk.stop, dtype=np.int64),
                           np.diff(tags.place.indptr[chunk.start:chunk.stop + 1]))
    columns = tags.place.indices[entries]
    sizes = tags.starts[columns + 1] - tags.starts[columns]
    first = tags.starts[columns] + hub_window_start(sizes, tags.place.data[entries] - 1, HUB_NEIGHBOURS)
    lengths = np.minimum(sizes, HUB_NEIGHBOURS)
    within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    members = tags.members[np.repeat(first, lengths) + within]
    pairs = np.sort(np.concatenate((similar, np.repeat(entry_rows, lengths) * total + members)))
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs  # each once
    pair_rows, pair_others = pairs // total, pairs % total
    distinct = pair_rows != pair_others
    return pair_rows[distinct], pair_others[distinct]


def hub_window_start(sizes: np.ndarray, places: np.ndarray, count: int) -> np.ndarray:
    """Where the ``count`` members around ``places`` begin in tags of ``sizes`` members, in
    the tags' time order: half before and half after (more on one side at either end), all
    of a tag with no more than ``count``. A hub tag costs a slice, never a scan of all its articles."""
    return np.where(sizes > count, np.minimum(np.maximum(0, places - count // 2), sizes - count), 0)
