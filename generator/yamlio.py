"""Safe YAML loading with line numbers, duplicate-key and alias checks.

Only ever safe-loads. Booleans follow YAML 1.2 (``true``/``false`` only), so
``tags: [no, on]`` stays two strings instead of becoming ``[False, True]``. Where no value
is a number (front matter), plain scalars are never read as numbers either: YAML 1.1 reads
``12:30`` as 750, ``010`` as 8 and ``1.10`` as 1.1, so such text is kept as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL_TAG = "tag:yaml.org,2002:bool"


class _Loader(_SafeBase):  # type: ignore[misc,valid-type]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
    for first, resolvers in _SafeBase.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _TextLoader(_Loader):
    """Plain scalars that look like numbers stay text (an explicit ``!!int`` is still a number)."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT_TAG, _FLOAT_TAG)]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


MAX_DEPTH = 32  # front matter and site.yaml need a handful of levels


class YamlProblem(Exception):
    """A YAML document that cannot be used; ``line`` is 1-based within the text."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class LoadedYaml:
    data: Any
    key_lines: dict[str, int]  # top-level mapping key -> 1-based line

    def line_of(self, key: str, default: int | None = None) -> int | None:
        return self.key_lines.get(key, default)


def _check_nodes(root: yaml.Node, offset: int) -> None:
    """Reject aliases (no use in front matter, and the door to alias bombs) and duplicate keys."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise YamlProblem("YAML aliases (*name) are not allowed", node.start_mark.line + 1 + offset)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_TAG:  # ``<<: {title: x}`` would hide a second title
                    raise YamlProblem("YAML merge keys (<<) are not allowed", key_node.start_mark.line + 1 + offset)
                if isinstance(key_node, yaml.ScalarNode):
                    line = key_node.start_mark.line + 1 + offset
                    if key_node.value in keys:
                        raise YamlProblem(
                            f"duplicate key {key_node.value!r} (first on line {keys[key_node.value]})", line)
                    keys[key_node.value] = line
                stack.extend((key_node, value_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


# Every collection of a YAML text starts at a character of its own among these: a sequence at
# "-" or "[", a mapping at "{" or at the ":" or "?" of its first key (no two collections share one).
_COLLECTION_STARTS = "-?:[{"


def _check_depth(text: str, offset: int) -> None:
    """Refuse deep nesting before composing: the composer recurses and can exhaust the stack.

    A text holding no more than ``MAX_DEPTH`` of the characters collections start at cannot
    nest deeper, and is not parsed twice for it (front matter holds a dozen or two)."""
    if sum(map(text.count, _COLLECTION_STARTS)) <= MAX_DEPTH:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):  # event parsing is iterative
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(f"YAML nested more than {MAX_DEPTH} levels deep",
                                      event.start_mark.line + 1 + offset)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # PyYAML 6.0.4's scanner has a nesting limit of its own, met first when it reads a flow
        # collection's brackets ahead of the parser: the same fault, said in the same words.
        mark = exc.problem_mark or exc.context_mark
        if "nesting depth" not in str(exc.problem) or mark is None:
            raise
        raise YamlProblem(f"YAML nested more than {MAX_DEPTH} levels deep", mark.line + 1 + offset) from None


def load_yaml(text: str, line_offset: int = 0, *, numbers: bool = True) -> LoadedYaml:
    """Safe-load one YAML document; raise YamlProblem with a 1-based line on any failure.

    ``line_offset`` is the number of lines before the text in its file, so every line
    reported (errors and ``key_lines``) is a line of the file. With ``numbers`` False, plain
    scalars that look like numbers are the text written (``12:30`` stays "12:30").
    """
    loader = (_Loader if numbers else _TextLoader)(text)
    try:
        try:
            _check_depth(text, line_offset)
            node = loader.get_single_node()
            if node is None:
                return LoadedYaml(None, {})
            _check_nodes(node, line_offset)
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = _mistake_mark(exc)
            message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
            line = mark.line + 1 + line_offset if mark else None
            hint = " (only plain YAML is allowed)" if "constructor for the tag" in message else ""
            raise YamlProblem((message or "invalid YAML") + hint, line) from None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a raw NUL
            raise _bad_character(text, exc, line_offset) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"invalid YAML: {exc}", None) from None
        except _UNREADABLE as exc:  # an impossible date such as 2024-02-30, a 5000-digit !!int, "!!bool x"
            line, what = _bad_scalar(node)
            says_why = isinstance(exc, (ValueError, OverflowError))  # the others are PyYAML's own slips
            reason = _plain_reason(str(exc)) if says_why else ""
            raise YamlProblem(f"{what or 'invalid value'}{': ' + reason if reason else ''}",
                              line + line_offset if line else None) from None
        key_lines = {}
        if isinstance(node, yaml.MappingNode):
            key_lines = {k.value: k.start_mark.line + 1 + line_offset for k, _ in node.value
                         if isinstance(k, yaml.ScalarNode)}
        return LoadedYaml(data, key_lines)
    finally:
        loader.dispose()


def _plain_reason(reason: str) -> str:
    """Python's reason a scalar cannot be read, in the words of the front matter it is about."""
    if reason.startswith("offset must be a timedelta"):  # "+25:00": Python names its own types
        return "the time zone offset must be less than 24 hours"
    return reason.split("; use sys.set_int_max_str_digits")[0]


# What PyYAML's constructors raise on a scalar they cannot read: ValueError or OverflowError for
# "2024-02-30" or a 5000-digit int, AttributeError for "!!timestamp x", KeyError for "!!bool x",
# IndexError for '!!int ""'.
_UNREADABLE = (ValueError, ArithmeticError, LookupError, AttributeError)
_CONSTRUCTORS = {"tag:yaml.org,2002:timestamp": ("date", _Loader.construct_yaml_timestamp),
                 _INT_TAG: ("number", _Loader.construct_yaml_int),
                 _FLOAT_TAG: ("number", _Loader.construct_yaml_float),
                 _BOOL_TAG: ("boolean", _Loader.construct_yaml_bool)}


def _bad_scalar(node: yaml.Node | None) -> tuple[int | None, str | None]:
    """The 1-based line of the first date or number that cannot be constructed, and what it is:
    ``invalid date '2024-02-30'``, ``invalid number '99999...' (5000 characters)``."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode) and current.tag in _CONSTRUCTORS:
            kind, construct = _CONSTRUCTORS[current.tag]
            try:
                construct(_Loader(""), current)
            except _UNREADABLE:
                value = current.value
                shown = f"{value!r}" if len(value) <= 40 else f"{value[:20] + '...'!r} ({len(value)} characters)"
                return current.start_mark.line + 1, f"invalid {kind} {shown}"
        elif isinstance(current, yaml.MappingNode):
            stack.extend(v for pair in current.value for v in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None, None


def _bad_character(text: str, exc: yaml.reader.ReaderError, offset: int) -> YamlProblem:
    """``unacceptable character #x0000: ...`` on the line that holds it (the C reader counts
    bytes and the Python one characters, so the line is found from the character itself)."""
    character = chr(exc.character) if isinstance(exc.character, int) else None
    if character is None or character not in text:
        return YamlProblem(f"invalid YAML: {exc.reason}", None)
    kind = "control" if unicodedata.category(character) == "Cc" else "special"
    return YamlProblem(f"unacceptable character #x{ord(character):04x}: {kind} characters are not allowed",
                       text.count("\n", 0, text.index(character)) + 1 + offset)


def dump_yaml(data: dict[str, Any]) -> str:
    """Dump a mapping in the given key order, block style, Unicode kept, never line-wrapped."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=1_000_000)


# Constructs whose error is found where the parser gave up, often lines later (an unclosed
# "[" at the end of the front matter): their start is where the mistake is.
_OPENED_CONSTRUCTS = ("flow sequence", "flow mapping", "quoted scalar", "simple key")


def _mistake_mark(exc: yaml.MarkedYAMLError) -> Any:
    if exc.context_mark is not None and any(kind in (exc.context or "") for kind in _OPENED_CONSTRUCTS):
        return exc.context_mark
    return exc.problem_mark or exc.context_mark
