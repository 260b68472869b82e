"""The white-space-separated pieces of many texts, numbered without a string for each occurrence.

``str.split`` makes a string of every piece, and numbering each one is a lookup in a dictionary
of every piece met so far. At 10,000 articles that is 7 million strings and lookups, most of
them cache misses in a large dictionary: 4-5 CPU-seconds, the most of any one step of a clean
build's analysis. ``PieceNumbers`` splits the texts' UTF-8 bytes with array arithmetic and
reads a piece of up to ``_SHORT`` bytes (99% of the pieces of prose) as two 64-bit numbers that
hold all of it, mixed into one key: the pieces are told apart and looked up by sorting and
searching keys. Only a new piece is made a string, and a longer one is looked up as bytes.

Two pieces may mix into one key. That is checked against their numbers, and raises
``KeysCollide``: the caller numbers the same texts again with ``PlainPieceNumbers``, so a
collision costs time, never a wrong count. The mix starts from a seed drawn by each process,
so that no text can be written to collide on purpose, build after build.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence

import numpy as np

# str.split()'s white space (what str.isspace() holds true): the ASCII bytes, then a class of the rest.
ASCII_WHITE_SPACE = (*range(0x09, 0x0E), *range(0x1C, 0x21))
OTHER_WHITE_SPACE = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_OTHER_WHITE = re.compile(f"[{OTHER_WHITE_SPACE}]")
_SHORT = 15  # bytes of a piece read whole as two numbers: its first 8, then the next 7 above its length
_SEED = np.uint64(secrets.randbits(64))  # keys differ from process to process; numbers never do
_LOW_BYTES = np.array([(1 << 8 * count) - 1 for count in range(9)], dtype=np.uint64)  # masks of 0-8 low bytes

Met = Callable[[str], object]  # called with each new piece, in the order they are numbered


class KeysCollide(Exception):
    """Two different pieces mixed into one key."""


class PlainPieceNumbers:
    """Numbers pieces 0, 1, 2... in the order they first occur, over every call of ``of``, with
    ``str.split`` and a dictionary: what ``PieceNumbers`` does, the plain way."""

    def __init__(self, met: Met) -> None:
        self._met = met
        self._numbers: dict[str, int] = {}

    def of(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``[number(piece) for text in texts for piece in text.split()]`` as int64, and how many
        pieces each text has (int64)."""
        pieces = [text.split() for text in texts]
        flat = [piece for text in pieces for piece in text]
        return (np.fromiter(map(self._number, flat), dtype=np.int64, count=len(flat)),
                np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)))

    def _number(self, piece: str) -> int:
        number = self._numbers.get(piece)
        if number is None:
            number = self._numbers[piece] = len(self._numbers)
            self._met(piece)
        return number


class PieceNumbers:
    """``PlainPieceNumbers`` without a string per occurrence; ``of`` may raise ``KeysCollide``."""

    def __init__(self, met: Met) -> None:
        self._met = met
        # The short pieces numbered, sorted by key: their key, their two numbers, their number.
        self._keys = self._heads = self._tails = np.zeros(0, dtype=np.uint64)
        self._numbers = np.zeros(0, dtype=np.int64)
        self._long: dict[bytes, int] = {}  # each longer piece numbered -> its number

    def of(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``PlainPieceNumbers.of``."""
        joined, data, starts, ends, per_text = _split(texts)
        lengths = ends - starts
        short, long = np.flatnonzero(lengths <= _SHORT), np.flatnonzero(lengths > _SHORT)
        keys, heads, tails, first, which = _distinct_short(data, starts[short], lengths[short])
        del data
        number_of, new, at = self._short_numbers(keys, heads, tails)
        long_pieces = [joined[start:end] for start, end in zip(starts[long].tolist(), ends[long].tolist())]
        new_long: dict[bytes, int] = {}  # each new longer piece -> its first place
        for piece, place in zip(long_pieces, long.tolist()):
            if piece not in self._long:
                new_long.setdefault(piece, place)
        new_numbers = self._number_new(joined, starts, ends, np.concatenate(
            [short[first[new]], np.fromiter(new_long.values(), dtype=np.int64, count=len(new_long))]))
        number_of[new] = new_numbers[:len(new)]
        self._remember_short(at[new], keys[new], heads[new], tails[new], number_of[new])
        self._long.update(zip(new_long, new_numbers[len(new):].tolist()))
        numbers = np.empty(len(starts), dtype=np.int64)
        numbers[short] = number_of[which]
        numbers[long] = np.fromiter(map(self._long.__getitem__, long_pieces), dtype=np.int64, count=len(long_pieces))
        return numbers, per_text

    def _number_new(self, joined: bytes, starts: np.ndarray, ends: np.ndarray, firsts: np.ndarray) -> np.ndarray:
        """The numbers of new pieces, given by their first places, numbered in the order they
        occur (and met in that order)."""
        order = np.argsort(firsts)
        numbered = len(self._numbers) + len(self._long)  # each piece numbered is short or long
        numbers = np.empty(len(firsts), dtype=np.int64)
        numbers[order] = np.arange(numbered, numbered + len(firsts))
        for place in firsts[order].tolist():
            self._met(joined[starts[place]:ends[place]].decode("utf-8", "surrogatepass"))
        return numbers

    def _short_numbers(self, keys: np.ndarray, heads: np.ndarray, tails: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The number of each distinct short piece met before (-1 for the others), which are the
        others (indexes), and where each key is or would go among those met."""
        at = np.searchsorted(self._keys, keys)
        met = at < len(self._keys)
        met[met] = self._keys[at[met]] == keys[met]
        if not (np.array_equal(self._heads[at[met]], heads[met]) and np.array_equal(self._tails[at[met]], tails[met])):
            raise KeysCollide
        number_of = np.full(len(keys), -1, dtype=np.int64)
        number_of[met] = self._numbers[at[met]]
        return number_of, np.flatnonzero(~met), at

    def _remember_short(self, at: np.ndarray, keys: np.ndarray, heads: np.ndarray, tails: np.ndarray,
                        numbers: np.ndarray) -> None:
        """Adds new short pieces (sorted by key, ``at`` their places among those numbered) to
        those numbered, in key order."""
        self._keys = np.insert(self._keys, at, keys)
        self._heads = np.insert(self._heads, at, heads)
        self._tails = np.insert(self._tails, at, tails)
        self._numbers = np.insert(self._numbers, at, numbers)


def _split(texts: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The texts' UTF-8 bytes joined by line breaks (their other white space made spaces), those
    bytes as an array with 16 zeros after, where each piece starts and ends, and how many pieces
    each text has."""
    encoded = [(text if text.isascii() else _OTHER_WHITE.sub(" ", text)).encode("utf-8", "surrogatepass")
               for text in texts]
    joined = b"\n".join(encoded)  # a line break is white space: no piece spans two texts
    data = np.zeros(len(joined) + 16, dtype=np.uint8)  # zeros after the text, read with the last pieces
    data[:len(joined)] = np.frombuffer(joined, dtype=np.uint8)
    edges = np.diff(_inside(data[:len(joined)]).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    begins = np.cumsum([0, *(len(text) + 1 for text in encoded)])  # each text's first byte, then the end
    return joined, data, starts, ends, np.diff(np.searchsorted(starts, begins)).astype(np.int64)


def _distinct_short(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct pieces of ``data`` among those at ``starts`` (all of at most ``_SHORT``
    bytes), sorted by key: their keys, their two numbers and their first occurrence (an index
    into ``starts``); and which of them each occurrence is."""
    words = np.lib.stride_tricks.sliding_window_view(data, 8).view("<u8").reshape(-1)  # words[i]: bytes i..i+7
    head = words[starts] & _LOW_BYTES[np.minimum(lengths, 8)]
    tail = ((words[starts + 8] & _LOW_BYTES[np.maximum(lengths - 8, 0)]) << np.uint64(8)) | lengths.astype(np.uint64)
    keys, first, which = _distinct(_scrambled(head ^ _SEED) ^ tail)
    heads, tails = head[first], tail[first]
    if not (np.array_equal(heads[which], head) and np.array_equal(tails[which], tail)):
        raise KeysCollide
    return keys, heads, tails, first, which


def _inside(data: np.ndarray) -> np.ndarray:
    """Whether each byte is not ASCII white space (the only white space left after ``_split``'s
    replacing; four comparisons ran 4 times as fast as looking bytes up in a table)."""
    return (data > 0x20) | (data < 0x09) | ((data > 0x0D) & (data < 0x1C))


def _distinct(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(keys, return_index=True, return_inverse=True)``, sorting once with quicksort
    (numpy's unique sorts with mergesort to find the first occurrences: twice as long here)."""
    if not len(keys):
        return keys, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.argsort(keys)
    ordered = keys[order]
    begins_group = np.empty(len(keys), dtype=bool)
    begins_group[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=begins_group[1:])
    begins = np.flatnonzero(begins_group)
    which = np.empty(len(keys), dtype=np.int64)
    which[order] = np.cumsum(begins_group) - 1
    first = np.minimum.reduceat(order, begins)
    return ordered[begins], first, which


def _scrambled(numbers: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, a one-to-one mix of each number's bits. A piece's head
    (its seeded first 8 bytes) goes through it before its tail is xor-ed in: pieces alike but
    for a few bytes then differ in every bit of their keys, so keys rarely collide (and are
    checked all the same)."""
    with np.errstate(over="ignore"):
        numbers = numbers ^ (numbers >> np.uint64(33))
        numbers *= np.uint64(0xFF51AFD7ED558CCD)
        numbers ^= numbers >> np.uint64(33)
        numbers *= np.uint64(0xC4CEB9FE1A85EC53)
        numbers ^= numbers >> np.uint64(33)
    return numbers
