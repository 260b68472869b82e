"""Saved HTML pages: decode_html, page_blocks and clean_html_page.

The fixture pages under tests/fixtures/ingest_html/ are invented sites, each with its own
layout (navigation, share bars, sign-ups, teasers, footers, og/JSON-LD metadata, a lead
figure); every test names text that must survive and boilerplate that must go.
"""

from __future__ import annotations

import codecs
import datetime
import gzip
import html
import json
import re
import time
import unicodedata
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.config import Topic
from generator.errors import DigestError
from generator.ingest import CleanedArticle, to_markdown
from generator.ingest.html import clean_html_page, page_blocks
from generator.ingest.html_decode import MAX_UNCOMPRESSED, decode_html
from generator.ingest.html_figures import split_credit
from generator.ingest.html_meta import parse_date
from generator.ingest.rules import load_rules
from generator.taxonomy import Vocabulary

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest_html"
VOCABULARY = Vocabulary.from_topics((
    Topic("Harbours", ("harbour", "pier")),
    Topic("Council", ("city council",)),
    Topic("Floods", ("flood barrier", "flood defences")),
    Topic("Fishing", ("fishing crews",)),
    Topic("Ferries", ("ferry",)),
))
TOPIC_WORDS = {"Harbours", "Council", "Floods", "Fishing", "Ferries"}
WORD = re.compile(r"\w+")
RULES = load_rules()


def clean(page: str, **kwargs: object) -> CleanedArticle:
    return clean_html_page(page, vocabulary=VOCABULARY, min_mentions=2, max_inferred=6, **kwargs)


def clean_file(name: str, **kwargs: object) -> CleanedArticle:
    path = FIXTURES / name
    return clean(decode_html(path.read_bytes(), path.name), **kwargs)


def markdown_body(article: CleanedArticle) -> str:
    return to_markdown(article, article_id="x").split("\n---\n", 1)[1]


def assert_kept_and_dropped(article: CleanedArticle, keep: list[str], drop: list[str]) -> None:
    body = "\n".join(article.paragraphs)
    markdown = markdown_body(article)
    for sentence in keep:
        assert sentence in article.paragraphs, f"lost: {sentence!r}"
    for snippet in drop:
        assert snippet not in body, f"kept boilerplate: {snippet!r}"
        assert snippet not in markdown, f"boilerplate in markdown: {snippet!r}"


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


PROSE = [
    "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.",
    "Engineers told the board that two of the wooden pillars have rotted and must be replaced before winter.",
    "The repairs are expected to cost about half a million euros, which the board hopes to share with the town.",
    '"We have waited for years," said a fisherman who has used the pier every morning since the early nineties.',
    "A final decision on the money is expected at the next meeting of the board in the first week of March.",
]


# ---------------------------------------------------------------- the invented pages

def test_harbour_herald_keeps_the_story_and_drops_the_page_around_it() -> None:
    a = clean_file("harbour_herald.html")
    assert a.paragraphs[0].startswith("The harbour board on Thursday approved a plan")
    assert a.paragraphs[-1].startswith("A final decision on the southern half of the pier")
    assert len(a.paragraphs) == 6
    assert_kept_and_dropped(a, keep=[
        '"We have waited long enough, and the fishing crews deserve a safe place to land their catch,"'
        " said Tomas Berg, who chairs the harbour board.",
        # the paragraphs after the teaser box and the sign-up box are still the article
        "Work on the pier will begin in June, and the board said boats would be able to use the southern"
        " berths while the northern half is closed.",
    ], drop=[
        "The Harbour Herald", "Home", "Sport", "Share on Facebook", "Tweet", "Read more", "Ferry fares",
        "Five things to know", "morning newsletter", "Enter your email", "Sign up", "Privacy policy",
        "All rights reserved", "By Ana Petrov", "March 30, 2024", "Fishing boats moored", "Marta Lind",
        "Subscribe today", "dataLayer", "color: red",  # script and style text
        "Pier repairs approved",  # the headline is front matter, not body
    ])


def test_harbour_herald_metadata() -> None:
    a = clean_file("harbour_herald.html")
    assert a.title == "Pier repairs approved after decades of delay"
    assert a.date == datetime.datetime(2024, 3, 30, 14, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert a.author == "Ana Petrov"
    assert a.source == "The Harbour Herald"
    assert a.source_url == "https://harbourherald.example/news/pier-repairs-approved"
    assert a.image_caption == "Fishing boats moored at the north pier at dawn."
    assert a.image_credit == "Photo: Marta Lind / Harbour Herald"
    # The page's own article:tag values, mapped onto the vocabulary ("city council" -> "Council").
    assert a.tags == ("Harbours", "Council", "North Pier")
    assert a.summary == a.paragraphs[0]
    assert a.warnings == ()


def test_valley_times_gzipped_windows_1252_page_with_visible_byline_and_dateline() -> None:
    a = clean_file("valley_times.html.gz")
    assert a.title == "Council backs new flood barrier for the east bank"  # not the masthead <h1>
    assert a.date == datetime.date(2023, 5, 12)  # "Published May 12, 2023" under the headline
    assert a.author == "Jane Doe and John Roe"
    assert a.source_url is None  # the page names no address
    assert a.image_caption == "The river Aldo in flood near the Mill Quarter last winter"
    assert a.image_credit == "Photo: Karl Weiss/Valley Times"
    # No article:tag: topics inferred as clean_text_dump does (title mention, or two in the body).
    assert a.tags == ("Floods", "Council")
    assert any("Café Rosa" in p for p in a.paragraphs)  # declared windows-1252, decoded as such
    assert_kept_and_dropped(a, keep=[
        "The barrier, a wall of steel and concrete about two kilometres long, will be built in sections so"
        " that the riverside path can stay open for most of the work.",
        "Engineers from the regional water authority will survey the riverbank this autumn, and construction"
        " of the flood barrier is due to start the following spring.",
    ], drop=["Valley Times", "Support", "Read also", "Bus fares", "Share this article", "Most read",
             "new bridge", "Copyright", "By Jane Doe", "Published May", "Karl Weiss"])


def test_lakeside_post_states_no_date_and_gets_none() -> None:
    a = clean_file("lakeside_post.html")
    # Its canonical URL holds a date, the teaser list beside the story has <time>s and the
    # footer a copyright year: none of them is the story's date.
    assert a.date is None
    assert "no date stated; left undated" in a.warnings
    assert a.title == "Ferry timetable changes for the summer season"  # og:title without " - Lakeside Post"
    assert a.author == "Mira Holm"
    assert a.source == "Lakeside Post"
    assert a.tags == ("Ferries",)
    assert a.image_caption is None and a.image_credit is None
    assert_kept_and_dropped(a, keep=[
        "Tickets bought for the old timetable remain valid, and season passes will be sold at the kiosk by"
        " the landing as well as on the company's website.",
    ], drop=["Hidden draft paragraph", "Log in", "Latest news", "Harbour cafe", "Never miss a story",
             "More from Lakeside Post", "Island school", "© 2023"])


def test_a_page_showing_no_text_is_read_from_its_articles_json_ld() -> None:
    # A single-page app's shell: no text block at all, the story only in JSON-LD's articleBody.
    story = ("The harbour board will close the old north pier on May 31, after engineers said its"
             " pillars had rotted. \"It's a sad day,\" the harbour master said of the pier and its deck.")
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "North pier to close on May 31",
            "datePublished": "2026-03-16T09:00:00Z", "author": {"@type": "Person", "name": "Mira Holm"},
            "articleBody": story}
    page = (f'<html><head><title>North pier to close on May 31</title><script type="application/ld+json">'
            f'{json.dumps(data)}</script></head><body><div id="root"></div>'
            '<noscript><div><p>You need to enable JavaScript to read the Harbour Herald.</p></div></noscript>'
            '</body></html>')
    a = clean(page)
    assert a.paragraphs == (story,)
    assert a.author == "Mira Holm"


def test_every_page_block_is_kept_or_dropped_with_a_reason() -> None:
    path = FIXTURES / "harbour_herald.html"
    text = decode_html(path.read_bytes(), path.name)
    a = clean(text)
    dropped = dict(a.dropped)
    for block in page_blocks(text):
        assert block in a.paragraphs or block in dropped, block
    assert dropped["Pier repairs approved after decades of delay"] == "title"
    assert dropped["By Ana Petrov"] == "byline"
    assert dropped["March 30, 2024"] == "dateline"
    assert dropped["Fishing boats moored at the north pier at dawn. Photo: Marta Lind / Harbour Herald"] == (
        "image caption and credit")
    assert dropped["Home"] == "not article text (extractor)"


def test_boilerplate_hook_drops_paragraphs_with_its_reason() -> None:
    reason = "repeats on 3 of 3 pages from harbourherald.example"

    def hook(text: str) -> str | None:
        return reason if text.startswith("Work on the pier will begin") else None

    a = clean_file("harbour_herald.html", boilerplate=hook)
    assert not any(p.startswith("Work on the pier") for p in a.paragraphs)
    assert len(a.paragraphs) == 5
    assert [r for t, r in a.dropped if t.startswith("Work on the pier")] == [reason]


def test_page_blocks_are_visible_block_texts_in_order() -> None:
    blocks = page_blocks(page(
        "<div>Top <b>menu</b><p>First  paragraph\n here.</p>tail text</div>"
        "<script>var x = 'no';</script><style>p{}</style><p hidden>secret</p>"
        "<p style='display: none'>also secret</p><ul><li>One</li><li>Two<br>lines</li></ul><p> </p>",
        head="<title>Not shown</title>"))
    assert blocks == ("Top menu", "First paragraph here.", "tail text", "One", "Two", "lines")


def test_no_page_markup_reaches_the_output() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    a = clean(page(
        "<article><h1>Pier &amp; harbour news</h1>"
        "<p>The <b>harbour</b> board met &amp; talked about <a href='/pier'>the pier</a> &lt;again&gt; on"
        " Tuesday, and the meeting went on for most of the evening until late at night.</p>"
        + body + "</article>"))
    assert a.title == "Pier & harbour news"
    assert a.paragraphs[0] == ("The harbour board met & talked about the pier <again> on Tuesday, and the meeting"
                               " went on for most of the evening until late at night.")
    assert "<b>" not in markdown_body(a) and "href" not in markdown_body(a)
    assert r"\<again>" in markdown_body(a)  # the Markdown writer escapes it as text


def test_a_lone_line_break_stays_inside_its_paragraph_and_a_double_one_ends_it() -> None:
    verse = ("The mayor read the lines carved on the old pier,", "the words the fishing crews had left there,",
             "and the board stood up to hear them.")
    a = clean(page(
        "<article><h1>Pier verse read to the board</h1>"
        + "".join(f"<p>{p}</p>" for p in PROSE[:2])
        + "<p>" + "<br>".join(verse) + "</p>"
        + f"<p>{PROSE[2]}<br><br>{PROSE[3]}</p><div>{PROSE[4]}<br>\n<br>{PROSE[0]}</div></article>"))
    assert a.paragraphs == (*PROSE[:2], " ".join(verse), PROSE[2], PROSE[3], PROSE[4], PROSE[0])


def test_prose_in_a_table_is_kept_a_row_to_a_paragraph() -> None:
    a = clean(page(
        "<article><h1>Pier repair bids compared</h1>" + "".join(f"<p>{p}</p>" for p in PROSE[:3])
        + "<table><tr><th>Bidder</th><th>Cost</th></tr><tr><td>North Yard</td><td>410,000 euros</td></tr>"
        f"<tr><td>{PROSE[3]}</td></tr></table><p>{PROSE[4]}</p></article>"))
    assert a.paragraphs == (*PROSE[:3], "Bidder | Cost", "North Yard | 410,000 euros", PROSE[3], PROSE[4])


def test_a_cells_one_paragraph_is_the_cells_text() -> None:
    a = clean(page(
        "<article><h1>Pier repair bids compared</h1>" + "".join(f"<p>{p}</p>" for p in PROSE[:3])
        + "<table><tr><th><p>Bidder</p></th><th><p>Cost</p></th></tr>"
        "<tr><td><p>North Yard</p></td><td><p>410,000 euros</p></td></tr>"
        "<tr><td><p>Quay Works</p></td><td><p>455,000 euros</p></td></tr></table>"
        f"<p>{PROSE[4]}</p></article>"))
    assert a.paragraphs == (*PROSE[:3], "Bidder | Cost", "North Yard | 410,000 euros", "Quay Works | 455,000 euros",
                            PROSE[4])


STORY = "".join(f"<p>{p}</p>" for p in PROSE)


@pytest.mark.parametrize("layout", [
    # A hero figure above the headline.
    "<figure><img src='p.jpg' alt=''><figcaption>The old north pier at low tide."
    " <small>Photo: Karl Weiss</small></figcaption></figure><article><h1>Pier repairs approved</h1>{story}</article>",
    # WordPress's caption box.
    "<article><h1>Pier repairs approved</h1><div class='wp-caption'><img src='p.jpg'>"
    "<p class='wp-caption-text'>The old north pier at low tide. Photo: Karl Weiss</p></div>{story}</article>",
    # Screen-reader labels, and the credit shown over the image.
    "<article><h1>Pier repairs approved</h1><figure><div><span class='visually-hidden'>Image source, </span>"
    "<span class='copyright'>Photo: Karl Weiss</span></div><img src='p.jpg' alt=''><figcaption>"
    "<span class='visually-hidden'>Image caption, </span>The old north pier at low tide.</figcaption></figure>"
    "{story}</article>",
    # The credit in a plain paragraph of the figure, said to be one by a label for screen readers
    # (BBC's layout), or by a label anyone sees, as the caption may be.
    "<article><h1>Pier repairs approved</h1><figure><img src='p.jpg' alt=''><p><span class='VisuallyHidden'>"
    "Image source, </span>Photo: Karl Weiss</p><figcaption><span class='VisuallyHidden'>Image caption, </span>"
    "The old north pier at low tide.</figcaption></figure>{story}</article>",
    "<article><h1>Pier repairs approved</h1><figure><img src='p.jpg' alt=''><p><span>Image source, </span>"
    "Photo: Karl Weiss</p><figcaption><span>Image caption, </span>The old north pier at low tide.</figcaption>"
    "</figure>{story}</article>",
])
def test_the_lead_images_caption_and_credit_in_other_layouts(layout: str) -> None:
    a = clean(page(layout.format(story=STORY)))
    assert (a.image_caption, a.image_credit) == ("The old north pier at low tide.", "Photo: Karl Weiss")
    assert a.paragraphs == tuple(PROSE)


def test_a_shown_byline_beats_an_organization_named_as_author() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pier repairs approved",'
          ' "author": {"@type": "NewsMediaOrganization", "name": "Harbour Herald"}}</script>')
    byline = "<div><span>By Jane Doe</span><span>Harbour Herald, Northport</span></div>"
    a = clean(page(f"<article><h1>Pier repairs approved</h1>{byline}{STORY}</article>", head=ld))
    assert a.author == "Jane Doe"
    assert clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}</article>", head=ld)).author == (
        "Harbour Herald")


@pytest.mark.parametrize(("meta", "byline", "author"), [
    # Metadata naming the first of two authors the byline shows.
    ("Jane Doe", "By Jane Doe and Tom Ellis", "Jane Doe and Tom Ellis"),
    # Metadata crediting a staff or a society where the byline names the writer.
    ("Harbour Herald Staff", "By Jane Doe", "Jane Doe"),
    ("Northport History Society", "Written by Jane Doe", "Jane Doe"),
    # Otherwise the metadata stands: a byline naming someone else, or a collective.
    ("Jane Doe", "By Tom Ellis", "Jane Doe"),
    ("Jane Doe", "By Herald Staff", "Jane Doe"),
])
def test_a_shown_byline_that_says_more_beats_the_meta_author(meta: str, byline: str, author: str) -> None:
    head = f"<meta name='author' content='{meta}'>"
    shown = f"<article><h1>Pier repairs approved</h1><p class='meta'>{byline}</p>{STORY}</article>"
    assert clean(page(shown, head=head)).author == author


@pytest.mark.parametrize(("names", "author"), [
    (["Jane Doe"], "Jane Doe"),
    (["Jane Doe", "Tom Ellis"], "Jane Doe and Tom Ellis"),
    (["Jane Doe", "Tom Ellis", "Ana Vega"], "Jane Doe, Tom Ellis and Ana Vega"),
])
def test_json_ld_authors_are_listed_as_a_byline_lists_them(names: list[str], author: str) -> None:
    people = ", ".join(f'{{"@type": "Person", "name": "{name}"}}' for name in names)
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pier repairs approved",'
          f' "author": [{people}]}}</script>')
    assert clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}</article>", head=ld)).author == author


@pytest.mark.parametrize(("beside", "author"), [
    ("<span>Jane Doe</span><span>March 16, 2026</span>", "Jane Doe"),
    ("<span>March 16, 2026</span><span>Jane Doe</span>", "Jane Doe"),
    ("<span>Breaking News</span><span>March 16, 2026</span>", None),  # a label names no one
    ("<span>Jane Doe</span><span>Harbour desk</span>", None),  # a name with no date beside it
])
def test_a_name_alone_beside_the_date_is_the_author(beside: str, author: str | None) -> None:
    shown = f"<article><h1>Pier repairs approved</h1><div class='meta'>{beside}</div>{STORY}</article>"
    assert clean(page(shown)).author == author


def test_an_author_cards_name_without_by_is_the_author() -> None:
    card = ("<div class='author-card'><a class='author-card__name' href='/staff/ana'>Ana Vega</a>"
            "<span class='author-card__role'>Science editor</span></div>")
    a = clean(page(f"<article><h1>Pier repairs approved</h1>{card}{STORY}</article>"))
    assert a.author == "Ana Vega"
    # Away from the story, an author's name in a teaser card is not the story's.
    teaser = "<aside><h3>Most read</h3><div><span class='author-name'>Tom Ellis</span></div></aside>"
    assert clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}</article>{teaser}")).author is None


# A body long enough that the extractor reads it with its own rules, not its fallbacks.
LONG_STORY = [*PROSE,
    "The board also heard from the ferry company, which wants its boats to keep using the south landing.",
    "Its manager said the company could move two crossings a day to the new quay if the works ran late.",
    "Residents of the harbour front asked that the noisiest work be done during the day and not at night.",
    "The board agreed to publish a timetable of the works on its website and at the harbour office.",
    "Divers will inspect the remaining pillars next month to see whether any more of them need work.",
    "The last full repair of the pier was carried out in 1987, after a winter storm tore away its railings.",
    "Since then only the decking has been renewed, in two stages, the second of them finished in 2009.",
]
SIDEBAR = ("<aside><h3>Most read</h3><ol><li><a href='/a'>Ferry fares to rise by ten percent from April</a></li>"
           "<li><a href='/b'>East shore residents launch petition against the traffic plan</a></li></ol></aside>")


def story_page(inserted: str, at: int = 5) -> str:
    """LONG_STORY in a layout like a news site's, with ``inserted`` after its paragraph ``at``."""
    paragraphs = [f"<p>{p}</p>" for p in LONG_STORY]
    paragraphs.insert(at, inserted)
    return page("<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav></header>"
                "<main><article><header><h1>Pier repairs approved</h1></header><div class='article__text'>"
                f"{''.join(paragraphs)}</div></article>{SIDEBAR}</main>")


@pytest.mark.parametrize("markup", [
    "<div class='story-subhead'>{}</div>", "<div><b>{}</b></div>", "<p><strong>{}</strong></p>",
    "<span class='subhead'>{}</span>", "<h3>{}</h3>"])
@pytest.mark.parametrize("subheading", ["What happens next", "Who pays for the works?"])
def test_a_subheading_not_marked_as_a_heading_stays_between_its_paragraphs(markup: str, subheading: str) -> None:
    a = clean(page_ := story_page(markup.format(subheading)))
    assert a.paragraphs == (*LONG_STORY[:5], subheading, *LONG_STORY[5:]), page_


@pytest.mark.parametrize("inserted", [
    "<div class='ad-label'>Advertisement</div>", "<div>Story continues below</div>",
    "<div class='share'>Share this story</div>", "<div class='share'><a href='/f'>Facebook</a></div>",
    "<div class='related'>Related</div>", "<div class='related'><a href='/x'>Ferry fares to rise by ten"
    " percent</a></div>", "<div>Sign up for our newsletter</div>", "<div>Photo: Karl Weiss</div>",
    # Short lines the page does not mark as headings, or marks as other furniture.
    "<div>Presented by Harbourside Insurance</div>", "<div>Updated 10:42 BST</div>",
    "<p class='caption'>The flooded quay on Sunday (Sam Ito/Harbour Herald)</p>",
    "<div class='video-title'>Drone footage shows the flooded quay</div>",
    "<div class='card'><img src='/x.jpg'><div class='card-title'>Ferry fares to rise in spring</div></div>",
    "<div class='kicker'>Storm Ivo</div>", "<div class='ad-title'>Ad Feature</div>",
    # A pull quote set in bold, below a picture or not.
    "<div class='c-pullquote-title'><strong>“The works will run late”</strong></div>",
    "<figure><img src='/pier.jpg'><figcaption>The pier on Monday</figcaption></figure>"
    "<div class='pic-title'><b>The pier at low tide</b></div>"])
def test_a_short_line_between_paragraphs_that_is_no_subheading_stays_out(inserted: str) -> None:
    assert clean(story_page(inserted)).paragraphs == tuple(LONG_STORY)


PLACES = ["Northport", "Eastholm", "Kirkby Sands", "Westfleet"]
STEPS = ["The first pillar will be lifted out by crane during the lowest tide of the month.",
         "The second pillar will follow a week later, once the divers have checked the footings.",
         "The decking above both pillars will be closed to walkers until the new ones are in place."]


def html_list(items: list[str], tag: str = "ul", item: str = "{}") -> str:
    return f"<{tag}>{''.join(f'<li>{item.format(i)}</li>' for i in items)}</{tag}>"


@pytest.mark.parametrize(("markup", "items"), [
    (html_list(PLACES), PLACES), (html_list(PLACES[:1]), PLACES[:1]), (html_list(STEPS, "ol"), STEPS),
    (f"<div class='factbox'>{html_list(PLACES)}</div>", PLACES), (html_list(STEPS, item="<p>{}</p>"), STEPS)])
@pytest.mark.parametrize("at", [1, 5, 11])
def test_a_list_in_the_body_is_kept_in_order_and_the_lists_around_it_are_not(markup: str, items: list[str],
                                                                              at: int) -> None:
    a = clean(story_page(markup, at))
    assert a.paragraphs == (*LONG_STORY[:at], *items, *LONG_STORY[at:])
    dropped = dict(a.dropped)
    assert dropped["Home"] == dropped["Ferry fares to rise by ten percent from April"] == "not article text (extractor)"


def test_the_list_under_a_read_more_heading_is_teasers_and_a_list_elsewhere_is_kept() -> None:
    teasers = ["Ferry fares to rise by 10 percent from April",
               "East shore residents launch petition against traffic plan"]
    facts = ["Tolls have been ruled out by the board.", "The new pillars will be made of oak."]
    a = clean(page(
        f"<article><h1>Pier repairs approved</h1>{STORY}<p>Read more:</p><ul>"
        + "".join(f"<li><a href='/t{i}'>{t}</a></li>" for i, t in enumerate(teasers))
        + f"</ul><p>{PROSE[0]} Work starts soon.</p><ul>" + "".join(f"<li>{f}</li>" for f in facts)
        + "</ul></article>"))
    assert a.paragraphs == (*PROSE, f"{PROSE[0]} Work starts soon.", *facts)
    assert [reason for text, reason in a.dropped if text in teasers] == ["teaser list", "teaser list"]


def test_a_copyright_line_right_below_the_body_is_the_articles_own_and_a_footers_goes() -> None:
    notice = "© 2024 Harbour Wire. All rights reserved. This story may not be republished without permission."
    footer = "© 2024 Harbour Wire Media | Privacy | Terms of Use"
    a = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}<p>{notice}</p></article>"))
    assert a.paragraphs == (*PROSE, notice)
    b = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}<p>{footer}</p></article>"))
    assert b.paragraphs == tuple(PROSE)
    assert (footer, "boilerplate: copyright") in b.dropped
    share_bar = "<ul class='share'><li><a href='/f'>Facebook</a></li><li><a href='/t'>Twitter</a></li></ul>"
    c = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}{share_bar}<p>{notice}</p></article>"))
    assert c.paragraphs == tuple(PROSE)  # below the share bar the extractor skipped: the site's


def test_the_paper_a_story_reports_on_is_kept_though_the_extractor_leaves_it_out() -> None:
    reference = ("More information: K. Moss et al. Harbour piers: repairs to wooden pillars, Journal of Coastal"
                 " Works (2024). DOI: 10.5555/jcw.2024.0042")
    a = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}</article><hr><div class='explore'><p>Explore"
                   " further</p><a href='/x'>Ferry fares to rise by ten percent</a></div><hr><div class='more'>"
                   f"<strong>More information:</strong> {reference[18:]}</div><div>Provided by <a href='/p'>Harbour"
                   " Institute</a></div><div><strong>Citation</strong>: Pier repairs approved (2024, March 3)"
                   " retrieved 4 March 2024</div><footer><a href='/a'>About</a> <a href='/c'>Contact</a></footer>"))
    assert a.paragraphs == (*PROSE, reference, "Provided by Harbour Institute")
    assert ("Explore further", "not article text (extractor)") in a.dropped


def test_a_banner_above_the_headline_is_no_lead_image() -> None:
    a = clean(page("<figure class='breaking'><a href='/live'><svg></svg></a><figcaption>Live Watch the harbour"
                   f" live</figcaption></figure><article><h1>Pier repairs approved</h1>{STORY}</article>"))
    assert (a.image_caption, a.image_credit) == (None, None)


def test_paragraph_rules_around_the_extracted_body() -> None:
    advice = ("You should talk to your sister before the wedding; if she will not listen, ask a friend you both"
              " trust to help you find the right words.")
    a = clean(page(
        "<article><h1>Dear Reader: a sister who will not listen</h1><div class='story'>"
        "<p>By Jane Doe</p><p>Published May 3, 2023</p>"
        + "".join(f"<p>{p}</p>" for p in PROSE) + f"<p>{advice}</p>"
        "<p>jane.doe@herald.example</p><p>___</p><p>Photo: Karl Weiss</p>"
        "<p>Get the best harbour stories in your inbox: sign up for our free newsletter today.</p>"
        "<h2>More to explore</h2>"
        "<p>Readers like you keep our newsroom going, and as a member you get free access to every story.</p>"
        "</div></article>"))
    dropped = dict(a.dropped)
    assert a.paragraphs == (*PROSE, advice)  # one appeal word ("help") mid-story is not a pitch
    assert a.author == "Jane Doe" and a.date == datetime.date(2023, 5, 3)
    assert dropped["By Jane Doe"] == "byline"
    assert dropped["Published May 3, 2023"] == "dateline"
    assert dropped["jane.doe@herald.example"] == "contact address or link"
    assert dropped["___"] == "no words (separator)"
    assert dropped["Photo: Karl Weiss"] == "credit line"
    assert dropped["Readers like you keep our newsroom going, and as a member you get free access to every story."] == (
        "addresses the reader (appeal)")
    assert dropped["More to explore"] == "heading after the article text"


def test_a_service_line_to_the_reader_is_not_an_appeal() -> None:
    service = ("If you live near the pier and need help moving your boat during the works, you can call the"
               " council's free hotline.")
    a = clean(page("<article><h1>Harbour board backs pier repairs</h1>"
                   + "".join(f"<p>{p}</p>" for p in PROSE[:3]) + f"<p>{service}</p><p>{PROSE[4]}</p></article>"))
    assert a.paragraphs == (*PROSE[:3], service, PROSE[4])


def test_a_help_line_with_appeal_words_is_not_an_appeal() -> None:
    # "support" and "members", said to "you": an appeal's words, but a help line's start.
    line = "If you need support, call the Samaritans: their members and volunteers will listen to you day and night."
    a = clean(page("<article><h1>Harbour board backs pier repairs</h1>"
                   + "".join(f"<p>{p}</p>" for p in PROSE) + f"<p>{line}</p></article>"))
    assert a.paragraphs == (*PROSE, line)


def test_a_body_sentence_starting_with_a_date_word_dates_nothing() -> None:
    sentence = "Released on March 3, 2021, the engineers' report warned that the old wall would fail within a decade."
    a = clean(page("<article><h1>Council approves new harbour wall</h1><p>" + PROSE[0] + "</p><p>" + sentence
                   + "</p>" + "".join(f"<p>{p}</p>" for p in PROSE[1:]) + "</article>"))
    assert a.date is None
    assert sentence in a.paragraphs


def test_microdata_of_teaser_cards_is_not_the_story_s() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    card = ("<div itemscope itemtype='https://schema.org/NewsArticle'><a href='/x'>Other story</a>"
            "<meta itemprop='datePublished' content='2020-01-01T10:00:00Z'></div>") * 2  # a teaser list
    story = ("<article itemscope itemtype='https://schema.org/NewsArticle'><h1>Pier news</h1>"
             "<meta itemprop='datePublished' content='2021-06-02T08:00:00Z'>" + body + "</article>")
    assert clean(page(story + card)).date == datetime.datetime(2021, 6, 2, 8, 0, tzinfo=datetime.timezone.utc)
    assert clean(page(card + "<div><h1>Pier news</h1>" + body + "</div>")).date is None


# ---------------------------------------------------------------- headline

def test_title_prefers_the_h1_that_agrees_with_the_metadata() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    head = ("<title>Board backs pier repairs | Harbour | The Harbour Herald</title>"
            "<meta property='og:title' content='Board backs pier repairs | The Harbour Herald'>"
            "<meta property='og:site_name' content='The Harbour Herald'>")
    a = clean(page("<h1>The Harbour Herald</h1><h1>Weather</h1><article><h1>Board backs pier repairs</h1>"
                   + body + "</article>", head))
    assert a.title == "Board backs pier repairs"


def test_title_from_metadata_when_no_heading_agrees() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    ld = json.dumps({"@type": "NewsArticle", "headline": "Board backs pier repairs &amp; more"})
    a = clean(page("<h1>Sections</h1>" + body, f"<script type='application/ld+json'>{ld}</script>"
                   "<title>Something else - Herald</title>"))
    assert a.title == "Board backs pier repairs & more"  # JSON-LD carries HTML entities
    a = clean(page("<div>" + body + "</div>", "<title>Board backs pier repairs - Harbour Herald</title>"))
    assert a.title == "Board backs pier repairs"


@pytest.mark.parametrize(("og_title", "headings", "expected"), [
    # a shortened social title, close to the <h1>
    ("Board backs repairs to the old north pier", "<h1>Harbour board backs repairs to the old north pier</h1>",
     "Harbour board backs repairs to the old north pier"),
    # a search engine's title retelling the <h1> (half its words), the site's <h1> above
    ("Pier repairs: what boaters need to know about the board vote",
     "<h1>Harbour Herald</h1><h1>Board backs repairs to the pier</h1>", "Board backs repairs to the pier"),
])
def test_title_is_the_h1_a_social_or_search_title_retells(og_title: str, headings: str, expected: str) -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    a = clean(page(f"<article>{headings}{body}</article>", f"<meta property='og:title' content='{og_title}'>"))
    assert a.title == expected


def test_an_old_page_stating_no_title_has_its_headline_in_an_h2() -> None:
    """No <head>, no <h1>: the <h2> just above the body is the headline, and the masthead and menu
    the extractor takes above it are not the body."""
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    a = clean("<html><body><table><tr><td><b>HARBOUR WEEKLY</b><br>Your town, every week</td></tr></table>"
              "<p><a href='/'>Home</a> | <a href='/n'>News</a> | <a href='/e'>Events</a></p><hr>"
              f"<h2>Board backs pier repairs</h2><p><i>Posted Monday 10 March 2025</i></p>{body}</body></html>")
    assert (a.title, a.date) == ("Board backs pier repairs", datetime.date(2025, 3, 10))
    assert a.paragraphs == tuple(PROSE)


def test_title_not_cut_at_a_separator_inside_brackets() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    head = "<title>Ada Lund Obituary (1933 - 2025) - Harbourtown, ME - Harbour Herald</title>"
    a = clean(page(f"<div>{body}</div>", head + "<meta property='og:site_name' content='Harbour Herald'>"))
    assert a.title == "Ada Lund Obituary (1933 - 2025)"


def test_title_a_blogs_post_heading_after_its_name_and_a_colon() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    head = "<title>Harbour Notes: Board backs pier repairs</title>"
    a = clean(page(f"<h1>Harbour Notes</h1><div class='post'><h3>Board backs pier repairs</h3>{body}</div>", head))
    assert a.title == "Board backs pier repairs"
    # A heading agreeing with the whole title wins over one matching its part after the colon.
    head = "<title>Pier repairs: what the board decided</title>"
    a = clean(page(f"<h1>Pier repairs: what the board decided</h1><h3>What the board decided</h3>{body}", head))
    assert a.title == "Pier repairs: what the board decided"


# ---------------------------------------------------------------- dates, credits

@pytest.mark.parametrize(("value", "expected"), [
    ("2019-11-19T13:16:49+0000", datetime.datetime(2019, 11, 19, 13, 16, 49, tzinfo=datetime.timezone.utc)),
    ("2019-11-19T01:48:03.835Z", datetime.datetime(2019, 11, 19, 1, 48, 3, tzinfo=datetime.timezone.utc)),
    ("Mon, 18 Nov 2019 16:07:38 -0600",
     datetime.datetime(2019, 11, 18, 16, 7, 38, tzinfo=datetime.timezone(datetime.timedelta(hours=-6)))),
    ("2019-11-19T18:18:25.828095", datetime.date(2019, 11, 19)),  # no zone: the day only, never a guess
    ("2019-11-19", datetime.date(2019, 11, 19)),
    ("November 19, 2019", datetime.date(2019, 11, 19)),
    ("0999-12-31T10:00:00Z", None),  # outside the years digest accepts
    ("2019-02-30", None),
    ("yesterday", None),
])
def test_parse_date(value: str, expected: object) -> None:
    parsed = parse_date(value, RULES)
    assert parsed == expected
    assert type(parsed) is type(expected)


def test_date_from_time_element_under_the_headline_only() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    teaser = "<ul><li><a href='/x'>Other story</a> <time datetime='2020-01-01'>Jan 1</time></li></ul>"
    shown = page(teaser + "<article><h1>Pier news</h1><time datetime='2021-06-02T08:00:00+01:00'>June 2</time>"
                 + body + "</article>")
    plus_one = datetime.timezone(datetime.timedelta(hours=1))
    assert clean(shown).date == datetime.datetime(2021, 6, 2, 8, 0, tzinfo=plus_one)
    hidden_away = page(teaser + "<article><h1>Pier news</h1>" + body + "</article>")
    assert clean(hidden_away).date is None


def test_a_published_time_element_beats_an_updated_one_before_it() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    utc = datetime.timezone.utc
    stamps = ("<p class='meta'>Last updated <time datetime='2024-03-16T10:00:00Z'>16 March</time> · "
              "Published <time datetime='2024-03-14T08:00:00Z'>14 March</time></p>")
    assert clean(page("<article><h1>Pier news</h1>" + stamps + body + "</article>")).date == (
        datetime.datetime(2024, 3, 14, 8, 0, tzinfo=utc))
    updated_only = "<p>Updated <time datetime='2024-03-16T10:00:00Z'>16 March</time></p>"
    assert clean(page("<article><h1>Pier news</h1>" + updated_only + body + "</article>")).date == (
        datetime.datetime(2024, 3, 16, 10, 0, tzinfo=utc))  # the only date the page shows, as with datelines
    # A published date written out in words beats the update's machine-readable stamp.
    in_words = ("<p class='meta'><time>14 March 2024</time> · Updated <time datetime='2024-03-16T10:00:00Z'>"
                "16 March 2024</time></p>")
    assert clean(page("<article><h1>Pier news</h1>" + in_words + body + "</article>")).date == (
        datetime.date(2024, 3, 14))


def test_a_marked_byline_counts_only_where_the_storys_byline_stands() -> None:
    # A teaser's byline in a sidebar, a comment's, or a header link "About our authors" named
    # the article's author.
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    sidebar = "<aside><h2>Most read</h2><a href='/x'>Other story</a><span class='byline'>By John Smith</span></aside>"
    header = "<header><a rel='author' href='/about'>About our authors</a></header>"
    comment = "<section class='comments'><p><span class='comment-byline'>Angry Reader</span> Nonsense.</p></section>"
    story = "<article><h1>Pier news</h1><p class='meta'>By <span class='byline'>Jane Doe</span></p>" + body + "</article>"
    assert clean(page(header + sidebar + story + comment)).author == "Jane Doe"
    unsigned = "<article><h1>Pier news</h1>" + body + "</article>"
    assert clean(page(header + sidebar + unsigned + comment)).author is None


def test_the_story_region_of_a_body_not_placed_is_the_headlines_article() -> None:
    # When the extracted body matches no page block (the extractor joined two), the body's
    # start is taken to be the headline, and the region was the headline alone: no byline.
    from generator.ingest.html import _parse, _story_region
    from generator.ingest.html_headline import Headline
    from generator.ingest.html_meta import html_blocks

    root = _parse(page("<nav><p>Home</p></nav><article><h1>Pier news</h1><div class='author'>By Jane Doe</div>"
                       + "".join(f"<p>{p}</p>" for p in PROSE) + "</article>"))
    blocks = html_blocks(root)
    headline = Headline("Pier news", root.find(".//h1"))
    assert [blocks[i][0] for i in _story_region(blocks, headline, 1, 1)] == ["Pier news", "By Jane Doe", PROSE[0]]


def test_a_tag_line_shown_with_the_story_gives_its_tags_as_in_a_text_dump() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    line = "<div class='tags'>Tags: <a rel='tag'>Infrastructure</a>, <a rel='tag'>Local politics</a></div>"
    menu = "<footer><p>Topics: Sport, Weather, Business</p></footer>"  # the site's, outside the story
    assert clean(page("<article><h1>Pier news</h1>" + body + line + "</article>" + menu)).tags == (
        "Infrastructure", "Local politics")
    stated = "<meta property='article:tag' content='Harbours'>"  # the page's metadata comes first
    assert clean(page("<article><h1>Pier news</h1>" + body + line + "</article>", stated)).tags == ("Harbours",)
    assert "Sport" not in clean(page("<article><h1>Pier news</h1>" + body + "</article>" + menu)).tags


def test_a_timestamp_of_another_day_does_not_beat_the_articles_stated_day() -> None:
    # A video's JSON-LD, or a lower-ranked meta tag, with a full timestamp took the article's date.
    body = "<h1>Pier news</h1>" + "".join(f"<p>{p}</p>" for p in PROSE)
    article = '{"@type": "NewsArticle", "headline": "Pier news", "datePublished": "2024-03-12"}'
    video = '{"@type": "VideoObject", "name": "Clip", "datePublished": "2019-05-01T10:00:00Z"}'
    head = "".join(f"<script type='application/ld+json'>{ld}</script>" for ld in (article, video))
    assert clean(page(body, head)).date == datetime.date(2024, 3, 12)
    same_day = "<meta name='dc.date' content='2024-03-12T21:30:00-05:00'>"  # the 13th in UTC: still that day
    assert clean(page(body, head + same_day)).date == datetime.datetime(
        2024, 3, 12, 21, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))


@pytest.mark.parametrize(("text", "caption", "credit"), [
    ("Boats at the pier at dawn. Photo: Jane Doe/Herald", "Boats at the pier at dawn.", "Photo: Jane Doe/Herald"),
    ("Boats at the pier at dawn (Jane Doe/AP)", "Boats at the pier at dawn", "Jane Doe/AP"),
    ("Boats at the pier at dawn [Agency via Getty]", "Boats at the pier at dawn", "Agency via Getty"),
    ("‘Boats at the pier.’ Photograph: Agency via Getty", "‘Boats at the pier.’",
     "Photograph: Agency via Getty"),
    ("Photo: Jane Doe", None, "Photo: Jane Doe"),
    ("Boats at the pier at dawn (pictured)", "Boats at the pier at dawn (pictured)", None),
])
def test_split_credit(text: str, caption: str | None, credit: str | None) -> None:
    assert split_credit(text, RULES) == (caption, credit)


# ---------------------------------------------------------------- failures

def decode_error(data: bytes, name: str = "page.html") -> str:
    with pytest.raises(DigestError) as caught:
        decode_html(data, name)
    (problem,) = caught.value.problems
    assert problem.path is None and problem.hint  # the caller names the file
    return problem.message


def test_decode_errors_have_exact_messages() -> None:
    assert decode_error(b"") == "empty file"
    assert decode_error(b" \n\t ") == "empty file"
    assert decode_error(b"", "page.html.gz") == "empty file"
    assert decode_error(gzip.compress(b"  \n"), "page.html.gz") == "empty file"
    assert decode_error(b"<html>not gzipped</html>", "page.html.gz") == "not a valid gzip file"
    assert decode_error(gzip.compress(page("<p>Cut short</p>" * 200).encode())[:-40], "page.html.gz") == (
        "not a valid gzip file")
    assert decode_error(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR<p>") == "binary file, not HTML"
    assert decode_error(b"Just a line of text, no markup at all.\n") == "not an HTML page"


def test_gzip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    deflate = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = b" " * (1024 * 1024)
    with bomb.open("wb") as out:
        out.write(deflate.compress(b"<html><body><p>"))
        for _ in range(MAX_UNCOMPRESSED // len(chunk) + 1):
            out.write(deflate.compress(chunk))
        out.write(deflate.flush())
    assert bomb.stat().st_size < 1024 * 1024
    assert decode_error(bomb.read_bytes(), bomb.name) == "larger than 64 MiB uncompressed"


def test_decode_charsets_and_gzip_members() -> None:
    text = page("<p>Café “quoted”</p>")
    assert "Café “quoted”" in decode_html(text.encode("utf-8"), "a.html")
    assert "Café “quoted”" in decode_html(codecs.BOM_UTF8 + text.encode("utf-8"), "a.html")
    assert "Café “quoted”" in decode_html(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "a.html")
    declared = "<html><head><meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'></head>"
    assert "Café “quoted”" in decode_html((declared + "<p>Café “quoted”</p>").encode("cp1252"), "a.html")
    undeclared = "<html><p>Café “quoted”</p></html>".encode("cp1252")  # not UTF-8: windows-1252
    assert "Café “quoted”" in decode_html(undeclared, "a.html")
    assert "Café" in decode_html(gzip.compress(b"<html><p>Caf") + gzip.compress("é</p>".encode()), "a.html.gz")
    assert decode_html("<p>a\x0cb\ufffec</p>".encode(), "a.html") == "<p>abc</p>"  # forbidden code points


@pytest.mark.parametrize(("label", "codec", "text"), [
    ("Shift_JIS", "cp932", "港の橋①"),  # ① is in Microsoft's Shift_JIS, as browsers read the label
    ("windows-31j", "cp932", "港の橋"),
    ("gb2312", "gbk", "港口新桥"),  # GBK characters under the GB2312 label
    ("euc-kr", "cp949", "똠방각하"),  # code page 949 syllables under the EUC-KR label
    ("iso-8859-9", "cp1254", "İstanbul’da"),
])
def test_charset_labels_are_read_as_browsers_read_them(label: str, codec: str, text: str) -> None:
    # Python's strict codecs of these names failed, and the page came out as windows-1252 garbage.
    data = f"<html><head><meta charset='{label}'></head><p>{text}</p></html>".encode(codec)
    assert f"<p>{text}</p>" in decode_html(data, "a.html")


def test_a_page_its_declared_charset_cannot_fully_decode_keeps_that_charset() -> None:
    data = "<html><head><meta charset='euc-jp'></head><p>港の橋</p></html>".encode("euc_jp") + b"\xff\xfe"
    assert "<p>港の橋</p>" in decode_html(data, "a.html")


def clean_error(text: str) -> str:
    with pytest.raises(DigestError) as caught:
        clean(text)
    (problem,) = caught.value.problems
    assert problem.path is None
    return problem.message


def test_clean_errors() -> None:
    assert clean_error("   ") == "could not parse the HTML"
    assert clean_error(page("<h1>Title only</h1>")) == "no article body found"
    assert clean_error("<html><body>" + "".join(f"<p>{p}</p>" for p in PROSE) + "</body></html>") == (
        "no headline found above the article body")


def test_an_error_page_or_an_index_page_is_not_an_article() -> None:
    assert clean_error(page("<h1>Page not found</h1><p>Sorry, the page you are looking for does not exist. It may"
                            " have been moved or deleted. Try searching our site or return to the home page.</p>"
                            )) == 'not an article: a "page not found" page'
    assert clean_error(page("<h1>404</h1>" + "".join(f"<p>{p}</p>" for p in PROSE))) == (
        'not an article: a "page not found" page')
    assert clean(page(f"<h1>404 ferry crossings cancelled by the storm</h1>{STORY}")).paragraphs == tuple(PROSE)
    cards = "".join(f"<article><h2><a href='/s{i}'>Story {i} on the harbour board</a></h2><p>{p}</p></article>"
                    for i, p in enumerate(PROSE))
    assert clean_error(page(f"<h1>The Harbour Herald</h1>{cards}")) == "not an article: an index page"


def test_a_story_in_its_own_article_with_related_cards_is_an_article() -> None:
    related = "".join(f"<article><h3><a href='/r{i}'>Related {i}</a></h3><p>{p}</p></article>"
                      for i, p in enumerate(PROSE[:3]))
    story = "".join(f"<p>{p} It was the {n} point.</p>" for n, p in zip(("first", "second", "third", "fourth"),
                                                                         PROSE))
    a = clean(page(f"<div><h1>Pier board meets</h1></div><article>{story}</article><aside>{related}</aside>"))
    assert a.title == "Pier board meets" and len(a.paragraphs) >= 4


def test_references_to_forbidden_characters_are_dropped_not_a_crash() -> None:
    # lxml decodes &#1; into the text and then refuses to store that text again: the whole
    # ingest run stopped with a traceback.
    body = "<h1>Pier repairs approved</h1>" + "".join(
        f"<p>{p[:-1]}&#1;&#x1F;&#xFFFE;.</p>" for p in PROSE) + "<img alt='pier&#2;' src='p.jpg'>"
    article = clean(page(body))
    assert list(article.paragraphs) == PROSE
    assert not any(ch in text for text in article.paragraphs for ch in "\x01\x1f\ufffe")


def test_huge_or_deeply_nested_pages_fail_cleanly_and_quickly() -> None:
    started = time.perf_counter()
    deep = page("<h1>Deep</h1>" + "<div>" * 50_000 + "".join(f"<p>{p}</p>" for p in PROSE) + "</div>" * 50_000)
    assert clean_error(deep) == "no article body found"  # the parser stops at its depth limit
    wide = page("<h1>Wide</h1>" + "".join(f"<p>{p}</p>" for p in PROSE) + "<ul>" + "<li>x</li>" * 70_000 + "</ul>")
    assert clean_error(wide).startswith("too many HTML elements for one article")
    assert time.perf_counter() - started < 20


# ---------------------------------------------------------------- property

TEXT = st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=80)
LINES = st.one_of(st.sampled_from(PROSE), TEXT)
WRAPS = ["<p>{}</p>", "<div>{}</div>", "<li>{}</li>", "<h2>{}</h2>", "<div><span>{}</span></div>",
         "<figure><figcaption>{}</figcaption></figure>", "<aside><a href='/x'>{}</a></aside>",
         "<p class='byline'>By {}</p>", "<div><time datetime='2022-05-01'>{}</time></div>", "<span>{}</span>"]


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Invented pages, with lines that differ and inline elements inside blocks."""
    escape = html.escape
    lines = draw(st.lists(LINES, min_size=1, max_size=15))
    title, rest = lines[0], lines[1:]
    parts = [draw(st.sampled_from(WRAPS)).format(escape(line)) for line in rest]
    head = f"<title>{escape(draw(LINES))}</title>"
    if draw(st.booleans()):
        head += f"<meta property='og:title' content='{escape(draw(LINES))}'>"
        head += f"<meta property='article:tag' content='{escape(draw(TEXT))}'>"
        head += f"<meta name='author' content='{escape(draw(TEXT))}'>"
    if draw(st.booleans()):
        ld = {"@type": "NewsArticle", "headline": draw(LINES), "author": {"name": draw(TEXT)},
              "publisher": {"name": draw(TEXT)}}
        head += f"<script type='application/ld+json'>{escape(json.dumps(ld, ensure_ascii=False))}</script>"
    return page(f"<article><h1>{escape(title)}</h1>\n{chr(10).join(parts)}</article>", head)


@given(html_pages())
# Inline text runs separated by newlines and <figure>s were once glued together ("repairs.00The").
@example("<!doctype html><html><head><meta charset='utf-8'><title>The harbour board met on Tuesday evening to "
         "discuss the state of the old north pier and its repairs.</title></head><body><article><h1>The harbour "
         "board met on Tuesday evening to discuss the state of the old north pier and its repairs.</h1>\n<p>The "
         "harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.</p>\n"
         "<span>The harbour board met on Tuesday evening to discuss the state of the old north pier and its "
         "repairs.</span>\n<span>0</span>\n<figure><figcaption>The harbour board met on Tuesday evening to "
         "discuss the state of the old north pier and its repairs.</figcaption></figure>\n<figure><figcaption>"
         "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs."
         "</figcaption></figure>\n<span>0</span>\n<span>The harbour board met on Tuesday evening to discuss "
         "the state of the old north pier and its repairs.</span></article></body></html>")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cleaning_never_adds_words(text: str) -> None:
    decoded = decode_html(text.encode("utf-8"), "page.html")
    try:
        a = clean(decoded)
    except DigestError:
        return  # no article on this page: nothing was produced, nothing was added
    # Words as the markup spells them, and as a browser shows them (adjacent inline
    # elements run together: <span>0</span><span>A</span> reads "0A").
    source = set(WORD.findall(html.unescape(decoded))) | {w for b in page_blocks(decoded) for w in WORD.findall(b)}
    produced = [a.title, *a.paragraphs, a.author, a.source, a.source_url, a.image_caption, a.image_credit,
                a.summary, *(t for t, _ in a.dropped)]
    for field in produced:
        assert set(WORD.findall(field or "")) <= source, field
    # A tag is the page's own word (NFKC, as the vocabulary spells tags) or a topic name.
    tag_source = source | set(WORD.findall(unicodedata.normalize("NFKC", html.unescape(decoded))))
    for tag in a.tags:
        assert set(WORD.findall(tag)) <= tag_source | TOPIC_WORDS, tag
    assert all(p and p == " ".join(p.split()) for p in a.paragraphs)


@pytest.mark.parametrize("label", [
    "<span class='label'>Guest Column</span>", "<p class='eyebrow'>Public Safety</p>", "<div>Opinion</div>",
    "<span>Exclusive</span>"])
def test_a_section_label_above_the_headline_is_not_the_first_paragraph(label: str) -> None:
    a = clean(page("<main><article>" + label + "<h1>Pier repairs approved</h1><div class='byline'>By Jane Doe</div>"
                   "<div class='body'>" + "".join(f"<p>{p}</p>" for p in LONG_STORY) + "</div></article></main>"))
    assert a.paragraphs == tuple(LONG_STORY)
    assert a.author == "Jane Doe"


def test_a_sentence_above_the_headline_is_judged_as_any_paragraph() -> None:
    """Only short lines that are no sentence count as a label: a standfirst stays as it was."""
    standfirst = "Work starts in June."
    a = clean(page(f"<main><article><p>{standfirst}</p><h1>Pier repairs approved</h1><div class='body'>"
                   + "".join(f"<p>{p}</p>" for p in LONG_STORY) + "</div></article></main>"))
    assert a.paragraphs[-len(LONG_STORY):] == tuple(LONG_STORY)
    assert ("section label above the headline" not in dict(a.dropped).get(standfirst, ""))


@pytest.mark.parametrize("markup", [
    "<blockquote class='pullquote'><p>{}</p></blockquote>", "<div class='pullquote'>{}</div>",
    "<p class='pull-quote'>{}</p>"])
@pytest.mark.parametrize("at", [3, 4], ids=["before-its-paragraph", "after-its-paragraph"])
def test_a_pull_quote_repeating_the_body_is_dropped(markup: str, at: int) -> None:
    repeated = "“We have waited for years,” said a fisherman"  # from LONG_STORY[3], quotes and case aside
    a = clean(story_page(markup.format(repeated), at))
    assert a.paragraphs == tuple(LONG_STORY)
    assert repeated in dict(a.dropped)  # as a pull quote, or left out by the extractor already


def test_a_quotations_footer_names_who_said_it_and_is_kept() -> None:
    quote = "The pier is the one thing this town never had to rebuild twice."
    attribution = "— Tomas Berg, in a 1998 letter to the board"
    a = clean(story_page(f"<blockquote><p>{quote}</p><footer>{attribution}</footer></blockquote>", 4))
    assert a.paragraphs == (*LONG_STORY[:4], quote, attribution, *LONG_STORY[4:])
    # The page's own <footer> is still no part of the story.
    b = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}</article><footer><p>Contact the Harbour"
                   " Herald newsroom at any time with news tips and corrections.</p></footer>"))
    assert b.paragraphs == tuple(PROSE)


def test_a_short_repeat_and_a_longer_quote_are_kept() -> None:
    """Fewer than eight words repeat by chance; a quote adding words repeats nothing."""
    short, longer = "said a fisherman", "We have waited for years, and we will wait no longer, the fishermen said."
    for inserted in (short, longer):
        a = clean(story_page(f"<blockquote class='pullquote'><p>{inserted}</p></blockquote>", 4))
        assert inserted in a.paragraphs
    restated = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}<p>{PROSE[0]} Work starts soon.</p>"
                          "</article>"))
    assert restated.paragraphs == (*PROSE, f"{PROSE[0]} Work starts soon.")  # the lede is no pull quote


def test_a_lead_in_last_in_the_body_introduced_what_the_extractor_left_out() -> None:
    lead_in = "More stories from the Gazette:"
    teasers = "".join(f"<li><a href='/t{i}'>Ferry fares to rise by {i} percent</a></li>" for i in range(3))
    a = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}<p><strong>{lead_in}</strong></p>"
                   f"<ul>{teasers}</ul></article>"))
    assert a.paragraphs == tuple(PROSE)
    assert (lead_in, "lead-in to nothing below it") in a.dropped
    # Within the body, a lead-in has its list or quote below it.
    kept = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}<p>The board listed three dates:</p>"
                      f"<ul><li>The first of May for the north pier.</li><li>The first of June for the south.</li>"
                      f"</ul><p>{LONG_STORY[6]}</p></article>"))
    assert "The board listed three dates:" in kept.paragraphs


@pytest.mark.parametrize("meta", [
    "<div class='meta'><span class='author'>Staff report</span> <span class='date'>Posted Thursday, August 1, 2024"
    " 4:15 pm</span></div>",
    "<div class='meta'>Staff report &middot; August 1, 2024</div>",
    "<div class='meta'>Jane Doe, Staff Writer | August 1, 2024</div>"])
def test_a_date_set_apart_from_words_that_are_no_byline_is_the_articles(meta: str) -> None:
    a = clean(page(f"<article><h1>Pier repairs approved</h1>{meta}{STORY}</article>"))
    assert a.date == datetime.date(2024, 8, 1)
    assert a.paragraphs == tuple(PROSE)


def test_a_sentence_with_a_separator_in_the_story_region_dates_nothing() -> None:
    standfirst = "<p class='standfirst'>The pier, built in 1887 · restored on August 1, 2024 · needs work again</p>"
    a = clean(page(f"<article><h1>Pier repairs approved</h1>{standfirst}{STORY}</article>"))
    assert a.date is None  # "restored on August 1, 2024" is part of a sentence, no dateline


@pytest.mark.parametrize("strip", ["<div class='topbar'>Tuesday, October 8, 2024</div>",
                                   "<p id='today'>Tuesday, October 8, 2024</p>",
                                   "<div class='weather-bar'><span class='weather'>54°F · October 8, 2024</span></div>"])
def test_the_days_date_atop_a_flat_page_dates_no_story(strip: str) -> None:
    """A page with no <header> around its top strip: the date of the day shown above the site's
    name is when the page was printed, not when the story was; no date is invented from it."""
    flat = f"<div id='wrap'>{strip}<div class='logo'>Harbour Herald</div><h1>Pier repairs approved</h1>{STORY}</div>"
    assert clean(page(flat)).date is None
    # A date shown alone above the headline, not as the page's top strip, is still the story's.
    dated = f"<div id='wrap'><div class='logo'>Harbour Herald</div><p class='date'>October 8, 2024</p>" \
            f"<h1>Pier repairs approved</h1>{STORY}</div>"
    assert clean(page(dated)).date == datetime.date(2024, 10, 8)


def test_an_old_table_page_with_the_sites_name_first_in_its_title() -> None:
    """"Site | Headline" in <title>, the headline an <h2>, a menu of links split by <br> in a
    cell above it: the headline is the <h2>, the menu no paragraph, the byline read."""
    menu = "<br>".join(f"<a href='/{w.lower()}'>{w}</a>" for w in ("Home", "News", "Sports", "Classifieds", "Contact"))
    a = clean(page(f"<table><tr><td class='nav'>{menu}</td><td class='main'><h2 class='headline'>Pier repairs"
                   f" approved after years of delay</h2><p class='byline'>By Jane Doe, Herald Staff Writer</p>{STORY}</td></tr></table>",
                   head="<title>Harbour Herald | Pier repairs approved after years of delay</title>"))
    assert a.title == "Pier repairs approved after years of delay"
    assert a.paragraphs == tuple(PROSE)
    assert a.author == "Jane Doe"
    # What follows a short first part is no headline unless longer than it: "Herald | News" is no cut.
    b = clean(page(f"<article><h1>Harbour Herald News Desk</h1>{STORY}</article>",
                   head="<title>Pier repairs approved by the board | Harbour Herald News Desk</title>"))
    assert b.title.startswith("Pier repairs approved by the board")  # not the h1 naming the site


def test_what_a_hunt_found_the_html_rules_took_from_articles_stays() -> None:
    """A short first line also shown above the headline, a repeat in plain paragraphs (a refrain,
    a witness's answer said twice), and a last line ending in a colon above no list."""
    score = "Harbour 2 Kingsbridge 1"
    a = clean(page(f"<main><div class='scoreboard'>{score}</div><article><h1>Pier repairs approved</h1>"
                   f"<div class='body'><p>{score}</p>{STORY}</div></article></main>"))
    assert a.paragraphs[0] == score
    refrain = "And the water will not let us rest, the fishermen sang on the quay."
    b = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}<p>They sang on: {refrain} Then the rain came.</p>"
                   f"<p>{refrain}</p></article>"))
    assert b.paragraphs[-1] == refrain
    cliffhanger = "Those four words, which would puzzle the harbour board for years, were these:"
    c = clean(page(f"<article><h1>Pier repairs approved</h1>{STORY}<p>{cliffhanger}</p></article>"
                   "<footer><p>Part two appears next week.</p></footer>"))
    assert c.paragraphs[-1] == cliffhanger


MORE_PROSE = [
    "The board's chairwoman said the town could not afford to lose the pier, which has stood since 1887.",
    "Divers will inspect the remaining pillars in January, when the water is clearest and the boats are ashore.",
    "A local boatyard has offered to store the new timber free of charge until the work can begin in spring.",
    "Some residents asked whether the pier could be rebuilt in concrete, which the engineers said would cost more.",
    "The board will publish the engineers' full report on its website before the meeting in March, it said.",
]


@pytest.mark.parametrize("wrapper", ["div class='article-body'><div class='teaser-content'",
                                     "div class='paywalled-content article-teaser-fade'><div"])
def test_the_storys_own_paragraphs_in_a_box_named_teaser_are_kept(wrapper: str) -> None:
    # A metered site shows its first paragraphs in a "teaser" box; a teaser card is a headline link.
    outer, inner = wrapper.split("><", 1)
    story = "".join(f"<p>{p}</p>" for p in PROSE)
    rest = "".join(f"<p>{p}</p>" for p in MORE_PROSE)
    cards = "<div class='teaser'><h3><a href='/b'>Ferry timetable changes for the winter</a></h3></div>"
    a = clean(page(f"<article><h1>Pier repairs approved</h1><{outer}><{inner}>{story}</div>{rest}</div>"
                   f"{cards}</article>"))
    assert a.paragraphs == (*PROSE, *MORE_PROSE)
