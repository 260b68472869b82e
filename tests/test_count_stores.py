"""Stores of term counts kept from build to build: what is counted again, what is taken, and
what is read of the stored rows."""

import dataclasses
import tracemalloc

import numpy as np
import pytest

from generator import count_stores, term_counts
from generator.term_counts import count_terms
from tests.test_term_counts import WORDS, as_dicts


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
    known = count_stores.count_documents(documents[:10], count=counting(first_calls))
    edited = [*documents[:3], ("Story 3", "an edited text"), *documents[4:]]
    again = count_stores.count_documents(edited, known=known, count=counting(second_calls))
    assert sum(map(len, first_calls)) == 10
    assert [doc for call in second_calls for doc in call] == [edited[3], *documents[10:]]  # only the new texts
    assert set(again.keys) == set(term_counts.document_keys(edited))  # exactly these: none kept for the old text


@pytest.mark.parametrize("renumber_chunk", [1 << 20, 3])  # new columns renumbered a few entries at a time
def test_counts_taken_from_a_store_equal_counts_made_afresh_whatever_the_store_held(monkeypatch, renumber_chunk):
    monkeypatch.setattr(count_stores, "_RENUMBER_CHUNK", renumber_chunk)
    documents = corpus_with_rare_words(15)
    history = count_stores.count_documents(list(reversed(documents[5:])) + [("Gone", "vanished words only here")])
    store = count_stores.count_documents(documents, known=history)
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
    store = count_stores.count_documents(documents, count=counting(calls))
    assert sum(map(len, calls)) == 2 and len(store.keys) == 2
    assert as_dicts(store.select(term_counts.document_keys(documents))) == as_dicts(count_terms(documents))


def test_a_store_with_every_text_already_is_returned_as_it_is():
    documents = corpus_with_rare_words(6)
    store = count_stores.count_documents(documents)
    assert count_stores.count_documents(list(reversed(documents)), known=store) is store


def test_a_store_drops_the_terms_of_texts_gone_once_they_are_many():
    documents = corpus_with_rare_words(10)
    store = count_stores.count_documents(documents)
    edited = count_stores.count_documents([*documents[:9], ("Story 9", "a wholly new text")], known=store)
    assert "word9x" in edited.counts.names  # one text's words gone: kept, numbered as before
    assert edited.counts.names[:len(store.counts.names)] == store.counts.names
    fewer = count_stores.count_documents(documents[:2], known=edited)
    assert "word9x" not in fewer.counts.names and "wholly" not in fewer.counts.names
    assert as_dicts(fewer.select(term_counts.document_keys(documents[:2]))) == as_dicts(count_terms(documents[:2]))


def lost_rows():
    raise count_stores.CountsLost("stored rows lost")


def unreadable(store):
    """``store`` as read back from a cache whose stored rows cannot be read."""
    return dataclasses.replace(store, stored=lost_rows)


def test_an_edit_adds_its_text_to_a_store_and_leaves_the_stored_rows_unread(monkeypatch):
    monkeypatch.setattr(count_stores, "COMPACT_SHARE", 0.5)
    documents = corpus_with_rare_words(10)
    store = unreadable(count_stores.count_documents(documents))
    edited = [*documents[:3], ("Story 3", "an edited text of zebras"), *documents[4:]]
    again = count_stores.count_documents(edited, known=store)
    assert (again.stored, again.stored_id, again.stored_rows) == (store.stored, store.stored_id, 10)
    assert again.keys[:10] == store.keys and len(again.keys) == 11  # the old text's row stays, unused
    assert again.names[:len(store.names)] == store.names and "zebra" in again.names[len(store.names):]
    keys = term_counts.document_keys(edited)
    rows = again.rows_for(keys)
    new = as_dicts(rows.take(np.array([3])))
    assert new == as_dicts(count_terms([edited[3]]))  # taken from the rows added: the stored ones are not read
    with pytest.raises(count_stores.CountsLost):
        rows.every()


def test_a_store_is_made_again_of_the_texts_counted_once_rows_added_and_unused_pass_their_share(monkeypatch):
    monkeypatch.setattr(count_stores, "COMPACT_SHARE", 0.4)
    documents = corpus_with_rare_words(10)
    store = count_stores.count_documents(documents)
    edited = list(documents)
    for n in (2, 5):  # two edits: 2 rows added and 2 unused, 4 of 12 rows: within the share
        edited[n] = (f"Story {n}", f"edit number {n}")
        store_before, store = store, count_stores.count_documents(edited, known=store)
        assert store.stored_id == store_before.stored_id
    two_edits = list(edited)
    edited[7] = ("Story 7", "a third edit")  # 6 of 13 rows: made again
    compacted = count_stores.count_documents(edited, known=store)
    keys = term_counts.document_keys(edited)
    assert compacted.stored_id != store.stored_id and compacted.keys == tuple(keys)
    assert compacted.stored_rows == 10 and compacted.added.shape[0] == 0
    assert as_dicts(compacted.select(keys)) == as_dicts(count_terms(edited))
    two_keys = term_counts.document_keys(two_edits)  # before, from stored and added rows
    assert as_dicts(store.select(two_keys)) == as_dicts(count_terms(two_edits))


def test_a_store_with_rows_gone_alone_is_kept_until_they_pass_their_share(monkeypatch):
    monkeypatch.setattr(count_stores, "COMPACT_SHARE", 0.25)
    documents = corpus_with_rare_words(10)
    store = unreadable(count_stores.count_documents(documents))
    assert count_stores.count_documents(documents[:8], known=store) is store  # 2 of 10 unused: kept as it is
    with pytest.raises(count_stores.CountsLost):  # 3 of 10: made again, which needs the stored rows
        count_stores.count_documents(documents[:7], known=store)


def test_a_store_is_made_again_without_its_stored_rows_when_none_is_kept():
    documents = corpus_with_rare_words(10)
    store = unreadable(count_stores.count_documents(documents))
    others = [(f"Other {n}", f"quite different words {n}") for n in range(4)]
    made = count_stores.count_documents(others, known=store)  # no stored row is kept: none is read
    assert as_dicts(made.select(term_counts.document_keys(others))) == as_dicts(count_terms(others))


def test_lost_stored_rows_are_counted_again_by_the_recount_given():
    documents = corpus_with_rare_words(6)
    store = unreadable(count_stores.count_documents(documents))
    asked = []

    def recount(which):
        asked.append(which.tolist())
        return count_terms([documents[n] for n in which])
    rows = store.rows_for(term_counts.document_keys(documents), recount)
    assert as_dicts(rows.take(np.array([4, 1]))) == as_dicts(count_terms([documents[4], documents[1]]))
    assert asked == [[4, 1]]


def _counted_apart(documents):
    return term_counts.count_with_presence(documents, WORDS)


def test_kinds_counted_together_are_kept_apart_and_taken_only_from_stores_of_the_same_texts():
    documents = [(f"Title {n}", f"harbour quay{n % 3} word{n}", f"more{n % 2}") for n in range(9)]
    calls = []

    def count(batch):
        calls.append(len(batch))
        return _counted_apart(batch)
    first = count_stores.count_kinds(documents[:6], 1, (None, None), None, count)
    edited = [*documents[:2], ("Title 2", "a new text", ""), *documents[3:]]
    again = count_stores.count_kinds(edited, 1, first, None, count)
    assert calls == [6, 4]  # the edited text and the three new ones
    keys = term_counts.document_keys(edited)
    fresh = _counted_apart(edited)
    assert [as_dicts(store.select(keys)) for store in again] == [as_dicts(part) for part in fresh]
    assert [store.select(keys).counts.dtype for store in again] == [np.int32, np.int8]  # flags stay small
    unlike = (first[0], count_stores.count_kinds(documents[:5], 1, (None, None), None, count)[1])
    calls.clear()
    count_stores.count_kinds(documents[:6], 1, unlike, None, count)
    assert calls == [6]  # stores of different texts: every text counted again


def test_a_store_is_made_of_the_counts_in_one_copy(monkeypatch):
    # At 100,000 articles the counts are about 300 MB: each further copy adds that to a build's peak.
    monkeypatch.setattr(term_counts, "_TALLY_ENTRIES", 1 << 14)  # as small beside these as at 100,000 articles
    documents = [(f"Story {n}", " ".join(f"word{(n * 7 + k) % 5000}" for k in range(200))) for n in range(2000)]
    keys = term_counts.document_keys(documents)
    names, rows = count_stores._renumbered([], [count_terms(documents[:1000]), count_terms(documents[1000:])])
    one_copy = sum(part.counts.data.nbytes + part.counts.indices.nbytes for part in rows)
    tracemalloc.start()
    try:
        store = count_stores._compacted(count_stores.NOTHING_COUNTED, names, rows, keys, list(reversed(keys)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert as_dicts(store.select(keys)) == as_dicts(count_terms(documents))
    assert peak < 1.5 * one_copy
