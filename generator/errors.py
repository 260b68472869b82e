"""Errors that reach the user: each names a file, a line where one is known, and a hint."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    path = Path(path)
    if path.is_absolute():
        try:
            return _printable(str(path.relative_to(Path.cwd())))
        except ValueError:
            pass
    return _printable(str(path))


def _printable(name: str) -> str:
    """A file name's bytes that are no UTF-8 (held as lone surrogates) as ``\\xe9``, as ``ls -b``
    shows them, not as Python's ``\\udce9``."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name has
        return name


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, printable as ``file:line: message (hint)``."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    hint: str | None = None
    # The front-matter keys the problem is about, where it has no line yet: whoever knows the
    # file's lines (digest check) can point at the first of them the file states.
    keys: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            shown = display_path(self.path)
            where = f"{shown}:{self.line}: " if self.line else f"{shown}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{hint}"


class DigestError(Exception):
    """A failure caused by input or configuration, reported without a traceback."""

    def __init__(self, *problems: Problem) -> None:
        if not problems:
            raise ValueError("DigestError needs at least one problem")
        self.problems: tuple[Problem, ...] = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self):  # rebuilt from its problems when it comes back from a worker process
        return (type(self), self.problems)

    def in_file(self, path: Path | str) -> "DigestError":
        """The same problems, naming ``path`` where they name no file (a stage that reads
        text does not know which file it came from; its caller does)."""
        return type(self)(*(dataclasses.replace(p, path=p.path or path) for p in self.problems))

    @classmethod
    def at(cls, message: str, path: Path | str | None = None, line: int | None = None,
           hint: str | None = None) -> "DigestError":
        return cls(Problem(message, path, line, hint))


class InputChanged(DigestError):
    """An input changed while the build was reading it: the build fails (its parts would not
    agree), and building again takes the change (``digest serve`` does so by itself)."""
