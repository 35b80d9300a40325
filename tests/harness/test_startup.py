"""Start-up: what the harness imports ahead of a run stays what the run needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_HUNGARIAN_IMPORTS = """
import json, sys
import numpy as np
from gigbench.sim.match import miniature
from gigbench.solvers import Problem, get_solver, run
solver = get_solver("hungarian")
sparse = run(solver, miniature())
after_sparse = "scipy.optimize" in sys.modules
dense = run(solver, Problem.from_dense(np.array([[3, 1], [2, 4]])))
print(json.dumps({"after_sparse": after_sparse, "after_dense": "scipy.optimize" in sys.modules,
                  "objectives": [sparse.objective, dense.objective],
                  "methods": [sparse.stats["method"], dense.stats["method"]]}))
"""


def test_hungarian_imports_scipy_optimize_only_for_a_dense_problem() -> None:
    # The harness prepares the solver on a batch in miniature before a simulated day
    # (gigbench.harness.run.warm_up); importing scipy.optimize there cost every run 0.3-0.7 s.
    out = subprocess.run(
        [sys.executable, "-c", _HUNGARIAN_IMPORTS], cwd=REPO, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    got = json.loads(out.stdout)
    assert got["methods"] == ["sparse", "dense"]
    assert got["after_sparse"] is False
    assert got["after_dense"] is True
    assert got["objectives"] == [5, 7]  # 3 + 2 in the miniature; 3 + 4 on the diagonal
