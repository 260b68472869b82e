"""Dates a page states about itself: header dates and datelines, English month names.

Only whole date lines are read ("Published March 30, 2024", "Nov. 20, 2019 5:52 AM EST"),
never dates inside body sentences, and a date without a year is never completed.
"""

from __future__ import annotations

import datetime
import re

from .rules import Rules

_TOKEN_TRIM = re.compile(r"^[\W_]+|[\W_]+$")


def find_date(text: str, rules: Rules) -> tuple[datetime.date, re.Match[str]] | None:
    """The first valid date written in ``text``, with its match."""
    for match in rules.date_expr.finditer(text):
        parsed = _to_date(match, rules)
        if parsed is not None:
            return parsed, match
    return None


def _to_date(match: re.Match[str], rules: Rules) -> datetime.date | None:
    g = match.groupdict()
    try:
        if g["iy"]:
            return datetime.date(int(g["iy"]), int(g["im"]), int(g["id"]))
        if g["ey"]:
            return datetime.date(int(g["ey"]), int(g["em"]), int(g["ed"]))
        if g["m1"]:
            return datetime.date(int(g["y1"]), rules.months[g["m1"].casefold()], int(g["d1"]))
        return datetime.date(int(g["y2"]), rules.months[g["m2"].casefold()], int(g["d2"]))
    except (ValueError, KeyError):  # 2024-02-30, "Mayo 3" ...: not a date
        return None


def parse_header_date(value: str, rules: Rules) -> datetime.date | None:
    found = find_date(value, rules)
    return found[0] if found else None


def dateline_date(text: str, rules: Rules) -> datetime.date | None:
    """The date of a line that is a dateline, else None.

    A dateline starts with a word such as "Published" or "Updated", or holds nothing but
    a date with times, zones and weekdays around it.
    """
    if len(text.split()) > rules.date_max_words:
        return None
    found = find_date(text, rules)
    if found is None:
        return None
    date, match = found
    if any(p.search(text) for p in rules.dateline):
        return date
    rest = (text[:match.start()] + " " + text[match.end():]).replace("|", " ")
    others = []
    for token in rest.split():
        token = _TOKEN_TRIM.sub("", token)
        if token and not rules.date_filler.search(token) and not _is_date_part(token, rules):
            others.append(token)
    # Besides times and zones, a date line may name its author or desk ("... Jane Doe").
    if len(others) > 3 or not all(t[0].isupper() for t in others):
        return None
    return date


def _is_date_part(token: str, rules: Rules) -> bool:
    """A month name, day or year left over from a second date on the line."""
    folded = token.casefold().rstrip(".")
    return folded in rules.months or (token.isdigit() and len(token) in (1, 2, 4))
