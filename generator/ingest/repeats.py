"""Cross-document boilerplate: blocks that repeat on many pages of the same source.

A menu, a sign-up pitch or a footer that a site prints on every page is not part of any
one article, however prose-like it reads. A block counts as repeated when it appears on
at least ``min_pages`` pages of one source and on more than half of that source's pages,
so a background paragraph two follow-up stories share is not mistaken for boilerplate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..taxonomy import word_key as block_key  # two copies of one block: case, spacing, punctuation aside

MIN_PAGES = 3


@dataclass(frozen=True)
class RepeatedBlocks:
    """The repeated blocks of one source."""

    source: str
    pages: int
    counts: Mapping[str, int]  # block key -> pages it appears on

    def reason(self, text: str) -> str | None:
        count = self.counts.get(block_key(text))
        if count is None:
            return None
        return f"repeats on {count} of {self.pages} pages from {self.source}"


def repeated_blocks(pages: Iterable[tuple[str, Iterable[str]]], min_pages: int = MIN_PAGES) -> dict[str, RepeatedBlocks]:
    """(source, block texts of one page) pairs -> the repeated blocks of each source."""
    counts: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for source, blocks in pages:
        keys = {block_key(text) for text in blocks} - {""}
        counts.setdefault(source, Counter()).update(keys)
        totals[source] += 1
    found = {}
    for source, counter in counts.items():
        pages_of_source = totals[source]
        repeated = {key: n for key, n in counter.items() if n >= min_pages and 2 * n > pages_of_source}
        if repeated:
            found[source] = RepeatedBlocks(source, pages_of_source, repeated)
    return found
