import xml.etree.ElementTree as ET

from generator import sitemap
from generator.config import load_config
from generator.index import index_site
from generator.listings import plan_listings
from generator.model import OutputFile, PendingFile
from generator.sitemap import ArticleDates, seo_files, sitemap_entries, sitemap_pages
from generator.theme import load_theme
from tests.conftest import make_article

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def made_seo_files(make_site, articles):
    config = load_config(make_site())
    site = index_site(articles, config)
    listings = plan_listings(site, config)
    files = [f.render() if isinstance(f, PendingFile) else f
             for f in seo_files(site, listings, config, load_theme(config))]
    paths = [str(f.path) for f in files]
    assert len(set(paths)) == len(paths)
    expected = {e.url: e.lastmod for e in sitemap_entries(ArticleDates(site.articles), config, sitemap_pages(site, listings))}
    return {str(f.path): ET.fromstring(f.content) for f in files if str(f.path).endswith(".xml")}, expected


def listed(urlset):
    return [(url.findtext("sm:loc", namespaces=NS), url.findtext("sm:lastmod", namespaces=NS))
            for url in urlset.findall("sm:url", NS)]


ARTICLES = [make_article(f"a{i}", tags=("Floods", "Harbour"), date=f"2024-0{1 + i % 3}-1{i}") for i in range(6)]


def test_a_site_within_the_limit_has_one_sitemap_of_every_page(make_site):
    xml, expected = made_seo_files(make_site, ARTICLES)
    assert set(xml) == {"sitemap.xml"}
    urls = listed(xml["sitemap.xml"])
    assert xml["sitemap.xml"].tag == f"{{{NS['sm']}}}urlset"
    assert sorted(url for url, _ in urls) == sorted(expected) and len(expected) > 12


def test_past_the_limit_the_sitemap_indexes_parts_that_together_list_every_page_once(make_site, monkeypatch):
    monkeypatch.setattr(sitemap, "SITEMAP_URLS", 5)
    xml, expected = made_seo_files(make_site, ARTICLES)
    parts = sorted(path for path in xml if path != "sitemap.xml")
    assert len(parts) == -(-len(expected) // 5) and parts[0] == "sitemap-1.xml"
    index = xml["sitemap.xml"]
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    assert [s.findtext("sm:loc", namespaces=NS) for s in index.findall("sm:sitemap", NS)] == [
        f"https://news.example.org/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    urls = [entry for part in parts for entry in listed(xml[part])]
    assert all(len(listed(xml[part])) <= 5 for part in parts)
    assert sorted(url for url, _ in urls) == sorted(expected)  # each once
    dated = {url: lastmod for url, lastmod in urls}
    assert all((dated[url] is None) == (lastmod is None) for url, lastmod in expected.items())
    assert dated["https://news.example.org/"].startswith("2024-03-15")  # the site's newest, in whichever part
    assert dated["https://news.example.org/articles/a3/"].startswith("2024-01-13")  # its own date
    assert dated["https://news.example.org/archive/2024/01/"].startswith("2024-01-13")  # a3, newest of January


def test_a_sites_sitemap_parts_find_each_articles_own_date_once_between_them(make_site, monkeypatch):
    monkeypatch.setattr(sitemap, "SITEMAP_URLS", 5)
    newest, dated = sitemap._newest, []
    monkeypatch.setattr(sitemap, "_newest", lambda articles: dated.append(len(articles)) or newest(articles))
    xml, _ = made_seo_files(make_site, ARTICLES)
    assert len(xml) > 3  # the index and several parts
    # Once more for the expected entries, which made_seo_files finds apart.
    assert dated.count(1) == 2 * len(ARTICLES)


def test_a_sitemap_part_travels_to_another_process_and_renders_the_same_there(make_site, monkeypatch):
    import pickle

    monkeypatch.setattr(sitemap, "SITEMAP_URLS", 5)
    config = load_config(make_site())
    site = index_site(ARTICLES, config)
    parts = [f for f in seo_files(site, plan_listings(site, config), config, load_theme(config))
             if isinstance(f, PendingFile)]
    assert len(parts) > 1 and all(pickle.loads(pickle.dumps(part.make))() == part.render() for part in parts)


def test_robots_txt_names_the_sitemap(make_site):
    config = load_config(make_site())
    site = index_site(ARTICLES, config)
    robots = [f for f in seo_files(site, plan_listings(site, config), config, load_theme(config))
              if isinstance(f, OutputFile) and str(f.path) == "robots.txt"]
    assert b"Sitemap: https://news.example.org/sitemap.xml" in robots[0].content


def test_a_sitemap_is_keyed_by_its_entries_not_by_the_articles_dating_them(make_site, monkeypatch):
    from dataclasses import replace

    from generator.page_keys import PageKeys

    config = load_config(make_site())
    theme = load_theme(config)

    def sitemap_file(articles):
        site = index_site(articles, config)
        keys = PageKeys.of("env", site.articles, config)
        [found] = [f for f in seo_files(site, plan_listings(site, config), config, theme, keys)
                   if str(f.path) == "sitemap.xml"]
        return found

    words = ["harbour cranes", "council budget", "valley floods", "dry wells", "port strike", "bridge repairs"]
    articles = [replace(a, body=f"The {topic} story.") for a, topic in zip(ARTICLES, words)]  # no two one story
    before = sitemap_file(articles)
    key = before.key()
    assert key is not None and sitemap_file([replace(a) for a in articles]).key() == key
    assert sitemap_file([replace(articles[0], body="The harbour cranes story, edited."), *articles[1:]]).key() == key
    redated = sitemap_file([replace(articles[0], updated=articles[0].date.replace(year=2025)), *articles[1:]])
    assert redated.key() != key
    assert sitemap_file(articles[1:]).key() != key  # a page fewer
    # The entries are found once, for the key and the page both.
    found = []
    monkeypatch.setattr(sitemap, "sitemap_entries", lambda *args: found.append(args) or sitemap_entries(*args))
    made = sitemap_file(articles)
    assert made.key() == key and made.render() == before.render() and len(found) == 1


def test_a_page_is_dated_by_the_first_of_its_articles_newest_dates_as_it_shows_them(make_site):
    from dataclasses import replace
    from datetime import datetime, timedelta, timezone

    config = load_config(make_site())
    noon = datetime(2024, 3, 1, 12, tzinfo=timezone.utc)
    a = make_article("a", date=None, updated=None)
    b = replace(make_article("b"), date=noon)
    c = replace(make_article("c"), date=noon.astimezone(timezone(timedelta(hours=1))))  # the same instant
    d = replace(make_article("d"), date=noon - timedelta(days=1), updated=noon.astimezone(timezone(timedelta(hours=-5))))
    pages = [("one/", (a, b, c)), ("two/", (c, b)), ("three/", (d, b)), ("four/", (a,)), ("five/", ())]
    entries = sitemap_entries(ArticleDates([a, b, c, d]), config, pages)
    assert [(e.lastmod, e.lastmod and e.lastmod.utcoffset()) for e in entries] == [
        (noon, timedelta(0)), (noon, timedelta(hours=1)), (noon, timedelta(hours=-5)), (None, None), (None, None)]
    stranger = replace(make_article("e"), date=noon + timedelta(days=1))  # shown, though of no site's articles
    assert sitemap_entries(ArticleDates([a, b]), config, [("x/", (b, stranger))])[0].lastmod == stranger.date


def test_dates_sent_to_another_process_are_found_again_there():
    import pickle

    dates = ArticleDates([make_article("a"), make_article("b", date="2024-03-02")])
    assert dates.site_wide is not None  # found here, keyed by this process's objects
    sent = pickle.loads(pickle.dumps(dates))
    assert set(sent.own) == {id(article) for article in sent.articles}
    assert sent.own == {id(article): sitemap._newest((article,)) for article in sent.articles}
