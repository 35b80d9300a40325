"""What the real ``gigbench`` command prints says what ran: the options as chosen, each metric
under its catalogue section with its unit, a rerun's figures from its row, and one line (exit
2) for a key no schema has, a sweep without ``-m`` and a launcher whose plugin is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

from hydra import compose

from gigbench.harness.compose import register
from gigbench.harness.summary import UNCATALOGUED
from gigbench.market.catalogue import SIMULATE, lookup, metrics_in
from gigbench.resources import hydra_compose

SMALL = ["instance.n_tasks=200", "instance.n_workers=30", "instance.horizon_h=2"]
MAIN = "import sys; from gigbench.harness.cli import main; sys.argv[0] = 'gigbench'; main()"


def _env() -> dict[str, str]:
    env = dict(os.environ, HYDRA_FULL_ERROR="")
    env.pop("GIGBENCH_DEBUG", None)
    return env


def _gigbench(args: list[str], cwd: Path, python: str = sys.executable):
    return subprocess.run(
        [python, "-c", MAIN, *args], cwd=cwd, capture_output=True, text=True, env=_env(),
        timeout=300,
    )  # fmt: skip


def _summary(stdout: str) -> tuple[str, dict[str, tuple[str, str]], list[str]]:
    """(header, metric -> (section, unit), the metric lines as printed)."""
    lines = stdout.splitlines()
    header = next(line for line in lines if line.startswith("gigbench simulate: "))
    metrics, printed, section = {}, [], None
    for line in lines[lines.index(header) + 1 :]:
        if line.startswith("    "):
            name, _, unit = line.split(maxsplit=2)
            metrics[name] = (section, unit)
            printed.append(line)
        elif line.startswith("  ") and not line.startswith("  row "):
            section = line.strip()
    return header, metrics, printed


def test_summary_sections_and_units_come_from_the_catalogue_and_a_rerun_shows_the_row(
    tmp_path,
) -> None:
    args = ["pricing=surge_capped", *SMALL, f"results_dir={tmp_path}/res"]
    first = _gigbench(args, tmp_path)
    assert first.returncode == 0, first.stderr
    header, metrics, printed = _summary(first.stdout)
    assert "pricing=surge_capped" in header.split(), header  # the option, not the plugin
    assert all(arg in header.split() for arg in args), header
    assert set(metrics) == {m.name for m in metrics_in(SIMULATE)}
    for name, (section, unit) in metrics.items():
        assert section == lookup(name).section.value, name
        assert unit == lookup(name).unit_in("USD"), name
    assert UNCATALOGUED not in first.stdout

    again = _gigbench(args, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "not recomputed" in again.stdout
    assert _summary(again.stdout)[2] == printed  # the row's figures, as the first run printed
    assert len(list((tmp_path / "res" / "rows").glob("*.parquet"))) == 1


def test_static_header_names_the_problem_set_not_an_instance(tmp_path) -> None:
    problems = tmp_path / "assign3.txt"
    problems.write_text("3\n4 1 3\n2 0 5\n3 2 2\n")
    args = ["mode=static", "mode.problems=orlib", f"mode.path={problems}"]
    out = _gigbench([*args, f"results_dir={tmp_path}/res"], tmp_path)
    assert out.returncode == 0, out.stderr
    header = next(line for line in out.stdout.splitlines() if line.startswith("gigbench static:"))
    assert f"mode.path={problems}" in header.split() and "mode.problems=orlib" in header.split()
    assert "instance=" not in header


MISTAKES = {
    "unknown key": (["n_tasks=100"], "nearest valid keys: instance.n_tasks"),
    "unknown key added": (["+n_tasks=100"], "nearest valid keys: instance.n_tasks"),
    "unknown key in a sweep": (
        ["-m", "solver=greedy,hungarian", "n_tasks=100"],
        "nearest valid keys: instance.n_tasks",
    ),
    "sweep without -m": (["+experiment=pareto"], "add -m: gigbench -m +experiment=pareto"),
}


def test_mistakes_are_one_line_exit_2_and_run_nothing(tmp_path) -> None:
    procs = {}
    for name, (args, _) in MISTAKES.items():
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        procs[name] = subprocess.Popen(
            [sys.executable, "-c", MAIN, *args], cwd=folder, env=_env(), text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 2, (name, err[-1500:])
        assert err.startswith("gigbench: error: ") and err.count("\n") == 1, (name, err)
        assert MISTAKES[name][1] in err, (name, err)
        assert "To append" not in err and "use +" not in err, (name, err)
        assert not list((tmp_path / name.replace(" ", "_")).rglob("*.parquet")), name


def _venv_without(distribution: str, where: Path) -> str:
    """A venv whose site-packages hold every distribution installed here but ``distribution``
    (links to this one's entries, that distribution's files left out); its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = str(where / "bin" / "python")
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    target = Path(subprocess.run([python, "-c", ask], capture_output=True, text=True,
                                 check=True).stdout.strip())  # fmt: skip
    source = Path(sysconfig.get_paths()["purelib"])
    hidden = {Path(*f.parts[:2]) if f.parts[0] == "hydra_plugins" else Path(f.parts[0])
              for f in metadata.distribution(distribution).files}  # fmt: skip
    for entry in source.iterdir():
        if Path(entry.name) in hidden:
            continue
        if entry.name == "hydra_plugins":  # a namespace shared by every Hydra plugin
            (target / entry.name).mkdir()
            for plugin in entry.iterdir():
                if Path(entry.name, plugin.name) not in hidden:
                    (target / entry.name / plugin.name).symlink_to(plugin)
            continue
        (target / entry.name).symlink_to(entry)
    return python


def test_a_missing_launcher_plugin_is_named_with_its_extra(tmp_path) -> None:
    python = sys.executable
    try:
        metadata.distribution("hydra-joblib-launcher")
        python = _venv_without("hydra-joblib-launcher", tmp_path / "venv")
    except metadata.PackageNotFoundError:
        pass  # a base install: nothing to hide
    args = ["-m", "hydra/launcher=joblib", "solver=greedy,hungarian", *SMALL]
    out = _gigbench([*args, f"results_dir={tmp_path}/res"], tmp_path, python)
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("gigbench: error: hydra/launcher=joblib: ")
    assert 'pip install "gigbench[parallel]"' in out.stderr
    assert not (tmp_path / "res" / "rows").exists()


def test_help_lists_the_config_groups_and_nothing_else(tmp_path) -> None:
    out = _gigbench(["--help"], tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    start = lines.index("config groups (group=option; * = default):") + 1
    listed = set()
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        listed.add(line.split()[0])
    register()
    with hydra_compose():
        cfg = compose(config_name="config", return_hydra_config=True)
    groups = {g for g in cfg.hydra.runtime.choices if not g.startswith("hydra")}
    assert listed == groups
    assert "__pycache__" not in out.stdout and "tlc " not in out.stdout


def test_showing_the_config_refuses_an_unknown_key_too(tmp_path) -> None:
    out = _gigbench(["--cfg", "job", "+n_tasks=100"], tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "nearest valid keys: instance.n_tasks" in out.stderr
