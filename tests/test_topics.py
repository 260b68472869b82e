"""Corpus topics: how many groups, who is in each, what they are called."""

import random

import numpy as np

from generator import topics
from generator.similarity import text_features
from generator.neighbours import nearest
from generator.topics import MIN_ARTICLES, corpus_topics
from tests.conftest import FILLER, POOLS, subject_corpus as corpus

def find(docs):
    features = text_features(docs)
    return corpus_topics(features, nearest(features, 20), docs)


def test_finds_as_many_groups_as_subjects_and_puts_each_article_with_its_subject():
    for subjects in (3, 4):
        docs, truth = corpus(40 * subjects, subjects)
        found = find(docs)
        assert len(found.topics) == subjects
        for topic in found.topics:
            assert len({truth[m] for m in topic.members}) == 1
        assert sorted(m for t in found.topics for m in t.members) == list(range(len(docs)))
        assert all(found.topics[found.of_article[m]] is t for t in found.topics for m in t.members)


def test_groups_are_named_by_their_own_words_spelled_as_written():
    docs, truth = corpus(120, 3)
    for topic in find(docs).topics:
        subject = truth[topic.members[0]]
        assert topic.name.lower() in POOLS[subject], (topic.name, subject)
        assert topic.name[0].isupper() and topic.keywords[0] == topic.name
        assert all(word.lower() in POOLS[subject] for word in topic.keywords)
        assert len({k.lower() for k in topic.keywords}) == len(topic.keywords)


def test_a_name_already_taken_by_a_tag_is_not_reused():
    docs, _ = corpus(120, 3)
    features = text_features(docs)
    first = corpus_topics(features, nearest(features, 20), docs)
    taken = frozenset(t.name.lower() for t in first.topics)
    second = corpus_topics(features, nearest(features, 20), docs, taken)
    assert not {t.name.lower() for t in second.topics} & taken
    assert [t.members for t in second.topics] == [t.members for t in first.topics]


def test_small_corpora_get_no_topics():
    docs, _ = corpus(MIN_ARTICLES - 1, 3)
    found = find(docs)
    assert found.topics == () and set(found.of_article) == {-1}


def test_a_corpus_on_one_subject_gets_no_topics():
    rng = random.Random(1)
    pool = POOLS["harbour"] + FILLER + "storm wind rain coast boats fishing nets lighthouse".split()
    docs = [(" ".join(rng.choices(pool, k=4)), " ".join(rng.choices(pool, k=60))) for _ in range(150)]
    assert find(docs).topics == ()


def test_topics_repeat_exactly():
    docs, _ = corpus(120, 3)
    assert find(docs) == find(docs)


def test_prediction_strength_is_high_for_the_true_count_and_lower_past_it():
    docs, _ = corpus(160, 4)
    features = text_features(docs)
    points = features.topics[:, :topics.CLUSTER_DIMENSIONS]
    points = points / np.linalg.norm(points, axis=1, keepdims=True)
    rng = np.random.default_rng(0)
    true = topics.prediction_strength(points, 4, rng)
    assert true > 0.9 and topics.prediction_strength(points, 7, rng) < true


def test_neighbours_vote_an_article_into_the_group_of_its_nearest_texts():
    labels = np.array([0, 0, 0, 1, 1, 1, 1])
    from generator.neighbours import Neighbour, Neighbours
    # Article 3 sits in group 1 but its three nearest texts are all in group 0.
    neighbours = [[Neighbour(j, 0.9, 0.9) for j in (0, 1, 2) if j != i] for i in range(3)]
    neighbours += [[Neighbour(0, 0.8, 0.8), Neighbour(1, 0.8, 0.8), Neighbour(2, 0.7, 0.7)]]
    neighbours += [[Neighbour(j, 0.9, 0.9) for j in (4, 5, 6) if j != i] for i in range(4, 7)]
    assert list(topics._vote(labels, Neighbours.from_lists(neighbours), 2)) == [0, 0, 0, 0, 1, 1, 1]


def test_sixty_articles_are_the_fewest_that_get_topics():
    assert MIN_ARTICLES == 60
    assert len(find(corpus(60, 3)[0]).topics) == 3
    assert find(corpus(59, 3)[0]).topics == ()


def test_articles_without_a_counted_word_join_no_topic():
    docs, _ = corpus(120, 3)
    docs += [("2024", "12 34"), ("the", "and of it")]
    found = find(docs)
    assert len(found.topics) == 3 and found.of_article[-2:] == (-1, -1)
    assert all(len(docs) - 1 not in t.members and len(docs) - 2 not in t.members for t in found.topics)
