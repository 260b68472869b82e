"""The corpus analysis stage: corpus topics go only to articles nothing else tags."""

import weakref
from dataclasses import replace
from pathlib import Path

from generator import analysis as analysis_module
from generator.analysis import analyse
from generator.config import default_config
from generator.count_stores import count_documents
from generator.term_counts import document_keys
from tests.conftest import make_article, subject_corpus


def corpus_articles(count=120):
    docs, truth = subject_corpus(count, 3)
    return [replace(make_article(f"a{n:03d}", date=f"2024-01-{1 + n % 28:02d}", tags_inferred=True),
                    title=title, body=body) for n, (title, body) in enumerate(docs)], truth


def test_only_articles_without_stated_or_inferred_tags_get_their_corpus_topic(tmp_path):
    articles, truth = corpus_articles()
    articles[0] = replace(articles[0], tags_inferred=False)  # front matter said tags: []
    articles[1] = replace(make_article("a001", tags=("Harbour news",)), title=articles[1].title,
                          body=articles[1].body)  # tags stated in front matter
    analysis = analyse(articles, default_config(tmp_path))
    assert len(analysis.topics.topics) == 3
    tagged = analysis.articles
    assert tagged[0].tags == () and [t.name for t in tagged[1].tags] == ["Harbour news"]
    names: dict[str, set[str]] = {}
    for n in range(2, len(tagged)):
        (tag,) = tagged[n].tags
        names.setdefault(truth[n], set()).add(tag.name)
    assert all(len(found) == 1 for found in names.values()) and len(set.union(*names.values())) == 3
    assert tagged[5].tags[0].name == analysis.topics.name_of(5)


def test_corpus_topics_can_be_switched_off_and_an_empty_site_is_analysed(tmp_path):
    articles, _ = corpus_articles()
    config = replace(default_config(tmp_path), corpus_topics=False)
    analysis = analyse(articles, config)
    assert analysis.topics.topics == () and all(a.tags == () for a in analysis.articles)
    assert len(analysis.neighbours) == len(articles)
    empty = analyse([], default_config(Path(tmp_path)))
    assert empty.articles == () and empty.stories == ()


def test_corpus_topics_are_not_named_like_a_vocabulary_alias(tmp_path):
    from generator.config import Topic

    articles, _ = corpus_articles()
    plain = analyse(articles, default_config(tmp_path))
    names = [t.name for t in plain.topics.topics]
    config = replace(default_config(tmp_path), topics=(Topic("Shipping", tuple(names)),))
    renamed = analyse(articles, config)
    assert not {t.name for t in renamed.topics.topics} & set(names)
    assert [t.members for t in renamed.topics.topics] == [t.members for t in plain.topics.topics]


def test_topics_are_found_only_when_an_article_awaits_one_unless_all_are_asked_for(tmp_path):
    articles, _ = corpus_articles()
    tagged = [replace(a, tags_inferred=False, tags=make_article("x", tags=("Harbour news",)).tags) for a in articles]
    config = default_config(tmp_path)
    assert analyse(tagged, config).topics.topics == ()  # nobody awaits a corpus topic: none are looked for
    suggested = analyse(tagged, replace(config, corpus_topics=False), all_topics=True)
    assert len(suggested.topics.topics) == 3
    assert all([t.name for t in a.tags] == ["Harbour news"] for a in suggested.articles)  # offered, not given


def test_topics_found_to_suggest_are_not_given_when_switched_off(tmp_path):
    articles, _ = corpus_articles()
    config = replace(default_config(tmp_path), corpus_topics=False)
    suggested = analyse(articles, config, all_topics=True)
    assert len(suggested.topics.topics) == 3 and all(a.tags == () for a in suggested.articles)


def test_the_kept_rows_are_read_once_the_texts_are_counted_and_the_counts_let_go_before_the_neighbours(
        tmp_path, monkeypatch):
    # At 100,000 articles the term counts, the kept rows and the new rows are each about 300 MB:
    # held at once, with the stores read to count, they were a rebuild's peak.
    articles, _ = corpus_articles(40)
    steps, counted = [], []

    def count_texts(ordered):
        documents = [(a.title, a.body) for a in ordered]
        keys = document_keys(documents)
        counts = count_documents(documents, keys=keys).select(keys)
        counted.append(weakref.ref(counts))
        steps.append("counted")
        return counts, keys

    def read_kept():
        steps.append("kept rows read")

    def nearest(*args, **kwargs):
        steps.append("counts held" if counted[0]() is not None else "counts let go")
        return find_nearest(*args, **kwargs)
    find_nearest = analysis_module.nearest
    monkeypatch.setattr(analysis_module, "nearest", nearest)
    analyse(articles, default_config(tmp_path), count_texts=count_texts, keep_model=True, read_kept=read_kept)
    assert steps == ["counted", "kept rows read", "counts let go"]
