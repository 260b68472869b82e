"""The story's lists between its runs of prose, which join the runs into one body, and whether
prose below a list or a teaser box goes on with the story (``on_topic``)."""

from __future__ import annotations

import itertools

from .features import Features, content_words
from .lists import list_below
from .rules import Rules

MIN_SHARED_VOCABULARY = 0.1  # paragraphs in a row that show the article goes on below a teaser box


def on_topic(after: tuple[int, int], before: tuple[int, int], texts: tuple[str, ...] | None,
             rules: Rules, also: range = range(0)) -> bool:
    """Does run ``after`` share enough vocabulary with the article so far (the run ``before``, and
    the blocks ``also``)?

    An article's paragraphs share its names and subject words; an "About us" blurb or
    the next story below a teaser list does not.
    """
    if texts is None:
        return True
    own = content_words(texts, range(after[0], after[1] + 1), rules.stopwords)
    shared = own & content_words(texts, itertools.chain(range(before[0], before[1] + 1), also), rules.stopwords)
    return len(shared) >= max(2, MIN_SHARED_VOCABULARY * len(own))


def list_across(end: int, prose: tuple[int, int] | None, before: tuple[int, int], features: tuple[Features, ...],
                roles: tuple[str | None, ...], rules: Rules, texts: tuple[str, ...] | None,
                headings: frozenset[int]) -> range:
    """The story's lists below block ``end`` (``lists_below``) when the story goes on right
    after them (``goes_on_below``). Empty when there are none."""
    listed = lists_below(end, features, roles, texts, rules, headings)
    return listed if goes_on_below(listed, prose, before, texts, rules) else range(0)


def lists_below(end: int, features: tuple[Features, ...], roles: tuple[str | None, ...],
                texts: tuple[str, ...] | None, rules: Rules, headings: frozenset[int]) -> range:
    """The story's list below block ``end`` (``list_below``) and the lists right below it
    under headings of their own; empty when there is none."""
    if texts is None:
        return range(0)
    listed = list_below(end + 1, features, roles, texts, rules, headings)
    while listed and (following := list_below(listed.stop, features, roles, texts, rules, headings, after_list=True)):
        listed = range(listed.start, following.stop)
    return listed


def goes_on_below(listed: range, prose: tuple[int, int] | None, before: tuple[int, int],
                  texts: tuple[str, ...] | None, rules: Rules) -> bool:
    """Does the story go on right below its lists ``listed``: with the run ``prose``, or (None)
    with the one block below, about what the story so far (the run ``before``) and its lists
    are about?"""
    if not listed or texts is None or listed.stop >= len(texts):
        return False
    prose = prose or (listed.stop, listed.stop)
    return prose[0] == listed.stop and on_topic(prose, before, texts, rules, listed)


def introduced(listed: range, nxt: int, texts: tuple[str, ...] | None) -> bool:
    """Do the lists ``listed`` fill the gap up to block ``nxt`` of the body, introduced by the
    story's own sentence ending in ":" ("Biggest risers on the NLX 25:")? Then they are the
    story's, whatever the prose below is about."""
    return bool(listed) and texts is not None and listed.stop == nxt and texts[listed.start].rstrip().endswith(":")
