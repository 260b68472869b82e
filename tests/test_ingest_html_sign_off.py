"""A blog post's sign-off below its body ("Posted by ... at 7:40 PM") names and dates it."""

from __future__ import annotations

import datetime

import pytest

from generator.ingest.html import clean_html_page
from generator.taxonomy import Vocabulary

STORY = ["The last ferry of the season left the north pier at six this evening, and with it went most of the"
         " summer people, their bicycles and their dogs.",
         "By the time the lights of the boat had faded behind the point, the harbour was quiet again, with only"
         " the fishing boats and the old mail launch left until April.",
         "Next week the island council meets to decide whether the winter timetable will keep the Tuesday"
         " crossing that the school children use."]
FOOTER = ("<div class='post-footer'><span class='post-author vcard'>Posted by <span class='fn'>Elin Marsh</span>"
          "</span> <span class='post-timestamp'>at <abbr class='published' title='2025-10-12T19:40:00+01:00'>"
          "7:40 PM</abbr></span> <span class='post-comment-link'><a href='#c'>3 comments</a></span>"
          " <span class='post-labels'>Labels: <a href='/l/ferry'>ferry</a>, <a href='/l/island'>island</a></span>"
          "</div>")
COMMENTS = ("<div class='comments'><h4>3 comments:</h4><dl><dt>Posted by Gary Lund at"
            " <abbr class='published' title='2025-10-13T08:00:00+01:00'>8:00 AM</abbr></dt>"
            "<dd><p>Lovely post, we miss the island already.</p></dd></dl></div>")


def blog_page(after_body: str, head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in STORY)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Harbour Notes: The last ferry of the season</title>{head}"
            "</head><body><h1><a href='/'>Harbour Notes</a></h1><div class='post hentry'>"
            f"<h3 class='post-title'>The last ferry of the season</h3><div class='post-body'>{body}</div>"
            f"{after_body}</div><div class='sidebar'><h2>About me</h2><p>Island life.</p></div></body></html>")


def clean(html: str):
    return clean_html_page(html, vocabulary=Vocabulary.from_topics(()), min_mentions=2, max_inferred=6)


def test_a_blog_footer_names_dates_and_tags_the_post() -> None:
    a = clean(blog_page(FOOTER + COMMENTS))
    assert (a.author, a.date) == ("Elin Marsh", datetime.datetime.fromisoformat("2025-10-12T19:40:00+01:00"))
    assert a.tags[:2] == ("ferry", "island")
    assert a.paragraphs == tuple(STORY)


def test_a_footer_byline_with_its_date_written_out() -> None:
    footer = "<div class='entry-footer'><p>Posted by Elin Marsh on October 12, 2025</p></div>"
    a = clean(blog_page(footer))
    assert (a.author, a.date) == ("Elin Marsh", datetime.date(2025, 10, 12))


@pytest.mark.parametrize("after_body", [
    COMMENTS,  # a comment's byline below a heading signs the comment
    "<div id='comments'><dl><dt>Posted by Gary Lund on October 13, 2025</dt></dl></div>",
])
def test_a_comment_below_the_body_signs_nothing(after_body: str) -> None:
    a = clean(blog_page(after_body))
    assert (a.author, a.date) == (None, None)


def test_what_the_page_states_above_the_body_wins() -> None:
    head = ("<meta name='author' content='Harbour Notes Team'>"
            "<meta property='article:published_time' content='2025-10-11T10:00:00Z'>")
    a = clean(blog_page(FOOTER, head))
    assert (a.author, a.date) == ("Harbour Notes Team",
                                  datetime.datetime(2025, 10, 11, 10, tzinfo=datetime.timezone.utc))
