"""The seed site in real clients: Chromium renders every kind of page, Lighthouse scores them,
newsboat reads every feed. All over HTTP from 127.0.0.1; the tools come from .ci/run and
`make test` (see tests/clients.py). Screenshots are kept in build/screenshots/ for CI."""

from __future__ import annotations

import json
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.clients import (NEWSBOAT_READS_JSON_FEED, chromium_screenshot, is_blank, lighthouse_scores,
                           mean_brightness, newsboat_items, screenshot_stats, serve)
from tests.golden import ROOT, build_seed_site

SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTHS = {360: 780, 1280: 900}  # viewport width -> height, CSS pixels
PAGES = {  # kind of page -> where the built site has them
    "index": "index.html",
    "article": "articles/*/index.html",
    "tag": "tags/*/index.html",
    "digest": "days/*/index.html",
}
LIGHTHOUSE_PAGES = ("index", "article", "tag")
FULL_MARKS = ("accessibility", "best-practices", "seo")
MIN_PERFORMANCE = 0.95
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    _, site = build_seed_site(tmp_path_factory.mktemp("clients-seeds"))
    return site


@pytest.fixture(scope="session")
def served(seed_site) -> list[tuple[int, str]]:
    """Every request the server answered, as (status, path)."""
    return []


@pytest.fixture(scope="session")
def base_url(seed_site, served) -> str:
    with serve(seed_site, served) as url:
        yield url


def page_url(site: Path, base_url: str, kind: str) -> str:
    """The URL of the first page of a kind (sorted), checked to answer 200; fails if there is none."""
    pages = sorted(site.glob(PAGES[kind]))
    if not pages:
        pytest.fail(f"the seed site has no {kind} page ({PAGES[kind]} under the built site): "
                    f"pages found: {sorted(p.relative_to(site).as_posix() for p in site.rglob('*.html'))}",
                    pytrace=False)
    relative = pages[0].relative_to(site).as_posix()
    url = base_url + relative.removesuffix("index.html")
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, f"{url} answered {response.status}"
    return url


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_renders_in_chromium(seed_site, base_url, served, kind, width):
    url = page_url(seed_site, base_url, kind)
    start = len(served)
    png = chromium_screenshot(url, width, WIDTHS[width], SCREENSHOTS / f"{kind}-{width}.png")
    missing = [f"{path} ({status})" for status, path in served[start:] if status >= 400]
    assert not missing, f"{url} asked for files the site lacks: {', '.join(missing)} (see {png})"
    stats = screenshot_stats(png)
    assert stats.size == (width, WIDTHS[width]), f"{png}: {stats}"
    assert not is_blank(png), f"{url} at {width} px looks blank in Chromium ({png}: {stats})"


@pytest.mark.parametrize("kind", ["index", "article"])
def test_theme_follows_the_reader_s_light_or_dark_preference(seed_site, base_url, kind):
    url = page_url(seed_site, base_url, kind)
    light = chromium_screenshot(url, 360, WIDTHS[360], SCREENSHOTS / f"{kind}-360-light-check.png")
    dark = chromium_screenshot(url, 360, WIDTHS[360], SCREENSHOTS / f"{kind}-360-dark.png", dark=True)
    assert mean_brightness(light) > 180, f"{light} should be light"
    assert mean_brightness(dark) < 80, f"{dark} should be dark (prefers-color-scheme: dark)"
    assert not is_blank(dark)


@pytest.mark.parametrize("form_factor", ["mobile", "desktop"])
@pytest.mark.parametrize("kind", LIGHTHOUSE_PAGES)
def test_lighthouse_scores(seed_site, base_url, kind, form_factor):
    url = page_url(seed_site, base_url, kind)
    result = lighthouse_scores(url, form_factor=form_factor)
    wanted = {name: 1.0 for name in FULL_MARKS}
    low = {name: score for name, score in result.scores.items()
           if (score is None) or (name in wanted and score < 1) or
           (name == "performance" and score < MIN_PERFORMANCE)}
    assert not low, (f"Lighthouse scores below target on the {kind} page ({form_factor}): "
                     f"{low}; want accessibility, best-practices, seo 100 "
                     f"and performance >= {MIN_PERFORMANCE * 100:.0f}\n{result.report()}")


def feed_titles(path: Path) -> list[str]:
    """Item titles of an RSS, Atom or JSON feed, read with the standard library."""
    if path.suffix == ".json":
        return [item.get("title", "") for item in json.loads(path.read_text(encoding="utf-8"))["items"]]
    root = ET.parse(path).getroot()
    if root.tag == "rss":
        items = root.findall("./channel/item")
        return [(item.findtext("title") or "") for item in items]
    if root.tag == f"{ATOM}feed":
        return [(entry.findtext(f"{ATOM}title") or "") for entry in root.findall(f"{ATOM}entry")]
    raise AssertionError(f"{path}: not an RSS or Atom feed (root <{root.tag}>)")


def site_feeds(site: Path) -> list[Path]:
    names = {"rss.xml", "atom.xml"} | ({"feed.json"} if NEWSBOAT_READS_JSON_FEED else set())
    return sorted(p for p in site.rglob("*") if p.is_file() and p.name in names)


def test_newsboat_reads_every_feed(seed_site, base_url):
    feeds = site_feeds(seed_site)
    assert any(p.name == "rss.xml" for p in feeds) and any(p.name == "atom.xml" for p in feeds), feeds
    urls = {base_url + p.relative_to(seed_site).as_posix(): p for p in feeds}
    read = newsboat_items(urls)
    problems = []
    for url, path in urls.items():
        expected, seen = feed_titles(path), read.get(url, [])
        if len(seen) != len(expected):
            problems.append(f"{url}: newsboat read {len(seen)} items, the feed holds {len(expected)}")
        elif sorted(" ".join(t.split()) for t in seen) != sorted(" ".join(t.split()) for t in expected):
            problems.append(f"{url}: newsboat's titles {seen} differ from the feed's {expected}")
    assert not problems, "\n".join(problems)
