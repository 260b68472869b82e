"""The command line's start: numpy's unused modules are not loaded with scipy.sparse."""

import subprocess
import sys

import pytest

from generator.startup import UNUSED_NUMPY_MODULES
from tests.conftest import article_text

DEFER = "from generator.startup import defer_unused_numpy_modules; defer_unused_numpy_modules()"


def _printed(code: str) -> list[str]:
    """What ``code`` prints, split into words, run in a fresh interpreter: this one has
    loaded numpy's modules long since."""
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           stdin=subprocess.DEVNULL)
    return found.stdout.split()


def _loaded_with_scipy(defer: str) -> set[str]:
    inside = tuple(f"{name}." for name in UNUSED_NUMPY_MODULES)  # what loading each would load
    return set(_printed(f"""
import sys
{defer}
import scipy.sparse
print(" ".join(sorted(name for name in sys.modules if name.startswith({inside!r}))))
"""))


def test_scipy_sparse_loads_without_numpys_unused_modules():
    assert _loaded_with_scipy(DEFER) == set()


def test_without_the_deferral_scipy_sparse_loads_them():
    # What the deferral saves: scipy.sparse as it is loads each module's insides.
    loaded = _loaded_with_scipy("")
    for name in UNUSED_NUMPY_MODULES:
        assert any(found.startswith(f"{name}.") for found in loaded), name


@pytest.mark.parametrize("name", UNUSED_NUMPY_MODULES)
def test_a_deferred_module_loads_when_used(name):
    used = {"numpy.f2py": "main", "numpy.testing": "assert_array_equal", "numpy.ma": "masked_array",
            "numpy.polynomial": "Polynomial"}[name]
    assert _printed(f"""
{DEFER}
import scipy.sparse, numpy, {name} as module
assert {name} is module
print(len(dir(module)) > 5, callable(module.{used}))
""") == ["True", "True"]


def test_the_command_line_defers_them():
    printed = _printed("""
import sys, generator.__main__ as entry
sys.argv = ["digest", "--version"]
try:
    entry.run()
except SystemExit:
    pass
print("numpy" in sys.modules)
import scipy.sparse
print(type(sys.modules["numpy.f2py"]).__name__)
""")
    # Not even numpy is loaded for a command that needs none.
    assert printed[-2:] == ["False", "_LazyModule"]


def test_a_build_off_a_terminal_loads_neither_rich_nor_numpys_unused_modules(make_site):
    config = make_site({"one.md": article_text("First story", "Harbour news in text.", date="2024-03-30",
                                               tags=["Harbour"])})
    printed = _printed(f"""
import sys, generator.__main__ as entry
sys.argv = ["digest", "build", "--config", {str(config)!r}]
try:
    entry.run()
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("scipy.sparse" in sys.modules, "rich" in sys.modules,
      any(name.startswith("numpy.f2py.") for name in sys.modules))
""")
    # The build did load scipy.sparse; the progress bar's rich is for terminals only.
    assert printed[-3:] == ["True", "False", "False"]
