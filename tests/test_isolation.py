"""The harness: failures become rows, the sweep goes on, reruns skip finished runs.

Sweeps run as real ``gigbench`` commands in subprocesses, with the faulty solvers of
``tests/plugins/faulty_solvers.py`` registered through ``GIGBENCH_PLUGINS``.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from bench.app import CONFIG_DIR
from bench.isolate import plugin_solvers, run_options
from bench.results import run_id

REPO = Path(CONFIG_DIR).parent
PLUGIN_DIR = REPO / "tests" / "plugins"
sys.path.insert(0, str(PLUGIN_DIR))
from faulty_solvers import PLUGINS  # noqa: E402

TINY = ["instance.n_tasks=200", "instance.n_workers=20", "instance.horizon_h=1"]
JOBLIB = ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
needs_joblib = pytest.mark.skipif(
    importlib.util.find_spec("hydra_plugins.hydra_joblib_launcher") is None,
    reason="hydra-joblib-launcher not installed (pip install -e '.[parallel]')",
)


def _env() -> dict[str, str]:
    env = dict(os.environ, HYDRA_FULL_ERROR="")
    env.pop("GIGBENCH_DEBUG", None)
    env["GIGBENCH_PLUGINS"] = ",".join(f"{k}={v}" for k, v in PLUGINS.items())
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(PLUGIN_DIR)])
    return env


def gigbench(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``gigbench`` with the faulty solvers available."""
    return subprocess.run(
        [sys.executable, "-m", "bench.app", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=timeout,
    )


def rows(results: Path) -> dict[str, dict]:
    """run_id -> row of every row file under ``results``."""
    out = {}
    for path in sorted((results / "rows").glob("*.parquet")):
        row = pq.read_table(path).to_pylist()[0]
        out[row["run_id"]] = row
    return out


def test_plugin_spec_parsing() -> None:
    assert plugin_solvers("") == []
    assert plugin_solvers(" a=m:A , b=pkg.m:B,") == [("a", "m:A"), ("b", "pkg.m:B")]
    for bad in ("a", "a=m", "=m:A"):
        with pytest.raises(ValueError, match="name=module:Class"):
            plugin_solvers(bad)


def test_run_id_ignores_how_and_where_a_run_runs() -> None:
    with initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"):
        a = compose(config_name="config", overrides=["results_dir=a"])
        b = compose(
            config_name="config", overrides=["results_dir=b", "run.timeout_s=5", "run.redo=true"]
        )
        c = compose(config_name="config", overrides=["instance.seed=1"])
    ids = [run_id(OmegaConf.to_container(cfg, resolve=True)) for cfg in (a, b, c)]
    assert ids[0] == ids[1] != ids[2]
    assert run_options(b).timeout_s == 5 and run_options(b).redo
    assert run_options(OmegaConf.create({})).isolate  # defaults without a run node


def test_run_options_are_checked_when_composed() -> None:
    with (
        initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"),
        pytest.raises(Exception, match="timeout_s"),
    ):
        compose(config_name="config", overrides=["run.timeout_s=soon"])


@needs_joblib
def test_failures_become_rows_and_the_sweep_goes_on(tmp_path) -> None:
    results = tmp_path / "res"
    args = [
        "-m",
        "solver=greedy,crash,hang,bloat,abort",
        *TINY,
        "run.timeout_s=12",  # child start-up (~2 s) counts; two jobs share two CPUs here
        "run.memory_gb=3",
        f"results_dir={results}",
    ]
    out = gigbench([*args, *JOBLIB], tmp_path)
    assert out.returncode == 0, out.stderr
    found = {row["solver"]: row for row in rows(results).values()}
    assert set(found) == {"greedy", "crash", "hang", "bloat", "abort"}
    assert found["greedy"]["status"] == "ok" and found["greedy"]["m_match_rate"] > 0
    assert found["crash"]["status"] == "error"
    assert "RuntimeError: deliberate crash" in found["crash"]["message"]
    assert found["hang"]["status"] == "timeout" and "12 s" in found["hang"]["message"]
    assert found["bloat"]["status"] == "oom" and "MemoryError" in found["bloat"]["message"]
    assert found["abort"]["status"] == "error" and "SIGABRT" in found["abort"]["message"]
    for row in found.values():
        assert row["env_launcher"] == "joblib" and row["env_n_jobs"] == "2"
        assert row["config_json"] and row["env_git_commit"] is not None

    # the same sweep again (basic launcher): every run has a row, nothing reruns or is rewritten
    mtimes = {p: p.stat().st_mtime_ns for p in (results / "rows").glob("*.parquet")}
    again = gigbench(args, tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("skipped") == 5
    assert {p: p.stat().st_mtime_ns for p in (results / "rows").glob("*.parquet")} == mtimes


def test_single_run_failure_is_one_line_exit_1(tmp_path) -> None:
    out = gigbench(["solver=crash", *TINY, f"results_dir={tmp_path}"], tmp_path)
    assert out.returncode == 1
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("gigbench: run ") and "error: RuntimeError: deliberate crash" in last
    (row,) = rows(tmp_path).values()
    assert row["status"] == "error"
    # a second time: skipped, since its row exists (run.retry_failed=true would rerun it)
    skip = gigbench(["solver=crash", *TINY, f"results_dir={tmp_path}"], tmp_path)
    assert skip.returncode == 0 and "skipped" in skip.stdout


def test_killed_sweep_resumes_with_only_the_missing_runs(tmp_path) -> None:
    results = tmp_path / "res"
    args = [
        "-m",
        "solver=greedy",
        "instance.seed=0,1,2,3",
        *TINY,
        f"results_dir={results}",
    ]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.app", *args],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    try:
        while not list((results / "rows").glob("*.parquet")):
            assert proc.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline, "no rows after 120 s"
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    first = {p.name: p.stat().st_mtime_ns for p in (results / "rows").glob("*.parquet")}
    assert 1 <= len(first) < 4

    out = gigbench(args, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("skipped") == len(first)
    final = rows(results)
    assert len(final) == 4 and all(row["status"] == "ok" for row in final.values())
    for name, mtime in first.items():
        assert (results / "rows" / name).stat().st_mtime_ns == mtime, f"{name} was rewritten"


@pytest.mark.slow
def test_acceptance_sweep_of_24_with_a_crash_and_a_hang(tmp_path) -> None:
    results = tmp_path / "res"
    args = [
        "-m",
        "solver=greedy,hungarian,crash,hang",
        "objective=welfare,pickup",
        "instance.seed=0,1,2",
        *TINY,
        "run.timeout_s=5",
        f"results_dir={results}",
    ]
    out = gigbench(args, tmp_path, timeout=900)
    assert out.returncode == 0, out.stderr
    found = rows(results)
    assert len(found) == 24
    status = {}
    for row in found.values():
        status.setdefault(row["solver"], set()).add(row["status"])
    assert status == {
        "greedy": {"ok"},
        "hungarian": {"ok"},
        "crash": {"error"},
        "hang": {"timeout"},
    }
    report = subprocess.run(
        [sys.executable, "-m", "bench.report", str(results)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
    )
    assert report.returncode == 0, report.stderr
    page = (results / "report" / "index.html").read_text()
    assert "timeout" in page and "deliberate crash" in page
    assert (results / "report" / "pareto_1.png").is_file()
    assert pq.read_metadata(results / "results.parquet").num_rows == 24


@pytest.mark.slow
def test_submitit_local_launcher(tmp_path) -> None:
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher")
    results = tmp_path / "res"
    out = gigbench(
        [
            "-m",
            "solver=greedy,crash",
            *TINY,
            f"results_dir={results}",
            "hydra/launcher=submitit_local",
            "hydra.launcher.timeout_min=10",
        ],
        tmp_path,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    found = {row["solver"]: row for row in rows(results).values()}
    assert found["greedy"]["status"] == "ok" and found["crash"]["status"] == "error"
    assert found["greedy"]["env_launcher"] == "submitit_local"


EXPERIMENTS = sorted(p.stem for p in (Path(CONFIG_DIR) / "experiment").glob("*.yaml"))


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_files_compose_with_their_sweep(name) -> None:
    text = (Path(CONFIG_DIR) / "experiment" / f"{name}.yaml").read_text()
    assert text.startswith("# @package _global_\n")
    assert f"gigbench -m +experiment={name}" in text and "gigbench-report results/" in text
    with initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"):
        cfg = compose(
            config_name="config", overrides=[f"+experiment={name}"], return_hydra_config=True
        )
        params = OmegaConf.to_container(cfg.hydra.sweeper.params)
        assert params and cfg.results_dir == f"results/{name}"
        solvers = {p.stem for p in (Path(CONFIG_DIR) / "solver").glob("*.yaml")}
        for key, values in params.items():
            choices = _split(values)
            if "." in key:  # a value, not a config group: its type is checked once
                choices = choices[-1:]
            for value in choices:
                if key == "solver" and value not in solvers:
                    continue  # a solver another change adds (its config is not here yet)
                compose(config_name="config", overrides=[f"+experiment={name}", f"{key}={value}"])


def _split(values: str) -> list[str]:
    """Hydra's choice sweep ``a,b,[1,2]`` into its values."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    override = OverridesParser.create().parse_override(f"k={values}")
    return list(override.sweep_string_iterator())


def test_slurm_launcher_config_composes() -> None:
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher")
    with initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"):
        cfg = compose(
            config_name="config", overrides=["hydra/launcher=slurm"], return_hydra_config=True
        )
    assert cfg.hydra.launcher._target_.endswith("SlurmLauncher")
    assert cfg.hydra.launcher.mem_gb > cfg.run.memory_gb
