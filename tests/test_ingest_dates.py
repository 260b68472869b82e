"""Dates stated by the page: header dates and datelines, never body sentences."""

from __future__ import annotations

import datetime

import pytest

from generator.ingest import load_rules
from generator.ingest.dates import article_date, dateline_date, find_date, parse_header_date

D = datetime.date


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-30", D(2024, 3, 30)),
    ("2024/3/9", D(2024, 3, 9)),
    ("March 30, 2024", D(2024, 3, 30)),
    ("30 March 2024", D(2024, 3, 30)),
    ("Mar. 30, 2024", D(2024, 3, 30)),
    ("Sept. 5, 2021", D(2021, 9, 5)),
    ("5th of May 2020", D(2020, 5, 5)),
    ("december 1st 2019", D(2019, 12, 1)),
    ("18.11.2019", D(2019, 11, 18)),
    ("5-Mar-2026", D(2026, 3, 5)),  # as a database writes it
    ("Posted 05-Mar-2026 09:00", D(2026, 3, 5)),
    # Two figures for the year, as C's strptime reads them; the month is the figure that can be one.
    ("Posted: 3/15/26 9:04 PM", D(2026, 3, 15)),
    ("15.03.26", D(2026, 3, 15)),
    ("11/20/19 6:38 AM", D(2019, 11, 20)),
    ("12/31/99", D(1999, 12, 31)),
])
def test_date_formats(text: str, expected: datetime.date) -> None:
    found = find_date(text, load_rules())
    assert found is not None and found[0] == expected


@pytest.mark.parametrize("text", ["2024-02-30", "March 30", "30 Marchy 2024", "last week", "Mayo 3, 2020",
                                  "March 30, 20245", "03/11/26", "Firmware 1.2.26", "10.11.12.5", "3-15-26"])
def test_not_dates(text: str) -> None:
    assert find_date(text, load_rules()) is None


def test_header_date() -> None:
    assert parse_header_date("2024-03-30", load_rules()) == D(2024, 3, 30)
    assert parse_header_date("2024-03-30T10:15:00Z", load_rules()) == D(2024, 3, 30)


@pytest.mark.parametrize(("line", "expected"), [
    ("Published 12 May 2023", D(2023, 5, 12)),
    ("Updated: 30 March 2024", D(2024, 3, 30)),
    ("Posted on March 3, 2021 at 9:15 am", D(2021, 3, 3)),
    ("Nov. 20, 2019 5:52 AM EST", D(2019, 11, 20)),
    ("November 18, 2019 | 4:10pm", D(2019, 11, 18)),
    ("Mon 18 Nov 2019 18.54 GMT Last modified on Mon 18 Nov 2019 18.56 GMT", D(2019, 11, 18)),
    ("2022-11-05", D(2022, 11, 5)),
    ("Published May 2, 2024 by Jane Doe in Politics", D(2024, 5, 2)),
    ("May 2, 2024 | Updated May 3, 2024", D(2024, 5, 2)),
    # A copied page may run the year into the time and the zone into the next word.
    ("October 31, 20257:45 AM GMTUpdated 3 hours ago", D(2025, 10, 31)),
    ("Nov. 20, 201912:05 PM ET", D(2019, 11, 20)),
    # A numeric date after its weekday: the date that falls on it, month first or day first.
    ("Tue, 02/11/2025 - 14:32", D(2025, 2, 11)),
    ("Sun, 02/11/2025", D(2025, 11, 2)),
    ("Monday 13/01/2025", D(2025, 1, 13)),
    # Alone, when only one figure can be the month (or both orders are one date).
    ("Published: 23/11/2026", D(2026, 11, 23)),
    ("11/23/2026", D(2026, 11, 23)),
    ("Published on: 18-10-2026 - 10:42", D(2026, 10, 18)),
    ("05/05/2026", D(2026, 5, 5)),
    # A reading time beside the date.
    ("5 November 2025 · 4 min read", D(2025, 11, 5)),
    ("Nov. 5, 2025 | 6 min read", D(2025, 11, 5)),
])
def test_datelines(line: str, expected: datetime.date) -> None:
    assert dateline_date(line, load_rules()) == expected


@pytest.mark.parametrize("line", [
    "The council met on March 30, 2024 to discuss the barrier and its cost.",
    "Residents have waited since the floods of 2011.",
    "The report is due on 1 September 2025, officials said.",
    "Last week the river rose by two metres.",
    "Released on March 3, 2021, the engineers' report warned that the old wall would fail within a decade.",
    "Published on 2 May 2024, the survey found that most boats in the harbour were over thirty years old.",
    "Read the report of March 3, 2025",
])
def test_body_sentences_are_not_datelines(line: str) -> None:
    assert dateline_date(line, load_rules()) is None


@pytest.mark.parametrize("line", [
    "Published 06/03/2025",  # no weekday: month first or day first cannot be told
    "03/11/2026",
    "Published 18/10-2026",  # no date's one separator
    "Wed, 02/11/2025",  # neither February 11 nor November 2 is a Wednesday
    "Sat, 05/05/2025",  # May 5 is a Monday
])
def test_a_numeric_date_is_read_only_when_its_order_can_be_told(line: str) -> None:
    assert dateline_date(line, load_rules()) is None


@pytest.mark.parametrize("line", [
    "March 2, 1931 \u2013 January 19, 2024",  # an obituary's lifespan
    "12 June 2024 - 16 June 2024",
    "June 3, 2024 to June 9, 2024",  # a festival's days
])
def test_a_span_of_two_dates_is_no_dateline(line: str) -> None:
    assert dateline_date(line, load_rules()) is None


@pytest.mark.parametrize("line", ["Born: 9 June 1938, Salford", "Died: 2 February 2026, Pwllheli",
                                  "Born 9 June 1938", "died February 2, 2026"])
def test_an_obituarys_birth_or_death_is_no_dateline(line: str) -> None:
    assert dateline_date(line, load_rules()) is None


def _no_byline(text: str) -> None:
    return None


@pytest.mark.parametrize(("lines", "expected"), [
    # A masthead showing the day of the scrape stands above the published date.
    (["Thursday, May 9, 2024", "Harbour wall approved", "Published May 2, 2024"], (D(2024, 5, 2), 2)),
    (["Harbour wall approved", "Last updated: 9 May 2024 | Published: 2 May 2024"], (D(2024, 5, 2), 1)),
    (["Updated 9 May 2024", "Harbour wall approved", "2 May 2024 10:15 GMT"], (D(2024, 5, 2), 2)),
    (["Harbour wall approved", "Updated 9 May 2024"], (D(2024, 5, 9), 1)),  # the only date stated
    (["May 1, 2024", "Harbour wall approved", "May 2, 2024"], (D(2024, 5, 1), 0)),  # equals: the first
    (["Harbour wall approved", "Released on March 3, 2021, the engineers' report warned that the old wall would"
      " fail."], None),
])
def test_the_article_date_is_the_published_one(lines: list[str], expected: tuple[D, int] | None) -> None:
    assert article_date(enumerate(lines), load_rules(), _no_byline) == expected


def test_a_byline_date_counts_before_a_bare_date() -> None:
    def byline(text: str) -> D | None:
        return D(2024, 5, 2) if text.startswith("By ") else None
    lines = ["Friday 10 May 2024", "Harbour wall approved", "By Jane Doe | May 2, 2024"]
    assert article_date(enumerate(lines), load_rules(), byline) == (D(2024, 5, 2), 2)


@pytest.mark.parametrize(("lines", "expected"), [
    # Above the site's menu the masthead shows the day the page was read: no date of the story's.
    (["Harbour Wire", "Tuesday, October 7, 2025", "Home | News | Sports | Weather", "LOCAL NEWS",
      "Harbour wall approved", "By Jane Doe", "Updated 2 hours ago"], None),
    (["Harbour Wire", "Tuesday, October 7, 2025", "News · Sport · Business", "Harbour wall approved"], None),
    # Below the menu, a date line above the headline still dates the story.
    (["Harbour Wire", "Home | News | Sports | Weather", "Oct. 6, 2025", "Harbour wall approved"], (D(2025, 10, 6), 2)),
    # A byline's row of parts with figures in it is no menu.
    (["Oct. 6, 2025", "By Jane Doe · Staff · 5 min read", "Harbour wall approved"], (D(2025, 10, 6), 0)),
])
def test_a_date_above_the_sites_menu_is_the_mastheads(lines: list[str], expected: tuple[D, int] | None) -> None:
    headline = lines.index("Harbour wall approved")
    assert article_date(enumerate(lines), load_rules(), _no_byline, headline) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("CAMBRIDGE, Mass., Oct. 21, 2025 /PRNewswire/ -- Harbour Biotech, Inc. today announced results of its"
     " trial of a new cough medicine in adults.", D(2025, 10, 21)),
    ("PORTSMOUTH, England--(BUSINESS WIRE)--Nov. 3, 2025--Harbour Tech plc said on Monday it would hire"
     " 200 engineers.", D(2025, 11, 3)),  # the date right after the wire's mark
    ("NEW YORK, Nov. 3, 2025 (GLOBE NEWSWIRE) -- Harbour Funds, an asset manager, today named a new chief"
     " executive.", D(2025, 11, 3)),
    # A body sentence with a date and a slash is no release's dateline.
    ("On Nov. 3, 2025 the ferry ran 24/7 -- a first for the island, the operator said.", None),
    # With no wire: a place in capitals, then the date with its year right before the dash.
    ("ABERDEEN, Scotland, 23rd November 2026 — Harbour Subsea Ltd today announced a contract to inspect"
     " cables.", D(2026, 11, 23)),
    ("WASHINGTON, Nov. 23, 2026 – The harbour agency named a new director on Monday.", D(2026, 11, 23)),
    ("PORTSMOUTH, Nov 23 (Harbour Wire) - The ferry company said it would hire 200 crew.", None),  # no year
    ("Portsmouth, 23 November 2026 — the ferry company said it would hire 200 crew.", None),  # no place in capitals
])
def test_a_press_releases_dateline_dates_it(line: str, expected: D | None) -> None:
    lines = ["Harbour Biotech reports trial results", line]
    assert article_date(enumerate(lines), load_rules(), _no_byline, 0) == (None if expected is None else (expected, 1))
