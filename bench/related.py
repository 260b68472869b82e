"""Time and peak memory of related links at growing site sizes: python bench/related.py [SIZES...]

For each size (default 1,000, 10,000 and 100,000 articles) a fresh process generates the seeded
synthetic corpus of ``corpus.py`` (Zipf text with topic words per tag, 2-4 tags plus hub tags)
and times the stages a build runs to link related articles, as ``generator.analysis`` and
``generator.index`` do: text features (term vectors and latent topics), text neighbours,
stories, and ``related_links(..., top_k=5)`` with the default weights. Corpus topics, which a
build also computes from the text features, are left out: they are not related links.

Memory is the process's resident set (``/proc/self/status``): the corpus's once generated, and
each stage's peak above it. Before each stage, freed memory goes back to the system
(``malloc_trim``) and writing "5" to ``/proc/self/clear_refs`` resets the peak (VmHWM), so a
stage's peak counts what earlier stages still hold but not what they freed; where the reset is
refused, only the whole process's peak is reported.

The table gives seconds per stage and in all, the peak MB and microseconds per article per
size, then the growth from each size to the next: growing by the size ratio is linear, by its
square quadratic. ``--json`` also prints the measurements as JSON; ``--timeout SECONDS`` stops a
size that runs longer, keeping the stages it finished; ``--one N`` measures one size in this
process, printing a JSON line after each stage (what each child runs).

    .venv/bin/python bench/related.py                  # 1000 10000 100000
    .venv/bin/python bench/related.py 1000 10000 --json --timeout 600
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from corpus import synthetic_articles
from generator.analysis import TEXT_NEIGHBOURS
from generator.config import RelatedWeights, StorySettings
from generator.related import related_links
from generator.parallel import available_cores
from generator.similarity import text_features
from generator.neighbours import nearest
from generator.stories import find_stories, story_index

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (1_000, 10_000, 100_000)
TOP_K = 5
STAGE_COLUMNS = {"text_features": "text s", "neighbours": "neighbours s", "stories": "stories s",
                 "related_links": "links s"}  # stage -> its column, in the order they run
T = TypeVar("T")
MEASURED_MODULES = ("analysis", "config", "parallel", "related", "similarity", "stories", "term_counts", "count_stores")  # in generator/


def code_fingerprint() -> str:
    """A short hash of the measured modules' source: the generator changes often, and results
    are only comparable between runs of the same code."""
    digest = hashlib.sha256()
    for name in MEASURED_MODULES:
        digest.update((ROOT / "generator" / f"{name}.py").read_bytes())
    return digest.hexdigest()[:12]


CODE = code_fingerprint()  # taken at import, when the measured modules are read


def main() -> None:
    parser = argparse.ArgumentParser(description="Time and peak memory of related links per site size.")
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES), help="article counts")
    parser.add_argument("--one", type=int, metavar="N", help="measure N articles in this process")
    parser.add_argument("--json", action="store_true", help="also print all measurements as JSON")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="stop a size after this long")
    args = parser.parse_args()
    if args.one is not None:
        measure(args.one)
        return
    results = [measure_in_child(size, args.timeout) for size in args.sizes]
    print(table(results))
    print(growth(results))
    timeout = f" --timeout {args.timeout:g}" if args.timeout else ""
    print(f"\nRerun: cd {ROOT} && {_shown_python()} bench/related.py {' '.join(map(str, args.sizes))}{timeout}")
    if args.json:
        print(json.dumps(results, indent=2))


def measure(count: int) -> dict[str, Any]:
    """Generate ``count`` articles, then time each related-links stage and its peak memory.

    After the corpus and after each stage, the measurements so far go to stdout as one JSON
    line (the last one complete), and a line for people to stderr, so a run stopped part way
    still tells what it finished.
    """
    start = time.perf_counter()
    articles = synthetic_articles(count)
    corpus_seconds = time.perf_counter() - start
    _release_free_memory()
    corpus_mb = _status_mb("VmRSS")
    stages: dict[str, dict[str, float | None]] = {}
    result: dict[str, Any] = {"articles": count, "code": CODE, "corpus_seconds": round(corpus_seconds, 3),
                              "corpus_mb": round(corpus_mb, 1), "stages": stages, "complete": False}
    _report(f"{count:,} articles: corpus {corpus_seconds:.1f} s, {corpus_mb:.0f} MB", result)

    def stage(name: str, run: Callable[[], T]) -> T:
        value, stages[name] = _timed(run, corpus_mb)
        peak_mb = stages[name]["peak_mb"]
        _report(f"  {name}: {stages[name]['seconds']:.2f} s (cpu {stages[name]['cpu_seconds']:.2f} s), peak "
                + ("unknown" if peak_mb is None else f"{peak_mb:.0f} MB above the corpus"), result)
        return value

    features = stage("text_features", lambda: text_features([(a.title, a.body) for a in articles],
                                                            available_cores()))
    neighbours = stage("neighbours", lambda: nearest(features, TEXT_NEIGHBOURS, available_cores()))
    features = None  # free them: a build keeps them only for corpus topics, related links need the neighbours
    stories = stage("stories", lambda: find_stories(articles, neighbours, StorySettings()))
    story_of = story_index(stories)
    links = stage("related_links", lambda: related_links(articles, TOP_K, RelatedWeights(), neighbours, story_of,
                                                         jobs=available_cores()))
    link_counts = [len(found) for found in links.values()]
    peaks = [measured["peak_mb"] for measured in stages.values()]
    result.update({
        "complete": True,
        "related_seconds": round(sum(measured["seconds"] for measured in stages.values()), 3),
        "related_cpu_seconds": round(sum(measured["cpu_seconds"] for measured in stages.values()), 3),
        "stage_peak_mb": None if None in peaks else max(peaks),  # the most any stage held above the corpus
        "process_peak_mb": round(_status_mb("VmHWM") if None in peaks else corpus_mb + max(peaks), 1),
        "stories": len(stories),
        "links_per_article": round(sum(link_counts) / count, 3) if count else 0.0,
        "articles_with_links": sum(1 for n in link_counts if n),
    })
    print(json.dumps(result), flush=True)
    return result


def _timed(run: Callable[[], T], baseline_mb: float) -> tuple[T, dict[str, float | None]]:
    """``run()``'s result; its wall and CPU seconds (CPU well below wall means other processes
    took the CPU, above it means threads), and its peak resident memory above ``baseline_mb``
    (None when the peak cannot be reset, so would include earlier stages)."""
    _release_free_memory()  # so the peak counts what earlier stages still hold, not what they freed
    reset = _reset_peak()
    start, start_cpu = time.perf_counter(), time.process_time()
    value = run()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
    peak_mb = round(_status_mb("VmHWM") - baseline_mb, 1) if reset else None
    return value, {"seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3), "peak_mb": peak_mb}


def measure_in_child(count: int, timeout: float | None) -> dict[str, Any]:
    """``measure(count)`` in a fresh interpreter, so each size's peak memory is its own. Its
    progress goes straight to our stderr; its measurements come back as JSON lines on stdout."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", str(count)]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired as stopped:  # the child is killed; keep what it finished
        result = _last_json(stopped.stdout) or {"articles": count, "stages": {}}
        running = next((name for name in STAGE_COLUMNS if name not in result["stages"]), "corpus")
        finished = result.get("corpus_seconds", 0) + sum(s["seconds"] for s in result["stages"].values())
        result["error"] = f"stopped after {timeout:g} s, in {running} (running for at most {timeout - finished:.0f} s)"
        result["running_stage"], result["running_seconds"] = running, round(timeout - finished)
        _report(f"{count:,} articles: {result['error']}")
        return result
    result = _last_json(done.stdout)
    if done.returncode != 0 or result is None:
        return {"articles": count, "stages": {}, "error": f"failed with exit status {done.returncode} (see above)"}
    return result


def table(results: list[dict[str, Any]]) -> str:
    header = ("articles", "corpus s", "corpus MB", *STAGE_COLUMNS.values(), "related s", "cpu s",
              "peak MB (stage)", "peak MB (process)", "µs/article", "links/article", "with links")
    rows = [header] + [_row(result, len(header)) for result in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    lines.append("related s = text + neighbours + stories + links (wall clock; cpu s is the process's CPU time)")
    lines.append("peak MB (stage) = the most any of those stages held above the corpus; µs/article from related s")
    lines.extend(f"{r['articles']:,} articles: {r['error']}" for r in results if "error" in r)
    fingerprints = sorted({r["code"] for r in results if "code" in r})
    lines.append(f"code measured: {', '.join(fingerprints) or 'unknown'} (hash of generator/"
                 f"{{{','.join(MEASURED_MODULES)}}}.py)"
                 + ("; it changed between sizes, so they do not compare" if len(fingerprints) > 1 else ""))
    if any(r.get("complete") and r["stage_peak_mb"] is None for r in results):
        lines.append("peak MB (stage) n/a: /proc/self/clear_refs refused, so only the whole process's peak is known")
    return "\n".join(lines)


def _row(result: dict[str, Any], width: int) -> tuple[str, ...]:
    """A table row; a stopped run shows the stages it finished and ">N" for the one it was in."""
    if not result.get("complete"):
        stages = result.get("stages", {})
        cells = [f"{result['articles']:,}", *_corpus_cells(result)]
        for name in STAGE_COLUMNS:
            if name in stages:
                cells.append(f"{stages[name]['seconds']:.2f}")
            elif name == result.get("running_stage"):
                cells.append(f">{result['running_seconds']}")
            else:
                cells.append("-")
        peaks = [s["peak_mb"] for s in stages.values() if s["peak_mb"] is not None]
        cells += ["-", "-", f">={max(peaks):.0f}" if peaks else "-"]
        return tuple(cells + ["-"] * (width - len(cells)))
    stage_peak = result["stage_peak_mb"]
    return (
        f"{result['articles']:,}", *_corpus_cells(result),
        *(f"{result['stages'][name]['seconds']:.2f}" for name in STAGE_COLUMNS),
        f"{result['related_seconds']:.2f}", f"{result['related_cpu_seconds']:.2f}",
        "n/a" if stage_peak is None else f"{stage_peak:.0f}", f"{result['process_peak_mb']:.0f}",
        f"{result['related_seconds'] / result['articles'] * 1e6:.0f}",
        f"{result['links_per_article']:.2f}", f"{result['articles_with_links']:,}")


def _corpus_cells(result: dict[str, Any]) -> tuple[str, str]:
    if "corpus_seconds" not in result:
        return "-", "-"
    return f"{result['corpus_seconds']:.1f}", f"{result['corpus_mb']:.0f}"


def growth(results: list[dict[str, Any]]) -> str:
    """Ratios between consecutive complete sizes: linear growth matches the size ratio,
    quadratic its square."""
    measured = [r for r in results if r.get("complete")]
    lines = ["\nGrowth between consecutive sizes (linear = the size ratio, quadratic = its square):"]
    for small, large in zip(measured, measured[1:]):
        size_ratio = large["articles"] / small["articles"]
        stage_times = ", ".join(f"{name} {_ratio(large['stages'][name]['seconds'], small['stages'][name]['seconds'])}"
                                for name in STAGE_COLUMNS)
        lines.append(f"  {large['articles']:,} / {small['articles']:,} (x{size_ratio:.3g}, quadratic x{size_ratio ** 2:.3g}):"
                     f" time {_ratio(large['related_seconds'], small['related_seconds'])}"
                     f" ({stage_times}), stage memory {_ratio(large['stage_peak_mb'], small['stage_peak_mb'])}")
    return "\n".join(lines) if len(lines) > 1 else ""


def _ratio(large: float | None, small: float | None) -> str:
    return f"x{large / small:.1f}" if large is not None and small else "n/a"


def _last_json(output: bytes | str | None) -> dict[str, Any] | None:
    lines = (output.decode() if isinstance(output, bytes) else output or "").splitlines()
    return json.loads(lines[-1]) if lines else None


def _status_mb(field: str) -> float:
    """A ``/proc/self/status`` memory field (reported in kB) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _release_free_memory() -> None:
    """Hand freed memory back to the system, so the RSS is what is live: otherwise a stage reuses
    freed pages unseen and its peak above the RSS reads too low."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the RSS keeps some freed memory
        pass


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux: "5" to clear_refs); whether that worked."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return abs(_status_mb("VmHWM") - _status_mb("VmRSS")) < 1


def _report(line: str, partial: dict[str, Any] | None = None) -> None:
    """A progress line to stderr and, from a child, the measurements so far to stdout."""
    print(line, file=sys.stderr, flush=True)
    if partial is not None:
        print(json.dumps(partial), flush=True)


def _shown_python() -> str:
    """The interpreter as typed from the project root when it lives there (.venv/bin/python)."""
    python = Path(sys.executable)
    try:
        return str(python.relative_to(ROOT))
    except ValueError:
        return str(python)


if __name__ == "__main__":
    main()
