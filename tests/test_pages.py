import html
import json
import re
from datetime import date
from zoneinfo import ZoneInfo

from generator.config import load_config
from generator.digests import archive_years, digest_series, topic_sections
from generator.index import index_site
from generator.listings import plan_listings
from generator.pages import html_pages
from generator.sitemap import ArticleDates, sitemap_entries, sitemap_pages
from generator.theme import load_theme
from tests.conftest import make_article

UTC = ZoneInfo("UTC")


def build_pages(make_site, articles, **config):
    loaded = load_config(make_site(**config))
    site = index_site(articles, loaded)
    listings = plan_listings(site, loaded)
    pages = {str(f.path): f.render().content.decode() for f in html_pages(site, listings, loaded, load_theme(loaded))}
    return site, listings, pages


def test_article_pages_link_newer_and_older(make_site):
    _, _, pages = build_pages(make_site, [make_article("new", date="2024-03-30"), make_article("mid", date="2024-03-20"),
                                          make_article("old", date="2024-03-10")])
    mid = pages["articles/mid/index.html"]
    assert 'Newer: <a href="../../articles/new/" rel="prev">' in mid
    assert 'Older: <a href="../../articles/old/" rel="next">' in mid
    assert "Newer:" not in pages["articles/new/index.html"]
    assert 'href="https://news.example.org/tags/"' in pages["404.html"]  # absolute: served at any depth


def test_index_and_tag_pages_are_paginated_with_rel_links(make_site):
    articles = [make_article(f"a{i}", tags=("Floods",), date=f"2024-03-{i + 1:02d}") for i in range(5)]
    _, listings, pages = build_pages(make_site, articles, pagination={"per_page": 2})
    assert [p.path for p in listings.index] == ["", "page/2/", "page/3/"]
    assert {"index.html", "page/2/index.html", "page/3/index.html", "tags/floods/index.html",
            "tags/floods/page/2/index.html", "tags/floods/page/3/index.html"} <= set(pages)
    middle = pages["page/2/index.html"]
    assert '<link rel="prev" href="../../">' in middle and '<link rel="next" href="../../page/3/">' in middle
    assert re.findall(r'href="\.\./\.\./articles/(a\d)/"', middle)[:2] == ["a2", "a1"]  # newest first: a4 a3 | a2 a1 | a0
    assert '<ol class="article-list" start="3">' in middle
    assert "page 2 of 3" in middle and "Page 2 of 3" in middle
    assert re.search(r"<title>[^<]*, page 2 of 3 · Test Digest</title>", middle)  # not the front page's title
    first = pages["index.html"]
    assert "<title>Test Digest</title>" in first
    assert 'rel="prev"' not in first.split("</head>")[0] and '<link rel="next" href="./page/2/">' in first
    last_tag = pages["tags/floods/page/3/index.html"]
    assert '<link rel="prev" href="../../../../tags/floods/page/2/">' in last_tag and 'rel="next"' not in last_tag
    assert "<title>Floods, page 3 of 3 · Test Digest</title>" in last_tag


def test_zero_per_page_puts_every_article_on_one_page(make_site):
    articles = [make_article(f"a{i}", date=f"2024-03-{i + 1:02d}") for i in range(12)]
    _, listings, pages = build_pages(make_site, articles, pagination={"per_page": 0})
    assert len(listings.index) == 1 and len(listings.index[0].articles) == 12
    assert "page/2/index.html" not in pages


def test_digests_group_by_day_and_monday_week_with_neighbours():
    articles = tuple(make_article(s, date=d, tags=t) for s, d, t in (
        ("sun", "2024-03-31T10:00:00", ("Floods",)), ("sat", "2024-03-30T09:00:00", ("Council",)),
        ("mon", "2024-03-25T08:00:00", ()), ("prev", "2024-03-24T23:00:00", ("Floods",)), ("nodate", None, ())))
    days = digest_series(articles, UTC, "day")
    assert [d.path for d in days] == ["days/2024-03-31/", "days/2024-03-30/", "days/2024-03-25/", "days/2024-03-24/"]
    assert days[1].older == ("days/2024-03-25/", "25 March 2024") and days[1].newer == ("days/2024-03-31/", "31 March 2024")
    weeks = digest_series(articles, UTC, "week")
    assert [(w.path, w.title, [a.slug for a in w.articles]) for w in weeks] == [
        ("weeks/2024-03-25/", "The week of 25 March 2024", ["sun", "sat", "mon"]),
        ("weeks/2024-03-18/", "The week of 18 March 2024", ["prev"])]
    assert weeks[0].end == date(2024, 3, 31) and weeks[0].newer is None and weeks[1].older is None


def test_the_calendars_last_week_ends_with_the_calendar():
    # Its Monday is 9999-12-27; six days on is past the last day a date can name (a traceback).
    (week,) = digest_series((make_article("last", date="9999-12-30T10:00:00"),), UTC, "week")
    assert (week.start, week.end, week.path) == (date(9999, 12, 27), date(9999, 12, 31), "weeks/9999-12-27/")


def test_digest_days_follow_the_site_timezone():
    late = (make_article("late", date="2024-03-24T22:30:00"),)  # UTC; already the 25th in Moscow
    assert digest_series(late, ZoneInfo("Europe/Moscow"), "day")[0].path == "days/2024-03-25/"
    assert digest_series(late, UTC, "day")[0].path == "days/2024-03-24/"


def test_topic_sections_file_each_article_once_under_its_biggest_topic():
    articles = (make_article("a", tags=("Floods", "Council")), make_article("b", tags=("Council",)),
                make_article("c", tags=("Harbour", "Floods")), make_article("d", tags=("Council", "Harbour")),
                make_article("e"))
    sections = topic_sections(articles)
    # Council is on 3 articles, Floods on 2, Harbour on 2: Floods wins the tie for c by name.
    assert [(s.tag.name if s.tag else None, [a.slug for a in s.articles]) for s in sections] == [
        ("Council", ["a", "b", "d"]), ("Floods", ["c"]), (None, ["e"])]


def test_digest_page_lists_topics_and_links_neighbours(make_site):
    articles = [make_article("a", tags=("Floods",), date="2024-03-30", summary="Water <rises>"),
                make_article("b", date="2024-03-29")]
    _, _, pages = build_pages(make_site, articles)
    day = pages["days/2024-03-30/index.html"]
    assert '<h2 id="topic-1"><a href="../../tags/floods/">Floods</a></h2>' in day
    assert "Water &lt;rises&gt;" in day
    # rel="prev" is the newer neighbour, as on paginated lists and article pages (newest first).
    assert 'Before: <a href="../../days/2024-03-29/" rel="next">29 March 2024</a>' in day
    assert '<link rel="next" href="../../days/2024-03-29/">' in day and '<link rel="prev"' not in day
    week = pages["weeks/2024-03-25/index.html"]
    assert "<h1>The week of 25 March 2024</h1>" in week and "Other news" in week


def test_digests_can_be_switched_off(make_site):
    _, listings, pages = build_pages(make_site, [make_article("a")], digests={"daily": False, "weekly": False})
    assert not listings.days and not listings.weeks
    assert not any(p.startswith(("days/", "weeks/")) for p in pages)
    assert 'href="../../../days/' not in pages["archive/2024/03/index.html"]


def test_archives_by_year_and_month_with_undated_on_the_root():
    articles = (make_article("a", date="2024-03-30"), make_article("b", date="2024-03-01"),
                make_article("c", date="2023-12-10"), make_article("d", date=None))
    years = archive_years(articles, UTC, daily=True, weeks=())
    assert [(y.path, [(m.path, m.title, m.count) for m in y.months]) for y in years] == [
        ("archive/2024/", [("archive/2024/03/", "March 2024", 2)]),
        ("archive/2023/", [("archive/2023/12/", "December 2023", 1)])]
    assert [d.digest_path for d in years[0].months[0].days] == ["days/2024-03-30/", "days/2024-03-01/"]


def test_article_page_carries_news_article_json_ld_safe_in_script(make_site):
    hostile = make_article("x", title="</script><script>alert(1)</script>", author="Ann & Bob",
                           tags=("Floods",), source_url="https://origin.example.com/x")
    _, _, pages = build_pages(make_site, [hostile])
    page = pages["articles/x/index.html"]
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["@type"] == "NewsArticle" and data["headline"] == "</script><script>alert(1)</script>"
    assert data["author"] == {"@type": "Person", "name": "Ann & Bob"}
    assert data["datePublished"].startswith("2024-03-30") and data["keywords"] == ["Floods"]
    assert data["isBasedOn"] == "https://origin.example.com/x"
    assert data["mainEntityOfPage"]["@id"] == "https://news.example.org/articles/x/"


def test_undated_article_json_ld_states_no_date(make_site):
    _, _, pages = build_pages(make_site, [make_article("x", date=None)])
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', pages["articles/x/index.html"]).group(1))
    assert "datePublished" not in data and "author" not in data


def test_every_page_links_its_feeds_canonical_and_social_meta(make_site):
    _, _, pages = build_pages(make_site, [make_article("a", tags=("Floods",))], feeds={"formats": ["atom", "json"]})
    tag = pages["tags/floods/index.html"]
    assert '<link rel="alternate" type="application/atom+xml" title="Test Digest: Floods (Atom)" ' \
           'href="https://news.example.org/tags/floods/atom.xml">' in tag
    assert 'type="application/feed+json"' in tag and "application/rss+xml" not in tag
    for path, html in pages.items():
        head = html.split("</head>")[0]
        assert '<link rel="canonical" href="https://news.example.org/' in head, path
        assert '<meta property="og:title"' in head and '<meta name="twitter:card" content="summary">' in head, path
        assert 'rel="alternate"' in head, path


def test_sitemap_lists_every_listed_page_with_lastmod(make_site):
    articles = [make_article("a", tags=("X",), date="2024-03-30"), make_article("b", date=None)]
    loaded = load_config(make_site())
    site = index_site(articles, loaded)
    pages = sitemap_pages(site, plan_listings(site, loaded))
    entries = {e.url: e.lastmod for e in sitemap_entries(ArticleDates(site.articles), loaded, pages)}
    assert set(entries) == {f"https://news.example.org/{p}" for p in
                            ("", "articles/a/", "articles/b/", "tags/", "tags/x/", "archive/", "archive/2024/",
                             "archive/2024/03/", "days/2024-03-30/", "weeks/2024-03-25/")}
    assert entries["https://news.example.org/articles/b/"] is None
    assert entries["https://news.example.org/"].isoformat().startswith("2024-03-30")


def test_a_week_spanning_new_year_is_listed_under_both_years():
    articles = (make_article("jan", date="2025-01-02"), make_article("dec", date="2024-12-20"))
    weeks = digest_series(articles, UTC, "week")
    years = archive_years(articles, UTC, daily=True, weeks=weeks)
    assert [(y.year, [w.path for w in y.weeks]) for y in years] == [
        (2025, ["weeks/2024-12-30/"]), (2024, ["weeks/2024-12-30/", "weeks/2024-12-16/"])]


def test_nav_links_the_newest_daily_digest_when_weekly_ones_are_off(make_site):
    _, _, pages = build_pages(make_site, [make_article("a", date="2024-03-30")], digests={"weekly": False})
    assert '<a href="./days/2024-03-30/">Digests</a>' in pages["index.html"]
    _, _, none = build_pages(make_site, [make_article("a", date="2024-03-30")],
                             digests={"weekly": False, "daily": False})
    assert ">Digests</a>" not in none["index.html"]


def test_pages_show_days_in_the_site_timezone(make_site):
    # 01:00 in Moscow on the 30th is still the 29th in New York: the page and the digest agree.
    article = make_article("a", date="2024-03-30T01:00:00+03:00")
    _, listings, pages = build_pages(make_site, [article], timezone="America/New_York")
    assert listings.days[0].path == "days/2024-03-29/"
    assert ">29 March 2024</time>" in pages["articles/a/index.html"]
    assert 'datetime="2024-03-30T01:00:00+03:00"' in pages["articles/a/index.html"]  # the instant as stated


REPORT = ("Fire crews fought a blaze at the Lefortovo warehouse overnight; forty firefighters and ten engines "
          "attended and the roof collapsed before dawn, the emergencies ministry said.")


def test_reports_of_one_story_share_a_story_page_and_list_each_other(make_site):
    from dataclasses import replace

    first = replace(make_article("first", date="2024-03-01", source="Moscow Times", tags=("Fires",)),
                    body=REPORT)
    second = replace(make_article("second", date="2024-03-02", source="Meduza", tags=("Fires",)),
                     body=REPORT.replace("forty", "about 40"))
    other = replace(make_article("other", date="2024-03-02", tags=("Fires",)),
                    body="The council budget vote was delayed again.")
    site, _, pages = build_pages(make_site, [first, second, other])
    assert [[a.slug for a in s.articles] for s in site.stories] == [["first", "second"]]
    story = pages["stories/first/index.html"]
    assert "<h1>Story: First</h1>" in story and "2 reports from Moscow Times, Meduza, oldest first" in story
    assert story.index('href="../../articles/first/"') < story.index('href="../../articles/second/"')
    page = pages["articles/second/index.html"]
    reports = page[page.index('id="story-heading"'):page.index('id="related-heading"')]
    assert '<a href="../../articles/first/">First</a> <span class="reason">(Moscow Times)</span>' in reports
    assert 'href="../../stories/first/"' in reports and "articles/second/" not in reports
    related = page[page.index('id="related-heading"'):]
    assert "articles/first/" not in related.split("</section>")[0]  # listed once, as a report
    assert 'articles/other/' in related
    assert "story-heading" not in pages["articles/other/index.html"]
    assert [l.target.slug for l in site.related[second.id]] == ["other"]


def test_a_story_with_many_reports_leaves_room_for_related_links(make_site):
    from dataclasses import replace

    reports = [replace(make_article(f"r{n}", date=f"2024-03-0{1 + n % 3}", tags=("Fires",)),
                       body=REPORT + f" Update {n}.") for n in range(8)]
    other = replace(make_article("other", date="2024-03-02", tags=("Fires",)), body="Budget vote delayed.")
    site, _, pages = build_pages(make_site, [*reports, other])
    assert len(site.stories) == 1 and len(site.stories[0].articles) == 8
    assert [l.target.slug for l in site.related[reports[0].id]] == ["other"]
    assert 'href="../../articles/other/"' in pages["articles/r0/index.html"].split('id="related-heading"')[1]


def test_the_tag_index_lists_topics_by_name_accents_and_case_aside(make_site):
    names = ["Zebra mussels", "Über", "apple", "Москва", "C++", "École", "uber boats", "Ebb tide"]
    articles = [make_article(f"a{i}", tags=(name,), date=f"2024-03-{i + 1:02d}") for i, name in enumerate(names)]
    _, _, pages = build_pages(make_site, articles)
    shown = [html.unescape(name) for name in re.findall(r'<a href="\.\./tags/[^"]+/">([^<]+)</a>', pages["tags/index.html"])]
    assert shown == ["apple", "C++", "Ebb tide", "École", "Über", "uber boats", "Zebra mussels", "Москва"]


def test_an_article_pages_key_changes_with_what_the_page_shows_and_only_with_that(make_site):
    from dataclasses import replace

    from generator.page_keys import PageKeys
    from generator.model import Story

    config = load_config(make_site())
    theme = load_theme(config)

    def keys_of(articles, config=config, **changes):  # the article pages' keys
        site = replace(index_site(articles, config), **changes)
        keys = PageKeys.of("env", site.articles, config, related=site.related)
        return {str(f.path): f.key() for f in html_pages(site, plan_listings(site, config), config, theme, keys)
                if str(f.path).startswith("articles/")}

    bodies = {"new": "Harbour cranes rust.", "mid": "Council votes budget.", "old": "Floods reach valley.",
              "first": "Drought dries wells."}
    articles = [make_article(name, date=f"2024-03-{day}", tags=(tag,), body=bodies[name])
                for name, day, tag in (("new", 30, "Harbour"), ("mid", 20, "Council"), ("old", 10, "Floods"),
                                       ("first", "01", "Drought"))]
    assert not any(index_site(articles, config).related.values())  # no related links: neighbours only
    before = keys_of(articles)
    assert None not in before.values() and len(set(before.values())) == 4
    assert keys_of([replace(a) for a in articles]) == before

    def changed(articles, **changes):
        after = keys_of(articles, **changes)
        return {path.split("/")[1] for path in before if after[path] != before[path]}
    # A title is on its page and its neighbours' ("Newer: ...", "Older: ...").
    assert changed([articles[0], replace(articles[1], title="Mid renamed"), *articles[2:]]) == {"new", "mid", "old"}
    assert changed([*articles[:2], replace(articles[2], title="Old renamed"), articles[3]]) == {"mid", "old", "first"}
    # And on the pages linking it as related: "first" is no neighbour of "new", which now links it.
    linked = [replace(articles[0], tags=articles[3].tags), *articles[1:]]
    assert {link.target.slug for link in index_site(linked, config).related[linked[0].id]} == {"first"}
    assert changed(linked) == {"new", "mid", "first"}
    # The header's links: no search page.
    assert changed(articles, config=load_config(make_site(search=False))) == {"new", "mid", "old", "first"}
    site = index_site(articles, config)
    story = Story("floods", "Floods", tuple(site.articles[:2]))
    assert changed(articles, story_of={a.id: story for a in site.articles[:2]}) == {"new", "mid"}
