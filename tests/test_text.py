import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.text import _FORBIDDEN, _FORBIDDEN_ASTRAL, clean_text


@given(st.text())
def test_cleaned_text_is_always_legal_xml_content(text):
    cleaned = clean_text(text)
    assert ET.fromstring(f"<t>{escape(cleaned)}</t>").text in (cleaned or None, None)


def test_ordinary_text_is_untouched():
    text = "Crocus City Hall — 144 killed; «Кремль» 😀\tend\nnext"
    assert clean_text(text) == text


def test_forbidden_characters_go_in_every_plane():
    text = "a\x00b\x0bc\x7fd\x85e\ufdd0f\ufffeg" + "".join(chr(p * 0x10000 + 0xFFFF) for p in range(1, 17)) + "😀h"
    assert clean_text(text) == "abcdefg😀h"
    assert clean_text("plain\x01 ascii") == "plain ascii"


def _by_pattern_alone(text):
    """What ``clean_text`` made before its byte scan: the patterns on every text."""
    text = _FORBIDDEN.sub("", text)
    return _FORBIDDEN_ASTRAL.sub("", text)


# Characters on each side of every edge the byte scan and the patterns draw.
_EDGES = [chr(c) for c in (
    0x00, 0x08, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0x7FF, 0x800,
    0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xEFFF, 0xF000, 0xFDCF, 0xFDD0, 0xFDEF, 0xFDF0, 0xFFFD, 0xFFFE, 0xFFFF,
    0x10000, 0x1FFFD, 0x1FFFE, 0x1FFFF, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF)]


@pytest.mark.parametrize("character", _EDGES, ids=lambda c: f"U+{ord(c):04X}")
def test_each_edge_character_is_cleaned_as_the_patterns_clean_it(character):
    text = f"plain {character} text, and ‘quoted’"
    assert clean_text(text) == _by_pattern_alone(text)


@given(st.lists(st.one_of(st.sampled_from(_EDGES), st.characters(), st.text(max_size=20))).map("".join))
def test_cleaning_removes_what_the_patterns_remove_and_nothing_else(text):
    assert clean_text(text) == _by_pattern_alone(text)


def test_characters_sharing_lead_bytes_with_forbidden_ones_stay():
    text = "\u00a0non-breaking ©, \uff08full width\uff09, \ufffd, \U0001f600 and a tab\t"
    assert clean_text(text) == text
