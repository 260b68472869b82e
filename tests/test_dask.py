"""digest build --executor dask: the same bytes as a local build, on a real (local) Dask cluster."""

import operator
import shutil
import socket

import pytest
from distributed import Client, LocalCluster

from generator import parallel
from generator.cli import main
from generator.errors import DigestError
from generator.fingerprint import loaded_code
from tests.conftest import site_tree
from tests.test_build_cache import corpus, edit


@pytest.fixture(scope="module")
def scheduler():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def build(config, *args):
    assert main(["--config", str(config), "--quiet", "build", *args]) == 0
    return site_tree(config.parent / "site")


def test_a_cluster_build_is_the_same_bytes_as_a_local_one(make_site, tmp_path_factory, scheduler, capsys):
    config = make_site(corpus(24))
    local = tmp_path_factory.mktemp("local")
    for name in ("site.yaml", "content"):
        (shutil.copytree if (config.parent / name).is_dir() else shutil.copy)(config.parent / name, local / name)
    expected = build(local / "site.yaml", "--jobs", "1")
    assert build(config, "--executor", "dask", "--scheduler", scheduler) == expected
    with Client(scheduler) as client:  # the work did run there
        ran = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert "call_unboxed" in ran, ran  # digest's work items, run by the workers
    # An incremental build on the cluster: pages rendered there, written here.
    for project in (config.parent, local):
        edit(project / "content" / "articles" / "a05.md", "title: ", "title: Revised ")
    capsys.readouterr()
    assert main(["--config", str(config), "build", "--executor", "dask", "--scheduler", scheduler]) == 0
    assert "rendered)" in capsys.readouterr().out
    assert site_tree(config.parent / "site") == build(local / "site.yaml", "--jobs", "2", "--clean")


def test_the_executor_and_scheduler_go_together(make_site, capsys):
    config = make_site(corpus(2))
    assert main(["--config", str(config), "build", "--executor", "dask"]) == 1
    assert capsys.readouterr().err == (f"error: {config}: --executor dask and --scheduler go together "
                                       "(give both, e.g. --executor dask --scheduler tcp://host:8786)\n")


def test_an_unreachable_scheduler_is_a_clear_error(make_site, capsys):
    config = make_site(corpus(2))
    assert main(["--config", str(config), "build", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9: ") and "Traceback" not in err
    assert not (config.parent / "site").exists()


def test_a_server_that_is_not_a_scheduler_is_a_clear_error_not_a_hang(make_site, capsys, monkeypatch):
    # It takes the connection and never answers Dask's handshake, as a web server does.
    monkeypatch.setattr(parallel, "DASK_CONNECT_SECONDS", 1)
    monkeypatch.setattr(parallel, "DASK_HANDSHAKE_SECONDS", 1)
    config = make_site(corpus(2))
    with socket.create_server(("127.0.0.1", 0)) as listener:
        address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
        assert main(["--config", str(config), "build", "--executor", "dask", "--scheduler", address]) == 1
    assert capsys.readouterr().err == (
        f"error: cannot reach the Dask scheduler at {address}: no Dask handshake within 2 s; is something else"
        " listening there? (start one with `dask scheduler`, or check the address)\n")
    assert not (config.parent / "site").exists()


# --- workers that run another digest --------------------------------------------------------------


def report_another_numpy():
    """Run on a worker: it loaded another numpy than the client, as a worker started before an
    upgrade (or on a machine not upgraded) has."""
    from generator import fingerprint

    installed = fingerprint.installed_versions
    fingerprint.installed_versions = lambda names: {**installed(names), "numpy": "0.0-other"}
    try:
        fingerprint.loaded_code.cache_clear()
        fingerprint.loaded_code()
    finally:
        fingerprint.installed_versions = installed


def report_own_code():
    from generator import fingerprint

    fingerprint.loaded_code.cache_clear()
    fingerprint.loaded_code()


@pytest.fixture
def other_digest_on(scheduler):
    """Call with worker addresses (None: all) to have them run another numpy; undone after the test."""
    with Client(scheduler) as client:
        yield lambda workers=None: client.run(report_another_numpy, workers=workers)
        client.run(report_own_code)


def workers(scheduler):
    with Client(scheduler) as client:
        return sorted(client.scheduler_info()["workers"])


def refusal(worker):
    here = dict(loaded_code().parts)["numpy"]
    return (f"the Dask workers run another digest than this one ({worker}: numpy 0.0-other, here {here}) "
            "(restart them with this digest and its libraries)")


def test_workers_that_loaded_another_digest_are_refused_and_the_site_kept(make_site, scheduler, other_digest_on,
                                                                           capsys):
    # Their pages would be recorded as this code's, and trusted by the next build.
    config = make_site(corpus(4))
    before = build(config)
    edit(config.parent / "content" / "articles" / "a01.md", "title: ", "title: Revised ")
    other = workers(scheduler)[-1]
    other_digest_on([other])  # one worker of two is enough
    capsys.readouterr()
    assert main(["--config", str(config), "build", "--executor", "dask", "--scheduler", scheduler]) == 1
    assert capsys.readouterr().err == f"error: {refusal(other)}\n"
    assert site_tree(config.parent / "site") == before


def test_a_worker_that_runs_another_digest_is_refused_with_its_first_item(scheduler, other_digest_on):
    # As a worker that joins the cluster after the check would: each item checks its worker's code.
    with parallel.dask_cluster(scheduler) as threads:
        other_digest_on()
        with pytest.raises(DigestError) as refused:
            parallel.map_with_shared(operator.add, 10, [1, 2, 3, 4], threads)
    assert str(refused.value) in {refusal(worker) for worker in workers(scheduler)}
