"""Each article's most similar others, compared through the candidate index of ``similarity.py``.

Two articles are only compared when they share an indexed word, so the cost follows the index's
posting lists, never all pairs. Of the ``CANDIDATES`` sharing the most such words, the ``EXACT``
closest in latent topics are scored on their whole vectors. Chunks of articles are compared over
several processes on a large site; the results are merged in a fixed order, so they are the same
for any number of processes. With a site's text model, a rebuild compares again only the articles
an edit can have changed (``KeptNeighbours``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .parallel import map_over_shares
from .similarity import KeptFeatures, TextFeatures, rows_before, unit_rows

CANDIDATES = 64  # per article, by shared indexed words
EXACT = 16  # of them, the closest in latent topics, whose word cosine is computed
CHUNK_ROWS = 256  # articles compared per sparse product: its memory, made afresh each chunk (1024: 2.4x the page faults)
PARALLEL_MIN = 256  # articles per process at least: fewer cost more to fork for than to compare
SHARE_MAX = 2048  # articles per process's task at most, so that a slow task leaves the other processes work
PAIR_BATCH = 8192  # candidate pairs scored per product, which bounds its memory
TEXT_SHARE = 0.5  # similarity = this share of the word cosine + the rest of the topic cosine


class Neighbour(NamedTuple):
    row: int
    score: float  # what neighbours are ranked by: word and topic cosine averaged
    word_cosine: float  # the cosine of the term vectors alone: how much wording two texts share


@dataclass(frozen=True, eq=False)
class Neighbours(Sequence):
    """Each article's most similar others, best first, as flat arrays (a Python object per pair
    would cost more than finding them): row r's are at ``starts[r]:starts[r + 1]``.
    ``neighbours[r]`` gives them as ``Neighbour`` tuples."""

    starts: np.ndarray
    rows: np.ndarray
    scores: np.ndarray
    word_cosines: np.ndarray
    # (n, 2) int64: each row's last candidate as (indexed words shared, its row), (0, -1) for a
    # row with fewer than ``CANDIDATES`` (or none known): what an article must outrank to change
    # the row's candidates (``_nearest_again``).
    last_candidates: np.ndarray

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self[r] for r in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        at = slice(self.starts[row], self.starts[row + 1])
        return tuple(Neighbour(int(r), float(s), float(w))
                     for r, s, w in zip(self.rows[at], self.scores[at], self.word_cosines[at]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Neighbours) and all(
            np.array_equal(getattr(self, name), getattr(other, name))
            for name in ("starts", "rows", "scores", "word_cosines", "last_candidates"))

    @classmethod
    def from_lists(cls, lists: Sequence[Sequence[Neighbour]]) -> "Neighbours":
        """From one list of ``Neighbour`` per article, best first (no last candidates known)."""
        flat = [n for found in lists for n in found]
        return cls(np.concatenate(([0], np.cumsum([len(found) for found in lists]))).astype(np.int64),
                   np.array([n.row for n in flat], dtype=np.int64), np.array([n.score for n in flat], dtype=float),
                   np.array([n.word_cosine for n in flat], dtype=float), no_last_candidates(len(lists)))

    def owners(self) -> np.ndarray:
        """The row each entry belongs to."""
        return np.repeat(np.arange(len(self)), np.diff(self.starts))


def no_last_candidates(rows: int) -> np.ndarray:
    """(0, -1) for each of ``rows``: any article sharing a word with a row is among its
    candidates, the widest reading (``Neighbours.last_candidates``)."""
    return np.tile(np.array([0, -1], dtype=np.int64), (rows, 1))


def nearest(features: TextFeatures, k: int, jobs: int = 1, kept: KeptNeighbours | None = None) -> Neighbours:
    """For each article, up to ``k`` others with the highest similarity above 0, best first.

    Candidates are the ``CANDIDATES`` articles sharing the most indexed words; of them, the
    ``EXACT`` closest in latent topics are scored: the average of their word cosine and their
    latent-topic cosine (negative counts as 0). Scores are rounded to 6 decimals and ties go to
    the lower row number, so the order depends on nothing but the input. All of it is array
    arithmetic over chunks of ``CHUNK_ROWS`` articles, compared over ``jobs`` processes.

    With ``kept``, the last build's (``kept_neighbours``), only the articles an edit can have
    changed are compared again (``_nearest_again``); the result is the same.
    """
    shared = _comparison(features, k)
    again = _nearest_again(features, shared, jobs, kept) if kept is not None else None
    if again is not None:
        return again
    total = features.vectors.shape[0]
    parts = map_over_shares(_nearest_in_share, shared, np.arange(total, dtype=np.int64), jobs, PARALLEL_MIN,
                            SHARE_MAX)
    return _merged(parts, total, _last_candidates_of(parts))


def _comparison(features: TextFeatures, k: int) -> _Comparison:
    topics = unit_rows(features.topics) if features.topics.shape[1] > 0 else None
    return _Comparison(features.vectors, features.index, features.index.T.tocsr(), topics, k)


def _merged(parts: Sequence[tuple[np.ndarray, ...]], total: int, last_candidates: np.ndarray) -> Neighbours:
    """Neighbours from rows, others, scores and word cosines, each row's best first and rows
    ascending across ``parts``."""
    rows = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    starts = np.searchsorted(rows, np.arange(total + 1))
    return Neighbours(starts, *(np.concatenate([p[n] for p in parts]) if parts else np.zeros(0) for n in (1, 2, 3)),
                      last_candidates)


def _last_candidates_of(parts: Sequence[tuple[np.ndarray, ...]]) -> np.ndarray:
    """The last candidates of the rows ``parts`` compared, in their order."""
    return np.concatenate([p[4] for p in parts]) if parts else no_last_candidates(0)


@dataclass(frozen=True, eq=False)
class KeptNeighbours:
    """The last build's neighbours and what finding them again after an edit needs (its rows,
    whose candidate index tells which articles an edit touches): kept in the build cache while
    the site's text model stays (``text_model``)."""

    features: KeptFeatures
    k: int
    neighbours: Neighbours


def kept_neighbours(features: TextFeatures, k: int, neighbours: Neighbours) -> KeptNeighbours | None:
    """What the next build needs of these features and neighbours to take them again (None
    without a model)."""
    rows = KeptFeatures.of(features)
    return None if rows is None else KeptNeighbours(rows, k, neighbours)


def _nearest_again(features: TextFeatures, shared: _Comparison, jobs: int, kept: KeptNeighbours
                   ) -> Neighbours | None:
    """``nearest`` from the last build's, or None where that cannot be had.

    With a text model an article's vectors and index depend on its own text alone, so its
    neighbours are a function of its candidates: they change only when an article added,
    edited or removed (an edit is the old text removed and the new added) ranks among its
    ``CANDIDATES``, or did, by indexed words shared (ties: the lower row). That is, it ranks
    above the row's last candidate, or is it. Those rows are compared again; the others keep
    theirs, renumbered. Ties go to the lower row, so the others must keep their order (dates
    unchanged), as they do. (Comparing every article sharing a word with an edited one compared
    760 of 10,000 again; most of them share a word or two, far fewer than their last candidate.)
    """
    keys, model, last, old = features.keys, features.model, kept.features, kept.neighbours
    if (keys is None or model is None or last.model != model.fingerprint or kept.k != shared.k
            or last.index.shape[1] != shared.index.shape[1]):
        return None
    total, before = len(keys), len(last.keys)
    if len(np.unique(keys)) != total or len(np.unique(last.keys)) != before:
        return None  # the same text twice: a key names no one article
    previous_row = rows_before(keys, last.keys)
    found = previous_row >= 0
    if np.any(np.diff(previous_row[found]) <= 0):
        return None
    row_now = np.full(before, -1, dtype=np.int64)
    row_now[previous_row[found]] = np.flatnonzero(found)
    changed, gone = np.flatnonzero(~found), np.flatnonzero(row_now < 0)
    # Each row's last candidate in the last build's numbering, and in this one's (a kept row's
    # index is as it was, so the words it shares with anyone are too).
    before_now = no_last_candidates(total)
    before_now[found] = old.last_candidates[previous_row[found]]
    last_now = before_now.copy()
    has_last = last_now[:, 1] >= 0
    last_now[has_last, 1] = row_now[last_now[has_last, 1]]  # -1 if gone: its row is reached by the old text
    affected = np.union1d(changed, np.concatenate([
        _outranking(last.index[gone] @ shared.index_t, gone, before_now),
        _outranking(features.index[changed] @ shared.index_t, changed, last_now)])).astype(np.int64)
    if 2 * len(affected) > total:
        return None  # as cheap to compare them all
    owner_now = row_now[old.owners()]
    stays = owner_now >= 0
    stays[stays] = ~np.isin(owner_now[stays], affected)
    others_now = row_now[old.rows[stays]]
    if np.any(others_now < 0):
        return None  # cannot be: a removed neighbour was a candidate of its article
    parts = map_over_shares(_nearest_in_share, shared, affected, jobs, PARALLEL_MIN, SHARE_MAX)
    last_now[affected] = _last_candidates_of(parts)
    rows = np.concatenate([owner_now[stays], *(p[0] for p in parts)])
    others = np.concatenate([others_now, *(p[1] for p in parts)])
    scores = np.concatenate([old.scores[stays], *(p[2] for p in parts)])
    cosines = np.concatenate([old.word_cosines[stays], *(p[3] for p in parts)])
    by_row = np.argsort(rows, kind="stable")  # each row's entries stay best first
    return _merged([(rows[by_row], others[by_row], scores[by_row], cosines[by_row])], total, last_now)


def _outranking(products: sp.csr_matrix, articles: np.ndarray, last_candidates: np.ndarray) -> np.ndarray:
    """The rows among whose candidates one of ``articles`` ranks: it shares more indexed words
    with the row (``products``: a row per article, a column per row) than the row's last
    candidate (``last_candidates``, in the numbering of ``articles``), or as many and is it or
    before it."""
    entries = products.tocoo()
    rows, shared, article = entries.col, entries.data.astype(np.int64), articles[entries.row]
    floor, floor_row = last_candidates[rows, 0], last_candidates[rows, 1]
    return np.unique(rows[(shared > floor) | ((shared == floor) & (article <= floor_row))])


@dataclass(frozen=True, eq=False)
class _Comparison:
    """What comparing a chunk of articles reads: shared by the processes comparing chunks."""

    vectors: sp.csr_matrix
    index: sp.csr_matrix
    index_t: sp.csr_matrix
    topics: np.ndarray | None
    k: int


def _nearest_in_share(shared: _Comparison, rows: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """``_nearest_in_rows`` of ``rows`` (ascending), a chunk at a time: the chunk bounds a
    comparison's memory."""
    return [_nearest_in_rows(shared, rows[i:i + CHUNK_ROWS]) for i in range(0, len(rows), CHUNK_ROWS)]


def _nearest_in_rows(shared: _Comparison, chosen: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows, neighbours, scores and word cosines of the articles ``chosen`` (ascending, at most
    ``CHUNK_ROWS``), best first per row; and the last candidate of each chosen row."""
    vectors, topics = shared.vectors, shared.topics
    products = (shared.index[chosen] @ shared.index_t).tocoo()
    rows, others, counts = chosen[products.row].astype(np.int64), products.col.astype(np.int64), products.data
    distinct = rows != others
    rows, others, counts = rows[distinct], others[distinct], counts[distinct]
    total = vectors.shape[0]
    most = int(counts.max(initial=0))
    rows, others, fewer = _best_per_row(CANDIDATES, rows, others, most - counts.astype(np.int64), total)
    last_candidates = _last_candidates(chosen, rows, others, most - fewer)
    topic_scores = np.zeros(len(rows), dtype=np.float32)
    if topics is not None:  # the word cosine costs most: only for the closest in topics
        topic_scores = np.einsum("ij,ij->i", topics[rows], topics[others])
        rows, others, topic_scores = _best_per_row(EXACT, rows, others, _millionths_below_one(topic_scores), total,
                                                   topic_scores)
    word_scores = np.concatenate([_dot_rows(vectors, rows[i:i + PAIR_BATCH], others[i:i + PAIR_BATCH])
                                  for i in range(0, len(rows), PAIR_BATCH)] or [np.zeros(0)])
    scores = word_scores if topics is None else \
        TEXT_SHARE * word_scores + (1 - TEXT_SHARE) * np.maximum(topic_scores, 0)
    scores, word_scores = np.round(scores.astype(np.float64), 6), np.round(word_scores.astype(np.float64), 6)
    positive = scores > 0
    rows, others, scores, word_scores = _best_per_row(shared.k, rows[positive], others[positive],
                                                      _millionths_below_one(scores[positive]), total,
                                                      scores[positive], word_scores[positive])
    return rows, others, scores, word_scores, last_candidates


def _last_candidates(chosen: np.ndarray, rows: np.ndarray, others: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """Each chosen row's last candidate as (indexed words shared, its row), of its candidates
    (``rows``, ascending, each row's best first, sharing ``shared``); (0, -1) for a row with
    fewer than ``CANDIDATES``, which any article sharing a word with it joins."""
    ends = np.searchsorted(rows, chosen, side="right")
    full = ends - np.searchsorted(rows, chosen) == CANDIDATES
    last = no_last_candidates(len(chosen))
    last[full, 0], last[full, 1] = shared[ends[full] - 1], others[ends[full] - 1]
    return last


def _millionths_below_one(scores: np.ndarray) -> np.ndarray:
    """Scores (cosines, within -1 and 1) as a whole number that grows as they fall: the
    millionths below 1, an exact sort key for scores rounded to 6 decimals."""
    return np.rint((1 - scores.astype(np.float64)) * 1e6).astype(np.int64)


def _best_per_row(count: int, rows: np.ndarray, others: np.ndarray, keys: np.ndarray, total: int,
                  *extra: np.ndarray) -> tuple[np.ndarray, ...]:
    """The ``count`` entries of each row with the lowest key (whole numbers from 0; ties: the
    lower other), rows ascending and best first within a row; ``extra`` arrays follow along,
    or without them, the keys do.

    Each (row, other) pair is given once, so one integer sorts them all: the row (counted from
    the chunk's first), then the key, then the other.
    """
    if not len(rows):
        return (rows, others, *(extra or (keys,)))
    first, span = rows.min(), int(keys.max()) + 1
    combined = ((rows - first) * span + keys) * total + others
    if not extra:  # the integers alone say which pair each is: sorting them is about 3x faster than ordering by them
        combined.sort()
        ranked, others = np.divmod(combined, total)
        rows, keys = np.divmod(ranked, span)
        kept = first_in_row(rows, count)
        return rows[kept] + first, others[kept], keys[kept]
    order = np.argsort(combined)
    rows = rows[order]
    kept = first_in_row(rows, count)
    keep = order[kept]
    return (rows[kept], others[keep], *(e[keep] for e in extra))


def first_in_row(sorted_rows: np.ndarray, count: int) -> np.ndarray:
    """Which entries are among the first ``count`` of their row, rows given sorted."""
    return np.arange(len(sorted_rows)) - np.searchsorted(sorted_rows, sorted_rows) < count


def _dot_rows(vectors: sp.csr_matrix, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The dot product of each (row, other) pair of rows."""
    return np.asarray(vectors[rows].multiply(vectors[others]).sum(axis=1)).ravel()
