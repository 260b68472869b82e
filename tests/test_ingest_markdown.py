"""CleanedArticle -> Markdown: front matter order and literal-text escaping."""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.frontmatter import split_front_matter
from generator.ingest import CleanedArticle, escape_paragraph, to_markdown
from generator.markup import render_markdown

def rendered_text(markdown: str) -> str:
    """What a reader sees: the HTML with tags stripped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", render_markdown(markdown)))


def normalised(text: str) -> str:
    return " ".join(text.split())


def article(**changes) -> CleanedArticle:
    fields = dict(
        title="Council approves: new *flood* barrier", date=datetime.date(2023, 5, 12),
        author="Jane Doe and John Roe", source="The Riverside Courier", source_url=None,
        image_caption=None, image_credit="Photo: Marta Lind", tags=("Floods", "City council"),
        summary="The council voted.", paragraphs=("The council voted.", "# Not a heading", "1. Not a list"),
        dropped=(("Home", "boilerplate: navigation"),), warnings=())
    fields.update(changes)
    return CleanedArticle(**fields)


def test_front_matter_keys_in_order_and_empty_ones_left_out() -> None:
    text = to_markdown(article(), article_id="riverside-1")
    keys = re.findall(r"^(\w+):", text.split("\n---\n", 1)[0], flags=re.MULTILINE)
    assert keys == ["id", "title", "date", "author", "source", "image_credit", "tags", "summary"]


def test_front_matter_round_trips() -> None:
    text = to_markdown(article(source_url="https://courier.example/a"), article_id="riverside-1")
    parsed = split_front_matter(text, Path("x.md"))
    meta = parsed.meta.data
    assert meta["id"] == "riverside-1"
    assert meta["title"] == "Council approves: new *flood* barrier"
    assert meta["date"] == datetime.date(2023, 5, 12)
    assert meta["tags"] == ["Floods", "City council"]
    assert meta["source_url"] == "https://courier.example/a"
    assert "image_caption" not in meta
    assert parsed.body.strip().split("\n\n") == [
        "The council voted.", "\\# Not a heading", "1\\. Not a list"]


def test_undated_article_has_no_date_key() -> None:
    text = to_markdown(article(date=None, tags=()), article_id="a")
    assert "\ndate:" not in text and "\ntags:" not in text


@pytest.mark.parametrize("text", [
    "# heading", "## also", "> quote", "- item", "+ item", "* item", "1. first", "12) twelfth",
    "*emphasis* and _more_", "`code`", "[link](https://example.org)", "<b>bold</b>", "&amp; &copy;",
    "<https://example.org>", "    indented code", "---", "===", "~~~", "```", "a \\ backslash",
    "![image](x.png)", "[ref]: https://example.org", "trailing backslash \\",
])
def test_escaped_paragraph_renders_literally(text: str) -> None:
    escaped = escape_paragraph(text)
    assert "\n" not in escaped
    assert normalised(rendered_text(escaped)) == normalised(text)
    assert render_markdown(escaped).startswith("<p>")


def test_line_breaks_inside_a_paragraph_become_spaces() -> None:
    assert escape_paragraph("one\ntwo\r\nthree") == "one two three"


# Printable text: letters, digits, punctuation, symbols and spaces, plus tabs and newlines.
TEXT = st.text(st.one_of(
    st.characters(categories=("L", "N", "P", "S", "Zs")),
    st.sampled_from(list("#>-+=*_`[]()<>&;!\\~|.:1234567890 \t\n")),
), max_size=80)


@given(TEXT)
@settings(max_examples=400, deadline=None)
def test_any_text_renders_back_to_itself(text: str) -> None:
    escaped = escape_paragraph(text)
    if not escaped:
        assert not text.strip()
        return
    assert normalised(rendered_text(escaped)) == normalised(text)
