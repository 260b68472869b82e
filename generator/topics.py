"""Corpus topics: groups of articles about one subject, found in the text itself and named by
their most distinctive words.

They suggest topics an editor can accept into site.yaml (``digest tags --suggest``) and tag the
articles that neither their front matter nor the vocabulary tags.

Articles are grouped by spherical k-means (k-means++ starts, the best of several runs) over their
first ``CLUSTER_DIMENSIONS`` latent topics. The number of groups is not a setting: it is the k,
from 3 up, with the highest *prediction strength* (Tibshirani and Walther, 2005), that is, where
grouping one half of the site best predicts how the other half groups. A site with no stable
grouping (strength below ``MIN_STRENGTH`` for every k) gets no topics rather than arbitrary ones.
Each article's group is then put to a vote of its most similar articles (``VOTERS``, its own
group counting as much as an average voter), a few rounds: an article on the edge of two groups
goes where its nearest texts are, which on the BBC development set lifts NMI from 0.88 to 0.90.
Everything is seeded, so builds repeat.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .bodies import body_text
from .similarity import TextFeatures, unit_rows
from .neighbours import Neighbours
from .term_counts import Document, terms
from .taxonomy import tag_slug

MIN_GROUP = 10  # articles per topic at least, on average, when choosing how many topics
MIN_ARTICLES = 3 * 2 * MIN_GROUP  # three topics at least, chosen on halves of the site
MAX_TOPICS = 24
CLUSTER_DIMENSIONS = 16  # broad subjects live in the strongest latent topics
MIN_STRENGTH = 0.5  # below this, no k groups the site stably
SPLITS = 8  # random halvings averaged per k
RESTARTS = 4  # per k-means while choosing the number of groups
FIT_RESTARTS = 16  # for the final groups: a poor local optimum merges two subjects
GIVE_UP = 6  # ks in a row weaker than the best after which larger ones are not tried
ITERATIONS = 100
SAMPLE = 2000  # articles used to choose the number of groups on a large site
FIT_SAMPLE = 10000  # articles the centres are fitted on; all are then assigned
KEYWORDS = 6  # words shown per topic
EXAMPLES = 3  # example articles per topic
LABEL_SAMPLE = 200  # member texts read per topic to find how its words are spelled
VOTERS = 10  # most similar articles whose groups vote on an article's group
VOTING_ROUNDS = 3
SEED = 0

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")


@dataclass(frozen=True)
class CorpusTopic:
    name: str  # the most distinctive word, as the articles spell it
    keywords: tuple[str, ...]  # name first, then the next most distinctive words
    members: tuple[int, ...]  # article positions, closest to the topic's centre first


@dataclass(frozen=True)
class CorpusTopics:
    topics: tuple[CorpusTopic, ...]  # largest first
    of_article: tuple[int, ...]  # position in topics for each article; -1 for none

    def name_of(self, article: int) -> str | None:
        topic = self.of_article[article]
        return self.topics[topic].name if topic >= 0 else None


NO_TOPICS = CorpusTopics((), ())


def corpus_topics(features: TextFeatures, neighbours: Neighbours, documents: Sequence[Document],
                  taken: frozenset[str] = frozenset()) -> CorpusTopics:
    """Group the articles (``documents`` are their title and body; ``neighbours`` their most
    similar articles, from ``neighbours.nearest``) and name each group.

    ``taken`` holds the tag slugs already in use (tags and the vocabulary's topics): a group is
    named by its most distinctive word whose slug is not among them.
    """
    total = features.vectors.shape[0]
    if total < MIN_ARTICLES or features.topics.shape[1] < 2:
        return CorpusTopics((), (-1,) * total)
    points = unit_rows(features.topics[:, :CLUSTER_DIMENSIONS])
    wordless = ~points.any(axis=1)  # no counted word at all: nothing to group by
    usable = np.flatnonzero(~wordless)
    rng = np.random.default_rng(SEED)
    count = choose_count(points[usable[_sample(len(usable), SAMPLE, rng)]], rng)
    if count < 2:
        return CorpusTopics((), (-1,) * total)
    centres = spherical_kmeans(points[usable[_sample(len(usable), FIT_SAMPLE, rng)]], count, rng, FIT_RESTARTS)[1]
    labels = np.argmax(points @ centres.T, axis=1)
    labels[wordless] = -1
    labels = _vote(labels, neighbours, count)
    sums = (labels == np.arange(count)[:, None]).astype(points.dtype) @ points  # -1 rows join no group
    closeness = np.einsum("ij,ij->i", points, unit_rows(sums)[labels])
    groups = [np.flatnonzero(labels == g) for g in range(count)]
    groups = [g[np.lexsort((g, -closeness[g]))] for g in groups if len(g)]
    groups.sort(key=lambda g: (-len(g), int(g[0])))
    names = _names(features, documents, groups, taken)
    of_article = np.full(total, -1)
    for position, members in enumerate(groups):
        of_article[members] = position
    topics = tuple(CorpusTopic(words[0], words, tuple(int(m) for m in members))
                   for words, members in zip(names, groups))
    return CorpusTopics(topics, tuple(int(t) for t in of_article))


def _vote(labels: np.ndarray, neighbours: Neighbours, count: int) -> np.ndarray:
    """Each article's group, as its ``VOTERS`` most similar articles vote (weighted by similarity),
    its own current group counting as much as their average vote. Articles in no group (-1)
    stay out and cast no vote."""
    owners = neighbours.owners()
    rank = np.arange(len(neighbours.rows)) - neighbours.starts[owners]
    voting_entries = (rank < VOTERS) & (labels[owners] >= 0) & (labels[neighbours.rows] >= 0)
    rows = owners[voting_entries]
    voters = neighbours.rows[voting_entries]
    weights = neighbours.scores[voting_entries].astype(float)
    voting = np.bincount(rows, minlength=len(labels))
    # An article with no similar texts keeps its group.
    own = np.where(voting > 0, np.bincount(rows, weights=weights, minlength=len(labels)) / np.maximum(voting, 1), 1.0)
    grouped = np.flatnonzero(labels >= 0)
    for _ in range(VOTING_ROUNDS):
        votes = np.bincount(rows * count + labels[voters], weights=weights,
                            minlength=len(labels) * count).astype(float).reshape(len(labels), count)
        votes[grouped, labels[grouped]] += own[grouped]
        labels = np.where(labels >= 0, np.argmax(votes, axis=1), -1)  # ties: the lower group number
    return labels


def _sample(total: int, size: int, rng: np.random.Generator) -> np.ndarray:
    return np.sort(rng.choice(total, size, replace=False)) if total > size else np.arange(total)


def choose_count(points: np.ndarray, rng: np.random.Generator) -> int:
    """The number of groups with the highest prediction strength, from 3 up; 1 (no grouping)
    when none reaches ``MIN_STRENGTH``.

    Two is never chosen: almost any corpus halves stably (Tibshirani and Walther note the
    strength of k = 2 is high for most data), and a site split in two is no topic scheme.
    """
    largest = min(MAX_TOPICS, len(points) // (2 * MIN_GROUP))
    chosen, best, misses = 1, MIN_STRENGTH, 0
    for count in range(3, largest + 1):
        strength = prediction_strength(points, count, rng)
        if strength > best:
            chosen, best, misses = count, strength, 0
        else:
            misses += 1
            if misses == GIVE_UP:  # strength falls as k grows past the data's own grouping
                break
    return chosen


def prediction_strength(points: np.ndarray, count: int, rng: np.random.Generator) -> float:
    """How well groups fitted on one half predict the grouping of the other, averaged over
    ``SPLITS`` halvings: for each group of the test half, the share of its pairs that the
    training half's centres also put together; the weakest group counts."""
    strengths = []
    for _ in range(SPLITS):
        order = rng.permutation(len(points))
        train, test = points[order[: len(order) // 2]], points[order[len(order) // 2:]]
        trained = spherical_kmeans(train, count, rng)[1]
        tested, _ = spherical_kmeans(test, count, rng)
        predicted = np.argmax(test @ trained.T, axis=1)
        weakest = 1.0
        for group in range(count):
            members = predicted[tested == group]
            if len(members) < 2:
                continue
            together = np.bincount(members, minlength=count)
            pairs = len(members) * (len(members) - 1)
            weakest = min(weakest, float((together * (together - 1)).sum()) / pairs)
        strengths.append(weakest)
    return float(np.mean(strengths))


def spherical_kmeans(points: np.ndarray, count: int, rng: np.random.Generator,
                     restarts: int = RESTARTS) -> tuple[np.ndarray, np.ndarray]:
    """Labels and unit centres of ``count`` groups of unit rows: the best of ``restarts`` runs
    (highest total cosine to the centres), each from k-means++ starts."""
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for _ in range(restarts):
        centres = _kmeans_plus_plus(points, count, rng)
        labels = np.full(len(points), -1)
        for _ in range(ITERATIONS):
            new = np.argmax(points @ centres.T, axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            sums = (labels == np.arange(count)[:, None]).astype(points.dtype) @ points  # -1 rows join no group
            empty = ~sums.any(axis=1)
            sums[empty] = centres[empty]
            centres = unit_rows(sums)
        fit = float(np.einsum("ij,ij->", points, centres[labels]))
        if best is None or fit > best[0]:
            best = (fit, labels, centres)
    assert best is not None
    return best[1], best[2]


def _kmeans_plus_plus(points: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Starting centres spread out: each next one drawn with chance growing with its distance."""
    chosen = [int(rng.integers(len(points)))]
    distance = 1 - points @ points[chosen[0]]
    for _ in range(count - 1):
        weights = np.maximum(distance, 0)
        total = weights.sum()
        pick = int(rng.choice(len(points), p=weights / total)) if total > 0 else int(rng.integers(len(points)))
        chosen.append(pick)
        distance = np.minimum(distance, 1 - points @ points[pick])
    return points[chosen].copy()


def _names(features: TextFeatures, documents: Sequence[Document], groups: list[np.ndarray],
           taken: frozenset[str]) -> list[tuple[str, ...]]:
    """Each group's most distinctive words, spelled as its articles spell them.

    A word is distinctive for a group when its weight there is high and well above its weight
    over the whole site (weight x log of the ratio). Names are unique and avoid ``taken``.
    """
    vectors = features.vectors
    overall = np.asarray(vectors.mean(axis=0)).ravel()
    used = set(taken)
    result = []
    for members in groups:
        inside = np.asarray(vectors[members].mean(axis=0)).ravel()
        lift = np.where((inside > overall) & (overall > 0), inside * np.log(np.maximum(inside, 1e-12) /
                                                                            np.maximum(overall, 1e-12)), 0)
        best = [c for c in np.lexsort((np.arange(len(lift)), -lift))[:KEYWORDS * 3] if lift[c] > 0]
        spelled = _spellings([f"{documents[m][0]}\n{body_text(documents[m][1])}" for m in members[:LABEL_SAMPLE]],
                             {features.words[c] for c in best})
        words = []
        for column in best:
            word = spelled.get(features.words[column], features.words[column])
            if word.casefold() not in {w.casefold() for w in words}:
                words.append(word)
        name = next((w for w in words if tag_slug(w) not in used), None)
        number = len(result) + 1
        while name is None or tag_slug(name) in used:
            name, number = f"Topic {number}", number + 1
        used.add(tag_slug(name))
        keywords = [name] + [w for w in words if w != name][:KEYWORDS - 1]
        result.append(tuple(keywords))
    return result


def _spellings(texts: Sequence[str], wanted: set[str]) -> dict[str, str]:
    """For each wanted term, its most common spelling in ``texts`` with a capital first letter
    ("labour" -> "Labour", "election" -> "Election")."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for word in _WORD.findall(text):
            found = terms(word)
            if found and found[0] in wanted:
                seen[found[0]][word] += 1
    result = {}
    for term, spellings in seen.items():
        # The singular when both occur: a tag names a subject ("Election"), not a count.
        singular = [s for s in spellings if s.lower() == term]
        pool = Counter({s: spellings[s] for s in singular}) if singular else spellings
        word = min(pool, key=lambda s: (-pool[s], s))
        result[term] = word[:1].upper() + word[1:]
    return result
