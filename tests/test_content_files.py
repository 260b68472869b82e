"""Reading content files: all of a file's bytes, however its size changes while it is read."""

from __future__ import annotations

import os

import pytest

from generator.content_files import _read_all, read_bytes
from generator.errors import DigestError

TEXT = b"---\ntitle: A\n---\nBody text, " + b"long " * 40_000 + b"\n"  # more than two 64 KiB reads


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT)
    return path


def test_a_file_is_read_whole(article):
    assert read_bytes(article) == TEXT


def test_a_file_is_read_whole_when_each_read_comes_up_short(article, monkeypatch):
    real_read = os.read
    monkeypatch.setattr("generator.content_files.os.read", lambda handle, count: real_read(handle, min(count, 1000)))
    assert read_bytes(article) == TEXT


def test_an_empty_file_is_read_as_no_bytes(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    assert read_bytes(tmp_path / "empty.md") == b""


@pytest.mark.parametrize("stated", [0, 1, 100, len(TEXT) - 1, len(TEXT) + 1, len(TEXT) + 70_000],
                         ids=["grown from empty", "grown from 1", "grown from 100", "grown by 1", "shrunk by 1",
                              "shrunk by 70,000"])
def test_a_file_whose_size_changed_since_it_was_taken_is_read_as_it_is(article, stated):
    handle = os.open(article, os.O_RDONLY)
    try:
        assert _read_all(handle, stated) == TEXT
    finally:
        os.close(handle)


def test_a_folder_in_an_articles_place_is_an_error_naming_it(tmp_path):
    (tmp_path / "x.md").mkdir()
    with pytest.raises(DigestError) as caught:
        read_bytes(tmp_path / "x.md")
    assert caught.value.problems[0].path == tmp_path / "x.md"
    assert str(caught.value) == (f"{tmp_path / 'x.md'}: is a folder, not a file (an article must be a regular file; "
                                 "remove it from the content folder)")


def open_handles() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts this process's open files in /proc")
@pytest.mark.parametrize("make", [os.mkdir, os.mkfifo], ids=["folder", "fifo"])
def test_what_is_no_file_is_refused_without_keeping_it_open(tmp_path, make):
    make(tmp_path / "x.md")
    before = open_handles()
    for _ in range(3):
        with pytest.raises(DigestError):
            read_bytes(tmp_path / "x.md")
    assert open_handles() == before


def test_a_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(DigestError) as caught:
        read_bytes(tmp_path / "gone.md")
    assert caught.value.problems[0].path == tmp_path / "gone.md"
    assert "cannot read: No such file or directory" in str(caught.value)
