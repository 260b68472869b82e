"""The terms of a text, and how often each occurs in each of many documents.

Counting is the one step of the text stages that touches every word of a site, so it avoids a
Python object per word beyond the split itself: a text's pieces are looked up in C (``map``)
and the counts are added up with array arithmetic.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .bodies import body_key, body_text
from .model import StoredBody
from .parallel import map_with_shared, shares
from .sparse_rows import dense_rows, row_runs, sparse_rows

TITLE_WEIGHT = 2  # a title word counts as often as this many body words
COUNT_CHUNK = 2000  # documents whose pieces are held at once, which bounds their memory
PARALLEL_MIN = 5000  # fewer documents than this per process cost more to hand over than to count
TASK_MAX = 10000  # documents counted or weighed per task at most: a process's memory grows with them

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_STOPWORDS = frozenset("""
a about above after again against all almost also although am among an and another any are around as at
be because been before being below between both but by can could did do does doing down during each
either even ever every few for from further get got had has have having he her here hers herself him
himself his how however i if in into is it its itself just last least less like made make many may me
might more most much must my myself never new next no nor not now of off often on once one only or other
our ours ourselves out over own per put said same say says see seen she should since so some still such
than that the their theirs them themselves then there these they this those though through thus to too
two under until up upon us very was we well were what when where whether which while who whom whose why
will with within without would year years yet you your yours yourself yourselves mr mrs ms told
""".split())


def terms(text: str) -> list[str]:
    """Content words, lower case: no stopwords, numbers or words shorter than three letters.

    A trailing plural ``s`` goes ("elections" meets "election"), a light touch that needs no
    stemmer and rarely joins unrelated words.
    """
    return [term for term in map(_cached_term, _WORD.findall(text.lower())) if term]


def _cached_term(word: str) -> str:
    term = _TERM_OF.get(word)
    if term is None:
        term = _term(word)
        if len(_TERM_OF) < _TERM_CACHE:
            _TERM_OF[word] = term
    return term


_TERM_OF: dict[str, str] = {}  # word -> its term ("" for none): most words of a corpus repeat
_TERM_CACHE = 500_000


def _term(word: str) -> str:
    if len(word) < 3 or word in _STOPWORDS:
        return ""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# A document's texts, in an order its counting function knows: (title, body) to relate articles.
Document = tuple[str | StoredBody, ...]


@dataclass(frozen=True, eq=False)
class TermCounts:
    """How often each term occurs in each document: one row per document, one column per term."""

    counts: sp.csr_matrix  # int32 counts (int8 for flags), columns sorted within each row
    names: list[str]  # the term of each column, in order of first use
    lengths: np.ndarray  # float32: each document's terms in all (title terms weighted)

    @classmethod
    def of(cls, counts: sp.csr_matrix, names: list[str]) -> "TermCounts":
        """``counts`` (no explicit zeros) with each document's length worked out from them."""
        return cls(counts, names, row_sums(counts).astype(np.float32))

    @functools.cached_property
    def document_frequency(self) -> np.ndarray:
        """int64: the documents each term occurs in, tallied when first asked (counts read back
        from the build cache are mostly gathered into others, never asked: 0.02 s a store at
        10,000 articles)."""
        return rows_per_column(self.counts.indices, len(self.names))


# numpy copies whatever it adds up or tallies into 64 bits first: at 100,000 articles a copy of
# every (document, term) entry is about 300 MB, at the build's peak. So it is done in parts.
_TALLY_ROWS = 4096  # rows added up at once
_TALLY_ENTRIES = 1 << 22  # entries tallied at once


def row_sums(matrix: sp.csr_matrix) -> np.ndarray:
    """Each row's entries added up, in 64 bits (``matrix.sum(axis=1)``, made in parts)."""
    indptr = matrix.indptr
    sums = np.zeros(matrix.shape[0], dtype=np.int64)
    filled = np.flatnonzero(indptr[:-1] < indptr[1:])  # reduceat gives an empty row its next entry
    for first in range(0, len(filled), _TALLY_ROWS):
        rows = filled[first:first + _TALLY_ROWS]
        begin, end = indptr[rows[0]], indptr[rows[-1] + 1]
        sums[rows] = np.add.reduceat(matrix.data[begin:end], indptr[rows] - begin, dtype=np.int64)
    return sums


def rows_per_column(indices: np.ndarray, width: int) -> np.ndarray:
    """How often each of ``width`` columns occurs in ``indices`` (``np.bincount``, made in parts):
    of a matrix without duplicate entries, the rows having each column."""
    tally = np.zeros(width, dtype=np.int64)
    for start in range(0, len(indices), _TALLY_ENTRIES):
        tally += np.bincount(indices[start:start + _TALLY_ENTRIES], minlength=width)
    return tally


@dataclass(frozen=True)
class PresenceSplit:
    """A second way of splitting text into terms (search's), whose terms ``count_with_presence``
    notes in the same pass as it counts: for each document, which occur in its body and its
    further texts.

    Its functions are module-level, so it travels to the processes that count."""

    of_piece: Callable[[str], tuple[str, ...]]  # the terms of a lower-cased piece of a text taken as it is
    takes_as_is: Callable[[str], bool]  # whether a text's lower-cased pieces are the pieces this split makes
    of_text: Callable[[str], Collection[str]]  # the terms of any other text


def count_terms(documents: Sequence[Document]) -> TermCounts:
    """The terms of ``(title, body)`` documents counted, title terms ``TITLE_WEIGHT`` times
    (a stored body is read here, in the process counting it).

    Words never span white space, so each text is split on it; a piece ("harbour,", "(Moscow")
    is turned into terms the first time it is met, and every later occurrence is one dictionary
    lookup in C. A piece may hold no term ("the,") or several ("Paris/London").
    """
    return _count(documents, None)[0]


def count_with_presence(documents: Sequence[Document], presence: PresenceSplit) -> tuple[TermCounts, TermCounts]:
    """``count_terms`` of ``(title, body, further text, ...)`` documents, and the terms of
    ``presence``'s split in each one's body and further texts (int8 flags, 1: present), found in
    the same pass: each body is read and split once for both."""
    counts, present = _count(documents, presence)
    assert present is not None
    return counts, present


def _count(documents: Sequence[Document], presence: PresenceSplit | None) -> tuple[TermCounts, TermCounts | None]:
    """``count_terms``, and with ``presence`` its terms too (``count_with_presence``)."""
    term_ids: dict[str, int] = {}
    # piece -> its terms, flat: piece p's terms are piece_terms[piece_start[p]:piece_start[p + 1]]
    piece_start, piece_terms = array("q", [0]), array("q")
    present_ids: dict[str, int] = {}  # a term of the presence split -> its column
    present_start, present_terms = array("q", [0]), array("q")  # piece -> its presence terms, flat

    def presence_ids(found: Iterable[str]) -> Iterator[int]:
        return (present_ids.setdefault(term, len(present_ids)) for term in found)

    class PieceIds(dict):
        def __missing__(self, piece: str) -> int:  # a piece met for the first time
            found = (_cached_term(word) for word in _WORD.findall(piece))
            piece_terms.extend(term_ids.setdefault(term, len(term_ids)) for term in found if term)
            piece_start.append(len(piece_terms))
            if presence is not None:
                present_terms.extend(presence_ids(presence.of_piece(piece)))
                present_start.append(len(present_terms))
            self[piece] = len(self)
            return self[piece]

    piece_ids = PieceIds()
    blocks, present_blocks = [], []
    for start in range(0, len(documents), COUNT_CHUNK):
        chunk = documents[start:start + COUNT_CHUNK]
        pieces: list[str] = []
        sizes, body_sizes = array("q"), array("q")
        # Presence found apart from the pieces (further texts, bodies not taken as they are).
        present_rows, present_columns = array("q"), array("q")
        for row, (title, body, *further) in enumerate(chunk):
            before = len(pieces)
            text = body_text(body)
            pieces += text.lower().split()
            if presence is not None:
                as_is = presence.takes_as_is(text)
                body_sizes.append(len(pieces) - before if as_is else 0)
                for other in further if as_is else (text, *further):
                    found = presence.of_text(other)
                    present_columns.extend(presence_ids(found))
                    present_rows.extend([row] * len(found))
            pieces += title.lower().split() * TITLE_WEIGHT
            sizes.append(len(pieces) - before)
        found = np.fromiter(map(piece_ids.__getitem__, pieces), dtype=np.int64, count=len(pieces))
        del pieces
        rows_of_pieces = np.repeat(np.arange(len(chunk), dtype=np.int64), np.frombuffer(sizes, dtype=np.int64))
        # One entry per (occurrence, term of its piece); duplicates add up in the matrix.
        occurrence, columns = _terms_of(found, piece_start, piece_terms)
        blocks.append(sp.csr_matrix((np.ones(len(columns), dtype=np.int32), (rows_of_pieces[occurrence], columns)),
                                    shape=(len(chunk), len(term_ids))))
        if presence is not None:
            present_blocks.append(_present(found, rows_of_pieces, sizes, body_sizes, present_start, present_terms,
                                           np.frombuffer(present_rows, dtype=np.int64),
                                           np.frombuffer(present_columns, dtype=np.int64), len(present_ids)))
    counts = _stacked(blocks, list(term_ids), np.int32)
    return counts, _stacked(present_blocks, list(present_ids), np.int8) if presence is not None else None


def _stacked(blocks: list[sp.csr_matrix], names: list[str], dtype: type) -> TermCounts:
    """The chunks' rows, one below the other, over every column numbered by the end (later
    chunks number more)."""
    width = len(names)
    blocks = [sp.csr_matrix((block.data.astype(dtype, copy=False), block.indices, block.indptr),
                            shape=(block.shape[0], width)) for block in blocks]
    counts = sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, width), dtype=dtype)
    counts.sort_indices()
    return TermCounts.of(counts, names)


def _terms_of(pieces: np.ndarray, piece_start: array, piece_terms: array) -> tuple[np.ndarray, np.ndarray]:
    """For each occurrence of a piece, one entry per term of the piece: (occurrence, term)."""
    starts = np.array(piece_start, dtype=np.int64)
    per_occurrence = (starts[1:] - starts[:-1])[pieces]
    occurrence = np.repeat(np.arange(len(pieces)), per_occurrence)
    within = np.arange(len(occurrence)) - np.repeat(np.cumsum(per_occurrence) - per_occurrence, per_occurrence)
    return occurrence, np.array(piece_terms, dtype=np.int64)[starts[pieces[occurrence]] + within]


def _present(found: np.ndarray, rows_of_pieces: np.ndarray, sizes: array, body_sizes: array, present_start: array,
             present_terms: array, other_rows: np.ndarray, other_columns: np.ndarray, width: int) -> sp.csr_matrix:
    """A chunk's presence columns: 1 where a term occurs in a body's pieces (the first
    ``body_sizes`` of each document's ``sizes``) or was found apart (``other_``)."""
    first = np.cumsum(np.frombuffer(sizes, dtype=np.int64)) - np.frombuffer(sizes, dtype=np.int64)
    in_body = np.arange(len(found)) - first[rows_of_pieces] < np.frombuffer(body_sizes, dtype=np.int64)[rows_of_pieces]
    rows = len(first)
    # Each distinct piece of a body once, then its terms: a body repeats most of its pieces.
    pieces = sp.csr_matrix((np.ones(int(np.count_nonzero(in_body)), dtype=np.int32),
                            (rows_of_pieces[in_body], found[in_body])), shape=(rows, int(found.max(initial=-1)) + 1))
    pieces.sum_duplicates()
    piece_rows = np.repeat(np.arange(rows, dtype=np.int64), np.diff(pieces.indptr))
    occurrence, columns = _terms_of(pieces.indices.astype(np.int64), present_start, present_terms)
    present = sp.csr_matrix((np.ones(len(columns) + len(other_columns), dtype=np.int32),
                             (np.concatenate([piece_rows[occurrence], other_rows]),
                              np.concatenate([columns, other_columns]))), shape=(rows, width))
    present.sum_duplicates()
    present.data[:] = 1
    return present


def names_array(names: Sequence[str]) -> np.ndarray:
    """Terms as one array of bytes to store (no term holds a line break): ``names_from`` reads it."""
    return np.frombuffer("\n".join(names).encode("utf-8", "surrogatepass"), dtype=np.uint8)


def names_from(stored: np.ndarray) -> list[str]:
    """The terms ``names_array`` stored."""
    return stored.tobytes().decode("utf-8", "surrogatepass").split("\n") if stored.size else []


def document_keys(documents: Sequence[Document]) -> list[bytes]:
    """A hash of each document's texts, from their ``body_key`` (a stored body is not read):
    equal keys, equal counts."""
    return [hashlib.blake2b(b"".join(map(body_key, document)), digest_size=16).digest() for document in documents]


class CountsLost(Exception):
    """The stored rows of a ``CountedDocuments`` could not be read when they were needed: the
    texts must be counted again (the message says what was found)."""


def _nothing_stored() -> sp.csr_matrix:
    return sp.csr_matrix((0, 0), dtype=np.int32)


@dataclass(frozen=True, eq=False)
class CountedDocuments:
    """The term counts of documents by key, one row each, in no particular order: kept from one
    build to the next (``build_cache``), so a document whose text is unchanged is not counted
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
    stored_rows: int = 0
    stored_width: int = 0  # the stored rows' columns: the first of ``names``
    stored_id: bytes = b""  # which stored rows these are: the same in the file of the rows added to them

    @classmethod
    def of(cls, keys: Sequence[bytes], counts: TermCounts) -> CountedDocuments:
        """A store of these rows, all stored (in memory), under a new id."""
        matrix, width = counts.counts, len(counts.names)
        return cls(tuple(keys), counts.names, counts.lengths, sp.csr_matrix((0, width), dtype=matrix.dtype),
                   functools.partial(_given, matrix), matrix.shape[0], width, os.urandom(16))

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
        rows = self.rows[which]
        if isinstance(self.source, TermCounts):
            return rows_of(self.source, rows)
        try:
            return self.source.rows_at(rows)
        except CountsLost:
            if self.recount is None:
                raise
            return self.recount(which)

    def every(self) -> TermCounts:
        """Every document's row, in order."""
        if isinstance(self.source, TermCounts) and np.array_equal(self.rows, np.arange(len(self.rows))):
            return self.source
        return self.take(np.arange(len(self.rows), dtype=np.int64))


def rows_of(counts: TermCounts, rows: np.ndarray) -> TermCounts:
    """These rows of ``counts``, in this order, over the same terms."""
    matrix = counts.counts[rows] if len(rows) else sp.csr_matrix((0, len(counts.names)), dtype=counts.counts.dtype)
    matrix.sort_indices()
    return TermCounts(matrix, counts.names, counts.lengths[rows])


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
                            added, store.stored, store.stored_rows, store.stored_width, store.stored_id)


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
