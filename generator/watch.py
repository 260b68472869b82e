"""What ``digest serve`` watches: changes to a site's inputs, coalesced into one build per burst.

watchdog reports every file event; only those under the articles, the theme, the site's own
``templates/`` and ``static/`` or at ``site.yaml`` count, and never what a build writes
(the output and cache folders) or an editor's scratch files.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

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
    # "attrib" is a touch: the build's fingerprint counts modification times.
    _CHANGES = frozenset({"created", "modified", "deleted", "moved", "attrib"})

    def __init__(self, plan: WatchPlan, changes: Changes) -> None:
        self.plan, self.changes = plan, changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in self._CHANGES or (event.is_directory and event.event_type in ("modified", "attrib")):
            return  # a folder's "modified" echoes a change to a file in it, reported on its own
        plan = self.plan  # one plan for the whole event: serve may replace it meanwhile
        paths = (event.src_path, getattr(event, "dest_path", "") or "")
        if any(path and matters(plan, path) for path in paths):
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
        self._watched: dict[Path, tuple[ObservedWatch, tuple[int, int]]] = {}  # folder -> watch, identity

    def start(self) -> None:
        inotify_log = logging.getLogger("watchdog.observers.inotify")
        if _not_stop_noise not in inotify_log.filters:
            inotify_log.addFilter(_not_stop_noise)
        self._watch(self.plan.config_file.parent, recursive=False)
        self.watch_new_folders()
        self._observer.start()

    def follow(self, plan: WatchPlan) -> None:
        """Take the folders of ``plan`` (site.yaml named another theme or content folder) as the
        inputs from now on; the next ``watch_new_folders`` watches them."""
        self.plan = self._handler.plan = plan

    def watch_new_folders(self) -> bool:
        """Watch input folders made since the start (a site's first templates/ override), or
        deleted and made again (a git checkout, rm -rf and a new ingest): the watch of a deleted
        folder ends with it. Whether one was found, which is a change to build: what was written
        into it before it was watched was seen by no one."""
        found = False
        running = {emitter.watch for emitter in self._observer.emitters if emitter.is_alive()}
        for folder in self.plan.folders:
            identity = _identity(folder)
            if identity is None or self._covered(folder, running):
                continue
            stale = self._watched.pop(folder, None)
            if stale is not None:
                with contextlib.suppress(KeyError, OSError):
                    self._observer.unschedule(stale[0])
            found = self._watch(folder, recursive=True, identity=identity) or found
        return found

    def _covered(self, folder: Path, running: set[ObservedWatch]) -> bool:
        """Whether a live watch covers ``folder``: its own, or a watched folder's that holds it.
        Live: its folder is the one watched (the inode of a folder made again may be the old
        one's, reused) and its emitter runs (watchdog ends it when the folder is deleted)."""
        return any((w == folder or w in folder.parents) and watch in running and _identity(w) == identity
                   for w, (watch, identity) in self._watched.items())

    def _watch(self, folder: Path, recursive: bool, identity: tuple[int, int] | None = None) -> bool:
        try:
            watch = self._observer.schedule(self._handler, str(folder), recursive=recursive)
        except OSError:
            return False  # gone meanwhile, or out of inotify watches: a later look tries again
        if recursive and identity is not None:
            self._watched[folder] = (watch, identity)
        return True

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join()


def _identity(folder: Path) -> tuple[int, int] | None:
    """The folder's device and inode (a folder made again is another), or None if there is none."""
    try:
        found = folder.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat.S_ISDIR(found.st_mode) else None
