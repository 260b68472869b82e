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


def test_a_planned_page_is_the_page_its_plan_describes_and_keyed_by_the_plan_unmade(make_site, monkeypatch):
    import functools

    from generator import pages
    from generator.page_keys import PageKeys
    from generator.pages import SiteNav, article_page
    from generator.render import defer_page, defer_planned

    config = load_config(make_site())
    theme = load_theme(config)
    site = index_site([make_article("harbour", title="Harbour <b>works</b>"), make_article("council")], config)
    keys = PageKeys.of("env", site.articles, config)
    nav = SiteNav(None, True)
    template, meta, context = article_page(config, site.articles[0], None, None, None,
                                           site.related[site.articles[0].id])
    direct = defer_page(theme, config, template, meta, "first.md", keys, nav=nav, **context)
    made = []

    def planned(position, path=str(direct.path)):
        article = site.articles[position]
        return defer_planned(theme, config, path, "first.md",
                             functools.partial(pages.article_page, config, article, None, None, None,
                                               site.related[article.id]), keys, nav=nav)

    first = planned(0)
    monkeypatch.setattr(pages, "page_meta", lambda *args, **kwargs: made.append(args) or meta)
    assert first.key() == planned(0).key() is not None
    assert made == []  # keyed without being planned
    monkeypatch.undo()
    assert first.render() == direct.render()
    other = planned(1, "elsewhere/index.html")
    assert other.key() != first.key()

    def heading(file):
        return file.render().content.split(b"<h1>")[1].split(b"</h1>")[0].decode()
    assert {heading(first), heading(other)} == {"Harbour &lt;b&gt;works&lt;/b&gt;", "Council"}
    # A plan that cannot be pickled (a local function) has no key: its page is always rendered.
    assert defer_planned(theme, config, "x/index.html", "first.md", lambda: (template, meta, context), keys,
                         nav=nav).key() is None


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
