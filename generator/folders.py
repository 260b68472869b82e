"""The files under a folder, through links to folders too, as a theme's author expects a linked
``static/fonts`` or ``templates/partials`` to be read."""

from __future__ import annotations

import os
from collections.abc import Iterator


def is_scratch_name(name: str) -> bool:
    """An editor's swap, backup, lock or save-test file, or any hidden file: never read as part
    of a site (vim's .x.swp in templates/ is no template)."""
    return (name.startswith(".") or (name.startswith("#") and name.endswith("#"))  # emacs: #x#
            or name.endswith(("~", ".swp", ".swx", ".swo", "___jb_tmp___", "___jb_old___"))
            or name == "4913")  # vim's "can I write here" probe


def files_under(folder: str, skip: frozenset[str] = frozenset()) -> Iterator[os.DirEntry]:
    """Every entry under ``folder`` that is no folder (a file, a link to one, a broken link),
    in no set order; folders named in ``skip`` are not entered, nor a link to a folder that
    leads back to a folder it is in (a loop). Nothing for a missing folder."""
    stack = [(folder, (os.path.realpath(folder),))]
    while stack:
        path, chain = stack.pop()  # chain: the real folders it is in, itself last
        try:
            with os.scandir(path) as found:
                for entry in found:
                    if not _is_folder(entry):  # through a link: a link to a folder is a folder
                        yield entry
                    elif entry.name not in skip:
                        real = os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(chain[-1], entry.name)
                        if real not in chain:  # else a link back to a folder it is in: a loop
                            stack.append((entry.path, (*chain, real)))
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link in a loop of links: no folder, and whoever reads it reports it
        return False
