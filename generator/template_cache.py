"""Templates as an earlier build compiled them, kept in the build cache.

Every process that renders pages compiled each template it used afresh: 0.05 s of a one-edit
rebuild at 10,000 articles, in each of them. Jinja checks a compiled template against its
source (a hash of it) and its own and Python's versions; the file names carry a hash of
digest's code and libraries, which set how a template compiles (``loaded_code``). Each file
starts with a hash of the rest: one that does not check out (damaged, cut short) is compiled
again and replaced, never read further.
"""

from __future__ import annotations

import contextlib
import io
import types
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from .atomic import TEMP_PREFIX, checked, checksummed, write_bytes_atomically
from .errors import DigestError

SUFFIX = ".template"


class TemplateCache(BytecodeCache):
    """Compiled templates in ``folder``, under names starting with ``code`` (a fingerprint of
    what compiles them). Files of other code are deleted as the cache is made, and any left
    half written (by a process killed while writing one): it is made before any process
    renders a page of this build, and one build of a site runs at a time."""

    def __init__(self, folder: Path, code: str) -> None:
        self.folder = folder
        self.prefix = f"{code[:16]}-"
        with contextlib.suppress(OSError):
            for stale in folder.iterdir():
                if stale.name.startswith(TEMP_PREFIX) or (stale.name.endswith(SUFFIX)
                                                          and not stale.name.startswith(self.prefix)):
                    with contextlib.suppress(OSError):
                        stale.unlink()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{self.prefix}{bucket.key}{SUFFIX}"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except (OSError, ValueError):
            return  # none yet (or unreadable): compiled
        payload = checked(data)
        if payload is None:
            return
        try:
            bucket.load_bytecode(io.BytesIO(payload))  # checks the versions and the source, else resets
        except Exception:  # noqa: BLE001 - written by another Jinja, say: compiled again
            bucket.reset()
        if not isinstance(bucket.code, types.CodeType):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        # Kept if it can be: a build whose cache cannot be written still renders every page.
        with contextlib.suppress(OSError, DigestError):
            write_bytes_atomically(self._path(bucket), checksummed(buffer.getvalue()), durable=False)
