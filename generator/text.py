"""Text that may appear in any page or feed: no characters XML 1.0 or HTML forbid."""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab and newline, DEL and C1 controls, the noncharacters U+FDD0..U+FDEF
# and U+xFFFE/U+xFFFF of every plane: each makes a feed ill-formed or a page invalid.
# Python's re tests a character against a class beyond the Basic Multilingual Plane range by
# range, ten times slower than against one within it, so the other planes get their own
# pattern, used only on text that has such characters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")  # surrogates: lone ones
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_FORBIDDEN_ASTRAL = re.compile(
    "[" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)) + "]")


def clean_text(text: str) -> str:
    """``text`` without forbidden characters (carriage returns go too: newlines are LF)."""
    text = _FORBIDDEN.sub("", text)
    if not text.isascii() and _ASTRAL.search(text):
        text = _FORBIDDEN_ASTRAL.sub("", text)
    return text


_END_TAG = re.compile(r"</[A-Za-z]")


def has_end_tag(text: str) -> bool:
    """Whether plain text holds what an HTML reader takes for an end tag ("a </b> b"): feed
    validators flag such text in plain-text feed elements."""
    return _END_TAG.search(text) is not None


def normalize_key(text: str) -> str:
    """The form two spellings of one name share: NFKC, case-folded, single spaces. Normalized
    again after folding, which can undo it ("ß" + accent folds to "ss" + accent, which composes):
    a key is then its own key."""
    return " ".join(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()).split())
