"""digest build --executor dask: the same bytes as a local build, on a real (local) Dask cluster."""

import shutil
import socket

import pytest
from distributed import Client, LocalCluster

from generator import parallel
from generator.cli import main
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
