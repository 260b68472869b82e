"""How a long build tells its caller how far it has got, without knowing who is watching."""

from __future__ import annotations

import time
from collections.abc import Callable
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


class StepLog:
    """Reports each step as a line with the time since the build began (``--verbose``)."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        self._started = time.perf_counter()
        self._step: str | None = None
        self._step_started = self._started

    def stage(self, name: str, total: int | None) -> None:
        now = time.perf_counter()
        if self._step is not None:
            self._write(f"  {self._step}: {now - self._step_started:.2f}s")
        self._step, self._step_started = name, now
        self._write(f"[{now - self._started:7.2f}s] {name}" + (f" ({total})" if total is not None else ""))

    def advance(self, count: int) -> None:
        pass

    def close(self) -> None:
        """Reports the time of the last step."""
        if self._step is not None:
            self._write(f"  {self._step}: {time.perf_counter() - self._step_started:.2f}s")
            self._step = None
