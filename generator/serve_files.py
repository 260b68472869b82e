"""What a request to ``digest serve`` names: the file in the output folder, looked up per
request, never outside it by any route (``..``, encoded slashes, links, dotfiles), and read
without following a link put there since."""

from __future__ import annotations

import html
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote


@dataclass(frozen=True)
class Found:
    path: Path  # real path of a plain file inside the output folder


@dataclass(frozen=True)
class Redirect:
    location: str  # the one address of what was asked for: a folder's with its slash, so relative links resolve


_ENCODED_SEPARATOR = re.compile(r"%(2f|5c)", re.IGNORECASE)


def request_segments(target: str) -> tuple[str, ...] | None:
    """The names a request path walks through, or None when it could name anything outside the
    site or hidden in it: ``..`` (plain or percent-encoded), encoded slashes, backslashes,
    control characters such as NUL, a target that is not a path (``http://...``), dotfiles."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or "\\" in path or _ENCODED_SEPARATOR.search(path):
        return None
    try:
        text = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in text or any(ord(c) < 0x20 or c == "\x7f" for c in text):
        return None
    segments = tuple(part for part in text.split("/") if part)
    if any(part.startswith(".") for part in segments):  # "..", ".", .digest-build, .git
        return None
    return segments


def locate(output_dir: Path, target: str) -> Found | Redirect | None:
    """The file a request target names in ``output_dir``, looked up now; None for none or for
    one outside the folder by any route, links included (a link to a file outside is refused)."""
    segments = request_segments(target)
    if segments is None:
        return None
    path, mark, query = target.partition("?")
    root = os.path.realpath(output_dir)
    named = os.path.realpath(os.path.join(root, *segments))
    folder = os.path.isdir(named)
    if folder:
        index = os.path.realpath(os.path.join(named, "index.html"))
        if not (_inside(named, root) and _inside(index, root) and os.path.isfile(index)):
            return None  # no listings
        named = index
    elif path.endswith("/"):
        return None  # a file named as a folder: "page.html/" is no page on a static host either
    if not (_inside(named, root) and os.path.isfile(named)):
        return None
    if "//" in path or (folder and not path.endswith("/")):
        # Relative links resolve wrongly from "/a//b/" and "/a": sent to the one address, as hugo server does.
        return Redirect(_address(segments, folder) + mark + query)  # the query kept: a page's script may read it
    return Found(Path(named))


def request_target(requestline: str, path: str) -> str:
    """The target as the request line sent it: Python's parser makes a leading "//" one "/"
    (``path``), so "//articles/x/" would be served where "/articles//x/" is redirected. Only
    that change is undone; anything else the parser made of the line stands."""
    words = requestline.split()
    sent = words[1] if len(words) >= 2 else path
    return sent if sent.startswith("//") and "/" + sent.lstrip("/") == path else path


def _address(segments: tuple[str, ...], folder: bool) -> str:
    """The one path of a file or folder: single slashes, a folder's ending in one. Built from
    checked names, never "//host" (an open redirect)."""
    return "/" + "/".join(quote(part) for part in segments) + ("/" if folder and segments else "")


def _inside(path: str, root: str) -> bool:
    """Whether real path ``path`` is real folder ``root`` or in it, reached through no hidden name."""
    if path == root:
        return True
    if not path.startswith(root.rstrip(os.sep) + os.sep):
        return False
    return not any(part.startswith(".") for part in path[len(root.rstrip(os.sep)) + 1:].split(os.sep))


def with_local_links(page: bytes, base_url: str) -> bytes:
    """``page`` with its links into the site published at ``base_url`` made root-relative. The 404
    page's links are absolute, since a host serves it at any depth; the preview's must lead to the preview."""
    published = re.escape(html.escape(base_url).encode("utf-8"))  # as the templates write it
    return re.sub(rb"""((?:href|src)=["'])""" + published, rb"\1/", page)


def read_plain_file(path: Path) -> bytes | None:
    """The bytes of a plain file, not following a link put there since it was checked."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        return file.read()
