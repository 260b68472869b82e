from pathlib import Path, PurePosixPath

import pytest

from generator.errors import DigestError
from generator.model import OutputFile
from generator.write import check_output_dir, publish, safe_relative_path, write_text_atomically
from tests.conftest import site_tree


def out(path: str, text: str = "x", origin: str = "test") -> OutputFile:
    return OutputFile(PurePosixPath(path), text.encode(), origin)


def test_publish_replaces_the_whole_folder(tmp_path):
    site = tmp_path / "site"
    publish([out("index.html", "one"), out("old/page.html")], site)
    publish([out("index.html", "two"), out("a/b/index.html", "deep")], site)
    assert site_tree(site) == {"index.html": b"two", "a/b/index.html": b"deep"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folders left


def test_failed_publish_leaves_the_previous_site_intact(tmp_path):
    site = tmp_path / "site"
    publish([out("index.html", "good")], site)

    def files():
        yield out("index.html", "new")
        raise DigestError.at("boom in the middle")

    with pytest.raises(DigestError):
        publish(files(), site)
    assert site_tree(site) == {"index.html": b"good"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../b", "a\\b", "a\x00b", ""])
def test_unsafe_paths_are_refused(bad):
    with pytest.raises(DigestError, match="refusing to write unsafe output path"):
        safe_relative_path(PurePosixPath(bad) if bad else PurePosixPath(""), "test")


def test_two_files_at_one_path_is_an_error_naming_both(tmp_path):
    with pytest.raises(DigestError) as caught:
        publish([out("a/index.html", origin="first.md"), out("a/index.html", origin="second.md")], tmp_path / "site")
    assert str(caught.value) == "second.md: second.md and first.md both produce a/index.html"
    assert not (tmp_path / "site").exists()


def test_output_folder_must_not_hold_the_project(tmp_path):
    (tmp_path / "content").mkdir()
    with pytest.raises(DigestError, match="would contain"):
        check_output_dir(tmp_path, [tmp_path / "content"])
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "site.yaml").write_text("title: x")
    with pytest.raises(DigestError, match="looks like a project folder"):
        check_output_dir(tmp_path / "proj", [])
    check_output_dir(tmp_path / "site", [tmp_path / "content"])


def test_write_text_atomically_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.md"
    write_text_atomically(target, "one")
    write_text_atomically(target, "two")
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["a.md"]
