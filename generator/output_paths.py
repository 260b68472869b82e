"""Which output paths a build may write: inside the output folder, one file per path, and an
output folder that holds nothing but an earlier digest build (its marker file says so).
Checked before anything is written, by ``build`` and by ``check``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .errors import DigestError

MARKER = PurePosixPath(".digest-build")


def safe_relative_path(path: PurePosixPath, origin: str) -> PurePosixPath:
    """Refuse any output path that could land outside the output folder."""
    text = str(path)
    if (not text or path.is_absolute() or "\x00" in text or "\\" in text
            or any(part in ("", ".", "..") for part in text.split("/"))):
        raise DigestError.at(f"refusing to write unsafe output path {text!r}", origin)
    return path


def check_output_dir(output_dir: Path, project_root: Path, inputs: Iterable[Path],
                     kept: Iterable[tuple[Path, str]] = ()) -> None:
    """Refuse an output folder whose replacement would destroy anything but an earlier build.

    It must not be or contain the project folder, must not overlap any input folder, nor hold
    a file that builds keep for the next one (``kept``: (path, the setting naming it)), and if
    it exists it must be empty or carry the marker of an earlier digest build.
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
    for file, setting in kept:
        if out in file.resolve().parents:
            raise DigestError.at(f"{setting} is {file}, inside the output folder, which every build replaces whole",
                                 output_dir, hint=f"set {setting} in site.yaml to a path outside the output folder")
    if output_dir.is_symlink() or (output_dir.exists() and not output_dir.is_dir()):
        raise DigestError.at("the output path exists and is not a plain folder", output_dir, hint=hint)
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).is_file():
        raise DigestError.at(
            "refusing to replace a folder that digest did not build", output_dir,
            hint=f"it has no {MARKER} marker; empty it, or choose another output folder")


def nothing_to_build(content_dir: Path) -> DigestError:
    """No articles, and a published site: an emptied content folder (a failed mount, a bad sync)
    must not wipe it."""
    return DigestError.at("no articles to build; the published site is kept", content_dir,
                          hint="add articles, or delete the output folder to publish an empty site")


def check_unique(path: str, origin: str, origins: dict[str, str], folders: dict[str, str]) -> None:
    """Refuse two files at one path, or a file where another file needs a folder. Paths are
    compared as text (safe relative paths: "/" between parts, nothing to normalize), which
    costs a fraction of comparing path objects on a site of many pages."""
    if path in origins:
        raise DigestError.at(f"{origin} and {origins[path]} both produce {path}", origin)
    if path in folders:
        raise DigestError.at(f"produces {path}, which is a folder of what {folders[path]} produces", origin)
    parent = path
    while "/" in parent:
        parent = parent.rpartition("/")[0]
        if parent in origins:
            raise DigestError.at(f"produces {path} inside {parent}, which {origins[parent]} produces as a file",
                                 origin)
        if parent in folders:
            break
        folders[parent] = origin
    origins[path] = origin
