"""Every ``gigbench...`` command in the README's code blocks, run: a documented key that does
not exist, a group option that is gone or a flag that was renamed fails here, not for a reader.

``gigbench`` commands are composed for every value of their sweeps, launcher keys included (a
full run is long; slow: about a minute in all); the commands that read results run for real on a
small results folder (slow); ``gigbench-perf`` commands parse; ``gigbench-instance-plot`` draws
(slow). ``.ci/run`` runs this file's slow tests on every submission.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hydra.core.config_store import ConfigStore

from gigbench.harness.compose import plan_sweep
from gigbench.solvers.registry import unregister

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def readme_commands() -> list[str]:
    """Each command of the README's bash blocks (continuations joined, ``&&`` split, comments
    dropped) that starts with ``gigbench``."""
    found = []
    for body in re.findall(r"```bash\n(.*?)```", README.read_text(), re.S):
        for line in body.replace("\\\n", " ").splitlines():
            for part in line.split("&&"):
                command = part.split(" #")[0].strip()
                if command.startswith("gigbench"):
                    found.append(command)
    return found


COMMANDS = readme_commands()


def test_the_readme_has_commands_of_every_tool() -> None:
    tools = {c.split()[0] for c in COMMANDS}
    assert {"gigbench", "gigbench-collect", "gigbench-report", "gigbench-perf"} <= tools


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.split()[0] == "gigbench"])
@pytest.mark.slow  # about a minute in all; .ci/run runs this file's slow tests every time
def test_gigbench_command_composes_and_checks(command, monkeypatch) -> None:
    args = shlex.split(command)[1:]
    if any(a == "--cfg" for a in args):
        args = [a for a in args if a not in ("--cfg", "job")]
    if any("first_fit" in a for a in args):  # the README's example solver, as a plugin
        monkeypatch.syspath_prepend(str(ROOT / "docs"))
        monkeypatch.setenv("GIGBENCH_PLUGINS", "first_fit=example_solver:FirstFit")
    monkeypatch.chdir(ROOT)  # ../shared/data paths are relative to a clone
    if any("../shared" in a for a in args) and not (ROOT.parent / "shared").is_dir():
        pytest.skip("../shared beside the clone is absent (CI provides it)")
    try:
        plan = plan_sweep(args, check=False)  # composed: every key and option exists
    finally:  # registered in this process by GIGBENCH_PLUGINS, if at all: forget it
        unregister("first_fit")
        ConfigStore.instance().repo.get("solver", {}).pop("first_fit.yaml", None)
    assert plan.size >= 1


def _run(command: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    tool, *args = shlex.split(command)
    modules = {"gigbench": "gigbench.harness", "gigbench-collect": "gigbench.harness.collect",
               "gigbench-report": "gigbench.report.cli", "gigbench-perf": "gigbench.perf.gate",
               "gigbench-instance-plot": "gigbench.instances.plot"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", modules[tool], *args, *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


@pytest.fixture(scope="module")
def pareto_results(tmp_path_factory) -> Path:
    """``results/pareto`` as a reduced pareto experiment leaves it (two runs)."""
    cwd = tmp_path_factory.mktemp("readme")
    out = _run("gigbench -m +experiment=pareto", cwd, "solver=greedy", "objective.lambda=0,1",
               "instance.seed=0", "instance.n_tasks=100", "instance.n_workers=10",
               "instance.horizon_h=1")  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    # Any other folder a results command names (results/replay_days, ...) gets a tiny run, so
    # that the command itself is what is tested.
    for folder in sorted(
        {re.findall(r"results/\w+", c)[0] for c in RESULTS_COMMANDS} - {"results/pareto"}
    ):
        tiny = ["solver=greedy", "instance.n_tasks=100", "instance.n_workers=10"]
        out = _run("gigbench", cwd, *tiny, "instance.horizon_h=1", f"results_dir={folder}")
        assert out.returncode == 0, out.stderr[-2000:]
    return cwd


RESULTS_COMMANDS = [c for c in COMMANDS if c.split()[0] in ("gigbench-collect", "gigbench-report")]


@pytest.mark.parametrize("command", RESULTS_COMMANDS)
@pytest.mark.slow
def test_results_commands_run(command, pareto_results) -> None:
    out = _run(command, pareto_results)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.split()[0] == "gigbench-perf"])
def test_perf_commands_parse(command) -> None:
    from gigbench.perf.gate import build_parser

    parser = build_parser()
    args = parser.parse_args(shlex.split(command)[1:])
    assert callable(getattr(args, "func", None)) or args


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if c.split()[0] == "gigbench-instance-plot"]
)
@pytest.mark.slow
def test_instance_plot_commands_draw(command, tmp_path) -> None:
    out = _run(command, tmp_path, "--n-tasks", "300")
    assert out.returncode == 0, out.stderr
    assert list(tmp_path.glob("*.png"))
