"""The terms of a text, and how often each occurs in each of many documents.

Counting is the one step of the text stages that touches every word of a site, so it avoids a
Python object per word: a text's pieces are split and numbered with array arithmetic
(``pieces``), and the counts are added up with it too.
"""

from __future__ import annotations

import functools
import hashlib
import re
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .bodies import body_key, body_text
from .model import StoredBody
from .pieces import KeysCollide, PieceNumbers, PlainPieceNumbers

TITLE_WEIGHT = 2  # a title word counts as often as this many body words
COUNT_CHUNK = 250  # documents whose pieces are held at once: their memory, made afresh each chunk (2000: 85 MB more, 0.3 s more CPU per 5,000)

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

    def rows_at(self, rows: np.ndarray) -> TermCounts:
        """These rows, in this order, over the same terms (itself when they are all, in order)."""
        if len(rows) == self.counts.shape[0] and np.array_equal(rows, np.arange(len(rows))):
            return self
        matrix = self.counts[rows] if len(rows) else sp.csr_matrix((0, len(self.names)), dtype=self.counts.dtype)
        matrix.sort_indices()
        return TermCounts(matrix, self.names, self.lengths[rows])


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
    is turned into terms the first time it is met, and every later occurrence is only numbered
    (``pieces.PieceNumbers``). A piece may hold no term ("the,") or several ("Paris/London").
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
    try:
        return _count_with(PieceNumbers, documents, presence)
    except KeysCollide:  # two pieces that the fast way cannot tell apart: counted the plain way
        return _count_with(PlainPieceNumbers, documents, presence)


def _count_with(numbering: type[PieceNumbers | PlainPieceNumbers], documents: Sequence[Document],
                presence: PresenceSplit | None) -> tuple[TermCounts, TermCounts | None]:
    """``_count``, numbering the pieces of the texts with ``numbering``."""
    term_ids: dict[str, int] = {}
    # piece -> its terms, flat: piece p's terms are piece_terms[piece_start[p]:piece_start[p + 1]]
    piece_start, piece_terms = array("q", [0]), array("q")
    present_ids: dict[str, int] = {}  # a term of the presence split -> its column
    present_start, present_terms = array("q", [0]), array("q")  # piece -> its presence terms, flat

    def presence_ids(found: Iterable[str]) -> Iterator[int]:
        return (present_ids.setdefault(term, len(present_ids)) for term in found)

    def met(piece: str) -> None:  # a piece met for the first time: its terms
        found = (_cached_term(word) for word in _WORD.findall(piece))
        piece_terms.extend(term_ids.setdefault(term, len(term_ids)) for term in found if term)
        piece_start.append(len(piece_terms))
        if presence is not None:
            present_terms.extend(presence_ids(presence.of_piece(piece)))
            present_start.append(len(present_terms))

    piece_numbers = numbering(met)
    blocks, present_blocks = [], []
    for start in range(0, len(documents), COUNT_CHUNK):
        chunk = documents[start:start + COUNT_CHUNK]
        texts: list[str] = []  # each document's body, then its title TITLE_WEIGHT times, lower-cased
        as_is = array("b")  # whether each body's pieces are presence's
        # Presence found apart from the pieces (further texts, bodies not taken as they are).
        present_rows, present_columns = array("q"), array("q")
        for row, (title, body, *further) in enumerate(chunk):
            text = body_text(body)
            texts.append(text.lower())
            texts += [title.lower()] * TITLE_WEIGHT
            if presence is not None:
                as_is.append(presence.takes_as_is(text))
                for other in further if as_is[-1] else (text, *further):
                    found = presence.of_text(other)
                    present_columns.extend(presence_ids(found))
                    present_rows.extend([row] * len(found))
        found, per_text = piece_numbers.of(texts)
        del texts
        per_text = per_text.reshape(len(chunk), 1 + TITLE_WEIGHT)
        sizes = per_text.sum(axis=1)
        rows_of_pieces = np.repeat(np.arange(len(chunk), dtype=np.int64), sizes)
        # One entry per (occurrence, term of its piece); duplicates add up in the matrix.
        occurrence, columns = _terms_of(found, piece_start, piece_terms)
        blocks.append(sp.csr_matrix((np.ones(len(columns), dtype=np.int32), (rows_of_pieces[occurrence], columns)),
                                    shape=(len(chunk), len(term_ids))))
        if presence is not None:
            body_sizes = np.where(np.frombuffer(as_is, dtype=np.int8) != 0, per_text[:, 0], 0)
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


def _present(found: np.ndarray, rows_of_pieces: np.ndarray, sizes: np.ndarray, body_sizes: np.ndarray,
             present_start: array, present_terms: array, other_rows: np.ndarray, other_columns: np.ndarray,
             width: int) -> sp.csr_matrix:
    """A chunk's presence columns: 1 where a term occurs in a body's pieces (the first
    ``body_sizes`` of each document's ``sizes``) or was found apart (``other_``)."""
    first = np.cumsum(sizes) - sizes
    in_body = np.arange(len(found)) - first[rows_of_pieces] < body_sizes[rows_of_pieces]
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


DOCUMENT_KEY_BYTES = 16  # of each document's key (``document_keys``)


def document_keys(documents: Sequence[Document]) -> list[bytes]:
    """A hash of each document's texts, from their ``body_key`` (a stored body is not read):
    equal keys, equal counts."""
    return [hashlib.blake2b(b"".join(map(body_key, document)), digest_size=DOCUMENT_KEY_BYTES).digest() for document in documents]
