"""Work run beside the build's own: in a thread (``in_background``) or a forked process
(``in_child_process``), with Ctrl-C and SIGTERM held back where a call must not be cut short."""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, TypeVar

Result = TypeVar("Result")


def in_thread(function: Callable[[], Result], name: str) -> tuple[threading.Thread, Callable[[], Result]]:
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


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """While inside, Ctrl-C and SIGTERM are held back (``signals_held``); those that arrived
    are raised as they would have struck once it is left (Ctrl-C: a KeyboardInterrupt there)."""
    with signals_held() as arrived:
        yield
    for signum in arrived:
        signal.raise_signal(signum)


@contextmanager
def signals_held() -> Iterator[list[int]]:
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


_BACKGROUND: list[threading.Thread] = []  # calls running in threads of this process (``in_background``)


def in_background(function: Callable[[], Result]) -> Callable[[], Result]:
    """Call ``function`` in a thread of its own, now; what is returned waits for it and gives its
    result (or raises what it raised). For work that mostly waits on the system in a few long
    calls (writing a large file), which let go of the interpreter, while this thread goes on
    with its own; for many short ones see ``in_child_process``. Such a thread is joined before
    this process forks workers (``parallel.map_with_shared``): a fork copies only the forking
    thread, and whatever that thread held stays held."""
    thread, outcome = in_thread(function, "digest-background")
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
    no open file. A fork copies only the forking thread: other threads (a Dask client's,
    ``digest serve``'s) go on here alone. Where processes cannot be forked (or forking fails),
    the work runs in a thread (``in_background``)."""
    if "fork" not in multiprocessing.get_all_start_methods():
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
            with signals_deferred():  # as for map_with_shared's workers: no signal strikes Python's fork handlers
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
    with signals_deferred():
        return result()


def join_background() -> None:
    """Wait for every ``in_background`` call still running (before this process forks)."""
    while _BACKGROUND:
        _BACKGROUND.pop().join()
