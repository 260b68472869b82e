"""Text similarity: terms, BM25 vectors, the candidate index, topic vectors, nearest neighbours."""

import random

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pathlib import Path

import scipy.sparse as sp

from generator import similarity
from generator.bodies import text_key
from generator.model import StoredBody
from generator.neighbours import _best_per_row, nearest
from generator.similarity import (TERMS_PER_ARTICLE, keyed_signs, latent_topics, term_vectors, text_features,
                                  text_keys, unit_rows)


def corpus(count: int, seed: int = 3) -> list[tuple[str, str]]:
    """Articles on three subjects, each written from its own word pool plus shared filler."""
    rng = random.Random(seed)
    pools = {
        "harbour": "harbour quay ships cranes dock cargo port ferry sailors tide".split(),
        "council": "council mayor budget vote councillors taxes planning committee election ward".split(),
        "school": "school pupils teachers exams classroom headteacher lessons curriculum term grades".split(),
    }
    filler = "today report week city people local officials statement".split()
    docs = []
    for n in range(count):
        subject = list(pools)[n % 3]
        words = rng.choices(pools[subject], k=40) + rng.choices(filler, k=20)
        docs.append((f"{subject} story {n}", " ".join(words)))
    return docs


def test_vectors_are_unit_length_and_the_index_keeps_the_strongest_words():
    vectors, index, words = term_vectors(corpus(30))
    assert len(words) == vectors.shape[1] and list(words) == sorted(words)
    norms = np.sqrt(vectors.multiply(vectors).sum(1)).A1
    assert np.allclose(norms, 1, atol=1e-5)
    assert (np.diff(index.indptr) <= TERMS_PER_ARTICLE).all()


def test_nearest_finds_articles_on_the_same_subject_without_self_links():
    found = nearest(text_features(corpus(60)), 5)
    for row, neighbours in enumerate(found):
        assert row not in [n.row for n in neighbours]
        assert all(n.row % 3 == row % 3 for n in neighbours), (row, neighbours)
        scores = [n.score for n in neighbours]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < n.word_cosine <= 1 for n in neighbours)


def test_word_cosine_is_one_for_identical_texts_and_lower_for_paraphrase():
    docs = corpus(30) + [("harbour closes", "The harbour quay closed after storm cranes fell"),
                         ("harbour closes", "The harbour quay closed after storm cranes fell"),
                         ("harbour shut", "Storm closes the harbour quay and ferry port")]
    found = nearest(text_features(docs), 5)
    twin = next(n for n in found[30] if n.row == 31)
    paraphrase = next(n for n in found[30] if n.row == 32)
    assert twin.word_cosine == 1.0 and 0 < paraphrase.word_cosine < twin.word_cosine


def test_latent_topics_and_neighbours_repeat_exactly():
    first, second = text_features(corpus(90)), text_features(corpus(90))
    assert first.topics.tobytes() == second.topics.tobytes()
    strengths = np.linalg.norm(first.topics, axis=0)
    assert (np.diff(strengths) <= 1e-4).all()  # strongest topic first
    assert np.allclose(np.linalg.norm(unit_rows(first.topics), axis=1), 1, atol=1e-5)
    assert nearest(first, 5) == nearest(second, 5)


def test_tiny_corpora_have_no_topic_space():
    vectors, _, words = term_vectors(corpus(2))
    assert latent_topics(vectors, words).shape == (2, 0)


def test_an_articles_indexed_words_fit_its_postings_budget(monkeypatch):
    from generator import similarity

    rng = random.Random(4)
    vocabulary = [f"w{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}{chr(97 + n // 676)}" for n in range(3000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    docs = [(" ".join(rng.choices(vocabulary, weights, k=6)), " ".join(rng.choices(vocabulary, weights, k=150)))
            for _ in range(400)]
    indexes = {}
    for budget in (60, 400):
        monkeypatch.setattr(similarity, "POSTINGS_BUDGET", budget)
        vectors, index, _ = term_vectors(docs)
        frequency = np.bincount(vectors.indices, minlength=vectors.shape[1])
        spent = np.asarray(index.multiply(frequency).sum(axis=1)).ravel()
        assert (spent <= budget).all() and index.nnz > 0
        indexes[budget] = index
    smaller, larger = indexes[60], indexes[400]
    assert smaller.nnz < larger.nnz and (smaller.multiply(larger)).nnz == smaller.nnz  # a subset


def test_counting_over_several_processes_gives_the_same_vectors(monkeypatch):
    from generator import count_stores, similarity

    docs = corpus(90) + [("Ünïcode Straße", "naïve résumé, déjà vu; 東京 well-known")] * 3
    serial = term_vectors(docs, jobs=1)
    monkeypatch.setattr(similarity, "PARALLEL_MIN", 20)  # two shares, weighed by two processes
    monkeypatch.setattr(count_stores, "PARALLEL_MIN", 20)  # and counted by two
    parallel = term_vectors(docs, jobs=2)
    monkeypatch.setattr(count_stores, "TASK_MAX", 25)  # and in tasks of at most 25 rows each
    monkeypatch.setattr(similarity, "TASK_MAX", 25)
    tasks = term_vectors(docs, jobs=2)
    for found in (parallel, tasks):
        assert serial[2] == found[2]
        for a, b in zip(serial[:2], found[:2]):
            assert (a != b).nnz == 0 and a.shape == b.shape and np.array_equal(a.data, b.data)


def test_neighbours_found_over_several_processes_are_the_same(monkeypatch):
    from generator import neighbours

    monkeypatch.setattr(neighbours, "CHUNK_ROWS", 16)  # chunks of 16 articles,
    monkeypatch.setattr(neighbours, "PARALLEL_MIN", 16)  # in three tasks of two chunks over two processes
    monkeypatch.setattr(neighbours, "SHARE_MAX", 32)
    features = text_features(corpus(90))
    assert nearest(features, 5, jobs=2) == nearest(features, 5, jobs=1)


def test_words_no_other_article_has_still_make_texts_differ():
    crane = ("Harbour crane accident", "A crane collapsed at the harbour; workers injured, ambulance called")
    museum = ("Harbour museum opening", "The harbour museum opened with paintings, sculptures and a concert")
    filler = [(f"note {n}", f"garden allotment vegetables season {n}") for n in range(3)]
    found = nearest(text_features([crane, museum, *filler]), 3)
    pair = next(n for n in found[0] if n.row == 1)
    assert pair.word_cosine < 0.5  # they share "harbour" only, not their wording


def test_latent_topics_computed_over_several_threads_are_the_same(monkeypatch):
    from generator import similarity

    monkeypatch.setattr(similarity, "PRODUCT_ROWS", 17)  # every product split between two threads
    vectors, _, words = term_vectors(corpus(90))
    assert latent_topics(vectors, words, jobs=2).tobytes() == latent_topics(vectors, words, jobs=1).tobytes()


def test_vectors_are_the_same_bits_whatever_the_counts_store_held_before():
    from generator.count_stores import count_documents, counts_of

    # Words of one article only, each repeated a different number of times: how their weights
    # are added up into the article's length must not depend on the order they were numbered in.
    rare = [(f"unique {n}", " ".join(f"only{n}w{w} " * (1 + (w * 7 + n) % 9) for w in range(40)) + " harbour quay")
            for n in range(10)]
    docs = corpus(60) + rare
    fresh = term_vectors(docs)
    # A store made in another order, with texts since gone that numbered those words the other
    # way round: rows and term numbers all differ from a fresh count.
    gone = [(f"gone {n}", " ".join(f"only{n}w{w}" for w in reversed(range(40)))) for n in range(10)]
    history = count_documents(gone + list(reversed(docs[20:])))
    cached = term_vectors(docs, counts=counts_of(docs, known=history)[1])
    assert cached[2] == fresh[2]
    for a, b in zip(cached[:2], fresh[:2]):
        assert a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.data, b.data)  # bit for bit: a rebuild equals a clean build


@given(st.lists(st.tuples(st.integers(1000, 1012), st.integers(0, 40), st.integers(0, 60)), max_size=300,
                unique_by=lambda pair: pair[:2]),
       st.integers(1, 6))
def test_best_per_row_keeps_each_rows_lowest_keys_with_or_without_arrays_along(pairs, count):
    # Without arrays along, the pairs and their keys are decoded from the sorted integers instead of ordered by them.
    rows, others, keys = (np.array(column, dtype=np.int64) for column in zip(*pairs)) if pairs else \
        (np.zeros(0, dtype=np.int64),) * 3
    expected, taken = [], {}
    for row, other, key in sorted(pairs, key=lambda pair: (pair[0], pair[2], pair[1])):
        if taken.get(row, 0) < count:
            expected.append((row, other, key))
            taken[row] = taken.get(row, 0) + 1
    alone = _best_per_row(count, rows, others, keys, 41)
    along = _best_per_row(count, rows, others, keys, 41, keys)
    assert [tuple(map(int, found)) for found in zip(*alone)] == expected
    assert [tuple(map(int, found)) for found in zip(*along)] == expected


def test_the_random_start_keeps_each_words_signs_whatever_the_other_words():
    words = [f"word{n}" for n in range(300)]
    signs = keyed_signs(words, 70)
    assert signs.shape == (300, 70) and set(np.unique(signs)) == {-1.0, 1.0}
    assert abs(signs.mean()) < 0.05  # balanced
    assert (keyed_signs(["new", *words[::-1]], 70)[1:] == signs[::-1]).all()
    assert (keyed_signs(words, 70, seed=1) != signs).mean() > 0.4


def test_latent_topics_follow_the_words_not_their_column_order():
    """A word joining the vocabulary moves every later column; that must not act as a new seed,
    which would reshuffle the related links of every article after one edit."""
    vectors, _, words = term_vectors(corpus(90))
    reversed_columns = vectors[:, ::-1].tocsr()
    reversed_columns.sort_indices()
    topics, topics_reversed = latent_topics(vectors, words), latent_topics(reversed_columns, words[::-1])
    # The corpus's three subjects, each topic with its sign; the weaker topics are noise of
    # nearly equal strength, which rounding alone may turn within their span.
    assert np.allclose(topics_reversed[:, :3], topics[:, :3], atol=1e-4)


def test_a_large_site_fits_its_topics_on_the_articles_of_lowest_key(monkeypatch):
    monkeypatch.setattr(similarity, "LSA_SAMPLE", 30)
    vectors, _, words = term_vectors(corpus(60))
    keys = np.concatenate([np.arange(30), np.arange(90, 30, -2)]).astype(np.uint64)  # the first 30 rows lowest
    fitted_on_first = latent_topics(vectors, words, row_keys=keys)
    assert fitted_on_first[:30].tobytes() == latent_topics(vectors[:30], words).tobytes()


def test_an_article_added_to_a_large_site_outside_the_sample_moves_no_other_topics(monkeypatch):
    """Drawn by position, the sample changed whole when the site grew by one article, and with
    it the topics, and so the related links, of every article."""
    monkeypatch.setattr(similarity, "LSA_SAMPLE", 30)
    vectors, _, words = term_vectors(corpus(61))
    keys = text_keys(corpus(61))
    newest = int(np.argmax(keys))  # outside the sample of lowest keys
    others = [n for n in range(61) if n != newest]
    before = latent_topics(vectors[others], words, row_keys=keys[others])
    after = latent_topics(sp.vstack([vectors[others], vectors[newest]], format="csr"), words,
                          row_keys=np.append(keys[others], keys[newest]))
    assert after[:60].tobytes() == before.tobytes()


def test_a_text_key_comes_from_the_text_alone():
    docs = corpus(40)
    keys = text_keys(docs)
    assert len(set(keys.tolist())) == 40
    assert (text_keys(docs[::-1]) == keys[::-1]).all()
    title, body = docs[7]
    stored = StoredBody(Path("a.md"), 0, b"", text_key(body))  # a body kept in its file: the key of its text
    assert text_keys([(title, stored)])[0] == keys[7]
    assert text_keys([(title, body + " more")])[0] != keys[7]
