"""What the command line does before it loads anything else: numpy's modules that digest never
uses are loaded only if something uses them.

scipy.sparse, which the build needs, copies numpy's namespace as it loads (its vendored
array_api_compat asks numpy for every name it lists), and asking numpy for a module imports
it: ``f2py``, ``testing``, ``ma`` and ``polynomial`` took 60 ms of a rebuild's start,
measured here (Fortran wrappers, test helpers, masked arrays, polynomials). Imported through
``LazyModuleFinder``, each is a module object that loads itself the first time one of its
names is read (``importlib.util.LazyLoader``).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

UNUSED_NUMPY_MODULES = ("numpy.f2py", "numpy.testing", "numpy.ma", "numpy.polynomial")


class LazyModuleFinder:
    """Finds the modules ``names`` where Python would, and has them loaded lazily (a finder of
    ``sys.meta_path``; not derived from ``importlib.abc``, which alone took 7 ms to import)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
                  ) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or not hasattr(spec.loader, "exec_module"):
            return None  # Python's own finders then report or import it as usual
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def defer_unused_numpy_modules() -> None:
    """Have numpy's ``UNUSED_NUMPY_MODULES`` load on first use, from now on in this process.
    Nothing is imported now: a command that needs no numpy does not load it for this."""
    if not any(isinstance(finder, LazyModuleFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, LazyModuleFinder(UNUSED_NUMPY_MODULES))
