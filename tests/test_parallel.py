"""Work over processes: the same results in the same order as one process, errors raised here."""

import gc
import os

import pytest

from generator import parallel
from generator.parallel import collector_paused, frozen_heap, map_with_shared


def scaled(shared, item):
    return shared["factor"] * item


def fail_on_three(shared, item):
    if item == 3:
        raise ValueError(f"bad item {item}")
    return item


def nested(shared, item):
    return sum(map_with_shared(scaled, shared, [item, item + 1], 2))


def collected_in_worker(shared, item):
    return any(obj is shared for obj in gc.get_objects())


def test_what_a_worker_inherits_its_collector_leaves_alone_and_here_it_is_collected_again_after():
    inherited = [["made before the workers"]]  # a list: the cycle collector tracks it
    assert map_with_shared(collected_in_worker, inherited, [1, 2], 2) == [False, False]
    assert gc.get_freeze_count() == 0
    assert any(obj is inherited for obj in gc.get_objects())


def _frozen(thing):
    """Whether ``thing`` is in the collector's permanent generation, which ``get_objects`` leaves out."""
    return not any(found is thing for found in gc.get_objects())


def test_a_frozen_heap_stays_frozen_until_its_outermost_block_ends():
    made_before = ["a list, which the collector tracks"]
    with frozen_heap():
        map_with_shared(scaled, {"factor": 1}, [1, 2], 2)
        with frozen_heap():
            pass
        assert _frozen(made_before)
    assert gc.get_freeze_count() == 0


def collector_on(shared, item):
    return gc.isenabled()


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_collector_paused_for_a_build_runs_in_its_workers_and_after_it_as_before(enabled_before):
    (gc.enable if enabled_before else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
            assert map_with_shared(collector_on, None, [1, 2], 2) == [True, True]
            assert gc.get_freeze_count() > 0  # what the workers inherited, until the block ends
        assert gc.isenabled() == enabled_before
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_a_heap_frozen_before_stays_frozen_after():
    # Told by one object kept alive, not by the count of frozen objects: a frozen object that
    # dies meanwhile (anything the test run lets go of) leaves the permanent generation.
    made_before = ["a list, which the collector tracks"]
    gc.freeze()  # as a program embedding digest may have
    try:
        with collector_paused():
            map_with_shared(scaled, {"factor": 1}, [1, 2], 2)
        assert _frozen(made_before)
    finally:
        gc.unfreeze()
    assert not _frozen(made_before)


def test_on_a_cluster_the_collector_is_not_paused(monkeypatch):
    # The Dask client's own threads make garbage in this process while the build runs.
    monkeypatch.setattr(parallel, "on_cluster", lambda: True)
    with collector_paused():
        assert gc.isenabled()


def test_results_come_back_in_input_order_from_forked_processes():
    items = list(range(40))
    assert map_with_shared(scaled, {"factor": 3}, items, 2) == [3 * i for i in items]


def test_an_error_in_a_worker_is_raised_in_the_caller():
    with pytest.raises(ValueError, match="bad item 3"):
        map_with_shared(fail_on_three, None, list(range(8)), 2)


def test_a_worker_may_spread_its_own_work_and_the_pool_stays_usable():
    assert map_with_shared(nested, {"factor": 2}, [1, 5, 9], 2) == [2 * (2 * i + 1) for i in (1, 5, 9)]
    assert map_with_shared(scaled, {"factor": 1}, [1, 2], 2) == [1, 2]


def test_without_fork_the_work_runs_in_this_process(monkeypatch):
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    calls = []
    assert map_with_shared(lambda shared, item: calls.append(item) or item, None, [1, 2, 3], 2) == [1, 2, 3]
    assert calls == [1, 2, 3]  # a lambda could not be pickled: it ran here


def test_threads_return_results_in_input_order_and_raise_errors_here():
    from generator.parallel import map_in_threads

    assert map_in_threads(lambda item: item * item, list(range(30)), 2) == [i * i for i in range(30)]
    with pytest.raises(ValueError, match="bad item 3"):
        map_in_threads(lambda item: fail_on_three(None, item), list(range(8)), 2)


def test_an_input_error_raised_in_a_worker_keeps_its_problems():
    from generator.errors import DigestError, Problem

    with pytest.raises(DigestError) as raised:
        map_with_shared(fail_with_problem, None, list(range(4)), 2)
    assert raised.value.problems == (Problem("bad page", "t.html", 3, "fix it"),)


def fail_with_problem(shared, item):
    from generator.errors import DigestError

    if item == 2:
        raise DigestError.at("bad page", "t.html", 3, hint="fix it")
    return item


def test_blas_runs_on_one_thread_inside_and_as_before_after():
    import numpy  # noqa: F401 (loads BLAS)
    from threadpoolctl import threadpool_info

    from generator.parallel import one_blas_thread

    def blas_threads():
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    before = blas_threads()
    assert before  # numpy's BLAS is loaded
    with one_blas_thread():
        assert set(blas_threads()) == {1}
    assert blas_threads() == before


def test_batches_and_shares_cover_every_item_once_in_order():
    from generator.parallel import batches, shares

    assert batches(7, 3) == [range(0, 3), range(3, 6), range(6, 7)] and batches(0, 3) == []
    assert shares(10, 2, 1) == [range(0, 5), range(5, 10)]
    assert shares(10, 4, 5) == [range(0, 5), range(5, 10)]  # no share under the smallest worth handing over
    assert shares(3, 2, 5) == [range(0, 3)]
    assert shares(10, 2, 1, 3) == batches(10, 3)  # no share over the largest
    assert shares(10, 2, 4, 3) == batches(10, 4)  # the smallest wins


def _sleep_and_mark(folder, item):
    import time
    time.sleep(0.5)
    (folder / str(item)).touch()


def test_ctrl_c_while_workers_start_cancels_the_work_left(monkeypatch, tmp_path):
    """A signal held back while the workers fork arrives inside the cleanup: the items not
    started are cancelled, not run on in the background (20 half-second items on 2 workers)."""
    import signal
    import time
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import EXTRA_QUEUED_CALLS

    from generator import parallel

    class SignalledWhileForking(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", SignalledWhileForking)
    jobs = 2
    with pytest.raises(KeyboardInterrupt):
        parallel.map_with_shared(_sleep_and_mark, tmp_path, list(range(20)), jobs)
    time.sleep(2)  # as long as eight more items would take, had the work gone on
    # Past cancelling: the items the workers run, and those the pool has put in its call
    # queue (marked running once queued). Had nothing been cancelled, all 20 would be there.
    assert len(list(tmp_path.iterdir())) <= jobs + (jobs + EXTRA_QUEUED_CALLS)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) == set()  # nothing left held back here


def test_workers_leave_ctrl_c_to_the_build_and_end_on_sigterm():
    from generator.parallel import map_with_shared

    found = set(map_with_shared(_worker_signals, None, list(range(4)), 2))
    assert found
    for blocked, ignored in found:
        assert int(blocked, 16) & ((1 << (2 - 1)) | (1 << (15 - 1))) == 0  # SIGINT, SIGTERM not blocked
        assert int(ignored, 16) & (1 << (2 - 1))  # SIGINT ignored: the build handles Ctrl-C


def _worker_signals(shared, item):
    fields = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
    return fields["SigBlk"].strip(), fields["SigIgn"].strip()


def test_sigterm_ends_a_worker_as_it_ends_any_process():
    # The workers fork while the build only takes note of SIGTERM: that handler must not stay.
    import signal

    assert set(map_with_shared(_sigterm_handler, None, list(range(4)), 2)) == {signal.SIG_DFL}


def _sigterm_handler(shared, item):
    import signal

    return signal.getsignal(signal.SIGTERM)


def test_a_second_signal_does_not_break_off_the_shutdown_after_the_first(monkeypatch):
    """Workers never told to stop would be waited for at exit for ever, holding the build lock."""
    import multiprocessing
    import signal
    from concurrent.futures import ProcessPoolExecutor

    class SignalledAgainWhileShuttingDown(ProcessPoolExecutor):
        def shutdown(self, *args, **kwargs):
            os.kill(os.getpid(), signal.SIGINT)  # as timeout's second signal, to the group
            super().shutdown(*args, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", SignalledAgainWhileShuttingDown)
    with pytest.raises(ValueError):  # the first error, not the second signal
        map_with_shared(fail_on_three, 2, list(range(6)), 2)
    assert multiprocessing.active_children() == []
