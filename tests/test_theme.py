from datetime import datetime, timedelta, timezone

from generator.config import load_config
from generator.theme import human_date, load_theme, rfc822, rfc3339, static_files


def test_autoescape_is_on_for_html_and_xml(make_site, tmp_path):
    theme = load_theme(load_config(make_site()))
    for name in ("x.html", "x.xml", "feeds/rss.xml"):
        assert theme.environment.autoescape(name) is True
    assert theme.environment.from_string("{{ v }}").render(v="<b>&") == "&lt;b&gt;&amp;"


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
    assert files["static/style.css"] == b"body{}" and "static/extra.js" in files


def test_date_formats():
    moment = datetime(2024, 3, 30, 9, 15, tzinfo=timezone(timedelta(hours=2)))
    assert human_date(moment) == "30 March 2024"
    assert rfc822(moment) == "Sat, 30 Mar 2024 07:15:00 GMT"
    assert rfc3339(moment) == "2024-03-30T07:15:00Z"
