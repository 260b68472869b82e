"""The main content region: the article is one stretch of good blocks, not every good block.

Good blocks form segments wherever bad ones separate them. The segment with the most good
text is the article's core (text below a comment thread counts for little); neighbouring
segments join it across a small gap (a caption, an ad slot, an inline "Read also" teaser),
but never across a hard stop such as a tag line, a newsletter box or a teaser-list heading,
which mark where the article ends, unless the teaser box visibly sits inside the article.
A results table set into the story, nothing else between its two parts, is no gap at all; nor
is a list the story introduces (14 schools closed), nor its short last paragraph below one.
Within the region, subheadings are kept and the headlines of a teaser box are not.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .classify import BAD, BRIEF_SENTENCE, GOOD, HEADLINE_LIKE, NEARGOOD, READER_SENTENCE, SHORT, SHORT_LINE, Label
from .features import Features, past_boxes, wholly_quoted
from .rules import Rules
from .lists import body_lists, in_site_voice, opening_list, teaser_lists
from .lists_across import goes_on_below, introduced, list_across, lists_below, on_topic
from .tables import table_rows, tables_inside

MAX_SUBHEADING_WORDS = 16
# A one-word line between paragraphs may be a credit ("Reuters"); above or below a list of the
# body it is a section's heading ("Symptoms").
MIN_SUBHEADING_WORDS = 2
TEASER_HEADING = "teaser_heading"  # the boilerplate kind of "Related", "Most read" ...
COMMENTS = "comments"
MIN_RESUMED_BLOCKS = 2
# A resumed run shares at least this share of its content words (and two words) with the
# article so far; off-topic prose below teaser lists shares about a tenth, by chance.
THREAD_WINDOW = 40  # blocks within which three comment lines make a thread
HEADER_BAR_BLOCKS = 5  # how far below a byline or dateline its bar of share and comment links reaches
THREAD_DISCOUNT = 0.25  # weight of text below the thread when choosing the article's core
# First-pass verdicts a subheading gets when judged alone (not appeals, teasers, repeats).
_SUBHEADING_LOOKS = frozenset({HEADLINE_LIKE, SHORT_LINE, BRIEF_SENTENCE})
_HEADER = frozenset({"byline", "dateline"})
# The body does not reach back across its own byline or dateline.
_LEFT_STOPS = _HEADER | {"tag_line", "tag_heading"}


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
                   rules: Rules, headings: frozenset[int] = frozenset()) -> bool:
    if kinds[i] in rules.hard_stop_always:
        return True
    if kinds[i] in rules.hard_stop_unless_prose:
        # A heading is mid-article only when the article visibly goes on right after it (after
        # the rest of its box: a sign-up box's button and consent notice; after an ad slot's
        # label), or after the article's own subheading ("Support the Echo", "Concerns over
        # the walk to school").
        box = rules.box_lines.get(kinds[i], frozenset()) | {AD_SLOT}
        after = next((j for j in range(i + 1, len(labels)) if kinds[j] not in box), len(labels))
        if after in headings:  # no box line: a heading's shape rules out boilerplate
            after += 1
        return not (after < len(labels) and labels[after].cls == GOOD)
    return False


def _teaser_box_inside(end: int, after: tuple[int, int], kinds: tuple[str | None, ...],
                      rules: Rules) -> bool:
    """Is the gap before run ``after`` a teaser box set into the article ("Trending" and a
    few headlines), with the article going on below it?

    Only a teaser heading stops the gap, no byline or dateline starts another story in it,
    and what follows is several paragraphs, not the one-paragraph summary of a teaser.
    """
    gap = [kinds[i] for i in range(end + 1, after[0])]
    stops = {k for k in gap if k in rules.hard_stop_always or k in rules.hard_stop_unless_prose}
    return (stops == {TEASER_HEADING} and not _LEFT_STOPS & set(gap)
            and after[1] - after[0] + 1 >= MIN_RESUMED_BLOCKS)


AD_SLOT = "advertisement"  # the boilerplate kind of rules.yaml an ad slot's label is


def _gap_ok(lo: int, hi: int, first: tuple[Label, ...], features: tuple[Features, ...],
            rules: Rules, rows: frozenset[int] = frozenset(), ad_slots: frozenset[int] = frozenset()) -> bool:
    """Can blocks lo..hi (exclusive) sit inside one article?

    Sentences (near-good on their own) do not count against the gap: short sentences
    that lost their context to interleaved teaser headlines are the article's own. A gap
    that is all ``rows`` of a table (an ad slot's label, ``ad_slots``, may stand among them) is a results
    table between the lede and the rest of the story, the story's however long; a table
    beside a heading or a teaser is not.
    """
    t = rules.thresholds
    gap = range(lo + 1, hi)
    table = [i for i in gap if i not in ad_slots]
    if rows.issuperset(table) and (table or not gap):
        return True
    bad_chars = sum(features[i].chars for i in gap if first[i].cls != NEARGOOD)
    return len(gap) <= t.max_gap_blocks and bad_chars <= t.max_gap_chars


def main_region(first: tuple[Label, ...], labels: tuple[Label, ...],
                features: tuple[Features, ...], roles: tuple[str | None, ...],
                rules: Rules, texts: tuple[str, ...] | None = None) -> Region | None:
    """The article body: ``first`` are the first-pass labels, ``labels`` the smoothed ones.

    With the blocks' ``texts``, the article only goes on below a teaser box when the text
    there is about what the article is about.
    """
    runs = segments(labels)
    if not runs:
        return None
    kinds = _stop_kinds(features, roles)
    rows = table_rows(kinds, texts)
    # An ad slot's label among a table's rows is no gap in it; without a table none is looked for.
    ad_slots = frozenset(i for i, f in enumerate(features) if f.boilerplate == AD_SLOT) if rows else frozenset()
    weights = _weights(runs, features, thread_start(kinds, runs, features, rules))
    best = max(range(len(runs)), key=lambda k: (weights[k], -k))
    # Lines shaped like a section's heading, one word or more: a list's neighbours show which are.
    headings = frozenset(i for i in range(len(labels)) if _subheading_shape(i, first, features, roles, 1))
    lo, hi = best, best
    lists: set[int] = set()  # the story's lists that part its prose
    while hi + 1 < len(runs):
        end, nxt = runs[hi][1], runs[hi + 1][0]
        if any(_is_right_stop(i, kinds, labels, rules, headings) for i in range(end + 1, nxt)) and not (
                _teaser_box_inside(end, runs[hi + 1], kinds, rules)
                and on_topic(runs[hi + 1], (runs[lo][0], end), texts, rules)):
            break
        # The story's own list is no gap, however long.
        listed = lists_below(end, features, roles, texts, rules, headings)
        if not goes_on_below(listed, runs[hi + 1], (runs[lo][0], end), texts, rules):
            if not _gap_ok(end, nxt, first, features, rules, rows, ad_slots):
                break
            listed = listed if introduced(listed, nxt, texts) else range(0)
        lists.update(listed)
        hi += 1
    while lo > 0:
        prev_end, start = runs[lo - 1][1], runs[lo][0]
        gap = range(prev_end + 1, start)
        if any(kinds[i] in _LEFT_STOPS or kinds[i] in rules.hard_stop_always for i in gap):
            break
        # The story's list above its longest run parts it as one below does ("These are the
        # latest ratings:" and six dated lines).
        listed = list_across(prev_end, runs[lo], (runs[lo - 1][0], prev_end), features, roles, rules, texts,
                              headings)
        if not listed and not _gap_ok(prev_end, start, first, features, rules, rows, ad_slots):
            break
        lists.update(listed)
        lo -= 1
    start, end = runs[lo][0], runs[hi][1]
    # The story's last paragraph, short, can stand alone below its list ("The result moves ...").
    closing = list_across(end, None, (start, end), features, roles, rules, texts, headings)
    if closing and first[closing.stop].cls in (GOOD, NEARGOOD) and not in_site_voice(features[closing.stop]):
        lists.update(closing)
        end = closing.stop
    # Inside the article, a sentence that lost its neighbours to interleaved teaser
    # headlines is still the article's own sentence.
    kept = frozenset(i for i in range(start, end + 1)
                     if labels[i].cls == GOOD or first[i].cls == NEARGOOD) | lists
    teasers = teaser_items(start, end, kinds, first, features, rules)
    kept -= teasers
    kept |= subheadings(start, end, kept, first, features, roles)
    # And so is a brief one ("Webb emerged, naked."), though not next to prose on its own; it
    # makes no headline beside it a subheading.
    kept |= frozenset(i for i in range(start + 1, end)
                      if first[i].reason == BRIEF_SENTENCE and not _by_a_picture(i, kinds, roles)) - teasers
    if texts is not None:
        kept |= continued_sentences(start, end, kept, features, roles, texts)
    kept |= tables_inside(start, end, kept, rows, texts, rules.stopwords, ad_slots)
    if texts is not None:
        listed = body_lists(start, end, kept, features, roles, texts, rules, headings)
        listed |= headed_lists(start, end, kept | listed, headings, features, roles, texts, rules)
        kept |= listed
        # The next section's heading, below a list (not below a brief sentence: see above).
        kept |= frozenset(i for i in subheadings(start, end, kept, first, features, roles, min_words=1)
                          if max(j for j in kept if j < i) in listed)
        kept -= teaser_lists(start, end, texts, rules)
        opening = opening_list(start, kept, features, roles, texts, rules)  # the story's key points above it
        kept |= frozenset(opening)
        start = opening[0] if opening else start
        if any(_is_entry_time(texts[i], rules) for i in kept):  # a live blog: its entries' times are kept
            if start > 0 and _is_entry_time(texts[start - 1], rules):  # the first entry's, above the lede
                start -= 1
                kept |= {start}
            elif (start > 1 and start - 1 in headings and _is_entry_time(texts[start - 2], rules)
                  and _headed_entries(kept, texts, headings, rules)):  # and its heading, as the others have
                start -= 2
                kept |= {start, start + 1}
            while end == max(kept) and _last_entry(end, first, texts, rules):
                kept |= {end + 1, end + 2}
                end += 2
        if start > 0 and _quoted_opening(texts[start - 1], first[start - 1]):
            start -= 1
            kept |= {start}
        above = _facts(range(start - 1, -1, -1), range(start, end + 1), texts, rules)
        below = _facts(range(end + 1, len(texts)), range(end, start - 1, -1), texts, rules)
        kept |= frozenset(above) | frozenset(below) | _facts_inside(start, end, kept, texts, rules)
        start, end = min(above, default=start), max(below, default=end)
    return Region(start, end, tuple(sorted(kept)))


def _facts(outside: range, inside: range, texts: tuple[str, ...], rules: Rules) -> list[int]:
    """The lines of a facts box ("When: ...", "Where: ...") running from the body's edge over the
    lines ``outside`` it, when the box has two or more lines with those of it at the body's edge
    (``inside``, from the edge inwards), one saying when or where (a jobs widget's "Location:"
    and "Contact:" say neither), else none."""
    def run(lines: range) -> list[int]:
        return list(itertools.takewhile(lambda i: rules.fact_line.match(texts[i]) is not None, lines))
    found = run(outside)
    box = found + run(inside)
    event = any(rules.fact_event.match(texts[i]) for i in box)
    return found if event and len(box) >= MIN_FACT_LINES else []


MIN_FACT_LINES = 2  # one "Contact: ..." line is no box


def _facts_inside(start: int, end: int, kept: frozenset[int], texts: tuple[str, ...], rules: Rules) -> frozenset[int]:
    """The facts boxes between the body's paragraphs (a recipe's "Prep time: 20 min", "Serves:
    8" below its introduction), each a run of two or more labelled lines, one saying when or
    how long, as at the body's edges."""
    found: set[int] = set()
    for i in range(start + 1, end):
        if i in kept or i in found or (i - 1) not in kept:
            continue
        box = _facts(range(i, end), range(0), texts, rules)
        if box and box[-1] + 1 in kept:
            found.update(box)
    return frozenset(found)


def _quoted_opening(text: str, label: Label) -> bool:
    """A brief sentence wholly in quotation marks right above the first paragraph: the story
    opens on a quote ("We will rebuild."), the one-line lede's device."""
    return label.reason == BRIEF_SENTENCE and wholly_quoted(text)


def _is_entry_time(text: str, rules: Rules) -> bool:
    """A live blog's entry time on its own line ("4:10 p.m."); a lone one above a lede is a time stamp."""
    return rules.entry_time.match(text.strip()) is not None


def _headed_entries(kept: frozenset[int], texts: tuple[str, ...], headings: frozenset[int], rules: Rules) -> bool:
    """Whether a live blog's entries in the body have headings: a kept entry time with a kept
    heading below it. (A time and a headline above a story without them are a sidebar's.)"""
    return any(i + 1 in kept and i + 1 in headings and _is_entry_time(texts[i], rules) for i in kept)


def _last_entry(end: int, first: tuple[Label, ...], texts: tuple[str, ...], rules: Rules) -> bool:
    """Whether a live blog's entry follows the body's last paragraph: an entry time, then a
    paragraph of prose (the oldest entry, short, can read as a lone line beside the page's
    furniture below it)."""
    return end + 2 < len(texts) and _is_entry_time(texts[end + 1], rules) and first[end + 2].cls in (GOOD, NEARGOOD)


def _weights(runs: list[tuple[int, int]], features: tuple[Features, ...],
             thread: int | None) -> list[float]:
    """Each run's text mass; below a comment thread a fraction of it, since one long
    comment can outweigh a short article that sits above the thread."""
    return [_mass(r, features) * (THREAD_DISCOUNT if thread is not None and r[0] > thread else 1.0)
            for r in runs]


def thread_start(kinds: tuple[str | None, ...], runs: list[tuple[int, int]],
                 features: tuple[Features, ...], rules: Rules) -> int | None:
    """Where the page's comment thread begins, when prose comes before it.

    A thread is a comment line with two more close below it ("12 responses to ...",
    "jane says:", "Reply"); a lone "Comments" link near the headline is not one, nor is the
    "View comments" link of the bar under the byline, however close the thread's lines below.
    """
    prose = frozenset(i for run in runs for i in range(run[0], run[1] + 1))
    marks = [i for i, kind in enumerate(kinds) if kind == COMMENTS and not _in_header_bar(i, kinds, prose)]
    for n, i in enumerate(marks):
        if n + 2 < len(marks) and marks[n + 2] - i <= THREAD_WINDOW:
            prose_above = sum(_mass(r, features) for r in runs if r[1] < i)
            return i if prose_above >= rules.thresholds.length_high else None
    return None


def _in_header_bar(i: int, kinds: tuple[str | None, ...], prose: frozenset[int]) -> bool:
    """Is block ``i`` in the bar of links below a byline or dateline, no prose between them?"""
    for j in range(i - 1, max(-1, i - 1 - HEADER_BAR_BLOCKS), -1):
        if j in prose:
            return False
        if kinds[j] in _HEADER:
            return True
    return False


def teaser_items(start: int, end: int, kinds: tuple[str | None, ...], first: tuple[Label, ...],
                 features: tuple[Features, ...], rules: Rules) -> frozenset[int]:
    """The items of a teaser box inside the article ("Trending News" and its headlines).

    They run from the box's heading to the article's next paragraph: short lines in
    between read like sentences but are the box's headlines.
    """
    found = set()
    inside = False
    for i in range(start, end + 1):
        if kinds[i] == TEASER_HEADING:
            inside = True
        elif first[i].cls == GOOD or features[i].chars >= rules.thresholds.length_low:
            inside = False
        elif inside:
            found.add(i)
    return frozenset(found)


def _by_a_picture(i: int, kinds: tuple[str | None, ...], roles: tuple[str | None, ...]) -> bool:
    """Whether block ``i`` stands next to a picture's furniture ("Image 1 of 3", a credit line):
    a brief sentence there is its caption (a separator, "___", is no picture's)."""
    return any(roles[j] == _CREDIT or kinds[j] == _MEDIA for j in (i - 1, i + 1) if 0 <= j < len(kinds))


_MEDIA, _CREDIT = "media", "image credit"


def continued_sentences(start: int, end: int, kept: frozenset[int], features: tuple[Features, ...],
                        roles: tuple[str | None, ...], texts: tuple[str, ...]) -> frozenset[int]:
    """Blocks that finish the sentence of the body paragraph right above them: the page broke the
    paragraph (an ad slot, a second column), and the rest, short on its own, starts in lower case
    below a line with no sentence end and ends one ("... before an English crowd" / "that's
    hissing ... up until a point."). A lower-case credit, file name or label ends no sentence."""
    return frozenset(i for i in range(start + 1, end + 1)
                     if i not in kept and i - 1 in kept and texts[i][:1].islower() and features[i].ends_sentence
                     and roles[i] is None and features[i].boilerplate is None and features[i].repeats <= 1
                     and not texts[i - 1].rstrip().endswith(_SENTENCE_ENDS))


_SENTENCE_ENDS = tuple(".!?:;\"'”’»)…")


def subheadings(start: int, end: int, kept: frozenset[int], first: tuple[Label, ...],
                features: tuple[Features, ...], roles: tuple[str | None, ...],
                min_words: int = MIN_SUBHEADING_WORDS) -> frozenset[int]:
    """Short headline-like lines with a body paragraph right above and below: subheadings.

    Out of context they look like menu items, so the first pass calls them bad; between
    two paragraphs of the article, with prose following, they are the article's own. A box
    set into the story may stand on either side ("How it works" / "Donate" / the section).
    """
    return frozenset(i for i in range(start + 1, end)
                     if _below_the_body(i, start, kept, features)
                     and (j := past_boxes(i + 1, end, kept, features)) in kept and (
                         first[j].cls in (GOOD, NEARGOOD) or first[j].reason == READER_SENTENCE)
                     and _subheading_shape(i, first, features, roles, min_words))


def _below_the_body(i: int, start: int, kept: frozenset[int], features: tuple[Features, ...]) -> bool:
    """Is block ``i`` left out, right below a kept one? A box set into the story ("Have a claim
    for us to check? Email ...", an ad's label) between them is looked past."""
    return i not in kept and past_boxes(i - 1, start, kept, features, -1) in kept


def _subheading_shape(i: int, first: tuple[Label, ...], features: tuple[Features, ...],
                      roles: tuple[str | None, ...], min_words: int) -> bool:
    """A short line that alone looks like a menu item, and no boilerplate, repeat or metadata."""
    f = features[i]
    return (roles[i] is None and f.boilerplate is None and not f.truncated and f.repeats <= 1
            and first[i].cls in (BAD, SHORT) and first[i].reason in _SUBHEADING_LOOKS
            and min_words <= f.words <= MAX_SUBHEADING_WORDS and f.starts_upper)


def headed_lists(start: int, end: int, kept: frozenset[int], headings: frozenset[int],
                 features: tuple[Features, ...], roles: tuple[str | None, ...], texts: tuple[str, ...],
                 rules: Rules) -> frozenset[int]:
    """A subheading with a list of the body right under it ("Symptoms" / "The most common
    symptoms include:" / "• tiredness ..."): each shows the other is the story's."""
    found: set[int] = set()
    for i in range(start + 1, end):
        # The heading is no lead-in itself ("Promenade_Dave said:"); the line below it is.
        if (i in headings and _below_the_body(i, start, kept, features)
                and not texts[i].rstrip().endswith(":") and texts[i + 1].rstrip().endswith(":")):
            items = body_lists(start, end, kept | {i}, features, roles, texts, rules, headings)
            if i + 1 in items:
                found |= {i} | items
    return frozenset(found)
