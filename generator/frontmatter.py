"""Split a Markdown file into YAML front matter and body; write one back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DigestError
from .yamlio import LoadedYaml, YamlProblem, dump_yaml, load_yaml

MAX_FRONT_MATTER_BYTES = 64 * 1024
_FENCE = "---"


@dataclass(frozen=True)
class FrontMatter:
    meta: LoadedYaml  # key lines are file lines (the opening fence is line 1)
    body: str
    body_line: int  # file line on which the body starts
    body_start: int  # the body's first character in the text, newlines normalized

    def line_of(self, key: str) -> int:
        return self.meta.line_of(key, 1) or 1


def normalize_newlines(text: str) -> str:
    """CRLF and CR become LF and a leading BOM goes, so such files build like clean ones."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: Path) -> FrontMatter:
    """Parse ``---\\n<yaml>\\n---\\n<body>``; errors name the file and line."""
    text = normalize_newlines(text)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise DigestError.at("missing front matter", path, 1,
                             'the file must start with a line "---", then YAML keys, then "---"')
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (_FENCE, "...")), None)
    if close is None:
        raise DigestError.at("front matter opened on line 1 is never closed", path, 1,
                             'add a line "---" after the last key')
    yaml_text = "\n".join(lines[1:close])
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise DigestError.at(f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB",
                             path, 1, "move long text into the body")
    try:
        loaded = load_yaml(yaml_text, line_offset=1, numbers=False)  # no field is a number
    except YamlProblem as exc:
        raise DigestError.at(f"bad front matter YAML: {exc.message}", path, exc.line or 1) from None
    if loaded.data is None:
        loaded = LoadedYaml({}, {})
    if not isinstance(loaded.data, dict):
        raise DigestError.at("front matter must be a mapping of keys to values", path, 2,
                             "for example: title: My article")
    body = "\n".join(lines[close + 1:])
    return FrontMatter(loaded, body, close + 2, len(text) - len(body))


def dump_front_matter(meta: dict[str, Any], body: str) -> str:
    """A Markdown file: front matter in the given key order (None values left out), then body."""
    kept = {key: value for key, value in meta.items() if value not in (None, "", [], ())}
    return f"{_FENCE}\n{dump_yaml(kept)}{_FENCE}\n\n{body.strip()}\n"
