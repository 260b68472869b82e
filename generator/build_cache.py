"""The persistent build cache in ``.digest-cache/``, beside ``site.yaml``.

- ``articles/<xx>.pickle``: loaded articles (parsed and validated front matter, cleaned text,
  tags), keyed by a hash of the environment fingerprint, the file's path and its bytes; in 256
  shards by the key's first byte, so one edit rewrites one shard. Their HTML is not kept: cmark
  makes it in 0.03 ms, less than reading it back would cost, as each page renders.
- ``article-files.json``: the key each article file had, by path, with the file's identity
  (size, inode, times) as listed then: a rebuild takes the key of a file still of that identity
  without reading it (reading and hashing 10,000 files cost 0.25 s of a one-edit rebuild, 0.9 s
  when the files were not in memory). Only identities that had settled (``FileIdentity.settled``)
  are kept: a write in the same tick of the file system's clock would not show.
- ``term-counts.npz`` and ``search-terms.npz``: each article's features, by a hash of the
  text they come from, so a rebuild finds them only for texts that changed: the term counts
  that relate articles, and the terms search finds them by (``CountedDocuments``), both
  found in one pass over each text and kept with the same keys; numpy arrays, read without
  pickle. Beside each, ``*.added.npz`` holds the rows added since (a rebuild writes only
  those), under the id of the stored rows they were added to; the stored rows are read only
  when a build needs them.
- In ``output-<hash of the output folder's path>/``, one folder per output built into
  (``fingerprint.output_cache_dir``; the last ``KEPT_OUTPUTS`` are kept):
  - ``files.json``: what the last build wrote to each output file (``FileRecord``), so the next
    one renders only pages whose inputs changed and writes only files whose bytes changed.
  - ``previous-site/`` and ``previous-site.json``: the site the last build replaced and its
    records; the next build updates it in place and swaps it in (see ``write.publish``). With
    them, ``previous-site-build.json`` (``fingerprint.SPARE_RECORD``): the record of the build
    that published it, which lists its files and folders while it still holds just those.

A cache is never trusted blindly. A shard carries a checksum of its contents and is ignored
when it does not match or does not hold articles (its articles load again); keys change with
any change to the file, the settings, the theme or digest itself, so a stale entry is never
found. ``files.json`` is ignored when malformed, and each record is believed only while the
published file has the size and modification time it was written with. Shards are pickles:
only digest writes them, in the project folder, where whoever could forge one could as well
edit the settings or the theme; the checksum guards against crashes and full disks, not
against an attacker, and scraped text only ever reaches a shard as string values.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import pickle
import shutil
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from .config import SiteConfig
from .content_files import FileIdentity
from .fingerprint import OUTPUT_CACHE_PREFIX, RECORD, SPARE_RECORD, cache_dir, output_cache_dir
from .model import Article, FileRecord, Tag
from .neighbours import KeptNeighbours, Neighbours
from .link_table import ChosenLinks
from .related import KeptLinks, TextScores
from .similarity import KeptFeatures
from .count_stores import CountedDocuments, CountsLost
from .term_counts import names_array, names_from
from .atomic import move_file, remove_file, write_atomically_with, write_bytes_atomically

ARTICLES = "articles"
ARTICLE_FILES = "article-files.json"  # each article file's key, by path and identity
TERM_COUNTS = "term-counts.npz"  # of the texts related
SEARCH_TERMS = "search-terms.npz"  # of the texts searched
RELATED = "related.npz"  # the last build's related links as chosen, under its text model
NEIGHBOURS = "neighbours.npz"  # the last build's weighed rows and similar texts, under its text model
FILES = "files.json"  # the published site's files
SPARE = "previous-site"  # the site the last build replaced, kept to be updated into the next
SPARE_FILES = "previous-site.json"  # its files
COMPILED_TEMPLATES = "templates"  # the theme's templates as compiled (``template_cache``)
_MAGIC = b"digest-articles 1\n"  # and the version: a new layout is a new magic
_FILES_VERSION = 1
_ARTICLE_FILES_VERSION = 1
KEPT_OUTPUTS = 3  # output folders whose records and spare site are kept (see ``prune_output_caches``)
_COUNTS_VERSION = 3
# What reading a damaged .npz may raise: a member's entry may name a compression zipfile does
# not know (NotImplementedError, a RuntimeError), or data it cannot undo (zlib.error).
_UNREADABLE = (OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError, EOFError, zipfile.BadZipFile,
               RuntimeError, zlib.error)
_NEIGHBOURS_VERSION = 2
_RELATED_VERSION = 1
T = TypeVar("T")
_KEY_BYTES = 16
_SUM = 32  # bytes of checksum after the magic


def article_key(environment: str, path: Path, data: bytes) -> str:
    """The cache key of an article file's bytes, as loaded in this environment."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{environment}\0{path}\0".encode("utf-8", "surrogateescape"))
    digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class ArticleCache:
    """Loaded articles by key, as read from the shards."""

    shards: Mapping[str, Mapping[str, Article]]  # shard name -> key -> article

    def get(self, key: str) -> Article | None:
        return self.shards.get(_shard(key), {}).get(key)


EMPTY = ArticleCache({})


def read_article_cache(config: SiteConfig) -> ArticleCache:
    """Every shard that checks out; the others count as empty."""
    folder = cache_dir(config) / ARTICLES
    try:
        names = sorted(p.name for p in folder.iterdir() if p.suffix == ".pickle")
    except OSError:
        return EMPTY
    shards = {}
    for name in names:
        articles = _read_shard(folder / name)
        if articles is not None:
            shards[name.removesuffix(".pickle")] = articles
    return ArticleCache(shards)


def _read_shard(path: Path) -> dict[str, Article] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = data[len(_MAGIC) + _SUM:]
    if not data.startswith(_MAGIC) or data[len(_MAGIC):len(_MAGIC) + _SUM] != hashlib.blake2b(body, digest_size=_SUM).digest():
        return None
    try:
        articles = pickle.loads(body)
    except Exception:  # noqa: BLE001 - a checksum collision or an old class layout: not trusted
        return None
    if not isinstance(articles, dict) or not all(isinstance(k, str) and type(a) is Article
                                                 for k, a in articles.items()):
        return None
    return articles


def write_article_cache(config: SiteConfig, before: ArticleCache, loaded: Mapping[str, Article]) -> None:
    """Keep exactly ``loaded``: rewrite the shards whose keys changed, delete the emptied ones."""
    folder = cache_dir(config) / ARTICLES
    shards: dict[str, dict[str, Article]] = defaultdict(dict)
    for key in sorted(loaded):
        shards[_shard(key)][key] = loaded[key]
    for name, articles in shards.items():
        if articles.keys() != before.shards.get(name, {}).keys():
            body = _pickled(articles)
            write_bytes_atomically(folder / f"{name}.pickle", _MAGIC + hashlib.blake2b(body, digest_size=_SUM).digest() + body,
                                   durable=False)
    for name in before.shards.keys() - shards.keys():
        remove_file(folder / f"{name}.pickle")


def read_article_files(config: SiteConfig, environment: str) -> dict[str, tuple[FileIdentity, str]]:
    """What ``write_article_files`` kept in this environment (path -> identity, key); nothing
    when kept in another one (its keys are of other articles) or malformed."""
    try:
        files = _read_files_record(cache_dir(config) / ARTICLE_FILES, _ARTICLE_FILES_VERSION, environment=environment)
        if files is None:
            return {}
        known = {}
        for path, (key, *identity) in files.items():
            if not (isinstance(path, str) and isinstance(key, str) and len(identity) == len(FileIdentity._fields)
                    and all(type(number) is int for number in identity)):
                return {}
            known[path] = (FileIdentity(*identity), key)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}
    return known


def write_article_files(config: SiteConfig, environment: str, known: Mapping[Path, tuple[FileIdentity, str]]
                        ) -> None:
    """Keep each file's identity and key (``known``: path -> both) for the next build."""
    _write_files_record(cache_dir(config) / ARTICLE_FILES, _ARTICLE_FILES_VERSION,
                        {str(path): [key, *identity] for path, (identity, key) in known.items()},
                        environment=environment)


def unchanged_keys(known: Mapping[str, tuple[FileIdentity, str]], paths: Sequence[Path],
                   identities: Sequence[FileIdentity | None]) -> dict[Path, str]:
    """The keys ``known`` holds for files of the same identity now: of the same bytes."""
    unchanged = {}
    for path, identity in zip(paths, identities):
        found = known.get(str(path))
        if found is not None and identity is not None and found[0] == identity:
            unchanged[path] = found[1]
    return unchanged


def _shard(key: str) -> str:
    return key[:2]


def _pickled(articles: dict[str, Article]) -> bytes:
    """A shard's articles, each tag as a call to ``_shared_tag``: a cache of 100,000 articles
    holds about 400,000 tags of a few hundred names, else read back as that many objects
    (measured there: reading 5.2 -> 3.0-3.7 s, its memory 209 -> 144 MB)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = {Tag: _tag_reduced}  # consulted, in C, for tags alone
    pickler.dump(articles)
    return buffer.getvalue()


def _tag_reduced(tag: Tag) -> tuple:
    return _shared_tag, (tag.slug, tag.name)


def _shared_tag(slug: str, name: str) -> Tag:
    """The one ``Tag`` of this slug and name in this process (tags are frozen: sharing is safe)."""
    key = (slug, name)
    tag = _SHARED_TAGS.get(key)
    if tag is None:
        tag = _SHARED_TAGS[key] = Tag(slug, name)
    return tag


_SHARED_TAGS: dict[tuple[str, str], Tag] = {}


def read_file_records(config: SiteConfig, name: str = FILES) -> dict[str, FileRecord] | None:
    """What was written to each file of the site (``FILES``) or of the spare (``SPARE_FILES``),
    or None when unknown or malformed."""
    try:
        files = _read_files_record(output_cache_dir(config) / name, _FILES_VERSION, output=str(config.output_dir))
        if files is None:
            return None
        records = {}
        for path, (key, digest, size, mtime_ns) in files.items():
            if not (isinstance(path, str) and (key is None or isinstance(key, str)) and isinstance(digest, str)
                    and type(size) is int and type(mtime_ns) is int):
                return None
            records[path] = FileRecord(key, digest, size, mtime_ns)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return records


def retire_file_records(config: SiteConfig) -> None:
    """The published site's records (``FILES``) become the spare's (``SPARE_FILES``), as the site
    becomes the spare: the file is moved, not read back and written again (at 100,000 articles
    150,000 records, 0.2 s of a rebuild). Records that cannot be read (none, or malformed) are
    none for the spare either, as they were none for the build."""
    folder = output_cache_dir(config)
    move_file(folder / FILES, folder / SPARE_FILES)


def write_file_records(config: SiteConfig, records: Mapping[str, FileRecord] | None, name: str = FILES) -> None:
    """Record ``records`` under ``name``; None forgets what was recorded there."""
    if records is None:
        remove_file(output_cache_dir(config) / name)
        return
    _write_files_record(output_cache_dir(config) / name, _FILES_VERSION,
                        {path: [r.key, r.digest, r.size, r.mtime_ns] for path, r in sorted(records.items())},
                        output=str(config.output_dir))


def _read_files_record(path: Path, version: int, **context: str) -> dict | None:
    """The ``files`` of a record ``_write_files_record`` wrote with this version and ``context``
    (what its entries hold for), or None when it was written for another; raises ``OSError``,
    ``ValueError`` and the like when it cannot be read or is malformed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["version"] != version or any(data[name] != value for name, value in context.items()):
        return None
    return data["files"]


def _write_files_record(path: Path, version: int, files: dict, **context: str) -> None:
    """Record ``files`` (name -> a list of JSON values) in the build cache, with the version of
    their layout and ``context``."""
    text = json.dumps({"version": version, **context, "files": files}, separators=(",", ":"))
    write_bytes_atomically(path, text.encode("utf-8"), durable=False)


def prune_output_caches(config: SiteConfig) -> None:
    """Keep the records and spare sites of the ``KEPT_OUTPUTS`` output folders built into
    last (this build's among them); delete the others', and what earlier versions of digest kept
    in the cache folder itself, so previews built elsewhere do not pile up spare sites."""
    folder = cache_dir(config)
    for name in (FILES, SPARE_FILES, RECORD, SPARE_RECORD):
        remove_file(folder / name)
    if (folder / SPARE).is_dir() and not (folder / SPARE).is_symlink():
        shutil.rmtree(folder / SPARE, ignore_errors=True)
    outputs = sorted(folder.glob(OUTPUT_CACHE_PREFIX + "*"), key=_last_used, reverse=True)
    current = output_cache_dir(config)
    for stale in [path for path in outputs if path != current][KEPT_OUTPUTS - 1:]:
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def _last_used(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns  # a record written into it renames a file there
    except OSError:
        return 0


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
                            len(keys), len(names), head["id"].tobytes())


_COUNT_TYPES = (np.int8, np.int32)


def _key_list(keys: np.ndarray) -> tuple[bytes, ...] | None:
    """The keys of rows as stored, if they check out (16 bytes each, all different)."""
    if keys.dtype != np.uint8 or keys.ndim != 2 or keys.shape[1] != _KEY_BYTES:
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
            or not set(keys).isdisjoint(store.row_of)):
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
            id=kept_id, keys=_key_array(counted.keys[:rows]), **_counts_arrays(stored),
            data_type=np.zeros(0, dtype=stored.dtype), names=names_array(counted.names[:width]),
            lengths=counted.lengths[:rows]))
    # Written second: rows added to other stored rows (a build that stopped between) are left out.
    _write_store(config, _added_name(name), environment, _COUNTS_VERSION, dict(
        id=kept_id, keys=_key_array(counted.keys[rows:]), **_counts_arrays(counted.added),
        names=names_array(counted.names[width:]), lengths=counted.lengths[rows:]))


def _key_array(keys: Sequence[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), _KEY_BYTES)


def _counts_arrays(counts: sp.csr_matrix) -> dict[str, np.ndarray]:
    return dict(data=counts.data, indices=counts.indices.astype(np.int32, copy=False),
                indptr=counts.indptr.astype(np.int64, copy=False))


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
    rows = len(keys)
    index = _csr(arrays, "index_", rows, width, (np.float32,))
    vectors = _csr(arrays, "vector_", rows, width, (np.float32,))
    if (keys.dtype != np.uint64 or keys.ndim != 1 or index is None or vectors is None
            or topics.dtype != np.float32 or topics.ndim != 2 or len(topics) != rows
            or starts.dtype != np.int64 or len(starts) != rows + 1 or starts[0] != 0 or starts[-1] != len(others)
            or np.any(np.diff(starts) < 0) or others.dtype != np.int64 or scores.dtype != np.float64
            or cosines.dtype != np.float64 or not len(others) == len(scores) == len(cosines)
            or (len(others) and (others.min() < 0 or others.max() >= rows))):
        return None
    return KeptNeighbours(KeptFeatures(arrays["model"].tobytes().decode("utf-8"), keys, vectors, index, topics),
                          int(arrays["k"]), Neighbours(starts, others, scores, cosines))


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
        word_cosines=kept.neighbours.word_cosines.astype(np.float64)))


def _csr_arrays(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {prefix + "data": matrix.data.astype(np.float32, copy=False),
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
