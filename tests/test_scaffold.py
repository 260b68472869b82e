"""digest init and digest new: a new site builds at once, and nothing is ever overwritten."""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.config import builtin_theme, load_config
from generator.frontmatter import split_front_matter
from generator.load import load_article
from generator.scaffold import init_site, new_article
from generator.taxonomy import Vocabulary

NOW = datetime(2026, 3, 30, 9, 15, 42, 123456, tzinfo=timezone.utc)


def test_init_makes_a_site_that_builds_with_the_shipped_theme(tmp_path, capsys):
    folder = tmp_path / "harbour-news"
    assert main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"created {folder / 'site.yaml'}" in out and "Next: cd " in out
    config = load_config(folder / "site.yaml")
    assert config.title == "Harbour News" and config.theme_dir == builtin_theme()
    assert not (folder / "themes").exists()
    assert main(["--config", str(folder / "site.yaml"), "build"]) == 0
    page = (folder / "site" / "articles" / "welcome-to-harbour-news" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Welcome to Harbour News</h1>" in page
    assert (folder / "site" / "tags" / "getting-started" / "index.html").is_file()
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == ["site/", ".digest-cache/"]


def test_init_writes_a_title_that_yaml_would_misread_as_it_is(tmp_path):
    title = 'Yes: "No" # 2025 \\ [x]'
    init_site(tmp_path / "s", title, "https://x.example/", NOW)
    assert yaml.safe_load((tmp_path / "s" / "site.yaml").read_text(encoding="utf-8"))["title"] == title
    assert load_config(tmp_path / "s" / "site.yaml").title == title


def test_init_with_copy_theme_uses_the_copy(tmp_path):
    folder = tmp_path / "s"
    made = init_site(folder, "S", "https://x.example/", NOW, copy_theme=True)
    assert folder / "themes" / "default" in made.created
    copied = sorted(p.relative_to(folder / "themes" / "default") for p in (folder / "themes" / "default").rglob("*")
                    if p.is_file())
    shipped = sorted(p.relative_to(builtin_theme()) for p in builtin_theme().rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts)
    assert copied == shipped and len(copied) > 10
    assert load_config(folder / "site.yaml").theme_dir == (folder / "themes" / "default").resolve()


def test_a_site_copy_named_default_wins_over_the_shipped_theme(tmp_path):
    init_site(tmp_path, "S", "https://x.example/", NOW)
    assert load_config(tmp_path / "site.yaml").theme_dir == builtin_theme()
    (tmp_path / "themes" / "default" / "templates").mkdir(parents=True)
    assert load_config(tmp_path / "site.yaml").theme_dir == (tmp_path / "themes" / "default").resolve()


def test_init_refuses_a_folder_that_is_not_empty_and_force_adds_only_what_is_missing(tmp_path, capsys):
    (tmp_path / "site.yaml").write_text("title: mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (f"error: {tmp_path}: the folder is a digest site already (choose a new "
                                       "folder, or add --force to add only the files it lacks)\n")
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "site.yaml").read_text(encoding="utf-8") == "title: mine\n"
    assert f"kept    {tmp_path / 'site.yaml'} (there already)" in capsys.readouterr().out
    assert (tmp_path / "content" / "articles" / "welcome-to-your-digest.md").is_file()


def test_init_refuses_a_file_and_a_bad_base_url(tmp_path, capsys):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path / "f")]) == 1
    assert capsys.readouterr().err == f"error: {tmp_path / 'f'}: exists and is not a folder (choose a new folder name)\n"
    for url in ("example.org", "https://[::1/", "https://x.org/?q=1", "https://x.org/#f", "https://x.org/a b",
                "https://:80/"):
        assert main(["init", str(tmp_path / "s"), "--base-url", url]) == 1
        assert capsys.readouterr().err == (f"error: --base-url {url!r} is not an absolute http(s) URL without query "
                                           "or fragment (e.g. --base-url https://news.example.org/)\n")
    assert not (tmp_path / "s").exists()


def test_new_writes_valid_front_matter_with_a_stable_id(make_site):
    config = load_config(make_site({}))
    path = new_article(config, "  Council approves\tthe harbour budget ", ["Harbour", " ", "Floods"], NOW)
    assert path == config.content_dir / "council-approves-the-harbour-budget.md"
    article = load_article(path, config, Vocabulary.from_topics(config.topics))
    assert article.title == "Council approves the harbour budget"
    assert article.date == NOW.replace(microsecond=0)
    assert [t.name for t in article.tags] == ["Harbour", "Floods"]
    other = new_article(config, "Council approves the harbour budget", [], NOW, slug="budget-vote")
    ids = [split_front_matter(p.read_text(encoding="utf-8"), p).meta.data["id"] for p in (path, other)]
    assert ids[0] != ids[1]
    # The id depends on the file's name alone: the same on every machine, whatever the title or date.
    path.unlink()
    again = new_article(config, "Another title", [], NOW + timedelta(days=1), slug="council-approves-the-harbour-budget")
    assert split_front_matter(again.read_text(encoding="utf-8"), again).meta.data["id"] == ids[0]


def test_new_never_overwrites_and_names_the_file(make_site, capsys):
    config_path = make_site({})
    assert main(["--config", str(config_path), "new", "Flood warning", "--tags", "Floods"]) == 0
    path = Path(capsys.readouterr().out.strip())
    before = path.read_bytes()
    assert main(["--config", str(config_path), "new", "Flood warning"]) == 1
    assert capsys.readouterr().err == (f"error: {path}: an article of that name exists already "
                                       "(edit it, or give the new one another --slug)\n")
    assert path.read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["new", "   "], "content/articles: the title is empty (digest new \"Kremlin says ...\")"),
    (["new", "!!!"], "content/articles: no file name can be made from '!!!' (give one with --slug, e.g. "
                     "--slug moscow-concert-attack)"),
    (["new", "T", "--date", "yesterday"], "--date 'yesterday' is not a date (use ISO 8601, e.g. 2024-03-30 or "
                                          "2024-03-30T14:05:00+03:00)"),
    (["new", "T", "--date", "0001-01-01"], "--date 0001-01-01T00:00:00+00:00 is out of range (use a date from "
                                           "1000-01-02 to 9999-12-30)"),
    (["new", "T", "--date", "9999-12-31T23:00:00-05:00"], "--date 9999-12-31T23:00:00-05:00 is out of range (use a "
                                                          "date from 1000-01-02 to 9999-12-30)"),
])
def test_new_rejects_what_cannot_make_an_article(make_site, capsys, monkeypatch, args, message):
    config_path = make_site({})
    monkeypatch.chdir(config_path.parent)
    assert main(args) == 1
    assert capsys.readouterr().err == f"error: {message}\n"
    assert list((config_path.parent / "content" / "articles").iterdir()) == []


def test_new_takes_a_date_in_the_sites_zone(make_site, capsys):
    config_path = make_site({}, timezone="Europe/Moscow")
    assert main(["--config", str(config_path), "new", "T", "--date", "2024-03-30T09:00"]) == 0
    path = Path(capsys.readouterr().out.strip())
    config = load_config(config_path)
    assert load_article(path, config, Vocabulary.from_topics(())).date.isoformat() == "2024-03-30T09:00:00+03:00"


def test_new_refuses_a_title_whose_url_another_article_has(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "s", "--title", "S"]) == 0
    capsys.readouterr()
    # The welcome article's file is welcome-to-your-digest.md, its URL articles/welcome-to-s/.
    assert main(["--config", "s/site.yaml", "new", "Welcome to S"]) == 1
    assert capsys.readouterr().err == ("error: s/content/articles/welcome-to-s.md: the URL articles/welcome-to-s/ is "
                                       "taken by s/content/articles/welcome-to-your-digest.md (give the new article "
                                       "another --slug)\n")
    assert main(["--config", "s/site.yaml", "new", "Welcome to S", "--slug", "welcome-again"]) == 0
    assert capsys.readouterr().out == "s/content/articles/welcome-again.md\n"
    assert main(["--config", "s/site.yaml", "build", "--quiet"]) == 0


def test_new_warns_about_tags_that_are_no_topic(make_site, capsys):
    config_path = make_site({})
    assert main(["--config", str(config_path), "new", "Storm", "--tags", "Floods, Storms"]) == 0
    captured = capsys.readouterr()
    path = config_path.parent / "content" / "articles" / "storm.md"
    assert captured.out == f"{path}\n"
    assert captured.err == (f"warning: {path}: tag 'Storms' is not a topic in site.yaml (add it under topics in "
                            "site.yaml, or use a topic's name)\n")
