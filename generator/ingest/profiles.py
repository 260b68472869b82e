"""Per-source profiles: what only a rule can catch on one site, kept as YAML data.

One file per source in the profiles folder (``profiles/*.yaml``)::

    name: Harbor Valley Gazette
    match:                      # any one of these selects the profile
      hosts: [harborvalley.example]    # the page URL's host or a subdomain of it
      publishers: [Harbor Valley Gazette]   # the publisher the cleaner found on the page
      files: ["hvg-*"]                 # raw file names (shell patterns)
    source: Harbor Valley Gazette      # publisher written to the front matter
    drop:                       # a block matching any pattern is not article text
      - '^Gazette Plus members read free'

Patterns are Python regular expressions searched case-insensitively in each block. The
first profile (in file-name order) that matches a page applies to it.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DigestError, Problem
from ..text import clean_text
from ..yamlio import YamlProblem, load_yaml
from .hosts import bare_host

PROFILE_SUFFIXES = (".yaml", ".yml")
_KEYS = {"name", "match", "source", "drop"}
_MATCH_KEYS = {"hosts", "publishers", "files"}


@dataclass(frozen=True)
class Profile:
    name: str
    path: Path
    hosts: tuple[str, ...]  # lowercase, without "www."
    publishers: tuple[str, ...]  # casefolded
    files: tuple[str, ...]  # shell patterns on raw file names, lowercase
    source: str | None
    drop: tuple[re.Pattern[str], ...]

    def matches(self, host: str | None, publisher: str | None, file_name: str) -> bool:
        if host:
            host = bare_host(host)
            if any(host == h or host.endswith("." + h) for h in self.hosts):
                return True
        if publisher and publisher.casefold() in self.publishers:
            return True
        file_name = file_name.lower()
        return any(fnmatch.fnmatchcase(file_name, pattern) for pattern in self.files)

    def drop_reason(self, text: str) -> str | None:
        for pattern in self.drop:
            if pattern.search(text):
                return f"profile {self.path.name}: matches {pattern.pattern!r}"
        return None


def load_profiles(folder: Path) -> tuple[Profile, ...]:
    """Every profile in ``folder`` (none when it does not exist); all problems at once."""
    if not folder.is_dir():
        return ()
    profiles, problems = [], []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in PROFILE_SUFFIXES and p.is_file()):
        try:
            profiles.append(_load_profile(path))
        except DigestError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DigestError(*problems)
    return tuple(profiles)


def find_profile(profiles: tuple[Profile, ...], host: str | None, publisher: str | None,
                 file_name: str) -> Profile | None:
    return next((p for p in profiles if p.matches(host, publisher, file_name)), None)


def _load_profile(path: Path) -> Profile:
    try:
        loaded = load_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError.at(f"cannot read profile: {exc}", path) from None
    except YamlProblem as exc:
        raise DigestError.at(exc.message, path, exc.line) from None
    data = loaded.data
    if not isinstance(data, dict):
        raise DigestError.at("a profile must be a mapping with name, match and drop", path, 1)
    problems: list[Problem] = []

    def problem(key: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(message, path, loaded.line_of(key), hint))

    for key in data:
        if key not in _KEYS:
            problem(str(key), f"unknown key {key!r}", "known keys: " + ", ".join(sorted(_KEYS)))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problem("name", "name must be non-empty text")
    before_match = len(problems)
    match = data.get("match") or {}
    if not isinstance(match, dict):
        problem("match", "match must be a mapping of hosts, publishers and files")
        match = {}
    for key in match:
        if key not in _MATCH_KEYS:
            problem("match", f"unknown key match.{key}", "known: " + ", ".join(sorted(_MATCH_KEYS)))
    lists = {key: _texts(match.get(key), f"match.{key}", problem) for key in _MATCH_KEYS}
    if not any(lists.values()) and len(problems) == before_match:  # not a follow-on of a bad match
        problem("match", "match needs at least one of hosts, publishers or files",
                "otherwise the profile would never apply")
    source = data.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        problem("source", "source must be non-empty text")
    drop = []
    for pattern in _texts(data.get("drop"), "drop", problem):
        try:
            drop.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            problem("drop", f"drop pattern {pattern!r} is not a valid regular expression: {exc}")
    if problems:
        raise DigestError(*problems)
    return Profile(
        name=" ".join(clean_text(name).split()),
        path=path,
        hosts=tuple(bare_host(h) for h in lists["hosts"]),
        publishers=tuple(p.casefold() for p in lists["publishers"]),
        files=tuple(f.lower() for f in lists["files"]),
        source=" ".join(clean_text(source).split()) if source else None,
        drop=tuple(drop),
    )


def _texts(value: Any, key: str, problem: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problem(key.split(".")[0], f"{key} must be a list of non-empty texts")
        return ()
    return tuple(v.strip() for v in value)


