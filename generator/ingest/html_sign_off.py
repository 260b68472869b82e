"""A post's sign-off below its body: a blog's footer naming who posted it and when ("Posted by
Elin Marsh at 7:40 PM", the time machine-readable in an ``<abbr class="published" title=...>``,
as Blogger and other hAtom themes write it). Read only when the page names no author or date
above the body, and never from a comment thread."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from lxml import etree

from .extract import PageBlocks
from .html_meta import as_author, inside, parse_date, part_texts
from .metadata import byline_author, byline_date
from .rules import Rules

SIGN_OFF_BLOCKS = 2  # page blocks right below the body's last paragraph where a sign-off may stand
_HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_COMMENTS = re.compile(r"(?i)(?:^|[\s_-])(?:comments?|responses|replies|reply|disqus)(?=$|[\s_-])")
# A machine-readable time in the sign-off: <time datetime>, hAtom's <abbr class="published">.
_MACHINE_DATE = (".//time[@datetime] | .//*[@itemprop='datePublished']"
                 " | .//abbr[@title][contains(concat(' ', normalize-space(@class), ' '), ' published ')]")


@dataclass(frozen=True)
class SignOff:
    author: str
    date: datetime.date | None


def sign_off(blocks: PageBlocks, last: int, container: etree._Element | None, rules: Rules) -> SignOff | None:
    """The byline in the few blocks below the body's last paragraph (block ``last``), inside the
    story's ``container``; a heading (a comment thread's "3 comments:") or a comment ends the search."""
    for text, el in blocks[last + 1:last + 1 + SIGN_OFF_BLOCKS]:
        if el.tag in _HEADING or _in_comments(el):
            return None
        if container is not None and not inside(el, container):
            continue
        for line in (*part_texts(el), text):
            name = byline_author(line, rules)
            author = as_author(name, rules) if name else None
            if author:
                return SignOff(author, byline_date(line, rules) or _machine_date(el, rules))
    return None


def _in_comments(el: etree._Element) -> bool:
    return any(_COMMENTS.search(f"{node.get('class', '')} {node.get('id', '')}") for node in (el, *el.iterancestors()))


def _machine_date(el: etree._Element, rules: Rules) -> datetime.date | None:
    for found in el.xpath(_MACHINE_DATE):
        value = found.get("datetime") or found.get("content") or found.get("title")
        parsed = parse_date(value, rules) if value else None
        if parsed is not None:
            return parsed
    return None
