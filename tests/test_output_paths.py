"""output_paths.py: the output paths and output folder a build may write."""

from pathlib import PurePosixPath

import pytest

from generator.errors import DigestError
from generator.model import OutputFile
from generator.output_paths import MARKER, check_output_dir, safe_relative_path
from generator.write import publish


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../b", "a\\b", "a\x00b", ""])
def test_unsafe_paths_are_refused(bad):
    with pytest.raises(DigestError, match="refusing to write unsafe output path"):
        safe_relative_path(PurePosixPath(bad) if bad else PurePosixPath(""), "test")


HINT = " (set output_dir in site.yaml (or --output) to a folder of its own, e.g. site)"


@pytest.fixture
def project(tmp_path):
    for folder in ("content", "theme"):
        (tmp_path / folder).mkdir()
    return tmp_path, [tmp_path / "content", tmp_path / "theme"]


@pytest.mark.parametrize("output, message", [
    (".", "the output folder would contain the project itself"),
    ("..", "the output folder would contain the project itself"),
    ("content", "the output folder overlaps the input folder {root}/content"),
    ("content/site", "the output folder overlaps the input folder {root}/content"),
])
def test_output_folder_must_not_overlap_the_project(project, output, message):
    root, inputs = project
    with pytest.raises(DigestError) as caught:
        check_output_dir(root / output, root, inputs)
    assert caught.value.problems[0].message + (caught.value.problems[0].hint and f" ({caught.value.problems[0].hint})") \
        == message.format(root=root.resolve()) + HINT


def test_a_folder_digest_did_not_build_is_never_replaced(project):
    root, inputs = project
    victim = root / "thesis"
    victim.mkdir()
    (victim / "chapter1.txt").write_text("years of work")
    with pytest.raises(DigestError) as caught:
        check_output_dir(victim, root, inputs)
    assert str(caught.value) == (f"{victim}: refusing to replace a folder that digest did not build "
                                 f"(it has no {MARKER} marker; empty it, or choose another output folder)")
    assert (victim / "chapter1.txt").read_text() == "years of work"


def test_empty_missing_or_earlier_build_folders_are_fine(project):
    root, inputs = project
    check_output_dir(root / "site", root, inputs)  # missing
    (root / "site").mkdir()
    check_output_dir(root / "site", root, inputs)  # empty
    publish([OutputFile(PurePosixPath("index.html"), b"x", "test")], root / "site")
    check_output_dir(root / "site", root, inputs)  # an earlier build


def test_an_output_folder_holding_a_file_builds_keep_is_refused(project):
    root, inputs = project
    model = root / "site" / "models" / "text-model.npz"
    with pytest.raises(DigestError) as caught:
        check_output_dir(root / "site", root, inputs, [(root / "elsewhere.npz", "related.model"),
                                                      (model, "related.model")])
    assert str(caught.value) == (f"{root / 'site'}: related.model is {model}, inside the output folder, which every "
                                 "build replaces whole (set related.model in site.yaml to a path outside the "
                                 "output folder)")
    check_output_dir(root / "site", root, inputs, [(root / "site-model.npz", "related.model")])  # beside it: fine
