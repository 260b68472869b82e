"""Invented pages of one invented site, for tests of ingest over many pages of a source."""

from __future__ import annotations

import random

_SUBJECTS = ("The harbour council", "The ferry operator", "Fishing crews", "The port authority",
             "Residents of the north shore", "The coastal research station", "The school board")
_VERBS = ("said on Monday that", "warned that", "confirmed that", "told reporters that", "announced that")
_CLAIMS = ("the new timetable would start in September", "repairs to the north pier would take two months",
           "herring catches had doubled since last spring", "the budget for road repairs would rise",
           "the storm had damaged more than forty boats", "a public meeting would be held next week",
           "water levels in the bay were the highest on record", "prices at the fish market had fallen")
# Reads like prose, and no general rule knows it: only its repetition on every page gives it away.
PITCH = ("Our fisheries desk is supported by the Marlow Family Foundation, which has no say over what "
         "we report and never sees a story before it is published.")


def paragraph(rng: random.Random) -> str:
    return " ".join(f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAIMS)}." for _ in range(3))


def harbor_page(seed: int, *, pitch: bool = True, url: str | None = None, paragraphs: int = 6) -> str:
    """A text dump of one Harbor Valley Gazette story: menu, headline, byline, body, pitch, footer."""
    rng = random.Random(seed)
    body = [paragraph(rng) for _ in range(paragraphs)]
    lines = [f"url {url}" if url else None,
             "Harbor Valley Gazette", "Menu", "Local", "Business", "Environment", "",
             f"Harbour news story number {seed} makes the headlines", "",
             "By Priya Raman", "3 June 2024", ""]
    lines += [p + "\n" for p in body[:3]]
    if pitch:
        lines.append(PITCH + "\n")
    lines += [p + "\n" for p in body[3:]]
    lines += ["Related", "Ferry timetable changes for the summer", "New cold store planned at the harbour", "",
              "© 2024 Harbor Valley Gazette. All rights reserved."]
    return "\n".join(line for line in lines if line is not None) + "\n"
