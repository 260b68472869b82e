from datetime import datetime, timedelta, timezone

import hashlib
import re

from generator.cli import main
from generator.config import load_config
from generator.dates import human_date
from generator.theme import load_theme, rfc822, rfc3339, static_files, template_problems


def test_autoescape_is_on_for_html_and_xml(make_site, tmp_path):
    theme = load_theme(load_config(make_site()))
    for name in ("x.html", "x.xml", "feeds/rss.xml"):
        assert theme.environment.autoescape(name) is True
    assert theme.environment.from_string("{{ v }}").render(v="<b>&") == "&lt;b&gt;&amp;"


def test_printed_values_are_escaped_as_plain_jinja_escapes_them(make_site):
    # The theme escapes what templates print without making a Markup of each value; the
    # pages must be the characters Jinja's own escaping gives, whatever is printed and however.
    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup
    theme = load_theme(load_config(make_site()))
    plain = Environment(autoescape=True, undefined=StrictUndefined)

    class Html:
        def __html__(self):
            return "<i>safe</i>"

    source = ("{% macro m(x) %}<b>{{ x }}</b>{% endmacro %}{% set captured %}<p>{{ s }}</p>{% endset %}"
              "{{ s }}|{{ m(s) }}|{{ captured }}|{{ captured }}|{{ mk }}|{{ n }}|{{ h }}|{{ s | e }}|"
              "{{ s ~ mk }}|{{ [s] | join(',') }}|{% autoescape false %}{{ s }}{% endautoescape %}|"
              "{{ m(m(s)) }}")
    values = dict(s="<a href=\"x\">&'</a>", mk=Markup("<br>"), n=3, h=Html())
    ours = theme.environment.from_string(source).render(**values)
    assert ours == plain.from_string(source).render(**values)
    assert ours.startswith("&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;|<b>&lt;a")
    assert "<i>safe</i>" in ours and "&lt;p&gt;" not in ours


def test_calls_from_templates_get_what_plain_jinja_gives_them(make_site):
    # The theme calls plain functions and methods directly; whatever asks Jinja for its context,
    # environment or evaluation context must still get it, in loops and blocks as anywhere.
    from jinja2 import Environment, StrictUndefined, pass_context, pass_environment, pass_eval_context
    theme = load_theme(load_config(make_site()))
    plain = Environment(autoescape=True, undefined=StrictUndefined)

    @pass_context
    def seen(context, name):
        return f"{name}={context.get(name, '-')}"

    class Page:
        def link(self, path, *, suffix=""):
            return f"../{path}{suffix}"

        @pass_environment
        def kind(self, environment):
            return type(environment).__name__ == "Environment" and environment.autoescape is not False

    class Called:
        @pass_eval_context
        def __call__(self, eval_context, x):
            return f"{x}:{eval_context.autoescape}"

    def ended():
        return next(iter(()))

    source = ("{% macro m(x) %}[{{ seen('x') }}]{% endmacro %}{{ link('a') }}|{{ link('b', suffix='/') }}|"
              "{{ seen('s') }}|{% for item in [1, 2] %}{% set got = item * 10 %}{{ seen('got') }}{{ link(item | string) }}"
              "{{ m(item) }}{% endfor %}|{% set t = 7 %}{{ seen('t') }}|{{ kind() }}|{{ called(3) }}|"
              "{{ ended() is undefined }}|{% block b %}{% set inner = 5 %}{{ seen('inner') }}{% endblock %}")
    page = Page()
    values = dict(link=page.link, kind=page.kind, seen=seen, called=Called(), ended=ended, s="<s>")
    ours = theme.environment.from_string(source).render(**values)
    assert ours == plain.from_string(source).render(**values)
    assert ours == "../a|../b/|s=&lt;s&gt;|got=10../1[x=-]got=20../2[x=-]|t=7|True|3:True|True|inner=5"


def test_site_templates_and_static_override_the_theme(make_site, tmp_path):
    config = load_config(make_site())
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text("custom {{ page.title }}")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "style.css").write_text("body{}")
    (tmp_path / "static" / "extra.js").write_text("//")
    theme = load_theme(config)
    assert theme.environment.get_template("404.html").render(page={"title": "T"}) == "custom T"
    files = {str(f.path): f.content for f in static_files(theme)}
    style, extra = theme.asset_path("style.css"), theme.asset_path("extra.js")
    assert files[style] == b"body{}" and files[extra] == b"//"
    assert style == f"static/style.{hashlib.sha256(b'body{}').hexdigest()[:10]}.css"


def test_folders_linked_into_templates_and_static_are_read_through(make_site, tmp_path, tmp_path_factory):
    # A shared folder linked in (static/fonts -> elsewhere) was skipped without a word.
    shared = tmp_path_factory.mktemp("shared")
    (shared / "fonts").mkdir()
    (shared / "fonts" / "serif.woff2").write_bytes(b"font")
    (shared / "fonts" / "loop").symlink_to(shared)  # a link back to a folder it is in: not followed
    (shared / "partials").mkdir()
    (shared / "partials" / "note.html").write_text("note {{ page.title }}")
    config = load_config(make_site())
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "fonts").symlink_to(shared / "fonts")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "partials").symlink_to(shared / "partials")
    theme = load_theme(config)
    assert theme.environment.get_template("partials/note.html").render(page={"title": "T"}) == "note T"
    assert {f.relative for f in theme.static_files if f.relative.startswith("fonts/")} == {
        "fonts/serif.woff2", "fonts/loop/partials/note.html"}  # the loop is entered once, not again


def test_editor_scratch_files_in_templates_and_static_are_no_part_of_the_theme(make_site, tmp_path):
    # vim's swap file of an open template failed every build ("not valid UTF-8"), and check
    # compiled tags.html~ as a template.
    config = load_config(make_site())
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "tags.html").write_text("mine")
    (tmp_path / "templates" / ".tags.html.swp").write_bytes(b"b0VIM 9.0\xff\xfe")
    (tmp_path / "templates" / "tags.html~").write_text("{{ oops( }}")
    (tmp_path / "templates" / "#tags.html#").write_text("{{ oops( }}")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "x.css~").write_text("old")
    (tmp_path / "static" / ".well-known").mkdir()
    (tmp_path / "static" / ".well-known" / "security.txt").write_text("Contact: x")
    theme = load_theme(config)
    assert {name for name in theme.sources if "tags" in name} == {"tags.html"} and not template_problems(theme)
    assert {f.relative for f in theme.static_files} >= {".well-known/security.txt"}
    assert not any(f.relative.endswith("~") for f in theme.static_files)


def test_only_html_xml_and_txt_files_in_templates_are_templates(make_site, tmp_path):
    # A note or an image beside the templates was compiled by check (bogus errors), and an
    # image failed every build ("template is not valid UTF-8").
    config = load_config(make_site())
    (tmp_path / "templates" / "partials").mkdir(parents=True)
    (tmp_path / "templates" / "README.md").write_text("Use {{ page.title }} or {% raw %} to ...\n")
    (tmp_path / "templates" / "404.html.bak").write_text("{% if %}\n")
    (tmp_path / "templates" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    (tmp_path / "templates" / "partials" / "note.html").write_text("note")
    (tmp_path / "templates" / "partials" / "note.txt").write_text("text")
    theme = load_theme(config)
    assert {name for name in theme.sources if not name.startswith("feeds/")} == {
        "404.html", "_macros.html", "archive.html", "archive_month.html", "archive_year.html", "article.html",
        "base.html", "digest.html", "index.html", "search.html", "sitemap.xml", "story.html", "tag.html",
        "tags.html", "partials/note.html", "partials/note.txt"}
    assert template_problems(theme) == []


def test_static_names_carry_a_content_hash_and_css_follows_them(make_site, tmp_path):
    config = load_config(make_site())
    (tmp_path / "static" / "img").mkdir(parents=True)
    (tmp_path / "static" / "img" / "logo.png").write_bytes(b"png-1")
    (tmp_path / "static" / "style.css").write_text('a{background:url("img/logo.png")}b{background:url(data:x)}')
    first = load_theme(config)
    logo = first.asset_path("img/logo.png")
    assert re.fullmatch(r"static/img/logo\.[0-9a-f]{10}\.png", logo)
    css = dict((str(f.path), f.content) for f in static_files(first))[first.asset_path("style.css")]
    assert css == f'a{{background:url("{logo.removeprefix("static/")}")}}b{{background:url(data:x)}}'.encode()
    (tmp_path / "static" / "img" / "logo.png").write_bytes(b"png-2")
    second = load_theme(config)
    # A changed image renames the image and, through its url(), the stylesheet too.
    assert second.asset_path("img/logo.png") != logo
    assert second.asset_path("style.css") != first.asset_path("style.css")
    assert second.asset_path("favicon.svg") == first.asset_path("favicon.svg")


def test_asking_for_a_missing_asset_is_a_template_error(make_site, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "404.html").write_text("{{ asset('nope.css') }}\n")
    config = make_site({"a.md": "---\ntitle: A\n---\nBody\n"})
    assert main(["--config", str(config), "--quiet", "build"]) == 1


def test_date_formats():
    moment = datetime(2024, 3, 30, 9, 15, tzinfo=timezone(timedelta(hours=2)))
    assert human_date(moment) == "30 March 2024"
    assert rfc822(moment) == "Sat, 30 Mar 2024 07:15:00 GMT"
    assert rfc3339(moment) == "2024-03-30T07:15:00Z"
