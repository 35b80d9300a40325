"""Every shell command of the README's and the manual's ``bash`` blocks, checked: a documented
key that does not exist, a group option that is gone, a flag that was renamed or a script that
moved fails here, not for a reader.

``gigbench`` and ``gigbench-calibrate`` commands are composed for every value of their sweeps,
launcher keys included (a full run is long; slow: about a minute in all); the commands that read
results (``gigbench-collect``, ``gigbench-report``, the ``docs/measure`` scripts) run for real on
a small results folder (slow); ``gigbench-perf`` and ``gigbench-tlc-prepare`` parse;
``gigbench-tlc-prepare-job`` composes; ``gigbench-instance-plot`` draws (slow); ``pip``,
``pytest`` and ``git`` commands name extras, paths and markers that exist; the import floors'
check runs. ``docs/extending/`` is left out: its commands need an example plugin installed and
have their own test.
``.ci/run`` runs this file's slow tests on every submission.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hydra.core.config_store import ConfigStore
from plugin_dist import example_as_distribution

from gigbench.harness.compose import plan_sweep

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    ROOT / "README.md",
    *sorted(
        p for p in (ROOT / "docs").rglob("*.md") if "extending" not in p.relative_to(ROOT).parts
    ),
]
WRAPPERS = (("/usr/bin/time", "-v"), ("nice", "-n", "10"))


def _unwrapped(command: str) -> str:
    """``command`` without the timing and priority wrappers a measurement puts before it."""
    words = shlex.split(command)
    changed = True
    while changed:
        changed = False
        for wrapper in WRAPPERS:
            if tuple(words[: len(wrapper)]) == wrapper:
                words, changed = words[len(wrapper) :], True
    return shlex.join(words)


def doc_commands() -> dict[str, str]:
    """Each command of every page's bash blocks (continuations joined, ``&&`` split, comments
    dropped, wrappers removed) -> the first page that shows it."""
    found: dict[str, str] = {}
    for page in PAGES:
        for body in re.findall(r"```bash\n(.*?)```", page.read_text(), re.S):
            for line in body.replace("\\\n", " ").splitlines():
                for part in line.split("&&"):
                    command = part.split(" #")[0].strip()
                    if command:
                        found.setdefault(_unwrapped(command), str(page.relative_to(ROOT)))
    return found


COMMANDS = doc_commands()


def _tool(command: str) -> str:
    words = shlex.split(command)
    return " ".join(words[:2]) if words[0] == "python" and len(words) > 1 else words[0]


def _of(*tools: str) -> list[str]:
    return [c for c in COMMANDS if _tool(c) in tools or _tool(c).split()[-1] in tools]


MEASURE = [c for c in COMMANDS if _tool(c).startswith("python docs/measure/")]
FLOORS = [c for c in COMMANDS if _tool(c) == "python tests/import_floors.py"]
CHECKED = {"gigbench", "gigbench-calibrate", "gigbench-collect", "gigbench-report",
           "gigbench-perf", "gigbench-instance-plot", "gigbench-tlc-prepare",
           "gigbench-tlc-prepare-job", "gigbench-conformance", "pip", "pytest", "git"}  # fmt: skip


def test_every_command_has_a_check() -> None:
    unchecked = [f"{page}: {c}" for c, page in COMMANDS.items()
                 if _tool(c) not in CHECKED and c not in MEASURE + FLOORS]  # fmt: skip
    assert not unchecked, f"commands no test checks (add a check here): {unchecked}"


def test_the_docs_have_commands_of_every_tool() -> None:
    tools = {_tool(c) for c in COMMANDS}
    assert {"gigbench", "gigbench-collect", "gigbench-report", "gigbench-perf"} <= tools


@pytest.mark.parametrize("command", _of("gigbench", "gigbench-calibrate"))
@pytest.mark.slow  # about a minute in all; .ci/run runs this file's slow tests every time
def test_gigbench_command_composes_and_checks(command, monkeypatch, tmp_path) -> None:
    tool, *args = shlex.split(command)
    if tool == "gigbench-calibrate":  # the preset's default day, as gigbench-calibrate runs it
        from gigbench.instances.calibration import calibrated_presets

        preset, *rest = args
        assert preset in calibrated_presets()
        sets = [rest[i + 1] for i, a in enumerate(rest) if a == "--set"]
        args = [f"instance={preset}", *sets]
    if any(a == "--cfg" for a in args):
        args = [a for a in args if a not in ("--cfg", "job")]
    if any("first_fit" in a for a in args):  # the example package's solver, as installed
        for folder in example_as_distribution(tmp_path):
            monkeypatch.syspath_prepend(str(folder))
    monkeypatch.chdir(ROOT)  # ../shared/data paths are relative to a clone
    if any("../shared" in a for a in args) and not (ROOT.parent / "shared").is_dir():
        pytest.skip("../shared beside the clone is absent (CI provides it)")
    try:
        plan = plan_sweep(args, check=False)  # composed: every key and option exists
    finally:  # the plugin's option stays in this process's ConfigStore otherwise
        ConfigStore.instance().repo.get("solver", {}).pop("first_fit.yaml", None)
    assert plan.size >= 1


def _run(command: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    tool, *args = shlex.split(command)
    modules = {"gigbench": "gigbench.harness", "gigbench-collect": "gigbench.harness.collect",
               "gigbench-report": "gigbench.report.cli", "gigbench-perf": "gigbench.perf.gate",
               "gigbench-instance-plot": "gigbench.instances.plot"}  # fmt: skip
    program = [sys.executable, str(ROOT / args.pop(0))] if tool == "python" else [
        sys.executable, "-m", modules[tool]]  # fmt: skip
    return subprocess.run(
        [*program, *args, *extra],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )


RESULTS_COMMANDS = _of("gigbench-collect", "gigbench-report")
PARETO_SCRIPTS = [c for c in MEASURE if shlex.split(c)[2] == "pareto"]


@pytest.fixture(scope="module")
def pareto_results(tmp_path_factory) -> Path:
    """``results/pareto`` as a reduced pareto experiment leaves it (two runs)."""
    cwd = tmp_path_factory.mktemp("docs")
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


@pytest.mark.parametrize("command", RESULTS_COMMANDS)
@pytest.mark.slow
def test_results_commands_run(command, pareto_results) -> None:
    out = _run(command, pareto_results)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("command", PARETO_SCRIPTS)
@pytest.mark.slow
def test_measure_scripts_run_on_results(command, pareto_results, tmp_path) -> None:
    words = shlex.split(command)
    if words[1].endswith("market_plots.py"):  # never overwrite the manual's own figure
        words[4] = str(tmp_path / "figure.png")
    out = _run(shlex.join(words), pareto_results)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("measured ")  # the stamp: when, what commit, what machine
    if words[1].endswith("market_tables.py"):
        table = [line for line in out.stdout.splitlines() if line.startswith("|")]
        assert table and len({line.count("|") for line in table[:3]}) == 1, out.stdout


@pytest.mark.parametrize("command", MEASURE)
def test_measure_commands_name_a_script_a_table_and_an_experiment(command) -> None:
    _, script, *args = shlex.split(command)
    path = ROOT / script
    assert path.is_file(), script
    source = path.read_text()
    if args and not args[0].isdigit():  # scripts of results: table name, then results folder
        assert re.search(rf"^def {args[0]}\(", source, re.M), f"{script} has no {args[0]!r}"
        experiment = args[1].removeprefix("results/")
        assert (ROOT / "configs" / "experiment" / f"{experiment}.yaml").is_file(), args[1]


@pytest.mark.parametrize("command", FLOORS)
def test_the_import_floors_command_passes(command) -> None:
    out = _run(command, ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("command", _of("gigbench-perf"))
def test_perf_commands_parse(command) -> None:
    from gigbench.perf.gate import build_parser

    args = build_parser().parse_args(shlex.split(command)[1:])
    assert callable(getattr(args, "func", None)) or args


@pytest.mark.parametrize("command", _of("gigbench-tlc-prepare"))
def test_tlc_prepare_commands_parse(command) -> None:
    from gigbench.instances.tlc.prepare import _parser

    args = _parser().parse_args(shlex.split(command)[1:])
    assert args.out


@pytest.mark.parametrize("command", _of("gigbench-tlc-prepare-job"))
@pytest.mark.slow  # the documented job names the SLURM launcher: the `cluster` extra's
def test_tlc_prepare_job_commands_compose(command) -> None:
    from hydra import compose

    from gigbench.resources import hydra_compose

    overrides = [a for a in shlex.split(command)[1:] if a != "-m"]
    first = [o.split(",")[0] if "=" in o and not o.startswith("hydra") else o for o in overrides]
    with hydra_compose():
        cfg = compose("tlc/prepare", overrides=first, return_hydra_config=True)
    assert cfg.out and cfg.month and cfg.month in str(cfg.input)  # ${month} interpolated


@pytest.mark.parametrize("command", _of("gigbench-instance-plot"))
@pytest.mark.slow
def test_instance_plot_commands_draw(command, tmp_path) -> None:
    out = _run(command, tmp_path, "--n-tasks", "300")
    assert out.returncode == 0, out.stderr
    assert list(tmp_path.glob("*.png"))


@pytest.mark.parametrize("command", _of("gigbench-conformance"))
@pytest.mark.slow
def test_conformance_commands_pass_on_the_example_plugins(command, tmp_path) -> None:
    """The README's conformance command, run for real on the example package's plugins."""
    folders = example_as_distribution(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "gigbench.testing", *shlex.split(command)[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(map(str, folders))),
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


@pytest.mark.parametrize("command", _of("pip"))
def test_pip_commands_install_extras_that_exist(command) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    words = shlex.split(command)
    assert words[1:3] == ["install", "-e"], command
    extras = re.fullmatch(r"\.(?:\[([\w,]+)\])?", words[3])
    assert extras, f"expected an editable install of this folder, got {words[3]!r}"
    for extra in filter(None, (extras.group(1) or "").split(",")):
        assert extra in project["optional-dependencies"], f"no extra {extra!r} in pyproject.toml"


@pytest.mark.parametrize("command", _of("pytest"))
def test_pytest_commands_name_paths_and_markers_that_exist(command) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    markers = {m.split(":")[0] for m in config["markers"]}
    words = shlex.split(command)[1:]
    for i, word in enumerate(words):
        if word == "-m":
            assert words[i + 1].removeprefix("not ") in markers, command
        elif not word.startswith("-") and (i == 0 or words[i - 1] != "-m"):
            assert (ROOT / word.split("::")[0]).exists(), f"{command}: no {word}"


@pytest.mark.parametrize("command", _of("git"))
def test_git_commands_name_files_that_exist(command) -> None:
    paths = [w for w in shlex.split(command)[2:] if not w.startswith("-")]
    assert paths and all((ROOT / p).exists() for p in paths), command
