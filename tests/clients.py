"""Real clients pointed at a built site: headless Chromium, Lighthouse and newsboat.

The tools are installed by the project, never by hand: Chromium and newsboat by `.ci/run`
(Debian packages), Lighthouse by `make test` (npm, into `.tools/`). A missing tool fails the
test that needs it with the step that installs it; nothing here skips.

Every client talks only to a server on 127.0.0.1 that `serve` starts for the test.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CHROME = "/usr/bin/chromium"
DEFAULT_LIGHTHOUSE = ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse"

# Shared by the screenshots and Lighthouse's Chrome. --no-sandbox: CI runs as root.
CHROME_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--disable-dev-shm-usage",
)

# Debian 12's newsboat (2.21) reads RSS 0.9x/1.0/2.0 and Atom only: a JSON Feed fails with
# "XML root node is NULL" (upstream issue newsboat/newsboat#426 is still open).
NEWSBOAT_READS_JSON_FEED = False

_NOISE = ("dbus/", "unexpected operator", "Fontconfig", "sandbox")


# --- tools ---------------------------------------------------------------------------------

def chrome_path() -> str:
    path = os.environ.get("CHROME_PATH", DEFAULT_CHROME)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"Chromium is not installed at {path}: run .ci/run, which installs it "
                    "(apt-get install chromium), or set CHROME_PATH", pytrace=False)
    return path


def lighthouse_path() -> str:
    path = os.environ.get("LIGHTHOUSE", str(DEFAULT_LIGHTHOUSE))
    if not os.path.isfile(path):
        pytest.fail(f"Lighthouse is not installed at {path}: run `make test` (or .ci/run), "
                    "which installs it into .tools/", pytrace=False)
    return path


def newsboat_path() -> str:
    path = shutil.which("newsboat")
    if path is None:
        pytest.fail("newsboat is not installed: run .ci/run, which installs it "
                    "(apt-get install newsboat)", pytrace=False)
    return path


def _run(cmd: Sequence[str], *, timeout: float, env: dict[str, str] | None = None,
         cwd: str | Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command in its own process group, killing the whole group on a timeout."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=cwd,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        raise AssertionError(f"{Path(cmd[0]).name} timed out after {timeout:.0f} s: "
                             f"{' '.join(cmd)}\n{_tail(err)}") from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _tail(text: str, lines: int = 15) -> str:
    """The last lines of a tool's stderr, without Chromium's harmless D-Bus chatter."""
    kept = [line for line in text.splitlines() if line.strip() and not any(n in line for n in _NOISE)]
    return "\n".join(kept[-lines:])


# --- a local server --------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[tuple[int, str]] | None = None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.requests is not None:
            self.requests.append((int(code), self.path))


@contextmanager
def serve(folder: str | Path, requests: list[tuple[int, str]] | None = None) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 on a free port from a background thread; yield the base URL.

    When a list is given, every request is appended to it as (status, path)."""
    handler = partial(type("Handler", (_QuietHandler,), {"requests": requests}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- Chromium screenshots and rendered DOM ---------------------------------------------------

def chromium_dom(url: str, *, budget_ms: int = 5000, timeout: float = 90) -> str:
    """The DOM of a page after its scripts ran (fetches included, within a virtual-time budget)."""
    with tempfile.TemporaryDirectory(prefix="digest-chromium-") as profile:
        result = _run([chrome_path(), *CHROME_FLAGS, f"--user-data-dir={profile}",
                       f"--virtual-time-budget={budget_ms}", "--dump-dom", url], timeout=timeout, cwd=profile)
    if result.returncode != 0 or not result.stdout.strip():
        raise AssertionError(f"Chromium rendered nothing for {url} (exit {result.returncode}):\n"
                             f"{_tail(result.stderr)}")
    return result.stdout


def chromium_screenshot(url: str, width: int, height: int, out_png: str | Path, *,
                        timeout: float = 90, dark: bool = False) -> Path:
    """A headless Chromium screenshot of the viewport (width x height CSS pixels) at url."""
    out = Path(out_png).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)  # never judge a stale picture
    with tempfile.TemporaryDirectory(prefix="digest-chromium-") as profile:
        scheme = ["--blink-settings=preferredColorScheme=0"] if dark else []  # prefers-color-scheme: dark
        result = _run([chrome_path(), *CHROME_FLAGS, *scheme, f"--user-data-dir={profile}",
                       f"--window-size={width},{height}", f"--screenshot={out}", url],
                      timeout=timeout, cwd=profile)
    if result.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise AssertionError(f"Chromium made no screenshot of {url} (exit {result.returncode}):\n"
                             f"{_tail(result.stderr)}")
    return out


@dataclass(frozen=True)
class ScreenshotStats:
    size: tuple[int, int]
    colours: int            # distinct RGB colours
    background: float       # share of the commonest colour
    ink: float              # share of pixels clearly unlike that colour

    def __str__(self) -> str:
        return (f"{self.size[0]}x{self.size[1]}, {self.colours} colours, "
                f"{self.background:.1%} background, {self.ink:.2%} ink")


def screenshot_stats(png: str | Path) -> ScreenshotStats:
    from PIL import Image, ImageChops

    with Image.open(png) as image:
        rgb = image.convert("RGB")
    width, height = rgb.size
    total = width * height
    colours = rgb.getcolors(maxcolors=total) or []
    count, background = max(colours)
    diff = ImageChops.difference(rgb, Image.new("RGB", rgb.size, background)).convert("L")
    ink = sum(diff.histogram()[24:]) / total
    return ScreenshotStats((width, height), len(colours), count / total, ink)


def mean_brightness(png: str | Path) -> float:
    """Average luminance of a screenshot, 0 (black) to 255 (white)."""
    from PIL import Image, ImageStat

    with Image.open(png) as image:
        return ImageStat.Stat(image.convert("L")).mean[0]


def is_blank(png: str | Path, *, min_colours: int = 16, min_ink: float = 0.005) -> bool:
    """Whether a screenshot shows nothing: nearly one colour, or almost no area that differs
    from the background (rendered text alone brings dozens of anti-aliasing shades)."""
    stats = screenshot_stats(png)
    return stats.colours < min_colours or stats.ink < min_ink


# --- Lighthouse ----------------------------------------------------------------------------

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass(frozen=True)
class Audit:
    category: str
    id: str
    title: str
    score: float
    display_value: str
    items: tuple[str, ...]  # what the audit flagged: element, selector, why; URL, message

    def __str__(self) -> str:
        head = f"[{self.category}] {self.id}: {self.title} (score {self.score:g}"
        head += f", {self.display_value})" if self.display_value else ")"
        return "\n".join([head, *(f"    - {item}" for item in self.items)])


@dataclass(frozen=True)
class LighthouseResult:
    url: str
    form_factor: str
    version: str
    scores: dict[str, float | None]
    failing: tuple[Audit, ...]         # audits that weigh on a score and did not pass
    opportunities: tuple[Audit, ...] = field(default=())  # performance advice of weight 0
    warnings: tuple[str, ...] = field(default=())

    def report(self) -> str:
        lines = [f"Lighthouse {self.version} ({self.form_factor}) on {self.url}: "
                 + ", ".join(f"{k} {_pct(v)}" for k, v in self.scores.items())]
        if self.failing:
            lines += ["failing audits:", *(str(a) for a in self.failing)]
        if self.opportunities:
            lines += ["performance opportunities:", *(str(a) for a in self.opportunities)]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _pct(score: float | None) -> str:
    return "n/a" if score is None else f"{round(score * 100)}"


def _node(node: dict) -> str:
    return node.get("selector") or node.get("nodeLabel") or node.get("path") or "?"


def _describe_item(item: dict) -> str:
    """One flagged element or resource of an audit, in words."""
    parts: list[str] = []
    node = item.get("node") if isinstance(item.get("node"), dict) else None
    if node is None and item.get("type") == "node":
        node = item
    if node:
        parts.append(_node(node))
        if node.get("snippet"):
            parts.append(node["snippet"][:200])
        if node.get("explanation"):
            parts.append(" ".join(node["explanation"].split())[:400])
    source = item.get("sourceLocation")
    if isinstance(source, dict) and source.get("url"):
        parts.append(f"{source['url']}:{source.get('line', 0) + 1}")
    for key, value in item.items():
        if key in ("node", "sourceLocation", "type") or value in (None, "", [], {}):
            continue
        if key in ("url", "description", "source", "label", "reason", "failureReason") and isinstance(value, str):
            parts.append(value[:300])
        elif isinstance(value, dict) and value.get("type") == "node" and node is not item:
            parts.append(f"{key}: {_node(value)}")
    sub_items = (item.get("subItems") or {}).get("items", [])
    if sub_items:
        parts.append("related: " + "; ".join(_describe_item(s) for s in sub_items[:4]))
    return " | ".join(p for p in parts if p) or json.dumps(item)[:300]


def _audit(lhr: dict, category: str, audit_id: str, limit: int = 8) -> Audit:
    audit = lhr["audits"][audit_id]
    details = audit.get("details") or {}
    items = details.get("items") or []
    if isinstance(items, dict):  # a checklist: {name: {label, value}}, value False where it failed
        items = [{"label": f"{key}: {v.get('label', '')}"} for key, v in items.items()
                 if isinstance(v, dict) and not v.get("value")]
    described = [_describe_item(i) for i in items[:limit] if isinstance(i, dict)]
    if len(items) > limit:
        described.append(f"... and {len(items) - limit} more")
    if audit.get("explanation"):
        described.insert(0, audit["explanation"])
    if audit.get("errorMessage"):
        described.insert(0, f"error: {audit['errorMessage']}")
    return Audit(category, audit_id, audit["title"], audit["score"],
                 audit.get("displayValue", ""), tuple(described))


def lighthouse_scores(url: str, categories: Iterable[str] = CATEGORIES, *,
                      form_factor: str = "mobile", timeout: float = 300) -> LighthouseResult:
    """Run the Lighthouse CLI on url: category scores (0-1) and the audits that failed.

    form_factor "mobile" is Lighthouse's default: a Moto G Power-sized screen with simulated slow
    4G and a 4x CPU slowdown; "desktop" is its desktop preset.
    """
    if form_factor not in ("mobile", "desktop"):
        raise ValueError(f"form_factor must be mobile or desktop, not {form_factor!r}")
    categories = tuple(categories)
    lighthouse = lighthouse_path()
    env = {**os.environ, "CHROME_PATH": chrome_path()}
    with tempfile.TemporaryDirectory(prefix="digest-lighthouse-") as temp:
        report = Path(temp) / "report.json"
        cmd = [lighthouse, url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(categories)}",
               f"--chrome-flags={' '.join(CHROME_FLAGS)}", "--max-wait-for-load=60000"]
        if form_factor == "desktop":
            cmd.append("--preset=desktop")
        result = _run(cmd, timeout=timeout, env={**env, "TMPDIR": temp}, cwd=temp)
        if not report.is_file():
            raise AssertionError(f"Lighthouse wrote no report for {url} (exit {result.returncode}):\n"
                                 f"{_tail(result.stderr + result.stdout, 30)}")
        lhr = json.loads(report.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        error = lhr["runtimeError"]
        raise AssertionError(f"Lighthouse could not audit {url}: {error.get('code')}: {error.get('message')}")
    failing: list[Audit] = []
    opportunities: list[Audit] = []
    for name in categories:
        for ref in lhr["categories"][name]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            score, mode = audit.get("score"), audit.get("scoreDisplayMode")
            if score is None or score >= 1 or mode in ("manual", "notApplicable", "informative", "error"):
                if mode == "error":
                    failing.append(_audit(lhr, name, ref["id"]))
                continue
            if ref.get("weight", 0) > 0:
                failing.append(_audit(lhr, name, ref["id"]))
            elif name == "performance" and mode == "metricSavings":
                opportunities.append(_audit(lhr, name, ref["id"], limit=4))
    return LighthouseResult(
        url=url, form_factor=form_factor, version=lhr.get("lighthouseVersion", "?"),
        scores={name: lhr["categories"][name]["score"] for name in categories},
        failing=tuple(failing), opportunities=tuple(opportunities),
        warnings=tuple(lhr.get("runWarnings") or ()))


# --- newsboat ------------------------------------------------------------------------------

def newsboat_items(feed_urls: Iterable[str], *, timeout: float = 120) -> dict[str, list[str]]:
    """The item titles newsboat reads from each feed: {feed_url: [title, ...]}.

    Each feed gets its own newsboat run and cache: newsboat keys stored items by GUID across all
    feeds, so an article in both rss.xml and atom.xml (same GUID, by design) would be stored once.
    A feed newsboat logs an error for fails with that error.
    """
    newsboat = newsboat_path()
    found: dict[str, list[str]] = {}
    errors: list[str] = []
    for url in feed_urls:
        with tempfile.TemporaryDirectory(prefix="digest-newsboat-") as temp:
            home = Path(temp)
            (home / "urls").write_text(url + "\n", encoding="utf-8")
            (home / "config").write_text(
                f'error-log "{home / "error.log"}"\ndownload-timeout 30\ndownload-retries 2\n'
                "history-limit 0\n", encoding="utf-8")
            env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                   "XDG_DATA_HOME": str(home / ".local" / "share"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                   "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"}
            result = _run([newsboat, "-x", "reload", "-u", str(home / "urls"), "-c", str(home / "cache.db"),
                           "-C", str(home / "config")], timeout=timeout, env=env, cwd=home)
            log = home / "error.log"
            logged = log.read_text(encoding="utf-8", errors="replace").strip() if log.is_file() else ""
            if result.returncode != 0 or logged:
                errors.append(f"{url}: newsboat exit {result.returncode}: "
                              f"{logged or _tail(result.stderr + result.stdout)}")
            titles: list[str] = []
            if (home / "cache.db").is_file():
                with sqlite3.connect(home / "cache.db") as db:
                    titles = [row[0] for row in db.execute(
                        "SELECT title FROM rss_item WHERE feedurl = ? ORDER BY id", (url,))]
                db.close()
            found[url] = titles
    if errors:
        raise AssertionError("newsboat could not read every feed:\n" + "\n".join(errors))
    return found
