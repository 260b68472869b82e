"""The content model: frozen dataclasses that every stage reads and none mutates."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING

from .errors import Problem

if TYPE_CHECKING:
    from .neighbours import KeptNeighbours
    from .related import KeptLinks
    from .text_model import TextModel

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Fixed namespace so ids derived from a file stem or text are the same on every machine.
ID_NAMESPACE = uuid.UUID("8a0b7c2e-5f0d-4d55-9a51-6c3c6bd3e1a4")


def stable_id(source_url: str | None, stem: str) -> str:
    """A new article's id from its page's URL, else its file name: re-scrapes, re-ingests and
    re-creations keep their feed GUIDs."""
    return str(name_uuid(f"url:{source_url}" if source_url else f"file:{stem}"))


def name_uuid(name: str) -> uuid.UUID:
    """The UUID of ``name`` in digest's namespace. A file name's bytes that are no UTF-8 (held
    as lone surrogates) count as their escapes: ``uuid5`` cannot encode them."""
    return uuid.uuid5(ID_NAMESPACE, name.encode("utf-8", "surrogatepass").decode("utf-8", "backslashreplace"))


def guid(article_id: str) -> str:
    """The ``urn:uuid:`` feeds use for an article id; ids that are no UUID are hashed to one."""
    if _CANONICAL_UUID.fullmatch(article_id):  # as ``uuid.UUID`` writes it (digest's own ids): 7 times faster
        return "urn:uuid:" + article_id
    try:
        return uuid.UUID(article_id).urn
    except ValueError:
        return name_uuid(article_id).urn


@dataclass(frozen=True, order=True)
class Tag:
    """A topic tag: its display name and the slug of its page (``tags/<slug>/``)."""

    slug: str
    name: str

    @property
    def url_path(self) -> str:
        """Site-relative URL of the tag's page, always ending in ``/``."""
        return f"tags/{self.slug}/"


@dataclass(frozen=True)
class StoredBody:
    """Where a loaded article's body is: its file, read again when a page, a feed or the text
    analysis needs the text (``bodies.body_text``)."""

    path: Path
    start: int  # its first character in the file's text, newlines normalized
    file_digest: bytes  # of the file's bytes when loaded: a file changed since is not read as this body
    key: bytes  # of the body's text (``bodies.text_key``): equal keys, equal texts

    def __str__(self) -> str:
        # A template printing ``article.body`` would publish this machine's path: it is an error
        # naming the template instead (render.render reports it).
        raise TypeError("an article's body is no text in templates; the article page has its HTML as `body`")


@dataclass(frozen=True)
class Article:
    """One article as loaded from ``content/articles/<stem>.md``."""

    source_path: Path
    stem: str
    id: str  # stable across slug and title changes: feeds use it for GUIDs
    slug: str
    title: str
    date: datetime | None  # timezone-aware; None when the article states no date
    updated: datetime | None
    author: str | None
    source: str | None
    source_url: str | None
    image_caption: str | None
    image_credit: str | None
    tags: tuple[Tag, ...]
    summary: str | None
    # The Markdown text, or where to read it (bodies.body_text); its HTML is made where a page
    # or feed shows it. Loaded articles hold no text: a site's text held all build long was
    # most of a large site's memory.
    body: str | StoredBody
    # True when the front matter has no ``tags`` key, so the tags were inferred (``tags: []``
    # states "no tags"); such an article may also get its corpus topic.
    tags_inferred: bool = False

    @property
    def url_path(self) -> str:
        """Site-relative URL of the article page, always ending in ``/``."""
        return f"articles/{self.slug}/"

    @property
    def modified(self) -> datetime | None:
        """When the article last changed, as feeds and structured data state it: ``updated``,
        or ``date`` when that is later (an update stated before the publication is a typo, which
        the build and ``digest check`` warn about: ``UPDATED_BEFORE_DATE``)."""
        if self.updated is None or self.date is None:
            return self.updated or self.date
        return max(self.updated, self.date)

    @property
    def updated_before_date(self) -> bool:
        return self.updated is not None and self.date is not None and self.updated < self.date


@dataclass(frozen=True)
class Story:
    """Reports of one event (see ``stories.py``), oldest first; named after the first report."""

    slug: str
    title: str
    articles: tuple[Article, ...]

    @property
    def url_path(self) -> str:
        return f"stories/{self.slug}/"


@dataclass(frozen=True)
class RelatedLink:
    """A related article and why it was chosen."""

    target: Article
    shared_tags: tuple[Tag, ...]  # rarest first
    score: float
    text_similarity: float = 0.0  # similarity of the two texts (words and latent topics), 0 when not similar
    days_apart: int | None = None  # calendar days between the two dates where the site shows them; None: undated

    @property
    def reason(self) -> str:
        """Why, in words: "shared: Crocus, Moscow; similar text; 2 days apart"."""
        parts = []
        if self.shared_tags:
            parts.append("shared: " + ", ".join(tag.name for tag in self.shared_tags))
        if self.text_similarity > 0:
            parts.append("similar text")
        if self.days_apart is not None:
            days = self.days_apart
            parts.append("same day" if days == 0 else f"{days} day{'s' if days != 1 else ''} apart")
        return "; ".join(parts)


@dataclass(frozen=True)
class TagGroup:
    """A tag with its articles, newest first."""

    tag: Tag
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Site:
    """Everything the renderers need: articles newest first, tags, related links, build date."""

    articles: tuple[Article, ...]
    tag_groups: tuple[TagGroup, ...]
    related: Mapping[str, Sequence[RelatedLink]]  # article id -> links, best first (read-only)
    build_date: datetime
    warnings: tuple[Problem, ...] = field(default=())
    stories: tuple[Story, ...] = field(default=())  # oldest first
    story_of: Mapping[str, Story] = field(default_factory=lambda: MappingProxyType({}))  # article id -> its story
    text_model: TextModel | None = None  # the word statistics the analysis used, when the build keeps them
    kept_neighbours: KeptNeighbours | None = None  # what the next build's analysis may start from, with them
    kept_links: KeptLinks | None = None  # what the next build's related links may start from, with them


@dataclass(frozen=True)
class BuildReport:
    """What a build published."""

    articles: int
    tags: int
    files: int
    bytes: int
    pages: int = 0  # HTML pages among the files
    feeds: int = 0  # RSS, Atom and JSON feeds among them
    rendered: int = 0  # pages rendered: the others' inputs had not changed since the last build
    changed: int = 0  # files added, changed or removed since the site published before (all, with no record of it)


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: where it goes, its bytes, and what produced it."""

    path: PurePosixPath  # relative to the output folder
    content: bytes
    origin: str  # the input or generator responsible, named in collision errors


@dataclass(frozen=True)
class PendingFile:
    """A file of the built site whose bytes are made when ``render`` is called: the writer
    renders pending files over several processes, and each process writes what it rendered."""

    path: PurePosixPath  # relative to the output folder
    origin: str
    make: Callable[[], OutputFile]
    # A key of everything the bytes depend on (equal keys, equal bytes), or None when unknown:
    # a page whose key is the last build's is not rendered again.
    inputs_key: Callable[[], str | None] | None = None
    page: bool = True  # an HTML page, counted as one in the build's summary (feeds are not)

    def render(self) -> OutputFile:
        return self.make()

    def key(self) -> str | None:
        return self.inputs_key() if self.inputs_key is not None else None


@dataclass(frozen=True)
class FileRecord:
    """What a build wrote to one output file, so the next build can tell it is still there and
    whether it needs rendering or writing again."""

    key: str | None  # the pending file's inputs key; None for files made in full
    digest: str  # of the bytes
    size: int
    mtime_ns: int  # as written: a different one on disk means someone changed the file

