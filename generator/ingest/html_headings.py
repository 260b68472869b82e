"""Whether a short line on an HTML page is marked up as a subheading, when not with <h2>-<h6>.

Pages style subheadings as a <div class="subhead"> or a bold line; a short line in the same
place is as often a caption, an ad or sponsor label, a card's or a video's title. The page's
markup tells them apart: a heading's role, class or bold type, and no class naming furniture.
"""

from __future__ import annotations

import re

from lxml import etree

from .html_meta import visible_text

_SUBHEADING_MAX_WORDS = 10
_SENTENCE_OR_LABEL_END = re.compile(r"[.,;:!…]$")  # a heading ends bare, or asks a question
# Where a short line is a control, a link or part of a list, never the article's subheading.
_NOT_SUBHEADING_TAGS = frozenset({"a", "button", "li", "figure", "figcaption", "aside", "nav", "form",
                                  "label", "footer", "header", "dt", "dd", "blockquote", "td", "th"})


def reads_as_subheading(text: str, el: etree._Element) -> bool:
    """A short line that starts with a capital or a digit and ends bare (not a sentence, not a
    "Label:"), not a link (a related story's headline), not inside a list, figure or widget, and
    marked as a heading by the page, by no name of other furniture."""
    words = text.split()
    if not 1 <= len(words) <= _SUBHEADING_MAX_WORDS or not (text[0].isupper() or text[0].isdigit()):
        return False
    if _SENTENCE_OR_LABEL_END.search(text):
        return False
    linked = sum(len(visible_text(a)) for a in el.iter("a"))
    return (linked * 2 < len(text) and not any(a.tag in _NOT_SUBHEADING_TAGS for a in (el, *el.iterancestors()))
            and _marked_as_heading(el) and not any(map(_names_furniture, (el, el.getparent()))))


def _marked_as_heading(el: etree._Element) -> bool:
    """Whether the page marks the line as a heading, if not with <h2>: a role, a class or id
    naming one ("pf_subheadline", "section-title"), or bold type for the whole line. A short
    line alone is as often a caption, a label or a widget's."""
    if el.get("role") == "heading" or el.get("aria-level"):
        return True
    if any("head" in name or "title" in name for name in _names(el)):
        return True
    children = list(el)
    return (len(children) == 1 and children[0].tag in ("b", "strong") and not (el.text or "").strip()
            and not (children[0].tail or "").strip())


def _names(el: etree._Element | None) -> list[str]:
    """The words of an element's class and id ("story-subhead" -> story, subhead)."""
    if el is None:
        return []
    return [w for w in re.split(r"[\W_]+", f"{el.get('class', '')} {el.get('id', '')}".lower()) if w]


# Words in a class or id that name some other furniture than a heading: a video's or a card's
# title, a caption, an ad or sponsor label, a byline, a time stamp, a kicker above a headline.
_FURNITURE_NAMES = frozenset({"ad", "ads", "cta", "btn", "img", "map", "tag", "tags"})
_FURNITURE_PREFIXES = ("advert", "promo", "sponsor", "caption", "credit", "card", "related", "teaser", "video",
                       "media", "image", "photo", "gallery", "byline", "author", "date", "time", "kicker",
                       "eyebrow", "quote", "share", "social", "newsletter", "signup", "subscri", "button",
                       "podcast", "player", "graphic", "embed", "widget", "label", "recirc", "trending")


def _names_furniture(el: etree._Element | None) -> bool:
    return any(name in _FURNITURE_NAMES or name.startswith(_FURNITURE_PREFIXES) for name in _names(el))
