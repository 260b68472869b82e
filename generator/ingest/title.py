"""The headline: the title-like line before the body that the page treats as one.

Headlines sit above the byline and dateline, are several words long, rarely end with a
full stop, and often recur in the page's <title>-style line ("Headline | Site"). Only the
article's own byline (the one nearest above the body) vouches for a headline, and a line
between it and the body is a standfirst or teaser; a line above an attribution ("— Jane
Doe") is a quotation. Menu items and rows of them ("News | UK | World"), the site name,
boilerplate and metadata lines are never candidates.
"""

from __future__ import annotations

import re

from .blocks import Block
from .features import Features, is_menu_row, words_of
from .metadata import bare_byline, past_byline_furniture
from .rules import Rules

_PERIOD_END = re.compile(r"\.[\"'”’)\]]*$")
_INNER_SENTENCE = re.compile(r"[a-z][.!?][\"'”’]?\s+[\"'“‘]?[A-Z]")
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_OPENERS = "\"'“‘«(["
_ATTRIBUTION = re.compile(r"^[—–―-]{1,2}\s*[A-Z]")
# A line above of fewer words is a masthead (the site named for its town: "Cold Creek Chronicle"
# over "Cold Creek voters reject school bond"), not a headline over its standfirst.
MIN_HEADLINE_ABOVE_WORDS = 4
# How on-topic the headline-like line right above must be for a line to be its standfirst: a row
# of capitalised words with no small word among them may be the site's menu ("News Sports Police
# Log"), and must be more so.
STANDFIRST_BELOW, STANDFIRST_BELOW_MENU_LIKE = 0.5, 0.75
LABELLED_HEADLINE = 1.0  # a section's label and a bar before a headline ("Opinion | ...") mark one
WINDOW = 80  # blocks above the body that may hold the headline
_ANCHORS = frozenset({"byline", "dateline"})
ANCHOR_CLUSTER = 12  # blocks above the nearest byline or dateline that still belong to its group


def _candidate(block: Block, f: Features, role: str | None, publisher: str | None) -> bool:
    text = block.text
    if role is not None or f.boilerplate is not None or f.truncated:
        return False
    if not (text[0].isalnum() or text[0] in _OPENERS):
        return False  # "— attribution", "* menu item", "☆ Subscribe"
    if "http" in text or "www." in text or text.endswith(":"):
        return False  # a URL line or a heading that introduces something else
    if is_menu_row(text):
        return False  # "Mill Quarter | East Bank | Old Pier": navigation, however on-topic
    if not (2 <= f.words <= 40 and 8 <= f.chars <= 300):
        return False
    site = (publisher or "").casefold()
    if site and text.casefold().strip(" !.") in (site, "the " + site):
        return False  # the site name
    return True


def _title_line_prefixes(blocks: tuple[Block, ...]) -> frozenset[str]:
    """What comes before " | ", " - " ... in each line: "Headline | Site" yields "Headline"."""
    found = set()
    for block in blocks:
        for sep in _TITLE_SEPARATORS:
            head, found_sep, _ = block.text.partition(sep)
            if found_sep:
                found.add(head)
    return frozenset(found)


def _is_title_line(text: str, texts: frozenset[str]) -> bool:
    return any(sep in text and text.partition(sep)[0] in texts for sep in _TITLE_SEPARATORS)


def content_words(text: str, stopwords: frozenset[str]) -> set[str]:
    return {w for w in (t.casefold() for t in words_of(text)) if w not in stopwords and len(w) > 2}


def _topicality(text: str, body: set[str], stopwords: frozenset[str]) -> float:
    """0..1: how much of the line's vocabulary the body uses (saturating at half).

    The headline is about what the body is about; menu items and teasers are not. It
    saturates so that a standfirst retelling the lede does not outscore the headline.
    """
    own = content_words(text, stopwords)
    if not own:
        return 0.0
    return min(1.0, len(own & body) / len(own) / 0.5) * min(len(own), 4) / 4


def own_anchors(roles: tuple[str | None, ...], start: int) -> frozenset[int]:
    """The article's own byline and dateline: the ones nearest above its body.

    A teaser's byline further up ("Brave New World / By A. Columnist") marks that
    teaser's headline, not this article's.
    """
    found = [i for i in range(max(0, start - WINDOW), start) if roles[i] in _ANCHORS]
    if not found:
        return frozenset()
    return frozenset(i for i in found if i >= found[-1] - ANCHOR_CLUSTER)


def _score(i: int, start: int, blocks: tuple[Block, ...], features: tuple[Features, ...],
           roles: tuple[str | None, ...], prefixes: frozenset[str], body: set[str],
           stopwords: frozenset[str], anchors: frozenset[int] | None = None) -> float:
    f, text = features[i], blocks[i].text
    score = 0.0
    anchors = own_anchors(roles, start) if anchors is None else anchors
    following = [j in anchors for j in range(i + 1, min(i + 5, start))]
    for distance, anchored in enumerate(following):
        if anchored:
            # A byline or dateline just below is the classic headline position (a
            # standfirst may sit between them, so the distance matters little).
            score += (3.0, 3.0, 2.75, 2.5)[distance]
            break
    topical = _topicality(text, body, stopwords)
    score += 2.5 * topical
    if i > 0 and features[i - 1].words >= MIN_HEADLINE_ABOVE_WORDS and _topicality(
            blocks[i - 1].text, body, stopwords) >= (
            STANDFIRST_BELOW if features[i - 1].stopword_density > 0 else STANDFIRST_BELOW_MENU_LIKE) and not (
            _PERIOD_END.search(blocks[i - 1].text) or roles[i - 1] or features[i - 1].boilerplate):
        score -= 1.5  # right below another on-topic headline-like line: a standfirst
    if (f.repeats > 1 and f.words >= 3) or text in prefixes:
        score += 1.0  # also in the page's title line ("Headline | Site") or share text
    if not _PERIOD_END.search(text):
        score += 1.0
    if _INNER_SENTENCE.search(text):
        score -= 1.5  # two sentences: a standfirst or caption
    if i + 1 < len(blocks) and _ATTRIBUTION.match(blocks[i + 1].text):
        score -= 1.5  # "— Jane Doe, May 3": the line above is a quotation
    if f.title_case >= 0.6:
        score += 0.75
    score += 0.15 * min(f.words, 8)  # menu items are short; headlines run several words
    if f.chars > 150 and f.stopword_density >= 0.3:
        score -= 1.0  # a standfirst or caption rather than a headline
    score -= 0.04 * min(start - i, 60)
    if anchors and i > max(anchors):
        score -= 1.0  # below the article's byline: a standfirst, caption or teaser
    return score


def find_title(blocks: tuple[Block, ...], features: tuple[Features, ...],
               roles: tuple[str | None, ...], start: int, publisher: str | None,
               body_text: str, rules: Rules, taken: frozenset[int] = frozenset()) -> int | None:
    """Index of the headline block above body block ``start``, or None.

    ``taken`` blocks (captions, credits already recognised) are not candidates.
    """
    prefixes = _title_line_prefixes(blocks[:start])  # below the body, "Site | 12 Main St." is a footer
    texts = frozenset(b.text for b in blocks)
    body = content_words(body_text, rules.stopwords)
    anchors = own_anchors(roles, start)
    best: tuple[float, int] | None = None
    for i in range(max(0, start - WINDOW), start):
        if i in taken or not _candidate(blocks[i], features[i], roles[i], publisher):
            continue
        if _only_dates(blocks[i].text, rules) or _bare_byline_line(i, blocks, features, roles, publisher, rules):
            continue
        if _kicker(blocks[i].text) and i + 1 < start and _candidate(blocks[i + 1], features[i + 1], roles[i + 1],
                                                                    publisher):
            continue
        labelled = rules.title_label.match(blocks[i].text) is not None  # "Opinion | Our libraries ..."
        if _is_title_line(blocks[i].text, texts) and not labelled:
            continue  # "Headline | Site": the headline itself is on the page too
        score = _score(i, start, blocks, features, roles, prefixes, body, rules.stopwords, anchors)
        score += LABELLED_HEADLINE if labelled else 0.0
        if best is None or score > best[0]:
            best = (score, i)
    return best[1] if best else None


def _kicker(text: str) -> bool:
    """A section and a subject over the headline ("Middle East & Africa | Fuel in Nigeria"): a
    few words each side of one bar."""
    head, bar, tail = text.partition(" | ")
    return bool(bar) and "|" not in tail and max(len(head.split()), len(tail.split())) < MAX_KICKER_PART_WORDS


MAX_KICKER_PART_WORDS = 5


def _bare_byline_line(i: int, blocks: tuple[Block, ...], features: tuple[Features, ...],
                      roles: tuple[str | None, ...], publisher: str | None, rules: Rules) -> bool:
    """A line of a byline that lost its "By", however topical an author's bio below makes it:
    the writer's job under their bare name ("Ollie Brandreth" / "Tennis Correspondent at Queen's
    Club"), or the name alone between a headline and the date line ("Why I've fallen for Syrah" /
    "Rosalind Achebe" / "Saturday 17 October 2026"; an obituary's name has a section's label or
    the site above it), their job or buttons maybe between ("Special to the Ledger")."""
    if i == 0:
        return False
    if rules.byline_job_line.match(blocks[i].text) and bare_byline(blocks[i - 1].text, publisher, rules):
        return True
    dated = past_byline_furniture(blocks, i + 1, 1, len(blocks), rules)
    return (dated is not None and roles[dated] == "dateline"
            and bare_byline(blocks[i].text, publisher, rules) is not None
            and _candidate(blocks[i - 1], features[i - 1], roles[i - 1], publisher)
            and not _only_dates(blocks[i - 1].text, rules))


def _only_dates(text: str, rules: Rules) -> bool:
    """A line of nothing but dates: an obituary's lifespan ("March 2, 1931 – January 19, 2024")
    under the name it belongs to, no headline."""
    return rules.date_expr.search(text) is not None and not any(
        c.isalpha() for c in rules.date_expr.sub("", text))


def without_label(title: str, rules: Rules) -> str:
    """The headline without a section's label set before it ("Opinion | Our libraries ...")."""
    return rules.title_label.sub("", title, count=1)
