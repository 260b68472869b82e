"""Stores of term counts by document, kept from one build to the next: a document whose text
is unchanged is not counted again, and a rebuild adds the rows of its new texts beside the rows
stored (``CountedDocuments``). Counting itself is ``term_counts``'.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .parallel import map_with_shared, shares
from .sparse_rows import dense_rows, row_runs, sparse_rows
from .term_counts import Document, TermCounts, count_terms, document_keys

PARALLEL_MIN = 5000  # fewer documents than this per process cost more to hand over than to count
TASK_MAX = 10000  # documents counted or weighed per task at most: a process's memory grows with them


class CountsLost(Exception):
    """The stored rows of a ``CountedDocuments`` could not be read when they were needed: the
    texts must be counted again (the message says what was found)."""


def _nothing_stored() -> sp.csr_matrix:
    return sp.csr_matrix((0, 0), dtype=np.int32)


@dataclass(frozen=True, eq=False)
class CountedDocuments:
    """The term counts of documents by key, one row each, in no particular order: kept from one
    build to the next (``array_stores``), so a document whose text is unchanged is not counted
    again, which is most of a one-edit rebuild's text analysis.

    A store is its *stored* rows, kept in a file of their own and read only when some of them
    are needed (``stored``, which raises ``CountsLost`` when they cannot be read), and the rows
    *added* since, kept in a small file beside it: a rebuild counts its new texts and adds them,
    leaving the stored rows as they are. Rows of texts no longer counted stay until the added
    and unused rows are a ``COMPACT_SHARE`` of all, when the store is made again of just the
    texts counted (``compacted``). At 100,000 articles the stored rows are about 300 MB: reading,
    gathering and writing them again took 5 s of a one-edit rebuild."""

    keys: tuple[bytes, ...]  # each row's document key, all different: the stored rows', then the added
    names: list[str]  # the term of each column: the stored rows' columns first
    lengths: np.ndarray  # float32: each row's terms in all
    added: sp.csr_matrix  # the rows after the stored ones, over every column
    stored: Callable[[], sp.csr_matrix] = _nothing_stored  # the stored rows, over their columns
    stored_width: int = 0  # the stored rows' columns: the first of ``names``
    stored_id: bytes = b""  # which stored rows these are: the same in the file of the rows added to them

    @classmethod
    def of(cls, keys: Sequence[bytes], counts: TermCounts) -> CountedDocuments:
        """A store of these rows, all stored (in memory), under a new id."""
        matrix, width = counts.counts, len(counts.names)
        return cls(tuple(keys), counts.names, counts.lengths, sp.csr_matrix((0, width), dtype=matrix.dtype),
                   functools.partial(_given, matrix), width, os.urandom(16))

    @property
    def stored_rows(self) -> int:
        """How many rows are stored: the first of ``keys``, those not ``added``."""
        return len(self.keys) - self.added.shape[0]

    @functools.cached_property
    def row_of(self) -> dict[bytes, int]:
        return {key: row for row, key in enumerate(self.keys)}

    def select(self, keys: Sequence[bytes]) -> TermCounts:
        """The counts of the documents with these keys, one row each in this order (every key
        must be here)."""
        return self.rows_at(self._rows(keys))

    def rows_for(self, keys: Sequence[bytes], recount: Callable[[np.ndarray], TermCounts] | None = None
                 ) -> CountRows:
        """``select``, made only for the rows asked for (``CountRows``)."""
        return CountRows(self, self._rows(keys), recount)

    def _rows(self, keys: Sequence[bytes]) -> np.ndarray:
        return np.fromiter(map(self.row_of.__getitem__, keys), dtype=np.int64, count=len(keys))

    def rows_at(self, rows: np.ndarray) -> TermCounts:
        """These rows, in this order, over every column; the stored rows are read only when
        some are asked for."""
        added = rows >= self.stored_rows
        width = len(self.names)
        if not np.all(added):
            stored = self.stored()
            if len(rows) == self.stored_rows and np.array_equal(rows, np.arange(len(rows))):
                return TermCounts(_widened(stored, width), self.names, self.lengths[rows])  # as stored: no copy
        else:
            stored = sp.csr_matrix((0, width), dtype=self.added.dtype)
        runs = row_runs(added.astype(np.int64), rows - self.stored_rows * added)
        matrix = sparse_rows((stored, self.added), runs, width)
        matrix.has_sorted_indices = True  # each row's as it was kept
        return TermCounts(matrix, self.names, self.lengths[rows])

    @functools.cached_property
    def counts(self) -> TermCounts:
        """Every row's counts, in the store's order."""
        return self.rows_at(np.arange(len(self.keys), dtype=np.int64))


def _given(matrix: sp.csr_matrix) -> sp.csr_matrix:
    return matrix


def _widened(matrix: sp.csr_matrix, width: int) -> sp.csr_matrix:
    """``matrix`` over ``width`` columns, the first its own (no copy)."""
    if matrix.shape[1] == width:
        return matrix
    widened = sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width))
    widened.has_sorted_indices = matrix.has_sorted_indices
    return widened


@dataclass(frozen=True, eq=False)
class CountRows:
    """The term counts of documents, one row each in order, made only for the rows asked for:
    with a text model a rebuild weighs only its new texts, and the other rows' counts need not
    be read from the store at all. Should the store's rows be lost when asked for, ``recount``
    (when given) counts the documents asked for afresh (their counts then have terms of their own)."""

    source: TermCounts | CountedDocuments
    rows: np.ndarray  # int64: each document's row in ``source``
    recount: Callable[[np.ndarray], TermCounts] | None = None

    @classmethod
    def of(cls, counts: TermCounts) -> CountRows:
        return cls(counts, np.arange(counts.counts.shape[0], dtype=np.int64))

    def __len__(self) -> int:
        return len(self.rows)

    def take(self, which: np.ndarray) -> TermCounts:
        """The rows of the documents at positions ``which``, in that order."""
        try:
            return self.source.rows_at(self.rows[which])
        except CountsLost:
            if self.recount is None:
                raise
            return self.recount(which)

    def every(self) -> TermCounts:
        """Every document's row, in order."""
        return self.take(np.arange(len(self.rows), dtype=np.int64))


NOTHING_COUNTED = CountedDocuments((), [], np.zeros(0, dtype=np.float32), sp.csr_matrix((0, 0), dtype=np.int32))
COMPACT_SHARE = 0.1  # a store is made again when the rows added or unused are more than this share of all


def count_documents(documents: Sequence[Document], jobs: int = 1, known: CountedDocuments | None = None,
                    keys: Sequence[bytes] | None = None,
                    count: Callable[[Sequence[Document]], TermCounts] = count_terms,
                    smallest: int | None = None) -> CountedDocuments:
    """The counts of ``documents`` (whose ``document_keys`` may be given): taken from ``known``
    where it has them, the others counted by ``count`` (a module-level function) over ``jobs``
    processes (each given at least ``smallest``) and added to it. The result is ``known`` itself
    when it holds every text and few others; made again of just these documents, in their order,
    when it would hold too many rows of other texts or added ones (``CountedDocuments``)."""
    return count_kinds(documents, jobs, (known,), keys, count, smallest)[0]


def count_kinds(documents: Sequence[Document], jobs: int, known: Sequence[CountedDocuments | None],
                keys: Sequence[bytes] | None, count: Callable[[Sequence[Document]], TermCounts | tuple[TermCounts, ...]],
                smallest: int | None = None) -> tuple[CountedDocuments, ...]:
    """``count_documents`` for a ``count`` giving several kinds of counts at once, one store
    per kind (``known`` holds one per kind, or None). A text is taken from the stores only when
    they hold the same texts, as the stores of one build do; else every text is counted again.
    Each kind is made again on its own, so the counts of all kinds are never copied at once.
    Raises ``CountsLost`` when a store's stored rows, needed to make it again, cannot be read."""
    keys = document_keys(documents) if keys is None else keys
    stores = [store or NOTHING_COUNTED for store in known]
    if any(store.keys != stores[0].keys for store in stores):
        stores = [NOTHING_COUNTED] * len(stores)
    have = stores[0].row_of
    fresh: dict[bytes, Document] = {}  # in the documents' order
    for key, document in zip(keys, documents):
        if key not in have and key not in fresh:
            fresh[key] = document
    order = tuple(dict.fromkeys(keys))
    unused = len(have) - (len(order) - len(fresh))  # rows of texts no longer counted
    compact = _worth_compacting(stores[0].stored_rows, len(have) + len(fresh), unused)
    if not fresh and not compact:
        return tuple(stores)
    if compact and len(order) > len(fresh):  # some texts are known: their rows are read first, so
        for store in stores:                 # should they be lost, nothing has been counted in vain
            store.stored()
    to_count = list(fresh.values())
    parts = [part if isinstance(part, tuple) else (part,) for part in map_with_shared(
        _count_share, (count, to_count), shares(len(to_count), jobs, smallest or PARALLEL_MIN, TASK_MAX), jobs)]
    made = []
    for kind, store in enumerate(stores):
        kind_parts = [part[kind] for part in parts]
        if kind == len(stores) - 1:
            del parts  # the last kind's parts go as they are taken in
        names, rows = _renumbered(store.names, kind_parts)
        del kind_parts
        made.append(_compacted(store, names, rows, list(fresh), order) if compact
                    else _with_rows(store, names, rows, list(fresh)))
        del rows
    return tuple(made)


def counts_of(documents: Sequence[Document], jobs: int = 1, known: CountedDocuments | None = None,
              count: Callable[[Sequence[Document]], TermCounts] = count_terms,
              smallest: int | None = None) -> tuple[CountedDocuments, TermCounts]:
    """``count_documents``, and the counts of ``documents`` from it, one row each in their
    order: each text is hashed once."""
    keys = document_keys(documents)
    store = count_documents(documents, jobs, known, keys, count, smallest)
    return store, store.select(keys)


def _worth_compacting(stored_rows: int, rows: int, unused: int) -> bool:
    """Whether a store of ``rows``, ``unused`` of them of texts no longer counted, is to be made
    again of the texts counted: it has no stored rows, or its rows added and unused are too many."""
    return not stored_rows or (rows - stored_rows + unused) > COMPACT_SHARE * rows


_RENUMBER_CHUNK = 1 << 20  # entries renumbered at once, which bounds the temporary copy


def _renumbered(names: Sequence[str], parts: Sequence[TermCounts]) -> tuple[list[str], list[TermCounts]]:
    """The terms of a store with ``names`` and the ``parts`` counted to go in it, and the parts
    over those terms (used up: their columns are renumbered in place). The store's terms keep
    their numbers, and new ones are numbered after them in order of first use."""
    number = {name: n for n, name in enumerate(names)}
    renumbered = []
    for part in parts:
        ids = np.array([number.setdefault(name, len(number)) for name in part.names], dtype=np.int32)
        columns = part.counts.indices
        if not columns.flags.writeable:  # a buffer lent by whatever brought the part back
            columns = columns.copy()
        for start in range(0, len(columns), _RENUMBER_CHUNK):  # in place: no second copy of every entry
            columns[start:start + _RENUMBER_CHUNK] = ids[columns[start:start + _RENUMBER_CHUNK]]
        fresh = sp.csr_matrix((part.counts.data, columns, part.counts.indptr), shape=(part.counts.shape[0], len(number)))
        fresh.sort_indices()
        renumbered.append(TermCounts(fresh, [], part.lengths))
    width = len(number)
    return list(number), [TermCounts(_widened(part.counts, width), [], part.lengths) for part in renumbered]


def _with_rows(store: CountedDocuments, names: list[str], rows: Sequence[TermCounts], keys: Sequence[bytes]
               ) -> CountedDocuments:
    """``store`` with ``rows`` (the documents of ``keys``, in order, over ``names``) added."""
    if not keys:
        return store
    added = sp.vstack([_widened(store.added, len(names)), *(part.counts for part in rows)], format="csr")
    added.has_sorted_indices = True  # each row's as kept, or sorted as renumbered
    return CountedDocuments((*store.keys, *keys), names,
                            np.concatenate([store.lengths, *(part.lengths for part in rows)]).astype(np.float32),
                            added, store.stored, store.stored_width, store.stored_id)


def _compacted(store: CountedDocuments, names: list[str], rows: Sequence[TermCounts], keys: Sequence[bytes],
               order: Sequence[bytes]) -> CountedDocuments:
    """A store of just the documents of ``order``, in that order, all stored, under a new id: from
    ``store`` or the fresh ``rows`` (the documents of ``keys``, in order, over ``names``), made in
    one copy, as runs of consecutive rows are taken whole. Terms no row has any more are dropped
    once they are a fifth of all, which bounds the store without renumbering it on every edit."""
    if not order:
        return CountedDocuments.of((), count_terms([]))
    width = len(names)
    place = dict(zip(keys, ((2 + n, row) for n, part in enumerate(rows) for row in range(part.counts.shape[0]))))
    have, stored_rows = store.row_of, store.stored_rows

    def source(key: bytes) -> tuple[int, int]:  # 0: a stored row, 1: an added one, 2 on: a fresh one
        row = have.get(key)
        return place[key] if row is None else (0, row) if row < stored_rows else (1, row - stored_rows)
    sources = np.array([source(key) for key in order], dtype=np.int64).reshape(-1, 2)
    # The stored rows are read only when some are kept. Empty matrices are of the kind's type
    # (an empty store's may not be): the result is of the types of them all.
    dtype = rows[0].counts.dtype if rows else store.added.dtype
    stored = store.stored() if np.any(sources[:, 0] == 0) else sp.csr_matrix((0, width), dtype=dtype)
    added = store.added if store.added.shape[0] else sp.csr_matrix((0, width), dtype=dtype)
    matrices = [_widened(stored, width), _widened(added, width), *(part.counts for part in rows)]
    lengths = [store.lengths[:stored_rows], store.lengths[stored_rows:], *(part.lengths for part in rows)]
    runs = row_runs(sources[:, 0], sources[:, 1])
    matrix = sparse_rows(matrices, runs, width)
    matrix.has_sorted_indices = True  # each row's as kept, or sorted as renumbered
    counts = TermCounts(matrix, names, dense_rows(lengths, runs))
    del matrices, matrix
    unused = len(names) - np.count_nonzero(counts.document_frequency)
    return CountedDocuments.of(order, _pruned(counts) if unused * 5 > len(names) else counts)


def _count_share(shared: tuple[Callable[[Sequence[Document]], TermCounts | tuple[TermCounts, ...]],
                                Sequence[Document]], share: range) -> TermCounts | tuple[TermCounts, ...]:
    count, documents = shared
    return count(documents[share.start:share.stop])


def _pruned(counts: TermCounts) -> TermCounts:
    """``counts`` without the terms no row has (those of texts no longer counted)."""
    used = np.flatnonzero(counts.document_frequency)
    if len(used) == len(counts.names):
        return counts
    renumber = np.full(len(counts.names), -1, dtype=np.int32)
    renumber[used] = np.arange(len(used), dtype=np.int32)
    matrix = counts.counts
    return TermCounts(sp.csr_matrix((matrix.data, renumber[matrix.indices], matrix.indptr),
                                    shape=(matrix.shape[0], len(used))),
                      [counts.names[n] for n in used], counts.lengths)
