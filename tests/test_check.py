"""digest check: one small site per failure mode, each asserting the exact problems reported."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator import check as check_module
from generator.check import (FRONT_MATTER_FIELDS, CheckReport, check_site, produced_files, read_files,
                             site_without_analysis)
from generator.check_templates import covering, parts
from generator.config import load_config
from generator.errors import DigestError, Problem
from generator.listings import plan_listings
from generator.load import find_articles
from generator.model import Article
from generator.pipeline import build, tags_by_stem
from generator.taxonomy import Vocabulary, slugify
from generator.theme import load_theme
from generator.output_paths import MARKER
from tests.conftest import site_tree, subject_corpus

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def md(*front: str, body: str = "Body text.") -> str:
    """An article file: front-matter lines (the first on file line 2), then the body, which
    starts on file line len(front) + 3."""
    return "---\n" + "".join(line + "\n" for line in front) + "---\n" + body + "\n"


@pytest.fixture
def check(make_site, tmp_path, monkeypatch):
    """Write a site and check it; paths in messages are shown relative to the site folder."""
    monkeypatch.chdir(tmp_path)

    def run(articles: dict[str, str], **config) -> CheckReport:
        return check_site(load_config(make_site(articles, **config)), NOW, jobs=1)

    return run


def shown(problems) -> list[str]:
    return [str(p) for p in problems]


HARBOUR = md("title: Harbour reopens", "date: 2024-03-30", "tags: [Harbour]", "summary: Ships are back.")
COUNCIL = md("title: Council votes", "date: 2024-03-29", "tags: [Council, city council]", "summary: A vote.")


def test_a_clean_site_has_no_problems(check):
    report = check({"harbour.md": HARBOUR, "council.md": COUNCIL})
    assert (report.articles, report.errors, report.warnings) == (2, (), ())
    assert not report.failed() and not report.failed(strict=True)


def test_every_file_that_fails_to_load_is_reported_in_one_run(check):
    report = check({
        "bad-yaml.md": md("title: Broken", "tags: [Harbour, Council"),
        "no-title.md": md("date: 2024-03-30"),
        "fine.md": md("title: Fine", "date: 2024-03-30", "tags: [Harbour]", "sumary: Misspelt."),
    })
    assert shown(report.errors) == [
        "content/articles/bad-yaml.md:3: bad front matter YAML: while parsing a flow sequence did not find "
        "expected ',' or ']'",
        "content/articles/no-title.md:1: missing title (add a line such as: title: Kremlin says ...)",
    ]
    # The articles that load are checked as usual.
    assert shown(report.warnings) == [
        "content/articles/fine.md:5: unknown field 'sumary' is ignored (did you mean 'summary'?)"]
    assert report.articles == 3 and report.failed()


def test_unknown_keys_of_an_article_that_fails_to_load_are_named(check):
    report = check({"capital.md": md("Title: Harbour reopens", "date: 2024-03-30")})
    assert shown(report.errors) == [
        "content/articles/capital.md:1: missing title (add a line such as: title: Kremlin says ...)"]
    assert shown(report.warnings) == [
        "content/articles/capital.md:2: unknown field 'Title' is ignored (did you mean 'title'?)"]


def test_two_articles_at_one_url_are_an_error_at_the_line_that_names_it(check):
    report = check({"a.md": md("title: Harbour reopens", "date: 2024-03-30"),
                    "b.md": md("date: 2024-03-30", "title: Harbour Reopens!"),
                    "c.md": md("title: Another title", "date: 2024-03-30", "slug: harbour-reopens")})
    assert shown(report.errors) == [
        "content/articles/b.md:3: URL articles/harbour-reopens/ is claimed by both content/articles/a.md and "
        "content/articles/b.md (give one of them a different slug in its front matter)",
        "content/articles/c.md:4: URL articles/harbour-reopens/ is claimed by both content/articles/a.md and "
        "content/articles/c.md (give one of them a different slug in its front matter)",
    ]
    assert report.warnings == ()


def test_two_articles_with_one_id_are_an_error(check):
    uuid = "0b4f6c4e-52a8-4a2b-9a3c-0d7a4f1e2b3c"
    report = check({"a.md": md("title: One", "date: 2024-03-30", f"id: {uuid}"),
                    "b.md": md(f"id: '{{{uuid.upper()}}}'", "title: Two", "date: 2024-03-30")})
    assert shown(report.errors) == [
        f"content/articles/b.md:2: feed id urn:uuid:{uuid} is claimed by both content/articles/a.md and "
        "content/articles/b.md (give one of them a different id in its front matter)"]


def test_two_tag_names_on_one_page_are_an_error(check):
    report = check({"a.md": md("title: One", "date: 2024-03-30", "tags: [C]"),
                    "b.md": md("title: Two", "date: 2024-03-30", "tags: [Harbour, C++]")}, topics={})
    assert shown(report.errors) == [
        "content/articles/b.md:4: tags 'C' (content/articles/a.md) and 'C++' (content/articles/b.md) would "
        "share the page tags/c/ (rename one, or make one an alias of the other under topics in site.yaml)"]


def test_unknown_fields_are_named_with_the_closest_known_one(check):
    report = check({"a.md": md("title: One", "dtae: 2024-03-30", "publisher: The Harbour Times")})
    assert shown(report.warnings) == [
        "content/articles/a.md:1: no date; listed after dated articles and fed without a publication date "
        "(add date: YYYY-MM-DD to its front matter if the source states one)",
        "content/articles/a.md:3: unknown field 'dtae' is ignored (did you mean 'date'?)",
        "content/articles/a.md:4: unknown field 'publisher' is ignored (known fields: author, date, id, "
        "image_caption, image_credit, slug, source, source_url, summary, tags, title, updated)",
    ]
    assert report.errors == () and not report.failed() and report.failed(strict=True)


def test_every_known_field_is_one_the_loader_reads(check):
    read = {f.name for f in dataclasses.fields(Article)} - {"source_path", "stem", "body", "tags_inferred"}
    assert set(FRONT_MATTER_FIELDS) == read
    report = check({"a.md": md("id: one", "title: One", "slug: first", "date: 2024-03-30", "updated: 2024-03-31",
                               "author: Jane Doe", "source: The Harbour Times",
                               "source_url: https://example.com/one", "image_caption: Cranes",
                               "image_credit: Photo", "tags: [Harbour]", "summary: Short.")})
    assert (report.errors, report.warnings) == ((), ())


def test_tags_outside_the_topics_are_named_with_the_closest_topic(check):
    article = md("title: One", "date: 2024-03-30", "tags: [Harbor, harbour authority, COUNCIL, Tram strike]")
    report = check({"a.md": article})
    assert shown(report.warnings) == [
        "content/articles/a.md:4: tag 'Harbor' is not a topic in site.yaml (did you mean 'Harbour'?)",
        "content/articles/a.md:4: tag 'Tram strike' is not a topic in site.yaml "
        "(add it under topics in site.yaml, or as an alias of a topic)",
    ]
    assert check({"a.md": article}, topics={}).warnings == ()  # no vocabulary: any tag goes


def test_dates_in_the_future_are_named(check):
    report = check({"a.md": md("title: One", "date: 2024-07-01", "updated: 2024-08-01T10:00:00+02:00"),
                    "now.md": md("title: Two", f"date: {NOW.isoformat()}")})
    hint = "(the article will show a future date; feed readers may sort it first)"
    assert shown(report.warnings) == [
        f"content/articles/a.md:3: date 2024-07-01T00:00:00+00:00 is in the future {hint}",
        f"content/articles/a.md:4: updated 2024-08-01T10:00:00+02:00 is in the future {hint}",
    ]


def test_an_update_before_the_publication_is_named_at_its_line(check):
    report = check({"a.md": md("title: One", "date: 2024-04-01", "updated: 2024-03-01", "summary: S."),
                    "b.md": md("title: Two", "date: 2024-04-01", "updated: 2024-04-01", "summary: S.")})
    assert shown(report.warnings) == [
        "content/articles/a.md:4: updated is before date; feeds and search engines are told it changed when it was "
        "published (correct updated:, or remove it if the article was not updated after it was published)"]


def test_a_missing_summary_matters_only_to_summary_only_feeds(check):
    articles = {"harbour.md": md("title: Harbour reopens", "date: 2024-03-30", "tags: [Harbour]"),
                "council.md": md("title: Council votes", "date: 2024-03-30", "tags: [Council]")}
    assert check(articles).warnings == ()
    report = check(articles, feeds={"per_feed": {"harbour authority": {"full_content": False}}})
    assert shown(report.warnings) == [
        "content/articles/harbour.md:1: no summary; a summary-only feed carries it with empty text "
        "(add summary: followed by a sentence or two)"]


LINKING = md("title: Harbour reopens", "date: 2024-03-30", "tags: [Harbour]", body="""\
Ships are back; see [the vote](../council-votes/).

The harbour authority said so, and [its
report](../council-vote/) says more.

- ![The quay](quay.jpg)
- [Ports](/tags/harbor/) and [council](../../tags/council/)

[later]: ../zzz/

Read [this][later] or `[code](../not-a-link/)`.
""")


def test_broken_links_are_named_at_their_line(check):
    report = check({"harbour.md": LINKING, "council.md": COUNCIL})
    assert shown(report.warnings) == [
        "content/articles/harbour.md:8: broken link '../council-vote/': the site has no "
        "articles/council-vote/ (did you mean '../council-votes/'?)",
        "content/articles/harbour.md:11: broken image 'quay.jpg': the site has no articles/harbour-reopens/quay.jpg",
        "content/articles/harbour.md:12: broken link '/tags/harbor/': the site has no tags/harbor/ "
        "(did you mean '/tags/harbour/'?)",
        "content/articles/harbour.md:16: broken link '../zzz/': the site has no articles/zzz/",
    ]
    assert report.errors == ()


def test_a_link_written_as_if_from_the_root_is_told_its_path_from_the_page(check):
    # Read only from the page, each led into the article's own folder, and check suggested
    # the article's own page: "did you mean './'?".
    article = md("title: Harbour reopens", "date: 2024-03-30", "tags: [Harbour]",
                 body="[a](tags/harbour/) [b](../tags/harbor/) [c](./archive/2024/) [d](nowhere/)")
    report = check({"harbour.md": article, "council.md": COUNCIL})
    assert shown(report.warnings) == [
        "content/articles/harbour.md:6: broken link 'tags/harbour/': the site has no "
        "articles/harbour-reopens/tags/harbour/ (did you mean '../../tags/harbour/'?)",
        "content/articles/harbour.md:6: broken link '../tags/harbor/': the site has no articles/tags/harbor/ "
        "(did you mean '../../tags/harbour/'?)",
        "content/articles/harbour.md:6: broken link './archive/2024/': the site has no "
        "articles/harbour-reopens/archive/2024/ (did you mean '../../archive/2024/'?)",
        "content/articles/harbour.md:6: broken link 'nowhere/': the site has no articles/harbour-reopens/nowhere/",
    ]


def test_a_root_relative_link_must_stay_inside_a_site_served_from_a_folder(check):
    article = md("title: One", "date: 2024-03-30", body="[a](/articles/one/) and [b](/digest/articles/one/)")
    report = check({"one.md": article}, base_url="https://news.example.org/digest/")
    assert shown(report.warnings) == [
        "content/articles/one.md:5: broken link '/articles/one/': it leads outside the site "
        "(the site is served from /digest/)"]


@pytest.mark.parametrize("target", [
    "../council-votes/", "../council-votes", "../council-votes/index.html", "/articles/council-votes/",
    "./", "../../", "/", "/index.html", "../../tags/", "../../tags/harbour/", "/tags/council/index.html",
    "../../archive/", "/archive/2024/03/", "/days/2024-03-29/", "/weeks/2024-03-25/", "/search/", "/404.html",
    "/rss.xml", "/feed.json", "/tags/harbour/atom.xml", "/sitemap.xml", "/stories/council-votes/",
    "#top", "?page=2", "mailto:desk@example.org", "https://example.com/articles/nowhere/", "//cdn.example/x.png",
])
def test_links_to_pages_and_files_the_build_writes_pass(check, target):
    article = md("title: Harbour reopens", "date: 2024-03-30", "tags: [Harbour]", body=f"See [it]({target}).")
    assert check({"harbour.md": article, "council.md": COUNCIL}).warnings == ()


def test_links_to_static_files_pass_by_their_published_name(check, tmp_path):
    report = check({"a.md": md("title: One", "date: 2024-03-30", body="[css](/static/style.css)")})
    assert shown(report.warnings) == [
        "content/articles/a.md:5: broken link '/static/style.css': the site has no static/style.css"]
    published = load_theme(load_config(tmp_path / "site.yaml")).asset_path("style.css")  # hashed
    assert check({"a.md": md("title: One", "date: 2024-03-30", body=f"[css](/{published})")}).warnings == ()


def test_a_broken_theme_and_a_missing_content_folder_are_errors(check, tmp_path):
    report = check({"a.md": md("title: One", "date: 2024-03-30")}, theme="nowhere")
    assert shown(report.errors) == [
        "nowhere: theme has no templates folder (set theme in site.yaml to a folder holding templates/)"]
    report = check({}, content_dir="missing")
    assert shown(report.errors) == [
        "missing: content folder not found (run `digest ingest` first or set content_dir in site.yaml)"]
    assert report.articles == 0


def test_a_template_that_does_not_compile_is_an_error_at_its_line(check, tmp_path):
    # The build finds it only when a page uses the template; check reads every template.
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "tag.html").write_text("fine\n{% if %}broken\n", encoding="utf-8")
    (tmp_path / "templates" / "unused.html").write_text("{{ page.title }}\n", encoding="utf-8")
    report = check({"a.md": md("title: One", "date: 2024-03-30")})
    assert shown(report.errors) == ["templates/tag.html:2: template error: Expected an expression, got 'end of "
                                    "statement block'"]
    assert report.failed()


def test_a_template_that_fails_on_the_sites_content_is_the_builds_error(check, tmp_path):
    # Each compiles, so check passed them, and the build failed on the first page to use one.
    templates = tmp_path / "templates"
    (templates / "feeds").mkdir(parents=True)
    (templates / "article.html").write_text("{{ article.title }}\n{{ article.nosuchattr.x }}\n", encoding="utf-8")
    (templates / "tag.html").write_text("{% if tag %}{{ tag.name | nosuchfilter }}{% endif %}\n", encoding="utf-8")
    # Only the text analysis finds stories, which check skips: it tries the page on a story of two.
    (templates / "story.html").write_text("{% if story is nosuchtest %}{% endif %}\n", encoding="utf-8")
    # The layout of most pages: one problem, at the first page that uses it.
    (templates / "base.html").write_text("<title>{{ page.title }}</title>\n{{ page.nosuch }}\n", encoding="utf-8")
    (templates / "feeds" / "rss.xml").write_text("{{ feed.title }}{{ feed.items[0].nosuch }}\n", encoding="utf-8")
    report = check({"harbour.md": HARBOUR, "council.md": COUNCIL})
    made_up = ("check's sample page: it made the two newest articles one story, the newer related to the older, "
               "as it skips the text analysis that finds stories and related articles")
    assert shown(report.errors) == [
        "templates/article.html:2: template error while rendering articles/harbour-reopens/index.html: "
        f"'generator.model.Article object' has no attribute 'nosuchattr' ({made_up})",
        "templates/base.html:2: template error while rendering index.html: "
        "'generator.render.PageMeta object' has no attribute 'nosuch'",
        "templates/feeds/rss.xml:1: template error while rendering rss.xml: "
        "'generator.feeds.FeedItem object' has no attribute 'nosuch'",
        "templates/story.html:1: template error while rendering stories/council-votes/index.html: "
        f"No test named 'nosuchtest' found. ({made_up})",
        "templates/tag.html:1: template error while rendering tags/council/index.html: "
        "No filter named 'nosuchfilter' found.",
    ]
    with pytest.raises(DigestError) as failed:
        build(load_config(tmp_path / "site.yaml"), lambda message: None, jobs=1)
    assert set(shown(failed.value.problems)) <= set(shown(report.errors))


def test_a_template_fault_only_some_pages_reach_is_found(check, tmp_path):
    # check tried the first page of each kind, and the build failed on a later one: an older
    # article with an image caption, the later pages of the index and of a topic, an older day's digest.
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(
        "{{ article.title }}\n{% if article.image_caption %}{{ article.image_caption.missing.attr }}{% endif %}\n",
        encoding="utf-8")
    (templates / "index.html").write_text("{% if pager.prev_path %}{{ pager.nosuch.x }}{% endif %}\n", encoding="utf-8")
    (templates / "tag.html").write_text("{% if pager.prev_path %}{{ tag.nosuch.x }}{% endif %}\n", encoding="utf-8")
    (templates / "digest.html").write_text("{% if digest.newer %}{{ digest.nosuch.x }}{% endif %}\n", encoding="utf-8")
    quay = md("title: Quay cranes", "date: 2024-03-28", "tags: [Harbour]", "image_caption: Cranes at dawn")
    report = check({"harbour.md": HARBOUR, "council.md": COUNCIL, "quay.md": quay}, pagination={"per_page": 1})
    assert shown(report.errors) == [
        "templates/article.html:2: template error while rendering articles/quay-cranes/index.html: "
        "'str object' has no attribute 'missing'",
        "templates/digest.html:1: template error while rendering days/2024-03-28/index.html: "
        "'generator.digests.Digest object' has no attribute 'nosuch'",
        "templates/index.html:1: template error while rendering page/3/index.html: "
        "'generator.paginate.Pager object' has no attribute 'nosuch'",
        "templates/tag.html:1: template error while rendering tags/harbour/page/2/index.html: "
        "'generator.model.Tag object' has no attribute 'nosuch'",
    ]
    with pytest.raises(DigestError) as failed:
        build(load_config(tmp_path / "site.yaml"), lambda message: None, jobs=1)
    assert set(shown(failed.value.problems)) <= set(shown(report.errors))


def test_the_sample_pages_have_between_them_each_part_set_and_unset():
    shapes = [parts(summary=True, newer=False), parts(summary=True, newer=True), parts(summary=True, newer=True),
              parts(summary=False, newer=True)]
    assert covering(shapes) == [0, 3]  # the third is the second's shape; the second adds nothing to both
    assert covering([]) == []


@pytest.mark.parametrize(("output_dir", "message"), [
    ("content/articles", "the output folder overlaps the input folder"),
    (".", "the output folder would contain the project itself"),
    ("site.yaml", "the output path exists and is not a plain folder"),
])
def test_an_output_folder_the_build_refuses_is_an_error(check, output_dir, message):
    # check passed these and the build failed on them.
    report = check({"a.md": md("title: One", "date: 2024-03-30")}, output_dir=output_dir)
    assert [message in str(p) for p in report.errors] == [True]


def test_no_articles_beside_a_published_site_is_an_error_as_in_the_build(check, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / MARKER).write_text("")
    assert shown(check({}).errors) == [
        "content/articles: no articles to build; the published site is kept "
        "(add articles, or delete the output folder to publish an empty site)"]


def test_warnings_fail_only_a_strict_check():
    warned = CheckReport(1, (), (Problem("a warning"),))
    failed = CheckReport(1, (Problem("an error"),), ())
    assert (warned.failed(), warned.failed(strict=True)) == (False, True)
    assert (failed.failed(), failed.failed(strict=True)) == (True, True)
    assert not CheckReport(0, (), ()).failed(strict=True)


def test_check_writes_nothing(check, tmp_path):
    check({"harbour.md": LINKING, "council.md": COUNCIL})  # site.yaml and articles written here
    before = site_tree(tmp_path)
    check_site(load_config(tmp_path / "site.yaml"), NOW, jobs=1)
    assert site_tree(tmp_path) == before


def test_the_files_check_links_against_are_the_files_a_build_writes(check, tmp_path):
    """Every page, feed and static file, paginated lists included; check accepts any article's
    story page (which reports tell one story only the text analysis knows), and no link should
    name a search index shard."""
    check({"harbour.md": HARBOUR, "council.md": COUNCIL, "undated.md": md("title: Undated", "tags: [Floods]")},
          pagination={"per_page": 1})
    config = load_config(tmp_path / "site.yaml")
    files = read_files(find_articles(config.content_dir), config, Vocabulary.from_topics(config.topics), 1)
    site = site_without_analysis([f.article for f in files])
    produced = produced_files(site, plan_listings(site, config), config, load_theme(config))
    build(config, lambda message: None, jobs=1)
    built = set(site_tree(config.output_dir)) - {str(MARKER)}
    assert {p for p in produced if not p.startswith("stories/")} \
        == {p for p in built if not re.fullmatch(r"search/[dt]-[0-9a-f]+\.json", p)}
    assert {"page/3/index.html", "archive/2024/03/index.html", "tags/floods/rss.xml"} <= produced  # not empty


def test_reading_over_several_processes_finds_the_same(check, monkeypatch):
    import generator.check

    articles = {"harbour.md": LINKING, "council.md": COUNCIL, "no-title.md": md("date: 2024-03-30")}
    alone = check(articles)
    monkeypatch.setattr(generator.check, "CHECK_BATCH", 1)  # a task per file
    config = load_config(Path("site.yaml"))
    assert check_site(config, NOW, jobs=3) == alone
    assert len(alone.errors) == 1 and len(alone.warnings) == 4


def test_the_builds_own_warnings_are_reported_too(check):
    report = check({"a.md": md("title: Why </b> breaks feeds", "date: 2024-03-30", "tags: [Harbour]")},
                   feeds={"per_feed": {"Harbor": {"items": 5}, "harbour authority": {"items": 5}}})
    assert shown(report.warnings) == [
        "content/articles/a.md: the title 'Why </b> breaks feeds' holds what reads as an HTML end tag; RSS readers "
        "may show it as markup (reword it, or leave it and accept the feed validator's warning)",
        "site.yaml: feeds.per_feed names 'Harbor', which is no topic of the site "
        "(use a tag name as it appears on the Topics page, or site)",
    ]


def test_links_to_corpus_topics_pages_pass_and_other_tag_links_are_still_named(check, make_site):
    docs, _ = subject_corpus(120, 3)
    articles = {f"a{n:03d}.md": md(f"title: {title.capitalize()} {n}", f"date: 2024-03-{1 + n % 28:02d}", body=body)
                for n, (title, body) in enumerate(docs)}  # no tags key: each gets its corpus topic

    def linking(slug: str) -> str:
        return md("title: Index of topics", "date: 2024-03-30", "tags: [Harbour]",
                  body=f"[topic](/tags/{slug}/) [feed](/tags/{slug}/rss.xml) [none](/tags/zzqx/)")
    config = load_config(make_site({**articles, "links.md": linking("zzqx")}))
    topics = {tag for tags in tags_by_stem(config).values() for tag in tags} - {t.name for t in config.topics}
    slug = slugify(sorted(topics)[0])  # a corpus topic's, not a vocabulary topic's
    report = check({**articles, "links.md": linking(slug)})
    assert slug in {slugify(t) for tags in tags_by_stem(load_config(make_site())).values() for t in tags}
    assert shown(report.warnings) == ["content/articles/links.md:6: broken link '/tags/zzqx/': the site has no "
                                      "tags/zzqx/ (did you mean '/tags/'?)"]


def test_a_broken_link_no_corpus_topic_could_mend_does_not_run_the_text_analysis(check, monkeypatch):
    docs, _ = subject_corpus(60, 3)
    articles = {f"a{n:03d}.md": md(f"title: {title.capitalize()} {n}", f"date: 2024-03-{1 + n % 28:02d}", body=body)
                for n, (title, body) in enumerate(docs)}

    def no_analysis(*args):
        raise AssertionError("the text analysis ran")
    monkeypatch.setattr(check_module, "with_corpus_topics", no_analysis)
    report = check({**articles, "links.md": md("title: Links", "date: 2024-03-30", "tags: [Harbour]",
                                               body="[none](/articles/nope/)")})
    assert shown(report.warnings) == ["content/articles/links.md:6: broken link '/articles/nope/': the site has no "
                                      "articles/nope/ (did you mean '/articles/dock-area-15/'?)"]
