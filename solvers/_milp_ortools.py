"""OR-Tools backends: CP-SAT (``cpsat``) and the linear solver wrapper (``ortools_lp``).

CP-SAT has integer variables and coefficients only: the objective is scaled by the smallest
10^k (k <= ``cpsat_digits``) that makes every coefficient an integer within 1e-6 of a unit
(so weights in cents work with k = 2), and every constraint coefficient and bound must already
be an integer; otherwise :func:`cpsat_skip` gives the reason. Integer data make the slack s_i
and the minimum earnings z integral at an optimum, so CP-SAT stays exact. pywraplp
(``lp_solver`` SCIP, CBC or GLOP) takes the model variable by variable through SWIG. ortools
is imported inside functions only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gigbench.solvers._milp_model import LinearModel, Outcome, build_model, require
from gigbench.solvers.base import MissingBackendError
from gigbench.solvers.problem import Problem, Status

_INSTALL = "pip install ortools"
_TOL = 1e-6


def _integral(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return bool(np.all(np.abs(finite - np.round(finite)) <= 1e-9 * np.maximum(1, np.abs(finite))))


def objective_scale(cost: np.ndarray, digits: int) -> int | None:
    """Smallest 10^k, k <= digits, with every ``cost * 10^k`` within 1e-6 of an integer."""
    for k in range(digits + 1):
        scaled = cost * 10**k
        if np.all(np.abs(scaled - np.round(scaled)) <= _TOL):
            return 10**k
    return None


def cpsat_skip(problem: Problem, params: Any) -> str | None:
    """Why CP-SAT cannot solve ``problem`` exactly with these params, or None."""
    if params.per_hour:
        return "CP-SAT has no continuous variables; max-min earnings per online hour needs one"
    model = build_model(problem, params)
    if objective_scale(model.cost, params.cpsat_digits) is None:
        return (
            "CP-SAT needs integer objective coefficients: the weights (or penalty / max-min "
            f"weight) are not multiples of 10^-{params.cpsat_digits} (tolerance 1e-6 after "
            "scaling); round them, raise cpsat_digits, or use backend=highs"
        )
    bounds = np.concatenate([model.row_lower, model.row_upper, model.lower, model.upper])
    if not (_integral(model.matrix.data) and _integral(bounds)):
        return (
            "CP-SAT needs integer constraint data: income, earned, target or floor are not "
            "integers; express them in the smallest currency unit or use backend=highs"
        )
    return None


class CpSatBackend:
    """The model as a ``CpModel``; lower bounds are changed in the proto between solves."""

    def __init__(self, model: LinearModel, params: Any) -> None:
        cp = self.cp = require("ortools.sat.python.cp_model", "cpsat", _INSTALL)
        self.params, self.model, self.lower = params, cp.CpModel(), model.lower
        big = 2**40  # finite stand-in for an unbounded variable side (never binding here)
        lower = np.clip(np.nan_to_num(model.lower, neginf=-big), -big, big)
        upper = np.clip(np.nan_to_num(model.upper, posinf=big), -big, big)
        lower, upper = np.ceil(lower - _TOL).astype(np.int64), np.floor(upper + _TOL)
        self.vars = [
            self.model.new_int_var(int(lo), int(hi), f"y{j}")
            for j, (lo, hi) in enumerate(
                zip(lower.tolist(), upper.astype(np.int64).tolist(), strict=True)
            )
        ]
        a = model.matrix
        coef = np.round(a.data).astype(np.int64).tolist()
        for r in range(a.shape[0]):
            lo, hi = a.indptr[r], a.indptr[r + 1]
            expr = cp.LinearExpr.weighted_sum([self.vars[j] for j in a.indices[lo:hi]], coef[lo:hi])
            row_lo, row_hi = model.row_lower[r], model.row_upper[r]
            if row_lo == row_hi:
                self.model.add(expr == round(row_hi))
                continue
            if np.isfinite(row_lo):
                self.model.add(expr >= round(row_lo))
            if np.isfinite(row_hi):
                self.model.add(expr <= round(row_hi))

    def solve(self, cost: np.ndarray, lower: np.ndarray, time_limit: float) -> Outcome:
        """Maximise the scaled objective; OPTIMAL / FEASIBLE / INFEASIBLE / UNKNOWN mapped."""
        cp, model = self.cp, self.model
        scale = objective_scale(cost, self.params.cpsat_digits)
        for j in np.flatnonzero(lower > self.lower).tolist():  # stage 2 raises z's bound
            domain = model.proto.variables[j].domain
            domain[0] = max(domain[0], int(np.ceil(lower[j] - _TOL)))
        nonzero = np.flatnonzero(cost)
        model.clear_objective()
        model.maximize(
            cp.LinearExpr.weighted_sum(
                [self.vars[j] for j in nonzero],
                np.round(cost[nonzero] * scale).astype(np.int64).tolist(),
            )
        )
        solver = cp.CpSolver()
        solver.parameters.max_time_in_seconds = max(float(time_limit), 1e-3)
        solver.parameters.relative_gap_limit = float(self.params.mip_gap)
        solver.parameters.random_seed = 0
        # the assignment polytope is integral: CP-SAT needs its full LP relaxation to prove it
        solver.parameters.linearization_level = 2
        solver.parameters.log_search_progress = bool(self.params.msg)
        if self.params.threads:
            solver.parameters.num_workers = int(self.params.threads)
        status = solver.solve(model)
        if status == cp.INFEASIBLE:
            return Outcome(Status.INFEASIBLE)
        if status in (cp.OPTIMAL, cp.FEASIBLE):
            values = np.asarray(solver.response_proto.solution, dtype=np.float64)
            ours = Status.OPTIMAL if status == cp.OPTIMAL else Status.FEASIBLE
            bound = solver.best_objective_bound / scale
            return Outcome(ours, values, float(cost @ values), bound, solver.status_name(status))
        if status == cp.UNKNOWN:  # its bound is not meaningful before presolve ends: dropped
            return Outcome(Status.TIME_LIMIT, message="CP-SAT stopped without a solution")
        return Outcome(Status.ERROR, message=f"CP-SAT status {solver.status_name(status)}")


class LinearSolverBackend:
    """pywraplp (SCIP by default): variables, then one ``Constraint`` per row."""

    def __init__(self, model: LinearModel, params: Any) -> None:
        pywraplp = self.pywraplp = require("ortools.linear_solver.pywraplp", "ortools_lp", _INSTALL)
        self.params = params
        solver = self.solver = pywraplp.Solver.CreateSolver(params.lp_solver)
        if solver is None:
            raise MissingBackendError(
                f"milp backend 'ortools_lp': expected OR-Tools built with {params.lp_solver}, "
                f"got none; fix: {_INSTALL} (the PyPI wheel has SCIP, CBC and GLOP)"
            )
        inf = solver.infinity()
        lp_only = params.lp_solver == "GLOP"
        bound = lambda v: float(np.clip(v, -inf, inf))  # noqa: E731
        self.vars = [
            (solver.IntVar if is_int and not lp_only else solver.NumVar)(
                bound(lo), bound(hi), f"y{j}"
            )
            for j, (lo, hi, is_int) in enumerate(
                zip(model.lower, model.upper, model.integer, strict=True)
            )
        ]
        a = model.matrix
        for r in range(a.shape[0]):
            row = solver.Constraint(bound(model.row_lower[r]), bound(model.row_upper[r]))
            lo, hi = a.indptr[r], a.indptr[r + 1]
            for j, v in zip(a.indices[lo:hi].tolist(), a.data[lo:hi].tolist(), strict=True):
                row.SetCoefficient(self.vars[j], v)
        if params.threads:
            solver.SetNumThreads(int(params.threads))
        self.objective = solver.Objective()
        self.objective.SetMaximization()

    def solve(self, cost: np.ndarray, lower: np.ndarray, time_limit: float) -> Outcome:
        """Set objective and lower bounds, solve within the time limit, map the status."""
        pywraplp, solver = self.pywraplp, self.solver
        for var, c, lo in zip(self.vars, cost.tolist(), lower.tolist(), strict=True):
            self.objective.SetCoefficient(var, c)
            var.SetLb(max(lo, -solver.infinity()))
        solver.set_time_limit(max(1, int(1000 * time_limit)))
        settings = pywraplp.MPSolverParameters()
        if self.params.lp_solver != "GLOP":
            settings.SetDoubleParam(settings.RELATIVE_MIP_GAP, float(self.params.mip_gap))
        status = solver.Solve(settings)
        if status == pywraplp.Solver.INFEASIBLE:
            return Outcome(Status.INFEASIBLE)
        if status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            values = np.array([v.solution_value() for v in self.vars])
            objective = float(cost @ values)
            ours = Status.OPTIMAL if status == pywraplp.Solver.OPTIMAL else Status.FEASIBLE
            lp_only = self.params.lp_solver == "GLOP"
            bound = self.objective.BestBound() if not lp_only else None
            bound = objective if lp_only and ours == Status.OPTIMAL else bound
            return Outcome(ours, values, objective, bound)
        if status == pywraplp.Solver.NOT_SOLVED:
            return Outcome(Status.TIME_LIMIT, message="stopped without a solution")
        return Outcome(Status.ERROR, message=f"pywraplp status {status}")
