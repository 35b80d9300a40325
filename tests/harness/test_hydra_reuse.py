"""Hydra takes the plan's composition of a single run instead of composing twice more
(``gigbench.harness.hydra_reuse``): the config its job receives is the one Hydra composes itself,
and the whole command composes once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Records every real composition and the config Hydra hands to its job, then runs the command
# with the plan's composition reused ("reuse") or with Hydra composing on its own ("own").
_RECORD = """
import json, sys
from omegaconf import OmegaConf
import hydra._internal.hydra as hydra_module
from hydra._internal.config_loader_impl import ConfigLoaderImpl
from gigbench.harness import cli

composed, jobs = [], []
own_load, own_run_job = ConfigLoaderImpl.load_configuration, hydra_module.run_job

def load(self, config_name, overrides, run_mode, *args, **kwargs):
    composed.append([run_mode.name, list(overrides)])
    return own_load(self, config_name, overrides, run_mode, *args, **kwargs)

def run_job(*args, **kwargs):
    jobs.append(OmegaConf.to_yaml(kwargs["config"]))
    return own_run_job(*args, **kwargs)

ConfigLoaderImpl.load_configuration, hydra_module.run_job = load, run_job
out, how, args = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.argv = ["gigbench", *args]
sweep, plan = cli._plan(args)
try:
    cli._run_hydra(plan if how == "reuse" else None)
finally:
    json.dump({"composed": composed, "jobs": jobs}, open(out, "w"))
"""


def _record(tmp_path: Path, how: str, args: list[str]) -> dict:
    out = tmp_path / f"{how}.json"
    subprocess.run(
        [sys.executable, "-c", _RECORD, str(out), how, *args],
        cwd=tmp_path, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    return json.loads(out.read_text())


EXTRA = ["hydra/job_logging=disabled", "objective=fair", "objective.lambda=0.5"]


@pytest.mark.parametrize("extra", [[], EXTRA])
def test_a_single_run_composes_once_and_its_job_gets_hydras_own_config(tmp_path, extra) -> None:
    args = ["mode=static", "mode.sizes=[3]", "solver=greedy", "run.isolate=false",
            f"results_dir={tmp_path / 'results'}", f"hydra.run.dir={tmp_path / 'hydra'}",
            *extra]  # fmt: skip
    own = _record(tmp_path, "own", [*args, "run.redo=true"])
    reused = _record(tmp_path, "reuse", [*args, "run.redo=true"])
    # Hydra alone: the plan's composition, get_mode's and run's; reused: the plan's only.
    assert [mode for mode, _ in own["composed"]] == ["RUN", "MULTIRUN", "RUN"]
    assert reused["composed"] == [["RUN", [*args, "run.redo=true", "hydra.mode=RUN"]]]
    assert len(own["jobs"]) == len(reused["jobs"]) == 1
    assert reused["jobs"] == own["jobs"]


def test_a_sweep_still_composes_its_jobs(tmp_path) -> None:
    args = ["-m", "mode=static", "mode.sizes=[3]", "mode.seed=0,1", "solver=greedy",
            "run.isolate=false", f"results_dir={tmp_path / 'results'}",
            f"hydra.sweep.dir={tmp_path / 'hydra'}"]  # fmt: skip
    reused = _record(tmp_path, "reuse", args)
    assert "MULTIRUN" in [mode for mode, _ in reused["composed"]]
    assert len(list((tmp_path / "results" / "rows").glob("*.parquet"))) == 2
