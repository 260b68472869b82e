from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import DigestError
from generator.index import build_date, index_site
from tests.conftest import make_article


@pytest.fixture
def config(make_site):
    return load_config(make_site())


def test_newest_first_and_undated_last(config):
    site = index_site([make_article("old", date="2024-01-01"), make_article("undated-b", date=None),
                       make_article("new", date="2024-05-01"), make_article("undated-a", date=None)], config)
    assert [a.slug for a in site.articles] == ["new", "old", "undated-a", "undated-b"]
    assert [str(w) for w in site.warnings] == [
        f"content/articles/{s}.md: no date; listed after dated articles and fed without a publication date "
        "(add date: YYYY-MM-DD to its front matter if the source states one)" for s in ("undated-a", "undated-b")]


def test_tag_groups_hold_their_articles_newest_first(config):
    site = index_site([make_article("a", tags=("X", "Y"), date="2024-01-01"),
                       make_article("b", tags=("X",), date="2024-02-01")], config)
    assert [(g.tag.name, [a.slug for a in g.articles]) for g in site.tag_groups] == [("X", ["b", "a"]), ("Y", ["a"])]


def test_two_articles_at_one_url_is_an_error_naming_both(config):
    with pytest.raises(DigestError) as caught:
        index_site([make_article("same", stem="one", source_path="content/articles/one.md", id="1"),
                    make_article("same", stem="two", source_path="content/articles/two.md", id="2")], config)
    assert str(caught.value) == ("content/articles/two.md: URL articles/same/ is claimed by both "
                                 "content/articles/one.md and content/articles/two.md "
                                 "(give one of them a different slug in its front matter)")


def test_two_tag_names_on_one_page_is_an_error(config):
    with pytest.raises(DigestError) as caught:
        index_site([make_article("a", tags=("C++",)), make_article("b", tags=("C",))], config)
    assert str(caught.value) == (
        "content/articles/a.md: tags 'C' (content/articles/b.md) and 'C++' (content/articles/a.md) would share "
        "the page tags/c/ (rename one, or make one an alias of the other under topics in site.yaml)")


def test_spellings_differing_only_in_case_are_one_tag(config):
    site = index_site([make_article("a", tags=("climate change",)), make_article("b", tags=("Climate Change",)),
                       make_article("c", tags=("Climate Change", "Floods"))], config)
    assert [(g.tag.name, len(g.articles)) for g in site.tag_groups] == [("Climate Change", 3), ("Floods", 1)]
    assert {a.slug: [t.name for t in a.tags] for a in site.articles}["a"] == ["Climate Change"]


def test_tied_spellings_resolve_the_same_whatever_the_order(config):
    one = [make_article("a", tags=("wildfires",)), make_article("b", tags=("Wildfires",))]
    for articles in (one, one[::-1]):
        assert index_site(articles, config).tag_groups[0].tag.name == "Wildfires"


def test_build_date_comes_from_content_or_source_date_epoch(monkeypatch):
    articles = (make_article("a", date="2024-01-01"), make_article("b", date="2024-03-30"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_date(articles, Path(".")) == datetime(2024, 3, 30, tzinfo=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date(articles, Path(".")) == datetime.fromtimestamp(1700000000, tz=timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(DigestError, match="SOURCE_DATE_EPOCH='soon' is not a Unix timestamp"):
        build_date(articles, Path("."))


def test_ids_that_are_one_uuid_for_feeds_collide(config):
    with pytest.raises(DigestError) as caught:
        index_site([make_article("a", id="12345678-1234-5678-1234-567812345678"),
                    make_article("b", id="{12345678123456781234567812345678}")], config)
    assert str(caught.value) == (
        "content/articles/b.md: feed id urn:uuid:12345678-1234-5678-1234-567812345678 is claimed by both "
        "content/articles/a.md and content/articles/b.md (give one of them a different id in its front matter)")
