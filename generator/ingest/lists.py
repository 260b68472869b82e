"""Lists in a text dump's body: a lead-in sentence ending in ":", bulleted or numbered items.

Short items alone ("• Mill Lane") read like a menu's; introduced by the story and closed by it,
they are the story's own.
"""

from __future__ import annotations

import re

from .features import Features
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


MIN_LIST_ITEMS = 2
MIN_LEAD_IN_WORDS = 4  # "Top stories today:" heads a teaser box; the article's lead-in is a sentence
_LIST_MARKER = re.compile(r"^(?:[•*·▪◦‣–-]|\d{1,2}[.)])\s+\S")


def _introduces_a_list(i: int, kept: frozenset[int], features: tuple[Features, ...],
                       roles: tuple[str | None, ...], texts: tuple[str, ...], rules: Rules) -> bool:
    if not texts[i].rstrip().endswith(":") or roles[i] is not None or features[i].boilerplate is not None:
        return False
    # The site speaks to its reader ("Also on our site:", "Watch our latest videos:") and offers its
    # media and wares (`site_offer` in rules.yaml); the article introducing its own list does neither.
    f = features[i]
    return ((i in kept or (i - 1 in kept and f.words >= MIN_LEAD_IN_WORDS and f.repeats <= 1))
            and not f.reader_density and not rules.site_offer.search(texts[i]))



def _is_list_item(i: int, features: tuple[Features, ...], roles: tuple[str | None, ...],
                  texts: tuple[str, ...]) -> bool:
    f = features[i]
    return (bool(_LIST_MARKER.match(texts[i])) and roles[i] is None and f.boilerplate is None
            and f.repeats <= 1 and not f.truncated)
