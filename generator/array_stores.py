"""The numpy arrays a rebuild reuses, kept in ``.digest-cache/`` beside the article cache
(``build_cache``); read without pickle, each store checked before it is believed.

- ``term-counts.npz`` and ``search-terms.npz``: each article's features, by a hash of the
  text they come from, so a rebuild finds them only for texts that changed: the term counts
  that relate articles, and the terms search finds them by (``CountedDocuments``), both
  found in one pass over each text and kept with the same keys. Beside each, ``*.added.npz``
  holds the rows added since (a rebuild writes only those), under the id of the stored rows
  they were added to; the stored rows are read only when a build needs them.
- ``neighbours.npz`` and ``related.npz``: a large site's weighed rows and similar texts, and
  its related links as chosen, under its text model.

A store of another version or environment (digest's code, the settings), or whose arrays fail
their zip checksums or do not fit together, is ignored: what it held is made again.
"""

from __future__ import annotations

import dataclasses
import functools
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from .atomic import remove_file, write_atomically_with
from .config import SiteConfig
from .count_stores import CountedDocuments, CountsLost
from .fingerprint import cache_dir
from .link_table import ChosenLinks
from .neighbours import KeptNeighbours, Neighbours
from .related import KeptLinks, TextScores
from .similarity import KeptFeatures
from .term_counts import DOCUMENT_KEY_BYTES, names_array, names_from

TERM_COUNTS = "term-counts.npz"  # of the texts related
SEARCH_TERMS = "search-terms.npz"  # of the texts searched
RELATED = "related.npz"  # the last build's related links as chosen, under its text model
NEIGHBOURS = "neighbours.npz"  # the last build's weighed rows and similar texts, under its text model
_COUNTS_VERSION = 3
# What reading a damaged .npz may raise: a member's entry may name a compression zipfile does
# not know (NotImplementedError, a RuntimeError), or data it cannot undo (zlib.error).
_UNREADABLE = (OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError, EOFError, zipfile.BadZipFile,
               RuntimeError, zlib.error)
_NEIGHBOURS_VERSION = 3
_RELATED_VERSION = 1
T = TypeVar("T")


def read_counted(config: SiteConfig, environment: str, name: str) -> CountedDocuments | None:
    """The term counts the last build kept under ``name`` (``TERM_COUNTS``, ``SEARCH_TERMS``), or
    None when there are none, they were made in another environment (digest's code, settings),
    or they do not check out. Their stored rows are read only when asked for (the file is held
    open till then, so a build replacing it meanwhile changes nothing read); the rows added to
    them are read here, and left out when they do not check out (their texts are counted again)."""
    path = cache_dir(config) / name
    try:
        stored = np.load(path, allow_pickle=False)  # members are read (and their CRC checked) when taken
    except _UNREADABLE:
        return None
    try:
        head = {member: stored[member] for member in ("version", "environment", "id", "keys", "names", "lengths",
                                                      "data_type")}
        store = _stored_store(head, stored, path) if _current(head, _COUNTS_VERSION, environment) else None
    except _UNREADABLE:
        store = None
    if store is None:
        stored.close()
        return None
    return _read_store(config, _added_name(name), environment, _COUNTS_VERSION,
                       functools.partial(_added_to, store)) or store


def _read_store(config: SiteConfig, name: str, environment: str, version: int,
                parse: Callable[[dict[str, np.ndarray]], T | None]) -> T | None:
    """What ``parse`` makes of the arrays a build kept under ``name``, or None when there are
    none, or they are of another ``version`` or environment, or do not check out."""
    try:
        with np.load(cache_dir(config) / name, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}  # each member's CRC is checked as read
        if not _current(arrays, version, environment):
            return None
        return parse(arrays)
    except _UNREADABLE:
        return None


def _added_name(name: str) -> str:
    """The file of the rows added to the store kept under ``name``."""
    return name.removesuffix(".npz") + ".added.npz"


def _current(arrays: dict[str, np.ndarray], version: int, environment: str) -> bool:
    return arrays["version"].tolist() == [version] and arrays["environment"].tobytes() == environment.encode("utf-8")


def _stored_store(head: dict[str, np.ndarray], stored: np.lib.npyio.NpzFile, path: Path) -> CountedDocuments | None:
    """The store of the stored rows whose keys, terms and lengths ``head`` holds, if they check
    out; its rows are read from ``stored`` (the file at ``path``) when first asked for."""
    keys, names, lengths, kind = _key_list(head["keys"]), names_from(head["names"]), head["lengths"], head["data_type"]
    if keys is None or not _lengths_of(lengths, len(keys)) or kind.dtype not in _COUNT_TYPES:
        return None
    return CountedDocuments(keys, names, lengths, sp.csr_matrix((0, len(names)), dtype=kind.dtype),
                            _StoredRows(stored, path, (len(keys), len(names)), kind.dtype),
                            len(names), head["id"].tobytes())


_COUNT_TYPES = (np.int8, np.int32)


def _key_list(keys: np.ndarray) -> tuple[bytes, ...] | None:
    """The keys of rows as stored, if they check out (16 bytes each, all different)."""
    if keys.dtype != np.uint8 or keys.ndim != 2 or keys.shape[1] != DOCUMENT_KEY_BYTES:
        return None
    key_list = tuple(bytes(row) for row in keys)
    return key_list if len(set(key_list)) == len(key_list) else None


def _lengths_of(lengths: np.ndarray, rows: int) -> bool:
    return lengths.dtype == np.float32 and lengths.shape == (rows,) and bool(np.all(lengths >= 0))


class _StoredRows:
    """The stored rows of a store, read from its file when first asked for (``CountedDocuments.stored``)."""

    def __init__(self, stored: np.lib.npyio.NpzFile, path: Path, shape: tuple[int, int], dtype: np.dtype) -> None:
        self._file, self._path, self._shape, self._dtype = stored, path, shape, dtype
        self._matrix: sp.csr_matrix | None = None

    def __call__(self) -> sp.csr_matrix:
        if self._matrix is None:
            try:
                with self._file:
                    matrix = _counts_matrix({member: self._file[member] for member in ("data", "indices", "indptr")},
                                            *self._shape, self._dtype)
            except _UNREADABLE as exc:
                raise CountsLost(f"{self._path}: {exc}") from None
            if matrix is None:
                raise CountsLost(f"{self._path}: the counts do not check out")
            self._matrix = matrix
        return self._matrix


def _counts_matrix(arrays: dict[str, np.ndarray], rows: int, width: int, dtype: np.dtype) -> sp.csr_matrix | None:
    """The ``rows x width`` counts stored as data, indices and indptr, if they check out (each
    entry positive, each row's columns ascending)."""
    counts = _csr(arrays, "", rows, width, (dtype,))
    if counts is None or (counts.nnz and counts.data.min() <= 0) or not counts.has_canonical_format:
        return None
    return counts


def _added_to(store: CountedDocuments, arrays: dict[str, np.ndarray]) -> CountedDocuments | None:
    """``store`` with the rows added to it as kept (``arrays``), if they check out and were added
    to these stored rows."""
    keys, extra, lengths = _key_list(arrays["keys"]), names_from(arrays["names"]), arrays["lengths"]
    if (arrays["id"].tobytes() != store.stored_id or keys is None or not _lengths_of(lengths, len(keys))
            or not set(keys).isdisjoint(store.keys)):  # not row_of: made here, it went with the store
        return None
    width = len(store.names) + len(extra)
    added = _counts_matrix(arrays, len(keys), width, store.added.dtype)
    if added is None:
        return None
    return dataclasses.replace(store, keys=store.keys + keys, names=store.names + extra,
                               lengths=np.concatenate((store.lengths, lengths)), added=added)


def write_counted(config: SiteConfig, environment: str, name: str, counted: CountedDocuments,
                  before: CountedDocuments | None = None) -> None:
    """Keep ``counted`` under ``name`` for the next build in this environment: its stored rows
    only when they are not those of ``before`` (the store as read), and the rows added to them."""
    rows, width, kept_id = counted.stored_rows, counted.stored_width, np.frombuffer(counted.stored_id, dtype=np.uint8)
    if before is None or before.stored_id != counted.stored_id:
        stored = counted.stored()
        _write_store(config, name, environment, _COUNTS_VERSION, dict(
            id=kept_id, keys=_key_array(counted.keys[:rows]), **_csr_arrays("", stored, stored.dtype),
            data_type=np.zeros(0, dtype=stored.dtype), names=names_array(counted.names[:width]),
            lengths=counted.lengths[:rows]))
    # Written second: rows added to other stored rows (a build that stopped between) are left out.
    _write_store(config, _added_name(name), environment, _COUNTS_VERSION, dict(
        id=kept_id, keys=_key_array(counted.keys[rows:]), **_csr_arrays("", counted.added, counted.added.dtype),
        names=names_array(counted.names[width:]), lengths=counted.lengths[rows:]))


def _key_array(keys: Sequence[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), DOCUMENT_KEY_BYTES)


def remove_counted(config: SiteConfig, name: str) -> None:
    """Remove the term counts kept under ``name``: the next build counts every text again."""
    for file in (name, _added_name(name)):
        remove_file(cache_dir(config) / file)


def _write_store(config: SiteConfig, name: str, environment: str, version: int,
                 arrays: dict[str, np.ndarray] | None) -> None:
    """Keep ``arrays`` under ``name`` for the next build in this environment, as ``_read_store``
    reads them (None: remove the last build's)."""
    if arrays is None:
        remove_file(cache_dir(config) / name)
        return
    stored = dict(version=np.array([version]), environment=np.frombuffer(environment.encode("utf-8"), dtype=np.uint8),
                  **arrays)
    # Streamed into the file: a large site's arrays are never copied whole in memory.
    write_atomically_with(cache_dir(config) / name, lambda out: np.savez(out, **stored), durable=False)


def read_kept_neighbours(config: SiteConfig, environment: str) -> KeptNeighbours | None:
    """The neighbours the last build kept (``write_kept_neighbours``), or None when there are
    none, they were found in another environment, or they do not check out."""
    return _read_store(config, NEIGHBOURS, environment, _NEIGHBOURS_VERSION, _kept_neighbours)


def _kept_neighbours(arrays: dict[str, np.ndarray]) -> KeptNeighbours | None:
    keys, width, topics = arrays["keys"], int(arrays["width"]), arrays["topics"]
    starts, others, scores, cosines = arrays["starts"], arrays["rows"], arrays["scores"], arrays["word_cosines"]
    last = arrays["last_candidates"]
    rows = len(keys)
    index = _csr(arrays, "index_", rows, width, (np.float32,))
    vectors = _csr(arrays, "vector_", rows, width, (np.float32,))
    if (keys.dtype != np.uint64 or keys.ndim != 1 or index is None or vectors is None
            or topics.dtype != np.float32 or topics.ndim != 2 or len(topics) != rows
            or starts.dtype != np.int64 or len(starts) != rows + 1 or starts[0] != 0 or starts[-1] != len(others)
            or np.any(np.diff(starts) < 0) or others.dtype != np.int64 or scores.dtype != np.float64
            or cosines.dtype != np.float64 or not len(others) == len(scores) == len(cosines)
            or (len(others) and (others.min() < 0 or others.max() >= rows))
            or last.dtype != np.int64 or last.shape != (rows, 2)
            or (rows and (last[:, 0].min() < 0 or last[:, 1].min() < -1 or last[:, 1].max() >= rows))):
        return None
    return KeptNeighbours(KeptFeatures(arrays["model"].tobytes().decode("utf-8"), keys, vectors, index, topics),
                          int(arrays["k"]), Neighbours(starts, others, scores, cosines, last))


def _csr(arrays: dict[str, np.ndarray], prefix: str, rows: int, width: int,
         dtypes: tuple[type, ...]) -> sp.csr_matrix | None:
    """The ``rows x width`` matrix stored as ``prefix`` + data, indices and indptr (data of one
    of ``dtypes``), if it checks out."""
    data, indices, indptr = arrays[prefix + "data"], arrays[prefix + "indices"], arrays[prefix + "indptr"]
    if (data.dtype not in dtypes or indices.dtype != np.int32 or indptr.dtype != np.int64 or len(data) != len(indices)
            or len(indptr) != rows + 1 or indptr[0] != 0 or indptr[-1] != len(indices) or np.any(np.diff(indptr) < 0)
            or (len(indices) and (indices.min() < 0 or indices.max() >= width))):
        return None
    return sp.csr_matrix((data, indices, indptr), shape=(rows, width))


def write_kept_neighbours(config: SiteConfig, environment: str, kept: KeptNeighbours | None) -> None:
    """Keep ``kept`` for the next build in this environment (none: remove the last build's)."""
    rows = kept.features if kept is not None else None
    _write_store(config, NEIGHBOURS, environment, _NEIGHBOURS_VERSION, None if kept is None else dict(
        model=np.frombuffer(rows.model.encode("utf-8"), dtype=np.uint8), k=np.array(kept.k),
        keys=rows.keys.astype(np.uint64), width=np.array(rows.index.shape[1]),
        **_csr_arrays("index_", rows.index), **_csr_arrays("vector_", rows.vectors),
        topics=rows.topics.astype(np.float32, copy=False),
        starts=kept.neighbours.starts.astype(np.int64), rows=kept.neighbours.rows.astype(np.int64),
        scores=kept.neighbours.scores.astype(np.float64),
        word_cosines=kept.neighbours.word_cosines.astype(np.float64),
        last_candidates=kept.neighbours.last_candidates.astype(np.int64)))


def _csr_arrays(prefix: str, matrix: sp.csr_matrix, dtype: np.dtype = np.float32) -> dict[str, np.ndarray]:
    return {prefix + "data": matrix.data.astype(dtype, copy=False),
            prefix + "indices": matrix.indices.astype(np.int32, copy=False),
            prefix + "indptr": matrix.indptr.astype(np.int64, copy=False)}


def read_kept_links(config: SiteConfig, environment: str) -> KeptLinks | None:
    """The related links the last build kept (``write_kept_links``), or None when there are
    none, they were chosen in another environment, or they do not check out."""
    return _read_store(config, RELATED, environment, _RELATED_VERSION, _kept_links)


def _kept_links(arrays: dict[str, np.ndarray]) -> KeptLinks | None:
    total = int(arrays["total"])
    keys, scores, starts = arrays["text_keys"], arrays["text_scores"], arrays["text_starts"]
    chosen = ChosenLinks(*(arrays[name] for name in _CHOSEN))
    links = len(chosen.rows)
    if (arrays["evidence"].dtype != np.uint8 or total < 0 or keys.dtype != np.int64 or scores.dtype != np.float64
            or starts.dtype != np.int64 or len(keys) != len(scores) or len(starts) != total + 1
            or starts[0] != 0 or starts[-1] != len(keys) or np.any(np.diff(starts) < 0)
            or any(getattr(chosen, name).dtype != np.int64 for name in ("rows", "others", "shared_counts", "shared_at"))
            or chosen.scores.dtype != np.float64 or chosen.similar.dtype != np.float64
            or not links == len(chosen.others) == len(chosen.scores) == len(chosen.similar) == len(chosen.shared_counts)
            or (links and (min(chosen.rows.min(), chosen.others.min(), chosen.shared_counts.min()) < 0
                           or max(chosen.rows.max(), chosen.others.max()) >= total or np.any(np.diff(chosen.rows) < 0)))
            or int(chosen.shared_counts.sum()) != len(chosen.shared_at)
            or (len(chosen.shared_at) and chosen.shared_at.min() < 0)):
        return None
    return KeptLinks(arrays["evidence"].tobytes(), TextScores(keys, scores, starts, total), chosen)


_CHOSEN = ("rows", "others", "scores", "similar", "shared_counts", "shared_at")  # ChosenLinks' arrays, in order


def write_kept_links(config: SiteConfig, environment: str, kept: KeptLinks | None) -> None:
    """Keep ``kept`` for the next build in this environment (none: remove the last build's)."""
    _write_store(config, RELATED, environment, _RELATED_VERSION, None if kept is None else dict(
        evidence=np.frombuffer(kept.evidence, dtype=np.uint8), total=np.array(kept.text.total),
        text_keys=kept.text.keys.astype(np.int64), text_scores=kept.text.scores.astype(np.float64),
        text_starts=kept.text.starts.astype(np.int64),
        **{name: getattr(kept.chosen, name).astype(np.float64 if name in ("scores", "similar") else np.int64)
           for name in _CHOSEN}))
