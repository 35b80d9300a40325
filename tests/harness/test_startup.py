"""gigbench.startup: pandas deferred by the ``gigbench`` command, brought in when needed."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

_DEFERRED = """
import io, json, sys
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from gigbench.startup import defer_pandas
defer_pandas()
table = pa.table({"x": np.arange(3), "s": ["a", None, "c"]})
buf = io.BytesIO(); pq.write_table(table, buf); buf.seek(0)
back = pq.ParquetFile(buf).read()
same = back.column("x").to_numpy().tolist() == [0, 1, 2] and back.to_pylist() == table.to_pylist()
after_work = "pandas" in sys.modules
frame = back.to_pandas()  # needs pandas: pyarrow imports it now
import pandas as pd
categorical = str(pa.array(pd.Series(pd.Categorical(["u", "v", "u"]))).type)
print(json.dumps({"same": same, "pandas_after_work": after_work, "frame_rows": len(frame),
                  "categorical": categorical}))
"""


def test_pyarrow_works_without_pandas_until_a_call_needs_it() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _DEFERRED], cwd=REPO, capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout)
    assert got["same"] is True
    assert got["pandas_after_work"] is False
    assert got["frame_rows"] == 3
    # After to_pandas imported it, pyarrow's pandas integration is whole again.
    assert got["categorical"].startswith("dictionary<")


def test_the_collector_resumes_frozen_after_its_own_pause_only() -> None:
    from gigbench.startup import pause_collector, resume_collector

    try:
        pause_collector()
        assert not gc.isenabled()
        frozen = gc.get_freeze_count()
        resume_collector()
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen
        gc.disable()  # someone else's choice: resume leaves it
        resume_collector()
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


_POOL_THEN_LEAVE = """
from joblib import Parallel, delayed
from gigbench.harness.cli import leave
print(Parallel(n_jobs=2)(delayed(abs)(i) for i in (-1, -2)), flush=True)
leave(3)
"""


def test_leaving_with_a_launchers_pool_alive_does_not_wait_for_it_to_idle_out() -> None:
    """joblib's workers idle 300 s before they quit; the fast exit ran multiprocessing's
    atexit join before the pool was told to stop, so a joblib sweep sat 5 minutes at its end.
    The timeout below is a hang detector, far above the second this takes."""
    pytest.importorskip("joblib")
    out = subprocess.run(
        [sys.executable, "-c", _POOL_THEN_LEAVE], cwd=REPO, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert out.returncode == 3, out.stderr
    assert out.stdout.strip() == "[1, 2]"


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
    # (gigbench.harness.execute.preload); importing scipy.optimize there cost every run 0.3-0.7 s.
    out = subprocess.run(
        [sys.executable, "-c", _HUNGARIAN_IMPORTS], cwd=REPO, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    got = json.loads(out.stdout)
    assert got["methods"] == ["sparse", "dense"]
    assert got["after_sparse"] is False
    assert got["after_dense"] is True
    assert got["objectives"] == [5, 7]  # 3 + 2 in the miniature; 3 + 4 on the diagonal
