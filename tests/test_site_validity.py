"""A paginated site with every kind of page and awkward text, through the real validators."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
import yaml

from generator.config import load_config
from generator.pipeline import build
from tests.conftest import BASE_CONFIG
from tests.feedcheck import feed_messages
from tests.live_markup import live_markup
from tests.sample_site import sample_articles, sample_config
from tests.validators import html_errors


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    (root / "site.yaml").write_text(yaml.safe_dump({**BASE_CONFIG, **sample_config()}), encoding="utf-8")
    content = root / "content" / "articles"
    content.mkdir(parents=True)
    for name, text in sample_articles().items():
        (content / name).write_text(text, encoding="utf-8")
    config = load_config(root / "site.yaml")
    build(config, warn=lambda message: None)
    return config.output_dir


def test_sample_site_has_every_kind_of_page(sample_site):
    for page in ("index.html", "page/2/index.html", "page/6/index.html", "tags/floods/page/2/index.html",
                 "days/2024-03-10/index.html", "weeks/2024-03-11/index.html", "archive/2024/03/index.html",
                 "search/index.html", "tags/ünïcode-strasse/index.html"):
        assert (sample_site / page).is_file(), page
    # The sample articles share one body, a day or two apart: reports of one story (of two, as
    # no story lasts more than 14 days and they span 20).
    assert len(list((sample_site / "stories").glob("*/index.html"))) == 2


def test_every_page_passes_the_nu_html_checker(sample_site):
    assert html_errors(sample_site) == []


def test_no_live_markup_in_any_page(sample_site):
    for page in sample_site.rglob("*.html"):
        assert live_markup(page.read_text(), whole_page=True) == [], page


def test_every_xml_feed_parses_with_its_fields(sample_site):
    feeds = sorted(p for p in sample_site.rglob("*.xml") if p.name in ("rss.xml", "atom.xml"))
    assert len(feeds) == 2 * (1 + 5)
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert 1 <= len(parsed.entries) <= 6, path
        for entry in parsed.entries:
            assert entry.title.startswith(("Story", "An undated")), path
            assert entry.link.startswith("https://news.example.org/articles/")
            assert entry.id.startswith("urn:uuid:")
            html = entry.get("content", [{"value": entry.get("description", "")}])[0]["value"]
            assert "<script" not in html and "onclick" not in html
            assert 'href="../' not in html and 'src="crane.jpg"' not in html  # absolute URLs only


def test_every_feed_passes_the_w3c_feed_validator_rules(sample_site):
    """Zero errors and zero warnings under the W3C Feed Validation Service's rules (tests/feedcheck.py)."""
    site = sample_site
    feeds = sorted(p for p in site.rglob("*.xml") if p.name in ("rss.xml", "atom.xml"))
    assert feeds
    for path in feeds:
        location = "https://news.example.org/" + path.relative_to(site).as_posix()
        assert feed_messages(path.read_bytes(), location) == [], location
