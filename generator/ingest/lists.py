"""Lists in a text dump's body: a lead-in sentence ending in ":", bulleted or numbered items.

Short items alone ("• Mill Lane") read like a menu's; introduced by the story and closed by it,
they are the story's own. So are a list closing the story under a lead-in about it, and a box of
its key points above the first paragraph.
"""

from __future__ import annotations

import re

from .features import Features, content_words
from .rules import Rules


def body_lists(start: int, end: int, kept: frozenset[int], features: tuple[Features, ...],
               roles: tuple[str | None, ...], texts: tuple[str, ...], rules: Rules) -> frozenset[int]:
    """A list set into the body: a line ending in ":" below a body paragraph (or the paragraph
    itself), two or more bulleted or numbered items right below it, and the body going on right
    after them ("The embankment will be raised at four places:" / "• Mill Lane" ...). Short
    items alone read like a menu; introduced by the article and closed by it, they are its own.
    A teaser list's heading ("Related:", "Read more:") is boilerplate, so it introduces none."""
    found: set[int] = set()
    for lead in range(start, end):
        if not _introduces_a_list(lead, kept, features, roles, texts, rules):
            continue
        items = lead + 1
        while items <= end and items not in kept and _is_list_item(items, features, roles, texts):
            items += 1
        if items - lead - 1 >= MIN_LIST_ITEMS and items in kept:
            found.update(range(lead, items))
    return frozenset(found - kept)


def closing_list(end: int, kept: frozenset[int], features: tuple[Features, ...], roles: tuple[str | None, ...],
                 texts: tuple[str, ...], rules: Rules) -> range:
    """A list ending the article, right below its last paragraph ``end``: a lead-in sentence
    about the story ("Residents who need help can call the following numbers:", sharing a word
    of substance with it, in sentence case: a teaser box's heading is set in title case, or opens
    like one, ``teaser_lead_in`` in rules.yaml), then two or more items. Empty when there is none."""
    lead = end + 1
    if end not in kept or lead >= len(texts) or not _introduces_a_list(lead, kept, features, roles, texts, rules):
        return range(0)
    f = features[lead]
    if (f.words < MIN_CLOSING_LEAD_IN_WORDS or f.title_case > MAX_LEAD_IN_TITLE_CASE
            or rules.teaser_lead_in.search(texts[lead].strip())):
        return range(0)
    items = lead + 1
    while items < len(texts) and _is_list_item(items, features, roles, texts):
        items += 1
    story = content_words(texts, kept, rules.stopwords)
    if items - lead - 1 < MIN_LIST_ITEMS or not content_words(texts, (lead,), rules.stopwords) & story:
        return range(0)
    return range(lead, items)


def opening_list(start: int, kept: frozenset[int], features: tuple[Features, ...], roles: tuple[str | None, ...],
                 texts: tuple[str, ...], rules: Rules) -> range:
    """The story's key points above its first paragraph ``start``: a heading of
    ``summary_heading`` in rules.yaml ("Key points:"), then two or more items, each a phrase
    of a few words sharing a word of substance with the story, the first paragraph right after
    them. Empty when there is none."""
    lead = start - 1
    while lead >= 0 and _is_list_item(lead, features, roles, texts):
        lead -= 1
    if (start - lead - 1 < MIN_LIST_ITEMS or lead < 0 or roles[lead] is not None
            or not rules.summary_heading.search(texts[lead].strip())):
        return range(0)
    story = content_words(texts, kept, rules.stopwords)
    points = range(lead + 1, start)
    if any(features[i].words < MIN_POINT_WORDS or not content_words(texts, (i,), rules.stopwords) & story
           for i in points):
        return range(0)
    return range(lead, start)


def teaser_lists(start: int, end: int, texts: tuple[str, ...], rules: Rules) -> frozenset[int]:
    """Lists of the site's links set into the body, lead-in and items: a line ending in ":" that
    names them (``list_teaser_lead_in`` in rules.yaml: "More of our coverage of the floods:",
    "Share this story with your friends:"), then two or more bulleted or numbered items."""
    found: set[int] = set()
    for lead in range(start, end + 1):
        text = texts[lead].strip()
        if not text.endswith(":") or not rules.list_teaser_lead_in.search(text):
            continue
        items = lead + 1
        while items <= end and is_list_item(texts[items]):
            items += 1
        if items - lead - 1 >= MIN_LIST_ITEMS:
            found.update(range(lead, items))
    return frozenset(found)


def is_list_item(text: str) -> bool:
    """Whether a paragraph is a bulleted or numbered item ("• Mill Lane", "2) Harbour Road")."""
    return bool(_LIST_MARKER.match(text))


MIN_LIST_ITEMS = 2
MIN_LEAD_IN_WORDS = 4  # "Top stories today:" heads a teaser box; the article's lead-in is a sentence
MIN_CLOSING_LEAD_IN_WORDS = 6  # below the story, where teaser boxes stand, a whole sentence
MAX_LEAD_IN_TITLE_CASE = 0.5  # share of capitalised content words: "More Kelby Flood Coverage:" is a heading
MIN_POINT_WORDS = 3  # "• About 80 homes flooded" is a point; "• Weather" a menu item
_LIST_MARKER = re.compile(r"^(?:[•*·▪◦‣–-]|\d{1,2}[.)])\s+\S")


def _introduces_a_list(i: int, kept: frozenset[int], features: tuple[Features, ...],
                       roles: tuple[str | None, ...], texts: tuple[str, ...], rules: Rules) -> bool:
    if not texts[i].rstrip().endswith(":") or roles[i] is not None or features[i].boilerplate is not None:
        return False
    # The site speaks to its reader ("Also on our site:", "Watch our latest videos:") and offers its
    # media and wares (`site_offer` in rules.yaml); the article introducing its own list does neither.
    f = features[i]
    # A speaker's "Ms Morley said:" is short, and the story's all the same.
    long_enough = f.words >= MIN_LEAD_IN_WORDS or bool(rules.speech_lead_in.search(texts[i].strip()))
    return ((i in kept or (i - 1 in kept and long_enough and f.repeats <= 1))
            and not f.reader_density and not rules.site_offer.search(texts[i]))



def _is_list_item(i: int, features: tuple[Features, ...], roles: tuple[str | None, ...],
                  texts: tuple[str, ...]) -> bool:
    f = features[i]
    return (is_list_item(texts[i]) and roles[i] is None and f.boilerplate is None
            and f.repeats <= 1 and not f.truncated)
