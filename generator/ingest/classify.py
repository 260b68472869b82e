"""Block classification: a jusText-like first pass, then context smoothing.

The first pass judges each block alone: boilerplate rules and metadata lines are "bad",
long stopword-rich prose is "good", in between "neargood", and small blocks "short".
Smoothing then decides the undecided ones by their neighbours, because a one-line
paragraph between two paragraphs is prose and the same line between menu items is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from .features import Features
from .rules import Rules

GOOD, NEARGOOD, SHORT, BAD = "good", "neargood", "short", "bad"
# First-pass reasons the region pass looks at again (a subheading gets one of these).
HEADLINE_LIKE, SHORT_LINE = "headline or menu item", "short"
# A sentence too short to be near-good alone; right below prose it closes the article.
BRIEF_SENTENCE = "brief sentence"
TRUNCATED = "truncated teaser"
# A sentence said to the reader or as "we", not an appeal: prose below the article keeps it
# when it is the article's last word ("The lesson for us was about ownership.").
READER_SENTENCE = "sentence addressing the reader"
# A sentence ending in "..." judged alone: a teaser cut short, unless it stands between two
# paragraphs of the body (a reporter's "The queue stretched to the station and beyond...").
TRAILING_SENTENCE = "sentence ending in dots"
BOILERPLATE = "boilerplate: {}"  # the reason a block of a rules.yaml kind is dropped


@dataclass(frozen=True)
class Label:
    cls: str  # GOOD or BAD after smoothing
    reason: str  # why, for the audit report


def initial_label(f: Features, role: str | None, rules: Rules) -> Label:
    t = rules.thresholds
    if role is not None:
        return Label(BAD, role)
    if f.boilerplate is not None:
        return Label(BAD, BOILERPLATE.format(f.boilerplate))
    if f.truncated:
        return Label(BAD, TRAILING_SENTENCE if is_trailing_sentence(f, rules) else TRUNCATED)
    if f.repeats > 1:
        return Label(BAD, "repeated on the page")
    if f.appeal and f.reader_density >= t.reader_density_bad:
        return Label(BAD, "addresses the reader (appeal)")
    if f.reader_density >= t.reader_density_strong:
        # Advice columns and op-eds say "you" and "we" too: let the neighbours decide.
        if f.ends_sentence and _reads_as_prose(f, rules):
            return Label(SHORT, READER_SENTENCE)
        return Label(SHORT, "addresses the reader")
    if not f.ends_sentence and f.title_case > t.max_title_case and f.words > 1:
        return Label(BAD, HEADLINE_LIKE)
    if f.chars < t.length_low:
        if f.ends_sentence and _reads_as_prose(f, rules):
            return Label(NEARGOOD, "short sentence")
        if is_brief_sentence(f, t.min_closing_words):
            return Label(SHORT, BRIEF_SENTENCE)
        return Label(SHORT, SHORT_LINE)
    if f.stopword_density < t.stopwords_low:
        if f.ends_sentence and f.starts_upper and f.words >= 10:
            # Datelined ledes and sentences full of names are still prose; a line of figures
            # ("Team scores: Grandview 142, ...") is the story's between its paragraphs.
            if f.stopword_density > 0:
                return Label(NEARGOOD, "sentence with few stopwords")
            return Label(SHORT, "sentence without stopwords")
        return Label(BAD, "few stopwords")
    if f.stopword_density >= t.stopwords_high and (
            f.chars >= t.length_high or (f.ends_sentence and f.chars >= t.length_sentence)):
        return Label(GOOD, "prose")
    return Label(NEARGOOD, "some prose")


def is_brief_sentence(f: Features, min_words: int) -> bool:
    """A few words ending in a full stop ("Police are investigating."): a statement, where
    a question ("Like this article?") or a label without a stop is page furniture."""
    return f.ends_sentence and f.ends_full_stop and f.starts_upper and f.words >= min_words


def is_trailing_sentence(f: Features, rules: Rules) -> bool:
    """A block cut with "..." that reads like a sentence of prose: a capital first, some
    words, the stopwords of running text."""
    return f.truncated and _reads_as_prose(f, rules)


def _reads_as_prose(f: Features, rules: Rules) -> bool:
    """A capital first, some words, the stopwords of running text: a sentence's shape, however
    it ends."""
    t = rules.thresholds
    return f.starts_upper and f.words >= t.min_sentence_words and f.stopword_density >= t.stopwords_low


def _neighbours(classes: list[str], skip: frozenset[str]) -> tuple[list[str], list[str]]:
    """For each block, the nearest class before and after it that is not in ``skip``.

    The page edges count as bad. Computed in one pass each way, so long menus of short
    blocks cost linear time.
    """
    before, after = [BAD] * len(classes), [BAD] * len(classes)
    last = BAD
    for i, cls in enumerate(classes):
        before[i] = last
        if cls not in skip:
            last = cls
    last = BAD
    for i in range(len(classes) - 1, -1, -1):
        after[i] = last
        if classes[i] not in skip:
            last = classes[i]
    return before, after


def promote_runs(first: tuple[Label, ...], length: int = 3) -> tuple[Label, ...]:
    """Three or more near-good blocks in a row are prose, even with no long paragraph.

    Pages written in one-sentence paragraphs would otherwise have no "good" block at all;
    teaser lists do not qualify because headlines and "..." summaries break the run.
    """
    out = list(first)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and first[j].cls == NEARGOOD:
            j += 1
        if j - i >= length:
            for k in range(i, j):
                out[k] = Label(GOOD, f"{first[k].reason}, in a run of sentences")
        i = max(j, i + 1)
    return tuple(out)


_SET_INTO_PROSE = frozenset(BOILERPLATE.format(kind) for kind in ("inline_teaser", "advertisement", "media"))
_AD_SLOT = BOILERPLATE.format("advertisement")


def smooth(first: tuple[Label, ...], uncapitalised: frozenset[int] = frozenset()) -> tuple[Label, ...]:
    """jusText's context rules: short and neargood blocks take their neighbours' class.
    ``uncapitalised`` are the blocks that start with neither a capital nor a digit."""
    first = promote_runs(first)
    classes = [label.cls for label in first]
    prev, nxt = _neighbours(classes, frozenset({SHORT, NEARGOOD}))
    # An ad's label ("Advertisement") between paragraphs is looked past by a short line starting
    # one of its own (a subheading, a recipe's list): it is as much inside the prose as without
    # the label. (The rest of a sentence is judged by the sentence: see region.py.)
    prev_past_ads, next_past_ads = _neighbours([SHORT if label.reason == _AD_SLOT else label.cls
                                                for label in first], frozenset({SHORT, NEARGOOD}))
    prev_near, next_near = _neighbours(classes, frozenset({SHORT}))
    # A link to another story, an ad's label or a media cue ("[MUSIC]") set between paragraphs is
    # no neighbour of a near-good sentence: it is judged by the prose beyond. (A short line beside
    # one is not; nor is a separator, "___", which ends a story.)
    prev_prose, next_prose = _neighbours([SHORT if label.reason in _SET_INTO_PROSE else label.cls
                                          for label in first], frozenset({SHORT, NEARGOOD}))
    out: list[Label] = []
    for i, label in enumerate(first):
        if label.cls == SHORT:
            before, after = (prev[i], nxt[i]) if i in uncapitalised else (prev_past_ads[i], next_past_ads[i])
            if before == after == GOOD:
                out.append(Label(GOOD, "short, inside prose"))
            elif label.reason == BRIEF_SENTENCE and out and out[-1].cls == GOOD:
                # The article's last line is often its shortest: "Police are investigating."
                out.append(Label(GOOD, "brief sentence, closing the prose"))
            elif label.reason == READER_SENTENCE and out and (out[-1].cls == GOOD or (
                    len(out) > 1 and out[-2].cls == GOOD and first[i - 1].reason in (HEADLINE_LIKE, SHORT_LINE))):
                # The writer's last word to the reader, right below the prose or below its last
                # subheading; what follows may be the page's furniture.
                out.append(Label(GOOD, f"{label.reason}, closing the prose"))
            elif prev[i] == nxt[i] == BAD:
                out.append(Label(BAD, "short, outside prose"))
            elif (prev[i] == BAD and prev_near[i] == NEARGOOD) or (
                    nxt[i] == BAD and next_near[i] == NEARGOOD):
                out.append(Label(GOOD, "short, next to prose"))
            else:
                out.append(Label(BAD, "short, outside prose"))
        elif label.cls == NEARGOOD:
            if prev_prose[i] == next_prose[i] == BAD:
                out.append(Label(BAD, f"{label.reason}, outside prose"))
            else:
                out.append(Label(GOOD, f"{label.reason}, next to prose"))
        else:
            out.append(label)
    return tuple(_trailing_sentences(first, out))


def _trailing_sentences(first: tuple[Label, ...], out: list[Label]) -> list[Label]:
    """A sentence ending in "..." right between two paragraphs of prose is the writer's own;
    anywhere else (a teaser list, below the article) it is a teaser cut short.

    Only the blocks right above and below count: a list of teasers between two stretches of
    prose has teasers for neighbours."""
    result = list(out)
    for i, label in enumerate(first):
        if label.reason != TRAILING_SENTENCE:
            continue
        inside = 0 < i < len(out) - 1 and out[i - 1].cls == GOOD and out[i + 1].cls == GOOD
        result[i] = Label(GOOD, "sentence ending in dots, inside prose") if inside else Label(BAD, TRUNCATED)
    return result


def classify(features: tuple[Features, ...], roles: tuple[str | None, ...],
             rules: Rules) -> tuple[tuple[Label, ...], tuple[Label, ...]]:
    """(first-pass labels, smoothed labels) for every block."""
    first = tuple(initial_label(f, r, rules) for f, r in zip(features, roles))
    return first, smooth(first, frozenset(i for i, f in enumerate(features) if not f.starts_upper))
