from pathlib import Path

import pytest

from generator.errors import DigestError
from generator.frontmatter import dump_front_matter, split_front_matter


def test_split_reports_file_lines_and_body():
    front = split_front_matter("---\ntitle: A\ndate: 2024-03-30\n---\n\nHello.\n", Path("a.md"))
    assert front.meta.data["title"] == "A"
    assert front.line_of("date") == 3
    assert front.body.strip() == "Hello."
    assert front.body_line == 5


def test_bom_and_crlf_match_clean_lf():
    clean = split_front_matter("---\ntitle: A\n---\nBody\n", Path("a.md"))
    dirty = split_front_matter("\ufeff---\r\ntitle: A\r\n---\r\nBody\r\n", Path("a.md"))
    assert (clean.meta.data, clean.body) == (dirty.meta.data, dirty.body)


def test_empty_front_matter_is_an_empty_mapping():
    assert split_front_matter("---\n---\nBody\n", Path("a.md")).meta.data == {}


def test_oversized_front_matter_is_refused():
    text = "---\n" + "".join(f"k{i}: {'x' * 100}\n" for i in range(800)) + "---\n"
    with pytest.raises(DigestError, match="front matter is larger than 64 KiB"):
        split_front_matter(text, Path("a.md"))


def test_dump_leaves_out_empty_values_and_round_trips():
    text = dump_front_matter({"title": "T", "date": None, "tags": [], "author": "A"}, "\nBody\n")
    assert text == "---\ntitle: T\nauthor: A\n---\n\nBody\n"
    assert split_front_matter(text, Path("a.md")).meta.data == {"title": "T", "author": "A"}
