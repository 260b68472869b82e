"""Topic tags: normalisation, slugs, the site vocabulary and inference from text."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .config import Topic
from .model import Tag
from .text import combining_marks, normalize_key

_WORD = re.compile(r"\w+")
MAX_SLUG_LENGTH = 80  # characters
MAX_SLUG_BYTES = 200  # file systems allow 255 bytes per name; leave room for suffixes


def words(text: str) -> list[str]:
    return _WORD.findall(normalize_key(text))


def word_key(text: str) -> str:
    """What two spellings of one line share: its words, NFKC and case-folded, punctuation aside."""
    return " ".join(words(text))


@functools.cache
def _slug_word() -> re.Pattern[str]:
    """A run of letters and digits of any script with their combining marks. A mark counts only
    after a letter or digit, so a lone variation selector is no slug."""
    return re.compile(rf"\w[\w{combining_marks()}]*")


_ASCII_WORD = re.compile(r"\w+")


def slugify(text: str) -> str:
    """A URL path segment: Unicode letters and digits (with their combining marks) kept, every
    other run of characters one dash.

    Never contains ``/``, ``.``, ``\\`` or NUL, so a slug cannot leave its folder.
    Returns "" when nothing usable is left; callers decide what that means.
    """
    key = normalize_key(text).replace("_", "-")
    slug = "-".join((_ASCII_WORD if key.isascii() else _slug_word()).findall(key))[:MAX_SLUG_LENGTH]
    while len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        slug = slug[:-1]
    return slug.rstrip("-")


@dataclass(frozen=True)
class Vocabulary:
    """The site's topics, looked up by any spelling of their name or aliases."""

    canonical: dict[str, str]  # normalize_key(name or alias) -> canonical name
    phrases: dict[tuple[str, ...], str]  # word tuple of a name or alias -> canonical name
    longest: int

    @classmethod
    def from_topics(cls, topics: tuple[Topic, ...]) -> "Vocabulary":
        canonical: dict[str, str] = {}
        phrases: dict[tuple[str, ...], str] = {}
        for topic in topics:
            for spelling in (topic.name, *topic.aliases):
                canonical.setdefault(normalize_key(spelling), topic.name)
                key = tuple(words(spelling))
                if key:
                    phrases.setdefault(key, topic.name)
        return cls(canonical, phrases, max((len(k) for k in phrases), default=0))

    def canonical_name(self, name: str) -> str:
        """The vocabulary's name for a tag, or the tag itself tidied when it is not known."""
        tidy = " ".join(unicodedata.normalize("NFKC", name).split())
        return self.canonical.get(normalize_key(tidy), tidy)

    def mentions(self, text: str) -> Counter[str]:
        """How often each topic is mentioned; at each word the longest phrase wins."""
        tokens = words(text)
        counts: Counter[str] = Counter()
        i = 0
        while i < len(tokens):
            for size in range(min(self.longest, len(tokens) - i), 0, -1):
                topic = self.phrases.get(tuple(tokens[i:i + size]))
                if topic is not None:
                    counts[topic] += 1
                    i += size
                    break
            else:
                i += 1
        return counts


def infer_tags(title: str, body: str, vocabulary: Vocabulary, *, min_mentions: int,
               limit: int) -> tuple[str, ...]:
    """Topics the text is about: named in the title, or mentioned ``min_mentions`` times.

    A passing mention does not tag an article. Strongest evidence first, then by name.
    """
    in_title = vocabulary.mentions(title)
    in_body = vocabulary.mentions(body)
    chosen = [t for t in set(in_title) | set(in_body)
              if in_title[t] > 0 or in_body[t] >= min_mentions]
    chosen.sort(key=lambda t: (-(in_title[t] * min_mentions + in_body[t]), t))
    return tuple(chosen[:limit])


def make_tags(names: list[str] | tuple[str, ...], vocabulary: Vocabulary) -> tuple[Tag, ...]:
    """Canonical, de-duplicated tags in the given order.

    Two different names with one slug are both kept: the site index reports that collision.
    """
    seen: set[str] = set()
    tags = []
    for name in names:
        canonical = vocabulary.canonical_name(name)
        key = normalize_key(canonical)
        if key and key not in seen:
            seen.add(key)
            tags.append(Tag(slug=tag_slug(canonical), name=canonical))
    return tuple(tags)


def tag_slug(name: str) -> str:
    """A tag's page slug; a name with no letters or digits (an emoji) gets a stable hashed one."""
    return slugify(name) or "tag-" + hashlib.sha256(normalize_key(name).encode("utf-8")).hexdigest()[:10]
