"""A saved page's lead image: its caption element and figure, and the caption and credit they show.

Pages mark a credit as an element of its own (a <small>, a class naming a credit), write it after
the caption ("... harbour. Photo: X", "... harbour (X/AP)"), or show it elsewhere in the figure,
labelled for screen readers ("Image source, X", BBC's layout).
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

from .html_meta import inside, tidy, visible_text
from .metadata import is_credit_line, split_caption_credit
from .rules import Rules

# "... harbour (Jane Doe/AP)", "... harbour [Agency via Getty]"
_BRACKETED_CREDIT = re.compile(r"^(?P<caption>.*?\S)?\s*[(\[](?P<credit>[^()\[\]]{2,80})[)\]]$")
_CREDIT_WORD = re.compile(r"(?i)\b(?:photo|image|picture|credit|courtesy|illustration|file|via)\b|/")
# "... harbour. Photograph: Jane Doe/Agency" (capitalised: "the photo by the pier" is a caption)
_MARKED_CREDIT = re.compile(r"^(?P<caption>.*?\S)\s+(?P<credit>(?:Photo|Photograph|Photos|Image|Picture|Credit|"
                            r"Illustration|Courtesy|Video|Source)(?: by|:)\s*\S.{0,80})$")
_CREDIT_CLASS = re.compile(r"(?i)credit|copyright|byline|author|source|photographer|attribution")
# Text only a screen reader speaks: in a caption it is a label ("Image caption, "), not the caption.
_SCREEN_READER_CLASS = re.compile(r"(?i)\b(?:visually-?hidden|sr-only|screen-reader-text|a11y-only|off-?screen)\b")
# Caption elements besides <figcaption>: WordPress's (a <p> in its "wp-caption" box).
_CAPTION_CLASS = re.compile(r"\bwp-caption-text\b")
# A label saying what an image's text is: "Image caption, ...", "Image source, ...", "Photo credit: ..."
_IMAGE_LABEL = re.compile(r"(?i)^\s*(?:image|photo|picture|video) (?P<kind>caption|source|credit)s?\s*[,:]\s*")
_CREDIT_LABELS = frozenset({"source", "credit"})


def caption_and_credit(figcaption: etree._Element, rules: Rules) -> tuple[str | None, str | None]:
    """A figcaption's caption and credit: a marked credit element, else a credit written
    after the caption ("... harbour. Photo: X", "... harbour (X/AP)")."""
    shown = _without_screen_reader_text(figcaption)
    marked = [el for el in shown.iterdescendants() if _is_credit_element(el)]
    if marked:
        credit = visible_text(marked[0])
        kept = _text_without(shown, marked[0])
        return kept or None, _unwrap(credit) or None
    caption, credit = split_credit(_without_caption_label(visible_text(shown)), rules)
    if credit is None and (box := _caption_box(figcaption)) is not None:
        # A credit shown beside the caption, elsewhere in its figure (over the image).
        beside = [el for el in box.iterdescendants() if _is_credit_element(el) and not inside(el, figcaption)]
        credit = (_unwrap(visible_text(_without_screen_reader_text(beside[0]))) or None if beside
                  else _labelled_credit(box, figcaption))
    return caption or None, credit


def _without_caption_label(text: str) -> str:
    """A caption without its "Image caption, " label (a credit's label stays: it says what follows)."""
    labelled = _IMAGE_LABEL.match(text)
    return text[labelled.end():] if labelled is not None and labelled.group("kind").casefold() == "caption" else text


def _labelled_credit(box: etree._Element, figcaption: etree._Element) -> str | None:
    """A credit elsewhere in the figure that says it is one ("Image source, Coastguard Agency",
    the label often for screen readers alone), without its label."""
    for el in box.iterdescendants():
        if isinstance(el.tag, str) and not inside(el, figcaption) and not inside(figcaption, el):
            labelled = _IMAGE_LABEL.match(text := visible_text(el))
            if labelled is not None and labelled.group("kind").casefold() in _CREDIT_LABELS:
                return text[labelled.end():].strip() or None
    return None


def _is_credit_element(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and (el.tag in ("small", "cite") or bool(_CREDIT_CLASS.search(
        f"{el.get('class', '')} {el.get('itemprop', '')}")))


def _caption_box(caption: etree._Element) -> etree._Element | None:
    """The <figure> (or WordPress caption box) a caption belongs to."""
    parent = caption.getparent()
    while parent is not None and parent.tag not in ("figure", "body"):
        if "wp-caption" in (parent.get("class") or "").split():
            return parent
        parent = parent.getparent()
    return parent if parent is not None and parent.tag == "figure" else None


def is_caption(el: etree._Element) -> bool:
    """A lead image's caption element: <figcaption>, or WordPress's caption text."""
    return el.tag == "figcaption" or (isinstance(el.tag, str) and bool(_CAPTION_CLASS.search(el.get("class") or "")))


def caption_holding(el: etree._Element) -> etree._Element | None:
    """The caption element ``el`` is, or is inside."""
    return next((a for a in (el, *el.iterancestors()) if is_caption(a)), None)


def shows_image(caption: etree._Element) -> bool:
    """The caption's figure holds a picture (not a "Watch live" banner's icon)."""
    box = _caption_box(caption)
    return box is not None and any(el.tag in ("img", "picture") for el in box.iter())


def _without_screen_reader_text(el: etree._Element) -> etree._Element:
    """A copy of the element without its screen-reader-only parts (the element when it has none)."""
    if not any(_SCREEN_READER_CLASS.search(d.get("class") or "") for d in el.iterdescendants()
               if isinstance(d.tag, str)):
        return el
    copy = deepcopy(el)
    for hidden in [d for d in copy.iterdescendants()
                   if isinstance(d.tag, str) and _SCREEN_READER_CLASS.search(d.get("class") or "")]:
        if hidden.getparent() is not None:
            hidden.drop_tree()
    return copy


def split_credit(text: str, rules: Rules) -> tuple[str | None, str | None]:
    """A caption's text -> (caption, credit); either may be None."""
    if not text:
        return None, None
    split = split_caption_credit(text, rules)
    if split:
        return split[0], _unwrap(split[1])
    marked = _MARKED_CREDIT.match(text)
    if marked:
        return marked["caption"], marked["credit"]
    bracketed = _BRACKETED_CREDIT.match(text)
    if bracketed and (_CREDIT_WORD.search(bracketed["credit"]) or is_credit_line(bracketed["credit"], rules)):
        return bracketed["caption"] or None, bracketed["credit"].strip()
    if is_credit_line(text, rules):
        return None, _unwrap(text)
    return text, None


def _unwrap(credit: str) -> str:
    return credit[1:-1].strip() if credit.startswith("(") and credit.endswith(")") else credit


def _text_without(root: etree._Element, part: etree._Element) -> str:
    """The element's text with the text of ``part`` (a descendant) taken out."""
    whole, cut = visible_text(root), visible_text(part)
    before, found, after = whole.rpartition(cut)
    return tidy(f"{before} {after}") if found else whole
