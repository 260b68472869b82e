from pathlib import Path, PurePosixPath


import pytest

from generator.errors import DigestError
from generator.model import OutputFile
from generator.output_paths import MARKER
from generator.write import _make_folder, publish
from tests.conftest import site_tree as full_tree


def site_tree(folder: Path) -> dict[str, bytes]:
    """The built files, without the marker every build carries."""
    return {name: data for name, data in full_tree(folder).items() if name != str(MARKER)}


def out(path: str, text: str = "x", origin: str = "test") -> OutputFile:
    return OutputFile(PurePosixPath(path), text.encode(), origin)


def test_publish_replaces_the_whole_folder(tmp_path):
    site = tmp_path / "site"
    publish([out("index.html", "one"), out("old/page.html")], site)
    publish([out("index.html", "two"), out("a/b/index.html", "deep")], site)
    assert site_tree(site) == {"index.html": b"two", "a/b/index.html": b"deep"}
    assert (site / MARKER).is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folders left


def test_interrupted_publish_leaves_the_previous_site_and_no_temporary_folder(tmp_path):
    site = tmp_path / "site"
    publish([out("index.html", "good")], site)

    def files():
        yield out("index.html", "new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        publish(files(), site)
    assert site_tree(site) == {"index.html": b"good"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


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


def test_two_files_at_one_path_is_an_error_naming_both(tmp_path):
    with pytest.raises(DigestError) as caught:
        publish([out("a/index.html", origin="first.md"), out("a/index.html", origin="second.md")], tmp_path / "site")
    assert str(caught.value) == "second.md: second.md and first.md both produce a/index.html"
    assert not (tmp_path / "site").exists()


def test_a_file_where_another_needs_a_folder_is_an_error_naming_both(tmp_path):
    (tmp_path / "site").mkdir()
    with pytest.raises(DigestError) as caught:
        publish([out("a", origin="one.md"), out("a/b", origin="two.md")], tmp_path / "site")
    assert str(caught.value) == "two.md: produces a/b inside a, which one.md produces as a file"
    with pytest.raises(DigestError) as caught:
        publish([out("a/b/c", origin="one.md"), out("a/b", origin="two.md")], tmp_path / "site")
    assert str(caught.value) == "two.md: produces a/b, which is a folder of what one.md produces"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_the_previous_site_is_removed_whole_after_the_swap(tmp_path):
    from generator.model import OutputFile
    from generator.write import publish

    out = tmp_path / "site"
    first = [OutputFile(PurePosixPath(f"{section}/{n}/index.html"), b"old", "test")
             for section in ("articles", "tags") for n in range(30)] + [OutputFile(PurePosixPath("a.txt"), b"x", "t")]
    publish(first, out)
    publish([OutputFile(PurePosixPath("index.html"), b"new", "test")], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no retired copy left beside it
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [".digest-build", "index.html"]



def _in_the_way(root: Path, case: str) -> Path:
    """A folder to make under ``root``, with ``case`` set up in its way."""
    if case == "file at the folder":
        (root / "a").mkdir()
        (root / "a" / "b").write_text("x")
    elif case == "file at a parent":
        (root / "a").write_text("x")
    elif case == "link to a folder":
        (root / "real").mkdir()
        (root / "a").symlink_to(root / "real")
        return root / "a"
    elif case == "link to a file":
        (root / "file").write_text("x")
        (root / "a").symlink_to(root / "file")
    elif case == "dangling link":
        (root / "a").symlink_to(root / "nowhere")
    elif case == "folder there":
        (root / "a" / "b").mkdir(parents=True)
    return root / "a" / "b"


@pytest.mark.parametrize("case", ["nothing", "folder there", "file at the folder", "file at a parent",
                                  "link to a folder", "link to a file", "dangling link"])
def test_a_pages_folder_is_made_as_pathlib_makes_it(tmp_path, case):
    """``_make_folder`` makes what ``Path.mkdir(parents=True, exist_ok=True)`` makes, and fails alike."""
    outcomes = []
    for maker in (lambda folder: folder.mkdir(parents=True, exist_ok=True), lambda folder: _make_folder(str(folder))):
        root = tmp_path / str(len(outcomes))
        root.mkdir()
        folder = _in_the_way(root, case)
        try:
            maker(folder)
            outcome = "made"
        except OSError as exc:
            outcome = type(exc).__name__
        outcomes.append((outcome, folder.is_dir(), sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == ("made" if case in ("nothing", "folder there", "link to a folder") else
                              "NotADirectoryError" if case in ("file at a parent", "link to a file") else
                              "FileExistsError")
