"""The main content region: the article is one stretch of good blocks, not every good block.

Good blocks form segments wherever bad ones separate them. The segment with the most good
text is the article's core; neighbouring segments join it across a small gap (a caption,
an ad slot, an inline "Read also" teaser), but never across a hard stop such as a tag line,
a newsletter box or a teaser-list heading, which mark where the article ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from .classify import GOOD, NEARGOOD, Label
from .features import Features
from .rules import Rules

# The body does not reach back across its own byline or dateline.
_LEFT_STOPS = frozenset({"byline", "dateline", "tag_line", "tag_heading"})


@dataclass(frozen=True)
class Region:
    start: int  # first block of the article body
    end: int  # last block (inclusive)
    kept: tuple[int, ...]  # good blocks and near-good sentences between them, in order


def segments(labels: tuple[Label, ...]) -> list[tuple[int, int]]:
    """Maximal runs of good blocks, as (first, last) index pairs."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, label in enumerate(labels):
        if label.cls == GOOD and start is None:
            start = i
        elif label.cls != GOOD and start is not None:
            runs.append((start, i - 1))
            start = None
    if start is not None:
        runs.append((start, len(labels) - 1))
    return runs


def _mass(run: tuple[int, int], features: tuple[Features, ...]) -> int:
    return sum(features[i].chars for i in range(run[0], run[1] + 1))


def _stop_kinds(features: tuple[Features, ...],
                roles: tuple[str | None, ...]) -> tuple[str | None, ...]:
    """Each block's boilerplate kind, or its metadata role ("tag line" -> "tag_line")."""
    return tuple(f.boilerplate or (r.replace(" ", "_") if r else None) for f, r in zip(features, roles))


def _is_right_stop(i: int, kinds: tuple[str | None, ...], labels: tuple[Label, ...],
                   rules: Rules) -> bool:
    if kinds[i] in rules.hard_stop_always:
        return True
    if kinds[i] in rules.hard_stop_unless_prose:
        # A heading is mid-article only when the article visibly goes on right after it.
        return not (i + 1 < len(labels) and labels[i + 1].cls == GOOD)
    return False


def _gap_ok(lo: int, hi: int, first: tuple[Label, ...], features: tuple[Features, ...],
            rules: Rules) -> bool:
    """Can blocks lo..hi (exclusive) sit inside one article?

    Sentences (near-good on their own) do not count against the gap: short sentences
    that lost their context to interleaved teaser headlines are the article's own.
    """
    t = rules.thresholds
    gap = range(lo + 1, hi)
    bad_chars = sum(features[i].chars for i in gap if first[i].cls != NEARGOOD)
    return len(gap) <= t.max_gap_blocks and bad_chars <= t.max_gap_chars


def main_region(first: tuple[Label, ...], labels: tuple[Label, ...],
                features: tuple[Features, ...], roles: tuple[str | None, ...],
                rules: Rules) -> Region | None:
    """The article body: ``first`` are the first-pass labels, ``labels`` the smoothed ones."""
    runs = segments(labels)
    if not runs:
        return None
    kinds = _stop_kinds(features, roles)
    best = max(range(len(runs)), key=lambda k: (_mass(runs[k], features), -k))
    lo, hi = best, best
    while hi + 1 < len(runs):
        end, nxt = runs[hi][1], runs[hi + 1][0]
        if any(_is_right_stop(i, kinds, labels, rules) for i in range(end + 1, nxt)):
            break
        if not _gap_ok(end, nxt, first, features, rules):
            break
        hi += 1
    while lo > 0:
        prev_end, start = runs[lo - 1][1], runs[lo][0]
        gap = range(prev_end + 1, start)
        if any(kinds[i] in _LEFT_STOPS or kinds[i] in rules.hard_stop_always for i in gap):
            break
        if not _gap_ok(prev_end, start, first, features, rules):
            break
        lo -= 1
    start, end = runs[lo][0], runs[hi][1]
    # Inside the article, a sentence that lost its neighbours to interleaved teaser
    # headlines is still the article's own sentence.
    kept = tuple(i for i in range(start, end + 1)
                 if labels[i].cls == GOOD or first[i].cls == NEARGOOD)
    return Region(start, end, kept)
