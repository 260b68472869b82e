"""clean_text_dump(boilerplate=...): what the caller knows beyond one page.

The pipeline passes a function that combines a source's profile rules with blocks repeated
across the source's pages. A block it names is boilerplate for the reason it gives: never
body, never title or metadata, counted as boilerplate when the article's region is chosen,
and listed in ``dropped`` with that reason.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable

import pytest

from generator.errors import DigestError
from generator.ingest import CleanedArticle, clean_text_dump
from generator.taxonomy import Vocabulary

VOCABULARY = Vocabulary.from_topics(())

PROSE = [
    "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.",
    "Engineers told the board that two of the wooden pillars have rotted and must be replaced before winter.",
    "The repairs are expected to cost about half a million euros, which the board hopes to share with the town.",
]
# Prose by every measure the cleaner has, but the same on every page of its site.
ABOUT = ("The Harbour Herald has been published in the town since 1902 and is owned by a trust that"
         " reinvests all of its income in local reporting, training and the upkeep of its archive.")
LONG_ABOUT = " ".join([ABOUT] * 4)
HEADER_DATE = "Tuesday, 5 March 2024"  # the site header shows today's date on every page


def clean(lines: list[str], hook: Callable[[str], str | None] | None = None) -> CleanedArticle:
    return clean_text_dump("\n".join(lines), vocabulary=VOCABULARY, min_mentions=2, max_inferred=4,
                           boilerplate=hook)


def flagging(*texts: str, reason: str = "repeats on 5 of 6 pages from Harbour Herald"):
    return lambda text: reason if text in texts else None


PAGE = ["Harbour Herald", HEADER_DATE, "Home", "News", "Pier repairs approved after years of delay",
        PROSE[0], PROSE[1], ABOUT, PROSE[2], "© 2024 Harbour Herald"]


def test_a_named_block_leaves_the_body_with_the_callers_reason() -> None:
    assert ABOUT in clean(PAGE).paragraphs  # without the hook it reads as the article's prose
    reason = "profile harbour.yaml: matches '^The Harbour Herald has been published'"
    a = clean(PAGE, flagging(ABOUT, reason=reason))
    assert a.paragraphs == tuple(PROSE)
    assert (ABOUT, reason) in a.dropped
    assert a.title == "Pier repairs approved after years of delay"


def test_named_blocks_count_as_boilerplate_when_the_region_is_chosen() -> None:
    # A long footer paragraph outweighs a short article, unless the caller knows it is furniture.
    page = ["Pier repairs approved after years of delay", "By Jane Doe", PROSE[0], PROSE[1],
            "© 2024 Harbour Herald", LONG_ABOUT]
    assert clean(page).paragraphs == (LONG_ABOUT,)
    a = clean(page, flagging(LONG_ABOUT))
    assert a.paragraphs == tuple(PROSE[:2])
    assert a.title == "Pier repairs approved after years of delay"
    assert a.author == "Jane Doe"


def test_named_blocks_are_not_read_for_the_date_title_or_tags() -> None:
    assert clean(PAGE).date == datetime.date(2024, 3, 5)  # the header date passes for a dateline
    a = clean(PAGE, flagging(HEADER_DATE))
    assert a.date is None
    assert dict(a.dropped)[HEADER_DATE] == "repeats on 5 of 6 pages from Harbour Herald"
    menu_tags = "Tags: News, Sport, Weather"
    page = PAGE[:-1] + [menu_tags, PAGE[-1]]
    assert clean(page).tags == ("News", "Sport", "Weather")
    assert clean(page, flagging(menu_tags)).tags == ()
    with pytest.raises(DigestError, match="no headline found"):
        clean(PAGE, flagging("Pier repairs approved after years of delay"))  # the only headline-like line


def test_a_copyright_line_named_by_the_caller_still_ends_the_article() -> None:
    later = "Readers who enjoyed this story should know that the paper has been in print since 1901 in the town."
    page = PAGE[:-1] + ["© 2024 Harbour Herald", later]
    a = clean(page, flagging("© 2024 Harbour Herald"))
    assert later not in a.paragraphs
    assert ("© 2024 Harbour Herald", "repeats on 5 of 6 pages from Harbour Herald") in a.dropped


def test_a_hook_that_names_nothing_changes_nothing() -> None:
    assert clean(PAGE, lambda text: None) == clean(PAGE)
    assert clean(PAGE, lambda text: "") == clean(PAGE)  # an empty reason is no reason


def test_the_hook_is_asked_once_per_distinct_text() -> None:
    asked: Counter[str] = Counter()

    def hook(text: str) -> str | None:
        asked[text] += 1
        return None
    clean(PAGE + ["Home", "Home"], hook)
    assert set(asked) == set(PAGE) and max(asked.values()) == 1


def test_when_the_caller_names_every_block_there_is_no_article() -> None:
    with pytest.raises(DigestError) as info:
        clean(PAGE, lambda text: "everything repeats")
    assert info.value.problems[0].message == "no article body found"
