"""The terms of a text, and how often each occurs in each of many documents.

Counting is the one step of the text stages that touches every word of a site, so it avoids a
Python object per word beyond the split itself: a text's pieces are looked up in C (``map``)
and the counts are added up with array arithmetic.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

TITLE_WEIGHT = 2  # a title word counts as often as this many body words
COUNT_CHUNK = 2000  # documents whose pieces are held at once, which bounds their memory

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


@dataclass(frozen=True, eq=False)
class TermCounts:
    """How often each term occurs in each document: one row per document, one column per term."""

    counts: sp.csr_matrix  # int32, columns sorted within each row
    names: list[str]  # the term of each column, in order of first use
    lengths: np.ndarray  # float32: each document's terms in all (title terms weighted)
    document_frequency: np.ndarray  # int64: the documents each term occurs in


def count_terms(documents: Sequence[tuple[str, str]]) -> TermCounts:
    """The terms of ``(title, body)`` documents counted, title terms ``TITLE_WEIGHT`` times.

    Words never span white space, so each text is split on it; a piece ("harbour,", "(Moscow")
    is turned into terms the first time it is met, and every later occurrence is one dictionary
    lookup in C. A piece may hold no term ("the,") or several ("Paris/London").
    """
    term_ids: dict[str, int] = {}
    # piece -> its terms, flat: piece p's terms are piece_terms[piece_start[p]:piece_start[p + 1]]
    piece_start, piece_terms = array("q", [0]), array("q")

    class PieceIds(dict):
        def __missing__(self, piece: str) -> int:  # a piece met for the first time
            found = (_cached_term(word) for word in _WORD.findall(piece))
            piece_terms.extend(term_ids.setdefault(term, len(term_ids)) for term in found if term)
            piece_start.append(len(piece_terms))
            self[piece] = len(self)
            return self[piece]

    piece_ids = PieceIds()
    blocks = []
    for start in range(0, len(documents), COUNT_CHUNK):
        chunk = documents[start:start + COUNT_CHUNK]
        pieces: list[str] = []
        sizes = array("q")
        for title, body in chunk:
            before = len(pieces)
            pieces += body.lower().split()
            pieces += title.lower().split() * TITLE_WEIGHT
            sizes.append(len(pieces) - before)
        found = np.fromiter(map(piece_ids.__getitem__, pieces), dtype=np.int64, count=len(pieces))
        del pieces
        # One entry per (occurrence, term of its piece); duplicates add up in the matrix.
        starts = np.array(piece_start, dtype=np.int64)
        per_occurrence = (starts[1:] - starts[:-1])[found]
        occurrence = np.repeat(np.arange(len(found)), per_occurrence)
        within = np.arange(len(occurrence)) - np.repeat(np.cumsum(per_occurrence) - per_occurrence, per_occurrence)
        columns = np.array(piece_terms, dtype=np.int64)[starts[found[occurrence]] + within]
        rows = np.repeat(np.arange(len(chunk), dtype=np.int64), np.frombuffer(sizes, dtype=np.int64))[occurrence]
        blocks.append(sp.csr_matrix((np.ones(len(columns), dtype=np.int32), (rows, columns)),
                                    shape=(len(chunk), len(term_ids))))
    width = len(term_ids)
    blocks = [sp.csr_matrix((b.data, b.indices, b.indptr), shape=(b.shape[0], width)) for b in blocks]
    counts = sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, width), dtype=np.int32)
    counts.sort_indices()
    lengths = np.asarray(counts.sum(axis=1), dtype=np.float32).ravel()
    return TermCounts(counts, list(term_ids), lengths, np.bincount(counts.indices, minlength=width))
