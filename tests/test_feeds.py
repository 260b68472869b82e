"""Feeds parsed by feedparser: well-formed (bozo 0) and every field checked."""

import uuid
from pathlib import Path

import feedparser
import pytest

from generator.config import load_config
from generator.model import ID_NAMESPACE, guid
from generator.pipeline import build
from tests.conftest import article_text

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
    assert feed.feed.updated == "2024-03-30T07:15:00Z"
    assert any(l.rel == "self" and l.href == "https://news.example.org/atom.xml" for l in feed.feed.links)
    first, _, undated = feed.entries
    assert first.published == "2024-03-30T07:15:00Z" and first.updated == "2024-03-30T07:15:00Z"
    assert "published" not in undated and undated.updated == "2024-03-30T07:15:00Z"  # the feed's build date
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


def test_ids_become_urn_guids():
    assert guid("0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f") == "urn:uuid:0b6c1a52-8a6f-4b35-9d8e-6f3c2a1d4e5f"
    assert guid("hand-written-id") == uuid.uuid5(ID_NAMESPACE, "hand-written-id").urn
