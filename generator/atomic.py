"""Writing one file of digest's own (a cache file, an ingested article) so readers see the old
or the new bytes, never half a file; and the lock that lets one build of a site run at a time.
(The site itself is written by ``write``.)"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import DigestError

TEMP_PREFIX = ".digest-tmp-"  # of every file or folder being written beside its final place


CHECKSUM_BYTES = 32  # of the hash a checksummed file (``checksummed``) carries


def checksummed(payload: bytes, magic: bytes = b"") -> bytes:
    """``payload`` as a cache file keeps it: after ``magic`` (its kind and version), a hash of it,
    which ``checked`` finds again (a crash or a full disk leaves a file cut short)."""
    return magic + hashlib.blake2b(payload, digest_size=CHECKSUM_BYTES).digest() + payload


def checked(data: bytes, magic: bytes = b"") -> bytes | None:
    """The payload of ``data``, made by ``checksummed`` with this ``magic``; None when it is not."""
    start = len(magic) + CHECKSUM_BYTES
    payload = data[start:]
    if not data.startswith(magic) or data[len(magic):start] != hashlib.blake2b(
            payload, digest_size=CHECKSUM_BYTES).digest():
        return None
    return payload


def write_text_atomically(path: Path, text: str) -> None:
    """Replace one file so readers see the old or the new bytes, never half a file."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes | memoryview, durable: bool = True) -> None:
    """Replace one file so readers see the old or the new bytes, never half a file; ``durable``
    waits until the bytes are on disk (a cache, which checks itself, need not)."""
    write_atomically_with(path, lambda out: out.write(data), durable)


def write_atomically_with(path: Path, write: Callable[[BinaryIO], object], durable: bool = True) -> None:
    """``write_bytes_atomically`` with the bytes written by ``write`` into the open file, so a
    large file (the build cache's arrays) is never held whole in memory first."""
    if path.parent.exists() and not path.parent.is_dir():
        raise DigestError.at("not a folder", path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold ``lock_file`` for one build at a time: a second build started meanwhile (an
    overlapping cron run) stops at once with an error, rather than both updating the same
    previous site and cache. The lock is the kernel's, so a killed build never leaves it held."""
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_file, "a+b")
    except OSError as exc:  # a file or a dangling link where the cache's folder belongs
        raise DigestError.at(f"cannot hold the build lock: {exc.strerror}", exc.filename or lock_file,
                             hint="this is digest's build cache folder; remove whatever is in its place") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DigestError.at("another digest build of this site is running", lock_file,
                                 hint="wait for it to finish; its lock goes when it ends") from None
        yield
    finally:
        handle.close()


def remove_file(path: Path) -> None:
    """Delete one file of digest's own (a stale cache file); gone already is fine."""
    path.unlink(missing_ok=True)


def move_file(source: Path, destination: Path) -> None:
    """Put one file of digest's own at ``destination`` in one step, replacing what is there; with
    no ``source``, ``destination`` goes, so it never outlives what it stood for."""
    try:
        os.replace(source, destination)
    except FileNotFoundError:
        remove_file(destination)
