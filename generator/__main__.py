"""``digest`` and ``python -m generator``: the command line, interruptible from the first instant.

Loading the command line's modules takes a tenth of a second; Ctrl-C in that time ends the
command like Ctrl-C later does (exit 130, no traceback), not with Python's traceback.
"""

import signal
import sys


def run() -> None:
    try:
        from .cli import EXIT_INTERRUPTED, main
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    try:
        code = main()
    except KeyboardInterrupt:  # after main's own handling: between its last step and its return
        print("interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the work is done: exit with its code, whenever Ctrl-C comes
    sys.exit(code)


if __name__ == "__main__":
    run()
