"""Text similarity: terms, BM25 vectors, the candidate index, topic vectors, nearest neighbours."""

import random

import numpy as np

from generator.similarity import TERMS_PER_ARTICLE, nearest, term_vectors, terms, topic_vectors


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


def test_terms_drop_stopwords_short_words_numbers_and_plural_s():
    assert terms("The Elections in 2024 were won by the councillors, 12 of them") == [
        "election", "won", "councillor"]


def test_vectors_are_unit_length_and_the_index_keeps_the_strongest_words():
    vectors, index = term_vectors(corpus(30))
    norms = np.sqrt(vectors.multiply(vectors).sum(1)).A1
    assert np.allclose(norms, 1, atol=1e-5)
    assert (np.diff(index.indptr) <= TERMS_PER_ARTICLE).all()


def test_nearest_finds_articles_on_the_same_subject_without_self_links():
    docs = corpus(60)
    vectors, index = term_vectors(docs)
    found = nearest(vectors, index, 5, topic_vectors(vectors))
    for row, neighbours in enumerate(found):
        assert row not in [other for other, _ in neighbours]
        assert all(other % 3 == row % 3 for other, _ in neighbours), (row, neighbours)
        scores = [score for _, score in neighbours]
        assert scores == sorted(scores, reverse=True)


def test_topic_vectors_and_neighbours_repeat_exactly():
    vectors, index = term_vectors(corpus(90))
    first, second = topic_vectors(vectors), topic_vectors(vectors)
    assert first.tobytes() == second.tobytes()
    assert np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)
    assert nearest(vectors, index, 5, first) == nearest(vectors, index, 5, second)


def test_tiny_corpora_have_no_topic_space():
    vectors, _ = term_vectors(corpus(2))
    assert topic_vectors(vectors).shape == (2, 0)
