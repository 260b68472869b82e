"""The build's progress bar on a terminal (rich): rate, elapsed time and time left."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, Task,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

MIN_ARTICLES = 300  # smaller builds finish before a bar would tell anything
MIN_PAGES = 20  # cleaning a scraped page takes far longer than building an article


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="progress.data.speed")


class _Counted(ProgressColumn):
    """A column shown only for a step that can be counted (the bar, done of total, time left)."""

    def __init__(self, column: ProgressColumn, label: str = "") -> None:
        super().__init__()
        self._column, self._label = column, label

    def render(self, task: Task):
        if task.total is None:
            return Text("")
        shown = self._column.render(task)
        return Text.assemble(self._label, shown) if self._label else shown


class ProgressBar:
    """Shows one bar per build step, replaced by the next step's and gone when the build
    ends, so only the summary line stays. Stays silent for work under ``min_total`` units."""

    def __init__(self, console: Console | None = None, min_total: int = MIN_ARTICLES) -> None:
        self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), _Counted(BarColumn()),
                             _Counted(MofNCompleteColumn()), _Rate(), TextColumn("elapsed"), TimeElapsedColumn(),
                             _Counted(TimeRemainingColumn(), "left "), console=console or Console(stderr=True),
                             transient=True)
        self._task: int | None = None
        self._silent: bool | None = None  # decided by the first counted step (the articles)
        self._min_total = min_total

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._bar.stop()

    def stage(self, name: str, total: int | None) -> None:
        if self._silent is None and total is not None:
            self._silent = total < self._min_total
            if not self._silent:
                self._bar.start()
        if self._silent is not False:
            return
        if self._task is not None:
            self._bar.remove_task(self._task)
        self._task = self._bar.add_task(name, total=total)

    def advance(self, count: int) -> None:
        if self._silent is False and self._task is not None:
            self._bar.advance(self._task, count)
