"""Feeds parsed by feedparser: well-formed (bozo 0) and every field checked."""

import html
import json
import os
import re
import uuid
from pathlib import Path

import feedparser
import pytest

from generator.config import load_config
from generator.errors import DigestError
from generator.feeds import feed_settings
from generator.model import ID_NAMESPACE, guid
from generator.pipeline import build
from tests.conftest import article_text

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")

ARTICLES = {
    "harbour.md": article_text(
        "Harbour <reopens> & ships return", "Ships are back. See [the map](../map/) and ![pic](pic.png).",
        date="2024-03-30T09:15:00+02:00", author="Jane Doe", tags=["Harbour", "Floods"],
        summary="Ships are back.", id="0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f"),
    "council.md": article_text("Council meets", "The city council met.", date="2024-03-28",
                               tags=["Council"], summary="It met."),
    "undated.md": article_text("Flood warning", "Water rises.", tags=["Floods"], summary="Water rises."),
}


@pytest.fixture
def built(make_site) -> Path:
    config = load_config(make_site(ARTICLES))
    build(config, warn=lambda message: None)
    return config.output_dir


def parse(path: Path):
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def test_site_rss(built):
    feed = parse(built / "rss.xml")
    assert feed.version == "rss20"
    assert feed.feed.title == "Test Digest" and feed.feed.link == "https://news.example.org/"
    assert [e.title for e in feed.entries] == ["Harbour <reopens> & ships return", "Council meets", "Flood warning"]
    first, second, undated = feed.entries
    assert first.link == "https://news.example.org/articles/harbour-reopens-ships-return/"
    assert first.id == "urn:uuid:0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f"
    assert first.published == "Sat, 30 Mar 2024 07:15:00 GMT"
    assert first.author == "Jane Doe"
    assert [t.term for t in first.tags] == ["Harbour", "Floods"]
    assert second.published == "Thu, 28 Mar 2024 00:00:00 GMT"
    assert "published" not in undated  # no invented date
    assert undated.id == uuid.uuid5(ID_NAMESPACE, "undated").urn  # default id: from the file stem


def test_site_atom(built):
    feed = parse(built / "atom.xml")
    assert feed.version == "atom10"
    assert feed.feed.id == "https://news.example.org/atom.xml"
    assert feed.feed.updated == "2024-03-30T07:15:01Z"  # its newest entry's: the undated one
    assert any(l.rel == "self" and l.href == "https://news.example.org/atom.xml" for l in feed.feed.links)
    first, _, undated = feed.entries
    assert first.published == "2024-03-30T07:15:00Z" and first.updated == "2024-03-30T07:15:00Z"
    # The build date, one second on: no two entries of a feed share an updated (W3C DuplicateUpdated).
    assert "published" not in undated and undated.updated == "2024-03-30T07:15:01Z"
    assert first.summary == "Ships are back."


def test_content_is_full_html_with_absolute_urls(built):
    entry = parse(built / "atom.xml").entries[0]
    html = entry.content[0].value
    assert 'href="https://news.example.org/articles/map/"' in html
    assert 'src="https://news.example.org/articles/harbour-reopens-ships-return/pic.png"' in html


def test_per_tag_feeds_hold_only_their_articles(built):
    for kind in ("rss.xml", "atom.xml"):
        feed = parse(built / "tags" / "floods" / kind)
        assert [e.title for e in feed.entries] == ["Harbour <reopens> & ships return", "Flood warning"]
        assert feed.feed.title == "Test Digest: Floods"


def test_guids_survive_a_slug_change(make_site):
    renamed = dict(ARTICLES, **{"harbour.md": ARTICLES["harbour.md"].replace("title: Harbour", "slug: new-slug\ntitle: Harbour")})
    config = load_config(make_site(renamed))
    build(config, warn=lambda m: None)
    entry = parse(config.output_dir / "rss.xml").entries[0]
    assert entry.link.endswith("/articles/new-slug/")
    assert entry.id == "urn:uuid:0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f"


def test_summary_only_and_item_limit(make_site):
    config = load_config(make_site(ARTICLES, feeds={"items": 2, "full_content": False}))
    build(config, warn=lambda m: None)
    atom = parse(config.output_dir / "atom.xml")
    assert len(atom.entries) == 2 and "content" not in atom.entries[0]
    assert parse(config.output_dir / "rss.xml").entries[0].description == "Ships are back."


def test_zero_items_feed_every_article_as_zero_per_page_lists_all(make_site):
    config = load_config(make_site(ARTICLES, feeds={"items": 1, "per_feed": {"site": {"items": 0}}}))
    build(config, warn=lambda m: None)
    assert len(parse(config.output_dir / "atom.xml").entries) == len(ARTICLES)
    assert len(parse(config.output_dir / "tags" / "floods" / "atom.xml").entries) == 1


def test_ids_become_urn_guids():
    assert guid("0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f") == "urn:uuid:0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f"
    assert guid("hand-written-id") == uuid.uuid5(ID_NAMESPACE, "hand-written-id").urn


@pytest.mark.parametrize("written", ["0B6C1A52-8A6F-4B35-9D8E-6F3C2A1D4E5F", "{0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f}",
                                     "0b6c1a528a6f4b359d8e6f3c2a1d4e5f", "urn:uuid:0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f",
                                     "0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f\n", "0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5"])
def test_an_id_written_otherwise_is_the_uuid_python_reads_in_it_else_hashed(written):
    try:
        expected = uuid.UUID(written).urn
    except ValueError:
        expected = uuid.uuid5(ID_NAMESPACE, written).urn
    assert guid(written) == expected
    assert (guid(written) == "urn:uuid:0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f") == (written[-1] in "fF}")


def json_feed(path: Path) -> dict:
    """A JSON Feed 1.1 document, checked against the spec's required fields and types."""
    document = json.loads(path.read_bytes())
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(document["title"], str) and document["title"]
    assert document["feed_url"].startswith("https://") and document["home_page_url"].startswith("https://")
    assert isinstance(document["items"], list)
    for item in document["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert ("content_html" in item) or ("content_text" in item), item["id"]
        for key in ("date_published", "date_modified"):
            if key in item:
                assert RFC3339.fullmatch(item[key]), item[key]
        assert all(isinstance(a["name"], str) for a in item.get("authors", []))
        assert all(isinstance(t, str) for t in item.get("tags", []))
    return document


def test_site_json_feed(built):
    document = json_feed(built / "feed.json")
    assert document["feed_url"] == "https://news.example.org/feed.json"
    assert document["home_page_url"] == "https://news.example.org/" and document["language"] == "en"
    assert [i["title"] for i in document["items"]] == ["Harbour <reopens> & ships return", "Council meets",
                                                      "Flood warning"]
    first, _, undated = document["items"]
    assert first["id"] == "urn:uuid:0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f"
    assert first["url"] == "https://news.example.org/articles/harbour-reopens-ships-return/"
    assert first["date_published"] == "2024-03-30T07:15:00Z" and first["authors"] == [{"name": "Jane Doe"}]
    assert first["tags"] == ["Harbour", "Floods"] and first["summary"] == "Ships are back."
    assert 'href="https://news.example.org/articles/map/"' in first["content_html"]
    assert "date_published" not in undated
    tag = json_feed(built / "tags" / "floods" / "feed.json")
    assert tag["feed_url"] == "https://news.example.org/tags/floods/feed.json"
    assert [i["title"] for i in tag["items"]] == ["Harbour <reopens> & ships return", "Flood warning"]


def test_every_format_carries_the_same_items(built):
    rss, atom = parse(built / "rss.xml"), parse(built / "atom.xml")
    document = json_feed(built / "feed.json")
    ids = [e.id for e in rss.entries]
    assert ids == [e.id for e in atom.entries] == [i["id"] for i in document["items"]]


def test_per_feed_settings_override_the_defaults(make_site):
    config = load_config(make_site(ARTICLES, feeds={
        "items": 2, "per_feed": {"site": {"items": 3}, "floods": {"full_content": False, "items": 1}}}))
    build(config, warn=lambda m: None)
    out = config.output_dir
    assert len(parse(out / "atom.xml").entries) == 3 and "content" in parse(out / "atom.xml").entries[0]
    floods = parse(out / "tags" / "floods" / "atom.xml").entries  # the key matches the tag in any case
    assert len(floods) == 1 and "content" not in floods[0]
    assert json_feed(out / "tags" / "floods" / "feed.json")["items"][0]["content_text"] == "Ships are back."
    assert len(parse(out / "tags" / "harbour" / "rss.xml").entries) == 1  # only one article has it


def test_per_feed_keys_may_be_a_topic_alias_in_any_case(make_site):
    # conftest's topics: Harbour has the alias "harbour authority".
    config = load_config(make_site(ARTICLES, feeds={"per_feed": {"HARBOUR AUTHORITY": {"full_content": False}}}))
    assert feed_settings(config)("Harbour").full_content is False
    assert feed_settings(config)(None).full_content is True
    warnings: list[str] = []
    build(config, warn=warnings.append)
    assert "content" not in parse(config.output_dir / "tags" / "harbour" / "atom.xml").entries[0]
    assert not any("feeds.per_feed names" in w for w in warnings)


def test_the_site_feed_and_a_topic_called_site_keep_their_own_settings(make_site):
    # A topic with the alias "site" (a building site) gave the site feed its settings, and a
    # tag named "Site" took the site feed's.
    topics = {"Construction": ["site", "building site"], "Harbour": ["harbour authority"]}
    config = load_config(make_site(ARTICLES, topics=topics, feeds={"per_feed": {"Construction": {"items": 1}}}))
    settings = feed_settings(config)
    assert settings(None).items == 20 and settings("Construction").items == 1
    config = load_config(make_site(ARTICLES, feeds={"per_feed": {"Site": {"items": 1}}}))
    assert feed_settings(config)(None).items == 1 and feed_settings(config)("Site").items == 20


def test_formats_choose_which_feeds_exist_and_are_linked(make_site):
    config = load_config(make_site(ARTICLES, feeds={"formats": ["atom"]}))
    build(config, warn=lambda m: None)
    out = config.output_dir
    assert (out / "atom.xml").is_file() and not (out / "rss.xml").exists() and not (out / "feed.json").exists()
    assert not (out / "tags" / "floods" / "rss.xml").exists()
    page = (out / "index.html").read_text()
    assert "rss.xml" not in page and "feed.json" not in page and 'href="https://news.example.org/atom.xml"' in page


@pytest.mark.parametrize(("feeds", "message"), [
    ({"formats": ["rss", "xml"]}, "feeds.formats must list some of rss, atom, json, each once, not ['rss', 'xml']"),
    ({"formats": []}, "feeds.formats must list some of rss, atom, json, each once, not []"),
    ({"per_feed": {"site": {"items": -1}}},
     "feeds.per_feed.site: items must be a non-negative int and full_content true or false"),
    ({"per_feed": {"Floods": {"summary": True}}},
     "feeds.per_feed.Floods: items must be a non-negative int and full_content true or false; unknown keys summary"),
    ({"per_feed": {"Floods": 3}}, "feeds.per_feed.Floods must map a topic name (or site) to items and/or full_content"),
])
def test_bad_feed_settings_are_errors_naming_site_yaml(make_site, feeds, message):
    path = make_site(ARTICLES, feeds=feeds)
    with pytest.raises(DigestError) as caught:
        load_config(path)
    assert [p.message for p in caught.value.problems] == [message]
    assert caught.value.problems[0].path == path and caught.value.problems[0].line is not None


def test_per_feed_naming_no_tag_warns(make_site):
    config = load_config(make_site(ARTICLES, feeds={"per_feed": {"Volcanoes": {"items": 1}}}))
    warnings: list[str] = []
    build(config, warn=warnings.append)
    assert any("feeds.per_feed names 'Volcanoes', which is no topic of the site" in w for w in warnings)


def test_atom_updated_is_unique_across_the_site_and_published_never_moves(make_site):
    same_day = {f"d{n}.md": article_text(f"Day story {n}", "Text.", date="2024-03-30", tags=["Floods"])
                for n in range(3)}
    config = load_config(make_site({**ARTICLES, **same_day}))
    build(config, warn=lambda m: None)
    for path in (config.output_dir / "atom.xml", config.output_dir / "tags" / "floods" / "atom.xml"):
        entries = parse(path).entries
        assert len({e.updated for e in entries}) == len(entries), path
    day = [e for e in parse(config.output_dir / "atom.xml").entries if e.title.startswith("Day story")]
    assert {e.published for e in day} == {"2024-03-30T00:00:00Z"}
    assert sorted(e.updated for e in day) == ["2024-03-30T00:00:00Z", "2024-03-30T00:00:01Z", "2024-03-30T00:00:02Z"]
    assert [i["date_published"] for i in json_feed(config.output_dir / "feed.json")["items"]
            if i["title"].startswith("Day story")] == ["2024-03-30T00:00:00Z"] * 3


def test_two_names_of_one_instant_in_the_hour_clocks_go_back_get_two_updated(make_site):
    # 01:30 on 3 November 2024 in New York, stated without an offset, is the first one (EDT): 05:30 UTC.
    articles = {"fold.md": article_text("Local fold", "One.", date="2024-11-03T01:30:00", tags=["Ferry"]),
                "utc.md": article_text("Same instant", "Two.", date="2024-11-03T05:30:00Z", tags=["Ferry"])}
    config = load_config(make_site(articles, timezone="America/New_York"))
    build(config, warn=lambda m: None)
    entries = parse(config.output_dir / "atom.xml").entries
    assert sorted(e.updated for e in entries) == ["2024-11-03T05:30:00Z", "2024-11-03T05:30:01Z"]


def test_an_update_stated_before_the_publication_is_dated_at_the_publication(make_site):
    articles = {"a.md": article_text("Corrected", "Text.", date="2024-04-01T12:00:00Z",
                                     updated="2024-03-01T09:00:00Z", tags=["Ferry"])}
    config = load_config(make_site(articles))
    warnings: list[str] = []
    build(config, warn=warnings.append)
    (entry,) = parse(config.output_dir / "atom.xml").entries
    assert (entry.published, entry.updated) == ("2024-04-01T12:00:00Z", "2024-04-01T12:00:00Z")
    (item,) = json_feed(config.output_dir / "feed.json")["items"]
    assert item["date_modified"] == item["date_published"] == "2024-04-01T12:00:00Z"
    page = (config.output_dir / "articles" / "corrected" / "index.html").read_text()
    assert '"dateModified":"2024-04-01T12:00:00+00:00"' in page
    assert '<meta property="article:modified_time" content="2024-04-01T12:00:00+00:00">' in page
    assert [w for w in warnings if "updated is before date" in w] == [
        f"{config.content_dir / 'a.md'}: updated is before date; feeds and search engines are told it changed when"
        " it was published (correct updated:, or remove it if the article was not updated after it was published)"]


def test_a_site_with_no_dates_is_dated_by_its_files_not_1970(make_site):
    config = load_config(make_site({"a.md": article_text("A", "Text."), "b.md": article_text("B", "Text.")}))
    for name, stamp in (("a.md", 1_700_000_000), ("b.md", 1_710_000_000)):
        os.utime(config.content_dir / name, (stamp, stamp))
    warnings: list[str] = []
    build(config, warn=warnings.append)
    assert min(e.updated for e in parse(config.output_dir / "atom.xml").entries) == "2024-03-09T16:00:00Z"  # b.md mtime
    assert any("no article states a date, so the feeds are dated by when the files were last changed" in w
               and "SOURCE_DATE_EPOCH" in w for w in warnings)


def test_plain_text_fields_spell_markup_characters_as_hex_references(built):
    rss = (built / "rss.xml").read_text()
    assert "<title>Harbour &#x3C;reopens&#x3E; &#x26; ships return</title>" in rss
    atom = (built / "atom.xml").read_text()
    assert "<title>Harbour &#x3C;reopens&#x3E; &#x26; ships return</title>" in atom
    assert parse(built / "atom.xml").entries[0].title == "Harbour <reopens> & ships return"


def test_summary_only_rss_description_is_the_summary_as_html(make_site):
    articles = {"a.md": article_text("A", "Body.", date="2024-03-30", summary="Tom & Jerry <3")}
    config = load_config(make_site(articles, feeds={"full_content": False}))
    build(config, warn=lambda m: None)
    entry = parse(config.output_dir / "rss.xml").entries[0]
    assert entry.description == "Tom &amp; Jerry &lt;3"  # HTML that shows the text as written


def test_unique_updated_is_linear_for_many_articles_at_one_instant():
    from datetime import datetime, timezone

    from generator.feeds import unique_updated
    from tests.conftest import make_article

    articles = tuple(make_article(f"u{n}", date=None) for n in range(20000))
    start = datetime(2024, 3, 30, tzinfo=timezone.utc)
    given = unique_updated(articles, start)  # quadratic stepping would take minutes here
    assert len(set(given.values())) == 20000 and min(given.values()) == start


def test_atom_sends_text_with_end_tags_as_html_and_the_build_warns_for_rss(make_site):
    articles = {"a.md": article_text("Why </script> & <b>bold</b> fails", "Body.", date="2024-03-30",
                                     author="Jane <jane@example.org>", summary="Tom </i> Jerry")}
    config = load_config(make_site(articles))
    warnings: list[str] = []
    build(config, warn=warnings.append)
    atom = (config.output_dir / "atom.xml").read_text()
    assert '<title type="html">Why &#x26;lt;/script&#x26;gt; &#x26;amp; &#x26;lt;b&#x26;gt;bold' in atom
    entry = parse(config.output_dir / "atom.xml").entries[0]
    assert entry.title_detail.type == "text/html" and html.unescape(entry.title) == "Why </script> & <b>bold</b> fails"
    assert entry.summary_detail.type == "text/html"
    assert parse(config.output_dir / "rss.xml").entries[0].title == "Why </script> & <b>bold</b> fails"
    assert any("the title 'Why </script> & <b>bold</b> fails' holds what reads as an HTML end tag" in w
               for w in warnings)
    assert any("the author 'Jane <jane@example.org>' holds an e-mail address" in w for w in warnings)
