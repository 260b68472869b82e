"""Fuzz digest at length: python bench/fuzz.py [TARGET ...]   (``make fuzz``)

Runs the fuzz targets of tests/fuzz_targets.py (front_matter, load, slug, feeds; all of them
when none is named) with hypothesis, the same targets tests/test_fuzz.py runs briefly in CI.
Each target runs until FUZZ_EXAMPLES examples have run (default 10,000) or FUZZ_SECONDS seconds
have passed (default: no limit), whichever comes first, in batches of fresh random examples.
FUZZ_SEED makes a run repeatable.

A failure is shrunk to a minimal input and printed (the target, the input, the traceback and a
``@reproduce_failure`` line), and saved under .hypothesis/fuzz/, so the next run tries it first.
The exit status is 1 when any target failed, else 0.

    FUZZ_SECONDS=300 python bench/fuzz.py feeds
    FUZZ_EXAMPLES=20000 python bench/fuzz.py
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

from tests.fuzz_targets import TARGETS  # noqa: E402

# Examples per hypothesis run, the time budget being checked between runs: the first run is
# small, later ones sized from the rate seen to take about BATCH_SECONDS or what time is left.
FIRST_BATCH, BATCH_SECONDS, MAX_BATCH = 100, 20.0, 5000


def fuzz(name: str, examples: int, seconds: float | None, fixed_seed: int | None) -> tuple[int, float, bool]:
    """Run one target; return the examples run, the seconds taken and whether it held."""
    target, strategy = TARGETS[name]
    database = DirectoryBasedExampleDatabase(str(ROOT / ".hypothesis" / "fuzz"))
    calls = 0
    start = last_report = time.monotonic()
    batch = 0
    while calls < examples and (seconds is None or time.monotonic() - start < seconds):
        size = FIRST_BATCH
        if calls:
            rate = calls / (time.monotonic() - start)
            left = BATCH_SECONDS if seconds is None else min(BATCH_SECONDS, seconds - (time.monotonic() - start))
            size = max(10, min(MAX_BATCH, int(rate * left)))
        size = min(size, examples - calls)

        def run(value) -> None:
            nonlocal calls
            calls += 1
            target(value)

        run.__name__ = run.__qualname__ = f"fuzz_{name}"  # the key of its saved failures
        test = settings(max_examples=size, deadline=None, database=database, print_blob=True,
                        suppress_health_check=list(HealthCheck))(given(strategy)(run))
        if fixed_seed is not None:
            test = seed(fixed_seed + batch)(test)
        try:
            test()
        except BaseException as error:  # noqa: BLE001 - a failing target, reported below
            if isinstance(error, KeyboardInterrupt):
                raise
            print(f"\n{name}: FAILED after {calls:,} examples", flush=True)
            for found in (error.exceptions if isinstance(error, BaseExceptionGroup) else (error,)):
                print("".join(traceback.format_exception(found)), flush=True)
            return calls, time.monotonic() - start, False
        batch += 1
        if time.monotonic() - last_report >= 10:
            last_report = time.monotonic()
            print(f"  {name}: {calls:,} examples, {last_report - start:.0f} s", flush=True)
    return calls, time.monotonic() - start, True


def main(argv: list[str]) -> int:
    names = argv or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        print(f"unknown target(s) {', '.join(unknown)}; the targets are {', '.join(TARGETS)}", file=sys.stderr)
        return 2
    examples = int(os.environ.get("FUZZ_EXAMPLES", "10000"))
    seconds = float(os.environ["FUZZ_SECONDS"]) if os.environ.get("FUZZ_SECONDS") else None
    fixed_seed = int(os.environ["FUZZ_SEED"]) if os.environ.get("FUZZ_SEED") else None
    results = []
    for name in names:
        print(f"{name}: up to {examples:,} examples" + (f" or {seconds:g} s" if seconds else ""), flush=True)
        results.append((name, *fuzz(name, examples, seconds, fixed_seed)))
    print("\ntarget          examples    seconds  result")
    for name, calls, taken, held in results:
        print(f"{name:<14}{calls:>10,}{taken:>11.0f}  {'ok' if held else 'FAILED'}")
    return 0 if all(held for *_, held in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
