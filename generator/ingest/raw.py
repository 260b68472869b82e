"""The raw folder: which files are pages, what kind, and their text.

A page is a text dump (``.txt``) or a saved HTML page (``.html``, ``.htm``, either
gzipped as ``.gz``). Its article is written as ``<stem>.md``, the stem being the name
without those suffixes, so two pages whose stems agree would write one file: that is
an error naming both, not a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import DigestError, Problem
from ..taxonomy import Vocabulary
from ..text import clean_text
from .article import CleanedArticle
from .blocks import decode_raw
from .clean import clean_text_dump
from .html import clean_html_page
from .html_decode import decode_html
from .rules import Rules

TEXT, HTML = "text", "html"
# Longest suffix first: "a.html.gz" is an HTML page with stem "a".
_SUFFIXES = ((".html.gz", HTML), (".htm.gz", HTML), (".html", HTML), (".htm", HTML), (".txt", TEXT))
SUFFIX_NAMES = ".txt, .html, .htm, .html.gz"
MAX_BYTES = 64 * 1024 * 1024  # a scraped page is never this large; refuse rather than exhaust memory


@dataclass(frozen=True)
class RawPage:
    path: Path
    stem: str
    kind: str  # TEXT or HTML


def raw_page(path: Path) -> RawPage | None:
    """The page ``path`` holds, or None when its name is not a page's."""
    lowered = path.name.lower()
    for suffix, kind in _SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return RawPage(path, path.name[: -len(suffix)], kind)
    return None


@dataclass(frozen=True)
class RawFolder:
    pages: tuple[RawPage, ...]  # sorted by file name
    ignored: tuple[Path, ...]  # files that are not pages
    clashes: tuple[Problem, ...]  # pages whose article name another page already takes


def find_raw_pages(folder: Path) -> RawFolder:
    pages, ignored, clashes = [], [], []
    taken: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        page = raw_page(path)
        if page is None:
            ignored.append(path)
            continue
        key = page.stem.casefold()  # x.md and X.md are one file on case-insensitive disks
        if key in taken:
            clashes.append(Problem(f"would be written as {page.stem}.md, like {taken[key].name}; skipped",
                                   path, hint="rename one of the two"))
            continue
        taken[key] = path
        pages.append(page)
    return RawFolder(tuple(pages), tuple(ignored), tuple(clashes))


def read_page(page: RawPage) -> str:
    """The page's text; DigestError naming the file when it is unreadable or not a page."""
    try:
        if page.path.stat().st_size > MAX_BYTES:
            raise DigestError.at("larger than 64 MiB; not a scraped page", page.path)
        data = page.path.read_bytes()
    except OSError as exc:
        raise DigestError.at(f"cannot read: {exc.strerror}", page.path) from None
    if page.kind == TEXT:
        return clean_text(decode_raw(data, page.path))
    try:
        return decode_html(data, page.path.name)
    except DigestError as exc:
        raise exc.in_file(page.path) from None


def clean_page(page: RawPage, text: str, *, vocabulary: Vocabulary, rules: Rules, min_mentions: int,
               max_inferred: int, boilerplate: Callable[[str], str | None] | None = None) -> CleanedArticle:
    """Clean one page; DigestError naming the file when it holds no article."""
    clean = clean_text_dump if page.kind == TEXT else clean_html_page
    try:
        return clean(text, vocabulary=vocabulary, rules=rules, min_mentions=min_mentions,
                     max_inferred=max_inferred, boilerplate=boilerplate)
    except DigestError as exc:
        raise exc.in_file(page.path) from None
