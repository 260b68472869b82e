"""Reading a content file: its bytes, never blocking on what is no regular file, and its text."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from .errors import DigestError


def read_bytes(path: Path) -> bytes:
    """A file's bytes; an unreadable file, or one that is no regular file, is an error naming it.

    Opened without blocking, so a FIFO that took an article's place is reported, not waited on.
    Read with four system calls (open, stat, read, close): Python's file objects make ten,
    which cost 10-20 us of the 30-40 a small file took here, for each of the three times a
    build reads an article (loading, counting its words, rendering its page).
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            found = os.fstat(handle)
            if not stat.S_ISREG(found.st_mode):
                raise not_a_file(path, found.st_mode)
            return _read_all(handle, found.st_size)
        finally:
            os.close(handle)
    except OSError as exc:
        raise DigestError.at(f"cannot read: {exc.strerror}", path) from None


def _read_all(handle: int, size: int) -> bytes:
    """Everything left to read from ``handle``, a regular file of ``size`` bytes when it was
    stat'ed: one read finds that it still is (a byte more is asked for); when it has grown, or
    the read came up short, it is read on to its end."""
    data = os.read(handle, size + 1)
    if len(data) != size:
        parts = [data]
        while part := os.read(handle, max(size + 1 - len(data), 1 << 16)):  # a file over 2 GiB: in big reads
            parts.append(part)
        data = b"".join(parts)
    return data


# How long after its last change a file's identity says it is unchanged: a write within the same
# tick of the file system's clock (a few ms; a second on some) leaves its times as they were.
SETTLED_NS = 2_000_000_000


class FileIdentity(NamedTuple):
    """What tells a file from any other state of it without reading it, as ``git`` and ``make``
    tell it: size, inode, and modification and change times (the change time no program can
    set back). Believed only once settled: changed ``SETTLED_NS`` before it was taken."""

    size: int
    inode: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, found: os.stat_result) -> FileIdentity:
        return cls(found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns)

    def settled(self, taken_ns: int) -> bool:
        """Whether the file last changed long enough before ``taken_ns`` (the clock's time when
        its identity was taken) that any later change shows in its times."""
        return settled(max(self.mtime_ns, self.ctime_ns), taken_ns)


def settled(changed_ns: int, taken_ns: int) -> bool:
    """Whether something that changed at ``changed_ns`` had settled by ``taken_ns``: changed
    ``SETTLED_NS`` before, so any later change shows in its time (coarse clocks tick seconds)."""
    return changed_ns < taken_ns - SETTLED_NS


def not_a_file(path: Path, mode: int) -> DigestError:
    kind = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "no regular file")
    return DigestError.at(f"is {kind}, not a file", path,
                          hint="an article must be a regular file; remove it from the content folder")


def decode_text(path: Path, data: bytes) -> str:
    """A file's text; undecodable bytes are an error naming the file and line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DigestError.at(f"not valid UTF-8 at byte {exc.start}", path, line,
                             "save the file as UTF-8") from None
