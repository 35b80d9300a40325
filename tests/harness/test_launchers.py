"""Every documented launcher runs a sweep with the same rows, metrics and per-day figures
(a two-day run) as the basic one: joblib, submitit's local executor, Ray in-process, and Ray on
a cluster this test starts (``ray start --head`` on loopback) and stops. The number of runs
that ran at once is measured.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gigbench.harness.collect import collect
from gigbench.harness.concurrency import ActiveRun

ROOT = Path(__file__).resolve().parents[2]
SWEEP = ["-m", "solver=greedy,hungarian", "instance=nyc", "instance.n_tasks=120",
         "instance.n_workers=15", "instance.horizon_h=0.5", "mode.days=2"]  # fmt: skip
TIMING = ("_s_", "_seconds", "solve_s", "edge_s")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # no launcher at all: the hydra_plugins namespace is absent
        return False


def _plugin(module: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not _installed(module), reason=f"{module} not installed (pip install -e '.[slow]')"
    )


def sweep(results: Path, *launcher: str, env: dict[str, str] | None = None, console=True):
    """Run the reference sweep into ``results`` with ``launcher`` overrides; ``console``: the
    jobs' own lines reach the terminal (submitit keeps them in its job logs)."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "gigbench.harness",
            *SWEEP,
            f"results_dir={results}",
            f"hydra.sweep.dir={results}_hydra",
            *launcher,
        ],
        cwd=results.parent,
        capture_output=True,
        text=True,
        timeout=420,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    said = out.stdout + out.stderr
    assert not console or ("[1/2] solver=greedy ok" in said and "[2/2] solver=hungarian" in said)
    assert "sweep of 2 runs" in out.stdout and "ok             2" in out.stdout
    table = pq.read_table(collect(results))
    days = {rid: pq.read_table(results / "runs" / rid / "days.parquet").to_pandas()
            for rid in table.column("run_id").to_pylist()}  # fmt: skip
    return table, days


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    """The reference: the basic launcher, one run at a time."""
    table, days = sweep(tmp_path_factory.mktemp("basic") / "res")
    assert table.column("env_concurrent_runs").to_pylist() == [1, 1]
    return table, days


def same_rows(basic, swept, launcher: str) -> None:
    """Same run ids, every row once, identical metrics except timings, identical days."""
    (basic, basic_days), (other, other_days) = basic, swept
    assert other.num_rows == basic.num_rows == 2
    assert other.column("run_id").to_pylist() == basic.column("run_id").to_pylist()
    timing = [c for c in basic.column_names if any(t in c for t in TIMING)]
    metrics = [c for c in basic.column_names if c.startswith("m_") and c not in timing]
    assert "m_gini" in metrics and "m_match_rate" in metrics
    for column in metrics:
        a, b = basic.column(column).to_pylist(), other.column(column).to_pylist()
        assert a == b, column
    assert set(other.column("status").to_pylist()) == {"ok"}
    assert set(other.column("env_launcher").to_pylist()) == {launcher}
    for rid, days in basic_days.items():
        assert len(days) == 2 and days.equals(other_days[rid]), rid


@_plugin("hydra_plugins.hydra_joblib_launcher")
@pytest.mark.slow
def test_joblib(basic, tmp_path) -> None:
    swept = sweep(tmp_path / "res", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2")
    same_rows(basic, swept, "joblib")
    table = swept[0]
    assert set(table.column("env_launcher_jobs").to_pylist()) == {2}
    assert set(table.column("env_concurrent_runs").to_pylist()) <= {1, 2}


@_plugin("hydra_plugins.hydra_submitit_launcher")
@pytest.mark.slow
def test_submitit_local(basic, tmp_path) -> None:
    swept = sweep(
        tmp_path / "res",
        "hydra/launcher=submitit_local",
        "hydra.launcher.timeout_min=10",
        console=False,
    )
    logs = "".join(p.read_text() for p in Path(f"{tmp_path}/res_hydra").rglob("*_log.out"))
    assert "[1/2] solver=greedy ok" in logs and "[2/2] solver=hungarian ok" in logs
    same_rows(basic, swept, "submitit_local")


RAY_FAST = ["+hydra.launcher.ray.init.include_dashboard=false"]


@pytest.mark.slow
@_plugin("hydra_plugins.hydra_ray_launcher")
def test_ray_in_process(basic, tmp_path) -> None:
    swept = sweep(tmp_path / "res", "hydra/launcher=ray", *RAY_FAST,
                  "+hydra.launcher.ray.init.num_cpus=2")  # fmt: skip
    same_rows(basic, swept, "ray")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ray_cluster(tmp_path):
    """A one-node Ray cluster on loopback, started for this test and stopped after it."""
    ray = shutil.which("ray") or str(Path(sys.executable).parent / "ray")
    if not Path(ray).exists():
        pytest.skip("the ray command is not installed (pip install -e '.[slow]')")
    port = _free_port()
    temp = Path("/tmp") / f"ray-gigbench-{port}"  # short: Ray's socket paths have a length limit
    # Ray's single-machine mode: every address (head, driver, workers) stays on 127.0.0.1
    # instead of the interface Ray would pick to be reachable from other machines; no token
    # (nothing but this test can reach a loopback cluster).
    env = dict(os.environ, PYTHONPATH=str(ROOT), RAY_USAGE_STATS_ENABLED="0",
               RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0", RAY_AUTH_MODE="disabled")  # fmt: skip
    start = [ray, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
             "--num-cpus=2", "--include-dashboard=false", f"--temp-dir={temp}",
             "--disable-usage-stats"]  # fmt: skip
    subprocess.run(start, check=True, env=env, capture_output=True, timeout=180)
    try:
        yield f"127.0.0.1:{port}", env
    finally:
        subprocess.run([ray, "stop", "--force"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.slow
@_plugin("hydra_plugins.hydra_ray_launcher")
def test_ray_cluster_as_configured(basic, tmp_path, ray_cluster) -> None:
    """The shipped ``ray_cluster`` config joins a running cluster as written (the address is
    the only override: ``auto`` would find the cluster from its files too)."""
    address, env = ray_cluster
    swept = sweep(tmp_path / "res", "hydra/launcher=ray_cluster",
                  f"hydra.launcher.ray.init.address={address}", env=env)  # fmt: skip
    same_rows(basic, swept, "ray_cluster")


CONCURRENT = """
import sys, time
from gigbench.harness.concurrency import ActiveRun
run = ActiveRun()
print("started", flush=True)
time.sleep(float(sys.argv[1]))
print(run.finish(), flush=True)
"""


def test_concurrent_runs_are_measured_not_assumed(tmp_path, monkeypatch) -> None:
    """Two runs overlapping in time count 2 each; a run alone afterwards counts 1."""
    from gigbench.harness import concurrency

    env = dict(os.environ, PYTHONPATH=str(ROOT), GIGBENCH_ACTIVE_DIR=str(tmp_path))
    monkeypatch.setattr(concurrency, "FOLDER", tmp_path)

    def start(seconds: float) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", CONCURRENT, str(seconds)],
                                stdout=subprocess.PIPE, text=True, env=env)  # fmt: skip
        assert proc.stdout.readline().strip() == "started"
        return proc

    a, b = start(1.0), start(1.0)
    assert [int(p.communicate(timeout=60)[0]) for p in (a, b)] == [2, 2]
    time.sleep(0.05)
    assert ActiveRun().finish() == 1  # the others ended before it started


def test_the_register_keeps_only_records_a_live_or_future_run_can_overlap(
    tmp_path, monkeypatch
) -> None:
    """A finished run that ended before the asking run and every live run started is
    removed (every run reads the register: a day of records made each run read 1,500 files);
    one a live run overlapped stays, and so do live runs."""
    import json

    from gigbench.harness import concurrency

    monkeypatch.setattr(concurrency, "FOLDER", tmp_path)
    now = time.time()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        records = {
            "old": {"pid": 1, "start": now - 500, "end": now - 400},  # before everyone
            "seen_by_live": {"pid": 1, "start": now - 300, "end": now - 150},
            "live": {"pid": live.pid, "start": now - 200, "end": None},
        }
        for name, record in records.items():
            (tmp_path / f"{name}.json").write_text(json.dumps(record))
        run = concurrency.ActiveRun()
        run.start = now - 100
        assert run.finish() == 2  # itself and the live run; "seen_by_live" ended before it
        assert sorted(p.stem for p in tmp_path.glob("*.json") if p.stem in records) == [
            "live", "seen_by_live"
        ]  # fmt: skip
    finally:
        live.kill()
        live.wait()
