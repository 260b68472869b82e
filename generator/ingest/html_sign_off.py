"""A post's sign-off below its body: a blog's footer naming who posted it and when ("Posted by
Elin Marsh at 7:40 PM", the time machine-readable in an ``<abbr class="published" title=...>``,
as Blogger and other hAtom themes write it). Read only when the page names no author or date
above the body, and never from a comment thread."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from lxml import etree

from .clean import SIGN_OFF_BLOCKS
from .extract import PageBlocks
from .html_meta import MACHINE_DATES, as_author, inside, machine_date_text, marked, parse_date, part_texts
from .metadata import byline_author, byline_date
from .rules import Rules

_HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_COMMENTS = re.compile(r"(?i)(?:^|[\s_-])(?:comments?|responses|replies|reply|disqus)(?=$|[\s_-])")


@dataclass(frozen=True)
class SignOff:
    author: str
    date: datetime.date | None


def sign_off(blocks: PageBlocks, last: int, container: etree._Element | None, rules: Rules) -> SignOff | None:
    """The byline in the few blocks below the body's last paragraph (block ``last``), inside the
    story's ``container``; a heading (a comment thread's "3 comments:") or a comment ends the search."""
    for text, el in blocks[last + 1:last + 1 + SIGN_OFF_BLOCKS]:
        if el.tag in _HEADING or marked(el, _COMMENTS):
            return None
        if container is not None and not inside(el, container):
            continue
        for line in (*part_texts(el), text):
            name = byline_author(line, rules)
            author = as_author(name, rules) if name else None
            if author:
                return SignOff(author, byline_date(line, rules) or _machine_date(el, rules))
    return None


def _machine_date(el: etree._Element, rules: Rules) -> datetime.date | None:
    return next((parsed for found in el.xpath(MACHINE_DATES)
                 if (parsed := parse_date(machine_date_text(found), rules)) is not None), None)
