"""Related links as pages read them: made when read, and a digest of each article's."""

import hashlib
from dataclasses import replace

import numpy as np

from generator import link_table
from generator.config import RelatedWeights
from generator.link_table import SHOWN_DECIMALS
from generator.model import RelatedLink
from generator.related import chosen_links
from tests.test_related import tagged_corpus, text_neighbours


def test_links_are_made_only_when_an_articles_links_are_asked_for(monkeypatch):
    made = []
    monkeypatch.setattr(link_table, "RelatedLink", lambda *args: made.append(args) or RelatedLink(*args))
    articles = tagged_corpus(40)
    table = chosen_links(articles, 5, neighbours=text_neighbours(articles)).links
    assert made == []
    row = table["id-a007"]
    assert len(row) == 5 and made == []
    assert list(row) == list(table["id-a007"]) and len(made) == 10


def test_each_link_shows_what_the_two_articles_share(monkeypatch):
    articles = tagged_corpus(60)
    table = chosen_links(articles, 4, neighbours=text_neighbours(articles)).links
    assert set(table) == {a.id for a in articles} and len(table) == len(articles)
    for article in articles:
        links = table[article.id]
        assert tuple(table[article.id]) == links and len(links) == 4
        for link in links:
            assert link.target is not article and link.target in articles
            assert {t.slug for t in link.shared_tags} == {t.slug for t in article.tags} & {t.slug for t in link.target.tags}
            assert link.days_apart == abs((article.date.date() - link.target.date.date()).days)
            assert round(link.score, SHOWN_DECIMALS) == link.score
            assert round(link.text_similarity, SHOWN_DECIMALS) == link.text_similarity


def test_a_rows_digest_changes_exactly_when_its_links_do():
    """Digests of two builds' rows are equal where the links (their targets told apart by a
    digest, as page keys tell them) are equal, whatever changed elsewhere."""
    def digest_of(article):  # of its slug and title alone: its tags and date count only as its links show them
        return hashlib.blake2b(repr((article.slug, article.title)).encode(), digest_size=21).digest()

    def table_of(articles, tags_weight=1.0, texts=tagged_corpus(60)):  # recency weighs nothing: dates count as days apart
        weights = RelatedWeights(tags=tags_weight, recency=0.0)
        return chosen_links(tuple(articles), 4, weights, text_neighbours(texts)).links

    def shown(link):
        return digest_of(link.target), link.shared_tags, link.score, link.text_similarity, link.days_apart

    def digests(table):
        targets = np.frombuffer(b"".join(map(digest_of, table.articles)), dtype=np.uint8).reshape(len(table), -1)
        return dict(zip((a.id for a in table.articles), table.row_digests(targets)))

    base = tagged_corpus(60)
    renamed = [replace(a, tags=tuple(replace(t, name="Zed") if t.slug == "z" else t for t in a.tags)) for a in base]
    variants = {
        "again": [replace(a) for a in base],  # the next build: new objects
        "retitled": [replace(a, title="New title") if n == 7 else a for n, a in enumerate(base)],
        "renamed tag": renamed,
        "redated": [replace(a, date=base[30].date) if n == 12 else a for n, a in enumerate(base)],
    }
    before = table_of(base)
    for name, after in [*((name, table_of(articles)) for name, articles in variants.items()),
                        ("reweighed", table_of(base, tags_weight=0.9)),  # scores change, little else
                        ("rewritten", table_of(base, texts=[replace(a, body="ferry3 crane3 ferry3") if n == 5 else a
                                                            for n, a in enumerate(base)]))]:
        old, new = digests(before), digests(after)
        same = [a.id for a in base if tuple(map(shown, before[a.id])) == tuple(map(shown, after[a.id]))]
        assert [i for i in old if old[i] == new[i]] == same, name
        assert len(same) < len(base) or name == "again", name
