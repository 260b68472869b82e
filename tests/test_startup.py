"""The command line's start: numpy's unused modules are not loaded with scipy.sparse."""

import subprocess
import sys

import pytest

from generator.startup import UNUSED_NUMPY_MODULES
from tests.conftest import article_text

# Each check runs in a fresh interpreter: this one has loaded numpy's modules long since.
LOADS_SCIPY = """
import sys
{defer}
import scipy.sparse
print(" ".join(sorted(name for name in sys.modules if name.startswith({inside!r}))))
"""
DEFER = "from generator.startup import defer_unused_numpy_modules; defer_unused_numpy_modules()"


def _loaded_with_scipy(defer: str) -> set[str]:
    inside = tuple(f"{name}." for name in UNUSED_NUMPY_MODULES)  # what loading each would load
    found = subprocess.run([sys.executable, "-c", LOADS_SCIPY.format(defer=defer, inside=inside)],
                           capture_output=True, text=True, check=True)
    return set(found.stdout.split())


def test_scipy_sparse_loads_without_numpys_unused_modules():
    assert _loaded_with_scipy(DEFER) == set()


def test_without_the_deferral_scipy_sparse_loads_them():
    # What the deferral saves: scipy.sparse as it is loads f2py's and testing's insides.
    loaded = _loaded_with_scipy("")
    for name in UNUSED_NUMPY_MODULES:
        assert any(found.startswith(f"{name}.") for found in loaded), name


@pytest.mark.parametrize("name", UNUSED_NUMPY_MODULES)
def test_a_deferred_module_loads_when_used(name):
    used = {"numpy.f2py": "main", "numpy.testing": "assert_array_equal", "numpy.ma": "masked_array",
            "numpy.polynomial": "Polynomial"}[name]
    code = f"""
{DEFER}
import scipy.sparse, numpy, {name} as module
assert {name} is module
print(len(dir(module)) > 5, callable(module.{used}))
"""
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.split() == ["True", "True"]


def test_the_command_line_defers_them():
    code = """
import sys, generator.__main__ as entry
sys.argv = ["digest", "--version"]
try:
    entry.run()
except SystemExit:
    pass
print("numpy" in sys.modules)
import scipy.sparse
print(type(sys.modules["numpy.f2py"]).__name__)
"""
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Not even numpy is loaded for a command that needs none.
    assert found.stdout.split()[-2:] == ["False", "_LazyModule"]


def test_a_build_off_a_terminal_loads_neither_rich_nor_numpys_unused_modules(make_site):
    config = make_site({"one.md": article_text("First story", "Harbour news in text.", date="2024-03-30",
                                               tags=["Harbour"])})
    code = f"""
import sys, generator.__main__ as entry
sys.argv = ["digest", "build", "--config", {str(config)!r}]
try:
    entry.run()
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("scipy.sparse" in sys.modules, "rich" in sys.modules,
      any(name.startswith("numpy.f2py.") for name in sys.modules))
"""
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           stdin=subprocess.DEVNULL)
    # The build did load scipy.sparse; the progress bar's rich is for terminals only.
    assert found.stdout.split()[-3:] == ["True", "False", "False"]
