"""End to end on the two shipped seed articles: ingest, build, goldens, validators."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from tests.conftest import site_tree
from tests.feedcheck import feed_messages
from tests.golden import GOLDEN, build_seed_site
from tests.live_markup import live_markup
from tests.validators import html_errors


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> tuple[Path, Path]:
    return build_seed_site(tmp_path_factory.mktemp("seeds"))


def test_articles_match_golden(seed_site):
    articles, _ = seed_site
    markdown = {name: data for name, data in site_tree(articles).items() if name.endswith(".md")}
    assert markdown == site_tree(GOLDEN / "articles"), "run `make goldens` and review the diff"


def test_site_matches_golden(seed_site):
    _, site = seed_site
    built, golden = site_tree(site), site_tree(GOLDEN / "site")
    assert sorted(built) == sorted(golden), "run `make goldens` and review the diff"
    changed = [path for path in built if built[path] != golden[path]]
    assert changed == [], "run `make goldens` and review the diff"


def test_expected_pages_exist(seed_site):
    _, site = seed_site
    for page in ("index.html", "404.html", "robots.txt", "sitemap.xml", "rss.xml", "atom.xml",
                 "tags/index.html", "tags/crocus/index.html", "tags/putin/index.html", "tags/moscow/index.html",
                 "tags/crocus/rss.xml", "tags/crocus/atom.xml", "tags/crocus/feed.json", "feed.json",
                 "archive/index.html", "archive/2024/index.html", "archive/2024/03/index.html",
                 "days/2024-03-30/index.html", "weeks/2024-03-25/index.html", "search/index.html",
                 "search/meta.json",
                 "articles/kremlin-says-putin-pained-by-moscow-attack-even-if-not-visible/index.html",
                 "articles/no-plans-for-putin-to-meet-with-concert-attack-survivors-kremlin-says/index.html"):
        assert (site / page).is_file(), page
    assert len(list((site / "static").glob("style.*.css"))) == 1


def test_seeds_link_each_other_with_shared_tags(seed_site):
    _, site = seed_site
    pained = (site / "articles/kremlin-says-putin-pained-by-moscow-attack-even-if-not-visible/index.html").read_text()
    plans = (site / "articles/no-plans-for-putin-to-meet-with-concert-attack-survivors-kremlin-says/index.html").read_text()
    assert "no-plans-for-putin-to-meet-with-concert-attack-survivors-kremlin-says/" in pained.split('class="related"')[1]
    assert "kremlin-says-putin-pained-by-moscow-attack-even-if-not-visible/" in plans.split('class="related"')[1]
    for page in (pained, plans):
        reason = page.split('class="reason">')[1].split("</span>")[0]
        assert "Crocus" in reason and "Putin" in reason


def test_every_page_passes_the_nu_html_checker(seed_site):
    _, site = seed_site
    assert html_errors(site) == []


def test_no_live_markup_in_any_page(seed_site):
    _, site = seed_site
    for page in site.rglob("*.html"):
        assert live_markup(page.read_text(), whole_page=True) == [], page


def test_every_feed_parses_cleanly(seed_site):
    _, site = seed_site
    feeds = sorted(p for p in site.rglob("*.xml") if p.name in ("rss.xml", "atom.xml"))
    assert len(feeds) >= 8
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.title and entry.link.startswith("https://digest.example.org/articles/")
            assert entry.id.startswith("urn:uuid:")


def test_rebuild_is_byte_identical(seed_site, tmp_path):
    _, site = seed_site
    _, again = build_seed_site(tmp_path)
    assert site_tree(again) == site_tree(site)


def test_every_feed_passes_the_w3c_feed_validator_rules(seed_site):
    """Zero errors and zero warnings under the W3C Feed Validation Service's rules (tests/feedcheck.py)."""
    site = seed_site[1]
    feeds = sorted(p for p in site.rglob("*.xml") if p.name in ("rss.xml", "atom.xml"))
    assert feeds
    for path in feeds:
        location = "https://digest.example.org/" + path.relative_to(site).as_posix()
        assert feed_messages(path.read_bytes(), location) == [], location
