"""Terms of a text, and counting them over documents."""

import dataclasses
import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

from generator import term_counts
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


def corpus_with_rare_words(count):
    return [(f"Story {n}", f"harbour quay ferry{n % 4} word{n}x council{n % 3} " * (n % 3 + 1)) for n in range(count)]


def counting(calls):
    def count(documents):
        calls.append(list(documents))
        return count_terms(documents)
    return count


def test_documents_counted_before_are_taken_from_the_store_not_counted_again():
    documents = corpus_with_rare_words(12)
    first_calls, second_calls = [], []
    known = term_counts.count_documents(documents[:10], count=counting(first_calls))
    edited = [*documents[:3], ("Story 3", "an edited text"), *documents[4:]]
    again = term_counts.count_documents(edited, known=known, count=counting(second_calls))
    assert sum(map(len, first_calls)) == 10
    assert [doc for call in second_calls for doc in call] == [edited[3], *documents[10:]]  # only the new texts
    assert set(again.keys) == set(term_counts.document_keys(edited))  # exactly these: none kept for the old text


@pytest.mark.parametrize("renumber_chunk", [1 << 20, 3])  # new columns renumbered a few entries at a time
def test_counts_taken_from_a_store_equal_counts_made_afresh_whatever_the_store_held(monkeypatch, renumber_chunk):
    monkeypatch.setattr(term_counts, "_RENUMBER_CHUNK", renumber_chunk)
    documents = corpus_with_rare_words(15)
    history = term_counts.count_documents(list(reversed(documents[5:])) + [("Gone", "vanished words only here")])
    store = term_counts.count_documents(documents, known=history)
    keys = term_counts.document_keys(documents)
    selected, fresh = store.select(keys), count_terms(documents)
    assert as_dicts(selected) == as_dicts(fresh)
    gone = [selected.document_frequency[selected.names.index(t)] for t in ("vanished", "words") if t in selected.names]
    assert not any(gone)  # the terms of texts no longer counted are in no row
    assert selected.lengths.tolist() == fresh.lengths.tolist()
    assert {n: int(f) for n, f in zip(selected.names, selected.document_frequency) if f} == \
        {n: int(f) for n, f in zip(fresh.names, fresh.document_frequency)}


def test_one_text_twice_is_counted_once_and_selected_for_both():
    documents = [("Twin", "harbour quay"), ("Other", "council vote"), ("Twin", "harbour quay")]
    calls = []
    store = term_counts.count_documents(documents, count=counting(calls))
    assert sum(map(len, calls)) == 2 and len(store.keys) == 2
    assert as_dicts(store.select(term_counts.document_keys(documents))) == as_dicts(count_terms(documents))


def test_a_store_with_every_text_already_is_returned_as_it_is():
    documents = corpus_with_rare_words(6)
    store = term_counts.count_documents(documents)
    assert term_counts.count_documents(list(reversed(documents)), known=store) is store


def test_a_store_drops_the_terms_of_texts_gone_once_they_are_many():
    documents = corpus_with_rare_words(10)
    store = term_counts.count_documents(documents)
    edited = term_counts.count_documents([*documents[:9], ("Story 9", "a wholly new text")], known=store)
    assert "word9x" in edited.counts.names  # one text's words gone: kept, numbered as before
    assert edited.counts.names[:len(store.counts.names)] == store.counts.names
    fewer = term_counts.count_documents(documents[:2], known=edited)
    assert "word9x" not in fewer.counts.names and "wholly" not in fewer.counts.names
    assert as_dicts(fewer.select(term_counts.document_keys(documents[:2]))) == as_dicts(count_terms(documents[:2]))


def lost_rows():
    raise term_counts.CountsLost("stored rows lost")


def unreadable(store):
    """``store`` as read back from a cache whose stored rows cannot be read."""
    return dataclasses.replace(store, stored=lost_rows)


def test_an_edit_adds_its_text_to_a_store_and_leaves_the_stored_rows_unread(monkeypatch):
    monkeypatch.setattr(term_counts, "COMPACT_SHARE", 0.5)
    documents = corpus_with_rare_words(10)
    store = unreadable(term_counts.count_documents(documents))
    edited = [*documents[:3], ("Story 3", "an edited text of zebras"), *documents[4:]]
    again = term_counts.count_documents(edited, known=store)
    assert (again.stored, again.stored_id, again.stored_rows) == (store.stored, store.stored_id, 10)
    assert again.keys[:10] == store.keys and len(again.keys) == 11  # the old text's row stays, unused
    assert again.names[:len(store.names)] == store.names and "zebra" in again.names[len(store.names):]
    keys = term_counts.document_keys(edited)
    rows = again.rows_for(keys)
    new = as_dicts(rows.take(np.array([3])))
    assert new == as_dicts(count_terms([edited[3]]))  # taken from the rows added: the stored ones are not read
    with pytest.raises(term_counts.CountsLost):
        rows.every()


def test_a_store_is_made_again_of_the_texts_counted_once_rows_added_and_unused_pass_their_share(monkeypatch):
    monkeypatch.setattr(term_counts, "COMPACT_SHARE", 0.4)
    documents = corpus_with_rare_words(10)
    store = term_counts.count_documents(documents)
    edited = list(documents)
    for n in (2, 5):  # two edits: 2 rows added and 2 unused, 4 of 12 rows: within the share
        edited[n] = (f"Story {n}", f"edit number {n}")
        store_before, store = store, term_counts.count_documents(edited, known=store)
        assert store.stored_id == store_before.stored_id
    two_edits = list(edited)
    edited[7] = ("Story 7", "a third edit")  # 6 of 13 rows: made again
    compacted = term_counts.count_documents(edited, known=store)
    keys = term_counts.document_keys(edited)
    assert compacted.stored_id != store.stored_id and compacted.keys == tuple(keys)
    assert compacted.stored_rows == 10 and compacted.added.shape[0] == 0
    assert as_dicts(compacted.select(keys)) == as_dicts(count_terms(edited))
    two_keys = term_counts.document_keys(two_edits)  # before, from stored and added rows
    assert as_dicts(store.select(two_keys)) == as_dicts(count_terms(two_edits))


def test_a_store_with_rows_gone_alone_is_kept_until_they_pass_their_share(monkeypatch):
    monkeypatch.setattr(term_counts, "COMPACT_SHARE", 0.25)
    documents = corpus_with_rare_words(10)
    store = unreadable(term_counts.count_documents(documents))
    assert term_counts.count_documents(documents[:8], known=store) is store  # 2 of 10 unused: kept as it is
    with pytest.raises(term_counts.CountsLost):  # 3 of 10: made again, which needs the stored rows
        term_counts.count_documents(documents[:7], known=store)


def test_a_store_is_made_again_without_its_stored_rows_when_none_is_kept():
    documents = corpus_with_rare_words(10)
    store = unreadable(term_counts.count_documents(documents))
    others = [(f"Other {n}", f"quite different words {n}") for n in range(4)]
    made = term_counts.count_documents(others, known=store)  # no stored row is kept: none is read
    assert as_dicts(made.select(term_counts.document_keys(others))) == as_dicts(count_terms(others))


def test_lost_stored_rows_are_counted_again_by_the_recount_given():
    documents = corpus_with_rare_words(6)
    store = unreadable(term_counts.count_documents(documents))
    asked = []

    def recount(which):
        asked.append(which.tolist())
        return count_terms([documents[n] for n in which])
    rows = store.rows_for(term_counts.document_keys(documents), recount)
    assert as_dicts(rows.take(np.array([4, 1]))) == as_dicts(count_terms([documents[4], documents[1]]))
    assert asked == [[4, 1]]


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


def _counted_apart(documents):
    return term_counts.count_with_presence(documents, WORDS)


def test_kinds_counted_together_are_kept_apart_and_taken_only_from_stores_of_the_same_texts():
    documents = [(f"Title {n}", f"harbour quay{n % 3} word{n}", f"more{n % 2}") for n in range(9)]
    calls = []

    def count(batch):
        calls.append(len(batch))
        return _counted_apart(batch)
    first = term_counts.count_kinds(documents[:6], 1, (None, None), None, count)
    edited = [*documents[:2], ("Title 2", "a new text", ""), *documents[3:]]
    again = term_counts.count_kinds(edited, 1, first, None, count)
    assert calls == [6, 4]  # the edited text and the three new ones
    keys = term_counts.document_keys(edited)
    fresh = _counted_apart(edited)
    assert [as_dicts(store.select(keys)) for store in again] == [as_dicts(part) for part in fresh]
    assert [store.select(keys).counts.dtype for store in again] == [np.int32, np.int8]  # flags stay small
    unlike = (first[0], term_counts.count_kinds(documents[:5], 1, (None, None), None, count)[1])
    calls.clear()
    term_counts.count_kinds(documents[:6], 1, unlike, None, count)
    assert calls == [6]  # stores of different texts: every text counted again


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


def test_a_store_is_made_of_the_counts_in_one_copy(monkeypatch):
    # At 100,000 articles the counts are about 300 MB: each further copy adds that to a build's peak.
    monkeypatch.setattr(term_counts, "_TALLY_ENTRIES", 1 << 14)  # as small beside these as at 100,000 articles
    documents = [(f"Story {n}", " ".join(f"word{(n * 7 + k) % 5000}" for k in range(200))) for n in range(2000)]
    keys = term_counts.document_keys(documents)
    names, rows = term_counts._renumbered([], [count_terms(documents[:1000]), count_terms(documents[1000:])])
    one_copy = sum(part.counts.data.nbytes + part.counts.indices.nbytes for part in rows)
    tracemalloc.start()
    try:
        store = term_counts._compacted(term_counts.NOTHING_COUNTED, names, rows, keys, list(reversed(keys)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert as_dicts(store.select(keys)) == as_dicts(count_terms(documents))
    assert peak < 1.5 * one_copy
