"""Headline detection."""

from __future__ import annotations

import pytest

from generator.ingest import load_rules
from generator.ingest.blocks import split_blocks
from generator.ingest.classify import classify
from generator.ingest.features import page_features
from generator.ingest.metadata import block_roles, publisher
from generator.ingest.region import main_region
from generator.ingest.title import find_title, without_label

BODY = [
    "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.",
    "Engineers told the board that two of the wooden pillars have rotted and must be replaced before winter.",
    "The repairs are expected to cost about half a million euros, which the board hopes to share with the town.",
]


def title_of(lines: list[str], below: tuple[str, ...] = ()) -> str | None:
    rules = load_rules()
    _, blocks = split_blocks("\n".join([*lines, *BODY, *below]), rules)
    feats = page_features(blocks, rules)
    roles = block_roles(blocks, rules)
    first, labels = classify(feats, roles, rules)
    region = main_region(first, labels, feats, roles, rules)
    assert region is not None
    body = "\n".join(blocks[i].text for i in region.kept)
    at = find_title(blocks, feats, roles, region.kept[0], publisher(blocks, rules), body, rules)
    return None if at is None else blocks[at].text


def test_headline_above_the_byline() -> None:
    assert title_of(["Harbour Herald", "News", "Sport", "Board backs repairs to the north pier",
                     "By Jane Doe", "Published 12 May 2023"]) == "Board backs repairs to the north pier"


def test_not_the_site_name_nor_a_menu_item() -> None:
    assert title_of(["Support The Harbour Herald!", "The Harbour Herald", "Local News",
                     "Harbour board backs pier repairs"]) == "Harbour board backs pier repairs"


def test_an_obituarys_name_not_the_lifespan_below_it() -> None:
    assert title_of(["Harbour Herald", "Obituaries", "Walter Fenwick Dunleavy", "March 2, 1931 – January 19, 2024"],
                    below=("© 2024 Harbour Herald",)) == "Walter Fenwick Dunleavy"


def test_headline_not_the_standfirst_below_it() -> None:
    assert title_of([
        "Menu", "Pier repairs approved by harbour board",
        "The board will share the cost of the repairs with the town, engineers say",
        "By Jane Doe",
    ]) == "Pier repairs approved by harbour board"


@pytest.mark.parametrize("kicker", ["Europe & Ports | Harbour Repairs", "Ireland | The North Pier"])
def test_a_section_and_subject_over_the_headline_are_not_it(kicker: str) -> None:
    assert title_of(["Menu", kicker, "Why the harbour board is rebuilding its pier",
                     "The town will share the cost of the repairs. Engineers say it is overdue",
                     "Mar 4th 2026|CORK"]) == "Why the harbour board is rebuilding its pier"


def test_a_labelled_headline_of_a_few_words_is_still_the_headline() -> None:
    assert title_of(["Menu", "Opinion | Save the north pier", "By Jane Doe",
                     "Published 12 May 2023"]) == "Opinion | Save the north pier"


def test_a_headline_sharing_half_its_words_with_the_story_is_not_taken_for_a_standfirst() -> None:
    headline = "Old pier to be saved, and divers are starting to map it"  # "pier", "old" and "board"-less
    assert title_of(["BUSINESS", headline, "Wooden pillars rot while the harbour waits for the money",
                     "Jane Doe", "2 hours ago"]) == headline


def test_a_menu_row_above_the_headline_does_not_make_it_a_standfirst() -> None:
    headline = "Harbour board log: rotten pillars, loose goats and a broken pier light"
    assert title_of(["News Sports Obituaries Community Harbour Board Opinion Classifieds", headline,
                     "Posted Apr 28, 2025"]) == headline


def test_not_a_teaser_headline_about_something_else() -> None:
    assert title_of([
        "Most read", "Ferry timetable changes for the summer season", "Advertisement",
        "Harbour board agrees to repair the old north pier",
    ]) == "Harbour board agrees to repair the old north pier"


def test_a_page_title_line_confirms_the_headline_but_is_not_it() -> None:
    assert title_of([
        "Pier repairs approved | Harbour Herald", "Home", "Pier repairs approved",
        "Fishermen welcome harbour board decision", "",
    ]) == "Pier repairs approved"


def test_a_footer_line_below_the_body_vouches_for_no_headline() -> None:
    """"Site | address" below the story is the site's footer, not a "Headline | Site" title line."""
    headline = "Board backs repairs to the old pier"
    footer = ("Back to News Briefs", "Harbour Town Crier | 12 Main St. | Harbour")
    assert title_of(["Harbour Town Crier", "News Briefs", headline], below=footer) == headline


def test_a_row_of_menu_items_is_not_the_headline() -> None:
    # On-topic place names right above the headline; a row of them is the site's menu.
    assert title_of([
        "Harbour Herald", "News | Sport | Weather | Ferries | Tides",
        "North Pier | Old Town | Harbour Board | Fish Market | East Quay",
        "Board backs repairs to the north pier", "Published 12 May 2023",
    ]) == "Board backs repairs to the north pier"


def test_no_candidate_no_title() -> None:
    assert title_of(["Home", "Share on Facebook"]) is None


def test_a_teasers_byline_further_up_does_not_make_it_the_headline() -> None:
    # The article's own byline is the one nearest above its body; a column teaser's does not count.
    assert title_of([
        "Columns", "Board told the north pier pillars have rotted", "By A. Columnist", "Ferries", "Weather",
        "Sport", "Culture", "Podcasts", "Puzzles", "Travel", "Books", "Music", "Science", "Opinion",
        "A rethink for the waterfront", "Photo: Ana Vega", "Opinion", "By Jane Doe",
    ]) == "A rethink for the waterfront"


def test_a_quotation_above_its_attribution_is_not_the_headline() -> None:
    assert title_of([
        "Fact check", '"The wooden pillars of the north pier have rotted and must be replaced"',
        "— Councillor Ana Vega on Monday, May 1, 2023 in a radio interview",
        "Will the pier survive the winter?", "By Jane Doe",
    ]) == "Will the pier survive the winter?"


def test_a_teaser_between_the_byline_and_the_body_is_not_the_headline() -> None:
    # Headlines sit above their byline; an on-topic line below it is a teaser or standfirst.
    assert title_of([
        "A rethink for the waterfront", "By Jane Doe", "Published 12 May 2023", "Watch",
        "Board told the north pier pillars have rotted",
    ]) == "A rethink for the waterfront"


@pytest.mark.parametrize(("title", "expected"), [
    ("Opinion | Our libraries are not a luxury", "Our libraries are not a luxury"),
    ("ANALYSIS | Why the ferry fares went up again", "Why the ferry fares went up again"),
    ("Analysis: Why the ferry fares went up again", "Analysis: Why the ferry fares went up again"),
    ("Opinion | Libraries matter", "Opinion | Libraries matter"),  # too short to be a headline alone
    ("Harbour board | Opinion polls on the pier", "Harbour board | Opinion polls on the pier"),
])
def test_a_sections_label_before_the_headline_goes(title: str, expected: str) -> None:
    assert without_label(title, load_rules()) == expected


@pytest.mark.parametrize("lines", [
    ["Riverside Weekly", "Opinion", "Opinion | Harbour board should back the pier repairs"],
    ["Opinion", "Opinion | Harbour board should back the pier repairs", "By Walter Nguyen",
     "Walter Nguyen is a retired civil engineer who lives in Eastbrook."],
    ["Opinion", "Opinion | Harbour board should back the pier repairs"],
])
def test_a_labelled_headline_below_its_sections_label_is_the_headline(lines: list[str]) -> None:
    """"Opinion" on a line of its own does not make "Opinion | ..." a "Headline | Site" title line."""
    assert title_of(lines) == "Opinion | Harbour board should back the pier repairs"


def test_a_site_named_for_its_town_is_no_headline_over_a_standfirst() -> None:
    """The headline below "North Pier Gazette" shares its place's name with the story; the
    short masthead above it does not make it a standfirst."""
    headline = "Harbour board backs repairs to the old north pier"
    assert title_of(["North Pier Gazette", headline, "By Hal Jensen", "Posted Apr 28, 2025"]) == headline


def test_a_writers_job_under_their_name_is_no_headline_however_topical() -> None:
    assert title_of(["Harbour Herald", "Board backs repairs to the north pier", "Jane Doe",
                     "Harbour Correspondent at the North Pier Board", "Published 12 May 2023"]
                    ) == "Board backs repairs to the north pier"


def test_a_name_between_the_headline_and_the_date_is_the_byline_though_its_bio_is_kept() -> None:
    # The bio names the writer in the story's words, as no headline does.
    lines = ["Harbour Herald", "Wine", "Why I've fallen for cool-climate Syrah", "Marta Oyelaran", "17 October 2026"]
    bio = "Marta Oyelaran is our pier critic. Her book on the harbour board is published by Quay Press."
    assert title_of(lines, below=(bio, "© 2026 Harbour Herald")) == "Why I've fallen for cool-climate Syrah"


@pytest.mark.parametrize("between", [["Special to the Herald"], ["Columnist", "Follow"], ["Email", "Follow", "3 comments"]])
def test_a_name_above_its_job_or_buttons_and_the_date_is_the_byline(between: list[str]) -> None:
    lines = ["Harbour Herald", "Opinion", "Our piers are not a luxury. Stop treating them like one", "Marta Oyelaran",
             *between, "Published 17 October 2026"]
    bio = "Marta Oyelaran is a retired harbour pilot and chairs the Friends of the North Pier."
    assert title_of(lines, below=(bio, "© 2026 Harbour Herald")) == lines[2]
