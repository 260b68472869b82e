import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from generator.text import clean_text


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
