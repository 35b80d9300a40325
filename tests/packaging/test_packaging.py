"""The distribution: one import name, complete, usable from an empty folder.

The fast test holds pyproject's explicit package list equal to the folders it must name. The
acceptance test (slow; ``.ci/run`` runs it in its slow step) builds a wheel and an sdist with
``python -m build``, checks what they hold, installs the wheel in a fresh venv where PyPI's
``configs`` and ``bench`` distributions were installed first, and runs gigbench's commands
there from an empty folder. It needs PyPI (the pip cache makes it quicker).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERIC = {"solvers", "instances", "bench", "configs"}  # PyPI has bench, configs and solvers
SMALL = ["instance.n_tasks=200", "instance.n_workers=20", "instance.horizon_h=1"]


def _holds_data(folder: Path) -> bool:
    """Whether ``folder`` (or a folder below it) holds a file that is not Python code."""
    return any(
        p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
        for p in folder.rglob("*")
    )


def test_package_list_is_the_package_and_data_folders() -> None:
    """Every folder with an ``__init__.py`` under bench/, solvers/, instances/ and configs/,
    mapped into gigbench.*, is listed, and so is every data folder below them (setuptools ships
    a data folder's files only as a package); nothing else is."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = setuptools["packages"]
    found = set()
    for name, folder in setuptools["package-dir"].items():
        root = ROOT / folder
        for path in [root, *(p for p in root.rglob("*") if p.is_dir())]:
            if "__pycache__" in path.parts:
                continue
            if (path / "__init__.py").is_file() or _holds_data(path):
                found.add(".".join([name, *path.relative_to(root).parts]))
    # Hydra finds plugins only in its hydra_plugins namespace: gigbench's sweeper lives there.
    for plugin in (ROOT / "hydra_plugins").iterdir():
        if (plugin / "__init__.py").is_file():
            found.add(f"hydra_plugins.{plugin.name}")
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(found)


# ------------------------------------------------------------------------- the acceptance test


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 900):
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(cmd)}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> tuple[Path, Path]:
    """A wheel and an sdist built from this checkout with ``python -m build``."""
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], ROOT, dict(os.environ))
    (wheel,), (sdist,) = out.glob("*.whl"), out.glob("*.tar.gz")
    return wheel, sdist


@pytest.mark.slow
def test_the_wheel_holds_gigbench_only_with_its_data(dists) -> None:
    wheel, _ = dists
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"gigbench", "hydra_plugins", wheel.name.split("-py3")[0] + ".dist-info"}
    plugins = {name.split("/")[1] for name in names if name.startswith("hydra_plugins/")}
    assert plugins == {"gigbench_sweeper"}  # Hydra's namespace holds gigbench's sweeper only
    for data in (
        "gigbench/configs/config.yaml",
        "gigbench/configs/solver/hungarian.yaml",
        "gigbench/configs/hydra/launcher/slurm.yaml",
        "gigbench/perf/expected.json",
        "gigbench/perf/baseline.json",
        "gigbench/perf/recordings/nyc_day/edges.parquet",
        "gigbench/instances/tlc/data/taxi_zone_centroids.csv",
        "gigbench/instances/tlc/data/taxi_zone_lookup.csv",
        "gigbench/instances/tlc/data/README.md",
    ):
        assert data in names, data
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


@pytest.mark.slow
def test_the_sdist_is_a_source_release(dists) -> None:
    """Every file of tests/ (conftest.py and the helpers too), docs/ and .ci/, and the data."""
    _, sdist = dists
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    whole = [
        str(path.relative_to(ROOT))
        for folder in ("tests", "docs", ".ci")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]
    assert "tests/conftest.py" in whole and "tests/plugins/faulty_solvers.py" in whole
    data = ["configs/config.yaml", "bench/perf/expected.json", "instances/tlc/data/README.md"]
    for path in (*whole, *data, "LICENSE", "pyproject.toml"):
        assert path in names, path


@pytest.fixture(scope="module")
def installed(dists, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh venv (no system site packages) holding PyPI's configs and bench, then the
    wheel; its bin folder and an environment that sees nothing of this checkout."""
    wheel, _ = dists
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    hidden = ("PYTHONPATH", "VIRTUAL_ENV", "GIGBENCH_PLUGINS", "GIGBENCH_DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))  # its own schema cache
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    _run([*pip, "configs", "bench"], venv, env)  # the generic names, first
    _run([*pip, str(wheel)], venv, env, timeout=1800)
    return venv / "bin", env


@pytest.mark.slow
def test_the_installed_wheel_runs_from_an_empty_folder(installed, tmp_path) -> None:
    bin_, env = installed
    empty = tmp_path / "empty"
    empty.mkdir()
    _run([str(bin_ / "gigbench"), *SMALL], empty, env)
    out = _run([str(bin_ / "gigbench"), "-m", "solver=greedy,hungarian", *SMALL], empty, env)
    assert "sweep of 2 runs" in out.stdout
    _run([str(bin_ / "gigbench-perf"), "quality"], empty, env, timeout=1800)
    trips = tmp_path / "trips" / "fhvhv_tripdata_2024-01.parquet"
    trips.parent.mkdir()
    _run([str(bin_ / "gigbench-tlc-synth"), "--out", str(trips), "--rows", "3000"], empty, env)
    _run([str(bin_ / "gigbench"), "instance=replay", f"instance.path={trips}",
          "instance.day=2024-01-15", "solver=greedy"], empty, env)  # fmt: skip
    help_text = _run([str(bin_ / "gigbench"), "--help"], empty, env).stdout
    groups = help_text.split("config groups", 1)[1].split("\n\n", 1)[0]
    assert "__pycache__" not in groups and "tlc " not in groups and "solver " in groups


@pytest.mark.slow
def test_the_installed_wheel_names_what_it_cannot_do(installed, tmp_path) -> None:
    """Data it does not ship and files it does not rewrite: one line, exit 2."""
    bin_, env = installed
    for cmd, said in (
        (["gigbench", "-m", "+experiment=orlib"], "assigninfo.html"),
        (["gigbench-perf", "update-baseline"], "pass --baseline <file>"),
    ):
        out = subprocess.run([str(bin_ / cmd[0]), *cmd[1:]], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
        assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
        assert said in out.stderr, out.stderr


@pytest.mark.slow
def test_the_installed_files_are_gigbench_only(installed) -> None:
    """RECORD: no top-level solvers, instances, bench or configs (beside gigbench, only Hydra's
    plugin namespace with gigbench's sweeper); PyPI's configs and bench, installed first, are
    still theirs."""
    bin_, env = installed
    python = str(bin_ / "python")
    code = (
        "import importlib.metadata as m\n"
        "print('\\n'.join(str(f) for f in m.distribution('gigbench').files))"
    )
    files = _run([python, "-c", code], bin_, env).stdout.split()
    top = {f.split("/")[0] for f in files if not f.startswith("..")}  # scripts: ../../../bin
    assert not top & GENERIC
    assert top == {"gigbench", "hydra_plugins", next(t for t in top if t.endswith(".dist-info"))}
    assert {f.split("/")[1] for f in files if f.startswith("hydra_plugins/")} == {
        "gigbench_sweeper"
    }
    theirs = (
        "import importlib.metadata as m\n"
        "print(sum(not f.locate().exists() for d in ('configs', 'bench')"
        " for f in m.distribution(d).files))"
    )
    assert _run([python, "-c", theirs], bin_, env).stdout.strip() == "0"  # none removed
