"""Work beside the build's: calls in a thread or a forked process, their results and errors here."""

import os

import pytest

from generator import background
from generator.parallel import map_with_shared


def _as_seen(shared, item):
    return list(shared)


def test_a_call_in_the_background_gives_its_result_or_error_and_ends_before_any_fork():
    import time

    from generator.background import in_background

    assert in_background(lambda: 6 * 7)() == 42
    failed = in_background(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failed()
    done = []
    waiting = in_background(lambda: time.sleep(0.3) or done.append("done"))
    # Forked workers copy this process as it is: only a call ended before the fork is in their copy.
    assert map_with_shared(_as_seen, done, [0, 1], jobs=2) == [["done"], ["done"]]
    assert waiting() is None and background._BACKGROUND == []


def _ended_unwaited(pid):
    """Whether the child ``pid`` has ended and is not waited for yet (not waiting for it either);
    None when it is no child of this process's (any more)."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return None


def _eventually(check, seconds=10):
    import time

    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.01)
    return check()


def _pid_then_wait_for(path):
    """In the child: its pid written to ``path`` + ".pid", then whether ``path`` appears within 10 s."""
    import time

    with open(f"{path}.pid-", "w") as out:
        out.write(str(os.getpid()))
    os.replace(f"{path}.pid-", f"{path}.pid")  # whole when it is there
    deadline = time.monotonic() + 10
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    return os.path.exists(path)


def test_a_call_in_a_child_process_runs_beside_this_one_and_gives_its_result_or_error_once_asked(tmp_path):
    import signal

    from generator.background import in_child_process

    go = tmp_path / "go"
    waiting = in_child_process(lambda: (_pid_then_wait_for(go), list(range(100_000))))
    pid = int(_eventually(lambda: (tmp_path / "go.pid").exists() and (tmp_path / "go.pid").read_text()))
    go.touch()  # it runs meanwhile: called here, it would have waited for this in vain
    # It ends with its result (400 KB) left for whoever asks, asked or not.
    assert pid != os.getpid() and _eventually(lambda: _ended_unwaited(pid))
    assert waiting() == (True, list(range(100_000))) and waiting() == waiting()  # kept once read
    assert _ended_unwaited(pid) is None  # waited for
    failed = in_child_process(lambda: {}["missing"])
    with pytest.raises(KeyError, match="missing"):
        failed()
    killed = in_child_process(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(ChildProcessError, match="ended with status -9 and no result"):
        killed()


def test_a_child_process_holds_no_file_of_this_ones_and_an_unasked_one_is_waited_for_when_dropped(tmp_path):
    import fcntl

    from generator.background import in_child_process

    go = tmp_path / "go"
    fds = set(os.listdir("/proc/self/fd"))
    with open(tmp_path / "lock", "wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        waiting = in_child_process(lambda: _pid_then_wait_for(go))
    pid = int(_eventually(lambda: (tmp_path / "go.pid").exists() and (tmp_path / "go.pid").read_text()))
    # The lock went with this process's file: the child, still running, does not keep it.
    with open(tmp_path / "lock", "wb") as again:
        fcntl.flock(again, fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert _ended_unwaited(pid) is False
    go.touch()
    del waiting  # never asked: the child is waited for and its file closed
    assert _ended_unwaited(pid) is None and set(os.listdir("/proc/self/fd")) == fds
