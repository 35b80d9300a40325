"""The import floors: import-linter keeps pyproject's contracts on gigbench as it installs, and
breaks them when a copy of the package gains an import that goes up a floor (directly, inside a
function, or through a module no floor lists) or crosses between solvers and instances."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_floors import lay_out, lint

FLOORS = "gigbench's floors: nothing lower imports anything higher"
SOLVERS = "solvers never import instances; instances import only solvers.registry"


def test_the_floors_hold_today(tmp_path: Path) -> None:
    out = lint(lay_out(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{FLOORS} KEPT" in out.stdout and f"{SOLVERS} KEPT" in out.stdout


def _add(tree: Path, module: str, source: str) -> None:
    path = tree.joinpath(*module.split(".")).with_suffix(".py")
    text = path.read_text() if path.exists() else ""
    path.write_text(text + "\n" + source + "\n")


# (module that gains the import, the source added, the contract it breaks, the offending import)
UPWARD = [
    ("gigbench.sim.arrivals", "def _upward():\n    import gigbench.harness",
     FLOORS, "gigbench.sim.arrivals -> gigbench.harness"),
    ("gigbench.io", "import gigbench.sim", FLOORS, "gigbench.io -> gigbench.sim"),
    ("gigbench.market.fares", "import gigbench.sim.state",
     FLOORS, "gigbench.market.fares -> gigbench.sim.state"),
    ("gigbench.testing.common", "import gigbench.harness.rows",
     FLOORS, "gigbench.testing.common -> gigbench.harness.rows"),
    ("gigbench.solvers.problem", "import gigbench.instances",
     SOLVERS, "gigbench.solvers.problem -> gigbench.instances"),
    ("gigbench.instances.city", "import gigbench.solvers.greedy",
     SOLVERS, "gigbench.instances.city -> gigbench.solvers.greedy"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("module", "source", "contract", "offence"), UPWARD, ids=[case[0] for case in UPWARD]
)
def test_an_upward_import_breaks_its_contract(
    tmp_path: Path, module: str, source: str, contract: str, offence: str
) -> None:
    tree = lay_out(tmp_path)
    _add(tree, module, source)
    out = lint(tree)
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"{contract} BROKEN" in out.stdout and offence in out.stdout


def test_an_upward_import_through_an_unlisted_module_breaks_the_floors(tmp_path: Path) -> None:
    tree = lay_out(tmp_path)
    _add(tree, "gigbench.shortcut", "from gigbench.harness import rows")
    _add(tree, "gigbench.market.fares", "import gigbench.shortcut")
    out = lint(tree)
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"{FLOORS} BROKEN" in out.stdout
    assert "gigbench.market.fares -> gigbench.shortcut" in out.stdout
