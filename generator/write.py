"""The only module that writes files.

A build is written into a fresh temporary folder next to the output folder and
swapped into place only when every file was written, so a failed build leaves
the previous site exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import DigestError
from .model import OutputFile

TEMP_PREFIX = ".digest-tmp-"


@dataclass(frozen=True)
class PublishReport:
    files: int
    bytes: int


def safe_relative_path(path: PurePosixPath, origin: str) -> PurePosixPath:
    """Refuse any output path that could land outside the output folder."""
    text = str(path)
    if (not text or path.is_absolute() or "\x00" in text or "\\" in text
            or any(part in ("", ".", "..") for part in text.split("/"))):
        raise DigestError.at(f"refusing to write unsafe output path {text!r}", origin)
    return path


def check_output_dir(output_dir: Path, protected: Iterable[Path]) -> None:
    """The output folder is replaced whole, so it must not hold the project's own files."""
    out = output_dir.resolve()
    for keep in protected:
        keep = keep.resolve()
        if out == keep or out in keep.parents:
            raise DigestError.at(f"output folder {output_dir} would contain {keep}", output_dir,
                                 hint="set output_dir in site.yaml to a folder of its own, e.g. site")
    if out == Path(out.anchor) or (out / "site.yaml").exists():
        raise DigestError.at(f"refusing to use {output_dir} as the output folder", output_dir,
                             hint="it looks like a project folder, not a built site")


def publish(files: Iterable[OutputFile], output_dir: Path) -> PublishReport:
    """Write every file into a temporary folder, then swap it in for ``output_dir``."""
    parent = output_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent))
    try:
        report = _write_all(files, staging)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def _write_all(files: Iterable[OutputFile], staging: Path) -> PublishReport:
    origins: dict[PurePosixPath, str] = {}
    count = size = 0
    for file in files:
        path = safe_relative_path(file.path, file.origin)
        if path in origins:
            raise DigestError.at(f"{file.origin} and {origins[path]} both produce {path}", file.origin)
        origins[path] = file.origin
        target = staging.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:  # "x": never follow or overwrite anything already there
            handle.write(file.content)
        count += 1
        size += len(file.content)
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is world-readable
    return PublishReport(count, size)


def _swap(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists() and not output_dir.is_symlink():
        os.rename(staging, output_dir)
        return
    if output_dir.is_symlink() or not output_dir.is_dir():
        raise DigestError.at("output path exists and is not a folder", output_dir)
    retired = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX + "old-", dir=output_dir.parent))
    retired.rmdir()
    os.rename(output_dir, retired)
    try:
        os.rename(staging, output_dir)
    except BaseException:
        os.rename(retired, output_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def write_text_atomically(path: Path, text: str) -> None:
    """Replace one file so readers see the old or the new bytes, never half a file."""
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
