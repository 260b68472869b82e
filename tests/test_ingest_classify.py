"""Block classification, context smoothing and the choice of the main content region."""

from __future__ import annotations

import pytest

from generator.ingest.classify import BAD, GOOD, NEARGOOD, SHORT, Label, smooth
from generator.ingest.region import main_region, segments
from tests.ingest_passes import run_passes

PROSE = [
    "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.",
    "Engineers told the board that two of the wooden pillars have rotted and must be replaced before winter.",
    "The repairs are expected to cost about half a million euros, which the board hopes to share with the town.",
    "Fishermen who use the pier every morning said they had warned the board about the damage for years.",
    "A final decision on the money is expected at the next meeting of the board in the first week of March.",
]


def run(lines: list[str]):
    passes = run_passes(lines)
    kept = [passes.blocks[i].text for i in passes.region.kept] if passes.region else []
    return passes.first, passes.labels, kept


def test_first_pass_labels() -> None:
    first, _, _ = run([PROSE[0], "Weather", "Share on Facebook", "Council Approves New Pier Budget",
                       "We need your support: please help us keep our journalism free for you."])
    assert [label.cls for label in first] == [GOOD, SHORT, BAD, BAD, BAD]
    assert first[2].reason == "boilerplate: share"
    assert first[4].reason == "addresses the reader (appeal)"


def test_short_sentence_between_paragraphs_is_kept() -> None:
    _, labels, kept = run([PROSE[0], PROSE[1], "The vote was unanimous.", PROSE[2], PROSE[3]])
    assert labels[2].cls == GOOD
    assert "The vote was unanimous." in kept


def test_a_brief_closing_sentence_below_the_prose_is_kept() -> None:
    # Three words, too short to be near-good alone, but the article's last line.
    _, labels, kept = run(PROSE[:3] + ["Police are investigating.", "Share on Facebook", "Most read"])
    assert labels[3] == Label(GOOD, "brief sentence, closing the prose")
    assert kept[-1] == "Police are investigating."


@pytest.mark.parametrize("below", [
    ["Like this story?", "Share on Facebook"],  # a question is a prompt, not a closing line
    ["Weather and tides", "Share on Facebook"],  # a label, no full stop
    ["Share on Facebook", "Police are investigating."],  # not right below the prose
])
def test_brief_lines_that_do_not_close_the_prose_are_dropped(below: list[str]) -> None:
    _, _, kept = run(PROSE[:3] + below)
    assert kept == PROSE[:3]


CLOSING_WORD = "The lesson for us was about the pier: we should have asked the fishermen first, and we will next time."
CLOSING_ADVICE = "If you moor your boat at the north pier this winter, you should ask the harbour office about repairs."


@pytest.mark.parametrize("between", [[], ["What Comes Next"]])
def test_a_closing_sentence_to_the_reader_above_the_pages_furniture_is_kept(between: list[str]) -> None:
    # It says "we" or "you", so it is left to its neighbours: the prose above keeps it (and a
    # subheading between them), though a job advert or a feedback prompt follows.
    for closing, below in ((CLOSING_WORD, "We're hiring! The Harbour Gazette is looking for a reporter."),
                           (CLOSING_ADVICE, "Was this article helpful?")):
        _, labels, kept = run(PROSE[:3] + between + [closing, below, "© 2026 Harbour Gazette"])
        assert kept == PROSE[:3] + between + [closing]
        assert labels[3 + len(between)] == Label(GOOD, "sentence addressing the reader, closing the prose")


@pytest.mark.parametrize("above", [
    ["Share on Facebook"],  # not right below the prose
    [PROSE[3], "Advertisement", "Share on Facebook"],  # nor past furniture
])
def test_a_sentence_to_the_reader_away_from_the_prose_is_dropped(above: list[str]) -> None:
    _, _, kept = run(PROSE[:3] + above + [CLOSING_WORD, "Was this article helpful?"])
    assert CLOSING_WORD not in kept


TRAILING = "The queue for the evening ferry stretched from the pier to the station and beyond..."


@pytest.mark.parametrize("ending", ["...", "\u2026"])
def test_a_sentence_trailing_off_between_paragraphs_is_kept(ending: str) -> None:
    trailing = TRAILING.removesuffix("...") + ending
    _, labels, kept = run(PROSE[:2] + [trailing] + PROSE[2:])
    assert labels[2] == Label(GOOD, "sentence ending in dots, inside prose")
    assert kept == PROSE[:2] + [trailing] + PROSE[2:]


@pytest.mark.parametrize("lines", [
    PROSE + [TRAILING, "Share on Facebook"],  # below the article: a teaser
    PROSE[:3] + [TRAILING, "Divers searched the bay again on Sunday as the ferry service stayed closed for..."]
    + PROSE[3:],  # a list of teasers between two stretches of prose
    PROSE[:3] + ["Most read", TRAILING] + PROSE[3:],  # under a teaser heading
])
def test_a_sentence_trailing_off_outside_the_prose_is_a_teaser(lines: list[str]) -> None:
    _, labels, kept = run(lines)
    assert TRAILING not in kept
    assert labels[lines.index(TRAILING)] == Label(BAD, "truncated teaser")


def test_short_line_among_menu_items_is_dropped() -> None:
    _, labels, _ = run(["World News", "The vote was unanimous.", "Local Sport", "Share on Facebook"] + PROSE)
    assert labels[1].cls == BAD


def test_smoothing_rules() -> None:
    g, b = Label(GOOD, "g"), Label(BAD, "b")
    s, n = Label(SHORT, "s"), Label(NEARGOOD, "n")
    assert [x.cls for x in smooth((g, s, g))] == [GOOD, GOOD, GOOD]
    assert [x.cls for x in smooth((b, s, g))] == [BAD, BAD, GOOD]
    assert [x.cls for x in smooth((b, n, g))] == [BAD, GOOD, GOOD]
    assert [x.cls for x in smooth((b, n, b))] == [BAD, BAD, BAD]
    assert [x.cls for x in smooth((b, s, b))] == [BAD, BAD, BAD]
    assert [x.cls for x in smooth((g, s, s, g))] == [GOOD, GOOD, GOOD, GOOD]
    # jusText: a short block between prose and a bad block joins the prose only
    # when a near-good block stands between it and the bad one.
    assert [x.cls for x in smooth((g, s, b))] == [GOOD, BAD, BAD]
    assert [x.cls for x in smooth((g, s, n, b))] == [GOOD, GOOD, GOOD, BAD]
    # The page edge counts as bad.
    assert [x.cls for x in smooth((s, g))] == [BAD, GOOD]


def test_segments() -> None:
    g, b = Label(GOOD, ""), Label(BAD, "")
    assert segments((b, g, g, b, g, b, b)) == [(1, 2), (4, 4)]
    assert segments((g,)) == [(0, 0)]
    assert segments((b, b)) == []


def test_inline_teaser_gap_is_joined_and_dropped() -> None:
    _, _, kept = run(PROSE[:3] + ["Read also: Ten facts about the north pier"] + PROSE[3:])
    assert kept == PROSE


def test_sentences_between_inline_teasers_are_judged_by_the_prose_beyond_them() -> None:
    teaser, ad = Label(BAD, "boilerplate: inline_teaser"), Label(BAD, "boilerplate: advertisement")
    g, b, n = Label(GOOD, "g"), Label(BAD, "b"), Label(NEARGOOD, "n")
    assert [x.cls for x in smooth((g, teaser, n, n, teaser, b))] == [GOOD, BAD, GOOD, GOOD, BAD, BAD]
    assert [x.cls for x in smooth((g, ad, n, b))] == [GOOD, BAD, GOOD, BAD]
    assert [x.cls for x in smooth((b, teaser, n, b))] == [BAD, BAD, BAD, BAD]


def test_the_last_sentences_below_an_inline_teaser_are_kept() -> None:
    closing = ["Repairs begin in spring, the board said.", "Fishermen said they would watch closely."]
    _, _, kept = run(PROSE[:3] + ["Read also: Ten facts about the north pier", *closing,
                                  "Read more: Ferry timetable for the winter", "Tags: Harbour, Pier"])
    assert kept == PROSE[:3] + closing


def test_a_transcripts_last_line_below_a_music_cue_is_kept() -> None:
    sign_off = "HOST: That's it for this week's Harbour Hour. Thanks for listening."
    _, _, kept = run(PROSE[:3] + ["[THEME MUSIC]", sign_off, "Support Harbour Radio", "© 2026 Harbour Radio"])
    assert kept == [*PROSE[:3], sign_off]


def test_a_separator_below_the_body_ends_it() -> None:
    note = "Fenwick reported from the harbour. Our writer Ana Lund contributed to this report."
    _, _, kept = run(PROSE[:3] + ["___", note, "Most read", "Ferry timetable for the winter"])
    assert kept == PROSE[:3]


def test_tag_line_is_a_hard_stop() -> None:
    later = "Readers who enjoyed this story should know that the paper has been in print since 1901 in the town."
    _, _, kept = run(PROSE + ["Tags: harbour, pier", later])
    assert kept == PROSE


@pytest.mark.parametrize("box", [
    ["Sign up for our harbour newsletter"],
    ["Sign up for our harbour newsletter", "Get a weekly round-up of the harbour news you need, free to your inbox."],
])
def test_newsletter_box_mid_article_does_not_end_it(box: list[str]) -> None:
    _, _, kept = run(PROSE[:3] + box + PROSE[3:])  # the heavier part above the box
    assert kept == PROSE


def test_teaser_heading_followed_by_headlines_ends_the_article() -> None:
    teaser = "A second story about the bay that the site wants you to read next, with a long summary text."
    _, _, kept = run(PROSE + ["Related stories", "Ferry timetable changes for the summer", teaser])
    assert kept == PROSE


NAMES = "Harbour Master Ines Valdez thanked fishermen who filmed Friday's storm surge."  # one stopword
FIGURES = "Catches landed: Northport 412, Eastbay 388, Kilmore 150, Westhaven 97 tonnes."  # none


def test_sentences_with_few_or_no_stopwords_are_left_to_their_neighbours() -> None:
    first, _, _ = run([NAMES, FIGURES, "Northport Eastbay Kilmore Westhaven Harbour Board Meeting Minutes Archive"])
    assert first[0] == Label(NEARGOOD, "sentence with few stopwords")
    assert first[1] == Label(SHORT, "sentence without stopwords")
    assert first[2].cls == BAD  # no sentence: a run of names


def test_the_article_goes_on_below_a_teaser_box_in_sentences_full_of_names() -> None:
    box = ["Read more:", "Pier repairs to start in May", "How the storm hit the harbour"]
    rest = [PROSE[2], NAMES, "\"We saw it coming,\" he said.", "The board meets again on Thursday."]
    _, _, kept = run(PROSE[:2] + box + rest + ["Have a news tip? Email us at tips@harbour.example."])
    assert kept == PROSE[:2] + rest


def test_a_lede_in_short_sentences_above_a_line_of_figures_is_kept() -> None:
    lede = ["Northport landed the most fish of any harbour on the coast last year, the board said.",
            "Eastbay came second, ahead of Kilmore."]
    rest = ["Board chair Ruth Okafor said the figures had not been this good in a decade.",
            "\"It was a good year,\" she said.", "The next report is due in June."]
    _, _, kept = run(["By Pete Lund", "May 11, 2024"] + lede + [FIGURES] + rest + ["Share", "Most read"])
    assert kept == lede + [FIGURES] + rest


def test_best_segment_wins_over_a_distant_short_one() -> None:
    far = "An unrelated note about the weekend weather that happens to be written in full sentences here."
    lines = [far] + ["Home", "News", "Sport", "Business", "Culture", "Travel", "Opinion", "Video",
                     "Podcasts", "Puzzles", "Food", "Style", "Books", "Music", "Science", "Health"] + PROSE
    _, _, kept = run(lines)
    assert kept == PROSE


def test_no_prose_no_region() -> None:
    _, _, kept = run(["Home", "News", "Sport", "Share on Facebook"])
    assert kept == []


def test_subheading_between_paragraphs_is_kept() -> None:
    # Alone it looks like a menu item; between two paragraphs, with prose below, it is the article's.
    _, _, kept = run(PROSE[:2] + ["Money Still Missing"] + PROSE[2:])
    assert kept == PROSE[:2] + ["Money Still Missing"] + PROSE[2:]


@pytest.mark.parametrize("box", [["Have a claim you want us to check? Email tips@gazette.example."],
                                 ["Advertisement", "Sign up for our harbour newsletter"]])
def test_a_subheading_below_a_box_set_into_the_story_is_kept(box: list[str]) -> None:
    _, _, kept = run(PROSE[:2] + box + ["Money Still Missing"] + PROSE[2:])
    assert kept == PROSE[:2] + ["Money Still Missing"] + PROSE[2:]


@pytest.mark.parametrize("below", [["Repairs"],  # a one-word subheading
                                   ["Harbour fish stew", "Serves 4 as a main", "Ingredients", "2 lemons, juiced",
                                    "1 tbsp olive oil", "½ tsp sea salt", "Method"]])
def test_short_lines_below_an_ad_slot_inside_the_prose_are_kept(below: list[str]) -> None:
    # As they are without the ad's label between them and the paragraph above.
    _, _, kept = run(PROSE[:2] + ["Advertisement"] + below + PROSE[2:])
    assert kept == PROSE[:2] + below + PROSE[2:]


def test_a_headline_below_a_teaser_heading_is_no_subheading() -> None:
    _, _, kept = run(PROSE[:2] + ["Recommended", "Ferry Timetable Changes For Summer"] + PROSE[2:])
    assert "Ferry Timetable Changes For Summer" not in kept


def test_headline_like_lines_that_are_not_subheadings_are_dropped() -> None:
    # Repeated on the page, or with no paragraph below: not a subheading.
    repeated = "Harbour News Today"
    _, _, kept = run([repeated] + PROSE[:2] + [repeated] + PROSE[2:] + ["Latest From The Harbour"])
    assert kept == PROSE


def test_teaser_box_inside_the_article_is_dropped_and_the_article_goes_on() -> None:
    # The second item reads like a sentence; it still belongs to the box.
    box = ["Trending now", "Ten facts about piers", "The ferry fares will rise again in the spring.",
           "Where to eat fish"]
    _, _, kept = run(PROSE[:3] + box + PROSE[3:])
    assert kept == PROSE


def test_comment_thread_below_a_short_article_does_not_win() -> None:
    article = PROSE[:2]
    comment = ("I have fished from that pier for thirty years and the board has been told about the rotten"
               " pillars again and again, at every meeting, by every one of us who uses it in the mornings,"
               " and nothing was ever done until the storm last winter made it impossible to ignore.")
    thread = ["2 responses to “Pier repairs”", "oldsalt says:", "May 3, 2023 at 9:12 am", comment,
              comment.replace("thirty", "forty"), "Reply", "harbourfan says:", "May 3, 2023 at 10:40 am",
              "Good news at last.", "Reply"]
    _, _, kept = run(article + thread)
    assert kept == article


def test_the_comments_link_under_the_byline_starts_no_thread() -> None:
    # The highlights above the byline are a run of sentences; the story below them is longer,
    # and the thread's sorting links below the story do not make the header's link a thread.
    highlights = ["Engineers found two rotten pillars under the old north pier during the spring survey",
                  "The harbour board hopes that the town will share the cost of all the repairs with it",
                  "Fishermen say that they had warned the board about the damage to the pier for years"]
    header = ["Pier Repairs Will Cost Half A Million", *highlights, "By Tomas Quill", "Published: 4 March 2024",
              "View comments"]
    thread = ["Comments 27", "Newest", "Oldest", "Good news at last, if it is true.", "oldsalt, Northport"]
    _, _, kept = run(header + PROSE + thread)
    assert kept == PROSE


def test_text_below_a_teaser_list_joins_only_when_on_topic() -> None:
    about = ["The Herald is owned by a trust that was founded in 1902 by a group of local merchants and"
             " teachers in the old mill.",
             "Its newsroom employs eleven journalists and it trains two apprentices in each of the years"
             " that it is open."]
    p = run_passes(PROSE[:3] + ["Most read", "Ferry timetable changes", "Where to eat fish"] + about)
    texts = tuple(b.text for b in p.blocks)
    region = main_region(p.first, p.labels, p.features, p.roles, p.rules, texts)
    assert [texts[i] for i in region.kept] == PROSE[:3]
    # The same list set into an article that goes on about the pier is a box inside it.
    p = run_passes(PROSE[:3] + ["Most read", "Ferry timetable changes", "Where to eat fish"] + PROSE[3:])
    texts = tuple(b.text for b in p.blocks)
    region = main_region(p.first, p.labels, p.features, p.roles, p.rules, texts)
    assert [texts[i] for i in region.kept] == PROSE


LEDE = "Voters on the harbour ward elected Ana Vega as their new councillor on Thursday, with a low turnout."
RESULTS = ["Candidate | Party | Votes | Share", "Ana Vega | Harbour First | 1,312 | 44.1%",
           "Tom Lund | Quay Party | 1,020 | 34.3%", "Eva Moss | Independent | 642 | 21.6%",
           "Harbour Ward 1,312 | Old Town 1,020 | Fish Market 642 | East Quay 377",
           "Turnout: 2,974 of 9,870 registered voters (30.1%), rejected ballots: 14"]
SCORES = ["North Pier 3 East Quay 1 (Vega 12, 55; Lund 40) Att: 1,204",
          "Old Town 0 Fish Market 2 (Moss 33, Berg 90+2) Att: 903",
          "1 North Pier 34 22 6 6 +31 72 2 Fish Market 34 21 6 7 +25 69"]


def kept_with_texts(lines: list[str]) -> list[str]:
    p = run_passes(lines)
    texts = tuple(b.text for b in p.blocks)
    region = main_region(p.first, p.labels, p.features, p.roles, p.rules, texts)
    return [texts[i] for i in region.kept]


@pytest.mark.parametrize("table", [
    RESULTS, SCORES, ["Full results"] + RESULTS[1:],
    # A lead-in above the table, and the line saying where its figures come from below it.
    ["The three candidates polled as follows:"] + RESULTS[:4],
    RESULTS[:4] + ["Source: Northport returning officer"],
])
def test_a_table_between_the_lede_and_the_story_is_kept_with_both(table: list[str]) -> None:
    # The rows split the prose in two, the lede the smaller part; the table is the story's.
    assert kept_with_texts(["By Jane Doe", LEDE] + table + PROSE[:3]) == [LEDE] + table + PROSE[:3]


def test_an_ad_slot_among_the_rows_does_not_split_the_story_and_is_not_kept() -> None:
    table = [*RESULTS[:3], "Advertisement", *RESULTS[3:]]
    assert kept_with_texts(["By Jane Doe", LEDE] + table + PROSE[:3]) == [LEDE, *RESULTS, *PROSE[:3]]


@pytest.mark.parametrize("widget", [
    ["Markets", "FTSE 100 7,612.4 +0.3% | DOW 34,500.1 -0.2% | NASDAQ 13,010.2 +0.5%",
     "GBP/USD 1.2710 +0.1% | EUR/USD 1.0850 -0.1% | Brent 82.10 +1.2%"],
    ["London 12°C | Paris 14°C | Berlin 9°C", "Madrid 21°C | Rome 19°C | Oslo 4°C"],
])
def test_a_widget_of_figures_in_the_story_is_not_its_table(widget: list[str]) -> None:
    # Share prices or the weather set into a story about an election name nothing it names.
    assert kept_with_texts(["By Jane Doe", LEDE, PROSE[0]] + widget + PROSE[1:3]) == [LEDE, *PROSE[:3]]


def test_a_table_quoting_the_storys_figures_is_its_table_in_other_words() -> None:
    # "Revenue" and "Pre-tax profit" where the prose says sales and profit: its figures are the story's.
    lede = "Harbour Ferries said on Thursday that profit fell to £84.2 million from £109.6 million last year."
    figures = ["Measure | 2025 | 2024 | Change", "Revenue | £1,120m | £1,057m | +6%",
               "Pre-tax profit | £84.2m | £109.6m | -23%", "Dividend per unit | 14.1p | 14.1p | 0%"]
    assert kept_with_texts(["By Jane Doe", lede, PROSE[0]] + figures + PROSE[1:3]) == [lede, PROSE[0], *figures,
                                                                                       *PROSE[1:3]]


def test_a_table_beside_a_hard_stop_does_not_join_the_prose() -> None:
    teaser = "The ferry company posted its results for the year, with fares up and passengers down again."
    assert kept_with_texts([teaser] + RESULTS[1:] + ["Tags: elections", "By Jane Doe"] + PROSE[:3]) == PROSE[:3]


def test_a_table_above_the_headline_does_not_join_the_prose() -> None:
    teaser = ("The ferry company posted its results for the year on Friday, with the fares up again and"
              " the number of passengers down for the third year in a row.")
    table = RESULTS[1:] + SCORES  # longer than a gap may be
    assert kept_with_texts([teaser] + table + ["Harbour Ward Elects Ana Vega"] + PROSE[:3]) == PROSE[:3]


def test_a_table_below_the_story_is_not_kept() -> None:
    # Below the last paragraph the scores may be a sidebar's: no paragraph of the story follows.
    assert kept_with_texts(PROSE[:3] + SCORES + ["Share on Facebook"]) == PROSE[:3]
