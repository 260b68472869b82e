"""Work spread over processes, with results in input order, so output never depends on timing."""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import functools
import gc
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from concurrent.futures import CancelledError, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar

from threadpoolctl import threadpool_limits

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
    thread, result = _in_thread(start, "dask-connect")
    thread.join(seconds)
    return None if thread.is_alive() else result()


def _in_thread(function: Callable[[], Result], name: str) -> tuple[threading.Thread, Callable[[], Result]]:
    """``function()`` begun in a daemon thread called ``name``: the thread, and what gives its
    result once it has ended (or raises what it raised, in the caller's thread)."""
    outcome: list[tuple[bool, Any]] = []

    def call() -> None:
        try:
            outcome.append((True, function()))
        except BaseException as exc:  # noqa: BLE001 - raised to whoever asks for the result
            outcome.append((False, exc))
    thread = threading.Thread(target=call, name=name, daemon=True)
    thread.start()

    def result() -> Result:
        done, value = outcome[0]
        if not done:
            raise value
        return value
    return thread, result


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
    _join_background()
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
        with _signals_deferred():
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
            with _signals_held():
                pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """While inside, Ctrl-C and SIGTERM are held back (``_signals_held``); those that arrived
    are raised as they would have struck once it is left (Ctrl-C: a KeyboardInterrupt there)."""
    with _signals_held() as arrived:
        yield
    for signum in arrived:
        signal.raise_signal(signum)


@contextmanager
def _signals_held() -> Iterator[list[int]]:
    """While inside, Ctrl-C and SIGTERM are held back: the list yielded gets the signals that
    arrived meanwhile, for the caller to raise again after.

    Blocking them in this thread is not enough: the kernel then hands a signal to another
    thread (BLAS starts its own), and Python still runs the handler in the main thread at
    whatever it is doing, a fork handler included. So in the main thread the handlers are
    swapped for ones that only take note, too.
    """
    arrived: list[int] = []
    swapped = {}
    if threading.current_thread() is threading.main_thread():
        swapped = {signum: signal.signal(signum, lambda signum, frame: arrived.append(signum)) for signum in _HELD}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, set(_HELD))
    try:
        yield arrived
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # those pending here arrive now, noted
        for signum, handler in swapped.items():
            if handler is not None:  # None: a handler not set from Python, which Python cannot restore
                signal.signal(signum, handler)


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


_BACKGROUND: list[threading.Thread] = []  # calls running in threads of this process (``in_background``)


def in_background(function: Callable[[], Result]) -> Callable[[], Result]:
    """Call ``function`` in a thread of its own, now; what is returned waits for it and gives its
    result (or raises what it raised). For work that mostly waits on the system in a few long
    calls (writing a large file), which let go of the interpreter, while this thread goes on
    with its own; for many short ones see ``in_child_process``. Such a thread is joined before this process forks workers (``map_with_shared``): a
    fork copies only the forking thread, and whatever that thread held stays held."""
    thread, outcome = _in_thread(function, "digest-background")
    _BACKGROUND.append(thread)

    def result() -> Result:
        thread.join()
        if thread in _BACKGROUND:
            _BACKGROUND.remove(thread)
        return outcome()
    return result


def in_child_process(function: Callable[[], Result]) -> Callable[[], Result]:
    """``in_background``, but in a forked process of its own: for work that would keep taking
    the interpreter back from this thread. A thread's ``stat`` of each of 30,000 files did so
    30,000 times while this thread loaded and related the articles, and cost it 0.15 s of a
    one-edit rebuild at 10,000 articles; a process runs on the other core. The child leaves its
    result, pickled, in a file of its own and ends (alive, it would keep this process's memory
    as forked, to be copied as this process writes to it); the returned function waits for it
    and gives the result (or raises what it raised; ``ChildProcessError`` when the child ended
    without one), and keeps it for later calls.

    The child holds no file of this process's but its own (a build's lock must not outlive the
    build in it), and Ctrl-C and SIGTERM stay held back there: it is for short work that needs
    no open file. Where processes cannot be forked (or forking fails), or on a Dask cluster
    (whose client runs threads here), the work runs in a thread (``in_background``)."""
    if on_cluster() or "fork" not in multiprocessing.get_all_start_methods():
        return in_background(function)
    try:
        result_file = tempfile.TemporaryFile()  # nameless: nothing is left behind
    except OSError:  # no file to be had now: a thread does it
        return in_background(function)
    with result_file:
        try:
            kept = os.fdopen(os.dup(result_file.fileno()), "rb")  # this process's, to read the result by
        except OSError:
            return in_background(function)
        try:
            reading, writing = os.pipe()
        except OSError:
            kept.close()
            return in_background(function)
        child = None
        try:
            with _signals_deferred():  # as in _map_in_processes: no signal strikes Python's fork handlers
                try:
                    pid = os.fork()
                except OSError:  # no process to be had now: a thread does it, below
                    pid = None
                if pid == 0:
                    _run_as_child(function, result_file.fileno(), writing)  # never returns
                if pid is not None:
                    # From here, a child dropped (a signal raised as this block ends) is waited for.
                    child = _Child(pid, kept)
            os.close(writing)
            writing = -1
            if child is not None:
                os.read(reading, 1)  # once the child holds no file of this process's (or has ended)
        finally:
            os.close(reading)
            if writing != -1:
                os.close(writing)
            if child is None:
                kept.close()
    if child is None:
        return in_background(function)
    return child.result


def _run_as_child(function: Callable[[], Any], result_fd: int, ready_fd: int) -> None:
    status = 1
    try:
        gc.disable()  # nothing inherited is collected (and its pages copied) here
        _close_all_but(result_fd, ready_fd)
        os.write(ready_fd, b"\0")
        os.close(ready_fd)
        try:
            outcome = (True, function())
        except BaseException as exc:  # noqa: BLE001 - raised to whoever asks for the result
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome, protocol=5)
        except Exception as exc:  # noqa: BLE001 - a result or error with no pickle
            data = pickle.dumps((False, ChildProcessError(f"{type(exc).__name__}: {exc}")), protocol=5)
        with os.fdopen(result_fd, "wb") as out:
            out.write(data)
        status = 0
    finally:  # nothing of the parent's (exit functions, buffers) runs here
        os._exit(status)


def _close_all_but(*kept: int) -> None:
    """Close every file descriptor above stderr but ``kept``: those listed in /proc/self/fd
    where there is one (``closerange`` up to the limit tries each number where the kernel has no
    ``close_range``, a million in some containers)."""
    try:
        found = sorted(int(name) for name in os.listdir("/proc/self/fd"))
    except OSError:
        found = None
    if found is None:
        limit = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1 << 16
        bounds = [2, *sorted(kept), limit]
        for low, high in zip(bounds, bounds[1:]):
            os.closerange(low + 1, high)
        return
    for fd in found:
        if fd > 2 and fd not in kept:
            try:
                os.close(fd)
            except OSError:  # the listing's own descriptor, closed already
                pass


@dataclass
class _Child:
    """A process forked by ``in_child_process``, the file its result comes in, and the result
    once read."""

    pid: int
    result_file: Any  # BinaryIO
    waited: list[bool] = dataclasses.field(default_factory=lambda: [False])  # shared with the finalizer
    outcome: tuple[bool, Any] | None = None

    def __post_init__(self) -> None:
        # Not at exit: the process's end takes its children's files and zombies with it.
        weakref.finalize(self, _reap, self.pid, self.result_file, self.waited).atexit = False

    def result(self) -> Any:
        if self.outcome is None:
            self.outcome = self._taken()
        done, value = self.outcome
        if not done:
            raise value
        return value

    def _taken(self) -> tuple[bool, Any]:
        if not self.waited[0]:
            code = _waited(self.pid, self.waited)
            if code not in (0, None):
                return False, ChildProcessError(f"process {self.pid}, forked to work in the background, "
                                                f"ended with status {code} and no result")
        try:
            self.result_file.seek(0)
            outcome = pickle.loads(self.result_file.read())
        except Exception as exc:  # noqa: BLE001 - what the child left cannot be read
            outcome = (False, ChildProcessError(f"the result of process {self.pid} cannot be read: {exc}"))
        self.result_file.close()  # read (a Ctrl-C meanwhile leaves it to the finalizer)
        return outcome


def _reap(pid: int, result_file: Any, waited: list[bool]) -> None:
    """A child whose result nobody asked for: ended (it holds signals back, and a ``stat`` can
    hang on a network mount), waited for, and its file closed, so a long-lived process
    (``digest serve``) keeps neither. (Its pid is not reused before it is waited for.)"""
    result_file.close()
    if not waited[0]:
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        _waited(pid, waited)


def _waited(pid: int, waited: list[bool]) -> int | None:
    """Wait for the child ``pid`` to end, noting it in ``waited``: its exit code (negative: the
    signal that ended it), None when something else waited for it already."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = None
    waited[0] = True
    return None if status is None else os.waitstatus_to_exitcode(status)


def waited_out(result: Callable[[], Result]) -> Result:
    """``result()`` of ``in_background``, with Ctrl-C and SIGTERM held back until the thread is
    done (then raised as they would have struck): for a thread writing a file, which must not
    be cut short as the process ends, nor outlive the build's lock."""
    with _signals_deferred():
        return result()


def _join_background() -> None:
    while _BACKGROUND:
        _BACKGROUND.pop().join()


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
