"""Text that may appear in any page or feed: no characters XML 1.0 or HTML forbid."""

from __future__ import annotations

import functools
import re
import sys
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


# Every byte but those that may begin a forbidden character in UTF-8: the forbidden ASCII
# ones, C2 (U+0080-U+00BF, the C1 controls among them), EF (U+F000-U+FFFF, the BMP's last
# noncharacters among them) and F0-F4 (the other planes). A text whose UTF-8 is all such bytes
# is clean, told by one C scan at a tenth of the pattern's cost: every article body is cleaned
# as it is loaded, counted and rendered.
_CLEAR_BYTES = bytes(sorted(set(range(256)) - {*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F,
                                               0xC2, 0xEF, *range(0xF0, 0xF5)}))


def clean_text(text: str) -> str:
    """``text`` without forbidden characters (carriage returns go too: newlines are LF)."""
    if _surely_clean(text):
        return text
    text = _FORBIDDEN.sub("", text)
    if not text.isascii() and _ASTRAL.search(text):
        text = _FORBIDDEN_ASTRAL.sub("", text)
    return text


def _surely_clean(text: str) -> bool:
    """Whether ``text`` has no forbidden character, as far as a byte scan tells (False: look closer)."""
    try:
        return not text.encode("utf-8").translate(None, _CLEAR_BYTES)
    except UnicodeEncodeError:  # a lone surrogate
        return False


_END_TAG = re.compile(r"</[A-Za-z]")


def has_end_tag(text: str) -> bool:
    """Whether plain text holds what an HTML reader takes for an end tag ("a </b> b"): feed
    validators flag such text in plain-text feed elements."""
    return _END_TAG.search(text) is not None


# Unicode's default-ignorable characters (soft hyphen, zero-width joiners and spaces, direction
# marks, variation selectors): never shown, so never what tells two names apart.
_IGNORABLES = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
               "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
               "\U000e0000-\U000e0fff")
_IGNORABLE = re.compile(f"[{_IGNORABLES}]")
_INVISIBLE_ENDS = re.compile(rf"^[\s{_IGNORABLES}]+|[\s{_IGNORABLES}]+$")


def normalize_key(text: str) -> str:
    """The form two spellings of one name share: NFKC, case-folded, single spaces. Normalized
    again after folding, which can undo it ("ß" + accent folds to "ss" + accent, which composes):
    a key is then its own key. Turkish dotted capital I folds to i and a combining dot: the key
    has plain i, so "İstanbul" and "Istanbul" are one name. Default-ignorable characters go:
    "Ukr\u00adaine" (a soft hyphen) is "Ukraine"."""
    if not text.isascii():
        text = _IGNORABLE.sub("", text)
    folded = unicodedata.normalize("NFKC", text).casefold()
    if "\u0307" in folded:
        folded = folded.replace("i\u0307", "i")
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def trim_invisible(text: str) -> str:
    """``text`` without white space or default-ignorable characters (zero-width space, joiners,
    direction marks) at either end; those inside are kept (Persian spells words with a
    zero-width non-joiner)."""
    return _INVISIBLE_ENDS.sub("", text)


@functools.cache
def combining_marks() -> str:
    """A regex character class body of every combining mark (Unicode categories Mn, Mc, Me: the
    vowel signs of Hindi, Tamil, Arabic...), which Python's ``\\w`` leaves out and JavaScript's
    ``\\p{M}`` takes in. Made on first use: listing the marks of planes 0, 1 and 14 (where Unicode
    puts them) takes 30 ms, which ASCII text never needs."""
    marks = [c for c in (*range(0x20000), *range(0xE0000, min(0xE1000, sys.maxunicode + 1)))
             if unicodedata.category(chr(c))[0] == "M"]
    ranges: list[list[int]] = []  # consecutive marks as one range, so the pattern stays small
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
