"""Text analysis of the whole corpus, done once per build: similar texts, corpus topics, stories.

Related links, corpus topics and story clusters all start from the same term vectors and
neighbour lists (``similarity.py``), so they are computed here once and handed on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .config import SiteConfig
from .model import Article, Story, Tag
from .parallel import available_cores, one_blas_thread
from .similarity import text_features
from .neighbours import KeptNeighbours, Neighbours, kept_neighbours, nearest, no_last_candidates
from .stories import find_stories
from .count_stores import CountRows
from .text_model import TextModel
from .taxonomy import tag_slug
from .topics import NO_TOPICS, CorpusTopics, corpus_topics

TEXT_NEIGHBOURS = 12  # text-similar articles kept per article (more change no measured ranking)
# articles -> the term counts of their (title, body) texts, one row each in order (taken only
# for the rows weighed), and the ``document_keys`` of the texts counted (which may hold more of
# each article than these)
CountTexts = Callable[[Sequence[Article]], tuple[CountRows, Sequence[bytes]]]
# -> the last build's rows and neighbours under the text model (``neighbours.nearest``), or None
ReadKept = Callable[[], KeptNeighbours | None]
NO_NEIGHBOURS = Neighbours(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0),
                           no_last_candidates(0))


@dataclass(frozen=True)
class Analysis:
    articles: tuple[Article, ...]  # in the order given, corpus topics applied
    neighbours: Neighbours  # per article, most similar first
    topics: CorpusTopics
    stories: tuple[Story, ...]
    model: TextModel | None = None  # the word statistics used, when asked to keep them
    kept: KeptNeighbours | None = None  # for the next build's ``nearest``, when there is a model


def analyse(articles: Sequence[Article], config: SiteConfig, jobs: int | None = None,
            all_topics: bool = False, count_texts: CountTexts | None = None, model: TextModel | None = None,
            keep_model: bool = False, read_kept: ReadKept | None = None) -> Analysis:
    """Neighbours, corpus topics (given to articles nothing else tags) and stories; text is
    counted over ``jobs`` processes (default: every core this process may use).

    Corpus topics are found only when ``tags.corpus_topics`` is on and some article awaits
    one, or when ``all_topics`` asks for them whatever the articles and settings
    (``digest tags --suggest``). ``count_texts`` gives the texts' term counts and keys when the caller
    keeps them from build to build (the build cache). With ``keep_model`` the words are weighed
    with ``model`` when it fits the articles, else with a fit that the analysis returns as its
    model (``similarity.text_features``); ``read_kept`` gives the last build's rows and neighbours
    under that model, from which they are taken again (``neighbours.nearest``).

    At 100,000 articles the term counts, the kept rows and the new rows are each about 300 MB:
    the kept rows are read once the texts are counted, and the counts let go of once weighed."""
    if not articles:
        return Analysis((), NO_NEIGHBOURS, NO_TOPICS, ())
    jobs = available_cores() if jobs is None else jobs
    documents = [(a.title, a.body) for a in articles]
    with one_blas_thread():
        counts, keys = count_texts(articles) if count_texts else (None, None)
        kept = read_kept() if read_kept is not None else None
        features = text_features(documents, jobs, counts, model, keep_model, keys,
                                 kept.features if kept is not None else None)
        del counts  # weighed: at 100,000 articles they need not add their 300 MB to the neighbours
        neighbours = nearest(features, TEXT_NEIGHBOURS, jobs, kept)
        topics = NO_TOPICS
        if all_topics or (config.corpus_topics and any(map(awaits_corpus_topic, articles))):
            # A corpus topic named like a tag, a topic or one of its aliases would be a second
            # page for one subject.
            taken = frozenset({tag.slug for a in articles for tag in a.tags} |
                              {tag_slug(name) for topic in config.topics for name in (topic.name, *topic.aliases)})
            topics = corpus_topics(features, neighbours, documents, taken)
    given = topics.topics and config.corpus_topics  # topics asked for only to suggest are not given
    tagged = tuple(_with_corpus_topic(article, topics.name_of(index) if given else None)
                   for index, article in enumerate(articles))
    return Analysis(tagged, neighbours, topics, find_stories(tagged, neighbours, config.stories), features.model,
                    kept_neighbours(features, TEXT_NEIGHBOURS, neighbours))


def awaits_corpus_topic(article: Article) -> bool:
    """Whether an article gets its corpus topic: its front matter names no tags and the
    vocabulary did not tag it (``tags: []`` in front matter keeps it untagged)."""
    return article.tags_inferred and not article.tags


def _with_corpus_topic(article: Article, name: str | None) -> Article:
    if name is None or not awaits_corpus_topic(article):
        return article
    return dataclasses.replace(article, tags=(Tag(slug=tag_slug(name), name=name),))
