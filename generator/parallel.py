"""Work spread over processes, with results in input order, so output never depends on timing."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from concurrent.futures import CancelledError, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar

from threadpoolctl import threadpool_limits

from .background import in_thread, join_background, signals_deferred, signals_held
from .errors import DigestError
from .fingerprint import Code, loaded_code

Item = TypeVar("Item")
Result = TypeVar("Result")
Shared = TypeVar("Shared")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def batches(count: int, size: int) -> list[range]:
    """``range(count)`` cut into consecutive ranges of ``size`` (the last may be shorter)."""
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def shares(count: int, jobs: int, smallest: int, largest: int | None = None) -> list[range]:
    """``range(count)`` cut into one consecutive range per process, each at least ``smallest``
    long (below that, handing the work over costs more than doing it) and, given ``largest``,
    at most that long (what a process holds and hands back at once grows with its share)."""
    size = -(-count // max(jobs, 1))
    return batches(count, max(smallest, size if largest is None else min(size, largest)))


def map_over_shares(function: Callable[[Shared, Any], list[Result]], shared: Shared, rows: Any, jobs: int,
                    smallest: int, largest: int) -> list[Result]:
    """``function(shared, share)`` for each share of ``rows`` (an array or sequence, cut by
    ``shares``) over ``jobs`` processes: the parts each share gives, in order, in one list. The
    function works its share a chunk at a time (its memory), the share bounds what one process
    is given."""
    tasks = [rows[share.start:share.stop] for share in shares(len(rows), jobs, smallest, largest)]
    return [part for parts in map_with_shared(function, shared, tasks, jobs) for part in parts]


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Matrix products and factorizations (BLAS) on one thread while inside.

    BLAS threads spin while they wait; next to digest's own processes and threads on the same
    cores they slow each product down many times (measured here: a 10,000 x 108 QR took 2.7 s
    with two BLAS threads on a busy 2-core machine, 0.09 s with one). digest spreads its work
    itself, so BLAS gets one thread; forked processes inherit the setting.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@dataclass
class _Freezing:
    open_blocks: int = 0  # frozen_heap blocks open in this process
    frozen_before: bool = False  # whether the heap was frozen when the outermost one opened


_FREEZING = _Freezing()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """While inside, the objects alive when a worker was forked for ``map_with_shared`` are left
    out of the cycle collector's scans (``gc.freeze``), here and in the workers; on leaving the
    outermost block they are taken in again (``gc.unfreeze``), unless the heap was frozen before
    it (by a program that embeds digest, or in a worker, which inherits its parent's).

    A worker's collections would otherwise scan every object it inherited, writing to their
    pages, and so copy much of its parent's memory (copy-on-write) for nothing.
    """
    if not _FREEZING.open_blocks:
        _FREEZING.frozen_before = gc.get_freeze_count() > 0
    _FREEZING.open_blocks += 1
    try:
        yield
    finally:
        _FREEZING.open_blocks -= 1
        if not _FREEZING.open_blocks and not _FREEZING.frozen_before:
            gc.unfreeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """While inside, Python's cycle collector does not run in this process (it does in the
    workers forked meanwhile), and the heap stays frozen (``frozen_heap``). On a Dask cluster,
    whose client runs threads of its own in this process meanwhile, nothing is paused.

    A build keeps nearly everything it makes until it ends (articles, indexes, pages waiting to
    render), yet each full collection scans every object there is: in a clean build of 100,000
    articles, 20 of them took 24 s of the main process, on the build's serial path. A build
    leaves little cyclic garbage (10,293 objects at 10,000 articles), which the collector's
    next run after the block takes.
    """
    if on_cluster():
        yield
        return
    enabled = gc.isenabled()
    try:
        gc.disable()
        with frozen_heap():
            yield
    finally:
        if enabled:
            gc.enable()


DASK_CONNECT_SECONDS = 10  # to open a connection to the scheduler
DASK_HANDSHAKE_SECONDS = 5  # and then for it to answer as a Dask scheduler does
_CLUSTER: ContextVar[Any] = ContextVar("digest_cluster", default=None)  # a Dask client, while inside dask_cluster


@contextmanager
def dask_cluster(address: str) -> Iterator[int]:
    """While inside, ``map_with_shared`` runs its work on the Dask distributed cluster whose
    scheduler is at ``address`` (``tcp://host:8786``), through the client's standard
    ``concurrent.futures`` executor; yields the cluster's worker threads, the jobs to cut work for.

    The workers must have digest and its libraries installed, and see the project folder at
    the same path (articles are read where they are loaded). Results are the same bytes as
    a local build's: work is cut and merged in the same order, whoever does it.
    """
    try:
        from distributed import Client
    except ImportError:
        raise DigestError.at("--executor dask needs the distributed package",
                             hint="pip install 'digest[dask]'") from None
    hint = "start one with `dask scheduler`, or check the address"
    try:
        client = _started_within(functools.partial(Client, address, set_as_default=False,
                                                   timeout=f"{DASK_CONNECT_SECONDS}s"),
                                 DASK_CONNECT_SECONDS + DASK_HANDSHAKE_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DigestError.at(f"cannot reach the Dask scheduler at {address}: {exc}", hint=hint) from None
    if client is None:
        raise DigestError.at(f"cannot reach the Dask scheduler at {address}: no Dask handshake within "
                             f"{DASK_CONNECT_SECONDS + DASK_HANDSHAKE_SECONDS} s; is something else listening "
                             "there?", hint=hint)
    token = _CLUSTER.set(client)
    try:
        _same_code_on_workers(client)
        yield max(1, sum(client.nthreads().values()))
    finally:
        _CLUSTER.reset(token)
        client.close()


OTHER_CODE_HINT = "restart them with this digest and its libraries"


def _same_code_on_workers(client: Any) -> None:
    """Refuse a cluster whose workers loaded other code than this process: their pages would
    be recorded under this code's fingerprint (``fingerprint.loaded_code``), and trusted by the
    next build. A long-lived worker keeps the digest it loaded, whatever was installed since."""
    try:
        found = client.run(worker_code)
    except Exception as exc:  # noqa: BLE001 - a worker without digest: unpickling the call fails there
        raise DigestError.at(f"the Dask workers cannot run digest ({type(exc).__name__}: {exc})",
                             hint="install this digest and its libraries on them") from None
    for worker, code in sorted(found.items()):
        if code != loaded_code():
            raise other_digest(worker, code)


def other_digest(worker: str, code: Code) -> DigestError:
    return DigestError.at(f"the Dask workers run another digest than this one ({worker}: "
                          f"{'; '.join(loaded_code().differences(code))})", hint=OTHER_CODE_HINT)


def worker_code() -> Code:
    """The code a worker loaded (run there)."""
    return loaded_code()


def _started_within(start: Callable[[], Result], seconds: float) -> Result | None:
    """``start()``'s result, or None when it has not returned within ``seconds``. distributed
    bounds opening a connection but not its handshake: a web server at the scheduler's address
    keeps the client waiting for ever. The waiting thread is a daemon, so it ends with digest."""
    thread, result = in_thread(start, "dask-connect")
    thread.join(seconds)
    return None if thread.is_alive() else result()


def on_cluster() -> bool:
    """Whether work given to ``map_with_shared`` runs on other machines' processes, which
    cannot write into this machine's folders."""
    return _CLUSTER.get() is not None


def map_with_shared(function: Callable[[Shared, Item], Result], shared: Shared, items: Sequence[Item],
                    jobs: int, done: Callable[[Item], None] | None = None) -> list[Result]:
    """``[function(shared, item) for item in items]``, over ``jobs`` processes when that is more
    than one, or on the Dask cluster of ``dask_cluster``.

    The processes are forked, so they inherit ``shared`` (large read-only arrays) instead of
    receiving it by pickle; where the platform cannot fork, the work runs here, one item after
    another. On a cluster, ``shared`` is sent once to every worker. ``function`` must be a
    module-level function; items and results travel by pickle. An error in one item cancels
    the items not yet started and is raised here. ``done`` is called here with each item as its
    result arrives, in order (to report progress).
    """
    done = done or _nothing
    cluster = _CLUSTER.get()
    if cluster is not None and len(items) > 1:
        return _map_on_cluster(cluster, function, shared, items, done)
    if jobs <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for item in items:
            results.append(function(shared, item))
            done(item)
        return results
    join_background()
    with frozen_heap():
        gc.freeze()  # what the workers inherit, their collections never touch
        return _map_in_processes(function, shared, items, jobs, done)


def _map_in_processes(function: Callable[[Shared, Item], Result], shared: Shared, items: Sequence[Item],
                      jobs: int, done: Callable[[Item], None]) -> list[Result]:
    pool = None
    try:
        # The workers are forked with Ctrl-C and SIGTERM held back, so a signal cannot strike
        # Python's own fork handlers (an exception there is swallowed, and logging's lock stays
        # taken: the next fork hangs). One that came meanwhile is raised again once the workers
        # are forked, inside this try, so the pool is still shut down.
        with signals_deferred():
            # Forked, never spawned: a spawned worker imports digest afresh from disk, which may
            # hold newer code than this process loaded and records (``fingerprint.loaded_code``).
            pool = ProcessPoolExecutor(max_workers=min(jobs, len(items)),
                                       mp_context=multiprocessing.get_context("fork"),
                                       initializer=_receive, initargs=(function, shared, os.getpid()))
            found = pool.map(_call, items)  # forks every worker now
        results = []
        for item, result in zip(items, found):
            results.append(result)
            done(item)
    except BaseException:
        if pool is not None:
            # A second signal must not break off the shutdown (``timeout`` signals the build and
            # then its process group): workers never told to stop are waited for at exit for
            # ever, and the build's lock with them.
            with signals_held():
                pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results


def _map_on_cluster(client: Any, function: Callable[[Shared, Item], Result], shared: Shared,
                    items: Sequence[Item], done: Callable[[Item], None]) -> list[Result]:
    executor = client.get_executor(pure=False)
    # Boxed: Dask scatters a bare list or dict element by element, as one piece of data each.
    shared_future = client.scatter(_Box(shared), broadcast=True, hash=False)
    code = loaded_code()
    futures = [executor.submit(_call_unboxed, function, shared_future, item, code) for item in items]
    try:
        results = []
        for item, future in zip(items, futures):
            results.append(future.result())
            done(item)
    except BaseException as exc:
        for future in futures:
            future.cancel()
        if isinstance(exc, OtherCode):
            raise other_digest(*exc.args) from None
        if isinstance(exc, (CancelledError, OSError, TimeoutError)) or type(exc).__name__ == "KilledWorker":
            raise DigestError.at(f"the Dask cluster lost the work ({type(exc).__name__}: {exc})",
                                 hint="see the scheduler's and workers' logs; a local build needs no cluster") \
                from None
        raise
    finally:
        client.cancel(shared_future)
    return results


@dataclass(frozen=True)
class _Box:
    value: Any


class OtherCode(Exception):
    """Raised by a worker whose code is not the client's: (the worker's address, its ``Code``)."""


def _call_unboxed(function: Callable[[Any, Any], Any], shared: _Box, item: Any, code: Code) -> Any:
    # Checked with every item too: a worker that joined the cluster after ``dask_cluster``
    # asked them all may run another digest.
    if loaded_code() != code:
        from distributed import get_worker

        raise OtherCode(get_worker().address, loaded_code())
    return function(shared.value, item)


def map_in_threads(function: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    """``[function(item) for item in items]`` over ``jobs`` threads: for work that runs in C
    without the interpreter lock (sparse and dense matrix products), which threads share
    without copying anything."""
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(jobs, len(items))) as pool:
        return list(pool.map(function, items))


def _nothing(*args: Any) -> None:
    pass


_WORK: Any = None  # in a worker process: (function, shared), set once as the process starts


def _receive(function: Callable[[Any, Any], Any], shared: Any, parent: int) -> None:
    global _WORK
    _WORK = (function, shared)
    gc.enable()  # paused in a building parent (collector_paused); the inherited heap is frozen
    _FREEZING.open_blocks = 0  # the parent's open blocks are not this process's
    # Ctrl-C is the build's to handle (it cancels the work left and waits for the items under
    # way); SIGTERM ends a worker as it ends any process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # forked while the parent only took note of it
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _die_with(parent)


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """End this worker when the build that forked it ends, however it ends: a build killed
    outright (SIGKILL from a cron timeout) would otherwise leave its workers waiting for work
    for ever. Linux only; elsewhere a killed build's workers end when their pipe closes."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build ended before the request was made
        os._exit(1)


def _call(item: Any) -> Any:
    function, shared = _WORK
    return function(shared, item)
