"""Hostile input (issue 7): YAML, files and paths an attacker or an accident puts in the content folder.

Convention: an *error* is a non-zero exit, a message naming the file and line, and ``site/`` left
exactly as it was. Anything else is a documented coercion, tested as such.

Decisions recorded here:

- Plain scalars that YAML 1.1 reads as numbers (``12:30``, ``0x1F``, ``010``, ``1_000``, ``1.10``,
  ``.inf``) are front-matter text exactly as written: no front-matter field is a number, and
  reading them as numbers turned the headline "12:30" into "750".
- A symbolic link in the content folder is followed wherever it points (outside the site too),
  as a copy of its target would be: the content folder is the editor's own, and the build
  fingerprint already follows links. A broken link or a link loop is an error naming it.
- Anything in the content folder named ``*.md`` that is neither a file nor a folder (a FIFO, a
  socket, a device, or a link to one) is an error found before any file is opened, so a FIFO
  never blocks a build or a check; it is reported with the other files' problems.
- A file name whose bytes are no UTF-8 builds; messages show those bytes as ``\\xe9``.
- A slug keeps the combining marks of its letters (Hindi, Tamil, Arabic and Hebrew vowel signs);
  an article whose title, file name and id all lack letters and digits gets ``article-<hash of
  the id>``, never the id itself as a path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.bodies import body_text
from generator.cli import main
from generator.config import load_config
from generator.errors import DigestError, display_path
from generator.frontmatter import MAX_FRONT_MATTER_BYTES, split_front_matter
from generator.load import find_articles, list_articles, load_article
from generator.pipeline import build
from generator.taxonomy import Vocabulary, slugify
from generator.output_paths import safe_relative_path
from generator.yamlio import YamlProblem, load_yaml
from tests.conftest import BASE_CONFIG, ROOT, article_text, site_tree

HOSTILE = Path(__file__).parent / "fixtures" / "invalid_articles" / "hostile"

# One fixture per hostile input: (line, exact message). These live in a folder of their own beside
# tests/fixtures/invalid_articles/*.md (whose table is tests/test_load.py's EXPECTED_ERRORS).
HOSTILE_ERRORS = {
    "alias_bomb.md": (3, "bad front matter YAML: YAML aliases (*name) are not allowed"),
    "binary_title.md": (2, "title must be text, not bytes"),
    "bom_crlf_duplicate_key.md": (4, "bad front matter YAML: duplicate key 'title' (first on line 2)"),
    "deep_block_nesting.md": (35, "bad front matter YAML: YAML nested more than 32 levels deep"),
    "empty.md": (1, 'missing front matter (the file must start with a line "---", then YAML keys, then "---")'),
    "huge_number.md": (3, "bad front matter YAML: invalid number '99999999999999999999...' (5000 characters): "
                          "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits"),
    "impossible_updated.md": (4, "bad front matter YAML: invalid date '2023-02-29 10:00:00': "
                                 "day is out of range for month"),
    "merge_key.md": (3, "bad front matter YAML: YAML merge keys (<<) are not allowed"),
    "not_utf8_in_body.md": (7, "not valid UTF-8 at byte 45 (save the file as UTF-8)"),
    "nul_bytes.md": (1, 'missing front matter (the file must start with a line "---", then YAML keys, then "---")'),
    "nul_in_front_matter.md": (3, "bad front matter YAML: unacceptable character #x0000: "
                                  "control characters are not allowed"),
    "oversized_front_matter.md": (1, "front matter is larger than 64 KiB (move long text into the body)"),
    "png_bytes.md": (1, "not valid UTF-8 at byte 0 (save the file as UTF-8)"),
    "python_object_new.md": (2, "bad front matter YAML: could not determine a constructor for the tag "
                                "'tag:yaml.org,2002:python/object/new:subprocess.Popen' (only plain YAML is allowed)"),
    "title_bool.md": (2, "title must be text, not bool"),
    "utf16.md": (1, "not valid UTF-8 at byte 0 (save the file as UTF-8)"),
}

GOOD = {"one.md": article_text("First story", "Text one.", date="2024-03-30", tags=["Harbour"]),
        "two.md": article_text("Second story", "Text two.", date="2024-03-29", tags=["Harbour", "Council"])}


@pytest.fixture
def config(make_site):
    return load_config(make_site())


def load(path, config):
    return load_article(path, config, Vocabulary.from_topics(config.topics))


def shown(problem) -> str:
    return f"{problem.message} ({problem.hint})" if problem.hint else problem.message


def run(config: Path, *args: str) -> int:
    return main(["--config", str(config), *args])


def run_digest(config: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """``digest`` in a process of its own, in a session of its own so a hang is ended whole; a run
    that outlives ``timeout`` fails the test (the point is that it must not hang)."""
    process = subprocess.Popen([sys.executable, "-m", "generator", "--config", str(config), *args], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"digest {' '.join(args)} still running after {timeout} s")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


# --- YAML -----------------------------------------------------------------------------------------

def test_every_hostile_fixture_has_an_expected_error():
    assert sorted(p.name for p in HOSTILE.glob("*.md")) == sorted(HOSTILE_ERRORS)


@pytest.mark.parametrize("name", sorted(HOSTILE_ERRORS))
def test_hostile_article_error_names_file_and_line(name, config):
    started = time.perf_counter()
    with pytest.raises(DigestError) as caught:
        load(HOSTILE / name, config)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, shown(problem)) == (HOSTILE / name, *HOSTILE_ERRORS[name])
    assert "\n" not in shown(problem)
    assert time.perf_counter() - started < 5  # the alias bomb is refused, never expanded


def test_every_hostile_article_is_reported_at_once_and_the_site_is_kept(make_site, capsys):
    config = make_site(GOOD)
    assert run(config, "build") == 0
    before = site_tree(config.parent / "site")
    content = config.parent / "content" / "articles"
    for name in HOSTILE_ERRORS:
        shutil.copyfile(HOSTILE / name, content / name)
    capsys.readouterr()
    assert run(config, "build") == 1
    expected = [f"error: {display_path(content / name)}:{line}: {message}"
                for name, (line, message) in sorted(HOSTILE_ERRORS.items())]
    assert capsys.readouterr().err.splitlines() == expected
    assert site_tree(config.parent / "site") == before


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                 "!!python/name:os.system", "!!python/module:os"])
def test_python_tags_never_run(tmp_path, config, tag):
    marker = tmp_path / "pwned"
    path = tmp_path / "a.md"
    path.write_text(f'---\ntitle: T\nauthor: {tag} ["touch {marker}"]\n---\nB\n')
    with pytest.raises(DigestError) as caught:
        load(path, config)
    assert str(caught.value) == (f"{path}:3: bad front matter YAML: could not determine a constructor for the tag "
                                 f"'tag:yaml.org,2002:{tag[2:]}' (only plain YAML is allowed)")
    assert not marker.exists()


def test_front_matter_just_under_the_limit_loads(tmp_path, config):
    filler = "x" * (MAX_FRONT_MATTER_BYTES - 40)
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: Long\nsummary: {filler}\n---\nB\n")
    assert load(path, config).summary == filler


@pytest.mark.parametrize("written, title", [
    ("2025", "2025"),  # the documented coercion: a number is its text
    ("12:30", "12:30"),  # YAML 1.1 reads this as 750 (base 60)
    ("0x1F", "0x1F"), ("010", "010"), ("0o17", "0o17"), ("1_000", "1_000"), ("1.10", "1.10"),
    ("1e3", "1e3"), (".inf", ".inf"), ("-.NaN", "-.NaN"), ("+12", "+12"),
    ("yes", "yes"), ("off", "off"),  # YAML 1.2 booleans: only true and false
])
def test_number_like_front_matter_stays_the_text_written(tmp_path, config, written, title):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: {written}\ntags: [{written}, no, on]\nid: {written}\n---\nB\n")
    article = load(path, config)
    assert (article.title, article.id) == (title, title)
    assert [t.name for t in article.tags] == [title, "no", "on"]


def test_impossible_and_unparsable_dates_are_errors_at_their_line(tmp_path, config):
    cases = {
        "date: 2024-02-30": "bad front matter YAML: invalid date '2024-02-30': day is out of range for month",
        "date: 2024-02-30T10:00:00+03:00": "bad front matter YAML: invalid date '2024-02-30T10:00:00+03:00': "
                                           "day is out of range for month",
        "date: '2024-02-30'": "date '2024-02-30' is not a date "
                              "(use ISO 8601, e.g. 2024-03-30 or 2024-03-30T14:05:00+03:00)",
        "date: 2024": "date '2024' is not a date (use ISO 8601, e.g. 2024-03-30 or 2024-03-30T14:05:00+03:00)",
        "date: 2024-03-30T14:05:00+25:00": "bad front matter YAML: invalid date '2024-03-30T14:05:00+25:00': "
                                           "the time zone offset must be less than 24 hours",
        "date: 99999-01-01": "date '99999-01-01' is not a date "
                             "(use ISO 8601, e.g. 2024-03-30 or 2024-03-30T14:05:00+03:00)",
    }
    for line, message in cases.items():
        path = tmp_path / "a.md"
        path.write_text(f"---\ntitle: T\n{line}\n---\nB\n")
        with pytest.raises(DigestError) as caught:
            load(path, config)
        (problem,) = caught.value.problems
        assert (problem.line, shown(problem)) == (3, message), line


def test_a_raw_control_character_in_yaml_is_an_error_at_its_line():
    with pytest.raises(YamlProblem) as caught:
        load_yaml("a: 1\nb: ж ж \x07\n", line_offset=4)
    assert (caught.value.message, caught.value.line) == (
        "unacceptable character #x0007: control characters are not allowed", 6)


def test_a_number_too_long_to_read_is_an_error_at_its_line():
    with pytest.raises(YamlProblem) as caught:
        load_yaml("a: 1\nper_page: " + "7" * 4400 + "\n")
    assert (caught.value.message, caught.value.line) == (
        "invalid number '77777777777777777777...' (4400 characters): "
        "Exceeds the limit (4300 digits) for integer string conversion: value has 4400 digits", 2)
    assert load_yaml("per_page: 12\nratio: 0.5\n").data == {"per_page": 12, "ratio": 0.5}  # site.yaml keeps numbers


@pytest.mark.parametrize("value, message", [
    ("!!timestamp x", "invalid date 'x'"), ("!!timestamp 2024-01-01T", "invalid date '2024-01-01T'"),
    ("!!bool x", "invalid boolean 'x'"), ('!!int ""', "invalid number ''"), ("!!int _", "invalid number '_'"),
    ('!!float ""', "invalid number ''"),
    ("!!int abc", "invalid number 'abc': invalid literal for int() with base 10: 'abc'"),
])
def test_explicitly_tagged_values_yaml_cannot_read_are_errors_at_their_line(value, message):
    with pytest.raises(DigestError) as caught:
        split_front_matter(f"---\ntitle: T\ndate: {value}\n---\nBody\n", Path("a.md"))
    assert str(caught.value) == f"a.md:3: bad front matter YAML: {message}"


def test_merge_keys_cannot_hide_a_duplicate_key():
    with pytest.raises(YamlProblem) as caught:
        load_yaml("title: Shown\nnested:\n  <<: {title: Hidden}\n")
    assert (caught.value.message, caught.value.line) == ("YAML merge keys (<<) are not allowed", 3)


def test_missing_closing_fence_is_an_error_whatever_follows(tmp_path, config):
    for text in ("---\ntitle: T\n", "---\ntitle: T\n--\nBody\n", "---\ntitle: T\n- --\n", "---"):
        path = tmp_path / "a.md"
        path.write_text(text)
        with pytest.raises(DigestError) as caught:
            load(path, config)
        assert str(caught.value) == (f"{path}:1: front matter opened on line 1 is never closed "
                                     '(add a line "---" after the last key)'), text


# --- Files ----------------------------------------------------------------------------------------

def test_a_nul_in_the_body_is_dropped(tmp_path, config):
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: T\n---\nOne\x00 two\x00\n")
    assert body_text(load(path, config).body) == "One two\n"


def variants(text: str) -> dict[str, bytes]:
    """The same article as clean LF UTF-8, with a BOM and CRLF, with CRLF only and old Mac CR."""
    return {"lf": text.encode(), "bom-crlf": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
            "crlf": text.replace("\n", "\r\n").encode(), "cr": text.replace("\n", "\r").encode()}


ARTICLES = {
    "port.md": "---\ntitle: Port reopens\ndate: 2024-03-30T10:00:00+03:00\ntags: [Harbour, Floods]\n"
               "summary: >\n  Ships are back\n  after the floods.\n---\n\nShips are *back*.  \nA hard break.\n\n"
               "```\ncode line 1\ncode line 2\n```\n\n> quoted\n> text\n\n- one\n- two\n",
    "council.md": "---\ntitle: Council votes\ndate: 2024-03-29\ntags: [Council]\n---\n\nThe city council "
                  "voted.\n\nSecond paragraph about the port.\n",
}


def test_bom_and_crlf_build_the_same_site_byte_for_byte(tmp_path):
    trees = {}
    for kind in ("lf", "bom-crlf", "crlf", "cr"):
        folder = tmp_path / kind
        content = folder / "content" / "articles"
        content.mkdir(parents=True)
        (folder / "site.yaml").write_text(yaml.safe_dump(BASE_CONFIG))
        for name, text in ARTICLES.items():
            (content / name).write_bytes(variants(text)[kind])
        assert main(["--config", str(folder / "site.yaml"), "--quiet", "build", "--jobs", "1"]) == 0
        trees[kind] = site_tree(folder / "site")
    assert trees["lf"] and all(tree == trees["lf"] for tree in trees.values())


PATHOLOGICAL = {
    "brackets.md": "[" * 20000 + "x" + "]" * 20000,
    "unclosed-brackets.md": "[a](" * 20000,
    "quotes.md": ">" * 20000 + " deep",
    "emphasis.md": "*" * 20000 + "x" + "*" * 20000,
    "mixed-emphasis.md": "*a _b " * 20000,
    "lists.md": "- " * 20000 + "x\n\n" + "".join("  " * i + "- item\n" for i in range(1000)),
    "html.md": "<div>" * 20000 + "x" + "</div>" * 20000,
    "backticks.md": "`" * 20000 + "x",
    "big.md": ("Harbour " + "word " * 20 + "\n\n") * 92000,  # 10.1 MB
}


TOO_DEEP = {"quotes.md": 20001, "lists.md": 2000, "html.md": 20000}  # nesting levels, over MAX_DEPTH


def test_huge_and_pathological_markdown_builds_within_a_bound(make_site):
    buildable = {name: body for name, body in PATHOLOGICAL.items() if name not in TOO_DEEP}
    config = make_site({name: article_text(f"Pathological {name[:-3]}", body, date="2024-03-30")
                        for name, body in buildable.items()})
    assert (config.parent / "content" / "articles" / "big.md").stat().st_size > 10_000_000
    started = time.monotonic()
    result = run_digest(config, "--quiet", "build", "--jobs", "2", timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert time.monotonic() - started < 60
    for name in buildable:
        assert (config.parent / "site" / "articles" / f"pathological-{name[:-3]}" / "index.html").is_file()
    checked = run_digest(config, "check", "--jobs", "2", timeout=30)
    assert (checked.returncode, checked.stdout) == (0, f"checked {len(buildable)} articles: 0 errors, 0 warnings\n")


def test_nesting_too_deep_to_sanitize_in_time_is_an_error_naming_the_file(make_site):
    """The sanitizer's time grows with the square of the nesting: past MAX_DEPTH levels the
    article is refused at once, not rendered for minutes."""
    config = make_site({name: article_text(f"Deep {name[:-3]}", PATHOLOGICAL[name], date="2024-03-30")
                        for name in TOO_DEEP})
    result = run_digest(config, "build", "--jobs", "2", timeout=60)
    content = config.parent / "content" / "articles"
    assert result.returncode == 1 and not (config.parent / "site").exists()
    assert sorted(result.stderr.splitlines()) == sorted(
        f"error: {content / name}:5: the body nests {depth} levels deep (quotes, lists or HTML elements inside "
        f"one another); at most 1000 can be shown (flatten it: such nesting is almost always a scraping accident)"
        for name, depth in TOO_DEEP.items())


def test_deeply_nested_html_builds_within_a_bound(make_site):
    config = make_site({"deep.md": article_text("Deep", "<div>" * 200_000, date="2024-03-30"),
                        "quotes.md": article_text("Quotes", ">" * 200_000 + " x", date="2024-03-30")})
    result = run_digest(config, "--quiet", "build", "--jobs", "2", timeout=60)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr


def test_an_article_linked_from_outside_the_site_is_followed_like_a_copy(tmp_path):
    outside = tmp_path / "elsewhere" / "shared.md"
    outside.parent.mkdir()
    outside.write_text(ARTICLES["port.md"])
    trees = []
    for kind in ("copy", "link"):
        folder = tmp_path / kind
        content = folder / "content" / "articles"
        content.mkdir(parents=True)
        (folder / "site.yaml").write_text(yaml.safe_dump(BASE_CONFIG))
        (content / "council.md").write_text(ARTICLES["council.md"])
        if kind == "copy":
            shutil.copyfile(outside, content / "port.md")
        else:
            (content / "port.md").symlink_to(outside)
        assert main(["--config", str(folder / "site.yaml"), "--quiet", "build", "--jobs", "1"]) == 0
        trees.append(site_tree(folder / "site"))
    assert trees[0] == trees[1] and "articles/port-reopens/index.html" in trees[0]


def test_a_symlink_loop_is_an_error_naming_it_and_the_site_is_kept(make_site, capsys):
    config = make_site(GOOD)
    assert run(config, "build") == 0
    before = site_tree(config.parent / "site")
    content = config.parent / "content" / "articles"
    (content / "loop.md").symlink_to(content / "loop.md")
    (content / "ping.md").symlink_to(content / "pong.md")
    (content / "pong.md").symlink_to(content / "ping.md")
    capsys.readouterr()
    assert run(config, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {content / name}: cannot read: Too many levels of symbolic links"
        for name in ("loop.md", "ping.md", "pong.md")]
    assert site_tree(config.parent / "site") == before


def fifo_message(path: Path) -> str:
    return (f"error: {path}: is a named pipe (FIFO), not a file "
            "(an article must be a regular file; remove it from the content folder)")


@pytest.mark.parametrize("linked", [False, True], ids=["fifo", "link-to-fifo"])
def test_a_fifo_named_like_an_article_is_reported_not_opened(make_site, tmp_path, linked):
    config = make_site(GOOD)
    assert run(config, "build") == 0  # with a cache: the next build compares files with it
    before = site_tree(config.parent / "site")
    content = config.parent / "content" / "articles"
    if linked:
        os.mkfifo(tmp_path / "pipe")
        (content / "x.md").symlink_to(tmp_path / "pipe")
    else:
        os.mkfifo(content / "x.md")
    result = run_digest(config, "build", "--jobs", "1")
    assert (result.returncode, result.stderr) == (1, fifo_message(content / "x.md") + "\n")
    assert site_tree(config.parent / "site") == before
    checked = run_digest(config, "check", "--jobs", "1")
    assert checked.returncode == 1 and fifo_message(content / "x.md") in checked.stdout + checked.stderr


def test_a_fifo_is_reported_with_the_other_files_problems(make_site):
    config = make_site(GOOD)
    content = config.parent / "content" / "articles"
    os.mkfifo(content / "x.md")
    (content / "a.md").write_text("---\ntitle: [bad\n---\n")
    bad_yaml = (f"error: {content / 'a.md'}:2: bad front matter YAML: "
                "while parsing a flow sequence did not find expected ',' or ']'")
    result = run_digest(config, "build", "--jobs", "1")
    assert (result.returncode, result.stderr) == (1, f"{bad_yaml}\n{fifo_message(content / 'x.md')}\n")
    checked = run_digest(config, "check", "--jobs", "1")
    assert checked.returncode == 1
    assert bad_yaml in checked.stdout + checked.stderr and fifo_message(content / "x.md") in checked.stdout + checked.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the file name is bytes no UTF-8 reads; Linux keeps them as given")
def test_a_file_name_that_is_no_utf8_builds_and_is_named_as_ls_shows_it(make_site, capsys):
    config = make_site(GOOD)
    content = config.parent / "content" / "articles"
    name = os.fsdecode(b"caf\xe9.md")
    (content / name).write_text(article_text("Latin-1 name", "Text.", date="2024-03-28"))
    assert run(config, "build") == 0
    assert (config.parent / "site" / "articles" / "latin-1-name" / "index.html").is_file()
    (content / name).write_text("---\ntitle: [bad\n---\n")
    assert run(config, "build") == 1
    assert "caf\\xe9.md:2: bad front matter YAML" in capsys.readouterr().err


def test_markdown_in_a_subfolder_is_named_in_a_warning_not_read(make_site, capsys):
    config = make_site(GOOD)
    content = config.parent / "content" / "articles"
    (content / "drafts" / "old").mkdir(parents=True)
    (content / "drafts" / "x.md").write_text(article_text("Draft", "Text."))
    (content / "drafts" / "old" / "y.md").write_text(article_text("Older draft", "Text."))
    (content / "images").mkdir()  # no Markdown: nothing to say
    warning = (f"warning: {content / 'drafts'}: holds 2 Markdown files in a folder, which digest does not read "
               "(move articles directly into articles/ to publish them)")
    assert run(config, "build") == 0
    assert capsys.readouterr().err.splitlines() == [warning]
    assert not (config.parent / "site" / "articles" / "draft").exists()
    assert run(config, "check") == 0
    assert capsys.readouterr().err.splitlines() == [warning]


def test_a_site_folder_inside_the_content_folder_is_no_unread_subfolder(tmp_path):
    (tmp_path / "theme" / "templates").mkdir(parents=True)
    (tmp_path / "theme" / "README.md").write_text("# My theme\n")
    (tmp_path / "one.md").write_text(GOOD["one.md"])
    assert list_articles(tmp_path, [tmp_path / "theme"]).unread == ()
    assert [p.path for p in list_articles(tmp_path).unread] == [tmp_path / "theme"]


def test_reading_a_fifo_that_took_an_articles_place_does_not_block(tmp_path):
    """A FIFO made after find_articles listed the folder: read_bytes reports it, never waits."""
    os.mkfifo(tmp_path / "x.md")
    code = ("import sys; from pathlib import Path; from generator.errors import DigestError\n"
            "from generator.content_files import read_bytes\n"
            "try: read_bytes(Path(sys.argv[1]))\n"
            "except DigestError as exc: print(exc)\n")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.md")], cwd=ROOT, capture_output=True,
                            text=True, timeout=30)
    assert result.stdout == fifo_message(tmp_path / "x.md")[len("error: "):] + "\n"


def test_find_articles_skips_folders_and_keeps_broken_links_to_report(tmp_path):
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "linked-folder.md").symlink_to(tmp_path / "folder.md")
    (tmp_path / "broken.md").symlink_to(tmp_path / "nowhere.md")
    assert [p.name for p in find_articles(tmp_path)] == ["a.md", "broken.md"]


# --- Paths ----------------------------------------------------------------------------------------

NASTY = ["../", "..", ".", "/", "\\", "..\\", "%2e%2e%2f", "%2F", "\x00", "", " ", "-", "_", "C:\\Windows",
         "/etc/passwd", "~root", "🔥", "👩‍👩‍👧", "Москва", "東京", "مرحبا", "\u202e", "\u200b", "index.html",
         "?", "#", "Harbour", "a", "ǅ", "ﬁ", "Ⅻ"]
_fragment = st.one_of(st.sampled_from(NASTY), st.text(max_size=6))
_field = st.lists(_fragment, max_size=4).map("".join)
# File names that slugify to nothing, so the slug falls back past the file name to the id.
_STEMS = ["!!!", "🔥", "%2e%2e", "a\\b", "Москва", "~", "x", "x...", "-", "..."]
_article = st.fixed_dictionaries({
    "stem": st.sampled_from(_STEMS), "title": st.one_of(_field, _field.map(lambda s: "T " + s)),
    "slug": st.none() | _field, "id": st.none() | _field, "tags": st.lists(_field, max_size=3)})


def write_article(content: Path, stem: str, fields: dict) -> Path:
    meta = {key: fields[key] for key in ("title", "slug", "id", "tags") if fields[key] is not None}
    path = content / f"{stem}.md"
    path.write_text(article_text(**meta, date="2024-03-30"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    root = tmp_path_factory.mktemp("shared")
    (root / "site.yaml").write_text(yaml.safe_dump(BASE_CONFIG))
    return root, load_config(root / "site.yaml")


@settings(max_examples=200, deadline=None)
@given(fields=_article)
def test_an_article_url_is_one_safe_folder_and_stable(shared, fields):
    root, config = shared
    path = write_article(root, fields["stem"], fields)
    try:
        article = load(path, config)
    except DigestError as exc:  # a title with nothing left once cleaned
        assert [p.message for p in exc.problems] == ["missing title"]
        return
    assert PurePosixPath(article.url_path).parts == ("articles", article.slug)
    assert slugify(article.slug) == article.slug
    safe_relative_path(PurePosixPath(article.url_path) / "index.html", str(path))
    for tag in article.tags:
        assert PurePosixPath(tag.url_path).parts == ("tags", tag.slug) and slugify(tag.slug) == tag.slug
    again = load(path, config)
    assert (again.slug, [t.slug for t in again.tags]) == (article.slug, [t.slug for t in article.tags])


@pytest.mark.parametrize("title, slug", [
    ("हिन्दी समाचार", "हिन्दी-समाचार"), ("தமிழ் செய்தி", "தமிழ்-செய்தி"), ("العَرَبِيَّة", "العَرَبِيَّة"),
    ("עִבְרִית", "עִבְרִית"), ("Москва и мир", "москва-и-мир"), ("東京 2024", "東京-2024"),
    ("Cafe\u0301 ../ «ÉTÉ»", "café-été"), ("❤️ 🔥", ""), ("a\u0301", "á"),
])
def test_non_latin_titles_keep_their_letters_whole(title, slug):
    assert slugify(title) == slug and slugify(slug) == slug


def test_an_id_without_letters_never_becomes_a_path(tmp_path, config):
    for stem, given_id, slug in (("!!!", "../../evil", "evil"), ("🔥", "a/b", "a-b"),
                                 ("~", "%2e%2e%2f", "2e-2e-2f")):
        path = tmp_path / f"{stem}.md"
        path.write_text(article_text("!!!", id=given_id))
        assert load(path, config).slug == slug
    path = tmp_path / "!!.md"
    path.write_text(article_text("!!!", id="../.."))
    hashed = "article-" + hashlib.sha256(b"../..").hexdigest()[:10]
    assert load(path, config).slug == load(path, config).slug == hashed


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(_article, min_size=1, max_size=3, unique_by=lambda a: a["stem"]))
def test_every_file_a_build_writes_stays_in_the_output_folder(articles):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        (root / "site.yaml").write_text(yaml.safe_dump(BASE_CONFIG))
        content = root / "content" / "articles"
        content.mkdir(parents=True)
        for fields in articles:
            write_article(content, fields["stem"], fields)
        try:
            build(load_config(root / "site.yaml"), warn=lambda message: None, jobs=1)
        except DigestError:
            assert not (root / "site").exists()  # a clean error (a clash, a missing title), nothing written
        else:
            site = root / "site"
            for path in site.rglob("*"):
                assert not path.is_symlink() and path.resolve().is_relative_to(site), path
        assert {p.name for p in root.iterdir()} <= {"site.yaml", "content", "site", ".digest-cache"}
        assert sorted(p.name for p in content.iterdir()) == sorted(f"{a['stem']}.md" for a in articles)


def test_titles_that_slug_alike_are_an_error_naming_both_files(make_site, capsys):
    config = make_site({"a.md": article_text("../Etc/Passwd"), "b.md": article_text("etc\\passwd."),
                        "c.md": article_text("Москва"), "d.md": article_text("МОСКВА")})
    content = config.parent / "content" / "articles"
    assert run(config, "build") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {content / 'b.md'}:2: URL articles/etc-passwd/ is claimed by both {content / 'a.md'} and "
        f"{content / 'b.md'} (give one of them a different slug in its front matter)",
        f"error: {content / 'd.md'}:2: URL articles/москва/ is claimed by both {content / 'c.md'} and "
        f"{content / 'd.md'} (give one of them a different slug in its front matter)"]
    assert not (config.parent / "site").exists()


def test_tags_that_slug_alike_are_an_error_naming_both_files(make_site, capsys):
    config = make_site({"a.md": article_text("A", tags=["../x"]), "b.md": article_text("B", tags=["x"])})
    content = config.parent / "content" / "articles"
    assert run(config, "build") == 1
    assert capsys.readouterr().err == (
        f"error: {content / 'b.md'}:3: tags '../x' ({content / 'a.md'}) and 'x' ({content / 'b.md'}) would share "
        "the page tags/x/ (rename one, or make one an alias of the other under topics in site.yaml)\n")


def _depth_as_specified(html: str) -> int:
    """How deep an HTML parser nests ``html``'s tags, the plain way (each end tag searched for
    in all open elements): what ``too_deep`` counts faster."""
    from generator.markup import _END_TAG_OPTIONAL, _TAG, _VOID

    open_elements: list[str] = []
    deepest = 0
    for closing, name in _TAG.findall(html):
        name = name.lower()
        if name in _VOID:
            continue
        if closing:
            if name in open_elements:
                del open_elements[max(n for n, open_name in enumerate(open_elements) if open_name == name):]
            continue
        if name in _END_TAG_OPTIONAL:  # it closes the nearest open one of its name above any other kind
            run = len(open_elements)
            while run and open_elements[run - 1] in _END_TAG_OPTIONAL:
                run -= 1
            trailing = open_elements[run:]
            if name in trailing:
                del open_elements[run + max(n for n, open_name in enumerate(trailing) if open_name == name):]
        open_elements.append(name)
        deepest = max(deepest, len(open_elements))
    return deepest


def test_nesting_depth_of_random_tag_soup_is_the_plain_count(monkeypatch):
    from generator import markup

    monkeypatch.setattr(markup, "MAX_DEPTH", 5)  # so that most soups count as deep
    names = "div li p ul ol td tr th table span br dt dd blockquote em option".split()
    rng = random.Random(3)
    deep = 0
    for _ in range(1500):
        parts = [rng.choice(["<div>", "> ", "* ", ""])]
        opening = rng.uniform(0.4, 0.8)
        for _ in range(rng.randint(5, 150)):
            name, roll = rng.choice(names), rng.random()
            parts.append(f"<{name}>" if roll < opening else f"</{name}>" if roll < 0.95
                         else rng.choice([f"<{name}/>", "\n", "\n> ", "\n* "]))
        text = "".join(parts)
        depth = _depth_as_specified(markup.render_markdown(text))
        assert markup.too_deep(text) == (depth if depth > 5 else None), text
        deep += depth > 5
    assert deep > 1000


@pytest.mark.parametrize("body, depth", [
    ("<div/>" * 2000, 2000),  # "/>" closes only void elements: the parser nests these divs
    ("<div></x>" * 2000, 2000),  # an end tag of an element that is not open closes nothing
    ("<ul><li>" * 600, 1200),  # lists inside list items: real nesting
    ("<ul>\n" + "<li>item\n" * 1200 + "</ul>", None),  # a long list whose items leave out </li>
    ("<table>" + "<tr><td>a<td>b" * 600 + "</table>", None),  # rows and cells without end tags
    ("para <p>\n" * 1200, None),
])
def test_nesting_is_counted_as_an_html_parser_nests(body, depth):
    from generator.markup import too_deep

    assert too_deep(body) == depth
