"""PuLP backends: CBC (``cbc``) and HiGHS through highspy (``pulp_highs``).

The PuLP model is built row by row from the CSR matrix with affine expressions from dicts (no
growing ``lpSum``). PuLP 3.3 (Python 3.11) and PuLP 4 (Python >= 3.12) are both supported:
variables come from ``prob.add_variable`` (in both since 3.3.1), and the two ways a solve
reports its result meet in :class:`_Result`. CBC runs through ``COIN_CMD``: PuLP 3's bundled
executable, or under PuLP 4 the one of the ``cbcbox`` wheel that ``pulp[cbc]`` installs (or a
``cbc`` on PATH). Its bound comes from PuLP 4's solve statistics, or under PuLP 3 from CBC's
log. pulp.HiGHS
translates the PuLP model into highspy inside its solve call, so that translation counts as
solve time. pulp is imported inside functions only.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from gigbench.solvers._milp_model import LinearModel, Outcome, require
from gigbench.solvers._stdout import quiet_stdout
from gigbench.solvers.base import MissingBackendError
from gigbench.solvers.problem import Status


@dataclass(frozen=True)
class _Result:
    """One solve's result, read the same way from PuLP 3 and PuLP 4."""

    optimal: bool  # proven optimal, with its solution
    found: bool  # the solver handed back a feasible point
    infeasible: bool
    stopped: bool  # stopped by a limit (time) or before solving
    name: str  # PuLP's word for the status, for messages
    bound: float | None = None  # the proven bound on the maximum, when the solver gives one


def _solve(pulp: Any, prob: Any, solver: Any, pulp3_bound: Callable[[], float | None]) -> _Result:
    """Solve ``prob``. PuLP 3's ``solve`` returns a status code and leaves the result on the
    problem (its bound is read by ``pulp3_bound``); PuLP 4's returns an ``LpSolveStats`` whose
    status says why the solver stopped and which carries the bound."""
    returned = prob.solve(solver)
    if isinstance(returned, int):
        status, sol = prob.status, prob.sol_status
        return _Result(
            optimal=status == pulp.LpStatusOptimal and sol == pulp.LpSolutionOptimal,
            found=sol in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible),
            infeasible=status == pulp.LpStatusInfeasible,
            stopped=status == pulp.LpStatusNotSolved,
            name=pulp.LpStatus[status],
            bound=pulp3_bound(),
        )
    done = pulp.LpSolveStatus
    return _Result(
        optimal=returned.status == done.Optimal and returned.has_solution,
        found=returned.has_solution,
        infeasible=returned.status == done.Infeasible,
        stopped=returned.status in (done.TimeLimit, done.NotSolved),
        name=returned.status_str,
        bound=returned.best_bound,
    )


class _PulpBackend:
    """The model as an ``LpProblem``; re-solves replace the objective and lower bounds."""

    backend = ""
    install = "pip install pulp"

    def __init__(self, model: LinearModel, params: Any) -> None:
        pulp = self.pulp = require("pulp", self.backend, self.install)
        self.params, self.mip = params, bool(model.integer.any())
        self.solver = self._solver(pulp, params)  # fail early, before building, if missing
        # PuLP 4 builds an expression from a dict with from_dict; PuLP 3's constructor takes it
        self.affine = getattr(pulp.LpAffineExpression, "from_dict", pulp.LpAffineExpression)
        prob = self.prob = pulp.LpProblem("gigbench_milp", pulp.LpMaximize)
        cat = [pulp.LpInteger if i else pulp.LpContinuous for i in model.integer]
        self.vars = [
            prob.add_variable(f"y{j}", model.lower[j], model.upper[j], cat[j])
            for j in range(model.n_vars)
        ]
        a = model.matrix
        for r in range(a.shape[0]):
            lo, hi = a.indptr[r], a.indptr[r + 1]
            expr = self.affine(
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
        prob = self.prob
        nonzero = np.flatnonzero(cost)
        prob.setObjective(self.affine({self.vars[j]: float(cost[j]) for j in nonzero.tolist()}))
        for var, lo in zip(self.vars, lower.tolist(), strict=True):
            var.lowBound = lo
        self.solver.timeLimit = max(float(time_limit), 0.01)
        result = self._run()
        if result.infeasible:
            return Outcome(Status.INFEASIBLE)
        values = np.array([v.varValue or 0.0 for v in self.vars]) if result.found else None
        objective = float(cost @ values) if values is not None else None
        bound = result.bound
        if result.optimal:
            return Outcome(
                Status.OPTIMAL, values, objective, bound if bound is not None else objective
            )
        if values is not None:  # stopped (time limit) with an incumbent
            return Outcome(Status.FEASIBLE, values, objective, bound, "stopped with a solution")
        if result.stopped:
            return Outcome(Status.TIME_LIMIT, bound=bound, message="stopped without a solution")
        return Outcome(Status.ERROR, message=f"PuLP status {result.name}")

    def _run(self) -> _Result:
        """Solve; the result carries the proven bound on the maximum when there is one."""
        raise NotImplementedError


class CbcBackend(_PulpBackend):
    """CBC through PuLP's ``COIN_CMD`` (PuLP 3: the bound parsed from the CBC log)."""

    backend = "cbc"
    install = 'pip install "pulp[cbc]"'

    def _solver(self, pulp: Any, params: Any) -> Any:
        """PuLP 3 runs the CBC it bundles (the one its deprecated PULP_CBC_CMD would run, and
        whose output its parser reads); PuLP 4 bundles none, and its COIN_CMD finds the one
        of cbcbox (``pulp[cbc]``) or a cbc on PATH."""
        options = dict(
            msg=False, gapRel=params.mip_gap, threads=params.threads or None, timeMode="elapsed"
        )
        bundled = getattr(getattr(pulp, "PULP_CBC_CMD", None), "pulp_cbc_path", None)
        if bundled and os.access(bundled, os.X_OK):
            solver = pulp.COIN_CMD(path=bundled, **options)
        else:
            solver = pulp.COIN_CMD(**options)
        if not solver.available():
            raise MissingBackendError(
                "milp backend 'cbc' needs the CBC executable, which was not found (PuLP >= 4 "
                'no longer bundles it); fix: pip install "pulp[cbc]" or put cbc on PATH, or '
                "choose another backend, e.g. solver.backend=highs"
            )
        return solver

    def _run(self) -> _Result:
        """Solve with CBC's log in a temporary file: PuLP 4 reads the bound from it; under
        PuLP 3 it is parsed here ('Upper bound:' for the maximisation PuLP 3 asks for with
        -max)."""
        with tempfile.TemporaryDirectory(prefix="gigbench_cbc_") as folder:
            log = os.path.join(folder, "cbc.log")
            self.solver.optionsDict["logPath"] = log
            return _solve(self.pulp, self.prob, self.solver, lambda: _log_bound(log))


def _log_bound(log: str) -> float | None:
    """The last bound CBC printed in its log, if any."""
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

    def _run(self) -> _Result:
        """Solve. PuLP 4 reports HiGHS' bound in the problem's sense; PuLP 3 passes a
        maximisation to HiGHS as min -cost, so its bound is negated here."""

        def pulp3_bound() -> float | None:
            bound = self.prob.solverModel.getInfo().mip_dual_bound
            return -float(bound) if np.isfinite(bound) and self.mip else None

        # PuLP builds a highspy Highs() inside its solve call; the first one of a process prints
        # HiGHS' banner on file descriptor 1 before any option, which would break the row a
        # command prints on stdout (e.g. `gigbench ... | head`).
        quiet = contextlib.nullcontext() if self.solver.msg else quiet_stdout()
        with quiet:
            return _solve(self.pulp, self.prob, self.solver, pulp3_bound)
