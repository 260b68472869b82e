"""Tables in a text dump: rows of results or figures, which read as neither prose nor menus.

A dump keeps a table as one line per row ("Ana Petrov | Labour | 1,204 | 41.2%", "Harbour City 4
Westgate Rangers 0"). Set into the story, between its lede and the rest, a table is the story's
own: it joins the two parts and its rows are kept, as HTML pages keep their tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .features import content_words, is_sentence_end, menu_items, words_of

# A table row: a line of figures ("Harbour City 4 Westgate Rangers 0 (Keller 5, 19)") or of
# cells holding one ("Ana Petrov | Labour | 1,204 | 41.2%").
_FIGURE = re.compile(r"[+-]?\d[\d.,:]*%?")
MIN_ROW_FIGURES = 3
MIN_FIGURE_SHARE = 0.2  # of a row's words and figures; prose with a date and a sum has fewer
MIN_TABLE_ROWS = 2  # data rows that make a table; one line of figures is a sentence or a label
MAX_TABLE_HEADING_WORDS = 5  # "Full results", "How the league stands"; a headline runs longer


def figures_of(text: str) -> int:
    return len(_FIGURE.findall(text))


def is_data_row(text: str) -> bool:
    """A row of a table of results or figures: cells holding a figure, or a line of which a
    fifth or more are figures (a score line, a league table's row, a turnout) and that is no
    sentence (prose about sums and years ends with a full stop)."""
    figures = figures_of(text)
    if len(menu_items(text)) >= 3 and figures:
        return True
    words = sum(not any(c.isdigit() for c in w) for w in words_of(text))
    return (figures >= MIN_ROW_FIGURES and figures >= MIN_FIGURE_SHARE * (figures + words)
            and not is_sentence_end(text))


def _is_header_row(text: str) -> bool:
    """A table's header: cells with no figure ("Candidate | Party | Votes | Share")."""
    return len(menu_items(text)) >= 3 and not figures_of(text)


def _is_table_heading(text: str) -> bool:
    """A short line naming the table below it ("Full results"): no sentence, no row."""
    words = words_of(text)
    return (0 < len(words) <= MAX_TABLE_HEADING_WORDS and text[0].isupper()
            and not is_sentence_end(text) and len(menu_items(text)) == 1)


# A line under a table saying where its figures come from or how to read them.
_TABLE_NOTE = re.compile(r"(?i)^(?:sources?|notes?|data|figures)\s*:\s*\S")
MAX_TABLE_NOTE_WORDS = 24
MAX_TABLE_LEAD_IN_WORDS = 16  # "The five places with the biggest rises were:"


def _is_table_note(text: str) -> bool:
    return bool(_TABLE_NOTE.match(text)) and len(words_of(text)) <= MAX_TABLE_NOTE_WORDS


def _is_table_lead_in(text: str) -> bool:
    """A short line introducing the table below it ("The five places with the biggest rises were:")."""
    return (text.endswith(":") and text[0].isupper() and 0 < len(words_of(text)) <= MAX_TABLE_LEAD_IN_WORDS
            and len(menu_items(text)) == 1)


def table_rows(kinds: tuple[str | None, ...], texts: tuple[str, ...] | None) -> frozenset[int]:
    """The rows of the page's tables: two data rows in a row at least, with the header row
    right above them if there is one, a heading or a lead-in above that, and a line giving
    the figures' source below. Boilerplate and metadata lines are no table's."""
    if texts is None:
        return frozenset()
    data = [kinds[i] is None and is_data_row(text) for i, text in enumerate(texts)]
    heads = [kinds[i] is None and _is_header_row(text) for i, text in enumerate(texts)]
    found: set[int] = set()
    i = 0
    while i < len(texts):
        first_data = i + 1 if heads[i] else i
        after = first_data
        while after < len(texts) and data[after]:
            after += 1
        if after - first_data >= MIN_TABLE_ROWS:
            heading = i > 0 and kinds[i - 1] is None and (_is_table_heading(texts[i - 1])
                                                          or _is_table_lead_in(texts[i - 1]))
            note = after < len(texts) and kinds[after] in (None, "image_credit") and _is_table_note(texts[after])
            found.update(range(i - heading, after + note))
        i = max(after, i + 1)
    return frozenset(found)


def tables_inside(start: int, end: int, kept: frozenset[int], rows: frozenset[int], texts: tuple[str, ...] | None,
                  stopwords: frozenset[str], ad_slots: frozenset[int] = frozenset()) -> frozenset[int]:
    """The table rows between two kept paragraphs of the region that name what the story
    names: the story's own table. An ad slot's label among the rows (``ad_slots``) is not
    kept, nor does it end the table.

    They are kept as article text, a row to a paragraph, as HTML pages keep their tables:
    the results a story reports are what it says, and nothing there is invented. A table
    above the lede or below the last paragraph may be the page's (a sidebar's scores), so
    it goes; so does a widget of figures set into the story (share prices, the weather in
    five cities), whose names the story does not mention.
    """
    if texts is None or not rows:  # most pages have no table: their words are not gathered
        return frozenset()
    story = content_words(texts, kept - rows, stopwords)
    story_figures = _precise_figures(texts, kept - rows)
    found: set[int] = set()
    i = start
    while i <= end:
        if i not in rows or i in kept:
            i += 1
            continue
        j = i
        while j + 1 <= end and (j + 1 in rows or j + 1 in ad_slots) and j + 1 not in kept:
            j += 1
        table = [k for k in range(i, j + 1) if k in rows]
        shared = len(content_words(texts, table, stopwords) & story) + \
            len(_precise_figures(texts, table) & story_figures)
        if i - 1 in kept and j + 1 in kept and shared >= MIN_SHARED_NAMES:
            found.update(table)
        i = j + 1
    return frozenset(found)


MIN_SHARED_NAMES = 2  # a table of the story's candidates or teams names two of them at least
# A figure precise enough to be the story's own ("84.2" of "£84.2m" and "£84.2 million", "1,120"):
# a results table the prose words differently ("Revenue", "sales") still quotes its figures.
_PRECISE_FIGURE = re.compile(r"(?<![\d.,])(?:\d+\.\d+|\d{1,3}(?:,\d{3})+|\d{3,})(?![\d,]*\d)")


def _precise_figures(texts: tuple[str, ...], blocks: Iterable[int]) -> set[str]:
    """The precise figures of some blocks (no small whole numbers, which any text has; no
    years, which every page of the year has)."""
    return {f for i in blocks for f in _PRECISE_FIGURE.findall(texts[i]) if not (len(f) == 4 and f[:2] in ("19", "20"))}
