"""Kernels compile with explicit signatures when their module is imported
(``gigbench.solvers._jit``): no solve compiles a kernel or runs one interpreted, whatever the
weights' dtype, the arrays' mutability or the path the problem takes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gigbench.solvers import Problem, get_solver, run

REPO = Path(__file__).resolve().parents[2]


def _mixed_problems() -> list[Problem]:
    """Integer and float weights, int32 dense matrices both ways, forbidden pairs,
    capacities, the max and the scipy form, and arrays the caller may still write to."""
    rng = np.random.default_rng(7)
    problems = [
        Problem.from_cost_matrix(rng.integers(0, 100, (5, 7))),  # int32, rows bid in place
        Problem.from_cost_matrix(rng.integers(0, 100, (7, 5))),  # int32, columns bid
        Problem.from_dense(rng.integers(0, 2**40, (3, 4))),  # int64 dense
        Problem.from_cost_matrix(rng.random((6, 6))),
    ]
    for i in range(12):
        n_r, n_c = int(rng.integers(1, 13)), int(rng.integers(1, 13))
        w = rng.integers(-5, 60, (n_r, n_c)) if i % 2 else rng.uniform(-5, 60, (n_r, n_c))
        keep = rng.random((n_r, n_c)) < 0.6
        rows, cols = np.nonzero(keep)
        cap = rng.integers(0, 4, n_r) if i % 3 == 0 else None
        problems.append(Problem.from_edges(n_r, n_c, rows, cols, w[keep], row_capacity=cap))
    return problems


def test_no_solve_compiles_a_kernel() -> None:
    """Every entry point keeps the signatures it was compiled with at import: a call with
    other types would have compiled a new one, inside the timed solve (numba refuses such a
    call outright once signatures are given, so solving at all proves the types match)."""
    from gigbench.solvers import _auction_kernels, _greedy_kernels

    entries = [_auction_kernels.solve, _auction_kernels.solve_dense]
    entries += [getattr(_greedy_kernels, name) for name in (
        "best_edge_first", "nearest_dispatch", "augment_to_maximum", "broadcast_offers"
    )]  # fmt: skip
    before = [list(entry.signatures) for entry in entries]
    assert all(before)
    solvers = [("auction", {}), ("auction", {"sparse_min_edges": 0}), ("greedy", {}),
               ("greedy", {"strategy": "nearest"})]  # fmt: skip
    for problem in _mixed_problems():
        for name, params in solvers:
            solution = run(get_solver(name, **params), problem)
            assert solution.status.name in ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
        if not problem.full:
            run(get_solver("broadcast"), problem)
    assert [list(entry.signatures) for entry in entries] == before


def test_the_solvers_take_the_kernels_from_prepare() -> None:
    """``prepare()`` imports the kernel module, so its compile (or cache load) is never part
    of a timed ``solve()``."""
    problem = _mixed_problems()[0]
    for name in ("auction", "greedy", "broadcast"):
        solver = get_solver(name)
        solver.prepare(problem)
        assert solver.kernels.__name__.startswith("gigbench.solvers._")


_SMALL_RUN = """
import atexit, json, sys
from gigbench.harness.cli import main
heavy = ("scipy.spatial", "scipy.optimize", "pyarrow.dataset", "ortools")
atexit.register(lambda: print(json.dumps({m: m in sys.modules for m in heavy}), file=sys.stderr))
sys.argv = ["gigbench", "instance.n_tasks=100", "instance.n_workers=10", "solver=auction",
            "run.isolate=false", "results_dir=" + sys.argv[1], "hydra.run.dir=" + sys.argv[2]]
main()
"""


@pytest.mark.parametrize("solver", ["auction", "greedy"])
def test_a_small_day_loads_nothing_heavy_it_does_not_use(tmp_path, solver) -> None:
    """A 100-request day loads numba's compiled kernels (from the cache) and nothing heavy
    that it does not use. (pandas is loaded: pyarrow imports it on its first conversion of
    anything, and gigbench no longer hides it.)"""
    code = _SMALL_RUN.replace("solver=auction", f"solver={solver}")
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "results"), str(tmp_path / "hydra")],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    loaded = json.loads(out.stderr.strip().splitlines()[-1])
    assert loaded == dict.fromkeys(loaded, False)
    assert len(list((tmp_path / "results" / "rows").glob("*.parquet"))) == 1
