"""Related links as the pages read them: the links ``related.chosen_links`` chose, kept as
arrays (``ChosenLinks``), and each article's made from them only when read (``LinkTable``),
with a digest of each article's that a page key takes instead (``row_digests``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .model import Article, RelatedLink, Tag

SHOWN_DECIMALS = 3  # of a link's score and text similarity


@dataclass(frozen=True, eq=False)
class ChosenLinks:
    """The links chosen, one array entry per link (rows ascending, each row's best first)."""

    rows: np.ndarray
    others: np.ndarray
    scores: np.ndarray
    similar: np.ndarray  # each link's text score
    shared_counts: np.ndarray  # how many tags each link shares
    shared_at: np.ndarray  # those tags, as places in the articles' tags rarest first, link after link


class LinkTable(Mapping[str, "LinkRow"]):
    """Each article's related links (article id -> its ``LinkRow``, best first), made from the
    chosen arrays when read: a page shows one article's, and a rebuild renders few pages (making
    every link of 10,000 articles took 0.12 s of each build, in the process that plans pages).
    A page key takes a row by its digest (``row_digests``)."""

    def __init__(self, chosen: ChosenLinks, articles: tuple[Article, ...], days: list[int | None],
                 rarest_first: list[Tag]) -> None:
        self.chosen, self.articles, self._rarest_first = chosen, articles, rarest_first
        self._row_of = {article.id: row for row, article in enumerate(articles)}
        self._link_starts = np.searchsorted(chosen.rows, np.arange(len(articles) + 1))
        self._tag_starts = np.concatenate(([0], np.cumsum(chosen.shared_counts))).astype(np.int64)
        # As a page shows them: scores to SHOWN_DECIMALS (an edit that shifts every score by a
        # hair, through corpus-wide word weights, then changes few pages' keys; rounded here, so a
        # row's digest is of the very values its links hold), calendar days apart (-1: undated).
        self._scores = np.round(chosen.scores, SHOWN_DECIMALS)
        self._similar = np.round(chosen.similar, SHOWN_DECIMALS)
        day = np.array([-1 if d is None else d for d in days], dtype=np.int64)
        row_day, other_day = day[chosen.rows], day[chosen.others]
        self._days_apart = np.where((row_day < 0) | (other_day < 0), -1, np.abs(row_day - other_day))
        self.rows = tuple(LinkRow(self, row) for row in range(len(articles)))

    def __getitem__(self, article_id: str) -> LinkRow:
        return self.rows[self._row_of[article_id]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._row_of)

    def __len__(self) -> int:
        return len(self.articles)

    def count(self, row: int) -> int:
        return int(self._link_starts[row + 1] - self._link_starts[row])

    def links_of(self, row: int) -> tuple[RelatedLink, ...]:
        begin, end = int(self._link_starts[row]), int(self._link_starts[row + 1])
        tag_starts = self._tag_starts[begin:end + 1].tolist()
        shared_at = self.chosen.shared_at[tag_starts[0]:tag_starts[-1]].tolist()
        first, rarest_first, articles = tag_starts[0], self._rarest_first, self.articles
        return tuple(
            RelatedLink(articles[other], tuple(rarest_first[at] for at in shared_at[start - first:stop - first]),
                        score, similar, None if apart < 0 else apart)
            for other, score, similar, apart, start, stop in zip(
                self.chosen.others[begin:end].tolist(), self._scores[begin:end].tolist(),
                self._similar[begin:end].tolist(), self._days_apart[begin:end].tolist(), tag_starts, tag_starts[1:]))

    def row_digests(self, target_digests: np.ndarray) -> list[bytes]:
        """A digest of each row's links, in row order: equal digests, equal links, where
        ``target_digests`` (one row of bytes per article, in this table's order) tell articles apart
        as page keys do. Made from the arrays, no link made."""
        chosen = self.chosen
        # Each tag shared by a digest of its slug and name (all a tag is: ``model.Tag``), made once
        # for each place in rarest_first that links share.
        places, shared_place = np.unique(chosen.shared_at, return_inverse=True)
        names = [(tag.slug, tag.name) for tag in map(self._rarest_first.__getitem__, places.tolist())]
        digest_of = {name: hashlib.blake2b(repr(name).encode("utf-8", "surrogatepass"), digest_size=16).digest()
                     for name in set(names)}
        place_digests = np.frombuffer(b"".join(map(digest_of.__getitem__, names)), dtype=np.uint8).reshape(-1, 16)
        shared = place_digests[shared_place.reshape(-1)]
        records = np.empty(len(chosen.others), dtype=[("target", np.uint8, target_digests.shape[1]),
                                                      ("numbers", "<f8", 2), ("apart", "<i8"), ("tags", "<i8")])
        records["target"] = target_digests[chosen.others]
        records["numbers"][:, 0], records["numbers"][:, 1] = self._scores, self._similar
        records["apart"], records["tags"] = self._days_apart, chosen.shared_counts
        links, tags = records.tobytes(), shared.tobytes()
        size = records.dtype.itemsize
        link_starts, tag_starts = self._link_starts.tolist(), self._tag_starts.tolist()
        return [hashlib.blake2b(links[size * begin:size * end] + tags[16 * tag_starts[begin]:16 * tag_starts[end]],
                                digest_size=20).digest()
                for begin, end in zip(link_starts, link_starts[1:])]


class LinkRow(Sequence[RelatedLink]):
    """One article's links in a ``LinkTable``, made each time they are read; equal to the
    tuple of them."""

    __slots__ = ("table", "row")

    def __init__(self, table: LinkTable, row: int) -> None:
        self.table, self.row = table, row

    def __len__(self) -> int:
        return self.table.count(self.row)

    def __getitem__(self, index):  # type: ignore[override]
        return self.table.links_of(self.row)[index]

    def __iter__(self) -> Iterator[RelatedLink]:
        return iter(self.table.links_of(self.row))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (tuple, LinkRow)):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple:
        return tuple, (tuple(self),)  # pickled (for a cluster) as the links themselves
