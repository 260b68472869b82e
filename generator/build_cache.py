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
- The arrays a rebuild reuses (term counts, related links, neighbours): see ``array_stores``.
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

import hashlib
import io
import json
import pickle
import shutil
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config import SiteConfig
from .content_files import FileIdentity
from .fingerprint import OUTPUT_CACHE_PREFIX, RECORD, SPARE_RECORD, cache_dir, output_cache_dir
from .model import Article, FileRecord, Tag
from .atomic import checked, checksummed, move_file, remove_file, write_bytes_atomically

ARTICLES = "articles"
ARTICLE_FILES = "article-files.json"  # each article file's key, by path and identity
FILES = "files.json"  # the published site's files
SPARE = "previous-site"  # the site the last build replaced, kept to be updated into the next
SPARE_FILES = "previous-site.json"  # its files
COMPILED_TEMPLATES = "templates"  # the theme's templates as compiled (``template_cache``)
_MAGIC = b"digest-articles 1\n"  # and the version: a new layout is a new magic
_FILES_VERSION = 1
_ARTICLE_FILES_VERSION = 1
KEPT_OUTPUTS = 3  # output folders whose records and spare site are kept (see ``prune_output_caches``)


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


def read_article_cache(config: SiteConfig, listed: Mapping[str, Path] = MappingProxyType({})) -> ArticleCache:
    """Every shard that checks out; the others count as empty. An article whose file is one of
    ``listed`` (path as text -> path) gets that path object as its ``source_path``: making
    10,000 paths again was 40% of reading the shards."""
    folder = cache_dir(config) / ARTICLES
    try:
        names = sorted(p.name for p in folder.iterdir() if p.suffix == ".pickle")
    except OSError:
        return EMPTY
    shards = {}
    for name in names:
        articles = _read_shard(folder / name, listed)
        if articles is not None:
            shards[name.removesuffix(".pickle")] = articles
    return ArticleCache(shards)


def _read_shard(path: Path, listed: Mapping[str, Path]) -> dict[str, Article] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = checked(data, _MAGIC)
    if body is None:
        return None
    try:
        articles = _ShardUnpickler(io.BytesIO(body), listed).load()
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
            write_bytes_atomically(folder / f"{name}.pickle", checksummed(_pickled(articles), _MAGIC), durable=False)
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
    pickler.dispatch_table = {Tag: _tag_reduced, _PATH: _path_reduced}  # consulted, in C, for these alone
    pickler.dump(articles)
    return buffer.getvalue()


_PATH = type(Path())  # of the paths in a shard: the articles' source_path


def _path_reduced(path: Path) -> tuple:
    return _listed_path, (str(path),)


def _listed_path(text: str) -> Path:
    """An article's ``source_path``, as a shard read without a listing makes it again."""
    return Path(text)


class _ShardUnpickler(pickle.Unpickler):
    """Reads a shard, each article's ``source_path`` the listed path object of its text when
    there is one (``read_article_cache``)."""

    def __init__(self, file: io.BytesIO, listed: Mapping[str, Path]) -> None:
        super().__init__(file)
        self.listed = listed

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == _listed_path.__name__:
            listed = self.listed
            return lambda text: listed.get(text) or _listed_path(text)
        return super().find_class(module, name)


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
    """The published site's records (``FILES``) and the record of the build that published it
    (``RECORD``) become the spare's (``SPARE_FILES``, ``SPARE_RECORD``), as the site becomes the
    spare: the files are moved together, not read back and written again (at 100,000 articles
    150,000 records, 0.2 s of a rebuild). Records that cannot be read (none, or malformed) are
    none for the spare either, as they were none for the build."""
    folder = output_cache_dir(config)
    move_file(folder / FILES, folder / SPARE_FILES)
    move_file(folder / RECORD, folder / SPARE_RECORD)


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
