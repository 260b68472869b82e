"""Hostile input (issue 7) in feeds: whatever an article holds, every feed stays well-formed XML
(or JSON), passes tests/feedcheck.py with no message, parses with feedparser (bozo 0) and carries
each field as the text written, cleaned.

What test_feeds.py and test_render.py cover already is not repeated here: markup characters in
titles as hex references, ``../`` and image links made absolute, random text run through the
loader's cleaning. Here: every class of character XML forbids, through the loader and past it
(lone surrogates included), every shape of relative link, and titles too long for a feed, which
feeds cut at a word, before escaping, to ``MAX_FEED_TITLE_LENGTH`` characters with an ellipsis.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.config import load_config
from generator.errors import DigestError
from generator.feeds import MAX_FEED_TITLE_LENGTH, feed_files, feed_title
from generator.model import Site, TagGroup
from generator.pipeline import build
from generator.theme import load_theme
from tests.conftest import article_text, make_article
from tests.feedcheck import feed_messages

BASE = "https://news.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
# One of each class of character XML 1.0 forbids (or the validator flags), as YAML escapes.
FORBIDDEN_ESCAPES = r"\x01\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9f\ufdd0\ufffe\uffff\U0001FFFE\U0010FFFF"


def built_feeds(make_site, articles: dict[str, str], **config) -> tuple[Path, list[str]]:
    config = load_config(make_site(articles, **config))
    warnings: list[str] = []
    build(config, warn=warnings.append)
    return config.output_dir, warnings


def check_feeds(site: Path) -> dict[str, bytes]:
    """Every feed of the built site, each checked: XML well-formed, no W3C validator message,
    feedparser bozo 0; JSON parses. Returns them by site path."""
    feeds = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
             if p.name in ("rss.xml", "atom.xml", "feed.json")}
    assert feeds
    for name, data in feeds.items():
        if name.endswith(".json"):
            json.loads(data.decode("utf-8"))
            continue
        ET.fromstring(data)
        assert feed_messages(data, BASE + name) == [], name
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
    return feeds


def titles(feeds: dict[str, bytes], name: str) -> list[str]:
    """Item titles of one feed as written in it (Atom type="html" titles unescaped to their text)."""
    if name.endswith(".json"):
        return [item["title"] for item in json.loads(feeds[name])["items"]]
    root = ET.fromstring(feeds[name])
    if root.tag == "rss":
        return [item.findtext("title") for item in root.iter("item")]
    return [title.text if title.get("type") != "html" else html.unescape(title.text)
            for title in (entry.find(ATOM + "title") for entry in root.iter(ATOM + "entry"))]


# --- characters XML forbids -------------------------------------------------------------------


def test_forbidden_characters_in_every_field_are_dropped_and_feeds_stay_valid(make_site):
    hostile = f"Harbour{FORBIDDEN_ESCAPES} ]]> & < reopens"
    text = (f'---\ntitle: "{hostile}"\nauthor: "Jane{FORBIDDEN_ESCAPES} Doe"\n'
            f'summary: "Ships{FORBIDDEN_ESCAPES} ]]> &amp; <"\n'
            f'tags: ["Floods{FORBIDDEN_ESCAPES}", "Tide ]]> & <"]\ndate: 2024-03-30\n---\n\n'
            "Body \x00\x01\x0b\x1b\x7f\u0085\u009f\ufffe\U0001fffe with ]]> and & and < and <![CDATA[x]]>.\n")
    site, _ = built_feeds(make_site, {"a.md": text})
    feeds = check_feeds(site)
    clean = "Harbour ]]> & < reopens"
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert titles(feeds, name) == [clean], name
    item = json.loads(feeds["feed.json"])["items"][0]
    assert item["authors"] == [{"name": "Jane Doe"}] and item["summary"] == "Ships ]]> &amp; <"
    assert item["tags"] == ["Floods", "Tide ]]> & <"]
    assert "with ]]&gt; and &amp; and &lt; and" in item["content_html"]
    assert all(not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", data.decode("utf-8"))
               for data in feeds.values())
    assert (site / "tags" / "floods" / "rss.xml").is_file()  # the tag's name as cleaned, slugged


@pytest.mark.parametrize("escape", [r"\ud800", r"\udfff", r"\ud83d\ude00"])
def test_a_lone_surrogate_in_front_matter_is_an_error_naming_its_line_not_a_crash(make_site, escape):
    # No UTF-8 file holds a lone surrogate; a YAML escape could spell one, and YAML refuses it.
    config = load_config(make_site({"a.md": f'---\ndate: 2024-03-30\ntitle: "A {escape} B"\n---\nBody.\n'}))
    with pytest.raises(DigestError) as caught:
        build(config, warn=lambda m: None)
    problem = caught.value.problems[0]
    assert Path(problem.path).name == "a.md" and problem.line == 3


HOSTILE = ["\x00", "\x01\x1f", "\x7f", "\x80\x85\x9f", "\ud800", "\udfff", "\ud83d\ude00", "\ufffe\uffff",
           "\U0001fffe", "]]>", "&", "&amp;", "<", "<![CDATA[", "\u2028"]


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("full_content", [True, False])
def test_fields_no_loader_cleaned_still_give_valid_feeds(make_site, hostile, full_content):
    """An Article built by other code than the loader: the feeds make its text safe themselves
    (a lone surrogate could not even be encoded as UTF-8)."""
    config = load_config(make_site(feeds={"full_content": full_content}))
    article = make_article("story", tags=("Floods",), title=f"A{hostile}title", author=f"Jane{hostile}",
                           summary=f"Sum{hostile}mary", body=f"Body{hostile}text [rel](x/)")
    article = replace(article, tags=tuple(replace(t, name=f"Floods{hostile}") for t in article.tags))
    site = Site((article,), tuple(TagGroup(t, (article,)) for t in article.tags), {},
                datetime(2024, 4, 1, tzinfo=timezone.utc))
    kept = hostile if hostile in ("]]>", "&", "&amp;", "<", "<![CDATA[") else " " if hostile == "\u2028" else ""
    expected, author = f"A{kept}title", f"Jane{kept}".strip()
    for output in (pending.render() for pending in feed_files(site, config, load_theme(config))):
        name = output.path.as_posix()
        output.content.decode("utf-8")  # encodable: no surrogate got through
        if name.endswith(".json"):
            item = json.loads(output.content)["items"][0]
            assert item["title"] == expected and item["authors"] == [{"name": author}]
            continue
        assert titles({name: output.content}, name) == [expected]
        assert feed_messages(output.content, BASE + name, now=datetime(2024, 4, 2).timestamp()) == [], name
        assert feedparser.parse(output.content).bozo == 0


# --- relative links ---------------------------------------------------------------------------

LINKS = """See [up](../map/), [root](/about/), [here](#note), [page two](?page=2),
[protocol relative](//cdn.example.com/x.js), [reference][r], [same](./same.html) and <https://example.org/auto>.

![photo](photos/crane.jpg "A crane")

<p><a title="t" href="raw.html">raw</a> <img src="raw.png" alt="r"> <q cite="quote.html">q</q>
<a href=" spaced.html ">spaced</a> <a href="&#x2F;entity">entity</a></p>

<blockquote cite="../source/">Quoted.</blockquote>

[r]: ref/target.html
"""
ARTICLE_URL = BASE + "articles/harbour-reopens/"
RESOLVED = {
    BASE + "articles/map/", BASE + "about/", ARTICLE_URL + "#note", ARTICLE_URL + "?page=2",
    "https://cdn.example.com/x.js", ARTICLE_URL + "ref/target.html", ARTICLE_URL + "same.html",
    "https://example.org/auto", ARTICLE_URL + "photos/crane.jpg", ARTICLE_URL + "raw.html", ARTICLE_URL + "raw.png",
    ARTICLE_URL + "quote.html", ARTICLE_URL + "spaced.html", BASE + "entity", BASE + "articles/source/",
}
_URL_ATTRIBUTE = re.compile(r'\s(?:href|src|cite)="([^"]*)"')


def test_every_relative_link_in_a_body_is_absolute_in_every_feed(make_site):
    site, _ = built_feeds(make_site, {"a.md": article_text("Harbour reopens", LINKS, date="2024-03-30")})
    feeds = check_feeds(site)  # no ContainsRelRef from the validator among them
    contents = {
        "rss.xml": ET.fromstring(feeds["rss.xml"]).findtext("channel/item/description"),
        "atom.xml": ET.fromstring(feeds["atom.xml"]).findtext(f"{ATOM}entry/{ATOM}content"),
        "feed.json": json.loads(feeds["feed.json"])["items"][0]["content_html"],
    }
    for name, markup in contents.items():
        urls = {url.strip() for url in _URL_ATTRIBUTE.findall(markup)}
        assert urls == RESOLVED, (name, urls ^ RESOLVED)


# --- long titles ------------------------------------------------------------------------------


def test_a_2000_character_title_is_cut_at_a_word_the_same_in_every_feed_and_the_build_says_so(make_site):
    title = ("Harbour & ships <return> to the quay " * 60)[:2000].strip()
    site, warnings = built_feeds(make_site, {"a.md": article_text(title, "Body.", date="2024-03-30")})
    feeds = check_feeds(site)
    cut = feed_title(title)
    assert len(cut) <= MAX_FEED_TITLE_LENGTH and cut.endswith("\u2026")
    kept = cut[:-1]
    assert title.startswith(kept) and title[len(kept)] == " "  # whole words only
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert titles(feeds, name) == [cut], name
    assert any("the title is 2,000 characters long; feeds carry it cut at a word" in w for w in warnings)
    page = next((site / "articles").glob("*/index.html")).read_text(encoding="utf-8")
    assert "to the quay Harbour &amp; ships &lt;return&gt;" in page  # the page keeps the whole title


@pytest.mark.parametrize(("title", "written"), [
    ("&" * 2000, "&#x26;" * (MAX_FEED_TITLE_LENGTH - 1) + "\u2026"),
    ("AT&T " * 400, "AT&#x26;T " * 39 + "AT&#x26;T\u2026"),
    ("<" * 2000, "&#x3C;" * (MAX_FEED_TITLE_LENGTH - 1) + "\u2026"),
])
def test_the_cut_is_made_on_the_raw_text_so_no_reference_is_cut_in_half(make_site, title, written):
    site, _ = built_feeds(make_site, {"a.md": article_text(title, "Body.", date="2024-03-30")})
    feeds = check_feeds(site)
    assert f"<title>{written}</title>".encode() in feeds["rss.xml"]
    assert f"<title>{written}</title>".encode() in feeds["atom.xml"]
    assert titles(feeds, "feed.json") == [feed_title(" ".join(title.split()))]


def test_a_long_tag_name_gives_a_tag_feed_title_cut_the_same_way(make_site):
    tag = "Harbour " + "authority " * 40
    site, _ = built_feeds(make_site, {"a.md": article_text("A", "Body.", date="2024-03-30", tags=[tag.strip()])})
    feeds = check_feeds(site)
    name = next(n for n in feeds if n.startswith("tags/") and n.endswith("rss.xml"))
    channel_title = ET.fromstring(feeds[name]).findtext("channel/title")
    assert len(channel_title) == len(feed_title(f"Test Digest: {tag.strip()}")) <= MAX_FEED_TITLE_LENGTH
    assert channel_title.startswith("Test Digest: Harbour authority") and channel_title.endswith("authority\u2026")


@pytest.mark.parametrize(("title", "cut"), [
    ("x" * MAX_FEED_TITLE_LENGTH, "x" * MAX_FEED_TITLE_LENGTH),  # at the limit: whole
    ("x" * (MAX_FEED_TITLE_LENGTH + 1), "x" * (MAX_FEED_TITLE_LENGTH - 1) + "\u2026"),  # no space: mid-word
    ("w" * 199 + " next" * 9, "w" * 199 + "\u2026"),  # the word fills the room: whole
    ("word " * 39 + "wordy " + "z" * 50, "word " * 38 + "word\u2026"),  # "wordy" would end past the room
    ("a" * 150 + ", " + "b" * 100, "a" * 150 + "\u2026"),  # no dangling comma
    ("a " + "b" * 300, "a " + "b" * (MAX_FEED_TITLE_LENGTH - 3) + "\u2026"),  # the only space too early
    ("日本語" * 100, ("日本語" * 100)[:MAX_FEED_TITLE_LENGTH - 1] + "\u2026"),  # no spaces in the script
    ("x" * 198 + "e\u0301" + "x" * 10, "x" * 198 + "\u2026"),  # never between a letter and its accent
    ("x" * 197 + "👩\u200d👩" + "x" * 10, "x" * 197 + "\u2026"),  # nor inside a joined emoji
])
def test_feed_title_cuts(title, cut):
    assert feed_title(title) == cut


@given(st.text(max_size=MAX_FEED_TITLE_LENGTH * 2))
def test_feed_title_is_bounded_and_a_prefix(text):
    cut = feed_title(text)
    assert len(cut) <= MAX_FEED_TITLE_LENGTH
    assert cut == text if len(text) <= MAX_FEED_TITLE_LENGTH else (text.startswith(cut[:-1]) and cut[-1] == "\u2026")


# --- empty bodies and authors with markup -----------------------------------------------------


def test_an_article_with_no_body_is_fed_by_its_summary_with_no_empty_content(make_site):
    articles = {"a.md": article_text("Headline only", "", date="2024-03-30", summary="Ships are back."),
                "b.md": article_text("Scripts only", "<script>alert(1)</script>", date="2024-03-29",
                                     summary="Nothing survives.")}
    site, _ = built_feeds(make_site, articles)
    feeds = check_feeds(site)  # an empty Atom content drew the validator's NotBlank
    entries = ET.fromstring(feeds["atom.xml"]).findall(ATOM + "entry")
    assert [e.find(ATOM + "content") for e in entries] == [None, None]
    assert [e.findtext(ATOM + "summary") for e in entries] == ["Ships are back.", "Nothing survives."]
    assert [i.findtext("description") for i in ET.fromstring(feeds["rss.xml"]).iter("item")] == [
        "Ships are back.", "Nothing survives."]
    assert [i["content_text"] for i in json.loads(feeds["feed.json"])["items"]] == ["Ships are back.",
                                                                                     "Nothing survives."]


def test_an_end_tag_in_an_author_name_is_warned_of_like_one_in_a_title(make_site):
    _, warnings = built_feeds(make_site, {"a.md": article_text("A", "Body.", date="2024-03-30",
                                                                author="Jane </b> Doe")})
    assert any("the author 'Jane </b> Doe' holds what reads as an HTML end tag" in w for w in warnings)
