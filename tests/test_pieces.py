"""Numbering the white-space-separated pieces of texts with array arithmetic, as str.split would."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pieces
from generator.pieces import ASCII_WHITE_SPACE, OTHER_WHITE_SPACE, KeysCollide, PieceNumbers, PlainPieceNumbers


def numbered(numbering, calls):
    """What ``numbering`` gives for each call's texts, and the new pieces it met, in order."""
    met = []
    numbers = numbering(met.append)
    given = [tuple(array.tolist() for array in numbers.of(texts)) for texts in calls]
    return given, met


def test_white_space_is_what_str_split_splits_on():
    other = {code for code in range(0x80, 0x110000) if re.fullmatch(f"[{OTHER_WHITE_SPACE}]", chr(code))}
    assert set(ASCII_WHITE_SPACE) | other == {code for code in range(0x110000) if chr(code).isspace()}


def test_a_byte_past_the_fifteenth_tells_long_pieces_apart():
    # Sixteen bytes no longer fit a piece's two numbers: a longer piece is looked up whole.
    assert numbered(PieceNumbers, [["x" * 15 + "a " + "x" * 16 + " " + "x" * 15 + "a"]]) == (
        [([0, 1, 0], [3])], ["x" * 15 + "a", "x" * 16])


def test_pieces_are_numbered_in_order_of_first_occurrence_across_calls():
    calls = [["the harbour\tthe quay", "", "quay\u3000harbour"], ["  ferry the", "harbour-master's  ferry"]]
    assert numbered(PieceNumbers, calls) == (
        [([0, 1, 0, 2, 2, 1], [4, 0, 2]), ([3, 0, 4, 3], [2, 2])],
        ["the", "harbour", "quay", "ferry", "harbour-master's"])


# Pieces of 7, 8, 9, 15 and 16 bytes (where a piece's two numbers begin and end), a NUL, non-ASCII
# letters and white space, a lone surrogate and an emoji: what the byte arithmetic might get wrong.
_PARTS = ["a", "b", "abcdefg", "abcdefgh", "abcdefghi", "x" * 15, "x" * 16, "y" * 40, "\x00", "é", "İ", "Σ",
          "\ud800", "\U0001f600", " ", "\n", "\t", "\x1c", "\xa0", "\u2003", "\u3000", "\x85"]
texts = st.lists(st.lists(st.sampled_from(_PARTS), max_size=12).map("".join), max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_numbers_and_new_pieces_are_those_of_str_split_and_a_dictionary(calls):
    assert numbered(PieceNumbers, calls) == numbered(PlainPieceNumbers, calls)


def test_the_plain_way_numbers_as_split_does():
    given, met = numbered(PlainPieceNumbers, [["b a b", "a\xa0c"]])
    assert given == [([0, 1, 0, 1, 2], [3, 2])] and met == ["b", "a", "c"]


@pytest.mark.parametrize("calls", [[["ab cd"]], [["ab"], ["cd"]]], ids=["in one call", "across calls"])
def test_pieces_mixed_into_one_key_are_refused_not_joined(monkeypatch, calls):
    # Every piece of a length then has one key: "ab" and "cd" collide.
    monkeypatch.setattr(pieces, "_scrambled", lambda numbers: np.zeros_like(numbers))
    with pytest.raises(KeysCollide):
        numbered(PieceNumbers, calls)


def test_keys_alike_for_the_same_piece_are_no_collision(monkeypatch):
    monkeypatch.setattr(pieces, "_scrambled", lambda numbers: np.zeros_like(numbers))
    assert numbered(PieceNumbers, [["ab ab"], ["ab abc"]]) == ([([0, 0], [2]), ([0, 1], [2])], ["ab", "abc"])
