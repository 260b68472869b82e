"""What ``digest serve`` watches: changes to a site's inputs, coalesced into one build per burst.

watchdog reports every file event; only those under the articles, the theme, the site's own
``templates/`` and ``static/`` or at ``site.yaml`` count, and never what a build writes
(the output and cache folders) or an editor's scratch files.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .config import SiteConfig
from .fingerprint import CACHE_DIR
from .folders import is_scratch_name


@dataclass(frozen=True)
class WatchPlan:
    """Which changes are a reason to build."""

    folders: tuple[Path, ...]  # everything under these is an input: articles, theme, overrides
    config_file: Path  # site.yaml, watched through its folder (not recursively: site/ is there)
    ignored: tuple[Path, ...]  # what builds write: never a reason to build again


def watch_plan(config: SiteConfig) -> WatchPlan:
    return WatchPlan(
        folders=(config.content_dir, config.theme_dir, config.root / "templates", config.root / "static"),
        config_file=config.root / config.path.name,
        ignored=(config.output_dir, config.root / CACHE_DIR),
    )


def matters(plan: WatchPlan, path: str | bytes) -> bool:
    """Whether a change at ``path`` (absolute, as the watcher reports it) can change the site."""
    changed = Path(os.fsdecode(path))
    if any(changed == folder or folder in changed.parents for folder in plan.ignored):
        return False
    if changed == plan.config_file:
        return True
    for folder in plan.folders:
        if changed == folder:
            return True  # the folder itself made, moved or deleted
        if folder in changed.parents:
            return not any(is_scratch_name(part) for part in changed.relative_to(folder).parts)
    return False


class Changes:
    """Changes seen by the watcher, handed over as one once they stop coming for a moment."""

    def __init__(self) -> None:
        self._arrived = threading.Condition()
        self._last: float | None = None  # when the latest change not yet built arrived

    def note(self) -> None:
        with self._arrived:
            self._last = time.monotonic()
            self._arrived.notify_all()

    def settled(self, quiet: float, timeout: float) -> bool:
        """Wait up to ``timeout`` for a change, then until ``quiet`` seconds pass without another;
        whether there was one (taken: the next call waits for a new one)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: self._last is not None, timeout):
                return False
            while (left := self._last + quiet - time.monotonic()) > 0:
                self._arrived.wait(left)
            self._last = None
            return True


class _ChangeHandler(FileSystemEventHandler):
    # "opened" and "closed_no_write" come from the build reading its inputs: never a change.
    _CHANGES = frozenset({"created", "modified", "deleted", "moved"})

    def __init__(self, plan: WatchPlan, changes: Changes) -> None:
        self.plan, self.changes = plan, changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in self._CHANGES or (event.is_directory and event.event_type == "modified"):
            return  # a folder's "modified" echoes a change to a file in it, reported on its own
        paths = (event.src_path, getattr(event, "dest_path", "") or "")
        if any(path and matters(self.plan, path) for path in paths):
            self.changes.note()


def _not_stop_noise(record: logging.LogRecord) -> bool:
    # watchdog's inotify emitter logs this at ERROR when stopped while a read is returning: harmless.
    return not str(record.msg).startswith("InotifyEmitter.queue_events() called when the thread is inactive")


class Watcher:
    """A watchdog observer over the folders of a WatchPlan that exist, and site.yaml's folder."""

    def __init__(self, plan: WatchPlan, changes: Changes) -> None:
        self.plan = plan
        self._handler = _ChangeHandler(plan, changes)
        self._observer = Observer()
        self._watched: set[Path] = set()

    def start(self) -> None:
        inotify_log = logging.getLogger("watchdog.observers.inotify")
        if _not_stop_noise not in inotify_log.filters:
            inotify_log.addFilter(_not_stop_noise)
        self._watch(self.plan.config_file.parent, recursive=False)
        self.watch_new_folders()
        self._observer.start()

    def watch_new_folders(self) -> None:
        """Watch input folders made since the start (a site's first templates/ override)."""
        for folder in self.plan.folders:
            if folder.is_dir() and not any(w == folder or w in folder.parents for w in self._watched):
                self._watch(folder, recursive=True)

    def _watch(self, folder: Path, recursive: bool) -> None:
        try:
            self._observer.schedule(self._handler, str(folder), recursive=recursive)
        except OSError:
            return  # gone meanwhile, or out of inotify watches: a later build tries again
        if recursive:
            self._watched.add(folder)

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join()


