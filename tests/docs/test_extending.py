"""The example package of ``docs/examples/gigbench-example/``, installed for real, and every
command of the extending guides (``docs/extending/*.md``), run.

The package is pip-installed into a temporary folder with the guides' own ``pip install``
command (``--no-deps --target`` added, so the shared environment is left alone); every other
command runs as a subprocess with that folder on ``PYTHONPATH``, from a temporary working folder
holding a copy of ``docs/``. The example's solver and pricing policy run a day and a two-run
sweep and pass ``gigbench-conformance``; broken plugins (a misspelt class, a missing module,
default parameters that fail their check) are one line and exit 2; an edit to the plugin's code
gives the next run a new identity. Every test that runs a command is slow (the install and the
example's day, sweep, conformance and broken plugins take 30-50 s on the shared 2-core machine,
the guides' other commands and the edit 40 s more); ``.ci/run`` runs them on every submission.
The registry's handling of installed and broken plugins is tested in-process, by default, in
``tests/conformance/test_plugins.py``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from plugin_dist import EXAMPLE, write_distribution
from test_docs_names import _resolves

from gigbench.kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]
GUIDES = sorted((ROOT / "docs" / "extending").glob("*.md"))
TOOLS = {"gigbench": "gigbench.harness", "gigbench-conformance": "gigbench.testing"}


def guide_commands() -> dict[str, str]:
    """Each command of the guides' bash blocks (continuations joined, comments dropped) -> the
    first page that shows it."""
    found: dict[str, str] = {}
    for page in GUIDES:
        for body in re.findall(r"```bash\n(.*?)```", page.read_text(), re.S):
            for line in body.replace("\\\n", " ").splitlines():
                command = line.split(" #")[0].strip()
                if command:
                    found.setdefault(command, page.name)
    return found


COMMANDS = guide_commands()
INSTALL = [c for c in COMMANDS if c.startswith("pip install")]
DAY = "gigbench solver=first_fit pricing=per_km instance=uniform"
SWEEP = "gigbench -m solver=greedy,first_fit pricing=per_km instance=uniform"
CONFORMANCE = ["gigbench-conformance solver first_fit", "gigbench-conformance pricing per_km"]
OTHERS = [c for c in COMMANDS if c not in {*INSTALL, DAY, SWEEP, *CONFORMANCE}]


def run(command: str, cwd: Path, *path: Path) -> subprocess.CompletedProcess:
    """``command`` (a gigbench tool and its arguments) with the folders ``path`` (where the
    example was installed) on ``PYTHONPATH``."""
    tool, *args = shlex.split(command)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(map(str, path)), HYDRA_FULL_ERROR="")
    env.pop("GIGBENCH_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", TOOLS[tool], *args],
        cwd=cwd, capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The folder the guides' ``pip install`` put the example package in (run from a copy of
    the docs, so that the build's files land outside the repository)."""
    assert len(INSTALL) == 1, INSTALL
    work = tmp_path_factory.mktemp("install")
    shutil.copytree(ROOT / "docs", work / "docs", ignore=shutil.ignore_patterns("figures"))
    target = work / "site"
    words = shlex.split(INSTALL[0])
    pip = [sys.executable, "-m", "pip", *words[1:2], "--no-deps", "--quiet", "--target",
           str(target), *words[2:]]  # fmt: skip
    out = subprocess.run(pip, cwd=work, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    assert (target / "gigbench_example-0.1.0.dist-info" / "entry_points.txt").is_file()
    return target


def rows(results: Path) -> list[dict]:
    """Every row under ``results``."""
    return [pq.read_table(p).to_pylist()[0] for p in sorted((results / "rows").glob("*.parquet"))]


def test_the_guides_show_the_example_commands() -> None:
    assert {DAY, SWEEP, *CONFORMANCE} <= set(COMMANDS)
    assert INSTALL == ["pip install ./docs/examples/gigbench-example"]
    assert {p.name for p in GUIDES} == {"index.md", "solver.md", "pricing.md", "objective.md",
                                        "generator.md"}  # fmt: skip


@pytest.mark.slow
def test_the_example_runs_a_day_and_a_sweep_and_its_rows_name_it(site, tmp_path) -> None:
    day = run(DAY, tmp_path, site)
    assert day.returncode == 0, day.stderr
    sweep = run(SWEEP, tmp_path, site)
    assert sweep.returncode == 0, sweep.stderr
    # The sweep's first_fit run is the day just run: same config, same plugin code, skipped.
    assert re.search(r"sweep of 2 runs.*\n  ok +1\n.*\n  skipped +1\n", sweep.stdout, re.S), (
        sweep.stdout
    )
    found = rows(tmp_path / "results")
    assert sorted(r["solver"] for r in found) == ["first_fit", "greedy"]
    assert {r["status"] for r in found} == {"ok"}
    for row in found:
        plugins = json.loads(row["plugins_json"])
        assert row["pricing"] == "per_km"
        assert plugins["pricing"]["distribution"] == "gigbench-example"
        assert plugins["pricing"]["entry_point"] == "per_km = gigbench_example.per_km:PerKmFare"
        assert ("solver" in plugins) == (row["solver"] == "first_fit")
        assert row["m_match_rate"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("command", CONFORMANCE)
def test_the_example_passes_conformance(site, tmp_path, command) -> None:
    out = run(command, tmp_path, site)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "(gigbench-example 0.1.0, entry point " in out.stdout
    assert re.search(r"\d+ checks: \d+ passed, 0 failed", out.stdout), out.stdout


BAD_PARAMS = '''
from dataclasses import dataclass
from gigbench_example.per_km import PerKmFare

class FreeRides(PerKmFare):
    """A per-km fare whose default rate is zero."""
    name = "free_rides"

    @dataclass(frozen=True)
    class Params(PerKmFare.Params):
        """per_km: 0 by default (refused by its own check)."""
        per_km: float = 0.0
'''
BROKEN = {
    "wrong class": ("solver", "first_fitt", "gigbench_example.first_fit:FirstFitt",
                    "module 'gigbench_example.first_fit' has no attribute 'FirstFitt'"),
    "missing module": ("solver", "first_fut", "gigbench_exampel.first_fit:FirstFit",
                       "cannot import module 'gigbench_exampel.first_fit': ModuleNotFoundError: "
                       "No module named 'gigbench_exampel'"),
    "bad params": ("pricing", "free_rides", "free_rides:FreeRides",
                   "its default Params fail their check: pricing.per_km: expected a fare per km "
                   "> 0, got 0.0"),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_plugin_is_one_line_and_exit_2(site, tmp_path, case) -> None:
    kind, name, target, message = BROKEN[case]
    group = {"solver": "gigbench.solvers", "pricing": "gigbench.pricing"}[kind]
    broken = write_distribution(tmp_path / "broken", "broken-plugins", {group: {name: target}},
                                modules={"free_rides": BAD_PARAMS})  # fmt: skip
    line = (f"{kind} {name!r} (entry point '{name} = {target}' of distribution broken-plugins "
            f"0.1): {message}")  # fmt: skip
    commands = {
        f"gigbench {kind}={name} instance=uniform": "gigbench: error: ",
        f"gigbench-conformance {kind} {name}": "gigbench-conformance: error: ",
    }
    for command, prefix in commands.items():
        out = run(command, tmp_path, site, broken)
        assert out.returncode == 2, out.stdout + out.stderr
        assert out.stderr.count("\n") == 1 and out.stderr.startswith(prefix + line), out.stderr
        assert "Traceback" not in out.stderr and not (tmp_path / "results").exists()


@pytest.mark.slow
def test_an_edit_to_the_plugin_is_a_new_run(site, tmp_path) -> None:
    own = tmp_path / "site"
    shutil.copytree(site, own)
    command = "gigbench pricing=per_km instance=uniform instance.n_tasks=200"
    first = run(command, tmp_path, own)
    assert first.returncode == 0, first.stderr
    again = run(command, tmp_path, own)
    assert "skipped: its row exists" in again.stdout, again.stdout
    module = own / "gigbench_example" / "per_km.py"
    module.write_text(module.read_text() + "\n# an edit that changes nothing computed\n")
    edited = run(command, tmp_path, own)
    assert edited.returncode == 0 and "skipped" not in edited.stdout, edited.stdout
    found = rows(tmp_path / "results")
    assert len(found) == 2
    hashes = {json.loads(r["plugins_json"])["pricing"]["source_sha256"] for r in found}
    assert len(hashes) == 2


@pytest.mark.slow
@pytest.mark.parametrize("command", OTHERS, ids=[f"{COMMANDS[c]}: {c}" for c in OTHERS])
def test_every_other_guide_command_runs(site, tmp_path, command) -> None:
    out = run(command, tmp_path, site)
    assert out.returncode == 0, out.stdout + out.stderr
    if command.startswith("gigbench-conformance"):
        assert re.search(r"\d+ checks: \d+ passed, 0 failed", out.stdout), out.stdout


def test_the_guides_include_files_that_exist() -> None:
    """The snippets the guides include (``--8<-- "path"`` or ``"path:section"``) are there:
    the pages show the example package's files as they are."""
    includes = [m for page in GUIDES for m in re.findall(r'--8<-- "([^"]+)"', page.read_text())]
    assert any("first_fit.py" in i for i in includes) and any("per_km.py" in i for i in includes)
    for include in includes:
        path, _, section = include.partition(":")
        assert (ROOT / path).is_file(), include
        if section:
            text = (ROOT / path).read_text()
            assert f"--8<-- [start:{section}]" in text and f"--8<-- [end:{section}]" in text
    assert (EXAMPLE / "pyproject.toml").is_file()


def test_the_guides_name_what_exists() -> None:
    """Every ``gigbench.`` name in the guides' backticks resolves (entry-point groups aside)
    and every repository path exists (tests/docs/test_docs_names.py does this for the other
    pages)."""
    spans = [
        span.strip()
        for page in GUIDES
        for span in re.findall(
            r"`([^`\n]+)`", re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
        )
    ]
    groups = {kind.entry_group for kind in KINDS.values()}  # entry-point groups, not modules
    names = {m.group(1) for s in spans if (m := re.match(r"(gigbench(?:\.\w+)+)", s))} - groups
    assert "gigbench.testing.oracles.brute_force" in names
    assert [n for n in names if not _resolves(n)] == []
    paths = {s for s in spans if re.fullmatch(r"(bench|solvers|instances|docs|tests)/[\w/.-]+", s)}
    assert "bench/market/pricing/base.py" in paths
    assert [p for p in paths if not (ROOT / p).exists()] == []
