"""The digest command: exit codes, messages without tracebacks, the old site kept on failure."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.conftest import article_text, site_tree, subject_corpus

GOOD = {"one.md": article_text("First story", "Text one.", date="2024-03-30", tags=["Harbour"]),
        "two.md": article_text("Second story", "Text two.", date="2024-03-29", tags=["Harbour", "Council"])}


def run(config: Path, *args: str) -> int:
    return main(["--config", str(config), *args])


def test_build_succeeds_and_reports(make_site, capsys):
    import re

    config = make_site(GOOD)
    assert run(config, "build") == 0
    summary = capsys.readouterr().out
    assert (config.parent / "site" / "articles" / "first-story" / "index.html").is_file()
    found = re.fullmatch(r"built 2 articles, 2 tags: (\d+) pages \((\d+) rendered\), (\d+) feeds, (\d+) files "
                         r"\((\d+) changed, (\d+\.\d) MB\) in \d+\.\d\ds -> .*site\n", summary)
    assert found, summary
    files = [p for p in (config.parent / "site").rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    feeds = [p for p in files if p.name in ("rss.xml", "atom.xml", "feed.json")]
    # A first build renders every page and writes every file.
    assert [int(n) for n in found.groups()[:5]] == [len(pages), len(pages), len(feeds), len(files), len(files)]
    assert float(found.group(6)) == round(sum(p.stat().st_size for p in files) / 1e6, 1)


def test_a_build_reports_each_step_and_counts_it_to_its_total(make_site, monkeypatch):
    from generator import pipeline, write
    from generator.config import load_config
    from generator.pipeline import build

    monkeypatch.setattr(pipeline, "LOAD_BATCH", 1)
    monkeypatch.setattr(write, "RENDER_BATCH", 3)
    steps = []

    class Recorder:
        def stage(self, name, total):
            steps.append([name, total, 0])

        def advance(self, count):
            steps[-1][2] += count

    config = load_config(make_site(GOOD))
    report = build(config, warn=lambda message: None, jobs=2, progress=Recorder())
    assert [name for name, _, _ in steps] == ["Loading articles", "Relating articles",
                                              "Writing the search index", "Rendering pages and feeds"]
    # The search index's term files and the sitemap are made with the pages, by the same processes.
    files = report.pages + report.feeds + len(list((config.output_dir / "search").glob("t-*.json"))) + 1
    assert steps[0][1:] == [2, 2] and steps[-1][1:] == [files, files] and report.pages > 3 and report.feeds > 3


def test_bad_article_fails_cleanly_and_keeps_the_old_site(make_site, capsys):
    config = make_site(GOOD)
    assert run(config, "build") == 0
    before = site_tree(config.parent / "site")
    broken = config.parent / "content" / "articles" / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    capsys.readouterr()
    assert run(config, "build") == 1
    err = capsys.readouterr().err
    assert err == (f"error: {broken}:2: bad front matter YAML: while parsing a flow sequence "
                   "did not find expected ',' or ']'\n")
    assert site_tree(config.parent / "site") == before
    assert sorted(p.name for p in config.parent.iterdir()) == [".digest-cache", "content", "site", "site.yaml"]


def test_a_text_model_inside_the_output_folder_fails_the_build_and_keeps_the_old_site(make_site, capsys):
    # Published with the pages and removed by the next build's swap, it would be fitted anew
    # by every build, and served to readers.
    config = make_site(GOOD)
    assert run(config, "build") == 0
    before = site_tree(config.parent / "site")
    make_site(GOOD, related={"model": "site/text-model.npz"})
    capsys.readouterr()
    assert run(config, "build") == 1
    site = (config.parent / "site").resolve()
    assert capsys.readouterr().err == (f"error: {site}: related.model is {site}/text-model.npz, inside the output "
                                       "folder, which every build replaces whole (set related.model in site.yaml "
                                       "to a path outside the output folder)\n")
    assert site_tree(config.parent / "site") == before


def test_all_bad_articles_are_reported_at_once(make_site, capsys):
    config = make_site({"a.md": "no front matter\n", "b.md": article_text(None, date="2024-01-01")})
    assert run(config, "build") == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "a.md:1: missing front matter" in err[0] and "b.md:1: missing title" in err[1]


def test_url_collision_names_both_files(make_site, capsys):
    config = make_site({"a.md": article_text("Same title"), "b.md": article_text("Same Title!")})
    assert run(config, "build") == 1
    err = capsys.readouterr().err
    assert "URL articles/same-title/ is claimed by both" in err and "a.md" in err and "b.md" in err
    assert "b.md:2: URL" in err  # at the title, which the slug came from, as digest check reports it


def test_double_build_is_byte_identical(make_site, tmp_path):
    config = make_site(GOOD)
    assert run(config, "build") == 0
    first = site_tree(config.parent / "site")
    assert run(config, "build", "--clean") == 0  # a whole build again, not the unchanged-input shortcut
    assert site_tree(config.parent / "site") == first


def test_output_is_independent_of_hash_seed_and_timezone(make_site):
    config = make_site(GOOD)
    trees = []
    for seed, tz in (("1", "UTC"), ("2", "Asia/Tokyo")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz}
        subprocess.run([sys.executable, "-m", "generator", "--config", str(config), "build"],
                       check=True, env=env, capture_output=True)
        trees.append(site_tree(config.parent / "site"))
    assert trees[0] == trees[1]


def test_missing_config_and_usage_errors(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "none.yaml"), "build"]) == 1
    assert "configuration file not found" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


def test_console_script_prints_no_traceback(make_site):
    config = make_site({"bad.md": "---\ntitle: x\n"})
    result = subprocess.run([sys.executable, "-m", "generator", "--config", str(config), "build"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "bad.md:1: front matter opened on line 1 is never closed" in result.stderr


def test_a_reader_that_stops_reading_is_no_error(make_site):
    # `digest tags | head -1` printed "error: : Broken pipe" and exited 1.
    config = make_site(GOOD)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line
    with os.fdopen(write_end, "wb") as stdout:
        result = subprocess.run([sys.executable, "-m", "generator", "--config", str(config), "tags"],
                                stdout=stdout, stderr=subprocess.PIPE, text=True)
    assert (result.returncode, result.stderr) == (0, "")


def test_common_options_work_after_the_command(make_site, capsys):
    config = make_site(GOOD)
    assert main(["build", "--config", str(config), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--quiet", "build", "--config", str(config)]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("batch", [200, 1])  # one process; then each file in its own task, over two
def test_every_invalid_article_prints_its_exact_error_line_at_once(make_site, capsys, monkeypatch, batch):
    from generator import pipeline
    from generator.errors import display_path
    from tests.test_load import EXPECTED_ERRORS, INVALID

    monkeypatch.setattr(pipeline, "LOAD_BATCH", batch)
    config = make_site(content_dir=str(INVALID))
    assert run(config, "build") == 1
    expected = [f"error: {display_path(INVALID / name)}:{line}: {message}"
                for name, (line, message) in sorted(EXPECTED_ERRORS.items())]
    hostile = len(list((INVALID / "hostile").glob("*.md")))  # a fixture folder of its own, not read
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {display_path(INVALID / 'hostile')}: holds {hostile} Markdown files in a folder, which digest "
        "does not read (move articles directly into invalid_articles/ to publish them)", *expected]
    assert not (config.parent / "site").exists()


def test_pages_rendered_by_several_processes_are_the_same_bytes(make_site, monkeypatch):
    from generator import write

    monkeypatch.setattr(write, "RENDER_BATCH", 2)  # many batches, so both processes render pages
    config = make_site(GOOD)
    assert run(config, "build", "--jobs", "1") == 0
    serial = site_tree(config.parent / "site")
    assert run(config, "build", "--clean", "--jobs", "2") == 0
    assert site_tree(config.parent / "site") == serial and len(serial) > 2 * write.RENDER_BATCH


def test_a_template_failing_in_a_worker_process_is_reported_as_in_one(make_site, monkeypatch, capsys):
    from generator import write

    monkeypatch.setattr(write, "RENDER_BATCH", 2)
    config = make_site(GOOD)
    assert run(config, "build") == 0
    before = site_tree(config.parent / "site")
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "tag.html").write_text("{{ 1 / 0 }}\n")
    capsys.readouterr()
    assert run(config, "build", "--jobs", "2") == 1
    assert capsys.readouterr().err == (f"error: {config.parent / 'templates' / 'tag.html'}:1: template error while "
                                       "rendering tags/council/index.html: ZeroDivisionError: division by zero\n")
    assert site_tree(config.parent / "site") == before


def test_a_template_including_no_template_says_so_at_its_line(make_site, capsys):
    config = make_site(GOOD)
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "tags.html").write_text(
        '{% extends "base.html" %}\n{% block main %}{% include "nosuch.html" %}{% endblock %}\n')
    assert run(config, "build") == 1
    assert capsys.readouterr().err == (f"error: {config.parent / 'templates' / 'tags.html'}:2: template error while "
                                       "rendering tags/index.html: no template named 'nosuch.html' in templates/\n")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(make_site, capsys, jobs):
    config = make_site(GOOD)
    with pytest.raises(SystemExit) as caught:  # argparse's usage error
        run(config, "build", "--jobs", jobs)
    assert caught.value.code == 2
    assert f"expected a whole number of at least 1, got {jobs!r}" in capsys.readouterr().err


def test_a_template_failing_mid_build_keeps_the_old_site(make_site, capsys):
    config = make_site(GOOD)
    assert run(config, "build") == 0
    before = site_tree(config.parent / "site")
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "tag.html").write_text("{{ 1 / 0 }}\n")  # rendered after index and articles
    capsys.readouterr()
    assert run(config, "build") == 1
    assert capsys.readouterr().err == (f"error: {config.parent / 'templates' / 'tag.html'}:1: template error while "
                                       "rendering tags/council/index.html: ZeroDivisionError: division by zero\n")
    assert site_tree(config.parent / "site") == before
    assert sorted(p.name for p in config.parent.iterdir()) == [".digest-cache", "content", "site", "site.yaml", "templates"]


def test_sigterm_mid_build_keeps_the_old_site_and_cleans_up(make_site, monkeypatch, capsys):
    import signal

    import generator.pipeline as pipeline

    config = make_site(GOOD)
    assert run(config, "build") == 0
    before = site_tree(config.parent / "site")
    real_pages = pipeline.html_pages

    def pages_then_sigterm(*args):
        for number, page in enumerate(real_pages(*args)):
            if number == 2:
                os.kill(os.getpid(), signal.SIGTERM)
            yield page

    monkeypatch.setattr(pipeline, "html_pages", pages_then_sigterm)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        assert run(config, "build", "--clean") == 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert "interrupted; the previous site is unchanged" in capsys.readouterr().err
    assert site_tree(config.parent / "site") == before
    assert sorted(p.name for p in config.parent.iterdir()) == [".digest-cache", "content", "site", "site.yaml"]


def test_an_emptied_content_folder_does_not_wipe_the_site(make_site, capsys):
    config = make_site(GOOD)
    assert run(config, "build") == 0
    before = site_tree(config.parent / "site")
    for article in (config.parent / "content" / "articles").iterdir():
        article.unlink()
    capsys.readouterr()
    assert run(config, "build") == 1
    assert capsys.readouterr().err == (
        f"error: {config.parent / 'content' / 'articles'}: no articles to build; the published site is kept "
        "(add articles, or delete the output folder to publish an empty site)\n")
    assert site_tree(config.parent / "site") == before


def test_a_new_site_without_articles_builds(make_site):
    config = make_site({})
    assert run(config, "--quiet", "build") == 0
    assert (config.parent / "site" / "index.html").is_file()


def test_refuses_to_build_over_a_foreign_folder(make_site, capsys):
    config = make_site(GOOD)
    victim = config.parent / "notes"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine")
    assert run(config, "build", "--output", str(victim)) == 1
    assert "refusing to replace a folder that digest did not build" in capsys.readouterr().err
    assert (victim / "keep.txt").read_text() == "mine"


def test_a_template_that_recurses_forever_is_a_clean_error(make_site, capsys):
    config = make_site(GOOD)
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "tags.html").write_text('{% include "tags.html" %}\n')
    assert run(config, "build") == 1
    assert capsys.readouterr().err == (
        "error: tags.html: template error while rendering tags/index.html: "
        "templates include or call themselves without end\n")


def test_ingest_reports_each_outcome_and_exits_1_when_a_page_failed(make_site, capsys):
    from tests.ingest_pages import harbor_page

    config = make_site()
    raw = config.parent / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(harbor_page(1))
    (raw / "b.txt").write_text(harbor_page(1))  # the same story again
    (raw / "c.txt").write_bytes(b"\xff\xfe bad")
    (raw / "notes.pdf").write_bytes(b"%PDF")
    out, report = config.parent / "out", config.parent / "audit.txt"
    assert run(config, "ingest", str(raw), "--out", str(out), "--report", str(report)) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"ingested 3 pages: 1 written, 0 unchanged, 0 kept (edited by hand), 1 duplicate, 1 failed -> {out}",
        f"report: {report}"]
    assert f"warning: {raw / 'notes.pdf'}: not a page (.txt, .html, .htm, .html.gz); ignored" in captured.err
    assert f"warning: {raw / 'b.txt'}: near-duplicate of {raw / 'a.txt'} (100% of the text is the same)" \
        in captured.err
    assert f"error: {raw / 'c.txt'}:1: not valid UTF-8 at byte 0 (re-save the file as UTF-8)" in captured.err
    assert "Traceback" not in captured.err
    assert report.read_text().startswith(f"digest ingest report: 3 pages, {raw} -> {out}\n")


def test_a_report_inside_the_articles_folder_is_refused(make_site, capsys):
    config = make_site()
    raw = config.parent / "raw"
    raw.mkdir()
    out = config.parent / "out"
    assert run(config, "ingest", str(raw), "--out", str(out), "--report", str(out / "report.md")) == 1
    assert capsys.readouterr().err == (f"error: {out / 'report.md'}: the report would be read as an article "
                                       "(write it outside the articles folder or give it another suffix)\n")


def test_related_json_ranks_by_file_stem(make_site, capsys):
    # Texts share no word, so only tags relate them.
    config = make_site({"one.md": article_text("Ferry", "Timetable.", date="2024-03-30", tags=["Harbour"]),
                        "two.md": article_text("Crane", "Inspection.", date="2024-03-29", tags=["Harbour", "Council"]),
                        "three.md": article_text("Budget", "Vote.", date="2024-03-28", tags=["Council"]),
                        "four.md": article_text("Quay", "Repairs.", date="2024-03-27", tags=["Harbour"])})
    assert run(config, "related", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert list(found) == ["four", "one", "three", "two"]
    assert found["two"] == ["three", "one", "four"]  # Council (2 of 4) is rarer than Harbour (3 of 4)
    assert found["three"] == ["two"] and "two" not in found["two"]


def test_tags_json_includes_tags_inferred_from_the_vocabulary(make_site, capsys):
    untagged = article_text("Harbour authority warns", "The city council met the harbour authority twice.")
    config = make_site({**GOOD, "untagged.md": untagged, "none.md": article_text("No tags", "Port.", tags=[])})
    assert run(config, "tags", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert found["untagged"] == ["Harbour"]  # named in the title; one mention of the council is not enough
    assert found["none"] == []  # tags: [] says "no tags": nothing is inferred
    assert found["two"] == ["Harbour", "Council"]


def test_related_and_tags_work_on_any_folder_without_a_site(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, title in (("a", "Same title"), ("b", "Same title")):  # one URL: fine outside a site build
        (folder / f"{name}.md").write_text(article_text(title, "Text.", tags=["Floods"]), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["related", "--json", "--content", str(folder)]) == 0
    assert json.loads(capsys.readouterr().out) == {"a": ["b"], "b": ["a"]}
    assert main(["tags", "--content", str(folder)]) == 0
    assert capsys.readouterr().out == "a: Floods\nb: Floods\n"


def test_tags_are_shown_in_the_spelling_the_site_shows(tmp_path, monkeypatch, capsys):
    # "ukraine" was printed as the one article wrote it, where the site's topic is "Ukraine".
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, tags in (("a", ["ukraine"]), ("b", ["Ukraine"]), ("c", ["Ukraine", "C"]), ("d", ["C++"])):
        (folder / f"{name}.md").write_text(article_text(name, "Text.", tags=tags), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["tags", "--content", str(folder)]) == 0
    # Two names on one page is the build's error, not the listing's: each keeps its name.
    assert capsys.readouterr().out == "a: Ukraine\nb: Ukraine\nc: Ukraine, C\nd: C++\n"


def test_related_names_a_bad_article_and_fails(make_site, capsys):
    config = make_site({**GOOD, "bad.md": "---\ntitle: [\n---\nx\n"})
    assert run(config, "related", "--json") == 1
    err = capsys.readouterr().err
    assert "bad.md:3: bad front matter YAML" in err and "Traceback" not in err


def corpus_folder(tmp_path, count=120):
    """Articles on three subjects in turn, no site: the first three say ``tags: []``."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    docs, truth = subject_corpus(count, 3)
    for n, (title, body) in enumerate(docs):
        text = article_text(title.capitalize(), body, date=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}")
        if n < 3:
            text = text.replace("\n---\n", "\ntags: []\n---\n", 1)
        (folder / f"a{n:03d}.md").write_text(text, encoding="utf-8")
    return folder, truth


def test_tags_give_untagged_articles_their_corpus_topic(tmp_path, monkeypatch, capsys):
    folder, truth = corpus_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["tags", "--json", "--content", str(folder)]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [found[f"a{n:03d}"] for n in range(3)] == [[], [], []]  # tags: [] stays untagged
    by_subject = {}
    for n in range(3, len(truth)):
        (tag,) = found[f"a{n:03d}"]
        by_subject.setdefault(truth[n], set()).add(tag)
    assert all(len(tags) == 1 for tags in by_subject.values()) and len(set.union(*by_subject.values())) == 3
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://x.org/\ntags:\n  corpus_topics: false\n")
    assert main(["tags", "--json", "--content", str(folder)]) == 0
    assert all(tags == [] for tags in json.loads(capsys.readouterr().out).values())


def test_tags_suggest_lists_topics_with_counts_examples_and_yaml_to_accept(tmp_path, monkeypatch, capsys):
    folder, truth = corpus_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["tags", "--suggest", "--json", "--content", str(folder)]) == 0
    topics = json.loads(capsys.readouterr().out)
    assert sorted(t["articles"] for t in topics) == [40, 40, 40]
    assert sum(t["untagged"] for t in topics) == len(truth) - 3
    for topic in topics:
        assert len(topic["examples"]) == 3 and topic["keywords"][0] == topic["name"]
        assert len({truth[int(stem[1:])] for stem in topic["examples"]}) == 1
    assert main(["tags", "--suggest", "--content", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 topics found in 120 articles, largest first:\n")
    assert f"{topics[0]['name']}: 40 articles (" in out and "\ntopics:\n" in out
    accepted = yaml.safe_load(out[out.index("\ntopics:\n"):])["topics"]
    assert list(accepted) == [t["name"] for t in topics]
    assert all(accepted[t["name"]] == t["keywords"][1:4] for t in topics)


def test_tags_suggest_says_so_when_there_is_nothing_to_suggest(make_site, capsys):
    assert run(make_site(GOOD), "tags", "--suggest") == 0
    assert capsys.readouterr().out == ("no topics suggested: the articles form no stable groups "
                                       "(or there are fewer than 60)\n")


def test_related_json_lists_the_other_reports_of_a_story_first(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    report = ("Fire crews fought a blaze at the Lefortovo warehouse overnight; forty firefighters and ten "
              "engines attended and the roof collapsed before dawn, the emergencies ministry said.")
    for name, title, body, date, tags in (
            ("a", "Warehouse blaze", report, "2024-03-01", ["Moscow"]),
            ("b", "Lefortovo fire", report + " Nobody was hurt.", "2024-03-02", ["Fires"]),
            ("c", "Council budget", "The council budget vote was delayed again.", "2024-03-01", ["Moscow"])):
        (folder / f"{name}.md").write_text(article_text(title, body, date=date, tags=tags), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["related", "--json", "--content", str(folder)]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["a"] == ["b", "c"]  # the other report first, then the article sharing a tag
    assert found["b"] == ["a"] and found["c"] == ["a"]


@pytest.mark.parametrize("command", ["init", "new", "check", "serve", "ingest", "build", "related", "tags"])
def test_every_command_has_help_with_examples(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    assert f"usage: digest {command}" in shown and "--quiet" in shown and "--verbose" in shown
    examples = shown.split("examples:\n", 1)[1].splitlines()
    assert examples[0].startswith(f"  digest {command}")


def test_verbose_build_reports_each_step_with_its_time(make_site, capsys):
    import re

    config = make_site(GOOD)
    assert run(config, "build", "--verbose") == 0
    steps = capsys.readouterr().err.splitlines()
    site = config.parent / "site"
    rendered = len([*site.rglob("*.html"), *site.rglob("*.xml"), *site.rglob("feed.json"),
                    *site.glob("search/t-*.json")])  # the search index's term files
    assert [re.sub(r"\d+\.\d\ds", "Ts", line) for line in steps] == [
        "[   Ts] Loading articles (2)", "  Loading articles: Ts",
        "[   Ts] Relating articles", "  Relating articles: Ts",
        "[   Ts] Writing the search index", "  Writing the search index: Ts",
        f"[   Ts] Rendering pages and feeds ({rendered})", "  Rendering pages and feeds: Ts"]
    assert run(config, "build", "--verbose", "--quiet") == 0
    assert capsys.readouterr() == ("", "")


def test_verbose_ingest_lists_each_page_and_its_outcome(make_site, capsys):
    from tests.ingest_pages import harbor_page

    config = make_site()
    raw = config.parent / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(harbor_page(1))
    (raw / "c.txt").write_bytes(b"\xff")
    out = config.parent / "out"
    assert run(config, "ingest", str(raw), "--out", str(out), "-v") == 1
    err = capsys.readouterr().err.splitlines()
    assert f"{raw / 'a.txt'}: written -> {out / 'a.md'}" in err and f"{raw / 'c.txt'}: failed" in err


class _Terminal:
    def isatty(self) -> bool:
        return True


class _File:
    def isatty(self) -> bool:
        return False


def test_error_and_warning_labels_are_coloured_on_a_terminal_only(monkeypatch):
    from generator.cli import _label

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert _label("error", _Terminal()) == "\033[1;31merror:\033[0m"
    assert _label("warning", _Terminal()) == "\033[1;33mwarning:\033[0m"
    assert _label("error", _File()) == "error:"
    monkeypatch.setenv("NO_COLOR", "1")
    assert _label("error", _Terminal()) == "error:"
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert _label("warning", _Terminal()) == "warning:"


def test_check_reports_every_problem_at_once_and_strict_fails_on_warnings(make_site, capsys):
    config = make_site({**GOOD, "bad.md": "---\ntitle: [unclosed\n---\nBody.\n",
                        "odd.md": article_text("Odd story", "Text.", date="2024-03-28", tags=["Harbour"], colour="red")})
    site = config.parent / "site"
    assert run(config, "check") == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning: ")]
    assert errors == [f"error: {config.parent / 'content/articles/bad.md'}:2: bad front matter YAML: while parsing a "
                      "flow sequence did not find expected ',' or ']'"]
    assert len(warnings) == 1 and "unknown field 'colour'" in warnings[0]
    assert captured.out == "checked 4 articles: 1 error, 1 warning\n"
    assert not site.exists() and not (config.parent / ".digest-cache").exists()  # nothing written

    (config.parent / "content" / "articles" / "bad.md").unlink()
    assert run(config, "check") == 0
    assert capsys.readouterr().out == "checked 3 articles: 0 errors, 1 warning\n"
    assert run(config, "check", "--strict") == 1
    captured = capsys.readouterr()
    assert captured.out == "checked 3 articles: 0 errors, 1 warning (--strict: warnings fail)\n"
    assert "unknown field 'colour'" in captured.err
    assert run(config, "check", "--quiet") == 0 and capsys.readouterr() == ("", "")
    assert run(config, "check", "--strict", "--quiet") == 1
    assert "unknown field 'colour'" in capsys.readouterr().err  # a failure is never silent


def test_serve_prints_its_address_serves_the_site_and_stops_on_ctrl_c(make_site):
    import signal
    import urllib.request

    config = make_site(GOOD)
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", "--config", str(config), "serve", "--port", "0",
                                "--quiet", "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:"), line + process.stderr.read()
        url = line.split()[1]
        with urllib.request.urlopen(url + "articles/first-story/", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert "<h1>First story</h1>" in page and "/__digest__/reload.js" in page
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_serve_refuses_a_port_in_use(make_site, capsys):
    import socket

    config = make_site(GOOD)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run(config, "serve", "--port", str(port)) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot serve on 127.0.0.1:{port}: ") and err.endswith("(choose another port with --port)\n")
    assert not (config.parent / "site").exists()


def _run_entry(tmp_path, name, source, **options):
    """``python -m name`` of a module of ``source`` that ends in ``entry()``, its output buffered
    as a pipe or file has it (PYTHONUNBUFFERED left out)."""
    (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
    root = Path(__file__).parent.parent
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", name], cwd=root, text=True, timeout=60,
                          env={**env, "PYTHONPATH": f"{tmp_path}{os.pathsep}{root}"}, **options)


def test_the_command_exits_with_mains_code_its_output_flushed_and_its_exit_functions_run_but_no_teardown(tmp_path):
    """``entry`` (the ``digest`` command) ends the process without Python's teardown, whose
    freeing of everything a build held only costs time, yet still as an exit must: buffered
    output written, functions registered at exit run, main's code returned."""
    result = _run_entry(tmp_path, "exiting_digest",
                        "import atexit, sys\n"
                        "import generator.cli as cli\n"
                        "from generator import __main__ as entry\n"
                        "class Held:\n"
                        "    def __del__(self):\n"
                        "        print('torn down', flush=True)\n"
                        "held = Held()\n"
                        "def main():\n"
                        "    atexit.register(lambda: print('cleaned up'))\n"
                        "    print('summary')  # held in the buffer: stdout is a pipe\n"
                        "    return 3\n"
                        "cli.main = main\n"
                        "entry.entry()\n", capture_output=True)
    assert (result.returncode, result.stdout, result.stderr) == (3, "summary\ncleaned up\n", "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_output_that_cannot_be_written_as_the_command_ends_fails_it(tmp_path):
    """As Python's own exit does: the output was cut short, so the command does not succeed."""
    with open("/dev/full", "w") as full:
        result = _run_entry(tmp_path, "full_digest",
                            "import generator.cli as cli\n"
                            "from generator import __main__ as entry\n"
                            "def main():\n"
                            "    print('summary')  # held in the buffer until the exit\n"
                            "    return 0\n"
                            "cli.main = main\n"
                            "entry.entry()\n", stdout=full, stderr=subprocess.PIPE)
    assert (result.returncode, result.stderr) == (120, "error: cannot write the output: No space left on device\n")


def test_a_handled_ctrl_c_exits_130_even_when_cpython_took_it_for_unhandled(tmp_path):
    """A KeyboardInterrupt passing through code a library runs with PyRun_* (numpy's and scipy's
    imports do) is noted by CPython as unhandled, caught or not, and a ``python -m`` run would
    then end itself by SIGINT (the caller sees -2) instead of exiting 130. The note is set here
    as such an import sets it."""
    (tmp_path / "interrupted_digest.py").write_text(
        "import ctypes\n"
        "import generator.cli as cli\n"
        "from generator import __main__ as entry\n"
        "def main():\n"
        "    ctypes.c_int.in_dll(ctypes.pythonapi, '_Py_UnhandledKeyboardInterrupt').value = 1\n"
        "    raise KeyboardInterrupt\n"
        "cli.main = main\n"
        "entry.run()\n", encoding="utf-8")
    root = Path(__file__).parent.parent
    result = subprocess.run([sys.executable, "-m", "interrupted_digest"], cwd=root, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{root}"})
    assert (result.returncode, result.stderr) == (130, "interrupted\n")
