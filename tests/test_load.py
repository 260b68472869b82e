import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.bodies import body_text
from generator.config import load_config
from generator.errors import DigestError
from generator.load import find_articles, load_article
from generator.markup import markdown_to_html
from generator.model import ID_NAMESPACE
from generator.taxonomy import Vocabulary
from tests.conftest import article_text

INVALID = Path(__file__).parent / "fixtures" / "invalid_articles"

# One fixture per failure mode: (line, exact message).
EXPECTED_ERRORS = {
    "bad_source_url.md": (3, "source_url 'javascript:alert(1)' is not an absolute http(s) URL"),
    "bad_yaml.md": (3, "bad front matter YAML: while parsing a flow sequence did not find expected ',' or ']'"),
    "date_out_of_range.md": (3, "date 0001-01-01T00:00:00+01:00 is out of range (use a date from 1000-01-02 to 9999-12-30)"),
    "deeply_nested.md": (3, "bad front matter YAML: YAML nested more than 32 levels deep"),
    "tag_not_text.md": (3, "each tag must be text, not list"),
    "duplicate_key.md": (4, "bad front matter YAML: duplicate key 'title' (first on line 2)"),
    "impossible_date.md": (3, "bad front matter YAML: invalid date '2024-02-30': day is out of range for month"),
    "missing_front_matter.md": (1, 'missing front matter (the file must start with a line "---", then YAML keys, then "---")'),
    "missing_title.md": (1, "missing title (add a line such as: title: Kremlin says ...)"),
    "not_a_mapping.md": (2, "front matter must be a mapping of keys to values (for example: title: My article)"),
    "not_utf8.md": (2, "not valid UTF-8 at byte 19 (save the file as UTF-8)"),
    "python_tag.md": (3, "bad front matter YAML: could not determine a constructor for the tag "
                         "'tag:yaml.org,2002:python/object/apply:os.system' (only plain YAML is allowed)"),
    "tags_not_list.md": (3, "tags must be a list (tags: [Crocus, Putin])"),
    "title_not_text.md": (2, "title must be text, not dict"),
    "unclosed_front_matter.md": (1, 'front matter opened on line 1 is never closed (add a line "---" after the last key)'),
    "unparsable_date.md": (3, "date 'last Friday' is not a date (use ISO 8601, e.g. 2024-03-30 or 2024-03-30T14:05:00+03:00)"),
    "yaml_alias.md": (3, "bad front matter YAML: YAML aliases (*name) are not allowed"),
}


@pytest.fixture
def config(make_site):
    return load_config(make_site())


def load(path, config):
    return load_article(path, config, Vocabulary.from_topics(config.topics))


def test_every_invalid_fixture_has_an_expected_error():
    assert sorted(p.name for p in INVALID.glob("*.md")) == sorted(EXPECTED_ERRORS)


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_invalid_article_error_names_file_and_line(name, config):
    with pytest.raises(DigestError) as caught:
        load(INVALID / name, config)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, f"{problem.message} ({problem.hint})" if problem.hint else problem.message) \
        == (INVALID / name, *EXPECTED_ERRORS[name])


def write(tmp_path, text, name="a.md"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_fields_are_loaded(tmp_path, config):
    path = write(tmp_path, article_text(
        "Port reopens", "Ships are *back*.", date="2024-03-30", author="Jane Doe", source="The Courier",
        source_url="https://courier.example/port", image_caption="The port.", image_credit="J. Doe",
        tags=["port", "Floods"], summary="Ships are back.", id="fixed-id"))
    article = load(path, config)
    assert article.title == "Port reopens" and article.slug == "port-reopens" and article.id == "fixed-id"
    assert article.date == datetime(2024, 3, 30, tzinfo=timezone.utc)
    assert [t.name for t in article.tags] == ["Harbour", "Floods"]
    assert markdown_to_html(body_text(article.body)) == "<p>Ships are <em>back</em>.</p>\n"
    assert (article.author, article.source, article.source_url) == ("Jane Doe", "The Courier", "https://courier.example/port")
    assert (article.image_caption, article.image_credit, article.summary) == ("The port.", "J. Doe", "Ships are back.")


def test_yaml_coercions_are_documented_behaviour(tmp_path, config):
    text = "---\ntitle: 2025\ntags: [no, on]\nauthor: [Ann, Bob]\n---\nBody\n"
    article = load(write(tmp_path, text), config)
    assert article.title == "2025"
    assert [t.name for t in article.tags] == ["no", "on"]
    assert article.author == "Ann, Bob"


def test_dates_without_zone_take_the_site_zone(tmp_path, make_site):
    config = load_config(make_site(timezone="Europe/Moscow"))
    article = load(write(tmp_path, "---\ntitle: T\ndate: 2024-03-30 14:05:00\n---\nB\n"), config)
    assert article.date == datetime(2024, 3, 30, 14, 5, tzinfo=ZoneInfo("Europe/Moscow"))
    zoned = load(write(tmp_path, "---\ntitle: T\ndate: '2024-03-30T14:05:00Z'\n---\nB\n", "b.md"), config)
    assert zoned.date == datetime(2024, 3, 30, 14, 5, tzinfo=timezone.utc)


def test_undated_article_has_no_date(tmp_path, config):
    assert load(write(tmp_path, article_text("T")), config).date is None


def test_default_id_is_stable_and_follows_the_file_not_the_title(tmp_path, config):
    first = load(write(tmp_path, article_text("One title"), "story.md"), config)
    renamed = load(write(tmp_path, article_text("Another title"), "story.md"), config)
    assert first.id == renamed.id and first.slug != renamed.slug


def test_default_id_of_a_file_name_stays_as_it_was_and_takes_names_that_are_no_utf8(tmp_path, config):
    assert load(write(tmp_path, article_text("T"), "story.md"), config).id == str(uuid.uuid5(ID_NAMESPACE, "story"))
    undecodable = load(write(tmp_path, article_text("T"), os.fsdecode(b"caf\xe9.md")), config)
    assert undecodable.id == str(uuid.uuid5(ID_NAMESPACE, "caf\\xed\\xb3\\xa9"))  # the surrogate's escapes


def test_bom_and_crlf_give_the_same_article(tmp_path, config):
    clean = load(write(tmp_path, "---\ntitle: T\n---\n\nLine one.\n\nLine two.\n", "clean.md"), config)
    clean_body = body_text(clean.body)  # read before the file is rewritten
    dirty = load(write(tmp_path, "\ufeff---\r\ntitle: T\r\n---\r\n\r\nLine one.\r\n\r\nLine two.\r\n", "clean.md"), config)
    assert (clean.title, clean_body, clean.id) == (dirty.title, body_text(dirty.body), dirty.id)
    assert clean.body.key == dirty.body.key  # one text, one key, whatever the file's newlines


def test_characters_xml_and_html_forbid_are_stripped(tmp_path, config):
    text = "---\ntitle: \"Bell\\x07 title \\uFFFE\"\ntags: [\"x\\uFFFF\"]\n---\nText\x0b here \uffff and \ufdd0 there\n"
    article = load(write(tmp_path, text), config)
    assert article.title == "Bell title" and [t.name for t in article.tags] == ["x"]
    assert markdown_to_html(body_text(article.body)) == "<p>Text here  and  there</p>\n"


def test_invisible_characters_at_a_tags_ends_are_no_tag_nor_part_of_one(tmp_path, config):
    # A zero-width space was a tag with an empty link; "Putin" + one was a second spelling.
    text = ('---\ntitle: T\ntags: ["\\u200b", "Putin\\u200b", "\\u200e Кремль \\u200d", "\\u2060",'
            ' "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"]\n---\nText\n')
    article = load(write(tmp_path, text), config)
    assert [t.name for t in article.tags] == ["Putin", "Кремль", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"]


def test_fractional_seconds_are_dropped(tmp_path, config):
    article = load(write(tmp_path, "---\ntitle: T\ndate: 2024-03-30T14:05:00.123456+03:00\n---\nB\n"), config)
    assert article.date.isoformat() == "2024-03-30T14:05:00+03:00"


def test_unparsable_source_url_is_an_error(tmp_path, config):
    with pytest.raises(DigestError) as caught:
        load(write(tmp_path, '---\ntitle: T\nsource_url: "http://[x"\n---\nB\n'), config)
    assert str(caught.value) == f"{tmp_path / 'a.md'}:3: source_url 'http://[x' is not an absolute http(s) URL"


def test_markdown_files_are_found_in_any_case_and_broken_links_reported(tmp_path, config):
    (tmp_path / "a.md").write_text(article_text("A"))
    (tmp_path / "B.MD").write_text(article_text("B"))
    (tmp_path / ".hidden.md").write_text(article_text("H"))
    (tmp_path / "dir.md").mkdir()
    (tmp_path / "broken.md").symlink_to(tmp_path / "missing.md")
    found = find_articles(tmp_path)
    assert [p.name for p in found] == ["B.MD", "a.md", "broken.md"]
    with pytest.raises(DigestError) as caught:
        load(tmp_path / "broken.md", config)
    assert str(caught.value) == f"{tmp_path / 'broken.md'}: cannot read: No such file or directory"


def test_each_listed_file_has_its_identity_and_only_long_unchanged_ones_count_as_settled(tmp_path, monkeypatch):
    from generator import load as load_module
    from generator.content_files import SETTLED_NS, FileIdentity
    from generator.load import list_articles

    (tmp_path / "old.md").write_text(article_text("Old"))
    (tmp_path / "target.md").write_text(article_text("Target"))
    (tmp_path / "linked.md").symlink_to(tmp_path / "target.md")
    (tmp_path / "broken.md").symlink_to(tmp_path / "missing.md")
    found = list_articles(tmp_path)
    assert [p.name for p in found.paths] == ["broken.md", "linked.md", "old.md", "target.md"]
    target = os.stat(tmp_path / "target.md")
    assert found.identities[1] == found.identities[3] == FileIdentity(
        target.st_size, target.st_ino, target.st_mtime_ns, target.st_ctime_ns)  # a link: its target's
    assert found.identities[0] is None
    assert found.settled() == {}  # all written just now
    changed = max(target.st_ctime_ns, os.stat(tmp_path / "old.md").st_ctime_ns)
    monkeypatch.setattr(load_module, "time_ns", lambda: changed + SETTLED_NS + 1)
    later = list_articles(tmp_path)
    assert later.settled() == {path: identity for path, identity in zip(later.paths, later.identities)
                               if identity is not None}
    monkeypatch.setattr(load_module, "time_ns", lambda: changed + SETTLED_NS)  # not quite
    assert set(list_articles(tmp_path).settled()) < set(later.settled())


def test_source_url_is_percent_encoded(tmp_path, config):
    text = '---\ntitle: T\nsource_url: "https://example.com/a b?x=\\"><script>"\n---\nB\n'
    article = load(write(tmp_path, text), config)
    assert article.source_url == "https://example.com/a%20b?x=%22%3E%3Cscript%3E"
    bracket = load(write(tmp_path, '---\ntitle: T\nsource_url: "https://ex.org/a]b#c d"\n---\nB\n'), config)
    assert bracket.source_url == "https://ex.org/a%5Db#c%20d"


def test_slug_falls_back_when_title_has_no_letters(tmp_path, config):
    assert load(write(tmp_path, article_text("!!!"), "my-story.md"), config).slug == "my-story"
    assert load(write(tmp_path, article_text("Title", slug="Custom Slug!")), config).slug == "custom-slug"
