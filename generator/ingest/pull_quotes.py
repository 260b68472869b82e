"""Pull quotes: blocks that repeat, word for word, part of a longer paragraph of the body.

A pull quote or highlight box restates a sentence of the article in its own block; the
paragraph it came from keeps the words, so the box goes (text dumps and HTML pages alike).
"""

from __future__ import annotations

from .features import words_of

MIN_PULL_QUOTE_WORDS = 8  # shorter repeats ("He said no.") happen by chance
MIN_QUOTED_PULL_QUOTE_WORDS = 5  # ... unless set in quotation marks: “Nobody asked us where the scallops are.”
_QUOTE_MARKS = "\"“‘'«"
PULL_QUOTE = "pull quote: repeats the body"  # why a pull quote is dropped


def _folded_words(text: str) -> str:
    return " ".join(w.casefold() for w in words_of(text))


def pull_quotes(kept: frozenset[int], texts: tuple[str, ...]) -> frozenset[int]:
    """Blocks that repeat, word for word, part of a longer paragraph of the body.

    A pull quote or highlight box restates a sentence of the article in its own block;
    the paragraph it came from keeps the words.
    """
    words = {i: _folded_words(texts[i]).split() for i in kept}
    # Which blocks hold each run of MIN_PULL_QUOTE_WORDS words: only those can hold a quote
    # that starts with the run, so the page is not compared with itself block by block.
    holders: dict[tuple[str, ...], set[int]] = {}
    for j, ws in words.items():
        for k in range(len(ws) - MIN_PULL_QUOTE_WORDS + 1):
            holders.setdefault(tuple(ws[k:k + MIN_PULL_QUOTE_WORDS]), set()).add(j)
    found = set()
    for i, ws in words.items():
        quoted = texts[i].lstrip()[:1] in _QUOTE_MARKS  # set in quotation marks: a quote however short
        if len(ws) < (MIN_QUOTED_PULL_QUOTE_WORDS if quoted else MIN_PULL_QUOTE_WORDS):
            continue
        quote = f" {' '.join(ws)} "  # whole words: "are" is not the start of "area"
        if len(ws) >= MIN_PULL_QUOTE_WORDS:
            candidates = holders[tuple(ws[:MIN_PULL_QUOTE_WORDS])] - {i}
        else:
            candidates = set(words) - {i}
        if any(len(words[j]) > len(ws) and quote in f" {' '.join(words[j])} " for j in candidates):
            found.add(i)
    return frozenset(found)
