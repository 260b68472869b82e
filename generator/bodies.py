"""Article bodies, not held but read back from their files when a page, a feed or the text
analysis needs them: a build's memory is then bounded by its indexes, not by the site's text.

At 100,000 articles the bodies held from loading to the end of a build were about 600 MB of a
2.5 GB peak. Read back, each costs a file read, a hash and the cleaning load did (tens of
microseconds); a rebuild reads only the bodies of the pages it renders and of the texts it
counts, which are the changed ones.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .content_files import decode_text, read_bytes
from .errors import DigestError, InputChanged
from .frontmatter import FrontMatter, normalize_newlines
from .model import StoredBody
from .text import clean_text

_DIGEST_BYTES = 16


def clean_body(after_front_matter: str) -> str:
    """An article's body as a build uses it, from the text after its front matter (newlines
    normalized): loading, ``digest check`` and ``body_text`` all make it here."""
    return clean_text(after_front_matter)


def text_key(text: str) -> bytes:
    """A hash of a text: equal keys, equal texts."""
    return _digest(text.encode("utf-8", "surrogatepass"))


def stored_body(path: Path, data: bytes, front: FrontMatter, text: str) -> StoredBody:
    """Where to find again ``text``, the body ``load`` made from ``front`` of ``path``'s ``data``."""
    return StoredBody(path, front.body_start, _digest(data), text_key(text))


def body_text(body: str | StoredBody) -> str:
    """The text of a body: itself when held, else read from its file, cleaned as ``load`` cleans it.

    A file changed since it was loaded is an error naming it: its new text is not what the rest
    of the build (tags, related links, the other pages) was made from.
    """
    if isinstance(body, str):
        return body
    try:
        data = read_bytes(body.path)
    except DigestError as exc:  # removed, renamed or made unreadable since it was loaded
        raise InputChanged(*exc.problems) from None
    if _digest(data) != body.file_digest:
        raise InputChanged.at("changed while the site was being built", body.path,
                             hint="build again; the published site is kept as it was")
    return clean_body(normalize_newlines(decode_text(body.path, data))[body.start:])


def body_key(body: str | StoredBody) -> bytes:
    """``text_key`` of a body's text, without reading a stored one."""
    return body.key if isinstance(body, StoredBody) else text_key(body)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_BYTES).digest()
