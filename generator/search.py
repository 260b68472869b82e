"""A client-side search index over titles, tags and text, as static JSON files.

The index is split so a browser downloads only what a query needs, which keeps search
fast at 10,000 articles and more:

- ``search/meta.json``: article count, the chunk size, the term shards that exist and a
  version that changes with the content (the client adds it to every request, so a new
  build is never mixed with a cached old one);
- ``search/t-<hex>.json``: the terms starting with one two-character prefix, each with
  the articles containing it (``b``: anywhere, ``h``: in the title or a tag), as
  ascending article numbers stored as differences;
- ``search/d-<n>.json``: the title, URL, date, tags and summary of articles
  ``n * chunk`` to ``n * chunk + chunk - 1``, for showing results.

Article numbers follow the site's order (newest first), so lower numbers are newer.
The theme's ``search.js`` reads these files; ``search/index.html`` works without it
only as far as saying that search needs JavaScript.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
import unicodedata
from array import array
from dataclasses import dataclass
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

import numpy as np
from scipy import sparse

from .config import SiteConfig
from .model import Article, OutputFile, PendingFile, Site
from .dates import human_date
from .text import combining_marks
from .count_stores import count_kinds
from .term_counts import Document, PresenceSplit, TermCounts, count_with_presence, document_keys

CHUNK = 200  # articles per results file
PARALLEL_MIN = 2000  # fewer articles than this per process cost more to hand over than to index
SUMMARY_CHARS = 240
# Words too common to narrow a search; dropping them keeps the index small. meta.json carries
# the list, so search.js drops the same words from a query.
STOPWORDS = tuple(sorted(
    "a an and are as at be but by for from had has have he her his in into is it its of on or our she "
    "that the their them they this to was we were which who will with would you your".split()))


@functools.cache
def _word() -> re.Pattern[str]:
    """A word: letters, digits, underscore and combining marks of any plane, as search.js's
    ``[\\p{L}\\p{N}\\p{M}_]+``; Python's ``\\w`` leaves marks out, which would split Devanagari or
    decomposed accents mid-word."""
    return re.compile(rf"[\w{combining_marks()}]+")


# Chinese and Japanese are written without spaces: their runs are indexed as overlapping
# character pairs, so a word inside a sentence is found.
_CJK_RUN = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def terms(text: str) -> set[str]:
    """The searchable words of a text, split as search.js splits a query.

    NFKC and lower-cased (JavaScript's toLowerCase; Python's lower() is the same mapping),
    at least two characters, stopwords dropped; Chinese and Japanese runs as character pairs.
    Words never span white space, so the text is split on it and each distinct piece is
    looked up: the word pattern runs once per piece ever met, not over every text.
    """
    _TERM_OF_PIECE.bound()
    pieces = set(unicodedata.normalize("NFKC", text).lower().split())
    found = set(map(_TERM_OF_PIECE.__getitem__, pieces))  # pieces of one term: nearly all
    found.discard("")
    for piece in pieces & _TERMS_OF_PIECE.keys():  # pieces of no term or several ("x/y")
        found.update(_TERMS_OF_PIECE[piece])
    return found


class _TermOfPiece(dict):
    """piece of text -> its one search term, or "" when it has none or several (those are in
    ``_TERMS_OF_PIECE``); filled as pieces are met, up to about ``LIMIT`` pieces kept."""

    LIMIT = 1_000_000

    def bound(self) -> None:
        """Start again rather than grow past ``LIMIT`` (a huge vocabulary). Called before a text's
        pieces are looked up, never among them: a piece's terms must outlive its text's lookups."""
        if len(self) >= self.LIMIT:
            self.clear()
            _TERMS_OF_PIECE.clear()

    def __missing__(self, piece: str) -> str:
        found: list[str] = []
        for word in _word().findall(piece):
            for number, part in enumerate(_CJK_RUN.split(word)):
                if number % 2:  # a CJK run
                    found.extend(part[i:i + 2] for i in range(max(1, len(part) - 1)))
                elif len(part) >= 2 and part not in STOPWORDS:
                    found.append(part)
        if len(found) != 1:
            _TERMS_OF_PIECE[piece] = tuple(found)
        self[piece] = found[0] if len(found) == 1 else ""
        return self[piece]


_TERM_OF_PIECE = _TermOfPiece()
_TERMS_OF_PIECE: dict[str, tuple[str, ...]] = {}


def shard_key(term: str) -> str:
    """The term file a term lives in: its first two characters (one for a CJK pair)."""
    first = term[:1]
    cjk = _IS_CJK.get(first)
    if cjk is None:  # a character met for the first time: one regex match per character, not per term
        cjk = _IS_CJK[first] = bool(_CJK_RUN.match(first))
    return first if cjk else term[:2]


_IS_CJK: dict[str, bool] = {}


def shard_file(key: str) -> str:
    """A shard's file name: the prefix's UTF-8 bytes in hex, safe for any script."""
    return f"t-{key.encode('utf-8').hex()}.json"


def _dump(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _piece_terms(piece: str) -> tuple[str, ...]:
    """The search terms of one piece of a text already NFKC-normalized and lower-cased."""
    _TERM_OF_PIECE.bound()
    one = _TERM_OF_PIECE[piece]
    return (one,) if one else _TERMS_OF_PIECE.get(piece, ())


def _as_is(text: str) -> bool:
    return unicodedata.is_normalized("NFKC", text)


# Search's split of a text, noted as the related-text counting reads each body (``count_texts``):
# a body already in NFKC, which is nearly every one, is then split for both at once.
SEARCH_SPLIT = PresenceSplit(_piece_terms, _as_is, terms)


def text_documents(articles: Sequence[Article], search: bool = True) -> list[Document]:
    """What the text analysis counts of each article, its title and body, and when the site has
    search, the summary too, which search also finds it by (``count_texts``)."""
    if not search:
        return [(a.title, a.body) for a in articles]
    return [(a.title, a.body, a.summary or "") for a in articles]


def count_texts(documents: Sequence[Document]) -> tuple[TermCounts, TermCounts]:
    """``text_documents`` counted for related links and noted for search in one pass: the term
    counts of their titles and bodies, and the search terms of their bodies and summaries."""
    return count_with_presence(documents, SEARCH_SPLIT)


HEAD, BODY = 2, 1  # flags of a term in an article: in its title or a tag (HEAD | BODY), or elsewhere only


def flagged_terms(articles: Sequence[Article], text: TermCounts) -> TermCounts:
    """One row per article: its search terms, flagged ``HEAD | BODY`` when in its title or a tag,
    else ``BODY``, from ``text``, the terms of its body and summary (one row each, in order)."""
    if text.counts.shape[0] != len(articles):
        raise ValueError(f"search terms of {text.counts.shape[0]} articles for {len(articles)}")
    ids = {name: n for n, name in enumerate(text.names)}
    rows, columns = array("q"), array("q")
    for row, article in enumerate(articles):
        head = terms(" ".join([article.title, *(t.name for t in article.tags)]))
        columns.extend(ids.setdefault(term, len(ids)) for term in head)
        rows.extend([row] * len(head))
    heads = sparse.csr_matrix((np.full(len(columns), HEAD | BODY, dtype=np.int8),
                               (np.frombuffer(rows, dtype=np.int64), np.frombuffer(columns, dtype=np.int64))),
                              shape=(len(articles), len(ids)))
    body = text.counts
    body = sparse.csr_matrix((body.data.astype(np.int8, copy=False), body.indices, body.indptr), shape=heads.shape)
    flags = heads.maximum(body)  # a term of the head is HEAD | BODY wherever else it is too
    flags.sort_indices()
    return TermCounts.of(flags, list(ids))


def search_files(site: Site, config: SiteConfig, jobs: int = 1, flagged: TermCounts | None = None,
                 environment: str = "") -> Iterator[OutputFile | PendingFile]:
    """The index files, from each article's terms (``flagged_terms``, one row per article in the
    site's order), found over ``jobs`` processes unless ``flagged`` gives them. The term files
    are made by the writer's processes, each keyed by its postings and the ``environment``
    fingerprint (the code that writes them), so a rebuild writes only those that changed."""
    if not config.search:
        return
    if flagged is None:
        documents = text_documents(site.articles)
        keys = document_keys(documents)
        text = count_kinds(documents, jobs, (None, None), keys, count_texts, PARALLEL_MIN)[1]
        flagged = flagged_terms(site.articles, text.select(keys))
    elif flagged.counts.shape[0] != len(site.articles):
        raise ValueError(f"search terms of {flagged.counts.shape[0]} articles for {len(site.articles)}")
    matrix, names, frequency = flagged.counts, flagged.names, flagged.document_frequency
    del flagged  # _postings frees the matrix as it goes
    postings = _postings(matrix, names, frequency)
    term_files = list(postings.shards())
    shards = [PendingFile(PurePosixPath("search", shard_file(name)), "search index",
                          functools.partial(_shard_file, postings, name, columns),
                          functools.partial(str, f"{environment}:{key}"), page=False)  # known already
              for name, columns, key in term_files]
    files = []
    for start in range(0, len(site.articles), CHUNK):
        docs = [_doc(a, config.zone) for a in site.articles[start:start + CHUNK]]
        files.append(OutputFile(PurePosixPath("search", f"d-{start // CHUNK}.json"), _dump(docs), "search index"))
    # Each term file's key stands for its bytes: the version changes with any file's content.
    version = hashlib.sha256("".join(key for _, _, key in term_files).encode("ascii")
                             + b"".join(f.content for f in files)).hexdigest()[:12]
    meta = {"version": version, "articles": len(site.articles), "chunk": CHUNK,
            "shards": [name for name, _, _ in term_files], "stopwords": list(STOPWORDS)}
    yield OutputFile(PurePosixPath("search", "meta.json"), _dump(meta), "search index")
    yield from shards
    yield from files


@dataclass(frozen=True, eq=False)
class _Postings:
    """The articles having each term anywhere (``body``) and in the title or a tag (``heading``),
    ascending, as the first article number and the differences after it: term ``t``'s list is
    ``deltas[bounds[t]:bounds[t + 1]]``. Terms are in order of their term file, then of text,
    so each file's terms are one run of columns."""

    names: list[str]
    body: tuple[np.ndarray, np.ndarray]  # (deltas, bounds)
    heading: tuple[np.ndarray, np.ndarray]

    def shards(self) -> Iterator[tuple[str, range, str]]:
        """Each term file's prefix, its terms' columns, and a key of its contents."""
        start = 0
        for name, run in itertools.groupby(self.names, shard_key):
            stop = start + sum(1 for _ in run)
            yield name, range(start, stop), self._key(start, stop)
            start = stop

    def _key(self, start: int, stop: int) -> str:
        digest = hashlib.blake2b(digest_size=20)
        digest.update("\0".join(self.names[start:stop]).encode("utf-8", "surrogatepass"))
        for deltas, bounds in (self.body, self.heading):
            digest.update(b"\1" + (bounds[start:stop + 1] - bounds[start]).tobytes())
            digest.update(b"\2" + deltas[bounds[start]:bounds[stop]].tobytes())
        return digest.hexdigest()


def _postings(matrix: sparse.csr_matrix, names: list[str], frequency: np.ndarray) -> _Postings:
    """The article x term matrix turned from rows to columns, which groups the article numbers
    by term, ascending, in linear time; the differences in one pass. Arrays hold one entry per
    (article, term) and are made once each, in 32 bits or fewer; ``matrix`` is let go of as
    soon as it is read (pass the last reference to it). ``frequency``: the articles having each
    term (``TermCounts.document_frequency``)."""
    used = np.flatnonzero(frequency)
    used = used.tolist()
    sort_keys = [(shard_key(names[c]), names[c]) for c in used]
    order = [used[n] for n in sorted(range(len(used)), key=sort_keys.__getitem__)]
    column_of = np.zeros(len(names), dtype=np.int32)
    column_of[np.array(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
    # Columns renumbered into term-file order before turning: one transposed copy, not two.
    renumbered = sparse.csr_matrix((matrix.data, column_of[matrix.indices], matrix.indptr),
                                   shape=(matrix.shape[0], len(order)))
    del matrix
    by_term = renumbered.tocsc()  # rows ascending within each column
    del renumbered
    grouped, bounds, flags = by_term.indices, by_term.indptr.astype(np.int64), by_term.data
    del by_term
    in_heading = np.flatnonzero(flags == HEAD | BODY)
    del flags
    found = [_differences(grouped[in_heading], np.searchsorted(in_heading, bounds))]
    del in_heading
    found.insert(0, _differences(grouped, bounds))  # in place: the body's lists are the largest
    return _Postings([names[c] for c in order], found[0], found[1])


_DIFFERENCE_CHUNK = 1 << 20  # entries differenced at once, which bounds the temporary copy


def _differences(numbers: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each list of ``numbers`` (list ``t`` is ``numbers[bounds[t]:bounds[t + 1]]``) as its first
    number and the differences after it, made in place in ``numbers``, last chunk first."""
    bounds = bounds.astype(np.int64)
    starts = bounds[:-1][bounds[:-1] < bounds[1:]]
    firsts = numbers[starts].copy()
    for stop in range(len(numbers), 1, -_DIFFERENCE_CHUNK):
        start = max(stop - _DIFFERENCE_CHUNK, 1)
        numbers[start:stop] -= numbers[start - 1:stop - 1]  # the entries before are not yet changed
    numbers[starts] = firsts  # each term's list starts from its first number
    return numbers, bounds


def _shard_file(postings: _Postings, name: str, columns: range) -> OutputFile:
    """One term file: ``{term: {"b": [...], "h": [...]}}``, "h" only for terms in a title or tag."""
    (body, body_bounds), (heading, heading_bounds) = postings.body, postings.heading
    entries = {}
    for column in columns:
        entry = {"b": body[body_bounds[column]:body_bounds[column + 1]].tolist()}
        if heading_bounds[column] < heading_bounds[column + 1]:
            entry["h"] = heading[heading_bounds[column]:heading_bounds[column + 1]].tolist()
        entries[postings.names[column]] = entry
    return OutputFile(PurePosixPath("search", shard_file(name)), _dump(entries), "search index")


def _doc(article: Article, zone: ZoneInfo) -> list[str]:
    summary = article.summary or ""
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
    return [article.url_path, article.title, human_date(article.date, zone), ", ".join(t.name for t in article.tags),
            summary]
