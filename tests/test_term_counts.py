"""Terms of a text, and counting them over documents."""

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

from generator import pieces, term_counts
from generator.pieces import PlainPieceNumbers
from generator.term_counts import TITLE_WEIGHT, count_terms, terms


def test_terms_drop_stopwords_short_words_numbers_and_plural_s():
    assert terms("The Elections in 2024 were won by the councillors, 12 of them") == [
        "election", "won", "councillor"]


def as_dicts(counted):
    """Each document's counts as {term: count}."""
    matrix = counted.counts
    return [{counted.names[c]: int(v) for c, v in zip(matrix.indices[matrix.indptr[r]:matrix.indptr[r + 1]],
                                                        matrix.data[matrix.indptr[r]:matrix.indptr[r + 1]])}
            for r in range(matrix.shape[0])]


def test_counts_agree_with_terms_and_weigh_the_title():
    documents = [("Harbour closes", "The harbour, (quay) and HARBOUR; ferries/ferry cranes."),
                 ("Council vote", "Paris/London councillors vote: the vote... 2024"),
                 ("", "")]
    counted = count_terms(documents)
    expected = []
    for title, body in documents:
        found: dict[str, int] = {}
        for term in terms(body):
            found[term] = found.get(term, 0) + 1
        for term in terms(title):
            found[term] = found.get(term, 0) + TITLE_WEIGHT
        expected.append(found)
    assert as_dicts(counted) == expected
    assert expected[0]["harbour"] == 2 + TITLE_WEIGHT and expected[1]["paris"] == 1  # a piece with two terms
    assert counted.names[:3] == ["harbour", "quay", "ferrie"]  # in order of first use ("ferries" loses its s)
    assert counted.lengths.tolist() == [sum(d.values()) for d in expected]
    assert counted.document_frequency[counted.names.index("vote")] == 1
    assert counted.document_frequency[counted.names.index("harbour")] == 1


def test_counts_do_not_depend_on_how_documents_are_chunked(monkeypatch):
    documents = [(f"story {n}", " ".join(f"word{n % 7} common{n % 3} w{n}x" for _ in range(n % 5 + 1)))
                 for n in range(40)]
    whole = count_terms(documents)
    monkeypatch.setattr(term_counts, "COUNT_CHUNK", 3)
    chunked = count_terms(documents)
    assert whole.names == chunked.names
    assert (whole.counts != chunked.counts).nnz == 0 and whole.counts.shape == chunked.counts.shape
    assert np.array_equal(whole.document_frequency, chunked.document_frequency)


def test_no_documents_count_nothing():
    counted = count_terms([])
    assert counted.counts.shape == (0, 0) and counted.names == [] and len(counted.lengths) == 0


def _words_of_piece(piece):
    word = piece.strip(".,;")
    return (word,) if word else ()


def _words(text):
    return {word for piece in text.lower().split() for word in _words_of_piece(piece)}


# A split whose ``takes_as_is`` refuses some texts, so both of count_with_presence's ways are taken.
WORDS = term_counts.PresenceSplit(_words_of_piece, lambda text: "~" not in text, _words)


def test_presence_is_noted_in_the_same_pass_and_the_counts_are_as_without_it(monkeypatch):
    documents = [(f"Title {n}", f"Harbour, quay; ferry{n % 3} the{'~' if n % 4 == 1 else ''} word{n}.",
                  f"summary{n % 2} extra" if n % 3 else "") for n in range(11)]
    documents.append(("Empty", "", ""))
    monkeypatch.setattr(term_counts, "COUNT_CHUNK", 4)  # presence columns numbered across chunks
    counts, presence = term_counts.count_with_presence(documents, WORDS)
    alone = count_terms([(title, body) for title, body, _ in documents])
    assert counts.names == alone.names and (counts.counts != alone.counts).nnz == 0
    assert counts.lengths.tolist() == alone.lengths.tolist()
    assert counts.document_frequency.tolist() == alone.document_frequency.tolist()
    rows = as_dicts(presence)
    assert rows == [dict.fromkeys(_words(body) | _words(further), 1) for _, body, further in documents]
    assert "quay" in rows[0] and "summary1" in rows[1] and "the~" in rows[1]  # a body not taken as is
    assert presence.counts.dtype == np.int8 and presence.lengths.tolist() == [len(row) for row in rows]


def test_texts_whose_pieces_collide_are_counted_the_plain_way_alike(monkeypatch):
    documents = [(f"Title {n}", f"Harbour, quay; ferry{n % 3} the{'~' if n % 4 == 1 else ''} word{n}.",
                  f"summary{n % 2} extra") for n in range(9)]
    monkeypatch.setattr(term_counts, "COUNT_CHUNK", 4)  # numbered over chunks, as in a build
    expected = term_counts.count_with_presence(documents, WORDS)
    plain, scrambled = [], []

    def colliding_after_the_first_chunk(numbers):  # from the second chunk on, pieces of a length collide
        scrambled.append(numbers)
        return numbers if len(scrambled) == 1 else np.zeros_like(numbers)

    monkeypatch.setattr(pieces, "_scrambled", colliding_after_the_first_chunk)
    monkeypatch.setattr(term_counts, "PlainPieceNumbers", lambda met: plain.append(met) or PlainPieceNumbers(met))
    collided = term_counts.count_with_presence(documents, WORDS)
    assert len(plain) == 1 and len(scrambled) == 2  # the fast way got past a chunk before it gave up
    for before, after in zip(expected, collided):
        assert before.names == after.names and (before.counts != after.counts).nnz == 0
        assert before.lengths.tolist() == after.lengths.tolist()


@pytest.mark.parametrize("rows_at_once, entries_at_once", [(1, 1), (2, 3), (4096, 1 << 22)])
def test_row_sums_and_rows_per_column_equal_numpys_whatever_the_parts(monkeypatch, rows_at_once, entries_at_once):
    monkeypatch.setattr(term_counts, "_TALLY_ROWS", rows_at_once)
    monkeypatch.setattr(term_counts, "_TALLY_ENTRIES", entries_at_once)
    rng = np.random.default_rng(7)
    for dtype in (np.int8, np.int32):
        dense = (rng.integers(1, 5, (40, 9)) * (rng.random((40, 9)) < 0.3)).astype(dtype)
        dense[[0, 5, 6, 39]] = 0  # empty rows first, inside and last
        matrix = sp.csr_matrix(dense)
        assert term_counts.row_sums(matrix).tolist() == dense.sum(axis=1, dtype=np.int64).tolist()
        assert term_counts.rows_per_column(matrix.indices, 9).tolist() == (dense != 0).sum(axis=0).tolist()


def test_row_sums_and_rows_per_column_never_copy_every_entry_into_64_bits(monkeypatch):
    # numpy's own (matrix.sum, np.bincount) copy all entries first: 300 MB at 100,000 articles.
    monkeypatch.setattr(term_counts, "_TALLY_ROWS", 1000)
    monkeypatch.setattr(term_counts, "_TALLY_ENTRIES", 1 << 18)
    entries = 2_000_000
    matrix = sp.csr_matrix((np.ones(entries, dtype=np.int32), np.arange(entries, dtype=np.int32) % 1000,
                            np.arange(0, entries + 1, 100, dtype=np.int64)), shape=(entries // 100, 1000))
    whole_copy = entries * 8
    for tally in (lambda: term_counts.row_sums(matrix), lambda: term_counts.rows_per_column(matrix.indices, 1000)):
        tracemalloc.start()
        try:
            tally()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < whole_copy / 4
