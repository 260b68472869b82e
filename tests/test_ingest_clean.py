"""clean_text_dump end to end: invented page layouts and the two seed dumps.

The fixture pages under tests/fixtures/ingest/ are invented sites, each with its own
layout; every test names sentences that must survive and boilerplate that must go.
"""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest

from generator.config import Topic
from generator.errors import DigestError
from generator.ingest import CleanedArticle, clean_text_dump, decode_raw, to_markdown
from generator.ingest.blocks import split_blocks
from generator.ingest.clean import summarize
from generator.ingest.rules import load_rules
from generator.taxonomy import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SEEDS = ROOT / "content" / "raw"

VOCABULARY = Vocabulary.from_topics((
    Topic("Crocus", ("Crocus City Hall",)),
    Topic("Putin", ("Vladimir Putin",)),
    Topic("Kremlin", ()),
    Topic("Moscow", ()),
    Topic("Fishing", ("fish", "herring", "fishing crews")),
    Topic("Harbours", ("harbour", "port", "pier")),
    Topic("Floods", ("flood defences", "flood barrier")),
))


def clean(text: str) -> CleanedArticle:
    return clean_text_dump(text, vocabulary=VOCABULARY, min_mentions=2, max_inferred=6)


def clean_file(path: Path) -> CleanedArticle:
    return clean(decode_raw(path.read_bytes(), path))


def assert_kept_and_dropped(article: CleanedArticle, keep: list[str], drop: list[str]) -> None:
    body = "\n".join(article.paragraphs)
    markdown = to_markdown(article, article_id="x").split("\n---\n", 1)[1]  # the body part
    for sentence in keep:
        assert sentence in article.paragraphs, f"lost: {sentence!r}"
    for snippet in drop:
        assert snippet not in body, f"kept boilerplate: {snippet!r}"
        assert snippet not in markdown, f"boilerplate in markdown: {snippet!r}"


# ---------------------------------------------------------------- invented layouts

def test_riverside_courier_blank_line_layout_with_tag_line() -> None:
    a = clean_file(FIXTURES / "riverside_courier.txt")
    assert a.title == "Council approves new flood barrier for the east bank"
    assert a.author == "Jane Doe and John Roe"
    assert a.date == datetime.date(2023, 5, 12)
    assert a.source == "The Riverside Courier"
    assert a.image_credit == "Photo: Marta Lind / Riverside Courier"
    assert a.image_caption is None
    # The tag line wins over inference; "Flood defences" is an alias of the topic "Floods".
    assert a.tags == ("Floods", "City council", "Mill Quarter")
    assert a.warnings == ()
    assert a.paragraphs[0].startswith("The city council voted on Thursday")
    assert a.paragraphs[-1].startswith("The mayor said the first section")
    assert_kept_and_dropped(a, keep=[
        "The vote was unanimous.",  # a one-sentence paragraph inside the body
        '"We have waited long enough, and our children deserve to sleep without listening to the rain,"'
        " said Ana Petrov, who chairs the Mill Quarter residents' association.",
        # paragraphs after the inline teaser are still the article
        "Engineers from the regional water authority will begin surveying the riverbank in the autumn,"
        " and construction is due to start the following spring.",
    ], drop=[
        "Read also", "Five things to know", "Support The Riverside Courier", "Share on Facebook",
        "Topics:", "Dear reader", "We believe that local news", "Monthly", "Contribute today",
        "morning newsletter", "Enter your email", "Bus fares to rise", "2 min read", "All rights reserved",
        "Cookie policy", "Skip to main content",
    ])


def test_harbor_valley_gazette_no_tag_line_caption_and_ad_slot() -> None:
    a = clean_file(FIXTURES / "harbor_valley_gazette.txt")
    assert a.title == "Fishing crews report best herring season in twenty years"
    assert a.author == "Priya Raman"
    assert a.date == datetime.date(2024, 6, 3)
    assert a.source == "Harbor Valley Gazette"
    assert a.image_caption == "Crew members unload crates of herring at the north pier on Monday."
    assert a.image_credit == "Tomás Ferreira / Gazette Photo Desk"
    assert a.tags[:2] == ("Fishing", "Harbours")  # inferred: the page lists no tags
    assert len(a.paragraphs) == 6
    assert_kept_and_dropped(a, keep=[
        "The port authority will publish its full report on the herring season in September.",
    ], drop=[
        "cookies", "Advertisement", "Leave a comment", "Comments are moderated", "Ferry timetable",
        "Harbour festival returns", "Tomás Ferreira", "Author: Priya Raman",
    ])


def test_northfield_ledger_dense_layout_with_scraper_header_and_tag_heading() -> None:
    a = clean_file(FIXTURES / "northfield_ledger.txt")
    assert a.title == "Northfield school to reopen after emergency roof repairs"
    assert a.date == datetime.date(2022, 11, 5)
    assert a.author == "Samuel Okafor"
    assert a.source == "The Northfield Ledger"
    assert a.source_url == "https://northfield-ledger.example/news/school-roof-repairs"
    assert a.image_caption == ("FILE - Workers inspect the damaged roof of Northfield Primary School"
                               " after the October storm.")
    assert a.image_credit == "Photo by Lena Ortiz"
    assert a.tags == ("Education", "Northfield Primary School", "Storm damage")
    assert_kept_and_dropped(a, keep=[
        # reader-addressed words inside quotation marks are the source speaking
        '"We told the children we would be back before the first frost, and we kept that promise,"'
        ' she said. "You should have seen their faces when we told them."',
        # the article goes on after a newsletter box in its middle
        "Inspectors will return in the spring to check the new roof once the winter weather has tested it.",
    ], drop=["newsletter", "4 min read", "Share this article", "More from", "Town hall to get solar",
             "Subscribe now", "url https"])


def test_lakeside_bulletin_undated_page_without_byline() -> None:
    a = clean_file(FIXTURES / "lakeside_bulletin.txt")
    assert a.title == "Volunteers restore historic boathouse on the north shore"
    assert a.date is None
    assert a.author is None
    assert a.source == "Lakeside Daily Bulletin"
    assert "no date stated; left undated" in a.warnings
    assert len(a.paragraphs) == 5
    assert_kept_and_dropped(a, keep=[
        "The town has agreed to pay for insurance and electricity, and the boathouse will open as"
        " a small museum and café next month.",
    ], drop=["Ice fishing contest", "Most read", "Advertisement", "A Message from", "Dear friends",
             "You rely on us", "Not ready to support", "Remind me later", "Comments (12)"])


def test_pinecone_notes_blog_with_byline_below_and_a_comment_thread() -> None:
    a = clean_file(FIXTURES / "pinecone_notes.txt")
    assert a.title == "Why the old mill pond froze twice this winter"
    # The blog signs off below the body; a comment's time stamp is not the article's date.
    assert a.author == "Mara Quill"
    assert a.date == datetime.date(2023, 2, 14)
    assert a.source == "Pinecone Notes"
    assert a.tags == ("Weather", "Mill pond", "Winter")
    assert len(a.paragraphs) == 4
    assert a.paragraphs[-1].startswith("They think the shallow end")
    # One comment outweighs the whole article, yet the article above the thread wins.
    assert_kept_and_dropped(a, keep=[
        "Nobody in the village could remember the pond freezing twice in one winter, so I asked the people"
        " who keep the records.",
    ], drop=["Posted by", "Tags:", "Share this", "thoughts on", "says:", "I walked past the pond",
             "council promised to dredge", "Lovely post", "Reply", "Your email address", "Most read",
             "The last ferry", "Small stories from the high valley", "Proudly powered"])


def test_meridian_wire_dateline_lede_and_subheadings() -> None:
    a = clean_file(FIXTURES / "meridian_wire.txt")
    assert a.title == "Ferry strike leaves thousands stranded on Norland's outer islands"
    assert a.author == "SAMIRA OKONJO and PETER VANCE"
    assert a.date == datetime.date(2021, 3, 3)
    assert a.source == "Meridian Press"
    assert a.paragraphs[0].startswith("HALVERSTAD, Norland (Meridian) — Thousands of people")
    assert a.summary == a.paragraphs[0]
    assert a.paragraphs[-1] == "Both sides are due to meet a mediator in the capital on Thursday."
    assert_kept_and_dropped(a, keep=[
        # subheadings between paragraphs, one in title case
        "Talks Break Down After Midnight",
        "What comes next",
        '"We have flour for a week and medicine for perhaps two," said Ingrid Solheim, who runs the only'
        ' shop on the island of Brennvik. "After that, we will have to find a fishing boat."',
    ], drop=["Skip to content", "Advertisement", "By SAMIRA", "March 3, 2021", "___", "contributed to this report",
             "Copyright 2021", "Most read", "Storm warning", "Fishing quotas", "New bridge"])


def test_fjord_and_field_magazine_with_teaser_box_and_labelled_captions() -> None:
    a = clean_file(FIXTURES / "fjord_and_field.txt")
    assert a.title == "Seaweed farmers turn an old herring station into a kelp nursery"
    assert a.author == "Ana Lind"
    assert a.date == datetime.date(2022, 9, 9)
    assert a.source == "Fjord & Field Media"  # the company suffix "AS" dropped
    assert a.image_caption == ("Kelp ropes hang in the old salting hall, which the cooperative has fitted"
                               " with tanks and cold lights.")
    assert a.image_credit == "Credit: Erik Sand / Fjord & Field"
    assert a.tags == ("Seaweed", "Farming", "Varnes")
    assert len(a.paragraphs) == 6
    assert_kept_and_dropped(a, keep=[
        # the article goes on below the "Trending now" box set into it
        "The regional development fund has paid for a second hall, which should double the number of"
        " seedlings the cooperative can grow from next year.",
        "By spring the ropes carry kelp as long as a man is tall, and the families harvest it by hand from"
        " small open boats.",
    ], drop=["cookie", "Switch to the Nordic edition", "Contribute Subscribe", "A cooperative of six families",
             "Words by", "Trending now", "Ten quiet islands", "cooking oil", "cloudberries",
             # a long caption inside the body, marked by its labelled credit
             "Seedling ropes soak", "Credit:", "Tags:", "Most read", "reindeer", "Funded by our readers", "©"])


def test_every_block_is_kept_or_dropped_with_a_reason() -> None:
    text = (FIXTURES / "riverside_courier.txt").read_text(encoding="utf-8")
    a = clean(text)
    header, blocks = split_blocks(text, load_rules())
    assert len(a.paragraphs) + len(a.dropped) == len(blocks) + len(header.lines)
    reasons = dict(a.dropped)
    assert reasons["By Jane Doe and John Roe"] == "byline"
    assert reasons["Council approves new flood barrier for the east bank"] == "title"
    assert reasons["Read also: Five things to know about the river's record levels"] == (
        "boilerplate: inline_teaser")
    assert all(reason for _, reason in a.dropped)


def test_pull_quote_repeating_the_body_is_dropped() -> None:
    paragraph = ("Engineers told the board that two of the wooden pillars have rotted and must be replaced"
                 " before winter. The board said it would look for the money in its reserves.")
    quote = "“Two of the wooden pillars have rotted and must be replaced before winter”"
    a = clean("\n".join([
        "Home", "Harbour board backs pier repairs", "By Jane Doe",
        "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.",
        quote, paragraph,
        "The repairs are expected to cost about half a million euros, which the board hopes to share.",
    ]))
    assert quote not in a.paragraphs and paragraph in a.paragraphs and len(a.paragraphs) == 3
    assert (quote, "pull quote: repeats the body") in a.dropped


@pytest.mark.parametrize(("block", "pulled"), [
    ("“Nobody asked us where the pillars are.”", True),  # short, but in quotation marks
    ("Nobody asked us where the pillars are.", False),  # short and unquoted: a repeat by chance
    ("“Nobody asked us where the pill”", False),  # not the body's words ("pill" of "pillars")
])
def test_a_short_pull_quote_in_quotation_marks_is_dropped(block: str, pulled: bool) -> None:
    said = ('"Nobody asked us where the pillars are," the harbour master said on the pier on Tuesday. "They drew'
            ' lines on a map."')
    a = clean("\n".join(["Home", "Harbour board backs pier repairs", "By Jane Doe", GULLS_STORY[3], said, block,
                         *GULLS_STORY[4:]]))
    assert (block in a.paragraphs) is not pulled


GULLS_STORY = [
    "Gulls blamed for stolen chips on the promenade", "By Tomas Quill", "Published June 4, 2024",
    "The town's seagulls stole more than four hundred portions of chips from visitors on the promenade last"
    " summer, the tourist office said on Monday.",
    "The office has counted complaints since the kiosk opened, and the numbers have risen every year as the"
    " birds grow bolder and the crowds grow larger.",
    "Traders say they have tried nets, spikes and recorded hawk calls, but none of them kept the birds away for"
    " more than a week at a time.",
]


@pytest.mark.parametrize("published", ["Published by Harbour Herald on Nov. 2, 2025.",
                                       "Published in The Harbour Herald on Nov. 2, 2025."])
def test_a_published_line_naming_the_paper_dates_an_undated_story(published: str) -> None:
    a = clean("\n".join([GULLS_STORY[0], *GULLS_STORY[3:], published, "Sign the Guest Book"]))
    assert a.date == datetime.date(2025, 11, 2)


@pytest.mark.parametrize("published", ["First published 2 November 2025", "Originally published: Nov. 2, 2025, 9:00 a.m."])
def test_a_first_published_line_below_the_story_dates_it_and_goes(published: str) -> None:
    a = clean("\n".join([GULLS_STORY[0], *GULLS_STORY[3:], published, "Share on Facebook"]))
    assert a.date == datetime.date(2025, 11, 2)
    assert a.paragraphs == tuple(GULLS_STORY[3:])


@pytest.mark.parametrize("paragraph", [
    "[Editor's note: an earlier version of this story gave the wrong number of complaints for last summer.]",
    "Rosa Fenwick was a reporter at the weekly paper for ten years before she opened the kiosk on the pier.",
    'Asked whether the birds would ever give up, the kiosk owner shrugged and said only: "Maybe next year..."',
    "By noon the queue for the kiosk stretched from the pier to the bus station and beyond...",
    "If you run a stall on the promenade and need help with your bins, you can call the council's free hotline.",
    '"Please support the stallholders on the promenade today," the mayor told the meeting, asking visitors to'
    ' eat indoors.',
])
def test_a_body_paragraph_shaped_like_boilerplate_is_kept(paragraph: str) -> None:
    a = clean("\n".join(GULLS_STORY[:5] + [paragraph] + GULLS_STORY[5:]))
    assert a.paragraphs == (*GULLS_STORY[3:5], paragraph, *GULLS_STORY[5:])


RIGHTS_NOTICE = "© 2024 Harbour Wire. All rights reserved. This story may not be republished without permission."


def test_a_copyright_line_right_below_the_body_is_the_articles_own() -> None:
    a = clean("\n".join(GULLS_STORY + [RIGHTS_NOTICE, "Share", "Comments"]))
    assert a.paragraphs == (*GULLS_STORY[3:], RIGHTS_NOTICE)


@pytest.mark.parametrize("below", [
    ["Share", RIGHTS_NOTICE],  # below the share bar: the site's footer
    ["© 2024 Harbour Wire Media | Privacy | Terms of Use"],  # names the site's pages
    ["Copyright"],  # no rights notice: a menu item
    ["© 2024 Harbour Wire"],  # the site's mark: it asserts no rights
    ["Copyright 2024 Harbour Courier. All rights reserved. No part of this site may be reproduced."],
])
def test_a_site_footers_copyright_line_is_dropped(below: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY + below))
    assert a.paragraphs == tuple(GULLS_STORY[3:])


def test_a_comment_below_an_undated_story_signs_nothing() -> None:
    """Below a comments heading, "Posted by ... on ..." signs a reader's comment: the story,
    which names no author or date of its own, gets none from it."""
    story = [GULLS_STORY[0], *GULLS_STORY[3:]]
    comments = ["2 Comments", "Posted by Gary Lund on April 14, 2024", "Great work, I lost my chips there too.",
                "Posted by Tina M. on April 15, 2024", "Thanks for the warning!", "Leave a comment"]
    a = clean("\n".join(story + comments))
    assert (a.author, a.date) == (None, None)
    assert a.paragraphs == tuple(GULLS_STORY[3:])
    # A blog's own sign-off, above the comments, still names and dates the post.
    signed = clean("\n".join(story + ["Posted by Tomas Quill on June 4, 2024"] + comments))
    assert (signed.author, signed.date) == ("Tomas Quill", datetime.date(2024, 6, 4))


def test_a_date_under_the_headline_beats_the_mastheads_above_it() -> None:
    masthead = ["Harbour Wire", "Tuesday, November 14, 2023", "News", "Sport"]
    lines = masthead + [GULLS_STORY[0], GULLS_STORY[1], "Nov 10, 2023", *GULLS_STORY[3:]]
    assert clean("\n".join(lines)).date == datetime.date(2023, 11, 10)
    # Alone, a date line above the headline still dates the story, as before.
    alone = masthead + [GULLS_STORY[0], GULLS_STORY[1], *GULLS_STORY[3:]]
    assert clean("\n".join(alone)).date == datetime.date(2023, 11, 14)


def test_the_publisher_of_a_copyright_line_with_the_sign_and_the_word() -> None:
    a = clean("\n".join(GULLS_STORY + ["Share", "Copyright © 2024 Harbour Wire. All rights reserved."]))
    assert a.source == "Harbour Wire"


REFERENCE = ("More information: K. Moss et al. Seagulls on the promenade: how birds take food from visitors,"
             " Journal of Coastal Birds (2024). DOI: 10.5555/jcb.2024.0117")
PROVIDED = "Provided by University of Harbourtown"
CITATION = "Citation: Gulls blamed for stolen chips on the promenade (2024, June 4) retrieved 5 June 2024"


def test_the_paper_a_story_reports_on_is_kept_below_a_teaser_box() -> None:
    a = clean("\n".join(GULLS_STORY + ["Explore further", "Gulls learn to open the new bins", REFERENCE, PROVIDED,
                                        CITATION, "Share"]))
    assert a.paragraphs == (*GULLS_STORY[3:], REFERENCE, PROVIDED)



def test_the_papers_label_may_stand_alone_and_the_journal_come_before_who_provided_it() -> None:
    cited = REFERENCE.removeprefix("More information: ")
    journal = "Journal information: Journal of Coastal Birds"
    a = clean("\n".join(GULLS_STORY + ["Explore further", "More information:", cited, journal, PROVIDED]))
    assert a.paragraphs == (*GULLS_STORY[3:], "More information:", cited, journal, PROVIDED)


@pytest.mark.parametrize("below", [
    ["Explore further", "More information: call the tourist office on 555-0100 or visit its kiosk."],  # no paper
    ["Explore further", "Gulls learn to open the new bins", "Share", "Facebook", "Twitter", "Email", "Print",
     REFERENCE],  # too far below: another story's
    ["Explore further", "Study: River otters and boat traffic, A. Lund et al., DOI: 10.5555/otters.2024.3"],  # unrelated
])
def test_other_more_information_lines_are_not_kept(below: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY + below))
    assert a.paragraphs == tuple(GULLS_STORY[3:])


def test_the_rest_of_a_paragraph_the_page_broke_is_kept() -> None:
    head = "Traders say they have tried nets, spikes and recorded hawk calls, but none of them"
    rest = "kept the birds away."
    more = ("The council will discuss the problem at its next meeting, and the tourist office hopes for a ban on"
            " feeding the birds on the promenade before the summer.")
    a = clean("\n".join(GULLS_STORY[:5] + [head, rest, "Advertisement", more]))
    assert a.paragraphs == (*GULLS_STORY[3:5], head, rest, more)
    b = clean("\n".join(GULLS_STORY[:5] + [f"{head} {rest}", "kept the birds away", "Advertisement", more]))
    assert b.paragraphs == (*GULLS_STORY[3:5], f"{head} {rest}", more)  # below a sentence's end: not its rest



@pytest.mark.parametrize("furniture", ["photo: harbour herald archive", "img_2041.jpg", "more gull coverage",
                                       "jdoe123 says the council should have done this years ago"])
def test_lower_case_furniture_below_a_line_with_no_sentence_end_is_no_rest_of_it(furniture: str) -> None:
    head = "Traders say they have tried nets, spikes and recorded hawk calls against the birds 🐦"
    more = ("The council will discuss the problem at its next meeting, and the tourist office hopes for a ban on"
            " feeding the birds on the promenade before the summer.")
    a = clean("\n".join(GULLS_STORY[:5] + [head, furniture, "Advertisement", more]))
    assert furniture not in a.paragraphs


def test_a_brief_sentence_between_interleaved_teaser_headlines_is_kept() -> None:
    more = ("The council will discuss the problem at its next meeting, and the tourist office hopes for a ban on"
            " feeding the birds on the promenade before the summer.")
    a = clean("\n".join(GULLS_STORY + ["Ferry Fares To Rise By Ten Percent From April", "The birds won.",
                                        "Updated Harbour Board Approves North Pier Repairs", more]))
    assert a.paragraphs == (*GULLS_STORY[3:], "The birds won.", more)



def test_a_brief_sentence_by_a_pictures_credit_is_its_caption() -> None:
    more = ("The council will discuss the problem at its next meeting, and the tourist office hopes for a ban on"
            " feeding the birds on the promenade before the summer.")
    a = clean("\n".join(GULLS_STORY + ["Image 1 of 3", "Gulls on watch.", "Photo: Tom Baker / Herald",
                                        more]))
    assert a.paragraphs == (*GULLS_STORY[3:], more)
LIFEBOAT_STORY = [
    "Lifeboat crews say callouts for people in distress doubled", "By Tomas Quill", "Published June 4, 2024",
    "Volunteer lifeboat crews on the estuary were called out to people in distress on the water twice as often"
    " this winter as last, the station's managers said on Monday.",
    "Crew members said many of the calls came late at night, and several of the people they reached had told"
    " nobody where they were going or when they would be back.",
    "The station has asked the council to fund a second inshore boat and to light the footpath along the"
    " sea wall, where many of the callouts began.",
]
FURNITURE = ["Share on Facebook", "Most read", "Ferry fares to rise in the spring"]


@pytest.mark.parametrize("line", [
    "If you need support, call the Samaritans on 116 123.",
    "If you or someone you know is struggling, help and support is available from the Samaritans on 116 123.",
    "If you have been affected by any of the issues raised in this story, you can call the Samaritans free,"
    " day or night, on 116 123.",
    "Help and support is available for you, day and night, from the Samaritans on 116 123.",
    "Anyone with information should call the coastguard on 999.",
])
@pytest.mark.parametrize("where", ["middle", "end"])
def test_a_help_line_to_the_reader_is_article_text(line: str, where: str) -> None:
    body = LIFEBOAT_STORY[3:]
    lines = body[:2] + [line] + body[2:] if where == "middle" else body + [line]
    a = clean("\n".join(LIFEBOAT_STORY[:3] + lines + FURNITURE))
    assert a.paragraphs == tuple(lines)


@pytest.mark.parametrize("appeal", [
    "If you value our reporting on the estuary, please support us today.",
    "If you can, support our lifeboat coverage: become a member for the price of a coffee a month.",
    "We rely on readers like you to keep reporting on the estuary. Support us today.",
    # The site's own service and tip lines speak as the site, not as the story.
    "If you have information about this story or any other, contact our newsroom at tips@herald.example.",
    "If you need help with your subscription or your account, call our customer service team on 0800 555 0100.",
    "Support is available for subscribers around the clock through our help centre and the app.",
])
def test_an_appeal_below_a_story_is_still_dropped(appeal: str) -> None:
    a = clean("\n".join(LIFEBOAT_STORY + [appeal] + FURNITURE))
    assert a.paragraphs == tuple(LIFEBOAT_STORY[3:])


FACT_CHECK = [
    "Did the new pier cost twice what the council planned?", "By Tomas Quill", "Published June 4, 2024",
    "A councillor said in a leaflet last month that the new pier had cost the town twice what the council"
    " planned to spend on it when the works were approved.",
    "The council's accounts show the works were budgeted at 4.1 million euros and cost 7.6 million, most of"
    " the overrun coming from the piles driven in the second winter.",
    "That is an overrun of about 85 percent, close to but short of the doubling the leaflet described, and the"
    " council says part of it will be paid back by the contractor.",
]


@pytest.mark.parametrize("verdict", [
    "We rate the statement Mostly True.",
    "We rate this claim False.",
    "So we rate the councillor's claim Half True.",
])
@pytest.mark.parametrize("sign_off", [
    [],
    ["We rely on readers like you.", "Please support our fact-checking today."],
    ["If you value our fact checks, please support us today."],
])
def test_a_fact_checks_verdict_closes_the_article(verdict: str, sign_off: list[str]) -> None:
    a = clean("\n".join(FACT_CHECK + [verdict] + sign_off + FURNITURE))
    assert a.paragraphs == (*FACT_CHECK[3:], verdict)


GERMAN_STORY = [
    "Die Stadt will den neuen Radweg entlang des Flussufers noch vor den Sommerferien fertigstellen, wie der"
    " Baudezernent am Montag im Ausschuss sagte.",
    "Nach seinen Angaben sind die Arbeiten auf dem nördlichen Abschnitt zwischen der Brücke und dem Hafen"
    " bereits zu zwei Dritteln abgeschlossen.",
    "Auf dem südlichen Abschnitt hatte es dagegen Verzögerungen gegeben, weil bei den Grabungen alte Leitungen"
    " gefunden wurden, die nicht in den Plänen verzeichnet waren.",
    "Anwohner hatten sich in den vergangenen Wochen über den Lärm und die gesperrten Parkplätze beschwert.",
    "Der Baudezernent sagte, man werde die Parkplätze so schnell wie möglich wieder freigeben.",
]


def test_a_page_in_another_language_takes_its_stopwords_from_itself() -> None:
    # The stopword list is English: German prose has almost none of its words.
    a = clean("\n".join([
        "Menü", "Nachrichten", "Region", "Sport", "Abo",
        "Stadt will Radweg am Ufer bis zum Sommer fertigstellen", "Von Lukas Hofmann",
        "Veröffentlicht am 12. März 2024",
        *GERMAN_STORY,
        "Das könnte Sie auch interessieren", "Neue Buslinie fährt ab April zum Klinikum",
        "Marktplatz wird im Sommer umgebaut", "Unterstützen Sie unabhängigen Journalismus!",
        "Schreiben Sie einen Kommentar", "Teilen", "Datenschutzerklärung", "Impressum",
    ]))
    assert a.title == "Stadt will Radweg am Ufer bis zum Sommer fertigstellen"
    assert a.paragraphs == tuple(GERMAN_STORY)
    assert a.image_caption is None and a.image_credit is None


def test_an_english_list_of_names_is_not_taken_for_another_language() -> None:
    # Few English stopwords on its long lines, but the words they share are names and titles.
    rows = [f"{name}, Councillor, Harbourside Borough Council, Millbrook Quarter Ward (MBE) - Community Service,"
            f" Harbourside" for name in ("Ana Lind", "Tomas Quill", "Rosa Fenwick", "Priya Raman", "Ola Berg",
                                          "Karl Weiss", "Jane Doe", "Maria Keller", "Lukas Hofmann", "Ines Moss",
                                          "Tom Baker", "Lena Roe", "Finn Quist", "Ada Holm", "Eli Strand")]
    lede = ("Ten people from the borough were named in the honours list on Friday, most of them for their work"
            " with the harbour trust and the lifeboat crews over the past decade.")
    text = "\n".join(["Home", "News", "Borough names in the honours list", "By Tomas Quill", lede, *rows])
    from generator.ingest.features import page_rules
    rules = load_rules()
    assert page_rules(split_blocks(text, rules)[1], rules) is rules
    assert lede in clean(text).paragraphs


def test_an_english_page_keeps_the_english_stopwords() -> None:
    from generator.ingest.features import page_rules
    rules = load_rules()
    _, blocks = split_blocks("\n".join(GULLS_STORY), rules)
    assert page_rules(blocks, rules) is rules
    _, blocks = split_blocks("\n".join(GERMAN_STORY), rules)
    assert {"die", "der", "den"} <= page_rules(blocks, rules).stopwords


def test_body_dates_are_never_used() -> None:
    text = "\n".join([
        "Home", "News", "Harbour board backs pier repairs",
        "The harbour board met on March 3, 2021 to discuss the state of the old north pier and its repairs.",
        "Engineers told the board last week that two of the wooden pillars must be replaced before winter.",
        "The repairs are expected to cost about half a million euros, which the board hopes to share.",
    ])
    a = clean(text)
    assert a.date is None
    assert a.warnings[0] == "no date stated; left undated"


def test_a_sentence_starting_with_a_date_word_is_body_not_dateline() -> None:
    sentence = "Released on March 3, 2021, the engineers' report warned that the old wall would fail within a decade."
    a = clean("\n".join([
        "Council approves new harbour wall after long debate", "By Jane Harbourmaster",
        "The town council approved the new harbour wall on Tuesday evening, ending a debate that has gone on for"
        " most of the past three years.", sentence,
        "The mayor said the wall would protect the homes on the front for the next fifty years and that the town"
        " owed it to them.",
    ]))
    assert a.date is None
    assert a.paragraphs[:2] == ("The town council approved the new harbour wall on Tuesday evening, ending a debate"
                                " that has gone on for most of the past three years.", sentence)


def test_the_published_line_beats_a_masthead_date() -> None:
    a = clean("\n".join([
        "Thursday, May 9, 2024", "Home", "News", "Council approves new harbour wall after long debate",
        "By Jane Harbourmaster", "Published May 2, 2024",
        "The town council approved the new harbour wall on Tuesday evening, ending a debate that has gone on for"
        " most of the past three years.",
        "The mayor said the wall would protect the homes on the front for the next fifty years and that the town"
        " owed it to them.",
    ]))
    assert a.date == datetime.date(2024, 5, 2)


@pytest.mark.parametrize("width", [72, 80])
@pytest.mark.parametrize("name", ["riverside_courier.txt", "harbor_valley_gazette.txt", "northfield_ledger.txt",
                                  "lakeside_bulletin.txt", "pinecone_notes.txt", "meridian_wire.txt"])
def test_a_dump_wrapped_at_a_fixed_width_cleans_like_the_unwrapped_one(name: str, width: int) -> None:
    # As w3m -dump (80 columns) or a browser's "save as text" writes a page.
    text = (FIXTURES / name).read_text(encoding="utf-8")
    wrapped = "\n".join(part for line in text.split("\n")
                        for part in textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""])
    assert max(map(len, wrapped.split("\n"))) <= width < max(map(len, text.split("\n")))
    a, b = clean(text), clean(wrapped)
    assert (b.title, b.date, b.author, b.tags, b.paragraphs) == (a.title, a.date, a.author, a.tags, a.paragraphs)


def test_no_article_body_is_an_error_without_a_path() -> None:
    with pytest.raises(DigestError) as info:
        clean("Home\nNews\nSport\nShare on Facebook\n© 2024 Example News\n")
    problem = info.value.problems[0]
    assert problem.message == "no article body found"
    assert problem.path is None


def test_summary_is_the_lede_or_cut_at_a_sentence_end() -> None:
    short = "The council voted on Thursday to build a barrier."
    assert summarize(short, 300) == short
    long = " ".join(f"Sentence number {i} of the lede says something about the flood barrier." for i in range(12))
    cut = summarize(long, 300)
    assert cut.endswith(".") and long.startswith(cut)
    assert 200 <= len(cut) <= 400


def test_a_lede_with_no_sentence_end_near_the_target_is_cut_at_a_word() -> None:
    run_on = "The gulls took chips, " + "and then they took more chips from the kiosk, " * 30 + "and the day ended"
    cut = summarize(run_on, 300)
    kept = cut.removesuffix("…")
    assert cut.endswith("…") and run_on.startswith(kept) and 250 <= len(kept) <= 300
    assert kept[-1].isalpha() and run_on[len(kept)] in " ,"  # a whole word, no dangling comma
    # A first sentence end far past the target is no place to cut either.
    late = run_on + ". The kiosk closed at nine."
    assert summarize(late, 300) == cut


def test_the_lede_is_the_first_paragraph_of_a_sentences_length() -> None:
    from generator.ingest.clean import lede

    first = "The council approved the new bridge on Tuesday."
    rules = load_rules()
    assert lede(["Key points", "10 p.m.", first, "More text follows here in a while."], rules) == first
    assert lede(["What happens next", "Analysis"], rules) == "What happens next"  # none is: the first
    facts = ["When: Saturday, Nov. 15, 2025, 9 a.m. to 3 p.m.", "Where: Hilltown Grange Hall, 44 Ridge Road"]
    assert lede([*facts, first], rules) == first


def test_an_events_facts_box_by_the_body_is_kept() -> None:
    facts = ["When: Saturday, Nov. 15, 2025, 9 a.m. to 3 p.m.", "Where: Harbour Grange Hall, 44 Ridge Road"]
    story = [GULLS_STORY[0], GULLS_STORY[1], *facts, *GULLS_STORY[3:]]
    a = clean("\n".join(["Harbour Wire", "Events", *story, "Share", "Facebook"]))
    assert a.paragraphs == (*facts, *GULLS_STORY[3:])
    assert a.summary == GULLS_STORY[3] and a.date is None
    a = clean("\n".join(["Harbour Wire", "Events", *story[:2], *GULLS_STORY[3:], "If you go", *facts, "Share"]))
    assert a.paragraphs == (*GULLS_STORY[3:], "If you go", *facts)  # under its heading, kept whole
    a = clean("\n".join(["Harbour Wire", "Events", *story[:2], *GULLS_STORY[3:], *facts, "Share"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *facts)
    # Ending like a caption and its credit ("... 4 p.m. Saturday and Sunday"), a fact is still one.
    weekend = ["When: 10 a.m. to 4 p.m. Saturday and Sunday", facts[1]]
    a = clean("\n".join(["Harbour Wire", "Events", *story[:2], *weekend, *GULLS_STORY[3:], "Share"]))
    assert a.paragraphs == (*weekend, *GULLS_STORY[3:]) and a.image_caption is None
    # A jobs widget's labelled lines say neither when nor where: no facts box.
    widget = ["Location: Harbour, anywhere", "Contact: careers@harbourwire.example"]
    a = clean("\n".join(["Harbour Wire", "Events", *story[:2], "Jobs near you", *widget, *GULLS_STORY[3:], "Share"]))
    assert a.paragraphs == tuple(GULLS_STORY[3:])


def test_a_recipes_facts_box_between_its_paragraphs_is_kept() -> None:
    facts = ["Prep time: 20 min", "Cook time: 55 min", "Serves: 8"]
    story = [*GULLS_STORY[:4], *facts, *GULLS_STORY[4:]]
    a = clean("\n".join(["Harbour Wire", "Recipes", *story, "Print this recipe", "Share", "Facebook"]))
    assert a.paragraphs == (GULLS_STORY[3], *facts, *GULLS_STORY[4:])
    assert a.summary == GULLS_STORY[3]


@pytest.mark.parametrize("above", [[], ["Source: Harbour University"]])
def test_a_labelled_summary_above_the_lede_is_the_articles_summary(above: list[str]) -> None:
    stated = "Summary: Seagulls took more chips than ever on the promenade, and traders have run out of ideas."
    a = clean("\n".join(["Harbour Wire", *GULLS_STORY[:3], *above, stated, *GULLS_STORY[3:], "Share"]))
    assert a.summary == stated.removeprefix("Summary: ")
    assert a.paragraphs == tuple(GULLS_STORY[3:]) and a.image_credit is None


def test_a_press_release_is_titled_by_its_headline_and_credited_to_its_company() -> None:
    lede = ("HARBOUR CITY, Oct. 21, 2025 /PRNewswire/ -- Gull Analytics, a maker of software for seaside"
            " kiosks, today announced it has raised $40 million in new funding for its counting service.")
    a = clean("\n".join(["News provided by", "Gull Analytics", "21 Oct, 2025, 08:00 ET",
                         "Gull Analytics raises $40 million to count stolen chips", lede, *GULLS_STORY[4:]]))
    assert a.title == "Gull Analytics raises $40 million to count stolen chips"
    assert a.author == "Gull Analytics" and a.date == datetime.date(2025, 10, 21)
    assert a.paragraphs == (lede, *GULLS_STORY[4:])


@pytest.mark.parametrize("opening", ['"We will rebuild."', "“We will rebuild.”"])
def test_a_story_opening_on_a_one_line_quote_keeps_it(opening: str) -> None:
    a = clean("\n".join(["Harbour Wire", *GULLS_STORY[:3], opening, *GULLS_STORY[3:], "Share", "Facebook"]))
    assert a.paragraphs == (opening, *GULLS_STORY[3:])
    assert a.title == GULLS_STORY[0] and a.summary == GULLS_STORY[3]


# ---------------------------------------------------------------- the seed dumps

SEED_BOILERPLATE = [
    "Support The Moscow Times", "Contribute today", "we have a small favor to ask", "Dear readers",
    "A Message from", "Sign up for our free weekly newsletter", "Once\n", "Monthly", "Annual",
    "Continue", "paiment methods", "Not ready to support today?", "Remind me later.", "Read more",
    "Min read", "What Was Putin Doing", "foreign agent", "Your support, no matter how small",
]


def test_seed_000() -> None:
    a = clean_file(SEEDS / "000_96ce0511ea1d7d20.txt")
    assert a.title == "Kremlin Says Putin Pained by Moscow Attack, Even if Not Visible"
    assert a.date == datetime.date(2024, 3, 30)
    assert a.author == "AFP"
    assert a.source == "The Moscow Times"
    assert a.image_credit == "Kremlin.ru"
    assert a.image_caption is None
    assert a.tags == ("Crocus", "Putin", "Moscow")
    assert a.paragraphs[0].startswith("The Kremlin said Saturday that President Vladimir Putin")
    assert a.paragraphs[-1].endswith("without providing any evidence.")
    assert len(a.paragraphs) == 9
    assert a.summary == a.paragraphs[0]
    markdown = to_markdown(a, article_id="000")
    for snippet in SEED_BOILERPLATE:
        assert snippet not in markdown, snippet


def test_seed_002() -> None:
    a = clean_file(SEEDS / "002_91a146bef565f706.txt")
    assert a.title == "No Plans for Putin to Meet With Concert Attack Survivors, Kremlin Says"
    assert a.date is None
    assert "no date stated; left undated" in a.warnings
    assert a.source == "The Moscow Times"
    assert a.image_caption == "People near Crocus City Hall after the Friday's deadly attack."
    assert a.image_credit == "Sergei Vedyashkin / Moskva News Agency"
    assert {"Crocus", "Putin", "Kremlin"} <= set(a.tags)
    assert a.paragraphs[0].startswith("The Kremlin gave no indication on Thursday")
    assert a.paragraphs[-1].endswith("360 others wounded.")
    assert len(a.paragraphs) == 8
    markdown = to_markdown(a, article_id="002")
    for snippet in SEED_BOILERPLATE + ["Subscribers agree", "undesirable", "Preview"]:
        assert snippet not in markdown, snippet
    assert "Sergei Vedyashkin" not in "\n".join(a.paragraphs)


def test_seed_with_bom_and_crlf_cleans_the_same() -> None:
    path = SEEDS / "000_96ce0511ea1d7d20.txt"
    data = path.read_bytes()
    dirty = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    assert clean(decode_raw(dirty, path)) == clean(decode_raw(data, path))


def test_rules_are_data_a_new_pattern_needs_no_code() -> None:
    from importlib import resources

    import yaml

    from generator.ingest.rules import rules_from_mapping

    page = (FIXTURES / "riverside_courier.txt").read_text(encoding="utf-8")
    assert "The vote was unanimous." in clean(page).paragraphs
    data = yaml.safe_load(resources.files("generator.ingest").joinpath("rules.yaml").read_text("utf-8"))
    data["boilerplate"]["house_style"] = ["^The vote was unanimous\\.$"]
    custom = rules_from_mapping(data)
    a = clean_text_dump(page, vocabulary=VOCABULARY, min_mentions=2, max_inferred=6, rules=custom)
    assert "The vote was unanimous." not in a.paragraphs
    assert ("The vote was unanimous.", "boilerplate: house_style") in a.dropped



# Place names alone read like a menu's items.
GULL_MEASURES = ["The council will put covered bins at three places this summer:", "• North Beach",
                 "• Harbour Road", "3) Old Pier"]
MORE_GULLS = ("The tourist office said it would count the complaints again in September and report to the council"
              " before the next season.")


def test_a_list_the_story_introduces_is_kept() -> None:
    a = clean("\n".join(GULLS_STORY + GULL_MEASURES + [MORE_GULLS, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *GULL_MEASURES, MORE_GULLS)


GULL_SECTIONS = ["Measures", *GULL_MEASURES, "Advertisement", "Costs", MORE_GULLS]


def test_a_list_under_its_sections_heading_is_kept_with_the_next_sections_heading() -> None:
    # "Measures" and "Costs", one word each, are headings as the list shows; "Advertisement" is the page's.
    a = clean("\n".join(GULLS_STORY + GULL_SECTIONS + ["Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *[line for line in GULL_SECTIONS if line != "Advertisement"])


GULL_APPEAL = "Local news matters. If you can, please chip in to keep our newsroom going."
MORE_GULL_PROSE = [MORE_GULLS, "The tourist office will ask the council for more bins with lids before the summer"
                   " season, and for signs asking visitors not to feed the birds."]


@pytest.mark.parametrize("box", [[GULL_APPEAL, "Support the Herald"], [GULL_APPEAL, "Advertisement"],
                                 ["Support us"], ["Donate", "Subscribe"], [GULL_APPEAL]])
def test_a_donation_box_inside_the_story_does_not_end_it_nor_take_the_heading_below(box: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY + box + ["What the gulls cost the town", *MORE_GULL_PROSE, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], "What the gulls cost the town", *MORE_GULL_PROSE)


def test_a_heading_above_a_donation_label_is_kept() -> None:
    a = clean("\n".join(GULLS_STORY + ["What the gulls cost the town", "Donate", *MORE_GULL_PROSE, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], "What the gulls cost the town", *MORE_GULL_PROSE)


def test_a_table_of_contents_repeating_the_headings_is_dropped_and_the_headings_kept() -> None:
    contents = ["On this page", "Measures", "Costs"]
    a = clean("\n".join(GULLS_STORY[:3] + contents + GULLS_STORY[3:] + GULL_SECTIONS + ["Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *[line for line in GULL_SECTIONS if line != "Advertisement"])


@pytest.mark.parametrize("lines", [
    ["More on this story:", "• Ferry Fares", "• Pier Repairs"],  # a teaser box
    ["Gull facts:", "• North Beach", "• Harbour Road"],  # no sentence
    ["You can read more about the gulls here:", "• North Beach", "• Harbour Road"],  # the site to its reader
    ["Download the Harbour Herald app for free:", "• App Store", "• Google Play"],  # the site's wares
    ["Listen to the Gull Watch podcast on all platforms:", "• Spotify", "• Apple Podcasts"],
    GULL_MEASURES[:2],  # one item is no list
])
def test_lines_that_introduce_no_list_of_the_storys_own_are_dropped(lines: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY + lines + [MORE_GULLS, "Share on Facebook"]))
    assert not set(lines[1:]) & set(a.paragraphs)


@pytest.mark.parametrize("lead_in", [
    "More of our coverage of the seagulls:", "Read more about the gulls and the kiosk:",
    "Share this story with your friends and family:", "The most read stories on the Herald this week:",
    "This story is part of our series on the promenade:", "This article was filed under the following topics:",
    "Products mentioned in this article are available here:"])
def test_a_list_of_the_sites_links_set_into_the_body_goes_and_the_story_goes_on(lead_in: str) -> None:
    links = ["• Gulls return to the pier", "• Kiosk to close early", "• Promenade works"]
    a = clean("\n".join(GULLS_STORY + [lead_in, *links, MORE_GULLS, MORE_GULLS.replace("September", "October"),
                                        "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], MORE_GULLS, MORE_GULLS.replace("September", "October"))


@pytest.mark.parametrize("lead_in", [
    "The clerk read out the complaints the office had logged:", "Traders said they would share the cost of three measures:",
    "The most popular stalls on the promenade were:", "See all the traders' demands:", "Read all three demands:",
    "Explore these walks along the promenade:", "Complaints filed with the tourist office included:",
    "The thefts, part of a series on the promenade this summer, were at:",
    "The most read stories on the Herald's website this year were:",  # a year's review: the list is the story
    # A paragraph of the story, however it opens, is no box's label.
    "This story is part of a series of complaints the tourist office has logged on the promenade since the kiosk"
    " opened, which found:"])
def test_a_list_whose_lead_in_only_mentions_reading_or_sharing_is_the_storys(lead_in: str) -> None:
    items = ["• nets over the bins", "• spikes on the railings", "• a hawk on Saturdays"]
    a = clean("\n".join(GULLS_STORY + [lead_in, *items, MORE_GULLS, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], lead_in, *items, MORE_GULLS)


@pytest.mark.parametrize("lines", [
    GULL_MEASURES,  # a sentence about the story, and yet: a roundup of other stories reads the same
    ["In other news from the promenade and the harbour this week:", "• Kiosk owner fined", "• Pier reopens"],
    ["Tickets for the autumn concert series go on sale at noon:", "• North Beach", "• Harbour Road"],
])
def test_a_list_below_the_body_is_not_the_storys(lines: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY + lines + ["Share on Facebook", "Most read"]))
    assert a.paragraphs == tuple(GULLS_STORY[3:])


# Fourteen places: more lines than the body may lose between two of its parts, and as many as a story lists.
GULL_SPOTS = ["North Beach Kiosk", "Harbour Road Chippy", "Old Pier Steps", "Lifeboat Station Slipway",
              "Clock Tower Benches", "Marine Parade Shelter", "Bandstand Lawn Cafe", "Putting Green Gate",
              "Boating Lake Bridge", "Crazy Golf Hut", "Beach Huts Row", "Sea Wall Steps", "Pavilion Terrace",
              "Ferry Terminal Bench"]
GULL_CLOSING = ("The tourist office expects the complaints to rise again this summer, when the kiosk stays open"
                " until midnight.")


def test_a_long_list_of_short_lines_the_story_introduces_does_not_split_the_body() -> None:
    lead_in = "The tourist office listed the places where gulls took chips most often last summer:"
    a = clean("\n".join(GULLS_STORY + [lead_in, *GULL_SPOTS, MORE_GULLS, GULL_CLOSING, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], lead_in, *GULL_SPOTS, MORE_GULLS, GULL_CLOSING)


def test_a_long_list_below_the_lede_does_not_cut_the_lede_off_the_longer_prose_below_it() -> None:
    lead_in = "The tourist office listed the places where gulls took chips most often last summer:"
    below = [*GULLS_STORY[4:], *MORE_GULL_PROSE, GULL_CLOSING]
    a = clean("\n".join([*GULLS_STORY[:4], lead_in, *GULL_SPOTS, *below, "Share on Facebook"]))
    assert a.paragraphs == (GULLS_STORY[3], lead_in, *GULL_SPOTS, *below)


def test_lists_side_by_side_under_headings_of_their_own_are_the_storys() -> None:
    by_place = ["Complaints by place", "1. North Beach Kiosk 212", "2. Harbour Road Chippy 97", "3. Old Pier Steps 41"]
    by_month = ["Complaints by month:", "July 301", "August 255", "September 64"]  # the second heading's ":"
    a = clean("\n".join(GULLS_STORY + by_place + by_month + [*MORE_GULL_PROSE, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *by_place, *by_month, *MORE_GULL_PROSE)


def test_lists_the_story_introduces_between_its_paragraphs_are_kept_whatever_the_prose_below_is_about() -> None:
    most = ["Most complaints came from three places:", "North Beach Kiosk 212", "Harbour Road Chippy 97",
            "Old Pier Steps 41"]
    fewest = ["Fewest complaints:", "Bandstand Lawn Cafe 3", "Putting Green Gate 2"]
    # The market report's next item shares no words with the gulls.
    fish = ["Wholesale prices for cod and haddock fell sharply at the Tuesday auction, merchants at the fish market"
            " said.", "Buyers blamed cheaper imports and a glut of landings after calm weather let boats stay out longer."]
    a = clean("\n".join(GULLS_STORY + most + fewest + fish + ["Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *most, *fewest, *fish)


def test_a_places_list_keeps_its_names_of_one_word_among_longer_ones() -> None:
    places = ["Beaches affected", "North Beach", "Sandsend", "Harbour Road slipway", "Whitcliff"]
    a = clean("\n".join(GULLS_STORY + places + [*MORE_GULL_PROSE, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *places, *MORE_GULL_PROSE)


def test_lines_of_one_word_most_of_them_are_no_list_of_the_storys() -> None:
    menu = ["Sections", "News", "Sport", "Weather", "Local news"]
    a = clean("\n".join(GULLS_STORY + menu + [*MORE_GULL_PROSE, "Share on Facebook"]))
    assert not set(menu[1:]) & set(a.paragraphs)


def test_a_headed_list_is_kept_with_the_storys_short_closing_paragraph_below_it() -> None:
    rows = ["1. North Beach Kiosk 212", "2. Harbour Road Chippy 97", "3. Old Pier Steps 41"]
    a = clean("\n".join(GULLS_STORY + ["Complaints by place", *rows, GULL_CLOSING, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], "Complaints by place", *rows, GULL_CLOSING)


@pytest.mark.parametrize("lines", [
    # The site's own word below its listings.
    ["Upcoming events", "Sandcastle contest on North Beach - 7 June", "Harbour regatta - 21 June",
     "The Herald is run by volunteers on the promenade. Got a story about the gulls? Email us."],
    # A row of links is no list's heading.
    ["Share: Facebook | X | WhatsApp", "Sandcastle Contest - 7 June", "Harbour Regatta - 21 June",
     "The kiosk stays open until midnight this summer."],
    # Below a long listing, prose about something else.
    ["Elsewhere on the coast", *GULL_SPOTS, "Kayak Club Trip",
     "Volunteers from the lifeboat station raised four thousand pounds for a new inshore boat at a charity"
     " swim on Sunday, and the crew thanked every swimmer who braved the cold water."],
])
def test_lines_below_the_body_that_are_no_list_of_the_storys_are_dropped(lines: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY + lines + ["Share on Facebook"]))
    assert a.paragraphs == tuple(GULLS_STORY[3:])


GULL_POINTS = ["Key points:", "• Seagulls stole 400 portions of chips", "• Complaints rise every year"]


def test_the_storys_key_points_above_its_lede_are_kept_and_the_summary_is_the_lede() -> None:
    a = clean("\n".join(GULLS_STORY[:3] + GULL_POINTS + GULLS_STORY[3:] + ["Share on Facebook"]))
    assert a.paragraphs == (*GULL_POINTS, *GULLS_STORY[3:])
    assert a.summary == GULLS_STORY[3]


def test_key_points_that_lost_their_bullets_are_kept_and_are_no_summary() -> None:
    # A browser's copy of a key-points box drops its bullets: the lines stand alone.
    points = ["Key points:", "Seagulls stole 400 portions of chips this summer", "Complaints rise every year"]
    a = clean("\n".join(GULLS_STORY[:3] + points + GULLS_STORY[3:] + ["Share on Facebook"]))
    assert a.paragraphs == (*points, *GULLS_STORY[3:])
    assert a.summary == GULLS_STORY[3]


@pytest.mark.parametrize("lines", [
    ["Top stories:", "• Seagulls stole 400 portions of chips", "• Complaints rise every year"],  # a teaser heading
    ["In brief", "• Seagulls stole 400 portions of chips", "• Complaints rise every year"],  # news in brief
    ["Key points:", "• Seagull survey at the promenade", "• Chips van moves to the harbour"],  # a word each
    ["At a glance", "• Today: seagulls over the promenade, sunny", "• Tomorrow: chips weather, visitors"],  # weather
    ["Key points:", "• Seagulls stole 400 portions of chips", "• Sign up to our seagull alerts every year"],  # an appeal
    ["Key points:", "• Sign in to read more", "• Manage your account"],  # nothing of the story
    ["Key points:", "• Seagulls", "• Complaints"],  # words, not points
    ["Key points:", "Seagull survey at the promenade", "Chips van moves to the harbour"],  # unbulleted, a word each
])
def test_lists_above_the_lede_that_are_not_its_key_points_are_dropped(lines: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY[:3] + lines + GULLS_STORY[3:] + ["Share on Facebook"]))
    assert a.paragraphs == tuple(GULLS_STORY[3:])


def test_a_speaker_may_introduce_the_storys_list_in_a_few_words() -> None:
    said = ["Ms Quill said:", "• the office would count again", "• the kiosk would get a roof"]
    a = clean("\n".join(GULLS_STORY + said + [MORE_GULLS, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *said, MORE_GULLS)


@pytest.mark.parametrize("lines", [
    ["The Herald said:", "• Support Local News", "• Subscribe Today"],  # links
    ["The Herald said:", "• sign up to our seagull alerts", "• follow us for updates"],  # the site's voice
    ["Anonymous said:", "• about time too", "• more money wasted on gulls"],  # a comment
    ["Promenade_Dave said:", "• about time too", "• more money wasted on gulls"],  # a commenter's handle
])
def test_lines_under_a_few_words_that_are_not_what_was_said_are_dropped(lines: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY + lines + [MORE_GULLS, "Share on Facebook"]))
    assert not set(lines) & set(a.paragraphs)


@pytest.mark.parametrize("heading", ["Also on our site:", "Watch our latest videos:", "More on this story"])
def test_a_teaser_box_set_into_the_body_goes_and_the_story_goes_on(heading: str) -> None:
    teasers = ["• Ferry fares to rise in spring", "• Pier reopens after repairs"]
    a = clean("\n".join(GULLS_STORY + [heading, *teasers, MORE_GULLS, MORE_GULLS.replace("September", "October"),
                                        "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], MORE_GULLS, MORE_GULLS.replace("September", "October"))


LIVE_ENTRIES = [
    ("4:10 p.m.", "Crews from three counties have joined the repair effort on the coast road, the utility said in"
     " its latest update on the storm."),
    ("3:45 p.m.", "The county emergency office opened two warming centers, one at the library and one at the high"
     " school, and both will stay open overnight."),
    ("3:02 p.m.", "Wind gusts of 68 mph were recorded at the airport, the highest since 2019, according to the"
     " weather service in its evening report."),
]


def test_a_live_blogs_first_entry_time_is_kept_with_the_later_ones() -> None:
    entries = [line for entry in LIVE_ENTRIES for line in entry]
    a = clean("\n".join(["Harbour Wire", "News", "Storm live updates: power out along the coast",
                         "Updated 4:12 PM EST, Tue February 4, 2025", *entries, "Share", "Facebook"]))
    assert a.paragraphs == tuple(entries)
    assert a.summary.startswith("Crews from three counties")


HEADINGS = ["Repair teams arrive from three more counties", "Warming centres open", "Airport records 68 mph gust"]


def test_a_live_blogs_first_entry_heading_is_kept_as_the_later_ones_are() -> None:
    entries = [line for (time, text), heading in zip(LIVE_ENTRIES, HEADINGS) for line in (time, heading, text)]
    a = clean("\n".join(["Harbour Wire", "News", "Storm live updates: power out along the coast",
                         "Updated 4:12 PM EST, Tue February 4, 2025", *entries, "Share", "Facebook"]))
    assert a.paragraphs == tuple(entries)
    assert a.summary.startswith("Crews from three counties")  # no entry's heading


def test_a_time_and_headline_above_a_story_whose_entries_have_none_are_a_sidebars() -> None:
    entries = [line for entry in LIVE_ENTRIES[1:] for line in entry]
    a = clean("\n".join(["Harbour Wire", "News", "Storm live updates: power out along the coast",
                         "Updated 4:12 PM EST, Tue February 4, 2025", "Latest news", "4:10 p.m.", HEADINGS[0],
                         LIVE_ENTRIES[0][1], *entries, "Share", "Facebook"]))
    assert a.paragraphs == (LIVE_ENTRIES[0][1], *entries)


def test_a_lone_time_above_the_lede_is_no_entry_time() -> None:
    a = clean("\n".join(["Harbour Wire", "News", GULLS_STORY[0], "4:10 p.m.", *GULLS_STORY[3:]]))
    assert a.paragraphs == tuple(GULLS_STORY[3:])


def test_a_headline_the_body_took_in_is_found_above_the_first_paragraph_of_prose() -> None:
    """No byline or dateline sets the headline apart: the body's run takes in the caption, the
    headline and an unrecognised credit line. The headline is still found, not the page refused."""
    caption = ("Photo: Gulls wait on the rail of the promenade for visitors with chips, June 3, 2024. Courtesy of"
               " the tourist office")
    a = clean("\n".join(["Harbour Wire", "Outdoors", caption, GULLS_STORY[0], "Tomas Quill reporting",
                         *GULLS_STORY[3:], "© 2024 Harbour Wire"]))
    assert a.title == GULLS_STORY[0]
    assert a.paragraphs == ("Tomas Quill reporting", *GULLS_STORY[3:])
    assert (a.image_caption, a.image_credit) == (caption.rsplit(" Courtesy", 1)[0], "Courtesy of the tourist office")


def test_a_published_line_below_the_body_dates_an_undated_story() -> None:
    """An obituary page's "Published by <paper> on <date>." right below the text dates it."""
    story = [GULLS_STORY[0], *GULLS_STORY[3:]]
    a = clean("\n".join(story + ["Published by Harbour Herald on Nov. 2, 2025.", "Sign the Guest Book"]))
    assert a.date == datetime.date(2025, 11, 2)
    assert a.paragraphs == tuple(GULLS_STORY[3:])
    # A book's publisher, under a review, dates the book.
    book = ["The Salt Road, by Ana Frey", "Published by Knopf on Oct. 7, 2025.", "320 pages. $29."]
    a = clean("\n".join(story + book))
    assert a.date is None
    # Below a comments heading it dates a comment.
    a = clean("\n".join(story + ["2 Comments", "Published by Gary Lund on Nov. 3, 2025.", "Great work!"]))
    assert a.date is None


@pytest.mark.parametrize("note", ["This article was published on 12 June 2025.",
                                  "This story was first published on June 12, 2025, in the Harbour Wire.",
                                  "This report by the Harbour Wire was first published June 12, 2025.",
                                  "This article by Ana Vega was originally published on 12 June 2025."])
def test_a_note_of_when_the_article_was_published_dates_it_and_leaves_the_body(note: str) -> None:
    a = clean("\n".join([GULLS_STORY[0], *GULLS_STORY[3:], note, "Share"]))
    assert a.date == datetime.date(2025, 6, 12)
    assert a.paragraphs == tuple(GULLS_STORY[3:])


def test_a_live_blogs_oldest_entry_is_kept_below_the_others() -> None:
    """The oldest entry, last and short, stands beside the page's furniture below it."""
    entries = [line for entry in LIVE_ENTRIES for line in entry]
    oldest = ["2:30 PM", "Polls have closed across the county. First counts are expected within the hour."]
    a = clean("\n".join(["Harbour Wire", "LIVE", "News", "Storm live updates: power out along the coast",
                         "Last updated 4:12 PM", "By the Harbour Wire news team", *entries, *oldest,
                         "Key races", "Harbour mayor", "Council District 4", "Ballot Question 2 (ferry levy)",
                         "Sign up for breaking news alerts", "Download our app"]))
    assert a.paragraphs == (*entries, *oldest)


def test_a_sections_label_before_the_headline_is_not_part_of_the_title() -> None:
    a = clean("\n".join(["Harbour Wire", "OPINION", f"Opinion | {GULLS_STORY[0]}", *GULLS_STORY[1:]]))
    assert a.title == GULLS_STORY[0]


def test_a_tag_list_ends_above_the_heading_of_a_cookie_notice() -> None:
    notice = "This website uses cookies to ensure you get the best experience. Manage preferences"
    a = clean("\n".join(GULLS_STORY + ["Topics", "Gulls", "Tourism", "Cookies", notice, "Accept all"]))
    assert a.tags == ("Gulls", "Tourism")


@pytest.mark.parametrize(("lines", "author"), [
    (["Tomas Quill", "Published June 4, 2024"], "Tomas Quill"),  # a byline whose "By" was a link
    (["Published June 4, 2024", "Ines de Sousa"], "Ines de Sousa"),
    (["Breaking News", "Published June 4, 2024"], None),  # a label beside the date names no one
    (["Harbour Wire", "Published June 4, 2024"], None),  # nor the publisher's name
    (["Tomas Quill", "Senior Harbour Correspondent", "Published June 4, 2024"], "Tomas Quill"),  # the job between
    (["Tomas Quill", "Listen to this story", "Published June 4, 2024"], None),  # other words between: no job
    (["Tomas Quill", "Email", "Follow", "Published June 4, 2024"], "Tomas Quill"),  # the buttons beside the name
    (["Tomas Quill", "Local Democracy Reporter", "Follow", "12 comments", "Published June 4, 2024"], "Tomas Quill"),
    (["Tomas Quill", "Senior Reporter", "Email", "Follow", "12 comments", "Published June 4, 2024"], None),  # too far
    (["Tomas Quill", "Local Democracy Reporting Service", "Published June 4, 2024"], "Tomas Quill"),
    (["Harbour Ferries Ltd", "Share", "Published June 4, 2024"], None),  # a company's name
    (["2024-06-04 · Tomas Quill · 7 min read"], "Tomas Quill"),  # the name among the date line's parts
    (["Tomas Quill | June 4, 2024"], "Tomas Quill"),
    (["June 4, 2024 · Breaking News · 7 min read"], None),
    (["June 4, 2024 | Harbour Wire"], None),
])
def test_a_name_alone_beside_the_date_line_is_the_byline(lines: list[str], author: str | None) -> None:
    story = ["Harbour Wire", "News", GULLS_STORY[0], *lines, *GULLS_STORY[3:], "Share",
             "Copyright © 2024 Harbour Wire. All rights reserved."]
    a = clean("\n".join(story))
    assert (a.author, a.date, a.paragraphs) == (author, datetime.date(2024, 6, 4), tuple(GULLS_STORY[3:]))


def test_a_name_alone_with_no_date_line_beside_it_is_no_byline() -> None:
    a = clean("\n".join([GULLS_STORY[0], "Tomas Quill", *GULLS_STORY[3:]]))
    assert a.author is None


SIGN_UP_BOX = ["Sign up to our free newsletter for the town's top stories", "Sign up",
               "We use your sign-up to send you the stories you asked for, and adverts from us and our partners"
               " based on what we know of you. You can unsubscribe at any time."]


@pytest.mark.parametrize("poll", [
    ["POLL", "Should the kiosk close at dusk to keep the gulls away?", "Yes", "No", "Undecided", "Vote",
     "View results"],
    ["Reader poll:", "Have the gulls taken your chips?", "Yes, this summer", "Not yet", "Submit your vote",
     "1,204 votes"],
])
def test_a_reader_poll_in_the_middle_of_the_story_goes_and_the_story_goes_on(poll: list[str]) -> None:
    a = clean("\n".join(GULLS_STORY[:5] + poll + GULLS_STORY[5:] + [MORE_GULLS, "Share on Facebook"]))
    assert a.paragraphs == (*GULLS_STORY[3:], MORE_GULLS)


def test_lines_between_a_polls_label_and_a_paragraph_are_not_the_polls() -> None:
    # No button below: the lines are the story's, and a word "Poll" alone above them is its heading.
    lines = ["Poll", "The tourist office asked 300 visitors on the promenade whether the kiosk should close at"
             " dusk, and two in three said it should."]
    a = clean("\n".join(GULLS_STORY + lines + [MORE_GULLS, "Share on Facebook"]))
    assert lines[1] in a.paragraphs


def test_the_article_goes_on_below_a_sign_up_box_in_its_middle() -> None:
    more = ["Kiosk owners met the council on Tuesday to ask for covered seating along the seafront, where the"
            " birds find it hardest to swoop.",
            "The council said it would consider the request at its next meeting in July, once the summer budget is"
            " agreed."]
    a = clean("\n".join([*GULLS_STORY, *SIGN_UP_BOX, *more, "Share"]))
    assert a.paragraphs == (*GULLS_STORY[3:], *more)


def test_an_obituarys_born_and_died_lines_neither_date_it_nor_make_the_caption_its_title() -> None:
    life = ["The Harbour Chronicle", "News", "Obituaries", "Mara Quill obituary", "Net maker whose nets hung in every harbour on the coast", "Tomas Ellis",
            "Fri 20 Feb 2026 17.45 GMT", "Share", "Mara Quill at her loft in 2009. Photograph: Ana Vega",
            "Born: 9 June 1938, Northport", "Died: 2 February 2026, Southport"]
    story = ["Mara Quill, who has died aged 87, made fishing nets by hand for more than sixty years, in a loft"
             " above the harbour where her father had made them before her.",
             "She learned the knots from him at the age of nine and taught them, in turn, to anyone who climbed"
             " the stairs to ask, including two generations of the town's schoolchildren.",
             "She is survived by her brother, Tom, and by several nieces and nephews."]
    a = clean("\n".join(life + story))
    assert (a.title, a.date, a.author) == ("Mara Quill obituary", datetime.date(2026, 2, 20), "Tomas Ellis")
    assert a.paragraphs[-3:] == tuple(story)


@pytest.mark.parametrize("stamp", ["2 days ago", "5 hours ago", "Updated 2 days ago", "an hour ago"])
def test_a_bare_name_over_a_relative_time_stamp_is_the_byline_and_no_date_is_guessed(stamp: str) -> None:
    a = clean("\n".join([GULLS_STORY[0], "Tomas Quill", stamp, "3 min read", *GULLS_STORY[3:]]))
    assert (a.author, a.date) == ("Tomas Quill", None)
    assert a.paragraphs == tuple(GULLS_STORY[3:])


def test_a_bare_name_with_no_time_stamp_beside_it_is_no_byline() -> None:
    a = clean("\n".join([GULLS_STORY[0], "Tomas Quill", "3 min read", *GULLS_STORY[3:]]))
    assert a.author is None
