"""The lazy registry: listing is cheap, unknown names list the valid ones."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gigbench.solvers import UnknownNameError, available_solvers, get_solver


def test_builtin_solvers_listed() -> None:
    assert {"greedy", "hungarian"} <= set(available_solvers())


def test_unknown_solver_lists_valid_names() -> None:
    with pytest.raises(UnknownNameError, match=r"valid solver names are: .*greedy.*hungarian"):
        get_solver("simplex")


def test_bad_parameter_value_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="expected 'best_edge' or 'nearest'"):
        get_solver("greedy", strategy="random")


def test_importing_solvers_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, gigbench.solvers; gigbench.solvers.available_solvers();"
        "[gigbench.solvers.solver_class(n) for n in gigbench.solvers.available_solvers()];"
        "heavy = [m for m in ('numba', 'ortools', 'pulp', 'highspy') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
