"""The only module that writes files.

A build is written into a fresh temporary folder next to the output folder and
swapped into place only when every file was written, so a failed build leaves
the previous site exactly as it was. The output folder is replaced whole, so
digest only ever replaces a folder that a digest build made (it carries a
marker file) or an empty one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import DigestError
from .model import OutputFile, PendingFile
from .parallel import batches, map_with_shared
from .progress import NO_PROGRESS, Progress

TEMP_PREFIX = ".digest-tmp-"
MARKER = PurePosixPath(".digest-build")
MARKER_TEXT = b"This folder is built by digest and replaced whole by every build.\n"
RENDER_BATCH = 64  # pending files a process renders and writes per task


@dataclass(frozen=True)
class PublishReport:
    files: int
    bytes: int
    leftover: Path | None = None  # the previous site, when it could not be removed
    pages: int = 0  # of the files, those rendered on the way (pending files)


def safe_relative_path(path: PurePosixPath, origin: str) -> PurePosixPath:
    """Refuse any output path that could land outside the output folder."""
    text = str(path)
    if (not text or path.is_absolute() or "\x00" in text or "\\" in text
            or any(part in ("", ".", "..") for part in text.split("/"))):
        raise DigestError.at(f"refusing to write unsafe output path {text!r}", origin)
    return path


def check_output_dir(output_dir: Path, project_root: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy anything but an earlier build.

    It must not be or contain the project folder, must not overlap any input folder,
    and if it exists it must be empty or carry the marker of an earlier digest build.
    """
    out = output_dir.resolve()
    root = project_root.resolve()
    hint = "set output_dir in site.yaml (or --output) to a folder of its own, e.g. site"
    if out == root or out in root.parents:
        raise DigestError.at("the output folder would contain the project itself", output_dir, hint=hint)
    for folder in inputs:
        folder = folder.resolve()
        if out == folder or out in folder.parents or folder in out.parents:
            raise DigestError.at(f"the output folder overlaps the input folder {folder}", output_dir, hint=hint)
    if output_dir.is_symlink() or (output_dir.exists() and not output_dir.is_dir()):
        raise DigestError.at("the output path exists and is not a plain folder", output_dir, hint=hint)
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).is_file():
        raise DigestError.at(
            "refusing to replace a folder that digest did not build", output_dir,
            hint=f"it has no {MARKER} marker; empty it, or choose another output folder")


def publish(files: Iterable[OutputFile | PendingFile], output_dir: Path, jobs: int = 1,
            progress: Progress = NO_PROGRESS) -> PublishReport:
    """Write every file into a temporary folder, then swap it in for ``output_dir``; pending
    files are rendered and written by ``jobs`` processes, in batches taken in order."""
    parent = output_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent))
    except OSError as exc:
        raise DigestError.at(f"cannot create a build folder next to the output: {exc.strerror}", parent) from None
    try:
        count, size, pages = _write_all(files, staging, jobs, progress)
        leftover = _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PublishReport(count, size, leftover, pages)


def _write_all(files: Iterable[OutputFile | PendingFile], staging: Path, jobs: int,
               progress: Progress) -> tuple[int, int, int]:
    # Every path is checked before anything is rendered: a pending file's path is known.
    origins: dict[PurePosixPath, str] = {}
    pending: list[PendingFile] = []
    count = size = 0
    for file in itertools.chain(files, [OutputFile(MARKER, MARKER_TEXT, "digest")]):
        path = safe_relative_path(file.path, file.origin)
        if path in origins:
            raise DigestError.at(f"{file.origin} and {origins[path]} both produce {path}", file.origin)
        origins[path] = file.origin
        if isinstance(file, PendingFile):
            pending.append(file)
        else:
            size += _write(staging, file)
            count += 1
    progress.stage("Rendering pages", len(pending))
    for written in map_with_shared(_render_and_write, (pending, staging), batches(len(pending), RENDER_BATCH), jobs,
                                   done=lambda batch: progress.advance(len(batch))):
        count += len(written)
        size += sum(written)
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is world-readable
    return count, size, len(pending)


def _render_and_write(shared: tuple[list[PendingFile], Path], batch: range) -> list[int]:
    """Render the pending files of ``batch`` and write them; their sizes in bytes."""
    pending, staging = shared
    return [_write(staging, pending[n].render()) for n in batch]


def _write(staging: Path, file: OutputFile) -> int:
    target = staging.joinpath(*file.path.parts)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:  # "x": never follow or overwrite anything already there
            handle.write(file.content)
    except OSError as exc:
        raise DigestError.at(f"cannot write {file.path}: {exc.strerror}", file.origin) from None
    return len(file.content)


def _swap(staging: Path, output_dir: Path) -> Path | None:
    """Put ``staging`` where ``output_dir`` is; return the old site if it could not be deleted."""
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return None
    if _exchange(staging, output_dir):  # one atomic step: readers never see a missing site
        retired = staging
    else:
        retired = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX + "old-", dir=output_dir.parent))
        retired.rmdir()
        os.rename(output_dir, retired)
        try:
            os.rename(staging, output_dir)
        except BaseException:
            os.rename(retired, output_dir)
            raise
    shutil.rmtree(retired, ignore_errors=True)
    return retired if retired.exists() else None


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def write_text_atomically(path: Path, text: str) -> None:
    """Replace one file so readers see the old or the new bytes, never half a file."""
    if path.parent.exists() and not path.parent.is_dir():
        raise DigestError.at("not a folder", path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
