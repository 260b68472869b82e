"""What a page depends on, as one key: a page whose key is the last build's has the same bytes.

A page's bytes are a function of its template environment (the theme, the settings, digest's
code and the libraries that render, together the *environment* fingerprint) and of the
context its template gets. The key hashes both: the context by pickling it, so everything a
template can reach counts, by value. Articles, which most pages share (a tag page lists ten,
the topic index all of them), count by their build cache key while they are as loaded, else by
a digest of their own pickle, either taken once per build,
so a page's key costs a small fraction of rendering it (measured: 0.08 ms a page, against
0.7 ms to render one). This key *is* the page's dependency map: change anything a page shows
(an article's title on a tag page, a related link, a neighbour in the newer/older links) and
its key changes.

A context that cannot be pickled has no key; its page is always rendered.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .config import SiteConfig
from .model import Article
from .link_table import LinkRow, LinkTable

_PROTOCOL = 5
_REUSED_MAX = 1 << 12  # bytes of a key's pickle past which its pickler is not used again
_SHARED = (Article, SiteConfig, LinkRow)  # types of the objects given stand-ins


@dataclass(frozen=True)
class PageKeys:
    """The environment fingerprint, and stand-ins by ``id`` for objects pages share or that cost
    to pickle: each of this build's articles (its digest), its related links (each article's, as
    a digest of them) and the settings (which the environment covers)."""

    environment: str
    article_digests: dict[int, bytes]

    @functools.cached_property
    def pickler(self) -> tuple[pickle.Pickler, io.BytesIO]:
        """This process's pickler of keys, and its buffer: making one for each key (with its
        table of stand-ins) was half the cost of a small page's key."""
        buffer = io.BytesIO()
        return _ArticlesByDigest(buffer, self.article_digests), buffer

    def __reduce__(self) -> tuple[Any, ...]:  # without the pickler, which has no pickle
        return PageKeys, (self.environment, self.article_digests)

    @classmethod
    def of(cls, environment: str, articles: Iterable[Article], config: object = None,
           loaded: Mapping[str, Article] = MappingProxyType({}), related: Mapping[str, Any] | None = None
           ) -> PageKeys:
        """Keys of pages showing ``articles``. An article that is still the object loaded under a
        build cache key (``loaded``: key -> article) stands for that key, which covers everything
        it was made of (the file's bytes and path, the settings, the code): pickling each one
        instead took 0.3 s at 10,000 articles, in this one process. Any other, as its digest.
        The rows of a ``LinkTable`` of them (``related``) stand for a digest of their links,
        made from its arrays: pickled, an article's links were most of its page's key."""
        by_load = {id(article): key for key, article in loaded.items()}
        known = {}
        for article in articles:
            key = by_load.get(id(article))
            # A letter apiece: a load key never equals an article's digest, nor a row's.
            known[id(article)] = (b"L" + bytes.fromhex(key) if key is not None
                                  else b"D" + _digest(pickle.dumps(article, protocol=_PROTOCOL)))
        targets = [known.get(id(article)) for article in related.articles] if isinstance(related, LinkTable) else []
        if targets and None not in targets and len(set(map(len, targets))) == 1:  # else rows go by value
            array = np.frombuffer(b"".join(targets), dtype=np.uint8).reshape(len(targets), -1)
            known.update((id(row), b"R" + digest) for row, digest in zip(related.rows, related.row_digests(array)))
        if config is not None:
            known[id(config)] = b"settings"
        return cls(environment, known)


def page_key(keys: PageKeys, template: str, *inputs: Any, **context: Any) -> str | None:
    """A hex key of the environment, the template's name and everything passed to it."""
    return _key(keys, template.encode("utf-8", "surrogatepass"), inputs, context)


def _key(keys: PageKeys, head: bytes, inputs: tuple[Any, ...], context: dict[str, Any]) -> str | None:
    """The hex digest of the environment, ``head`` and the pickle of ``inputs`` and ``context``."""
    pickler, buffer = keys.pickler
    buffer.seek(0)
    buffer.truncate()
    buffer.write(keys.environment.encode("ascii", "replace"))
    buffer.write(head)
    pickler.clear_memo()  # each key is of its own inputs: none refers back to another's
    try:
        pickler.dump((inputs, context))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None  # the next dump starts afresh (the pickler empties its own buffer as each begins)
    if buffer.tell() > _REUSED_MAX:
        # A pickler makes its buffer again for each dump, as large as the largest it made: after
        # the sitemap's key, each small key took 0.17 ms instead of 0.005; after an archive's, 0.02.
        del keys.__dict__["pickler"]
    return _digest(buffer.getvalue()).hex()


def plan_key(keys: PageKeys, origin: str, plan: functools.partial, context: dict[str, Any]) -> str | None:
    """``page_key`` of the page at ``origin`` that ``plan`` makes (a module-level function, whose
    code the environment covers, given its arguments) with ``context`` besides: each argument
    that has a stand-in (this build's articles, their rows of links, the settings) by its
    stand-in, the others and the context pickled together, all hashed in one pass. Nothing of the
    plan is listed by hand, so an argument added to it counts. (Pickling each article page's
    plan whole took 0.018 ms a page; this takes 0.009 ms.)"""
    if plan.keywords:
        return page_key(keys, "plan", plan, origin, **context)
    digests = keys.article_digests
    # A head no template's name makes (none begins with a NUL), hashed with the rest in one pass.
    parts = [b"\0plan\0", f"{plan.func.__module__}.{plan.func.__qualname__}\0{origin}\0{len(plan.args)}\0".encode(
                 "utf-8", "surrogatepass")]
    by_value = []
    for argument in plan.args:
        digest = digests.get(id(argument))
        if digest is None:
            by_value.append(argument)
            digest = b""  # its place: the next of those pickled
        parts.append(len(digest).to_bytes(2, "big") + digest)  # counted: no two lists of parts join alike
    return _key(keys, b"".join(parts), tuple(by_value), context)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


class _ArticlesByDigest(pickle.Pickler):
    """Pickles this build's articles (and their rows of links) as their digests, anything else by value.

    The stand-ins are given through ``dispatch_table``, which the pickler consults (in C) only
    for objects of the types in it: a ``persistent_id`` would be a Python call for every
    object of every context, which cost more than the rest of the pickling.
    """

    def __init__(self, file: io.BytesIO, digests: dict[int, bytes]) -> None:
        super().__init__(file, protocol=_PROTOCOL)

        def stand_in(obj: Any) -> tuple:
            # id() is only this build's article while that article is alive, and site.articles
            # keeps every one alive through the build.
            digest = digests.get(id(obj))
            return (_shared, (digest,)) if digest is not None else obj.__reduce_ex__(_PROTOCOL)
        self.dispatch_table = {kind: stand_in for kind in _SHARED}


def _shared(digest: bytes) -> bytes:
    """What a stand-in unpickles to (keys are never unpickled; it names the digest's meaning)."""
    return digest
