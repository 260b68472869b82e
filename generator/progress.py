"""How a long build tells its caller how far it has got, without knowing who is watching."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def stage(self, name: str, total: int | None) -> None:
        """A step of ``total`` units begins (None: a step that cannot be counted)."""

    def advance(self, count: int) -> None:
        """``count`` more units of the current step are done."""


class NoProgress:
    """Reports to no one: the default, and for tests and commands without a terminal."""

    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


NO_PROGRESS = NoProgress()
