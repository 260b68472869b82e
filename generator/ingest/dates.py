"""Dates a page states about itself: header dates and datelines, English month names.

Only whole date lines are read ("Published March 30, 2024", "Nov. 20, 2019 5:52 AM EST"),
never dates inside body sentences, and a date without a year is never completed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable

from .features import is_menu_row
from .rules import Rules

_TOKEN_TRIM = re.compile(r"^[\W_]+|[\W_]+$")
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")  # a copied page's "GMTUpdated"


def find_date(text: str, rules: Rules) -> tuple[datetime.date, re.Match[str]] | None:
    """The first valid date written in ``text``, with its match."""
    for match in rules.date_expr.finditer(text):
        parsed = _to_date(match, rules)
        if parsed is not None:
            return parsed, match
    return None


def _to_date(match: re.Match[str], rules: Rules) -> datetime.date | None:
    g = match.groupdict()
    if g["wd"]:
        return _by_weekday(int(g["ny"]), int(g["na"]), int(g["nb"]), rules.weekdays[g["wd"].casefold()])
    if g["sy"]:
        return _one_way(_full_year(g["sy"]), int(g["sa"]), int(g["sb"]))
    try:
        if g["iy"]:
            return datetime.date(int(g["iy"]), int(g["im"]), int(g["id"]))
        if g["ey"]:
            return datetime.date(_full_year(g["ey"]), int(g["em"]), int(g["ed"]))
        if g["m1"]:
            return datetime.date(int(g["y1"]), rules.months[g["m1"].casefold()], int(g["d1"]))
        return datetime.date(int(g["y2"]), rules.months[g["m2"].casefold()], int(g["d2"]))
    except (ValueError, KeyError):  # 2024-02-30, "Mayo 3" ...: not a date
        return None


def _full_year(figures: str) -> int:
    """The year, written in full or with two figures, read as C's strptime reads them: 69-99 in
    the 1900s, 00-68 in the 2000s."""
    year = int(figures)
    return year if len(figures) > 2 else year + (1900 if year >= 69 else 2000)


def _by_weekday(year: int, first: int, second: int, weekday: int) -> datetime.date | None:
    """The date of "<weekday>, first/second/year": month first or day first, whichever falls on
    the weekday; None when neither or both do (a day-first "Tue, 02/11/2025" is a Sunday)."""
    fits = {date for date in _either_way(year, first, second) if date.weekday() == weekday}
    return fits.pop() if len(fits) == 1 else None


def _one_way(year: int, first: int, second: int) -> datetime.date | None:
    """The date of "first/second/year" when only one order makes a date, or both make the same
    ("23/11/2026", "11/23/2026", "05/05/2026"); None for "03/11/2026", which is no one's to guess."""
    fits = _either_way(year, first, second)
    return fits.pop() if len(fits) == 1 else None


def _either_way(year: int, first: int, second: int) -> set[datetime.date]:
    """The dates "first/second/year" makes read month first and day first."""
    fits = set()
    for month, day in ((first, second), (second, first)):
        try:
            fits.add(datetime.date(year, month, day))
        except ValueError:
            continue
    return fits


def parse_header_date(value: str, rules: Rules) -> datetime.date | None:
    found = find_date(value, rules)
    return found[0] if found else None


def dateline_date(text: str, rules: Rules) -> datetime.date | None:
    """The date of a line that is a dateline, else None.

    A dateline starts with a word such as "Published" or "Updated", or holds nothing but
    a date with times, zones and weekdays around it. Either way it is no sentence: a body
    sentence that starts "Released on March 3, 2021, the report warned ..." dates a report,
    not the article.
    """
    if len(text.split()) > rules.date_max_words:
        return None
    found = find_date(text, rules)
    if found is None:
        return None
    date, match = found
    later = find_date(text[match.end():], rules)
    if later is not None and rules.date_span.search(text[match.end():match.end() + later[1].start()]):
        return None
    keyword = next((m for p in rules.dateline if (m := p.search(text))), None)
    if keyword is None and rules.life_event.match(text):
        return None
    others = _other_words(text[keyword.end() if keyword else 0:match.start()] + " " + text[match.end():], rules)
    if keyword is not None:
        # "Published May 2, 2024 by Jane Doe in Politics": a few small words besides names.
        return date if sum(not word[0].isupper() for word in others) <= DATELINE_SMALL_WORDS else None
    # Besides times and zones, a date line may name its author or desk ("... Jane Doe").
    if len(others) > 3 or not all(t[0].isupper() for t in others):
        return None
    return date


def release_date(text: str, rules: Rules) -> datetime.date | None:
    """The date of a press release's dateline opening the paragraph ("CAMBRIDGE, Mass., Oct. 21,
    2025 /PRNewswire/ -- ...", "BOSTON--(BUSINESS WIRE)--Nov. 3, 2025--...", "ABERDEEN, Scotland,
    23rd November 2026 — ..."), else None."""
    release = next(filter(None, (pattern.match(text) for pattern in rules.date_release)), None)
    if release is None:
        return None
    found = find_date(release.group("dateline"), rules) or find_date(release.groupdict().get("after") or "", rules)
    return found[0] if found else None


DATELINE_SMALL_WORDS = 3  # words not capitalised a dateline may hold besides its date, times and zones


def _published_date(text: str, rules: Rules) -> datetime.date | None:
    """Of a dateline, the date right after a word saying the article was published ("Last
    updated: 9 May 2024 | Published: 2 May 2024" gives 2 May), else None."""
    for said in rules.date_published.finditer(text):
        after = text[said.end():]
        found = find_date(after, rules)
        if found is not None and len(after[:found[1].start()].split()) <= 2:  # "on Thu 2 May 2024"
            return found[0]
    return None


def published_line_date(text: str, rules: Rules) -> datetime.date | None:
    """The date of a line below the body saying when the page was published ("This article was
    published on 12 June 2025.", "Published by the Times-Tribune on Nov. 2, 2025."), else None
    ("Published by Knopf on ..." dates a book)."""
    if rules.boilerplate_kind(text) == PUBLICATION_NOTE:  # "... published on 12 June 2025, in the Herald."
        found = find_date(text, rules)
        return found[0] if found is not None else None
    return dateline_date(text, rules) if rules.date_published_by_paper.match(text) else None


PUBLICATION_NOTE = "publication_note"  # the boilerplate kind of rules.yaml a note of when the page was published is


def is_update_stamp(text: str, rules: Rules) -> bool:
    """Whether a dateline (or a date's label) dates only an update: "Updated", "Last modified"."""
    return any(p.search(text) for p in rules.date_updated)


def article_date(lines: Iterable[tuple[int, str]], rules: Rules,
                 byline_date: Callable[[str], datetime.date | None],
                 headline: int = -1) -> tuple[datetime.date, int] | None:
    """The article's date from the lines around its headline, (index, text) in page order,
    with the line it was read from: a "Published" date first, else a byline's date, else any
    other dateline's, one under the headline (at index ``headline``) before one above it, an
    "Updated" line's last. A masthead showing the day of the scrape and an update stamp stand
    above many a publication date; a date above the site's menu ("Home | News | Sports"), where
    the masthead shows it, dates nothing."""
    lines = list(lines)
    menu = max((i for i, text in lines if i < headline and _is_site_menu(text)), default=-1)
    best: tuple[int, datetime.date, int] | None = None  # (rank, date, index): lower ranks first
    for index, text in lines:
        if index < menu:
            continue
        dated = dateline_date(text, rules) or release_date(text, rules)
        published = _published_date(text, rules) if dated is not None else None
        if published is not None:
            return published, index
        found = byline_date(text)
        rank = 1
        if found is None:
            found = dated
            rank = 4 if is_update_stamp(text, rules) else 3 if index < headline else 2
        if found is not None and (best is None or rank < best[0]):
            best = rank, found, index
    return (best[1], best[2]) if best is not None else None


def _is_site_menu(text: str) -> bool:
    """A row of the site's menu: no figures, as a byline's row has ("By Jo Doe · May 2, 2024 · 5 min read")."""
    return is_menu_row(text) and not any(c.isdigit() for c in text)


def _other_words(rest: str, rules: Rules) -> list[str]:
    """The words of a line's ``rest`` that are no time, zone, weekday or part of a date."""
    others = []
    for token in _GLUED.sub(" ", rest.replace("|", " ")).split():
        token = _TOKEN_TRIM.sub("", token)
        if token and not rules.date_filler.search(token) and not _is_date_part(token, rules):
            others.append(token)
    return others


def _is_date_part(token: str, rules: Rules) -> bool:
    """A weekday or month name, or a day or year left over from a second date on the line."""
    folded = token.casefold().rstrip(".")
    return folded in rules.months or folded in rules.weekdays or (token.isdigit() and len(token) in (1, 2, 4))
