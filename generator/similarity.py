"""What articles are compared by: BM25-weighted term vectors, a candidate index and latent topics.

Every article becomes a sparse vector over the words of its title (counted twice) and body,
weighted by BM25 (term frequency saturates, long articles do not win by length) times the
word's rarity, and scaled to length 1, so the dot product of two vectors is their cosine.

Candidates come from an index of each article's ``TERMS_PER_ARTICLE`` strongest words (as many
as fit ``POSTINGS_BUDGET``), leaving out words found in more than ``MAX_SHARE`` of the articles:
two articles are only compared when they share such a word (``neighbours.py``), so the cost
follows the index's posting lists, never all pairs. Latent topics (LSA) bring together articles
about one subject in different words.

Counting and weighing words run over several processes on a large site; the results are merged
in a fixed order, so they are the same for any number of processes.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .parallel import map_in_threads, map_with_shared, shares
from .sparse_rows import dense_rows, row_runs, sparse_rows
from .count_stores import PARALLEL_MIN, TASK_MAX, CountRows, counts_of
from .term_counts import Document, TermCounts, document_keys
from .text_model import TextModel

TERMS_PER_ARTICLE = 48  # words per article in the candidate index
MAX_SHARE = 0.1  # a word in more than a tenth of the articles finds too many candidates to index
# Each indexed word costs its posting list (the articles having it) per article, so an article's
# indexed words may have this many postings in all: the candidate search grows linearly with the
# site, whatever its vocabulary (strong words are rare, so a budget seldom binds on real text).
POSTINGS_BUDGET = 2000
ALWAYS_INDEXED = 20  # a word in at most this many articles is indexable on any site: on a small one,
                     # where a tenth is a handful, two reports sharing only common words still meet
BM25_K1, BM25_B = 1.2, 0.75
TOPIC_DIMENSIONS = (16, 128)  # fewest and most latent topics
LSA_SAMPLE = 20000  # articles the latent topics are fitted on
PRODUCT_ROWS = 2000  # fewest rows of a sparse product given to a thread
POWER_ITERATIONS = 2  # of the randomized SVD: more is closer to the exact SVD, and slower
# How words are weighed and topics fitted: a kept model (``TextModel``) of other settings is refitted.
MODEL_SETTINGS = (f"bm25 {BM25_K1} {BM25_B}; topics {TOPIC_DIMENSIONS} sample {LSA_SAMPLE} power {POWER_ITERATIONS} "
                  f"signs keyed 0; df >= 2")

@dataclass(frozen=True, eq=False)
class TextFeatures:
    """What the text stages share, computed once per build: one row per article."""

    vectors: sp.csr_matrix  # unit-length BM25 term vectors
    index: sp.csr_matrix  # 0/1: each article's strongest indexable words
    words: tuple[str, ...]  # the term of each column
    topics: np.ndarray  # latent topic coordinates, strongest topic first (not unit length)
    model: TextModel | None = None  # the statistics they were weighed with, when asked to keep them
    keys: np.ndarray | None = None  # uint64 per row: its text key (``text_keys``), when a model is kept


@dataclass(frozen=True, eq=False)
class KeptFeatures:
    """A build's rows weighed with its text model, by text key, kept for the next build: with a
    model a row is a function of its own text and the model alone, so an unchanged article's
    row is taken again, not weighed (at 10,000 articles weighing and projecting all took 0.5 s
    of a one-edit rebuild)."""

    model: str  # the fingerprint of the text model the rows were weighed with
    keys: np.ndarray  # uint64 per row: its text key
    vectors: sp.csr_matrix
    index: sp.csr_matrix
    topics: np.ndarray

    @classmethod
    def of(cls, features: TextFeatures) -> KeptFeatures | None:
        """What the next build may take of ``features`` (None without a model)."""
        if features.model is None or features.keys is None:
            return None
        return cls(features.model.fingerprint, features.keys, features.vectors, features.index, features.topics)


def text_features(documents: Sequence[Document], jobs: int = 1, counts: TermCounts | CountRows | None = None,
                  model: TextModel | None = None, keep_model: bool = False,
                  keys: Sequence[bytes] | None = None, kept: KeptFeatures | None = None) -> TextFeatures:
    """Term vectors, candidate index and latent topics of ``(title, body)`` documents; words are
    counted over ``jobs`` processes, unless ``counts`` gives them (one row per document, in order),
    with ``keys`` the ``document_keys`` of the texts counted, which then key the rows.

    With ``keep_model`` the words are weighed and the topics found with ``model`` when it fits
    these documents (``TextModel.fits``), else with statistics fitted on them, which come back as
    the features' model (see ``text_model``). Rows ``kept`` by the last build under the same
    model are taken for the texts they were weighed from: of ``counts``, only the other rows are
    then taken."""
    if keep_model or len(documents) > LSA_SAMPLE:
        keys = text_keys(documents) if keys is None else row_keys(keys)
    pinned = model if keep_model and model is not None and model.fits(keys, MODEL_SETTINGS) else None
    rows = _checked_counts(documents, jobs, counts)
    if pinned is not None and kept is not None and _weighed_alike(kept, pinned):
        vectors, index, topics = _weighed_again(rows, pinned, keys, kept, jobs)
        return TextFeatures(vectors, index, pinned.words, topics, pinned, keys)
    counts = rows.every()
    del rows
    vocabulary = _vocabulary(counts) if pinned is None else _pinned_vocabulary(counts, pinned)
    vectors, index = _weighed(counts, vocabulary, jobs)
    del counts  # let go of before the latent topics, where a large site's build peaks
    projection = pinned.projection if pinned is not None else \
        fitted_projection(vectors, vocabulary.words, jobs=jobs, row_keys=keys)
    if keep_model and pinned is None:
        pinned = TextModel(vocabulary.words, vocabulary.document_frequency, vocabulary.total,
                           vocabulary.average_length, projection, np.sort(keys), MODEL_SETTINGS)
    return TextFeatures(vectors, index, vocabulary.words, _product(vectors, projection, jobs),
                        pinned if keep_model else None, keys if keep_model else None)


def _weighed_alike(kept: KeptFeatures, model: TextModel) -> bool:
    width, dims = model.projection.shape
    return (kept.model == model.fingerprint and kept.vectors.shape[1] == kept.index.shape[1] == width
            and kept.topics.shape[1] == dims and kept.vectors.shape[0] == kept.index.shape[0] == len(kept.topics)
            == len(kept.keys))


def _weighed_again(rows: CountRows, model: TextModel, keys: np.ndarray, kept: KeptFeatures, jobs: int
                   ) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Vectors, index and topics of the documents of ``rows``: those of texts ``kept`` has taken
    from it, the others weighed with ``model`` and projected, each row as weighing it afresh
    would make it. Only the other rows' counts are taken."""
    place = rows_before(keys, kept.keys)
    from_new = place < 0
    new = np.flatnonzero(from_new)
    counts = rows.take(new)
    vectors, index = _weighed(counts, _pinned_vocabulary(counts, model), jobs)
    del counts
    topics = _product(vectors, model.projection, jobs)
    place[new] = np.arange(len(new))  # each new row's place among the new ones
    runs = row_runs(from_new.astype(np.int64), place)  # 0: a kept row, 1: a new one
    width = vectors.shape[1]
    return (sparse_rows((kept.vectors, vectors), runs, width), sparse_rows((kept.index, index), runs, width),
            dense_rows((kept.topics, topics), runs))


def rows_before(keys: np.ndarray, kept_keys: np.ndarray) -> np.ndarray:
    """Each key's row in ``kept_keys`` (the first of equal ones), -1 where it has none."""
    if not len(kept_keys):
        return np.full(len(keys), -1, dtype=np.int64)
    order = np.argsort(kept_keys, kind="stable")
    at = np.minimum(np.searchsorted(kept_keys[order], keys), len(kept_keys) - 1)
    return np.where(kept_keys[order][at] == keys, order[at], -1).astype(np.int64)


def term_vectors(documents: Sequence[Document], jobs: int = 1, counts: TermCounts | None = None
                 ) -> tuple[sp.csr_matrix, sp.csr_matrix, tuple[str, ...]]:
    """Rows, one per ``(title, body)``: the unit-length vectors, the candidate index (0/1), and
    the term of each column, weighed with statistics of these documents.

    The documents' terms are counted (over ``jobs`` processes), or taken from ``counts``.
    """
    counts = _checked_counts(documents, jobs, counts).every()
    vocabulary = _vocabulary(counts)
    return (*_weighed(counts, vocabulary, jobs), vocabulary.words)


def _checked_counts(documents: Sequence[Document], jobs: int, counts: TermCounts | CountRows | None) -> CountRows:
    if counts is None:
        return CountRows.of(counts_of(documents, jobs)[1])
    rows = CountRows.of(counts) if isinstance(counts, TermCounts) else counts
    if len(rows) != len(documents):
        raise ValueError(f"{len(rows)} rows of counts for {len(documents)} documents")
    return rows


def _weighed(counts: TermCounts, vocabulary: "_Vocabulary", jobs: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The unit-length vectors and candidate index of each row of ``counts``.

    Each of ``jobs`` processes weighs a share of the rows against the site's statistics. Each
    row's weights depend on its own counts and those statistics alone, so they are the same
    however the rows were counted or shared out.
    """
    weighed = map_with_shared(_weigh_share, (counts, vocabulary),
                              shares(counts.counts.shape[0], jobs, PARALLEL_MIN, TASK_MAX), jobs) \
        or [_weigh_share((counts, vocabulary), range(0))]
    return (sp.vstack([vectors for vectors, _ in weighed], format="csr"),
            sp.vstack([index for _, index in weighed], format="csr"))


@dataclass(frozen=True, eq=False)
class _Vocabulary:
    """The columns of the term vectors, and what weighing a share's counts needs to know of the
    whole site."""

    words: tuple[str, ...]  # the term of each column: the terms of at least two articles, sorted
    column_of: np.ndarray  # each counted term's column (-1: the term has none)
    document_frequency: np.ndarray  # float32, per column
    total: int  # articles
    average_length: np.float32


def _vocabulary(counts: TermCounts) -> _Vocabulary:
    names, frequency = counts.names, counts.document_frequency
    chosen = np.flatnonzero(frequency >= 2)
    chosen_names = [names[n] for n in chosen.tolist()]
    order = sorted(range(len(chosen_names)), key=chosen_names.__getitem__)  # by name
    chosen = chosen[np.array(order, dtype=np.int64)]
    column_of = np.full(len(names), -1, dtype=np.int32)
    column_of[chosen] = np.arange(len(chosen), dtype=np.int32)
    total = counts.counts.shape[0]
    # Lengths are whole numbers: their sum in float64 is exact, so in no way depends on order.
    average = np.float32(np.sum(counts.lengths, dtype=np.float64) / total) if total else np.float32(1.0)
    return _Vocabulary(tuple(names[i] for i in chosen), column_of, frequency[chosen].astype(np.float32), total,
                       average)


def _pinned_vocabulary(counts: TermCounts, model: TextModel) -> _Vocabulary:
    """The model's words and statistics, for these counts: a word it has no column for counts in
    an article's length alone, as a word of one article does in a fit."""
    column = {word: n for n, word in enumerate(model.words)}
    column_of = np.fromiter((column.get(name, -1) for name in counts.names), dtype=np.int32, count=len(counts.names))
    return _Vocabulary(model.words, column_of, model.document_frequency, model.total, model.average_length)


def _weigh_share(shared: tuple[TermCounts, _Vocabulary], share: range) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """One share's rows of the unit-length BM25 vectors and of the candidate index."""
    counted, vocabulary = shared
    counts, lengths = counted.counts[share.start:share.stop], counted.lengths[share.start:share.stop]
    total, average = vocabulary.total, vocabulary.average_length
    document_frequency = vocabulary.document_frequency
    rows_here = counts.shape[0]
    # Arrays below hold one entry per (article, word) and are float32 or int32, as memory grows with them.
    mapped = vocabulary.column_of[counts.indices]
    kept = mapped >= 0
    # A word in one article only compares it with nothing, so it gets no column; but it makes
    # that article's text differ from every other, so it still counts in the article's length.
    alone = counts.data[~kept].astype(np.float32)
    alone_rows = np.repeat(np.arange(rows_here, dtype=np.int32), np.diff(counts.indptr))[~kept]
    alone_weights = _bm25(alone, lengths[alone_rows], average) * np.log1p(np.float32(total))
    # Float32 squares added up in float64 (bincount's sums) are exact, so the same in any order,
    # while they span fewer than 2^29 (BM25 weights span about 2^12): a row's length does not
    # depend on the order its terms were counted or numbered in, nor then do its weights.
    squared_alone = np.bincount(alone_rows, weights=alone_weights * alone_weights, minlength=rows_here)
    del alone, alone_rows, alone_weights
    kept_before = np.concatenate(([0], np.cumsum(kept)))
    indptr = kept_before[counts.indptr]  # each row's entries that stay, counted up to it
    shape = (rows_here, len(vocabulary.words))
    matrix = sp.csr_matrix((counts.data[kept], mapped[kept], indptr), shape=shape)
    del mapped, kept
    matrix.sort_indices()
    cols = matrix.indices
    rows = np.repeat(np.arange(rows_here, dtype=np.int32), np.diff(matrix.indptr))
    weights = _bm25(matrix.data.astype(np.float32), lengths[rows], average)
    weights *= np.log1p(np.float32(total) / document_frequency)[cols]
    norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=rows_here) + squared_alone).astype(np.float32)
    norms[norms == 0] = 1.0
    vectors = sp.csr_matrix((weights / norms[rows], cols, matrix.indptr), shape=shape)
    # The candidate index: each row's strongest indexable words (ties by column, i.e. by word),
    # as many as fit its budget of postings.
    indexable = document_frequency[cols] <= max(ALWAYS_INDEXED, min(MAX_SHARE * total, POSTINGS_BUDGET))
    rows_i, cols_i, weights_i = rows[indexable], cols[indexable], weights[indexable]
    # Rows ascending, then weight descending; a stable sort keeps ties in column order.
    order = np.argsort(rows_i * np.float64(1024) - weights_i, kind="stable")  # weights stay below 64
    rows_i, cols_i = rows_i[order], cols_i[order]
    starts = np.searchsorted(rows_i, rows_i, side="left")
    postings = np.cumsum(document_frequency[cols_i], dtype=np.float64)
    spent = postings - (postings[starts] - document_frequency[cols_i[starts]])  # within the row, so far
    strongest = ((np.arange(len(rows_i)) - starts) < TERMS_PER_ARTICLE) & (spent <= POSTINGS_BUDGET)
    index = sp.csr_matrix((np.ones(int(strongest.sum()), dtype=np.float32), (rows_i[strongest], cols_i[strongest])),
                          shape=shape)
    return vectors, index


def _bm25(tfs: np.ndarray, lengths: np.ndarray, average: np.float32) -> np.ndarray:
    """Term frequency saturated by BM25, for texts of the given lengths."""
    return tfs * np.float32(BM25_K1 + 1) / (tfs + np.float32(BM25_K1) * (
        np.float32(1 - BM25_B) + np.float32(BM25_B) * lengths / average))


def latent_topics(vectors: sp.csr_matrix, words: Sequence[str], seed: int = 0, jobs: int = 1,
                  row_keys: np.ndarray | None = None) -> np.ndarray:
    """Rows in a space of latent topics fitted on them (``fitted_projection``)."""
    return _product(vectors, fitted_projection(vectors, words, seed, jobs, row_keys), jobs)


def fitted_projection(vectors: sp.csr_matrix, words: Sequence[str], seed: int = 0, jobs: int = 1,
                      row_keys: np.ndarray | None = None) -> np.ndarray:
    """A ``len(words) x topics`` float32 matrix taking rows to a space of latent topics (LSA by randomized SVD of the term vectors, whose columns
    are ``words``), the strongest topic first; compare them by cosine (``unit_rows``).

    Two articles about one subject in different words come close here. The number of topics
    grows as the square root of the article count (32 for 1,000 articles), within
    ``TOPIC_DIMENSIONS``: a few broad topics for a small site, finer ones for a large one.
    The random start is seeded, so a build repeats itself. A site of more than ``LSA_SAMPLE``
    articles is fitted on the rows with the lowest ``row_keys`` (``text_keys``; by default the
    first rows).
    """
    total, width = vectors.shape
    dims = int(min(TOPIC_DIMENSIONS[1], max(TOPIC_DIMENSIONS[0], round(math.sqrt(total)))))
    dims = min(dims, total - 1, width - 1)
    if dims < 2:
        return np.zeros((width, 0), dtype=np.float32)
    # The topics are fitted on at most LSA_SAMPLE articles (all of a smaller site) and every
    # article is then projected onto them: the fit's cost stops growing with the site. The
    # sample is chosen by key, not drawn by position: an article added or edited changes it by
    # that article at most, where a new draw would change the topics of every article.
    keys = np.arange(total, dtype=np.uint64) if row_keys is None else row_keys
    fitted = vectors if total <= LSA_SAMPLE else vectors[np.sort(np.argsort(keys, kind="stable")[:LSA_SAMPLE])]
    transposed = fitted.T.tocsr()  # a product with a CSR matrix is faster than with a transposed view
    basis = np.linalg.qr(_product(fitted, keyed_signs(words, dims + 8, seed), jobs))[0]
    for _ in range(POWER_ITERATIONS):
        basis = np.linalg.qr(_product(fitted, _product(transposed, basis, jobs), jobs))[0]
    small = np.asarray(_product(transposed, basis, jobs), dtype=np.float64)  # width x (dims + 8)
    # Its right singular vectors from the small Gram matrix's eigenvectors: one matrix product
    # instead of an SVD of a wide matrix, in float64 so that squaring loses nothing that matters.
    strengths, vectors_of_gram = np.linalg.eigh(small.T @ small)
    strongest = np.argsort(strengths)[::-1][:dims]
    singular = np.sqrt(np.maximum(strengths[strongest], 1e-30))
    return np.ascontiguousarray((small @ vectors_of_gram[:, strongest]) / singular, dtype=np.float32)


def keyed_signs(words: Sequence[str], width: int, seed: int = 0) -> np.ndarray:
    """A ``len(words) x width`` float32 matrix of random signs (+1/-1) whose row for a word
    depends on the word and ``seed`` alone, the random start of the latent topics.

    Drawn by position, a start would change whole when one word joined or left the vocabulary
    (every later column moves), like a new seed: one edit would reshuffle every related list.
    Keyed by word, the start keeps each word's row. Random signs serve a randomized SVD as
    well as normal draws do, and cost a hash per word.
    """
    # crc32 and adler32 of the word give 64 bits; splitmix64 steps stretch them to ``width`` bits.
    keys = np.fromiter((zlib.crc32(data) | zlib.adler32(data) << 32 for data in map(str.encode, words)),
                       dtype=np.uint64, count=len(words))
    steps = -(-width // 64)
    with np.errstate(over="ignore"):
        keys ^= np.uint64(seed) * np.uint64(0xD1B54A32D192ED03)  # another seed, other signs for every word
        state = keys[:, None] + np.arange(1, steps + 1, dtype=np.uint64) * _GOLDEN
        state = (state ^ (state >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        state = (state ^ (state >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        state ^= state >> np.uint64(31)
    bits = np.unpackbits(state.astype("<u8").view(np.uint8).reshape(len(words), steps * 8), axis=1)[:, :width]
    signs = bits.astype(np.float32)
    signs *= 2  # in place: at 100,000 articles this matrix is some 100 MB
    signs -= 1
    return signs


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # splitmix64's increment


def text_keys(documents: Sequence[Document]) -> np.ndarray:
    """A 64-bit key per document from its texts alone (``row_keys`` of their ``document_keys``)."""
    return row_keys(document_keys(documents))


def row_keys(keys: Sequence[bytes]) -> np.ndarray:
    """The first 8 bytes of each document's ``document_keys``, whose hash spreads them as evenly
    as a random draw, as a 64-bit key: which articles the latent topics are fitted on, and
    which changed since a text model was fitted or neighbours were found."""
    return np.frombuffer(b"".join(key[:8] for key in keys), dtype="<u8").astype(np.uint64)


def _product(matrix: sp.csr_matrix, dense: np.ndarray, jobs: int) -> np.ndarray:
    """``matrix @ dense`` as float32, its rows shared out over ``jobs`` threads (scipy's
    sparse product runs without the interpreter lock)."""
    step = max(PRODUCT_ROWS, -(-matrix.shape[0] // max(jobs, 1)))
    parts = map_in_threads(lambda start: np.asarray(matrix[start:start + step] @ dense, dtype=np.float32),
                           range(0, matrix.shape[0], step), jobs)
    return np.concatenate(parts) if parts else np.zeros((0, dense.shape[1]), dtype=np.float32)


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
