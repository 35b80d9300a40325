"""The gigbench command: runs composed in-process through hydra.compose (the harness's
:func:`run`), and the real command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hydra import compose
from hydra.errors import HydraException

from gigbench.harness.compose import plan_sweep, register
from gigbench.harness.failures import UserError, error_line
from gigbench.harness.run import run
from gigbench.resources import hydra_compose

SMALL = ["instance.n_tasks=400", "instance.n_workers=40", "instance.horizon_h=2"]


def _compose(overrides: list[str]):
    register()
    with hydra_compose():
        return compose(config_name="config", overrides=overrides)


@pytest.mark.parametrize("solver", ["greedy", "hungarian"])
@pytest.mark.parametrize("objective", ["welfare", "pickup"])
def test_simulation_row_has_efficiency_and_fairness(tmp_path, solver, objective) -> None:
    cfg = _compose(
        [*SMALL, f"solver={solver}", f"objective={objective}", f"results_dir={tmp_path}"]
    )
    row = run(cfg)
    assert row["status"] == "ok" and row["solver"] == solver
    assert 0 < row["m_match_rate"] <= 1
    assert 0 <= row["m_gini"] <= 1 and 0 < row["m_jain"] <= 1
    assert row["env_git_commit"] is not None and row["env_version_numpy"]
    written = pq.read_table(tmp_path / "rows" / f"{row['run_id']}.parquet").to_pylist()[0]
    assert written["m_match_rate"] == row["m_match_rate"]
    batches = pq.read_table(tmp_path / "runs" / row["run_id"] / "batches.parquet")
    assert sum(batches.column("matched").to_pylist()) == round(
        row["m_match_rate"] * row["m_requests"]
    )


def test_same_config_same_metrics(tmp_path) -> None:
    cfg = _compose([*SMALL, f"results_dir={tmp_path}", "run.redo=true"])
    first, second = run(cfg), run(cfg)
    for key in first:
        if key.startswith("m_") and "_s_" not in key and not key.endswith("_s_total"):
            assert first[key] == pytest.approx(second[key], nan_ok=True), key
    assert first["run_id"] == second["run_id"]


def test_static_random_mode(tmp_path) -> None:
    cfg = _compose(["mode=static", "mode.sizes=[20,30]", f"results_dir={tmp_path}"])
    row = run(cfg)
    assert row["m_problems"] == 2 and row["m_optimal_share"] == 1.0


def test_static_orlib_mode_reaches_published_optima(tmp_path, shared_data) -> None:
    cfg = _compose(
        [
            "mode=static",
            "mode.problems=orlib",
            f"mode.path={shared_data / 'orlib' / 'assign100.txt'}",
            f"results_dir={tmp_path}",
        ]
    )
    row = run(cfg)
    assert row["m_max_gap_to_optimum"] == 0.0


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("solver=simplex", "Could not find 'solver/simplex' available options in 'solver': "),
        ("solver.strateg=x", "solver.strateg: no key 'strateg' in solver=hungarian; valid keys"),
        ("instance.n_tasks=abc", "could not be converted to Integer"),
        ("instance.n_tasks=-5", "n_tasks: expected >= 0"),
        ("objective=fastest", "Could not find 'objective/fastest'"),
        ("solver=greedy,hungarian solver.strategy=foo", "expected 'best_edge' or 'nearest'"),
    ],
)
def test_bad_overrides_fail_before_running(override, message) -> None:
    with pytest.raises((ValueError, TypeError, KeyError, HydraException)) as info:
        plan_sweep(override.split())
    assert message in error_line(info.value)


def _gigbench(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, HYDRA_FULL_ERROR="")
    env.pop("GIGBENCH_DEBUG", None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from gigbench.harness.cli import main; sys.argv[0] = 'gigbench'; main()",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_cli_sweep_writes_one_row_per_run(tmp_path) -> None:
    out = _gigbench(
        ["-m", "solver=greedy,hungarian", *SMALL, f"results_dir={tmp_path}/res"], tmp_path
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(line.startswith("[1/2] solver=greedy ok ") for line in lines), out.stdout
    assert any(line.startswith("[2/2] solver=hungarian ok ") for line in lines), out.stdout
    assert "sweep of 2 runs" in out.stdout and "HYDRA" not in out.stdout + out.stderr
    assert len(list((tmp_path / "res" / "rows").glob("*.parquet"))) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["solver=simplex"],
        ["instance.n_tasks=-1"],
        ["mode=static", "mode.problems=orlib", "mode.path=/no/such/folder"],
        ["-m", "solver=greedy,nope"],
    ],
)
def test_cli_user_errors_are_one_line_exit_2(tmp_path, args) -> None:
    out = _gigbench([*args, f"results_dir={tmp_path}"], tmp_path)
    assert out.returncode == 2
    assert out.stderr.startswith("gigbench: error: ")
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_cli_malformed_orlib_file_is_one_line(tmp_path) -> None:
    bad = tmp_path / "assign3.txt"
    bad.write_text("3\n1 2 3\n4 x 6\n7 8 9\n")
    out = _gigbench(["mode=static", "mode.problems=orlib", f"mode.path={bad}"], tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "assign3.txt" in out.stderr


def test_market_follows_the_instance_currency(tmp_path) -> None:
    small = ["instance.n_tasks=300", "instance.horizon_h=2", f"results_dir={tmp_path}"]
    row = run(_compose(["instance=jakarta_ojol", *small]))
    assert row["status"] == "ok" and row["market"] == "jakarta"
    ran = json.loads(row["config_json"])["market"]  # what ran, not market=auto
    assert ran["name"] == "jakarta" and ran["currency"] == "IDR" and ran["min_wage_per_h"] == 31195
    wages = pq.read_table(tmp_path / "runs" / row["run_id"] / "workers.parquet")
    assert set(wages.column("min_wage").to_pylist()) == {31195.0}  # Jakarta's, in IDR
    with pytest.raises(UserError, match="choose a market in IDR"):
        run(_compose(["instance=jakarta_ojol", "market=nyc", *small]))


def test_schemas_are_the_plugins_params(tmp_path, monkeypatch) -> None:
    """Each option's schema is built from its plugin's ``Params`` when registered: its keys and
    defaults, with nothing read from a cache folder."""
    import dataclasses

    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    from gigbench.solvers import solver_class

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    register()
    node = ConfigStore.instance().repo["solver"]["greedy_schema.yaml"].node
    params = solver_class("greedy").Params
    expected = {f.name: f.default for f in dataclasses.fields(params)}
    assert OmegaConf.to_container(node) == {"name": "greedy", **expected}
    assert not list(tmp_path.rglob("*"))


def test_help_lists_groups_without_hydra(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gigbench.harness", "--help"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 0 and "solver     auction, broadcast, greedy, hungarian*" in out.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()}
    assert not imported & {"hydra", "numpy", "pyarrow", "solvers", "instances"}
