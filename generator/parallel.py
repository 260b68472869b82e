"""Work spread over processes, with results in input order, so output never depends on timing."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Shared = TypeVar("Shared")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def map_in_order(function: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    """``[function(item) for item in items]``, over ``jobs`` processes when that is more than one.

    ``function`` must be a module-level function; items and results travel by pickle. Processes
    are forked where the platform allows, so they start at once with the parent's modules loaded.
    """
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=context) as pool:
        return list(pool.map(function, items))


def map_with_shared(function: Callable[[Shared, Item], Result], shared: Shared, items: Sequence[Item],
                    jobs: int) -> list[Result]:
    """``[function(shared, item) for item in items]`` over ``jobs`` forked processes, which
    inherit ``shared`` (large read-only arrays) instead of receiving it by pickle; serial where
    the platform cannot fork."""
    if jobs <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(shared, item) for item in items]
    global _SHARED
    _SHARED = (function, shared)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(items)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_call_with_shared, items))
    finally:
        _SHARED = None


_SHARED: Any = None  # (function, shared) while map_with_shared runs: forked workers see it


def _call_with_shared(item: Any) -> Any:
    function, shared = _SHARED
    return function(shared, item)
