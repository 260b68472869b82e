"""Dates as readers see them: in the site's time zone, spelled "30 March 2024"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def human_day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day a moment falls on in the site's zone: what pages show and digests file by."""
    return moment.astimezone(zone).date()


def human_date(value: datetime | date | None, zone: ZoneInfo | None = None) -> str:
    """A moment's day in ``zone`` (or its own offset without one); a plain date as it is; "" for none."""
    if value is None:
        return ""
    if isinstance(value, datetime) and zone is not None:
        value = local_day(value, zone)
    return human_day(value)
