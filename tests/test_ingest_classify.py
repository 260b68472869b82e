"""Block classification, context smoothing and the choice of the main content region."""

from __future__ import annotations

from generator.ingest.classify import BAD, GOOD, NEARGOOD, SHORT, Label, smooth
from generator.ingest.region import segments
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


def test_tag_line_is_a_hard_stop() -> None:
    later = "Readers who enjoyed this story should know that the paper has been in print since 1901 in the town."
    _, _, kept = run(PROSE + ["Tags: harbour, pier", later])
    assert kept == PROSE


def test_newsletter_box_mid_article_does_not_end_it() -> None:
    _, _, kept = run(PROSE[:2] + ["Sign up for our harbour newsletter"] + PROSE[2:])
    assert kept == PROSE


def test_teaser_heading_followed_by_headlines_ends_the_article() -> None:
    teaser = "A second story about the bay that the site wants you to read next, with a long summary text."
    _, _, kept = run(PROSE + ["Related stories", "Ferry timetable changes for the summer", teaser])
    assert kept == PROSE


def test_best_segment_wins_over_a_distant_short_one() -> None:
    far = "An unrelated note about the weekend weather that happens to be written in full sentences here."
    lines = [far] + ["Home", "News", "Sport", "Business", "Culture", "Travel", "Opinion", "Video",
                     "Podcasts", "Puzzles", "Food", "Style", "Books", "Music", "Science", "Health"] + PROSE
    _, _, kept = run(lines)
    assert kept == PROSE


def test_no_prose_no_region() -> None:
    _, _, kept = run(["Home", "News", "Sport", "Share on Facebook"])
    assert kept == []
