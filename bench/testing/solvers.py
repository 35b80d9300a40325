"""The solver suite: one table of cases, run against any solver.

Exact solvers (``exact = True``) must match brute force on the small cases
(:mod:`gigbench.testing.oracles`) and ``hungarian`` on larger ones; heuristics must be feasible
and no better than the optimum; solvers that return duals must return ones that certify it.
Every solution passes through :func:`gigbench.solvers.run`, which calls the one independent
checker (:func:`gigbench.solvers.validate`). A solver's ``skip(problem)`` skips a case.
Cases: square, rectangular both ways, forbidden pairs, infeasible, empty, ties, negative
weights, floats, row capacities, scipy's min-cost form and its documented example.
"""

from __future__ import annotations

import numpy as np

from gigbench.solvers import Problem, SkipProblem, Solution, Status, get_solver, run
from gigbench.testing.common import CLASS_CHECKS
from gigbench.testing.core import Check, Failed, Skipped, Subject
from gigbench.testing.oracles import brute_force

__all__ = ["CASES", "CHECKS", "LARGER"]


def _random_dense(rng, shape, low=-5, high=20, forbid=0.0, sense="max", integer=True):
    values = rng.integers(low, high, shape) if integer else rng.uniform(low, high, shape)
    values = values.astype(np.float64)
    values[rng.random(shape) < forbid] = -np.inf if sense == "max" else np.inf
    if integer and forbid == 0.0:
        values = values.astype(np.int64)
    return values


def _cases() -> dict[str, Problem]:
    rng = np.random.default_rng(20261127)
    cases = {
        "square": Problem.from_dense(_random_dense(rng, (6, 6))),
        "wide": Problem.from_dense(_random_dense(rng, (3, 7))),
        "tall": Problem.from_dense(_random_dense(rng, (7, 3))),
        "forbidden": Problem.from_dense(_random_dense(rng, (6, 6), forbid=0.4)),
        "ties": Problem.from_dense(np.full((5, 5), 7, dtype=np.int64)),
        "negative": Problem.from_dense(_random_dense(rng, (5, 6), low=-30, high=-1)),
        "mixed_sign": Problem.from_dense(_random_dense(rng, (6, 5), low=-10, high=10)),
        "float": Problem.from_dense(_random_dense(rng, (6, 6), integer=False)),
        "capacity": Problem.from_dense(
            _random_dense(rng, (3, 7), low=0), row_capacity=np.array([2, 3, 1])
        ),
        "capacity_zero": Problem.from_dense(
            _random_dense(rng, (4, 4), low=1), row_capacity=np.array([0, 1, 2, 0])
        ),
        "min_square": Problem.from_cost_matrix(_random_dense(rng, (6, 6), low=0, sense="min")),
        "min_wide": Problem.from_cost_matrix(
            _random_dense(rng, (4, 7), low=0, forbid=0.3, sense="min")
        ),
        "min_tall": Problem.from_cost_matrix(
            _random_dense(rng, (7, 4), low=0, forbid=0.3, sense="min")
        ),
        "min_negative_costs": Problem.from_cost_matrix(
            _random_dense(rng, (5, 5), low=-20, high=5, sense="min")
        ),
        # scipy's own documented example (linear_sum_assignment docstring): optimum 5.
        "scipy_doc": Problem.from_cost_matrix(np.array([[4, 1, 3], [2, 0, 5], [3, 2, 2]])),
        "sparse_edges": Problem.from_edges(
            5, 8, [0, 0, 1, 2, 3, 3, 4], [1, 7, 1, 5, 2, 7, 0], [4, 9, 6, 2, 8, 3, 1]
        ),
        "no_edges": Problem.from_edges(4, 3, [], [], np.zeros(0, dtype=np.int64)),
        "empty_rows": Problem.from_dense(np.zeros((0, 4), dtype=np.int64)),
        "empty_cols": Problem.from_dense(np.zeros((4, 0), dtype=np.int64)),
        "empty_full": Problem.from_cost_matrix(np.zeros((0, 0))),
    }
    infeasible = np.array([[1, np.inf, 3], [np.inf, np.inf, np.inf], [2, 4, np.inf]])
    cases["infeasible_row"] = Problem.from_cost_matrix(infeasible)
    hall = np.full((4, 4), np.inf)
    hall[:, 0] = 1.0
    hall[0, 1:] = 2.0  # three rows can only use column 0: Hall's condition fails
    cases["infeasible_hall"] = Problem.from_cost_matrix(hall)
    return cases


def _larger_cases() -> dict[str, Problem]:
    rng = np.random.default_rng(7)
    out = {}
    for n_rows, n_cols in [(40, 40), (25, 60), (60, 25)]:
        out[f"dense_{n_rows}x{n_cols}"] = Problem.from_dense(
            rng.integers(0, 1000, (n_rows, n_cols))
        )
        cost = rng.integers(0, 100, (n_rows, n_cols)).astype(float)
        cost[rng.random(cost.shape) < 0.7] = np.inf
        out[f"min_sparse_{n_rows}x{n_cols}"] = Problem.from_cost_matrix(cost)
    points = rng.uniform(0, 10, (80, 2))
    tasks = rng.uniform(0, 10, (30, 2))
    dist = np.linalg.norm(points[:, None] - tasks[None], axis=2)
    near = np.argsort(dist, axis=0)[:5]
    rows = near.T.ravel()
    cols = np.repeat(np.arange(30), 5)
    weights = np.round(100 - 10 * dist[rows, cols]).astype(np.int64)
    out["knearest"] = Problem.from_edges(80, 30, rows, cols, weights)
    out["capacity_60"] = Problem.from_dense(
        rng.integers(-20, 100, (20, 60)), row_capacity=rng.integers(0, 4, 20)
    )
    return out


CASES = _cases()
LARGER = _larger_cases()
# The cases whose duals are checked when a solver returns duals.
DUAL_CASES = ("square", "wide", "tall", "capacity", "min_wide", "min_tall", "forbidden")


def _solve(subject: Subject, problem: Problem) -> Solution:
    """Run the subject on ``problem`` through :func:`gigbench.solvers.run` (validated);
    :class:`Skipped` when the solver declares it out of scope."""
    solver = get_solver(subject.name, **subject.params)
    try:
        return run(solver, problem)
    except SkipProblem as reason:
        raise Skipped(str(reason)) from None


def _same(a: float, b: float) -> bool:
    return bool(np.isclose(a, b, rtol=1e-7, atol=1e-6))


def _against(subject: Subject, solution: Solution, optimum: float, sense: str, what: str) -> None:
    """An exact solver's objective is the optimum; a heuristic's is no better."""
    if subject.load().exact:
        if solution.status != Status.OPTIMAL:
            raise Failed("status OPTIMAL (an exact solver)", solution.status.name)
        if not _same(solution.objective, optimum):
            raise Failed(f"objective {optimum} ({what})", str(solution.objective))
    elif sense == "max" and solution.objective > optimum + 1e-9:
        raise Failed(f"objective <= {optimum} ({what})", str(solution.objective))
    elif sense == "min" and solution.objective < optimum - 1e-9:
        raise Failed(f"objective >= {optimum} ({what})", str(solution.objective))


def _matches_brute_force(case: str):
    def check(subject: Subject) -> None:
        problem = CASES[case]
        optimum = brute_force(problem)
        solution = _solve(subject, problem)
        if optimum is None:
            if solution.status != Status.INFEASIBLE:
                raise Failed(
                    "status INFEASIBLE (no complete matching exists)", solution.status.name
                )
            return
        if solution.status not in (Status.OPTIMAL, Status.FEASIBLE):
            raise Failed("status OPTIMAL or FEASIBLE", solution.status.name)
        _against(subject, solution, optimum, problem.sense, "brute force")

    check.__doc__ = f"Case {case!r}: the optimum by brute force, or no better for a heuristic."
    return check


def _agrees_with_hungarian(case: str):
    def check(subject: Subject) -> None:
        problem = LARGER[case]
        reference = run(get_solver("hungarian"), problem)
        solution = _solve(subject, problem)
        _against(subject, solution, reference.objective, problem.sense, "hungarian")

    check.__doc__ = f"Case {case!r}: hungarian's optimum, or no better for a heuristic."
    return check


def _duals_certify(subject: Subject) -> None:
    """A solver that returns duals returns ones that prove its optimum (``run`` validated their
    feasibility and the duality gap and recorded the bound)."""
    if not subject.load().yields_duals:
        raise Skipped(f"{subject.name} does not return duals")
    for case in DUAL_CASES:
        solution = _solve(subject, CASES[case])
        if solution.row_dual is None or solution.col_dual is None:
            raise Failed(f"row and column duals on case {case!r}", "None")
        if "dual_bound" not in solution.stats:
            raise Failed(f"a dual bound recorded on case {case!r}", "none")


CHECKS = [
    *CLASS_CHECKS,
    *(Check("matches_brute_force", _matches_brute_force(case), case) for case in sorted(CASES)),
    *(Check("agrees_with_hungarian", _agrees_with_hungarian(case), case) for case in LARGER),
    Check("duals_certify", _duals_certify),
]
