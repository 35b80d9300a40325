"""PuLP backends: CBC (``cbc``) and HiGHS through highspy (``pulp_highs``).

The PuLP model is built row by row from the CSR matrix with ``LpAffineExpression`` from
dicts (no growing ``lpSum``). CBC: PuLP >= 4 ships no CBC (``pip install "pulp[cbc]"`` adds
the cbcbox executable, found by ``COIN_CMD``); PuLP 3 bundles one, which we run through
``COIN_CMD`` too (its ``PULP_CBC_CMD`` wrapper is deprecated). CBC reports its bound only in
its log, which is parsed. pulp.HiGHS translates the PuLP model into highspy inside its solve
call, so that translation counts as solve time. pulp is imported inside functions only.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from typing import Any

import numpy as np

from gigbench.solvers._milp_model import LinearModel, Outcome, require
from gigbench.solvers.problem import Status


class _PulpBackend:
    """The model as an ``LpProblem``; re-solves replace the objective and lower bounds."""

    backend = ""
    install = "pip install pulp"

    def __init__(self, model: LinearModel, params: Any) -> None:
        pulp = self.pulp = require("pulp", self.backend, self.install)
        self.params, self.mip = params, bool(model.integer.any())
        self.solver = self._solver(pulp, params)  # fail early, before building, if missing
        prob = self.prob = pulp.LpProblem("gigbench_milp", pulp.LpMaximize)
        cat = [pulp.LpInteger if i else pulp.LpContinuous for i in model.integer]
        self.vars = [
            prob.add_variable(f"y{j}", model.lower[j], model.upper[j], cat[j])
            for j in range(model.n_vars)
        ]
        a = model.matrix
        for r in range(a.shape[0]):
            lo, hi = a.indptr[r], a.indptr[r + 1]
            expr = pulp.LpAffineExpression(
                dict(
                    zip(
                        [self.vars[j] for j in a.indices[lo:hi]],
                        a.data[lo:hi].tolist(),
                        strict=True,
                    )
                )
            )
            lower, upper = model.row_lower[r], model.row_upper[r]
            if lower == upper:
                prob += expr == float(upper), f"r{r}"
                continue
            if np.isfinite(upper):
                prob += expr <= float(upper), f"r{r}"
            if np.isfinite(lower):
                prob += expr >= float(lower), f"r{r}_lo"

    def _solver(self, pulp: Any, params: Any) -> Any:
        raise NotImplementedError

    def solve(self, cost: np.ndarray, lower: np.ndarray, time_limit: float) -> Outcome:
        """Set objective and lower bounds, solve, read the values and the bound."""
        pulp, prob = self.pulp, self.prob
        nonzero = np.flatnonzero(cost)
        prob.setObjective(
            pulp.LpAffineExpression({self.vars[j]: float(cost[j]) for j in nonzero.tolist()})
        )
        for var, lo in zip(self.vars, lower.tolist(), strict=True):
            var.lowBound = lo
        self.solver.timeLimit = max(float(time_limit), 0.01)
        bound = self._run()
        status, found = prob.status, prob.sol_status
        if status == pulp.LpStatusInfeasible:
            return Outcome(Status.INFEASIBLE)
        values = None
        if found in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
            values = np.array([v.varValue or 0.0 for v in self.vars])
        objective = float(cost @ values) if values is not None else None
        if status == pulp.LpStatusOptimal and found == pulp.LpSolutionOptimal:
            return Outcome(
                Status.OPTIMAL, values, objective, bound if bound is not None else objective
            )
        if values is not None:  # stopped (time limit) with an incumbent
            return Outcome(Status.FEASIBLE, values, objective, bound, "stopped with a solution")
        if status == pulp.LpStatusNotSolved:
            return Outcome(Status.TIME_LIMIT, bound=bound, message="stopped without a solution")
        return Outcome(Status.ERROR, message=f"PuLP status {pulp.LpStatus[status]}")

    def _run(self) -> float | None:
        """Solve; return the proven bound on the maximum when the solver reports one."""
        raise NotImplementedError


class CbcBackend(_PulpBackend):
    """CBC through PuLP's ``COIN_CMD`` (bound parsed from the CBC log)."""

    backend = "cbc"
    install = 'pip install "pulp[cbc]"'

    def _solver(self, pulp: Any, params: Any) -> Any:
        path = shutil.which("cbc")
        if path is None:  # PuLP 3 bundles CBC; PuLP 4 needs the cbcbox wheel of pulp[cbc]
            bundled = getattr(pulp.apis.coin_api, "pulp_cbc_path", None)
            path = bundled if bundled and os.access(bundled, os.X_OK) else None
        solver = pulp.COIN_CMD(path=path, msg=False) if path else pulp.COIN_CMD(msg=False)
        if not solver.available():
            raise ImportError(
                "milp backend 'cbc' needs the CBC executable, which was not found (PuLP >= 4 "
                'no longer bundles it); fix: pip install "pulp[cbc]" or put cbc on PATH, or '
                "choose another backend, e.g. solver.backend=highs"
            )
        return pulp.COIN_CMD(
            path=solver.path,
            msg=False,
            gapRel=params.mip_gap,
            threads=params.threads or None,
            timeMode="elapsed",
        )

    def _run(self) -> float | None:
        """Solve with the log in a temporary file; CBC prints its bound only there (as
        'Upper bound:' for the maximisation PuLP asks for with -max)."""
        with tempfile.TemporaryDirectory(prefix="gigbench_cbc_") as folder:
            log = os.path.join(folder, "cbc.log")
            self.solver.optionsDict["logPath"] = log
            self.prob.solve(self.solver)
            with open(log) as f:
                found = re.findall(r"^(?:Upper|Lower) bound:\s*(\S+)", f.read(), flags=re.M)
        try:
            return float(found[-1]) if found else None
        except ValueError:
            return None


class PulpHighsBackend(_PulpBackend):
    """HiGHS through PuLP's ``HiGHS`` class (highspy in-process, not the HiGHS_CMD binary)."""

    backend = "pulp_highs"

    def _solver(self, pulp: Any, params: Any) -> Any:
        require("highspy", self.backend, "pip install highspy")
        return pulp.HiGHS(
            msg=bool(params.msg),
            gapRel=params.mip_gap,
            threads=params.threads or None,
            random_seed=0,
        )

    def _run(self) -> float | None:
        """Solve; pulp.HiGHS passes a maximisation as min -cost: negate HiGHS' bound."""
        self.prob.solve(self.solver)
        bound = self.prob.solverModel.getInfo().mip_dual_bound
        return -float(bound) if np.isfinite(bound) and self.mip else None
