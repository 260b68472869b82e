"""``site.yaml`` -> a frozen SiteConfig; every problem in the file is reported at once."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DigestError, Problem
from .text import clean_text, normalize_key
from .yamlio import LoadedYaml, YamlProblem, load_yaml

# A BCP 47 language tag as HTML's lang attribute and feeds accept it: en, en-GB, zh-Hant-TW.
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Topic:
    """A vocabulary entry: the canonical tag name and the phrases that mean it."""

    name: str
    aliases: tuple[str, ...]


# Feed formats: file name, media type and label, in the order pages link them.
FEED_FILES = {"rss": ("rss.xml", "application/rss+xml", "RSS"),
              "atom": ("atom.xml", "application/atom+xml", "Atom"),
              "json": ("feed.json", "application/feed+json", "JSON Feed")}
FEED_FORMATS = tuple(FEED_FILES)
SITE_FEED = "site"  # the per_feed key of the site-wide feed; any other key names a topic


@dataclass(frozen=True)
class FeedSettings:
    items: int = 20  # newest N articles per feed; 0: every article
    full_content: bool = True  # False: summary only


@dataclass(frozen=True)
class RelatedWeights:
    """How much each kind of evidence counts in a related link's score (``related`` in site.yaml)."""

    tags: float = 1.0  # share of the article's tags, weighted by rarity, that the other has
    text: float = 1.0  # similarity of the two texts
    recency: float = 0.02  # closeness in time
    window_days: float = 30.0  # the recency bonus halves every this many days


# site.yaml key under related -> RelatedWeights field
_RELATED_WEIGHT_KEYS = {"tags_weight": "tags", "text_weight": "text", "recency_weight": "recency",
                        "window_days": "window_days"}


@dataclass(frozen=True)
class StorySettings:
    """When two articles report one story (``stories`` in site.yaml)."""

    window_days: float = 3.0  # dated at most this far apart
    min_similarity: float = 0.5  # cosine of their term vectors: how much wording they share
    max_days: float = 14.0  # from a story's first report to its last


@dataclass(frozen=True)
class FeedConfig:
    items: int = 20  # default for every feed
    full_content: bool = True
    formats: tuple[str, ...] = FEED_FORMATS
    per_feed: tuple[tuple[str, FeedSettings], ...] = ()  # ("site" or any spelling of a topic, its settings)


@dataclass(frozen=True)
class SiteConfig:
    root: Path  # folder holding site.yaml; relative paths below resolve against it
    title: str
    base_url: str  # absolute, always ending in "/"
    description: str = ""
    language: str = "en"
    author: str = ""
    timezone: str = "UTC"  # for dates stated without a zone
    content_dir: Path = Path("content/articles")
    raw_dir: Path = Path("content/raw")
    output_dir: Path = Path("site")
    theme_dir: Path = Path("themes/default")  # resolved: see theme_folder()
    feeds: FeedConfig = FeedConfig()
    related_top_k: int = 5
    related_weights: RelatedWeights = RelatedWeights()
    # Sites of at least text_model_from articles (0: none) keep their fitted word statistics in
    # this file, relative to the site's folder (see text_model.py).
    text_model_file: Path = Path("text-model.npz")
    text_model_from: int = 2000
    tag_min_mentions: int = 2  # body mentions needed to infer a tag (a title mention suffices)
    tag_max_inferred: int = 6
    corpus_topics: bool = True  # an article nothing else tags gets its corpus topic
    stories: StorySettings = StorySettings()
    topics: tuple[Topic, ...] = ()
    profiles_dir: Path = Path("profiles")  # per-source cleaning profiles (YAML)
    duplicate_threshold: float = 0.8  # body resemblance at which two pages are one story
    per_page: int = 10  # articles per front and tag page; 0 puts them all on one page
    search: bool = True  # a client-side search page and its index
    daily_digests: bool = True
    weekly_digests: bool = True
    path: Path = Path("site.yaml")  # the file this configuration came from, for messages

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def input_folders(self) -> tuple[Path, ...]:
        """The folders a build reads, which its output must not overlap."""
        return (self.content_dir, self.raw_dir, self.theme_dir, self.root / "templates", self.root / "static")

    @property
    def kept_files(self) -> tuple[tuple[Path, str], ...]:
        """The files a build keeps for the next one outside its cache, which its output must
        not hold, each with the setting that names it."""
        return ((self.text_model_file, "related.model"),)


# key -> (expected type(s), description used in messages)
_TOP_LEVEL: dict[str, tuple[type | tuple[type, ...], str]] = {
    "title": (str, "text"),
    "base_url": (str, "an absolute http(s) URL"),
    "description": (str, "text"),
    "language": (str, "a language code such as en"),
    "author": (str, "text"),
    "timezone": (str, "an IANA zone such as Europe/Moscow"),
    "content_dir": (str, "a folder path"),
    "raw_dir": (str, "a folder path"),
    "output_dir": (str, "a folder path"),
    "theme": (str, "a folder path"),
    "feeds": (dict, "a mapping"),
    "related": (dict, "a mapping"),
    "stories": (dict, "a mapping"),
    "tags": (dict, "a mapping"),
    "topics": (dict, "a mapping of tag name to a list of aliases"),
    "ingest": (dict, "a mapping"),
    "pagination": (dict, "a mapping"),
    "digests": (dict, "a mapping"),
    "search": (bool, "true or false"),
}
MAX_CONFIG_BYTES = 1024 * 1024  # site.yaml is a page of settings, never this large
_FOLDER_KEYS = ("content_dir", "raw_dir", "output_dir", "theme")
# Counts in settings (items per page, related links, feed items) far past any site's size: a
# larger one is a typo, and overflows the arrays that use it.
MAX_SETTING_INT = 1_000_000_000
_TYPE_NAMES = {int: "int", bool: "bool", str: "text", float: "a number", list: "a list", dict: "a mapping"}
_SECTIONS: dict[str, dict[str, type]] = {
    "feeds": {"items": int, "full_content": bool, "formats": list, "per_feed": dict},
    "pagination": {"per_page": int},
    "digests": {"daily": bool, "weekly": bool},
    "related": {"top_k": int, "tags_weight": float, "text_weight": float, "recency_weight": float,
                "window_days": float, "model": str, "model_from": int},
    "stories": {"window_days": float, "min_similarity": float, "max_days": float},
    "tags": {"min_mentions": int, "max_inferred": int, "corpus_topics": bool},
    "ingest": {"profiles": str, "duplicate_threshold": float},
}


def default_config(root: Path) -> SiteConfig:
    """The configuration of a folder with no site.yaml: every default, rooted at ``root``."""
    return _build(root / "site.yaml", {"title": "digest", "base_url": "https://example.org/"}, LoadedYaml(None, {}))


def load_config(path: Path, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read and validate ``site.yaml``; raise DigestError listing every problem found."""
    try:
        text = _read_config(path)
    except FileNotFoundError:
        raise DigestError.at("configuration file not found", path,
                             hint="run digest from the site folder or pass --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError.at(f"cannot read configuration: {exc}", path) from None
    try:
        loaded = load_yaml(text)
    except YamlProblem as exc:
        raise DigestError.at(exc.message, path, exc.line) from None
    data = loaded.data if loaded.data is not None else {}
    if not isinstance(data, dict):
        raise DigestError.at("site.yaml must be a mapping of keys to values", path, 1)
    data = {**data, **(overrides or {})}
    return _build(path, data, loaded)


def _read_config(path: Path) -> str:
    # Read at most MAX_CONFIG_BYTES: --config may name a device or a pipe that never ends.
    with path.open("rb") as stream:
        data = stream.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise DigestError.at(f"configuration is larger than {MAX_CONFIG_BYTES // 1024 // 1024} MiB", path,
                             hint="pass --config the site's site.yaml")
    return data.decode("utf-8-sig")


def _build(path: Path, data: dict[str, Any], loaded: LoadedYaml) -> SiteConfig:
    problems: list[Problem] = []

    def problem(key: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(message, path, loaded.line_of(key.split(".")[0]), hint))

    for key, value in data.items():
        if key not in _TOP_LEVEL:
            problem(key, f"unknown key {key!r}", "known keys: " + ", ".join(sorted(_TOP_LEVEL)))
            continue
        expected, what = _TOP_LEVEL[key]
        if not isinstance(value, expected):
            problem(key, f"{key} must be {what}, not {type(value).__name__}")
        elif key in _FOLDER_KEYS and not value.strip():  # "" would name the site's own folder
            problem(key, f"{key} must be {what}, not empty")
    for required in ("title", "base_url"):
        if required not in data:
            problems.append(Problem(f"missing required key {required!r}", path, None))

    sections: dict[str, dict[str, Any]] = {}
    for section, fields in _SECTIONS.items():
        values = data.get(section) if isinstance(data.get(section), dict) else {}
        accepted: dict[str, Any] = {}
        for key, value in values.items():
            expected = fields.get(key)
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)  # "1" means 1.0
            if expected is None:
                problem(section, f"unknown key {section}.{key}", "known: " + ", ".join(fields))
            elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                problem(section, f"{section}.{key} must be {_TYPE_NAMES[expected]}")
            elif expected is int and value < 0:
                problem(section, f"{section}.{key} must not be negative")
            elif expected is int and value > MAX_SETTING_INT:
                problem(section, f"{section}.{key} must be at most {MAX_SETTING_INT:,}, not {value:,}")
            elif expected is float and not math.isfinite(value):  # .nan compares false with every bound
                problem(section, f"{section}.{key} must be a finite number, not {value}")
            else:
                accepted[key] = value
        sections[section] = accepted

    base_url = data.get("base_url", "")
    if isinstance(base_url, str) and base_url:
        if not valid_base_url(base_url):
            problem("base_url", f"base_url {base_url!r} is not an absolute http(s) URL without query or fragment",
                    "for example https://news.example.org/")
        else:
            base_url = as_uri(base_url)
        base_url = base_url if base_url.endswith("/") else base_url + "/"

    language = data.get("language", "en")
    if isinstance(language, str) and not _LANGUAGE.match(language):
        problem("language", f"language {language!r} is not a language tag", "for example en or en-GB")

    timezone = data.get("timezone", "UTC")
    if isinstance(timezone, str):
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problem("timezone", f"unknown timezone {timezone!r}", "use an IANA name such as UTC")

    for key in _RELATED_WEIGHT_KEYS:
        value = sections["related"].get(key)
        if value is not None and (value < 0 or (key == "window_days" and value == 0)):
            problem("related", f"related.{key} must be {'above' if key == 'window_days' else 'at least'} 0, not {value}")

    for key in ("window_days", "max_days"):
        value = sections["stories"].get(key)
        if value is not None and value < 0:
            problem("stories", f"stories.{key} must be at least 0, not {value}")
    story_similarity = sections["stories"].get("min_similarity")
    if story_similarity is not None and not 0.0 < story_similarity <= 1.0:
        problem("stories", f"stories.min_similarity must be above 0 and at most 1, not {story_similarity}")

    threshold = sections["ingest"].get("duplicate_threshold", 0.8)
    if isinstance(threshold, float) and not 0.0 < threshold <= 1.0:
        problem("ingest", f"ingest.duplicate_threshold must be above 0 and at most 1, not {threshold}")

    topics = _topics(data.get("topics"), problem)
    feeds = _feeds(sections["feeds"], problem)
    if problems:
        raise DigestError(*problems)

    root = path.parent.resolve()
    related, tags, ingest = sections["related"], sections["tags"], sections["ingest"]
    return SiteConfig(
        root=root,
        title=_text(data["title"]),
        base_url=base_url,
        description=_text(data.get("description", "")),
        language=language,
        author=_text(data.get("author", "")),
        timezone=timezone,
        # Resolved, so "site/x/.." is the folder it names, checked and replaced as such.
        content_dir=(root / data.get("content_dir", "content/articles")).resolve(),
        raw_dir=(root / data.get("raw_dir", "content/raw")).resolve(),
        output_dir=(root / data.get("output_dir", "site")).resolve(),
        theme_dir=theme_folder(root, data.get("theme", DEFAULT_THEME)),
        feeds=feeds,
        related_top_k=related.get("top_k", 5),
        related_weights=RelatedWeights(**{field: related[key] for key, field in _RELATED_WEIGHT_KEYS.items()
                                          if key in related}),
        text_model_file=(root / related.get("model", "text-model.npz")).resolve(),
        text_model_from=related.get("model_from", 2000),
        tag_min_mentions=tags.get("min_mentions", 2),
        tag_max_inferred=tags.get("max_inferred", 6),
        corpus_topics=tags.get("corpus_topics", True),
        stories=StorySettings(**sections["stories"]),
        topics=topics,
        profiles_dir=(root / ingest.get("profiles", "profiles")).resolve(),
        duplicate_threshold=threshold,
        per_page=sections["pagination"].get("per_page", 10),
        search=data.get("search", True),
        daily_digests=sections["digests"].get("daily", True),
        weekly_digests=sections["digests"].get("weekly", True),
        path=path,
    )


def as_uri(url: str) -> str:
    """An IRI as the ASCII URI feeds and sitemaps require: the host in IDNA (punycode), the
    path's other characters percent-encoded as UTF-8 (``/ñews/`` -> ``/%C3%B1ews/``)."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:  # a label IDNA refuses (too long, forbidden characters): as typed, encoded
        host = quote(host, safe="")
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    if parts.username is not None or parts.password is not None:
        netloc = parts.netloc.rpartition("@")[0] + "@" + netloc
    return urlunsplit((parts.scheme, quote(netloc, safe=":@[]%"), quote(parts.path, safe="/%:@!$&'()*+,;=-._~"),
                       "", ""))


def valid_base_url(text: str) -> bool:
    """An absolute http(s) URL with a host, no query or fragment, and nothing to escape."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 -- raises ValueError for a port out of range or not a number
        return (parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query
                and not parts.fragment and not re.search(r"[\s\"'<>\\^`{|}\[\]]|%(?![0-9A-Fa-f]{2})", text))
    except ValueError:  # e.g. an unclosed IPv6 bracket, port 99999
        return False


DEFAULT_THEME = "default"  # the theme digest ships with


def theme_folder(root: Path, theme: str) -> Path:
    """The folder of ``theme``: a folder path relative to the site, or ``default``, which is the
    site's own ``themes/default/`` when it has one (a copy to customise), else the theme digest
    ships with, so a site made by ``digest init`` needs no copy of it."""
    folder = (root / theme).resolve()
    if theme != DEFAULT_THEME or folder.is_dir():
        return folder
    local = root / "themes" / DEFAULT_THEME
    return local.resolve() if local.is_dir() else builtin_theme()


def builtin_theme() -> Path:
    """The default theme: package data in an installed digest, ``themes/default`` in a checkout."""
    packaged = Path(__file__).parent / "default_theme"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "themes" / DEFAULT_THEME


def _text(value: str) -> str:
    """Config text appears in every page and feed: no forbidden characters, single spaces."""
    return " ".join(clean_text(value).split())


def _feeds(values: dict[str, Any], problem: Any) -> FeedConfig:
    """The feeds section: defaults, formats, and per-feed overrides of items and full_content."""
    items, full = values.get("items", 20), values.get("full_content", True)
    formats = values.get("formats", list(FEED_FORMATS))
    if (not formats or not all(isinstance(f, str) and f in FEED_FORMATS for f in formats)
            or len(set(formats)) < len(formats)):
        problem("feeds", f"feeds.formats must list some of {', '.join(FEED_FORMATS)}, each once, not {formats!r}")
        formats = list(FEED_FORMATS)
    per_feed = []
    for name, overrides in (values.get("per_feed") or {}).items():
        if not isinstance(name, str) or not name.strip() or not isinstance(overrides, dict):
            problem("feeds", f"feeds.per_feed.{name} must map a topic name (or {SITE_FEED}) to items "
                             "and/or full_content", "per_feed: {Crocus: {items: 50}}")
            continue
        unknown = sorted(set(overrides) - {"items", "full_content"})
        bad_items = "items" in overrides and (not isinstance(overrides["items"], int)
                                             or isinstance(overrides["items"], bool) or overrides["items"] < 0)
        bad_full = "full_content" in overrides and not isinstance(overrides["full_content"], bool)
        if unknown or bad_items or bad_full:
            problem("feeds", f"feeds.per_feed.{name}: items must be a non-negative int and full_content "
                             f"true or false" + (f"; unknown keys {', '.join(map(str, unknown))}" if unknown else ""))
            continue
        per_feed.append((name.strip(), FeedSettings(overrides.get("items", items),
                                                    overrides.get("full_content", full))))
    return FeedConfig(items, full, tuple(formats), tuple(per_feed))


def _topics(raw: Any, problem: Any) -> tuple[Topic, ...]:
    if not isinstance(raw, dict):
        return ()
    topics = []
    for name, aliases in raw.items():
        if aliases is None:
            aliases = []
        if not isinstance(name, str) or not name.strip():
            problem("topics", f"topic name {name!r} must be non-empty text")
            continue
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            problem("topics", f"aliases of topic {name!r} must be a list of non-empty texts")
            continue
        topics.append(Topic(name.strip(), tuple(a.strip() for a in aliases)))
    # Each spelling must mean one topic: else the first to claim it silently wins (a topic that
    # is another's alias never gets a page).
    owner: dict[str, str] = {normalize_key(t.name): t.name for t in reversed(topics)}
    for topic in topics:
        if owner[normalize_key(topic.name)] != topic.name:
            problem("topics", f"topics {owner[normalize_key(topic.name)]!r} and {topic.name!r} are one name")
    for topic in topics:
        for alias in topic.aliases:
            other = owner.setdefault(normalize_key(alias), topic.name)
            if other != topic.name:
                problem("topics", f"{alias!r} is an alias of topic {topic.name!r} and "
                                  f"{'a topic itself' if normalize_key(other) == normalize_key(alias) else 'of ' + repr(other)}",
                        "give each name or alias to one topic")
    return tuple(topics)
