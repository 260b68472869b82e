"""The spare: the site a build retired, kept in the build cache to be updated in place into the
next build's site (``write.publish``), and what a build may take of it without looking again.

Whether it still holds just what its records give is checked once (a ``stat`` of each file and
folder), in the background while the build loads its articles. When it does, neither its files
are checked again one by one nor its folders listed, and the folders the build leaves alone
keep the times the check found.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .fingerprint import BuildRecord, held_folder_times
from .model import FileRecord
from .background import in_child_process


@dataclass(frozen=True)
class Spare:
    """Where the replaced site is kept, to be updated in place into the next build's site
    (``records``: what was written to it; None when unknown: its folders are reused, its files
    all replaced). ``published`` is the record of the build that published it, which spares
    listing it when it still holds just what that build wrote."""

    folder: Path
    records: Mapping[str, FileRecord] | None
    published: BuildRecord | None = None
    # Its folders' times if it holds as ``published`` and ``records`` give it, else None, once
    # checked (``checked_meanwhile``).
    held: Callable[[], Mapping[str, int] | None] | None = None

    def checked(self) -> Mapping[str, int] | None:
        """Its folders' times if it holds as ``published`` and ``records`` give it, else None:
        from the check ``checked_meanwhile`` began, or checked now."""
        if self.published is None or self.records is None:
            return None
        if self.held is not None:
            try:
                return self.held()
            except ChildProcessError:  # the process checking it was killed: checked here instead
                pass
        return held_folder_times(self.folder, self.published, self.records)


def checked_meanwhile(spare: Spare) -> Spare:
    """``spare``, its check against its records (a ``stat`` of each file and folder, 30,000 at
    10,000 articles, that ``publish`` needs before it writes) begun in a process of its own
    (``in_child_process``): the build loads and relates its articles meanwhile, and nothing
    touches the spare before ``publish``. (Something else changing it meanwhile is taken as before: its files are
    still checked one by one against their records as they are kept, unless this check held.)"""
    if spare.published is None or spare.records is None:
        return spare
    return dataclasses.replace(spare, held=in_child_process(spare.checked))


def untouched_folders(listed: BuildRecord | None, kept: Mapping[str, FileRecord],
                      kept_folders: Mapping[str, int] | None, records: Mapping[str, FileRecord],
                      folders: Sequence[str]) -> Mapping[str, int]:
    """Of the spare's folders, as ``listed`` with its files ``kept`` and as checked
    (``Spare.checked``: ``kept_folders``, None when it did not hold), updated in place into the
    site of ``records`` and ``folders``: the times of those the update left alone, neither an
    entry added, removed nor replaced in them (a file whose size or time is not its record's
    may have been). Their ``stat`` at the end was 6% of a one-edit rebuild at 10,000 articles.
    A folder taken as unchanged that was changed only makes the next build that reuses this
    site check it file by file: its time now is not the one recorded."""
    if listed is None or kept_folders is None:
        return {}
    touched = {name.rpartition("/")[0] for name, now in records.items()
               if (before := kept.get(name)) is None or (before.size, before.mtime_ns) != (now.size, now.mtime_ns)}
    touched.update(name.rpartition("/")[0] for name in listed.files if name not in records)
    new_folders, old_folders = set(folders), set(listed.folders)
    touched.update(name.rpartition("/")[0] for name in old_folders.symmetric_difference(new_folders) if name)
    return {name: mtime_ns for name, mtime_ns in kept_folders.items() if name not in touched}
