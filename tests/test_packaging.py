"""An installed digest, not only this checkout: the wheel carries the default theme, and
``digest init`` then ``digest build`` work from it anywhere."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # From a copy of what the package is made of: pip builds in the source folder, and its
    # build/ leftovers must neither land in this checkout nor in the wheel.
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("generator", "themes"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(source)],
                   check=True, capture_output=True, cwd=out)
    (found,) = out.glob("digest-*.whl")
    return found


def test_the_wheel_ships_every_file_of_the_default_theme(wheel):
    theme = ROOT / "themes" / "default"
    expected = sorted(f"generator/default_theme/{p.relative_to(theme).as_posix()}" for p in theme.rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts)
    with zipfile.ZipFile(wheel) as archive:
        shipped = sorted(name for name in archive.namelist() if name.startswith("generator/default_theme/"))
    assert shipped == expected and len(expected) > 10


def test_init_and_build_work_from_the_installed_package(wheel, tmp_path):
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The unpacked wheel comes first on the path, so this checkout's package is not used.
    env = {**os.environ, "PYTHONPATH": str(installed)}

    def digest(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=120)

    where = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(installed)
    made = digest("init", "news")
    assert made.returncode == 0, made.stderr
    built = digest("--config", "news/site.yaml", "build")
    assert built.returncode == 0, built.stderr
    page = elsewhere / "news" / "site" / "articles" / "welcome-to-news" / "index.html"
    assert '<link rel="stylesheet" href="../../static/style.' in page.read_text(encoding="utf-8")
