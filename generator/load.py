"""``content/articles/*.md`` -> Article: read, split front matter, validate, render the body."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from time import time_ns
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from .bodies import clean_body, stored_body
from .config import SiteConfig
from .content_files import FileIdentity, decode_text, not_a_file, read_bytes
from .errors import DigestError, Problem
from .markup import MAX_DEPTH, too_deep
from .frontmatter import FrontMatter, split_front_matter
from .model import Article, name_uuid
from .taxonomy import Vocabulary, infer_tags, make_tags, slugify
from .text import clean_text, normalize_key, trim_invisible

_TEXT_FIELDS = ("author", "source", "image_caption", "image_credit", "summary")
# Every front-matter key load_article reads; the build ignores any other (digest check warns).
FRONT_MATTER_FIELDS = ("id", "title", "slug", "date", "updated", "author", "source", "source_url",
                       "image_caption", "image_credit", "tags", "summary")
# Characters a URL path, query or fragment may carry unescaped; the rest is percent-encoded.
_URL_SAFE = "/?:@!$&'()*+,;=%~-._"
# Dates every feed format can express (RSS and Atom need four-digit years after UTC conversion).
_EARLIEST, _LATEST = datetime(1000, 1, 2, tzinfo=timezone.utc), datetime(9999, 12, 30, tzinfo=timezone.utc)


def find_articles(content_dir: Path) -> list[Path]:
    """``list_articles``' files; what is no file (a FIFO, a socket, a device) is an error."""
    found = list_articles(content_dir)
    if found.problems:
        raise DigestError(*found.problems)
    return list(found.paths)


@dataclass(frozen=True)
class ArticleFiles:
    paths: tuple[Path, ...]  # the files to load, sorted
    problems: tuple[Problem, ...]  # one per entry named like an article that is no file
    unread: tuple[Problem, ...] = ()  # warnings: one per subfolder holding Markdown files, which are not read
    identities: tuple[FileIdentity | None, ...] = ()  # per path, as listed (None: could not be taken)
    listed_ns: int = 0  # the clock's time just before the folder was listed

    def settled(self) -> dict[Path, FileIdentity]:
        """The paths whose identity, as listed, says for sure whether they change later."""
        return {path: identity for path, identity in zip(self.paths, self.identities)
                if identity is not None and identity.settled(self.listed_ns)}


def list_articles(content_dir: Path, site_folders: Iterable[Path] = ()) -> ArticleFiles:
    """Every ``*.md`` (any case) directly in the content folder, in a stable order.

    Hidden files and folders are skipped; a broken link, a link loop or an unreadable file is
    kept, so loading it reports it instead of the article silently vanishing from the site.
    Links are followed wherever they point, outside the site too, as a copy would be read.
    A FIFO, socket or device (or a link to one) is a problem found here, before anything opens
    it (reading a FIFO would block the build), to be reported with the articles' own. A
    subfolder holding Markdown files is named in a warning, unless it is one of the site's
    ``site_folders`` (its output, theme or raw pages, when the content folder holds them).
    """
    if not content_dir.is_dir():
        raise DigestError.at("content folder not found", content_dir,
                             hint="run `digest ingest` first or set content_dir in site.yaml")
    # Names, not paths, are compared and sorted (one folder: the same order): making and
    # comparing 10,000 path objects cost half a second of every rebuild.
    found, special, folders = [], [], []
    identities: dict[str, FileIdentity] = {}
    listed_ns = time_ns()
    with os.scandir(content_dir) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if not name.lower().endswith(".md"):
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                continue
            try:
                status = entry.stat()  # through a link, to what it points at
            except OSError:
                found.append(name)
                continue
            mode = status.st_mode
            if stat.S_ISREG(mode):
                found.append(name)
                identities[name] = FileIdentity.of(status)
            elif not stat.S_ISDIR(mode):
                special.append((name, mode))
    found.sort()
    return ArticleFiles(tuple(content_dir / name for name in found),
                        tuple(problem for name, mode in sorted(special)
                              for problem in not_a_file(content_dir / name, mode).problems),
                        _unread_folders(content_dir, sorted(folders), site_folders),
                        tuple(identities.get(name) for name in found), listed_ns)


def _unread_folders(content_dir: Path, names: list[str], site_folders: Iterable[Path]) -> tuple[Problem, ...]:
    if not names:
        return ()
    skipped = {folder.resolve() for folder in site_folders}
    return tuple(Problem(f"holds {count} Markdown file{'s' * (count != 1)} in a folder, which digest does not read",
                         content_dir / name, None, f"move articles directly into {content_dir.name}/ to publish them")
                 for name in names
                 if (content_dir / name).resolve() not in skipped and (count := _markdown_files(content_dir / name)))


def _markdown_files(folder: Path) -> int:
    """The ``*.md`` files anywhere under ``folder`` (hidden folders left out), not following links."""
    count = 0
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        count += sum(1 for name in files if name.lower().endswith(".md") and not name.startswith("."))
    return count


def load_article(path: Path, config: SiteConfig, vocabulary: Vocabulary, data: bytes | None = None) -> Article:
    """The article in ``path``, whose bytes are ``data`` when the caller read them already."""
    data = read_bytes(path) if data is None else data
    front = split_front_matter(decode_text(path, data), path)
    meta = front.meta.data
    title = _text(meta.get("title"), "title", path, front)
    if not title:
        raise DigestError.at("missing title", path, front.line_of("title") if "title" in meta else 1,
                             "add a line such as: title: Kremlin says ...")
    stem = path.stem
    article_id = _text(meta.get("id"), "id", path, front) or str(name_uuid(stem))
    slug_source = _text(meta.get("slug"), "slug", path, front) or title
    slug = slugify(slug_source) or slugify(stem) or _id_slug(article_id)
    texts = {key: _text(meta.get(key), key, path, front) or None for key in _TEXT_FIELDS}
    body = clean_body(front.body)
    depth = too_deep(body)
    if depth is not None:
        raise DigestError.at(f"the body nests {depth} levels deep (quotes, lists or HTML elements inside one "
                             f"another); at most {MAX_DEPTH} can be shown", path, front.body_line,
                             "flatten it: such nesting is almost always a scraping accident")
    return Article(
        source_path=path,
        stem=stem,
        id=article_id,
        slug=slug,
        title=title,
        date=_datetime(meta.get("date"), "date", path, front, config),
        updated=_datetime(meta.get("updated"), "updated", path, front, config),
        source_url=_url(meta.get("source_url"), path, front),
        tags=make_tags(_tags(meta.get("tags"), path, front) or _inferred(title, body, meta, vocabulary, config),
                       vocabulary),
        body=stored_body(path, data, front, body),
        tags_inferred="tags" not in meta,
        **texts,
    )


def _id_slug(article_id: str) -> str:
    """The slug of an article whose title and file name have no letters or digits: its id's,
    or, when that has none either ("../.."), a stable one hashed from it. Never a path."""
    digest = hashlib.sha256(normalize_key(article_id).encode("utf-8")).hexdigest()
    return slugify(article_id) or "article-" + digest[:10]


def _text(value: Any, key: str, path: Path, front: FrontMatter) -> str:
    """Text fields accept strings, and numbers given an explicit ``!!int``/``!!float`` tag (front
    matter reads plain ``title: 2025`` as the text "2025" already)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        if key == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return ", ".join(v.strip() for v in value)
        raise DigestError.at(f"{key} must be text, not {type(value).__name__}", path, front.line_of(key))
    return " ".join(clean_text(str(value)).split())


DATE_RANGE_HINT = "use a date from 1000-01-02 to 9999-12-30"


def in_range(moment: datetime) -> bool:
    """Whether a date is one every page, feed and zone can show."""
    return _EARLIEST <= moment <= _LATEST


def _datetime(value: Any, key: str, path: Path, front: FrontMatter,
              config: SiteConfig) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise DigestError.at(f"{key} {value!r} is not a date", path, front.line_of(key),
                                 "use ISO 8601, e.g. 2024-03-30 or 2024-03-30T14:05:00+03:00") from None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=config.zone)
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0), tzinfo=config.zone)
    else:
        raise DigestError.at(f"{key} must be a date, not {type(value).__name__}", path, front.line_of(key))
    if not in_range(moment):
        raise DigestError.at(f"{key} {moment.isoformat()} is out of range", path, front.line_of(key), DATE_RANGE_HINT)
    return moment.replace(microsecond=0)  # whole seconds: what feeds and <time> express


def _url(value: Any, path: Path, front: FrontMatter) -> str | None:
    """An absolute http(s) URL, percent-encoded where it holds characters a URL may not."""
    if value in (None, ""):
        return None
    text = clean_text(str(value)).strip()
    try:
        parts = urlsplit(text)
        valid = isinstance(value, str) and parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        valid = False
    if not valid:
        raise DigestError.at(f"source_url {value!r} is not an absolute http(s) URL", path,
                             front.line_of("source_url"))
    return urlunsplit((parts.scheme, parts.netloc, quote(parts.path, safe=_URL_SAFE),
                       quote(parts.query, safe=_URL_SAFE), quote(parts.fragment, safe=_URL_SAFE)))


def _tags(value: Any, path: Path, front: FrontMatter) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise DigestError.at("tags must be a list", path, front.line_of("tags"), "tags: [Crocus, Putin]")
    names = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise DigestError.at(f"each tag must be text, not {type(item).__name__}", path, front.line_of("tags"))
        name = trim_invisible(clean_text(str(item)))  # a zero-width space is no tag, nor part of one
        if name:
            names.append(name)
    return names


def _inferred(title: str, body: str, meta: dict, vocabulary: Vocabulary, config: SiteConfig) -> list[str]:
    """Tags for an article that names none (no ``tags`` key at all): topics of the vocabulary its
    title names or its body mentions often enough. ``tags: []`` means "no tags" and is kept."""
    if "tags" in meta:
        return []
    return list(infer_tags(title, body, vocabulary, min_mentions=config.tag_min_mentions,
                           limit=config.tag_max_inferred))
