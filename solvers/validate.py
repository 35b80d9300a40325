"""The one independent checker: every test and every benchmark run passes solutions through it.

Solvers never grade themselves. :func:`validate` recomputes feasibility and the objective from
the problem's own arrays, checks a claimed INFEASIBLE with a maximum-cardinality matching, and,
when duals are given, checks dual feasibility and the duality gap the solver may claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.solvers.problem import Problem, Solution, Status

__all__ = ["InvalidSolution", "ValidationReport", "dual_bound", "max_cardinality", "validate"]

_FLOAT_TOL = 1e-7


class InvalidSolution(AssertionError):
    """A solution that breaks its problem's constraints or misreports its objective."""


@dataclass(frozen=True)
class ValidationReport:
    """What the checker recomputed: the objective, the match count and the dual bound."""

    objective: float
    n_matched: int
    dual_bound: float | None


def max_cardinality(problem: Problem) -> int:
    """Size of the largest matching that respects the row capacities."""
    from scipy.sparse import csr_matrix  # only here: importing scipy costs a fresh process ~0.4 s
    from scipy.sparse.csgraph import maximum_bipartite_matching

    if problem.n_edges == 0:
        return 0
    capacity = problem.row_capacity
    if problem.has_unit_capacity:
        graph = csr_matrix(
            (np.ones(problem.n_edges), problem.indices, problem.indptr),
            shape=(problem.n_rows, problem.n_cols),
        )
    else:
        # A row of capacity c behaves like c copies of itself.
        copy_of = np.repeat(np.arange(problem.n_rows), capacity)
        starts, ends = problem.indptr[copy_of], problem.indptr[copy_of + 1]
        lengths = ends - starts
        edge = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        graph = csr_matrix(
            (np.ones(len(edge)), problem.indices[edge], indptr),
            shape=(len(copy_of), problem.n_cols),
        )
    match = maximum_bipartite_matching(graph, perm_type="column")
    return int(np.count_nonzero(match >= 0))


def _tolerance(problem: Problem, scale_terms: int) -> float:
    if problem.is_integer:
        return 0.0
    magnitude = float(np.abs(problem.weights).max()) if problem.n_edges else 1.0
    return _FLOAT_TOL * max(1.0, magnitude) * max(1, scale_terms)


def validate(problem: Problem, solution: Solution) -> ValidationReport:
    """Check ``solution`` against ``problem``; raise :class:`InvalidSolution` if it is wrong."""
    if not isinstance(solution, Solution):
        raise InvalidSolution(f"expected a Solution, got {type(solution).__name__}")
    status = Status(solution.status)
    rows = np.asarray(solution.row_ind)
    cols = np.asarray(solution.col_ind)
    if rows.shape != cols.shape or rows.ndim != 1:
        raise InvalidSolution(
            f"row_ind and col_ind must be 1-D and equally long, got {rows.shape} and {cols.shape}"
        )
    if len(rows) and not (
        np.issubdtype(rows.dtype, np.integer) and np.issubdtype(cols.dtype, np.integer)
    ):
        raise InvalidSolution(f"indices must be integers, got {rows.dtype} and {cols.dtype}")
    if status in (Status.INFEASIBLE, Status.ERROR) or (
        status == Status.TIME_LIMIT and len(rows) == 0
    ):
        if len(rows):
            raise InvalidSolution(f"status {status} must come with no pairs, got {len(rows)}")
        if status == Status.INFEASIBLE:
            _check_infeasible_claim(problem)
        return ValidationReport(float("nan"), 0, None)

    if len(rows):
        if rows.min() < 0 or rows.max() >= problem.n_rows:
            raise InvalidSolution(f"row index out of range [0, {problem.n_rows})")
        if cols.min() < 0 or cols.max() >= problem.n_cols:
            raise InvalidSolution(f"column index out of range [0, {problem.n_cols})")
        if np.any(np.diff(rows) < 0):
            raise InvalidSolution("pairs must be sorted by row (scipy's row_ind convention)")
    col_use = np.bincount(cols, minlength=problem.n_cols) if len(cols) else np.zeros(0, int)
    if len(col_use) and col_use.max() > 1:
        raise InvalidSolution(f"column {int(np.argmax(col_use))} is matched more than once")
    row_use = np.bincount(rows, minlength=problem.n_rows) if len(rows) else np.zeros(0, int)
    if len(row_use) and np.any(row_use > problem.row_capacity):
        bad = int(np.flatnonzero(row_use > problem.row_capacity)[0])
        raise InvalidSolution(
            f"row {bad} is matched {row_use[bad]} times, capacity {problem.row_capacity[bad]}"
        )
    try:
        weights = problem.edge_weight(rows, cols)
    except ValueError as exc:
        raise InvalidSolution(str(exc)) from None
    objective = weights.sum() if len(weights) else 0
    tol = _tolerance(problem, len(rows))
    if not np.isfinite(solution.objective) or abs(float(objective) - solution.objective) > tol:
        raise InvalidSolution(
            f"reported objective {solution.objective} but the pairs sum to {objective}"
        )
    if problem.full and len(rows) != problem.required_matches:
        raise InvalidSolution(
            f"a full problem needs {problem.required_matches} pairs, got {len(rows)}"
        )

    bound = None
    if solution.row_dual is not None or solution.col_dual is not None:
        bound = _check_duals(problem, solution, row_use, col_use, float(objective))
    return ValidationReport(float(objective), len(rows), bound)


def _check_infeasible_claim(problem: Problem) -> None:
    if not problem.full:
        raise InvalidSolution("a problem that allows unmatched rows is never infeasible")
    best = max_cardinality(problem)
    if best >= problem.required_matches:
        raise InvalidSolution(
            f"claimed INFEASIBLE but a matching of the required size {best} exists"
        )


def _dual_signs(problem: Problem) -> tuple[bool, bool]:
    """Which sides' duals must be non-negative (False means free: an equality side)."""
    if not problem.full:
        return True, True
    rows_must_match = problem.row_capacity.sum() <= problem.n_cols
    return (not rows_must_match), rows_must_match


def dual_bound(problem: Problem, row_dual: np.ndarray, col_dual: np.ndarray) -> float:
    """The LP upper bound on the max-form objective given by a dual pair."""
    return float(np.dot(problem.row_capacity, row_dual) + np.sum(col_dual))


def _check_duals(
    problem: Problem,
    solution: Solution,
    row_use: np.ndarray,
    col_use: np.ndarray,
    objective: float,
) -> float:
    u, v = solution.row_dual, solution.col_dual
    if u is None or v is None or len(u) != problem.n_rows or len(v) != problem.n_cols:
        raise InvalidSolution(
            f"duals must come in pairs of lengths {problem.n_rows} and {problem.n_cols}"
        )
    u = np.asarray(u, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    epsilon = float(solution.stats.get("epsilon", 0.0))
    tol = _tolerance(problem, 1) + epsilon + 1e-9 * max(1.0, float(np.abs(u).max(initial=0)))
    gains = problem.gains.astype(np.float64)
    slack = u[problem.edge_rows] + v[problem.indices] - gains
    if problem.n_edges and slack.min() < -tol:
        e = int(np.argmin(slack))
        raise InvalidSolution(
            f"dual infeasible on edge ({problem.edge_rows[e]}, {problem.indices[e]}): "
            f"u + v = {u[problem.edge_rows[e]] + v[problem.indices[e]]} < gain {gains[e]}"
        )
    rows_nonneg, cols_nonneg = _dual_signs(problem)
    if rows_nonneg and len(u) and u.min() < -tol:
        raise InvalidSolution(f"worker utility must be >= 0, got {u.min()}")
    if cols_nonneg and len(v) and v.min() < -tol:
        raise InvalidSolution(f"task price must be >= 0, got {v.min()}")
    bound = dual_bound(problem, u, v)
    max_form = objective if problem.sense == "max" else -objective
    if solution.status == Status.OPTIMAL:
        # epsilon-complementary slackness bounds the gap by epsilon per node.
        allowed = epsilon * (problem.n_rows + problem.n_cols) + _tolerance(problem, problem.n_rows)
        allowed += 1e-9 * max(1.0, abs(bound))
        if bound - max_form > allowed:
            raise InvalidSolution(
                f"claimed OPTIMAL but the duals bound the objective by {bound}, "
                f"the pairs give {max_form} (gap {bound - max_form} > {allowed})"
            )
    return bound if problem.sense == "max" else -bound
