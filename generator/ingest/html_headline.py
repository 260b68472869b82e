"""The headline of a saved page: the visible heading that agrees with what the page says of
itself (og:title, <title>, JSON-LD), else the best metadata title without the site's name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..taxonomy import word_key
from .html_meta import HeadMeta, ld_text, visible_text

_TITLE_KEYS = ("og:title", "twitter:title")
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-{1,2}|–|—|::|·|•|»|«)\s+")


@dataclass(frozen=True)
class Headline:
    text: str
    element: etree._Element | None  # the visible heading it was read from, if any


def choose_title(root: etree._Element, head: HeadMeta, site: str | None, host: str | None) -> Headline | None:
    """The headline: a visible heading that agrees with the page's metadata titles, else the
    best metadata title with the site's name cut off, else the main <h1>."""
    stated = [v for key in _TITLE_KEYS for v in head.metas.get(key, ())]
    stated += [t for value in head.ld("headline") if (t := ld_text(value))]
    if head.html_title:
        stated.append(head.html_title)
    agreeing = {word_key(p) for s in stated for p in _headline_parts(s)} - {""}
    headings = [(visible_text(el), el) for level in ("h1", "h2", "h3") for el in root.iter(level)]
    headings = [(t, el) for t, el in headings if t and not _is_site(t, site, host)]
    for text, el in headings:  # h1s first: they come first in the list
        if word_key(text) in agreeing:
            return Headline(text, el)
    # A blog's "Harbour Notes: The last ferry of the season", its post's title in an <h3>.
    after_colon = {word_key(after) for s in stated if len((after := s.partition(": ")[2]).split()) >= 3}
    for text, el in headings:
        if word_key(text) in after_colon:
            return Headline(text, el)
    for text, el in headings:
        if el.tag == "h1" and any(_similar(text, s) for s in stated):
            return Headline(text, el)
    # A search engine's title for the story ("Port Alder harbor dredging: what boaters need to
    # know") over the page's own headline ("Dredging finally begins in Port Alder harbor").
    for text, el in headings:
        if el.tag == "h1" and any(_retold(text, s) for s in stated):
            return Headline(text, el)
    for text in stated:
        cut = _strip_site(text, site, host)
        if cut and not _is_site(cut, site, host):
            return Headline(cut, None)
    main_h1 = [(t, el) for t, el in headings if el.tag == "h1"]
    in_article = [(t, el) for t, el in main_h1 if any(a.tag in ("article", "main") for a in el.iterancestors())]
    chosen = (in_article or main_h1 or [None])[0]
    return Headline(*chosen) if chosen else None


def _headline_parts(title: str) -> list[str]:
    """The parts of a metadata title the headline may be: "A | B | C" -> "A", "A | B", "A | B | C";
    and, for a site's name put first ("Site | Headline"), what follows a separator when it has a
    headline's length (4 words or more) and more words than what comes before it."""
    cuts = _cuts(title)
    ends = [title[c.end():] for c in cuts
            if (after := len(title[c.end():].split())) >= 4 and after > len(title[:c.start()].split())]
    return [title[:c.start()] for c in cuts] + [title] + ends


def _similar(a: str, b: str) -> bool:
    """Most words shared (Dice >= 0.8): a headline and its shortened social-media title."""
    wa, wb = set(word_key(a).split()), set(word_key(b).split())
    return bool(wa and wb) and 2 * len(wa & wb) / (len(wa) + len(wb)) >= 0.8


def _retold(headline: str, title: str) -> bool:
    """Whether a metadata title retells a headline of four words or more: it has at least half
    of the headline's words, and not as a part of its own ("Headline | Harbour Herald News Desk")."""
    words = set(word_key(headline).split())
    if word_key(headline) in {word_key(part) for part in _TITLE_SEPARATOR.split(title)}:
        return False
    return len(words) >= RETOLD_MIN_WORDS and len(words & set(word_key(title).split())) * 2 >= len(words)


RETOLD_MIN_WORDS = 4  # a shorter <h1> is as often the site's name or a section's


def _is_site(text: str, site: str | None, host: str | None) -> bool:
    key = re.sub(r"\W|_", "", text.casefold())
    site_key = re.sub(r"\W|_", "", site.casefold()) if site else None
    return bool(key) and key in {site_key, host}


def _strip_site(title: str, site: str | None, host: str | None) -> str:
    """A metadata title without its trailing " | Section | Site" parts.

    A trailing part goes when it names the site, or is short (three words at most)
    while what stays is a longer headline.
    """
    cuts = _cuts(title)
    end = len(title)
    while cuts:
        last, rest = title[cuts[-1].end():end], title[:cuts[-1].start()]
        squashed = re.sub(r"\W|_", "", last.casefold())
        names_site = _is_site(last, site, host) or bool(site and word_key(last) and word_key(last) in word_key(site)) or (
            bool(host) and host in squashed)
        if not (names_site or (len(last.split()) <= 3 and len(rest.split()) >= 4)):
            break
        end = cuts.pop().start()
    return title[:end]


def _cuts(title: str) -> list[re.Match[str]]:
    """The separators of a metadata title's parts; none inside brackets ("Obituary (1933 - 2025)")."""
    return [cut for cut in _TITLE_SEPARATOR.finditer(title)
            if title.count("(", 0, cut.start()) <= title.count(")", 0, cut.start())]
