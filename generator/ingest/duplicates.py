"""Near-duplicate articles: the same story ingested twice, or scraped twice.

Two articles are the same story when they name the same source URL, or when their bodies
share most of their word 5-grams (Jaccard resemblance >= the threshold, 0.8 by default:
a re-scrape with a changed teaser or an added correction still matches, a follow-up
story that repeats two background paragraphs does not). Candidates are found through a
bottom-k sketch of each body's shingle hashes, so the work grows with the number of
articles, not with its square; every candidate is then compared exactly.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .hosts import bare_host

SHINGLE_WORDS = 5
SKETCH_SIZE = 32
DEFAULT_THRESHOLD = 0.8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Candidate:
    name: str  # how reports name it: a raw file or an existing article
    body: str
    source_url: str | None = None


@dataclass(frozen=True)
class Duplicate:
    name: str  # the later article, not written
    of: str  # the one kept
    similarity: float  # 1.0 for the same source URL

    @property
    def reason(self) -> str:
        return f"near-duplicate of {self.of} ({self.similarity:.0%} of the text is the same)"


def shingles(text: str) -> frozenset[int]:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return frozenset({_hash(" ".join(words))}) if words else frozenset()
    return frozenset(_hash(" ".join(words[i:i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1))


def resemblance(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def find_duplicates(candidates: Sequence[Candidate], threshold: float = DEFAULT_THRESHOLD) -> dict[str, Duplicate]:
    """Candidates in priority order -> the later copies, by name; the first of each story stays."""
    kept_sets: list[frozenset[int]] = []
    kept_names: list[str] = []
    by_hash: dict[int, list[int]] = defaultdict(list)
    by_url: dict[str, int] = {}
    found: dict[str, Duplicate] = {}
    for candidate in candidates:
        url = _url_key(candidate.source_url)
        if url and url in by_url:
            found[candidate.name] = Duplicate(candidate.name, kept_names[by_url[url]], 1.0)
            continue
        own = shingles(candidate.body)
        sketch = heapq.nsmallest(SKETCH_SIZE, own)
        best, best_score = None, 0.0
        for other in sorted({i for h in sketch for i in by_hash.get(h, ())}):
            score = resemblance(own, kept_sets[other])
            if score > best_score:
                best, best_score = other, score
        if best is not None and best_score >= threshold:
            found[candidate.name] = Duplicate(candidate.name, kept_names[best], best_score)
            continue
        index = len(kept_sets)
        kept_sets.append(own)
        kept_names.append(candidate.name)
        for h in sketch:
            by_hash[h].append(index)
        if url:
            by_url[url] = index
    return found


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _url_key(url: str | None) -> str | None:
    """One story, one key: scheme, "www.", host case, fragment and a final slash aside."""
    if not url:
        return None
    rest = url.split("#", 1)[0].partition("://")[2] or url
    host, slash, path = rest.partition("/")
    return f"{bare_host(host)}{slash}{path}".rstrip("/")
