"""Per-block features, jusText-style, plus the signals news dumps need on top.

Everything here is measured on one block alone (plus how often its text recurs on the
page); judging a block against its neighbours is classify.py's job.
"""

from __future__ import annotations

import itertools

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .blocks import Block
from .rules import Rules

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
# Where one sentence ends and another starts inside a text (the end, before the space).
SENTENCE_BREAK = re.compile(r"[.!?][\"'”’»)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_FULL_STOP = re.compile(r"\.[\"'”’»)\]]*$")
# A teaser is cut by a machine, which puts the dots last; dots inside a closing quote are a
# speaker trailing off ('said only: "We will see..."'), the writer's own sentence end.
_TRUNCATED = re.compile(r"(?:\.\.\.|…)[)\]]*$")
# Quoted speech is the source talking, not the page addressing its reader.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|„[^“”]*[“”]")
_OPEN_QUOTE = re.compile(r"[\"“«„].*$")
# What sets apart the items of a menu or breadcrumb row ("News | UK | World", "Home » Sport").
# Dashes are not among them: headlines use them ("Rates rise - again").
# Boilerplate kinds of the boxes and lines set into a story between two of its parts (an ad's
# label, a sign-up box, "Have a claim for us to check?"; not a teaser list's heading).
SET_INTO_BODY = frozenset({"advertisement", "contact", "donation", "inline_teaser", "media", "newsletter",
                           "poll", "share", "subscription", "widget"})
MENU_SEPARATORS = (" | ", " · ", " • ", " / ", " » ", " > ", " :: ", " ¦ ")
MENU_ITEM_WORDS = 3  # a menu item is a word or three ("Rugby Union", "Food and Drink")


@dataclass(frozen=True)
class Features:
    chars: int
    words: int
    stopword_density: float
    ends_sentence: bool  # ends in . ! ? (optionally closed by a quote or bracket)
    ends_full_stop: bool  # a sentence ending in "." (a statement, not a question or a cry)
    truncated: bool  # ends in "..." or "…" (outside a quotation): a teaser cut short
    title_case: float  # share of content words that are capitalised
    reader_density: float  # we/our/us/you/your per word, outside quotation marks (0 in article_voice lines)
    appeal: bool  # asks for support, subscriptions, sign-ups (is_appeal), outside quotation marks
    starts_upper: bool
    repeats: int  # how many blocks on the page have exactly this text
    boilerplate: str | None  # the boilerplate kind of rules.yaml it matches


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


_ADDRESS = re.compile(r"\S+@\S+|\bhttps?://\S+|\bwww\.\S+")


def said_outside_quotes(text: str) -> str:
    """What a text says in its own voice: outside quotations, and no addresses, whose words
    ("support@", "/donate") ask nothing of the reader."""
    return _ADDRESS.sub(" ", outside_quotes(text))


def content_words(texts: tuple[str, ...], blocks: Iterable[int], stopwords: frozenset[str]) -> set[str]:
    """The content words of some blocks, folded: names, places, subjects. Short words, stopwords
    and figures say nothing of what a text is about ("2024" is on every page of the year)."""
    return {w for i in blocks for w in (t.casefold() for t in words_of(texts[i]))
            if len(w) > 3 and w not in stopwords and not any(c.isdigit() for c in w)}


def menu_items(text: str) -> list[str]:
    """The items of a row split at a separator it repeats ("A | B | C" -> A, B, C), else
    the text alone: one separator is a title line's ("Headline | Site"), not a row."""
    for sep in MENU_SEPARATORS:
        if text.count(sep) >= 2:
            return [item.strip() for item in text.split(sep)]
    return [text]


def is_menu_row(text: str) -> bool:
    """A row of menu items: three or more, the first and most of them a few words long.

    A title line of three parts leads with its headline ("Ferry timetable change from Monday
    | News | Courier"), a menu with an item ("Mill Quarter | East Bank | Old Pier").
    """
    items = menu_items(text)
    short = [len(words_of(item)) <= MENU_ITEM_WORDS for item in items]
    return len(items) >= 3 and short[0] and sum(short) * 2 >= len(items)


def _fold(word: str) -> str:
    return word.casefold().replace("’", "'")


def outside_quotes(text: str) -> str:
    """The text with quoted passages removed, an unclosed quote running to the end."""
    return _OPEN_QUOTE.sub(" ", _QUOTED.sub(" ", text))


def wholly_quoted(text: str) -> bool:
    """Whether the text is one quoted passage ('"We will rebuild."')."""
    return _QUOTED.fullmatch(text.strip()) is not None


def is_sentence_end(text: str) -> bool:
    return bool(_SENTENCE_END.search(text)) and not _TRUNCATED.search(text)


def is_appeal(words: list[str], rules: Rules) -> bool:
    """Do these (folded) words ask for support, subscriptions or sign-ups? Some words only
    ask when the publication speaks for itself ("help us"), not when it advises its reader."""
    voiced = any(w in rules.publication_words for w in words)
    return any(w in rules.appeal_words or (voiced and w in rules.publication_appeal_words) for w in words)


def title_case_ratio(tokens: list[str], stopwords: frozenset[str]) -> float:
    content = [w for w in tokens if w[0].isalpha() and _fold(w) not in stopwords]
    if not content:
        return 0.0
    return sum(w[0].isupper() for w in content) / len(content)


def block_features(block: Block, rules: Rules, counts: Counter[str]) -> Features:
    text = block.text
    tokens = words_of(text)
    n = len(tokens)
    folded = [_fold(w) for w in tokens]
    # A help line or call for witnesses speaks to the reader as the article does.
    outside = [] if rules.is_article_voice(text) else [_fold(w) for w in words_of(said_outside_quotes(text))]
    first = next((c for c in text if c.isalnum()), "")
    return Features(
        chars=len(text),
        words=n,
        stopword_density=sum(w in rules.stopwords for w in folded) / n if n else 0.0,
        ends_sentence=is_sentence_end(text),
        ends_full_stop=is_sentence_end(text) and bool(_FULL_STOP.search(text)),
        truncated=bool(_TRUNCATED.search(text)),
        title_case=title_case_ratio(tokens, rules.stopwords),
        reader_density=sum(w in rules.reader_words for w in outside) / n if n else 0.0,
        appeal=is_appeal(outside, rules),
        starts_upper=first.isupper() or first.isnumeric(),  # "½ cup of milk" too
        repeats=counts[text],
        boilerplate=rules.boilerplate_kind(text),
    )


def page_rules(blocks: tuple[Block, ...], rules: Rules) -> Rules:
    """The rules to judge this page by: ``rules``, unless the page's long blocks are in
    another language (too few of the stopwords), when the page's own most widespread words
    stand in for the stopwords (function words recur in every sentence of any language)."""
    t = rules.thresholds
    long = [[_fold(w) for w in words_of(b.text)] for b in blocks if len(b.text) >= t.length_low]
    words = sum(len(ws) for ws in long)
    if not words or sum(w in rules.stopwords for ws in long for w in ws) / words >= t.foreign_stopwords:
        return rules
    spread = Counter(w for ws in long for w in set(ws))
    count = Counter(w for ws in long for w in ws)
    common = sorted((w for w, n in spread.items() if n >= 2), key=lambda w: (-spread[w], -count[w], w))
    chosen = common[:t.page_stopwords]
    # Function words are short in every language; a list of names or titles in English repeats
    # long ones ("councillor", "borough"), and is judged by the English stopwords as before.
    if not chosen or sum(len(w) <= FUNCTION_WORD_LETTERS for w in chosen) * 2 < len(chosen):
        return rules
    return dataclasses.replace(rules, stopwords=frozenset(chosen))


FUNCTION_WORD_LETTERS = 4
MIN_CONTENTS_ITEMS = 2  # a table of contents lists two subheadings at least


def page_features(blocks: tuple[Block, ...], rules: Rules) -> tuple[Features, ...]:
    texts = [b.text for b in blocks]
    contents = _contents_items(texts, rules)
    # The article's subheadings are printed once more in its table of contents: only the
    # contents' lines count as repeated for that.
    counts = Counter(t for i, t in enumerate(texts) if i not in contents)
    features = tuple(block_features(b, rules, counts + Counter([b.text]) if i in contents else counts)
                     for i, b in enumerate(blocks))
    polls = _poll_lines(features)
    return tuple(dataclasses.replace(f, boilerplate=POLL) if i in polls else f for i, f in enumerate(features))


POLL = "poll"  # the boilerplate kind of a poll's label and buttons in rules.yaml
MAX_POLL_LINES = 8  # a question and its answers between a poll's label and its buttons


def _poll_lines(features: tuple[Features, ...]) -> frozenset[int]:
    """A poll's question and answers ("Should the council reopen Mill Lane?", "Yes", "No"): the
    few short lines between two of its own ("POLL" ... "Vote"), none boilerplate of another kind."""
    marks = [i for i, f in enumerate(features) if f.boilerplate == POLL]
    found: set[int] = set()
    for above, below in zip(marks, marks[1:]):
        between = range(above + 1, below)
        if 0 < len(between) <= MAX_POLL_LINES and all(
                features[i].boilerplate is None and features[i].words <= MAX_POLL_LINE_WORDS for i in between):
            found.update(between)
    return frozenset(found)


MAX_POLL_LINE_WORDS = 25


def _contents_items(texts: list[str], rules: Rules) -> frozenset[int]:
    """The lines of each table of contents: its heading's run of lines printed again below it."""
    items: set[int] = set()
    for i, text in enumerate(texts):
        if not rules.contents_heading.match(text.strip()):
            continue
        run = list(itertools.takewhile(lambda j: texts[j] in texts[j + 1:], range(i + 1, len(texts))))
        if len(run) >= MIN_CONTENTS_ITEMS:
            items.update(run)
    return frozenset(items)


def past_boxes(i: int, last: int, kept: frozenset[int], features: tuple[Features, ...], step: int = 1) -> int:
    """The first block from ``i`` on (``step`` -1: back) that is kept or no box set into the story
    (``SET_INTO_BODY``), going no further than ``last``."""
    while (last - i) * step > 0 and i not in kept and features[i].boilerplate in SET_INTO_BODY:
        i += step
    return i
