"""Kernels run interpreted on small problems and compiled past a budget (``gigbench.solvers._jit``):
both give the same answers, the rule decides as documented, and a small run loads neither
numba nor scipy.spatial."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gigbench.solvers import _jit

REPO = Path(__file__).resolve().parents[2]

# Written out by a fresh interpreter under GIGBENCH_JIT=never and =always: every field of every
# validated solution of a mixed set of problems (integer and float weights, forbidden pairs,
# capacities, the max and the scipy form), for the auction and both greedy rules.
_ANSWERS = """
import json, sys
import numpy as np
from gigbench.solvers import Problem, get_solver, run, _jit

rng = np.random.default_rng(7)
problems = []
for i in range(60):
    n_r, n_c = int(rng.integers(1, 13)), int(rng.integers(1, 13))
    w = rng.integers(-5, 60, (n_r, n_c)) if i % 2 else np.round(rng.uniform(-5, 60, (n_r, n_c)), 3)
    keep = rng.random((n_r, n_c)) < 0.6
    rows, cols = np.nonzero(keep)
    cap = rng.integers(0, 4, n_r) if i % 3 == 0 else None
    problems.append(Problem.from_edges(n_r, n_c, rows, cols, w[keep], row_capacity=cap))
    if n_r <= n_c:
        cost = np.where(keep | (np.arange(n_c) == np.arange(n_r)[:, None] % n_c), w, np.inf)
        problems.append(Problem.from_cost_matrix(cost))
out = []
for name, params in (("auction", {}), ("greedy", {}), ("greedy", {"strategy": "nearest"})):
    for p in problems:
        s = run(get_solver(name, **params), p)
        out.append([name, s.status.name, str(s.objective), s.row_ind.tolist(), s.col_ind.tolist(),
                    None if s.row_dual is None else np.asarray(s.row_dual).tolist(),
                    None if s.col_dual is None else np.asarray(s.col_dual).tolist()])
json.dump({"loaded": _jit.is_loaded(), "answers": out}, open(sys.argv[1], "w"))
"""


def _answers(tmp_path: Path, mode: str) -> dict:
    path = tmp_path / f"{mode}.json"
    env = {**os.environ, "GIGBENCH_JIT": mode}
    subprocess.run([sys.executable, "-c", _ANSWERS, str(path)], env=env, cwd=REPO, check=True)
    return json.loads(path.read_text())


def test_interpreted_and_compiled_kernels_give_identical_solutions(tmp_path) -> None:
    interpreted, compiled = _answers(tmp_path, "never"), _answers(tmp_path, "always")
    assert not interpreted["loaded"] and compiled["loaded"]
    assert len(interpreted["answers"]) > 200
    assert interpreted["answers"] == compiled["answers"]


class _Sized:
    def __init__(self, n_rows: int, n_cols: int, n_edges: int) -> None:
        self.n_rows, self.n_cols, self.n_edges = n_rows, n_cols, n_edges


@pytest.fixture
def fresh_rule(monkeypatch):
    """The rule's state as in a new process, with loading recorded instead of done."""
    loads = []
    monkeypatch.setattr(_jit, "_state", {"loaded": False, "interpreted": 0})
    monkeypatch.setattr(_jit, "load", lambda: (loads.append(1), _jit._state.update(loaded=True)))
    monkeypatch.delenv("GIGBENCH_JIT", raising=False)
    return loads


def test_small_problems_run_interpreted_until_the_budget_is_spent(fresh_rule) -> None:
    small = _Sized(40, 9, 51)  # 100 units
    for _ in range(_jit.INTERPRET_BUDGET // 100):
        _jit.kernels(np, small)
    assert fresh_rule == [] and _jit._state["interpreted"] == _jit.INTERPRET_BUDGET
    _jit.kernels(np, small)  # one unit over the budget: numba pays from here on
    assert fresh_rule == [1] and _jit.is_loaded()
    _jit.kernels(np, small)
    assert fresh_rule == [1]


def test_a_large_problem_loads_numba_at_once(fresh_rule) -> None:
    _jit.kernels(np, _Sized(1000, 1000, _jit.INTERPRET_MAX))  # over INTERPRET_MAX units
    assert fresh_rule == [1]


def test_the_environment_overrides_the_rule(fresh_rule, monkeypatch) -> None:
    monkeypatch.setenv("GIGBENCH_JIT", "never")
    _jit.kernels(np, _Sized(10**6, 10**6, 10**7))
    assert fresh_rule == []
    monkeypatch.setenv("GIGBENCH_JIT", "always")
    _jit.kernels(np, _Sized(1, 1, 1))
    assert fresh_rule == [1]
    monkeypatch.setattr(_jit, "_state", {"loaded": False, "interpreted": 0})
    monkeypatch.setenv("GIGBENCH_JIT", "sometimes")
    with pytest.raises(ValueError, match="GIGBENCH_JIT: expected one of"):
        _jit.kernels(np, _Sized(1, 1, 1))


_SMALL_RUN = """
import atexit, json, sys
from gigbench.harness.cli import main
heavy = ("numba", "scipy.spatial", "scipy.optimize", "pyarrow.dataset", "ortools", "pandas")
atexit.register(lambda: print(json.dumps({m: m in sys.modules for m in heavy}), file=sys.stderr))
sys.argv = ["gigbench", "instance.n_tasks=100", "instance.n_workers=10", "solver=auction",
            "run.isolate=false", "results_dir=" + sys.argv[1], "hydra.run.dir=" + sys.argv[2]]
main()
"""


@pytest.mark.parametrize("solver", ["auction", "greedy"])
def test_a_small_day_loads_neither_numba_nor_scipy_spatial_nor_pandas(tmp_path, solver) -> None:
    """What makes a 100-request day cost seconds more than its work: none of it is loaded."""
    code = _SMALL_RUN.replace("solver=auction", f"solver={solver}")
    # The schema cache first (a fresh checkout builds it by importing every plugin, once).
    warm = "from gigbench.harness.compose import register; register()"
    subprocess.run([sys.executable, "-c", warm], cwd=REPO, check=True)
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "results"), str(tmp_path / "hydra")],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, "GIGBENCH_JIT": ""},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    loaded = json.loads(out.stderr.strip().splitlines()[-1])
    assert loaded == dict.fromkeys(loaded, False)
    assert len(list((tmp_path / "results" / "rows").glob("*.parquet"))) == 1


_WARMED = """
import json, numpy as np
from gigbench.solvers import Problem, _auction_kernels, _sparse_kernels, get_solver
found = {}
rows, cols = np.repeat(np.arange(4), 3), np.arange(12) % 4
ints = Problem.from_edges(4, 4, rows, cols, np.arange(1, 13))
floats = Problem.from_edges(4, 4, rows, cols, np.arange(1.0, 13.0))
sparse = {"sparse_min_edges": 0}
cases = [  # the simulation's batches (int64 or float64 edges) and a dense integer matrix
    (_auction_kernels, {}, ints), (_auction_kernels, {}, floats),
    (_auction_kernels, {}, Problem.from_dense(np.arange(16).reshape(4, 4))),
    (_sparse_kernels, sparse, ints), (_sparse_kernels, sparse, floats),
]
for module, params, problem in cases:
    get_solver("auction", **params).prepare(problem)
    dtype = str(problem.weights.dtype)
    found[f"{module.__name__} {dtype}"] = [str(sig[4]) for sig in module.solve.signatures]
assert len(found) == 5, sorted(found)
print(json.dumps(found))
"""


def test_warming_passes_the_kernel_weights_of_the_dtype_it_records() -> None:
    """The cheap check of the rule below: the warm-up calls the kernel with weights of the
    dtype it then records as warm (from_dense would have made int64 weights int32)."""
    from gigbench.solvers import auction

    seen = []

    class Recorder:  # stands in for a kernel module: only the call's arguments are checked
        __name__ = "recorder"

        @staticmethod
        def solve(*args):
            seen.append(args[4].dtype)

    for dtype in (np.int64, np.int32, np.float64):
        seen.clear()
        auction._warm(Recorder, np.dtype(dtype))
        assert seen and set(seen) == {np.dtype(dtype)}
    auction._WARMED.difference_update(
        {("recorder", np.dtype(d).str) for d in (np.int64, np.int32, np.float64)}
    )


@pytest.mark.slow
def test_prepare_compiles_the_kernel_for_the_problems_own_weight_dtype() -> None:
    """``solve()`` is the timed call: a kernel compiled there would count its compilation as
    solving (a dense integer matrix is int32 while the simulation's batches are int64)."""
    out = subprocess.run(
        [sys.executable, "-c", _WARMED], cwd=REPO, capture_output=True, text=True,
        env={**os.environ, "GIGBENCH_JIT": "always"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    for key, signatures in json.loads(out.stdout).items():
        dtype = key.split()[1]
        assert any(f"array({dtype}" in sig for sig in signatures), (key, signatures)
