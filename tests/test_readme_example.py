"""The README's "Adding a solver" guide, built from the README's own text so it cannot rot.

The three snippets (solver file, registry line, config file) are taken from the README, put in
place in a temporary plugin folder, and the new solver then passes the conformance cases and
runs in a composed ``gigbench`` config beside the built-in solvers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import test_conformance as conformance

import gigbench.solvers
from gigbench.solvers import get_solver, run

README = Path(__file__).resolve().parents[1] / "README.md"


def _snippet(tag: str) -> str:
    text = README.read_text()
    match = re.search(rf"<!-- {tag} -->\s*```\w*\n(.*?)```", text, re.S)
    assert match, f"README lacks the <!-- {tag} --> code block"
    return match.group(1)


@pytest.fixture()
def first_fit(tmp_path, monkeypatch):
    """Install the README's example as a plugin module and registry entry."""
    (tmp_path / "first_fit_example.py").write_text(_snippet("example-solver"))
    monkeypatch.syspath_prepend(str(tmp_path))
    line = _snippet("example-registry").strip()
    name, target = re.fullmatch(r'"(\w+)": "([\w.:]+)",', line).groups()
    target = target.replace("gigbench.solvers.first_fit", "first_fit_example")
    gigbench.solvers.register(name, target)
    yield name, tmp_path
    gigbench.solvers.registry.unregister(name)
    sys.modules.pop("first_fit_example", None)


def test_readme_shows_the_shipped_example_file() -> None:
    shipped = (Path(__file__).resolve().parents[1] / "docs" / "example_solver.py").read_text()
    assert _snippet("example-solver") == shipped


@pytest.mark.parametrize("case", sorted(conformance.CASES))
def test_example_passes_conformance(first_fit, case) -> None:
    name, _ = first_fit
    conformance.test_matches_brute_force(name, case)


def test_example_runs_in_a_sweep_config(first_fit) -> None:
    from hydra import compose, initialize_config_dir

    from gigbench.harness.compose import CONFIG_DIR, register
    from gigbench.harness.execute import build_solver
    from gigbench.schemas import register_schemas

    register()  # the run schema and the cached schemas of the built-in plugins
    name, folder = first_fit
    (folder / "solver").mkdir()
    (folder / "solver" / f"{name}.yaml").write_text(_snippet("example-config"))
    register_schemas()  # from the source: first_fit is registered in this process only
    with initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"):
        cfg = compose(
            config_name="config",
            overrides=[
                f"solver={name}",
                "solver.min_gain=1",
                f"hydra.searchpath=[file://{folder}]",
            ],
        )
    solver = build_solver(cfg)
    assert solver.params.min_gain == 1
    problem = conformance.CASES["square"]
    assert run(solver, problem).n_matched > 0
    assert (
        run(get_solver(name), problem).objective <= run(get_solver("hungarian"), problem).objective
    )
