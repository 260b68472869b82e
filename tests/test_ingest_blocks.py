"""Decoding raw dumps and splitting them into blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import DigestError
from generator.ingest import decode_raw, load_rules
from generator.ingest.blocks import split_blocks, tidy

PATH = Path("content/raw/page.txt")


def _error(data: bytes) -> DigestError:
    with pytest.raises(DigestError) as info:
        decode_raw(data, PATH)
    return info.value


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_file_is_an_error_naming_the_file(data: bytes) -> None:
    problem = _error(data).problems[0]
    assert problem.message == "empty file"
    assert problem.path == PATH


def test_binary_file_is_an_error() -> None:
    problem = _error(b"PNG\x00\x01\x02 header\n").problems[0]
    assert problem.message == "binary file, not text"
    assert problem.path == PATH


def test_invalid_utf8_reports_the_byte_offset_and_line() -> None:
    problem = _error("first line\nsecond \u00e9".encode() + b"\xff rest\n").problems[0]
    assert problem.message == "not valid UTF-8 at byte 20"
    assert problem.line == 2
    assert str(problem).startswith("content/raw/page.txt:2: not valid UTF-8 at byte 20")


def test_invalid_utf8_offset_counts_the_bom() -> None:
    assert _error(b"\xef\xbb\xbfab\xc3(").problems[0].message == "not valid UTF-8 at byte 5"


def test_latin1_file_is_not_valid_utf8() -> None:
    assert _error("Caf\u00e9 news".encode("latin-1")).problems[0].message == "not valid UTF-8 at byte 3"


def test_bom_and_crlf_decode_like_clean_lf() -> None:
    clean = "Title line\n\nFirst paragraph.\nSecond paragraph.\n"
    assert decode_raw(b"\xef\xbb\xbf" + clean.replace("\n", "\r\n").encode(), PATH) == clean
    assert decode_raw(clean.replace("\n", "\r").encode(), PATH) == clean
    assert decode_raw(clean.encode(), PATH) == clean


def test_tidy_collapses_whitespace_and_trims_nbsp_at_the_ends() -> None:
    assert tidy("  two  \t spaces\u00a0 ") == "two spaces"
    assert tidy("\u00a0\u00a0lead and trail\u00a0") == "lead and trail"
    assert tidy("3\u00a0Min read") == "3\u00a0Min read"  # a lone no-break space between words stays
    assert tidy("\u200bzero\u200bwidth\u200b") == "zero\u200bwidth"  # never joins two words


def test_one_block_per_non_empty_line() -> None:
    header, blocks = split_blocks("Home\nNews\n\nA paragraph.\n  \nAnother one.\n", load_rules())
    assert header.date is None and header.url is None
    assert [b.text for b in blocks] == ["Home", "News", "A paragraph.", "Another one."]
    assert [b.blank_before for b in blocks] == [True, False, True, True]
    assert [b.line for b in blocks] == [1, 2, 4, 6]
    assert [b.index for b in blocks] == [0, 1, 2, 3]


def test_scraper_header_is_split_from_the_rest_of_its_line() -> None:
    header, blocks = split_blocks(" date 2021-07-04 Support The Example Post!\nHeadline\n", load_rules())
    assert header.date == "2021-07-04"
    assert header.lines == ("date 2021-07-04",)
    assert [b.text for b in blocks] == ["Support The Example Post!", "Headline"]


def test_url_header_then_date_header() -> None:
    text = "url https://news.example/a/b\n date 2022-01-02\nHeadline\n"
    header, blocks = split_blocks(text, load_rules())
    assert header.url == "https://news.example/a/b"
    assert header.date == "2022-01-02"
    assert [b.text for b in blocks] == ["Headline"]


def test_a_date_line_further_down_is_page_text_not_a_header() -> None:
    text = "Menu\nNews\nSport\n date 2022-01-02\n"
    header, blocks = split_blocks(text, load_rules())
    assert header.date is None
    assert blocks[-1].text == "date 2022-01-02"


WRAPPED = """Harbour News
Home
Local

The town council approved the new harbour wall on Tuesday evening, ending a
debate that has gone on for most of the past three years and split the fishing
community.

The mayor said the wall would protect the homes on the front for the next fifty
years. Work is due to start in September and should take about eighteen months.
Read more
https://harbour.example.org/news/2024/05/02/council-approves-new-harbour-wall-after-a-long-debate-that-split-the-town
"""


def test_a_dump_wrapped_at_a_fixed_width_has_its_paragraphs_joined() -> None:
    _, blocks = split_blocks(WRAPPED, load_rules())
    assert [(b.text, b.line, b.blank_before) for b in blocks] == [
        ("Harbour News", 1, True), ("Home", 2, False), ("Local", 3, False),
        ("The town council approved the new harbour wall on Tuesday evening, ending a debate that has gone on for"
         " most of the past three years and split the fishing community.", 5, True),
        # A line ending a sentence may end a paragraph: the teaser heading after it stays apart.
        ("The mayor said the wall would protect the homes on the front for the next fifty years. Work is due to"
         " start in September and should take about eighteen months.", 9, True),
        ("Read more", 11, False),
        ("https://harbour.example.org/news/2024/05/02/council-approves-new-harbour-wall-after-a-long-debate-that-split"
         "-the-town", 12, False),
    ]


def test_a_wrapped_paragraphs_last_sentence_runs_on_after_a_sentence_end() -> None:
    # The first line is as long as the dump's longest: "It" did not fit after it.
    correction = "Correction: An earlier version of this story misstated the cost of the harbour."
    assert len(correction) == max(len(line) for line in WRAPPED.split("\n") if " " in line)
    _, blocks = split_blocks(f"{WRAPPED}\n{correction}\nIt is 48 million euros.\n", load_rules())
    assert blocks[-1].text == f"{correction} It is 48 million euros."
    assert blocks[-3].text == "Read more"  # a line that ends no sentence stays apart, as before


def test_a_dump_with_a_paragraph_per_line_is_not_joined() -> None:
    text = "\n".join(["Harbour wall approved after long debate",
                      "The town council approved the new harbour wall on Tuesday evening, ending a debate that has gone"
                      " on for three years.", "It will cost",
                      "The mayor said the wall would protect the homes on the front for the next fifty years."] * 3)
    _, blocks = split_blocks(text, load_rules())
    assert len(blocks) == 12
