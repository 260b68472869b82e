"""``digest`` and ``python -m generator``: the command line, interruptible from the first instant.

Loading the command line's modules takes a tenth of a second; Ctrl-C in that time ends the
command like Ctrl-C later does (exit 130, no traceback), not with Python's traceback.
"""

import atexit
import os
import signal
import sys

INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C (cli.EXIT_INTERRUPTED)


def run() -> None:
    try:
        from .startup import defer_unused_numpy_modules

        defer_unused_numpy_modules()
        from .cli import main
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        _exit_interrupted()
    try:
        code = main()
    except KeyboardInterrupt:  # after main's own handling: between its last step and its return
        print("interrupted", file=sys.stderr)
        code = INTERRUPTED
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the work is done: exit with its code, whenever Ctrl-C comes
    if code == INTERRUPTED:
        _exit_interrupted()
    sys.exit(code)


def entry() -> None:
    """The ``digest`` command and ``python -m generator``: ``run``, then an exit that skips
    Python's teardown. After a build, freeing every object the build still held (the loaded
    site, its indexes, the imported modules) took 0.13 s of a 2.6 s one-edit rebuild at
    10,000 articles, for a process that is about to end. What an exit must do is still done:
    the functions registered to run at exit, and the flush of the output. (Digest's process
    pools are shut down where they are used, and its threads are joined before a command ends.)"""
    try:
        run()
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: Python's own exit prints it
        _exit_now(exc.code or 0)


# Python's own exit status when the output cannot be written as it ends.
OUTPUT_LOST = 120


def _exit_now(code: int) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):  # the work is done: nothing is cut short now
        signal.signal(signum, signal.SIG_IGN)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed: nothing to keep
            pass
        except OSError as exc:  # a full disk: what was written is cut short, and the exit says so
            if stream is sys.stdout:
                print(f"error: cannot write the output: {exc.strerror or exc}", file=sys.stderr, flush=True)
            code = code or OUTPUT_LOST
    os._exit(code)


def _exit_interrupted() -> None:
    """Exit 130 once Ctrl-C was handled. Not through sys.exit: when the KeyboardInterrupt went
    through code that a library ran with PyRun_* (numpy's and scipy's imports do), CPython notes
    it as unhandled, caught or not, and ends the process by SIGINT at exit instead of with its
    code (seen as -2 by the caller). The cleanup at exit still runs first."""
    _exit_now(INTERRUPTED)


if __name__ == "__main__":
    entry()
