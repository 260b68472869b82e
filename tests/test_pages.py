from generator.config import load_config
from generator.index import index_site
from generator.pages import archive_months, html_pages
from generator.sitemap import sitemap_entries
from generator.theme import load_theme
from tests.conftest import make_article


def test_archive_groups_by_month_newest_first_undated_last():
    articles = (make_article("a", date="2024-03-30"), make_article("b", date="2024-03-01"),
                make_article("c", date="2024-02-10"), make_article("d", date=None))
    assert [(m.label, [a.slug for a in m.articles]) for m in archive_months(articles)] == [
        ("March 2024", ["a", "b"]), ("February 2024", ["c"]), ("Undated", ["d"])]


def test_article_pages_link_newer_and_older(make_site):
    config = load_config(make_site())
    site = index_site([make_article("new", date="2024-03-30"), make_article("mid", date="2024-03-20"),
                       make_article("old", date="2024-03-10")], config)
    pages = {str(f.path): f.content.decode() for f in html_pages(site, config, load_theme(config))}
    mid = pages["articles/mid/index.html"]
    assert 'Newer: <a href="../../articles/new/" rel="prev">' in mid
    assert 'Older: <a href="../../articles/old/" rel="next">' in mid
    assert "Newer:" not in pages["articles/new/index.html"]
    assert 'href="https://news.example.org/tags/"' in pages["404.html"]  # absolute: served at any depth


def test_sitemap_lists_every_page_with_lastmod(make_site):
    config = load_config(make_site())
    site = index_site([make_article("a", tags=("X",), date="2024-03-30"), make_article("b", date=None)], config)
    entries = {e.url: e.lastmod for e in sitemap_entries(site, config)}
    assert set(entries) == {f"https://news.example.org/{p}" for p in
                            ("", "articles/a/", "articles/b/", "tags/", "tags/x/", "archive/")}
    assert entries["https://news.example.org/articles/b/"] is None
    assert entries["https://news.example.org/"].isoformat().startswith("2024-03-30")
