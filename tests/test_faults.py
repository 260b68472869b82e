"""Faults a cron build meets: killed or interrupted at any point, a full disk, a read-only site.

Whatever happens, the published site is either the previous one or the complete new one, byte
for byte; no build folder is left behind once the next build has run; and the next build
succeeds and equals a clean build.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import article_text, site_tree

WORDS = ("harbour quay ships cranes dock cargo port ferry sailors tide council mayor budget vote taxes "
         "planning committee election school pupils teachers exams storm flood river bridge road").split()


def write_articles(config: Path, count: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    folder = config.parent / "content" / "articles"
    for n in range(count):
        body = "\n\n".join(" ".join(rng.choices(WORDS, k=60)).capitalize() + "." for _ in range(8))
        tags = rng.sample(["Harbour", "Council", "Floods"], k=rng.randint(1, 2))
        (folder / f"a{n:04d}.md").write_text(
            article_text(f"Story {n} about {' '.join(rng.choices(WORDS, k=3))}", body,
                         date=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", tags=tags), encoding="utf-8")


def build_command(config: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "--config", str(config), "--quiet", "build", *extra]


def leftovers(config: Path) -> list[str]:
    """What a build leaves beside the site: nothing but the site and the project's own files."""
    return sorted(p.name for p in config.parent.iterdir()
                  if p.name not in ("site", "site.yaml", "content", ".digest-cache", "clean"))


def processes_of(config: Path, wait: float = 10.0) -> list[int]:
    """The processes still running a command about ``config``, once given ``wait`` seconds to end."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and entry.name != str(os.getpid()):
                with contextlib.suppress(OSError):
                    if str(config).encode() in (entry / "cmdline").read_bytes():
                        found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def clean_build(config: Path) -> dict[str, bytes]:
    """The site a clean build of the current content makes, built elsewhere."""
    other = config.parent / "clean"
    shutil.rmtree(other, ignore_errors=True)
    assert main(["--config", str(config), "--quiet", "build", "--clean", "--output", str(other)]) == 0
    built = site_tree(other)
    shutil.rmtree(other)
    return built


@pytest.fixture
def big_site(make_site) -> Path:
    """A site whose build takes long enough (a second or two) to be hit at random points."""
    config = make_site({})
    write_articles(config, 160)
    assert main(["--config", str(config), "--quiet", "build"]) == 0
    return config


def edit_one(config: Path) -> None:
    path = config.parent / "content" / "articles" / "a0007.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA late correction about the ferry.\n", encoding="utf-8")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_build_stopped_at_random_points_leaves_a_whole_site_and_the_next_build_succeeds(big_site, how):
    config = big_site
    before = site_tree(config.parent / "site")
    edit_one(config)
    after = clean_build(config)
    started = time.perf_counter()
    subprocess.run(build_command(config, "--clean", "--jobs", "2"), check=True, timeout=300)
    duration = time.perf_counter() - started
    assert site_tree(config.parent / "site") == after
    rng = random.Random(11)
    for delay in sorted(rng.uniform(0.1, duration) for _ in range(4)):  # from after Python itself starts
        # The published site is the new one now; each stopped build must leave it whole.
        log = config.parent / "content" / "stderr.txt"  # a file, not a pipe: orphans would hold a pipe open
        with open(log, "w") as stderr:
            process = subprocess.Popen(build_command(config, "--clean", "--jobs", "2"), stderr=stderr)
            time.sleep(delay)
            process.send_signal(how)
            process.wait(timeout=120)
        err = log.read_text()
        assert processes_of(config) == [], "the stopped build's workers live on"
        if how == signal.SIGINT and process.returncode != 0:
            assert process.returncode == 130 and err.startswith("interrupted"), err
            assert leftovers(config) == []  # Ctrl-C cleans up at once
        assert "Traceback" not in err
        assert site_tree(config.parent / "site") in (before, after), f"stopped after {delay:.2f}s"
    # A killed build can clean nothing up: the next one does, and builds what a clean build does.
    assert main(["--config", str(config), "--quiet", "build"]) == 0
    assert site_tree(config.parent / "site") == after
    assert leftovers(config) == []


def test_a_build_killed_while_writing_leaves_a_build_folder_the_next_build_removes(big_site):
    config = big_site
    edit_one(config)
    process = subprocess.Popen(build_command(config, "--clean", "--jobs", "1"))
    site = config.parent / "site"
    deadline = time.monotonic() + 60
    while not [p for p in config.parent.iterdir() if p.name.startswith(".digest-tmp-site.")]:
        assert time.monotonic() < deadline and process.poll() is None, "the build wrote no build folder"
        time.sleep(0.005)
    process.kill()
    process.wait(timeout=60)
    assert leftovers(config) and all(name.startswith(".digest-tmp-site.") for name in leftovers(config))
    # Another output's build folder beside it is not this build's to remove.
    stranger = config.parent / ".digest-tmp-site.x.abcdefgh"
    stranger.mkdir()
    assert main(["--config", str(config), "--quiet", "build"]) == 0
    assert leftovers(config) == [stranger.name]
    assert site_tree(site) == clean_build(config)


@contextlib.contextmanager
def small_disk(folder: Path, size: str):
    """A tmpfs of ``size`` mounted at ``folder``: a real full disk. Mounting needs root (CI runs
    as root); elsewhere the test fails, naming why, rather than passing without a disk to fill."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs to fill (run the suite as root, as CI does): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` until ``leave`` bytes are free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    filler = folder / "filler"
    with open(filler, "wb") as out:
        with contextlib.suppress(OSError):
            out.write(b"\0" * max(free - leave, 0))
    return filler


def test_a_full_disk_fails_the_build_cleanly_and_keeps_the_site(make_site, tmp_path):
    with small_disk(tmp_path / "disk", "16m") as disk:
        config = make_site({})
        project = disk / "project"
        shutil.copytree(config.parent, project, ignore=shutil.ignore_patterns("disk"))
        config = project / "site.yaml"
        write_articles(config, 60)
        assert main(["--config", str(config), "--quiet", "build"]) == 0
        before = site_tree(project / "site")
        edit_one(config)
        (project / "content" / "articles" / "a0008.md").write_text(
            article_text("A long one", "Paragraph.\n\n" * 40000, date="2024-05-05"), encoding="utf-8")
        filler = fill(disk, 400_000)
        result = subprocess.run(build_command(config, "--clean"), capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, result.stderr
        assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.startswith("error: ")
        assert site_tree(project / "site") == before
        assert leftovers(config) == []
        filler.unlink()
        assert main(["--config", str(config), "--quiet", "build"]) == 0
        assert site_tree(project / "site") == clean_build(config)
        assert leftovers(config) == []


def test_a_read_only_site_fails_the_build_cleanly_and_the_next_build_succeeds(big_site):
    config = big_site
    site = config.parent / "site"
    before = site_tree(site)
    edit_one(config)
    if os.geteuid() == 0:  # root writes anywhere: only a read-only mount stops it
        subprocess.run(["mount", "--bind", str(site), str(site)], check=True)
        subprocess.run(["mount", "-o", "remount,ro,bind", str(site)], check=True)
        undo = ["umount", str(site)]
    else:
        for folder in (site, *[p for p in site.rglob("*") if p.is_dir()]):
            folder.chmod(0o555)
        undo = ["chmod", "-R", "u+w", str(site)]
    try:
        result = subprocess.run(build_command(config), capture_output=True, text=True, timeout=300)
        assert "Traceback" not in result.stderr
        if result.returncode != 0:
            assert result.returncode == 1 and result.stderr.startswith("error: "), result.stderr
            assert site_tree(site) == before
        assert leftovers(config) == []
    finally:
        subprocess.run(undo, check=True)
    assert main(["--config", str(config), "--quiet", "build"]) == 0
    assert site_tree(site) == clean_build(config)


def test_ingest_killed_halfway_leaves_only_whole_articles(make_site, tmp_path):
    from generator.config import load_config
    from generator.load import load_article
    from generator.taxonomy import Vocabulary
    from tests.ingest_pages import harbor_page

    config = make_site({})
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(60):
        (raw / f"p{n:03d}.txt").write_text(harbor_page(n), encoding="utf-8")
    reference, out = tmp_path / "reference", tmp_path / "out"
    assert main(["--config", str(config), "--quiet", "ingest", str(raw), "--out", str(reference)]) in (0, 1)
    ingest = [sys.executable, "-m", "generator.cli", "--config", str(config), "--quiet", "ingest", str(raw),
              "--out", str(out)]
    process = subprocess.Popen(ingest)
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.md"))) < 10:
        assert time.monotonic() < deadline and process.poll() is None, "ingest wrote too little to be stopped"
        time.sleep(0.005)
    process.kill()
    process.wait(timeout=60)
    written = sorted(out.glob("*.md"))
    assert 10 <= len(written) < len(list(reference.glob("*.md")))
    loaded = load_config(config)
    for path in written:  # each one whole: the bytes a finished ingest writes, and it loads
        assert path.read_bytes() == (reference / path.name).read_bytes()
        load_article(path, loaded, Vocabulary.from_topics(loaded.topics))
    # Running it again finishes the job and keeps what was written.
    subprocess.run(ingest, check=True, timeout=300)
    assert {p.name: p.read_bytes() for p in out.glob("*.md")} == {p.name: p.read_bytes() for p in reference.glob("*.md")}


def test_the_build_does_not_depend_on_the_order_the_folder_is_listed_in(make_site, monkeypatch):
    config = make_site({})
    write_articles(config, 30)
    assert main(["--config", str(config), "--quiet", "build", "--clean"]) == 0
    first = site_tree(config.parent / "site")
    listed = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: iter(sorted(listed(self), reverse=True)))
    real_scandir = os.scandir

    class Reversed:
        def __init__(self, path=".") -> None:
            with real_scandir(path) as entries:
                self.entries = sorted(entries, key=lambda e: e.name, reverse=True)

        def __iter__(self):
            return iter(self.entries)

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            pass

    monkeypatch.setattr(os, "scandir", Reversed)
    assert main(["--config", str(config), "--quiet", "build", "--clean", "--jobs", "1"]) == 0
    assert site_tree(config.parent / "site") == first


def test_the_build_does_not_depend_on_the_locale(make_site):
    config = make_site({})
    write_articles(config, 20)
    sites = []
    for n, locale in enumerate(("C", "C.UTF-8", "en_US.UTF-8", "tr_TR.UTF-8")):  # Turkish: dotless i
        output = config.parent / f"out{n}"
        env = {**os.environ, "LANG": locale, "LC_ALL": locale, "PYTHONHASHSEED": str(n), "TZ": "Asia/Kolkata"}
        subprocess.run([*build_command(config, "--clean", "--output", str(output))], check=True, env=env, timeout=300)
        sites.append(site_tree(output))
    assert all(site == sites[0] for site in sites[1:])
