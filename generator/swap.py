"""Publishing a finished site: its folder, written beside the output folder, takes the output
folder's place in one step (``renameat2`` exchange where Linux has it), so readers never see a
half-written or missing site; and the folders a killed build left beside it go."""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import shutil
import tempfile
from pathlib import Path

from .atomic import TEMP_PREFIX


def temp_prefix(output_dir: Path) -> str:
    """Build folders beside the output are named after it (``.digest-tmp-site.`` and 8 random
    characters), so a leftover is known to be this output's and no other's."""
    return f"{TEMP_PREFIX}{output_dir.name}."


def remove_leftovers(output_dir: Path) -> None:
    """Delete the build folders a killed build of this output left beside it (SIGKILL, power
    loss: no cleanup ran). Only one build of a site runs at a time (``exclusive``), so none of
    them is in use."""
    prefix = glob.escape(temp_prefix(output_dir))
    for pattern in (prefix + "?" * 8, prefix + "old-" + "?" * 8):  # mkdtemp adds 8 characters
        for leftover in output_dir.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def remove_tree(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    else:
        shutil.rmtree(folder, ignore_errors=True)


def same_device(a: Path, b: Path) -> bool:
    try:
        a.mkdir(parents=True, exist_ok=True)
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def swap(work: Path, output_dir: Path, keep_at: Path | None) -> tuple[Path | None, bool]:
    """Put ``work`` where ``output_dir`` is; keep the replaced site at ``keep_at`` or delete it.
    (the replaced site if it could be neither kept nor deleted, whether it was kept)"""
    if not output_dir.exists():
        os.rename(work, output_dir)
        return None, False
    if _exchange(work, output_dir):  # one atomic step: readers never see a missing site
        retired = work
    else:
        retired = Path(tempfile.mkdtemp(prefix=temp_prefix(output_dir) + "old-", dir=output_dir.parent))
        retired.rmdir()
        os.rename(output_dir, retired)
        try:
            os.rename(work, output_dir)
        except BaseException:
            os.rename(retired, output_dir)
            raise
    if keep_at is not None:
        if retired == keep_at:
            return None, True
        try:
            remove_tree(keep_at)
            os.rename(retired, keep_at)
            return None, True
        except OSError:
            pass
    shutil.rmtree(retired, ignore_errors=True)
    return (retired if retired.exists() else None), False


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
