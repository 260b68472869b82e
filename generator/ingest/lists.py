"""Lists in a text dump's body: a lead-in sentence ending in ":", bulleted or numbered items.

Short items alone ("• Mill Lane") read like a menu's; introduced by the story and closed by it,
they are the story's own, bulleted or not, however many. So is a box of its key points above
the first paragraph.

A list below the last paragraph is left out, whatever its lead-in: there a roundup of other
stories ("In other news around the county:"), a shop's or a sign-up box reads just like the
story's own list of helplines.
"""

from __future__ import annotations

import re

from .features import Features, content_words, menu_items, past_boxes
from .rules import Rules


def body_lists(start: int, end: int, kept: frozenset[int], features: tuple[Features, ...],
               roles: tuple[str | None, ...], texts: tuple[str, ...], rules: Rules,
               headings: frozenset[int] = frozenset()) -> frozenset[int]:
    """A list set into the body: a line ending in ":" below a body paragraph (or the paragraph
    itself), two or more bulleted or numbered items right below it, and the body going on right
    after them, maybe under the next section's heading, one of ``headings`` (the lines shaped like
    one), past an ad's label ("The embankment will be raised at four places:" / "• Mill Lane" ...). Short
    items alone read like a menu; introduced by the article and closed by it, they are its own.
    A teaser list's heading ("Related:", "Read more:") is boilerplate, so it introduces none."""
    found: set[int] = set()
    for lead in range(start, end):
        if not _introduces_a_list(lead, kept, features, roles, texts, rules):
            continue
        items = lead + 1
        while items <= end and items not in kept and _is_list_item(items, features, roles, texts):
            items += 1
        # Under a speaker's few words, links ("The Courier said:" / "• Support Local News") are not
        # what was said.
        by_a_speaker = lead not in kept and features[lead].words < MIN_LEAD_IN_WORDS
        if by_a_speaker and not all(map(_reads_as_said, (features[k] for k in range(lead + 1, items)))):
            continue
        if items - lead - 1 >= MIN_LIST_ITEMS and _body_goes_on(items, end, kept, features, headings):
            found.update(range(lead, items))
    return frozenset(found - kept)


def list_below(lead: int, features: tuple[Features, ...], roles: tuple[str | None, ...], texts: tuple[str, ...],
               rules: Rules, headings: frozenset[int], after_list: bool = False) -> range:
    """A list the story sets right below its paragraph ``lead - 1``, long enough to part the
    story's prose on a page (14 schools closed, a rally's classification): a heading, one of
    ``headings`` ("Provisional classification"), or a lead-in ending in ":" at ``lead`` (or the
    paragraph ends in ":" itself), then two or more items, bulleted or numbered or lines of two
    words or more alone ("Buxton Junior School"), none page furniture or the site's voice. Its
    blocks, from ``lead``; empty when there is none. (Whether the story goes on below is the
    caller's to judge.) Right ``after_list`` of the story's, a heading may end in ":" ("Biggest
    fallers:" below the risers): the story sets its lists side by side."""
    if lead >= len(texts):
        return range(0)
    above = frozenset({lead - 1})  # the story's paragraph, as kept, for the lead-in test
    headed = False
    if lead > 0 and _introduces_a_list(lead - 1, above, features, roles, texts, rules):
        first = lead
    elif _introduces_a_list(lead, above, features, roles, texts, rules):
        first = lead + 1
    # A label ending in ":" ("Gull facts:") is a lead-in too short to be the story's.
    elif lead in headings and not _is_row(texts[lead]) and (after_list or not texts[lead].rstrip().endswith(":")):
        first, headed = lead + 1, True
    else:
        return range(0)
    items = first
    while items < len(texts) and (_is_plain_item(items, features, roles, texts) or _is_one_name(items, features, roles)):
        items += 1
    # Under a heading alone, a teaser box's headlines read the same ("Gulls return to the pier"):
    # the story's list names things or gives figures.
    if headed and not all(_names_or_figures(texts[i], features[i]) for i in range(first, items)):
        return range(0)
    # One name alone ("Orkney") is an item among longer ones ("Argyll and Bute"); lines of one
    # word, most of them, are a menu ("News", "Sport").
    names = sum(_is_one_name(i, features, roles) for i in range(first, items))
    return range(lead, items) if items - first - names >= max(MIN_LIST_ITEMS, names) else range(0)


def _is_one_name(i: int, features: tuple[Features, ...], roles: tuple[str | None, ...]) -> bool:
    """A line of one capitalised word that the page shows once, no furniture: a list's item
    among longer ones ("Highland" among "Western Isles" and "Argyll and Bute")."""
    f = features[i]
    return f.words == 1 and f.title_case == 1 and f.repeats <= 1 and not f.ends_sentence and _no_furniture(
        i, features, roles)


def _names_or_figures(text: str, f: Features) -> bool:
    """An item naming things ("Buxton Junior School") or giving figures ("2. Keira Daly ... +23.6s")."""
    return f.title_case > MAX_ITEM_TITLE_CASE or any(c.isdigit() for c in _LIST_MARKER.sub("", text))


def _is_plain_item(i: int, features: tuple[Features, ...], roles: tuple[str | None, ...],
                   texts: tuple[str, ...]) -> bool:
    """A list's item, bulleted or not: a line of a few words alone that ends no sentence is one
    too (a school's name), never a lead-in of its own, the site speaking or page furniture."""
    f = features[i]
    if texts[i].rstrip().endswith(":") or _is_row(texts[i]) or in_site_voice(f):
        return False
    return _is_list_item(i, features, roles, texts) or (
        MIN_PLAIN_ITEM_WORDS <= f.words <= MAX_POINT_WORDS and not f.ends_sentence and _no_furniture(i, features, roles))


def _is_row(text: str) -> bool:
    """A row of links or of a table's cells ("Share: Facebook | X | Strava"), no item of a list."""
    return len(menu_items(text)) > 1


def _body_goes_on(i: int, end: int, kept: frozenset[int], features: tuple[Features, ...],
                  headings: frozenset[int]) -> bool:
    """Does the body go on at block ``i``, past an ad's label or the like, maybe under the next
    section's heading ("Causes")?"""
    i = past_boxes(i, end, kept, features)
    return i in kept or (i in headings and i + 1 in kept)


def opening_list(start: int, kept: frozenset[int], features: tuple[Features, ...], roles: tuple[str | None, ...],
                 texts: tuple[str, ...], rules: Rules) -> range:
    """The story's key points above its first paragraph ``start``: a heading of
    ``summary_heading`` in rules.yaml ("Key points:"), then two or more items, each a phrase
    of a few words sharing words of substance with the story, the first paragraph right after
    them. Empty when there is none.

    Each point restates the story, so it shares two of its words: a news-in-brief box of other
    stories shares a place name at most."""
    lead = start - 1
    # A copied key-points box may have lost its bullets: under the heading, its items are lines alone.
    while lead >= 0 and (_is_list_item(lead, features, roles, texts) or _is_point(lead, features, roles)):
        lead -= 1
    if (start - lead - 1 < MIN_LIST_ITEMS or lead < 0 or roles[lead] is not None
            or not rules.summary_heading.search(texts[lead].strip())):
        return range(0)
    story = content_words(texts, kept, rules.stopwords)
    points = range(lead + 1, start)
    if any(features[i].words < MIN_POINT_WORDS or in_site_voice(features[i])
           or len(content_words(texts, (i,), rules.stopwords) & story) < MIN_POINT_SHARED_WORDS for i in points):
        return range(0)
    return range(lead, start)


def teaser_lists(start: int, end: int, texts: tuple[str, ...], rules: Rules) -> frozenset[int]:
    """Lists of the site's links set into the body, lead-in and items: a line ending in ":" that
    names them (``list_teaser_lead_in`` in rules.yaml: "More of our coverage of the floods:",
    "Share this story with your friends:"), then two or more bulleted or numbered items."""
    found: set[int] = set()
    for lead in range(start, end + 1):
        text = texts[lead].strip()
        if (not text.endswith(":") or len(text.split()) > MAX_TEASER_LEAD_IN_WORDS
                or not rules.list_teaser_lead_in.search(text)):
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
MAX_ITEM_TITLE_CASE = 0.5  # share of capitalised content words: "• Support Local News" is a link's
MIN_POINT_WORDS = 3  # "• About 80 homes flooded" is a point; "• Weather" a menu item
MAX_POINT_WORDS = 30  # an unbulleted point is no paragraph
MIN_PLAIN_ITEM_WORDS = 2  # an unbulleted item: "Home" or "Sport" alone is a menu's
MIN_POINT_SHARED_WORDS = 2
MAX_TEASER_LEAD_IN_WORDS = 15  # a box's label; a paragraph ending in ":" is the story's
_LIST_MARKER = re.compile(r"^(?:[•*·▪◦‣–-]|\d{1,2}[.)])\s+\S")


def _introduces_a_list(i: int, kept: frozenset[int], features: tuple[Features, ...],
                       roles: tuple[str | None, ...], texts: tuple[str, ...], rules: Rules) -> bool:
    if not texts[i].rstrip().endswith(":") or roles[i] is not None or features[i].boilerplate is not None:
        return False
    f = features[i]
    # A speaker's "Ms Morley said:" is short, and the story's all the same.
    long_enough = f.words >= MIN_LEAD_IN_WORDS or bool(rules.speech_lead_in.search(texts[i].strip()))
    # The site speaks to its reader ("Also on our site:", "Watch our latest videos:") and offers its
    # media and wares (`site_offer` in rules.yaml); the article introducing its own list does neither.
    return ((i in kept or (i - 1 in kept and long_enough and f.repeats <= 1))
            and not f.reader_density and not rules.site_offer.search(texts[i]))


def _reads_as_said(f: Features) -> bool:
    """An item a speaker said: in sentence case and not the site's voice ("• Support Local News",
    "• Sign up to our alerts" are links)."""
    return f.title_case <= MAX_ITEM_TITLE_CASE and not in_site_voice(f)


def in_site_voice(f: Features) -> bool:
    """The site asking or speaking to its reader ("Sign up to our alerts"): no story's point."""
    return f.appeal or bool(f.reader_density)


def _is_point(i: int, features: tuple[Features, ...], roles: tuple[str | None, ...]) -> bool:
    """A line that may be an unbulleted key point: a phrase or short sentence, no page furniture."""
    return MIN_POINT_WORDS <= features[i].words <= MAX_POINT_WORDS and _no_furniture(i, features, roles)


def _no_furniture(i: int, features: tuple[Features, ...], roles: tuple[str | None, ...]) -> bool:
    """No byline or dateline, boilerplate, line the page repeats, or teaser cut short."""
    f = features[i]
    return roles[i] is None and f.boilerplate is None and f.repeats <= 1 and not f.truncated


def _is_list_item(i: int, features: tuple[Features, ...], roles: tuple[str | None, ...],
                  texts: tuple[str, ...]) -> bool:
    return is_list_item(texts[i]) and _no_furniture(i, features, roles)
