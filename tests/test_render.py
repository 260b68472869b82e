"""Pages and feeds stay well-formed whatever text an article carries."""

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import feedparser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.feeds import feed_files
from generator.index import index_site
from generator.listings import plan_listings
from generator.pages import html_pages
from generator.text import clean_text
from generator.theme import load_theme
from tests.conftest import make_article
from tests.live_markup import live_markup

PAYLOADS = st.sampled_from(['"><script>alert(1)</script>', "]]>", "&amp; &", "<!--", "\u0000\u0007",
                            "\ufffe", "javascript:alert(1)", "😀 Москва", "'\"<>"])
TEXT = st.lists(st.one_of(PAYLOADS, st.text(max_size=20)), max_size=4).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, author=TEXT, summary=TEXT, tag=TEXT, body=TEXT)
def test_any_text_gives_well_formed_feeds_and_safe_pages(make_site, title, author, summary, tag, body):
    config = load_config(make_site())
    theme = load_theme(config)
    clean = lambda s: " ".join(clean_text(s).split())  # what the loader does to every field
    article = replace(make_article("story", tags=(clean(tag) or "x",)), title=clean(title) or "t",
                      author=clean(author) or None, summary=clean(summary) or None,
                      body=clean_text(body))
    site = index_site([article], config)
    for feed in (pending.render() for pending in feed_files(site, config, theme)):
        if feed.path.suffix == ".json":  # feedparser reads no JSON Feed
            assert json.loads(feed.content)["items"][0]["title"] == article.title
        else:
            ET.fromstring(feed.content)
            assert feedparser.parse(feed.content).bozo == 0
    for page in html_pages(site, plan_listings(site, config), config, theme):
        assert live_markup(page.render().content.decode(), whole_page=True) == [], page.path


def test_a_planned_page_is_the_page_its_plan_describes_planned_once_for_its_key_and_bytes(make_site):
    from generator.page_keys import PageKeys
    from generator.pages import SiteNav, article_page
    from generator.render import defer_page, defer_planned

    config = load_config(make_site())
    theme = load_theme(config)
    site = index_site([make_article("harbour", title="Harbour <b>works</b>"), make_article("council")], config)
    keys = PageKeys.of("env", site.articles, config)
    nav = SiteNav(None, True)
    plans = []

    def plan(position):
        plans.append(position)
        article = site.articles[position]
        return article_page(config, article, None, None, None, site.related[article.id])

    def heading(file):
        return file.render().content.split(b"<h1>")[1].split(b"</h1>")[0].decode()

    template, meta, context = plan(0)
    plans.clear()
    direct = defer_page(theme, config, template, meta, "first.md", keys, nav=nav, **context)
    direct_key, direct_file = direct.key(), direct.render()  # before: the plan made last is remembered
    planned = defer_planned(theme, config, str(direct.path), "first.md", lambda: plan(0), keys, nav=nav)
    assert planned.key() == direct_key is not None
    assert planned.render() == direct_file
    assert plans == [0]  # the key and the page, from one plan
    other = defer_planned(theme, config, "elsewhere/index.html", "second.md", lambda: plan(1), keys, nav=nav)
    assert other.key() != planned.key()
    assert {heading(planned), heading(other)} == {"Harbour &lt;b&gt;works&lt;/b&gt;", "Council"}
    assert plans == [0, 1, 0, 1]  # each planned again after the other was


def test_an_article_page_travels_to_another_process_and_is_the_same_page_there(make_site):
    import pickle

    from generator.page_keys import PageKeys

    config = load_config(make_site())
    site = index_site([make_article("harbour", tags=("Harbour",)), make_article("council", tags=("Harbour",))],
                      config)
    keys = PageKeys.of("env", site.articles, config)
    pages = [f for f in html_pages(site, plan_listings(site, config), config, load_theme(config), keys)
             if str(f.path).startswith("articles/")]
    assert len(pages) == 2
    for page in pages:  # as a cluster's worker gets it: by pickle (its key is taken here)
        assert pickle.loads(pickle.dumps(page.make))() == page.render()


def test_the_plan_made_last_does_not_keep_its_site_alive():
    import functools
    import gc
    import weakref

    from generator.render import _planned

    class Site:  # a plan holds the whole site; a process that builds again must let it go
        pass

    site = Site()
    alive = weakref.ref(site)
    plan = functools.partial(lambda shown: ("article.html", None, {"shown": 1}), site)
    assert _planned(plan) is _planned(plan)
    del plan, site
    gc.collect()
    assert alive() is None
