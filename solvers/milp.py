"""Exact assignment by mixed-integer programming, with the side constraints platforms need.

The model (built once, as arrays, in :mod:`gigbench.solvers._milp_model`; x_e binary per edge e =
(i, j)):

    maximise   sum_e gain_e x_e  -  floor_penalty * sum_i s_i        [+ maxmin_weight * z]
    capacity   sum_{e in row i} x_e <= cap_i            (= cap_i / = 1 on the side a full
    tasks      sum_{e in col j} x_e <= 1                 problem must match)
    skills     x_e = 0 where edge_data['allowed'] is False              (skills=True)
    floor      earned_i + sum_{e in row i} income_e x_e + s_i >= target_i, s_i >= 0
                                                                          (income_floor=True)
    max-min    z * hours_i <= earned_i + sum_{e in row i} income_e x_e  (objective='maxmin')
    share      sum_{e in row i} x_e <= k,  k = ceil(max_share * sum_e x_e) (max_share=float)

Data: income = edge_data['income'] (default: the edge's gain), earned = row_data['earned']
(default 0), target = ``floor`` or row_data['target'], hours = row_data['hours'] when
``per_hour`` (else 1). Max-min is lexicographic (first max z, then max welfare with z at its
optimum; two solves) or a weighted sum (one solve).

``Solution.objective`` is always the sum of the problem's weights over the chosen pairs (what
:func:`gigbench.solvers.validate` recomputes); the model's own objective (with penalty and z terms)
is
``stats['model_objective']`` and ``Solution.bound`` is the proven bound on it (problem sense).
Fairness figures go to ``stats``: min_earnings, slack_total, max_tasks. Without side
constraints the LP relaxation is totally unimodular and its duals (solved by HiGHS) are
returned as worker utilities and task prices.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from gigbench.solvers._milp_model import LinearModel, Outcome, build_model, side_arrays
from gigbench.solvers.base import Solver, run
from gigbench.solvers.problem import Problem, Solution, Status, require_float64_exact

BACKENDS = {
    "highs": "gigbench.solvers._milp_highs:HighsBackend",
    "cbc": "gigbench.solvers._milp_pulp:CbcBackend",
    "pulp_highs": "gigbench.solvers._milp_pulp:PulpHighsBackend",
    "cpsat": "gigbench.solvers._milp_ortools:CpSatBackend",
    "ortools_lp": "gigbench.solvers._milp_ortools:LinearSolverBackend",
}


class Milp(Solver):
    """Exact MILP assignment (HiGHS, CBC, CP-SAT, SCIP) with fairness side constraints."""

    name = "milp"
    exact = True
    yields_duals = True

    @dataclass(frozen=True)
    class Params:
        """backend: highs (highspy, bulk load; default: a gigbench dependency on every
        Python), cbc and pulp_highs (through PuLP), cpsat, ortools_lp (pywraplp, ``lp_solver``
        SCIP / CBC / GLOP). time_limit (s, whole solve) and mip_gap (relative) go to the
        solver; threads 0 = solver default. lp_when_tu: without side constraints the model is
        totally unimodular, so its LP (a simplex vertex is integral) is solved instead of the
        MIP, except by CP-SAT; ``stats['relaxed']`` says so. The side-constraint fields are
        described in the module docstring."""

        backend: str = "highs"
        time_limit: float = 60.0
        mip_gap: float = 0.0
        threads: int = 1
        duals: bool = True
        lp_when_tu: bool = True
        skills: bool = True
        income_floor: bool = False
        floor: float | None = None
        floor_penalty: float = 1000.0
        objective: str = "welfare"
        maxmin_mode: str = "lexicographic"
        maxmin_weight: float = 1.0
        per_hour: bool = False
        max_share: float | None = None
        lp_solver: str = "SCIP"
        cpsat_digits: int = 6
        msg: bool = False

        def check(self) -> None:
            """Reject unknown choices and out-of-range numbers before any solve."""
            choices = {
                "backend": (self.backend, tuple(BACKENDS)),
                "objective": (self.objective, ("welfare", "maxmin")),
                "maxmin_mode": (self.maxmin_mode, ("lexicographic", "weighted")),
                "lp_solver": (self.lp_solver, ("SCIP", "CBC", "GLOP")),
            }
            for key, (value, valid) in choices.items():
                if value not in valid:
                    raise ValueError(f"milp {key}: expected one of {valid}, got {value!r}")
            if not self.time_limit > 0 or not 0 <= self.mip_gap < 1:
                raise ValueError(
                    "milp: expected time_limit > 0 and 0 <= mip_gap < 1, got "
                    f"time_limit={self.time_limit}, mip_gap={self.mip_gap}"
                )
            if self.max_share is not None and not 0 < self.max_share <= 1:
                raise ValueError(
                    f"milp max_share: expected a share in (0, 1], got {self.max_share}"
                )

        @property
        def side_constraints(self) -> bool:
            """True when a fairness family is on (then there are no duals)."""
            return self.income_floor or self.objective == "maxmin" or self.max_share is not None

    def skip(self, problem: Problem) -> str | None:
        """Problems a backend or a family cannot handle, with the reason."""
        p = self.params
        if p.max_share is not None and problem.full:
            return "a share cap can make a full (scipy-form) matching impossible; use sense='max'"
        if p.backend == "ortools_lp" and p.lp_solver == "GLOP" and p.side_constraints:
            return "GLOP solves LPs only: use it for plain assignment (totally unimodular)"
        if p.backend == "cpsat":
            from gigbench.solvers._milp_ortools import cpsat_skip

            return cpsat_skip(problem, p)
        return None

    def prepare(self, problem: Problem) -> None:
        """Build the model and load it into the backend (untimed; ``stats['build_seconds']``)."""
        require_float64_exact(problem, "milp")
        super().prepare(problem)
        t0 = time.perf_counter()
        self.model = build_model(problem, self.params)
        self.relaxed = self.params.lp_when_tu and self._tu() and self.params.backend != "cpsat"
        if self.relaxed:
            self.model.integer[:] = False
        self.backend = None
        if problem.n_edges:
            module, _, cls = BACKENDS[self.params.backend].partition(":")
            self.backend = getattr(importlib.import_module(module), cls)(self.model, self.params)
        self.build_seconds = time.perf_counter() - t0

    def solve(self) -> Solution:
        """One solve (two for lexicographic max-min) within ``time_limit``; then LP duals."""
        problem, model, p = self.problem, self.model, self.params
        t0 = time.perf_counter()
        outcome = self._solve_stages(problem, model, p)
        stats = {
            "backend": p.backend,
            "build_seconds": self.build_seconds,
            "solve_seconds": time.perf_counter() - t0,
            "n_vars": model.n_vars,
            "n_constraints": model.matrix.shape[0],
            "relaxed": self.relaxed,
        }
        if outcome.message:
            stats["message"] = outcome.message
        if outcome.status in (Status.INFEASIBLE, Status.ERROR) or outcome.values is None:
            empty = np.zeros(0, dtype=np.int64)
            bound = _sense(problem, outcome.bound)
            return Solution(
                empty, empty.copy(), float("nan"), outcome.status, bound=bound, stats=stats
            )
        x = outcome.values[: model.n_edges]
        if self.relaxed and np.abs(x - np.round(x)).max(initial=0) > 1e-6:
            stats["message"] = "LP point not integral (not a vertex); set lp_when_tu=False"
            empty = np.zeros(0, dtype=np.int64)
            return Solution(empty, empty.copy(), float("nan"), Status.ERROR, stats=stats)
        chosen = np.flatnonzero(x > 0.5)
        rows, cols = problem.edge_rows[chosen], problem.indices[chosen]
        stats["model_objective"] = _sense(problem, outcome.objective)
        stats |= fairness(problem, p, rows, cols)
        extra: dict[str, Any] = {"bound": _sense(problem, outcome.bound), "stats": stats}
        if p.duals and self._tu() and not _masked(problem, p):
            from gigbench.solvers._milp_highs import lp_duals

            t1 = time.perf_counter()
            plain = build_model(problem, replace(p, skills=False))
            extra["row_dual"], extra["col_dual"] = lp_duals(problem, plain, p, p.backend)
            stats["dual_seconds"] = time.perf_counter() - t1
        return Solution.from_pairs(problem, rows, cols, outcome.status, **extra)

    def _tu(self) -> bool:
        """No side constraint: the assignment polytope (totally unimodular) remains."""
        return not self.params.side_constraints

    def _solve_stages(self, problem: Problem, model: LinearModel, p: Params) -> Outcome:
        if self.backend is None:  # no edges: the empty matching, or no full matching at all
            status = Status.INFEASIBLE if problem.required_matches else Status.OPTIMAL
            return Outcome(status, np.zeros(model.n_vars), 0.0, 0.0)
        start = time.perf_counter()
        left = lambda: p.time_limit - (time.perf_counter() - start)  # noqa: E731
        if model.stage1_cost is None:
            return _checked(self.backend.solve(model.cost, model.lower, left()), model)
        first = _checked(self.backend.solve(model.stage1_cost, model.lower, left()), model)
        if first.values is None:
            return first
        # stage 2: best welfare among solutions whose minimum earnings z reach stage 1's
        lower = model.lower.copy()
        z_star = first.values[model.z]
        exact = p.backend == "cpsat"
        lower[model.z] = max(lower[model.z], z_star - (0 if exact else 1e-6 * max(1, abs(z_star))))
        second = _checked(self.backend.solve(model.cost, lower, max(left(), 1e-3)), model)
        if second.values is None:  # out of time in stage 2: stage 1's point is still feasible
            point = first.values
            return Outcome(Status.FEASIBLE, point, float(model.cost @ point), None, second.message)
        if first.status != Status.OPTIMAL:
            second.status = Status.FEASIBLE
        return second


def _checked(outcome: Outcome, model: LinearModel) -> Outcome:
    """OPTIMAL only when the proven bound closes the gap (a mip_gap > 0 stop is FEASIBLE)."""
    if outcome.status not in (Status.OPTIMAL, Status.FEASIBLE) or outcome.bound is None:
        return outcome
    cost = outcome.objective if outcome.objective is not None else -np.inf
    integral = np.all(model.cost[~model.integer] == 0) and np.all(
        model.cost == np.round(model.cost)
    )
    tol = 1 - 1e-6 if integral else 1e-6 * max(1.0, abs(cost))
    outcome.status = Status.OPTIMAL if outcome.bound - cost <= tol else Status.FEASIBLE
    return outcome


def _sense(problem: Problem, value: float | None) -> float | None:
    """A max-form model value in the problem's own sense."""
    if value is None:
        return None
    return float(value) if problem.sense == "max" else -float(value)


def _masked(problem: Problem, p: Milp.Params) -> bool:
    allowed = problem.edge_data.get("allowed")
    return bool(p.skills and allowed is not None and not np.all(allowed))


def earnings(problem: Problem, params: Milp.Params, rows: np.ndarray, cols: np.ndarray):
    """Per-worker earnings after the batch: (earned_i + sum of chosen income_e) / hours_i."""
    side = side_arrays(problem, params)
    edges = np.searchsorted(
        problem.edge_rows * problem.n_cols + problem.indices, rows * problem.n_cols + cols
    )
    total = side["earned"] + np.bincount(
        rows, weights=side["income"][edges], minlength=problem.n_rows
    )
    return total / side["hours"]


def fairness(problem: Problem, params: Milp.Params, rows: np.ndarray, cols: np.ndarray) -> dict:
    """Fairness figures of a matching: min earnings, floor slack total, most tasks per worker."""
    if not params.side_constraints or problem.n_rows == 0:
        return {}
    out = {"min_earnings": float(earnings(problem, params, rows, cols).min())}
    if params.income_floor:
        unit = replace(params, per_hour=False)
        short = side_arrays(problem, params)["target"] - earnings(problem, unit, rows, cols)
        out["slack_total"] = float(np.maximum(short, 0).sum())
    out["max_tasks"] = int(np.bincount(rows, minlength=problem.n_rows).max())
    return out


def price_of_fairness(problem: Problem, **params: Any) -> dict[str, float]:
    """Efficiency price of fairness on one batch: welfare optimum against lexicographic max-min.

    Both solves go through :func:`gigbench.solvers.run` (validated). Returns welfare and minimum
    earnings of each, and ``price = welfare_opt - welfare_maxmin`` (>= 0 when both are optimal).
    """
    welfare = Milp(**(params | {"objective": "welfare", "duals": False}))
    maxmin = Milp(**(params | {"objective": "maxmin", "maxmin_mode": "lexicographic"}))
    best, fair = run(welfare, problem), run(maxmin, problem)
    probe = maxmin.params
    low = lambda s: float(earnings(problem, probe, s.row_ind, s.col_ind).min())  # noqa: E731
    return {
        "welfare_opt": float(best.objective),
        "welfare_maxmin": float(fair.objective),
        "min_earnings_opt": low(best),
        "min_earnings_maxmin": low(fair),
        "price": float(best.objective) - float(fair.objective),
        "status_opt": str(best.status),
        "status_maxmin": str(fair.status),
    }


__all__ = ["BACKENDS", "Milp", "earnings", "fairness", "price_of_fairness"]
