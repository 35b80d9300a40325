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
    low, high = problem.weight_bounds if problem.n_edges else (1.0, 1.0)
    return _FLOAT_TOL * max(1.0, high, -low) * max(1, scale_terms)


def _indices(values: np.ndarray) -> np.ndarray:
    """Pair indices as the checker's kernel reads them (int64, contiguous)."""
    return np.ascontiguousarray(values, dtype=np.int64)


def validate(problem: Problem, solution: Solution) -> ValidationReport:
    """Check ``solution`` against ``problem``; raise :class:`InvalidSolution` if it is wrong.

    One compiled pass (:mod:`gigbench.solvers._validate_kernels`): O(edges) time, no
    temporary the size of the edges.
    """
    from gigbench.solvers import _validate_kernels as kernels

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
    u, v = solution.row_dual, solution.col_dual
    duals = u is not None or v is not None
    if duals and (u is None or v is None or len(u) != problem.n_rows or len(v) != problem.n_cols):
        raise InvalidSolution(
            f"duals must come in pairs of lengths {problem.n_rows} and {problem.n_cols}"
        )
    u = np.ascontiguousarray(u, dtype=np.float64) if duals else _NO_DUALS
    v = np.ascontiguousarray(v, dtype=np.float64) if duals else _NO_DUALS
    sign = 1 if problem.sense == "max" else -1
    fault, where, objective, least, edge, least_u, least_v, bound = kernels.check(
        problem.n_rows, problem.n_cols, problem.indptr, problem.indices, problem.weights,
        problem.row_capacity, sign, _indices(rows), _indices(cols), duals, u, v,
    )  # fmt: skip
    if fault != kernels.FINE:
        raise InvalidSolution(_fault(problem, rows, cols, fault, where, kernels))
    tol = _tolerance(problem, len(rows))
    if not np.isfinite(solution.objective) or abs(objective - solution.objective) > tol:
        raise InvalidSolution(
            f"reported objective {solution.objective} but the pairs sum to "
            f"{_number(objective, problem)}"
        )
    if problem.full and len(rows) != problem.required_matches:
        raise InvalidSolution(
            f"a full problem needs {problem.required_matches} pairs, got {len(rows)}"
        )
    if not duals:
        return ValidationReport(objective, len(rows), None)
    return ValidationReport(
        objective,
        len(rows),
        _check_duals(problem, solution, u, v, (least, edge, least_u, least_v, bound), objective),
    )


_NO_DUALS = np.zeros(0)


def _number(value: float, problem: Problem) -> float | int:
    return int(value) if problem.is_integer else value


def _fault(
    problem: Problem, rows: np.ndarray, cols: np.ndarray, fault: int, where: int, kernels
) -> str:
    """The message of the checker's fault code at ``where`` (a pair, a row or a column)."""
    if fault == kernels.ROW_RANGE:
        return f"row index out of range [0, {problem.n_rows})"
    if fault == kernels.COL_RANGE:
        return f"column index out of range [0, {problem.n_cols})"
    if fault == kernels.UNSORTED:
        return "pairs must be sorted by row (scipy's row_ind convention)"
    if fault == kernels.COL_TWICE:
        return f"column {where} is matched more than once"
    if fault == kernels.ROW_OVER:
        used = int(np.count_nonzero(rows == where))
        return f"row {where} is matched {used} times, capacity {problem.row_capacity[where]}"
    return (
        f"pair ({rows[where]}, {cols[where]}) is not an edge of the problem: "
        "a solver matched a forbidden pair"
    )


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
    u: np.ndarray,
    v: np.ndarray,
    found: tuple[float, int, float, float, float],
    objective: float,
) -> float:
    """Dual feasibility, sign rules and, for a claimed OPTIMAL, the gap, from what the
    checker's pass ``found``: (least slack, its edge, least u, least v, bound)."""
    least, edge, least_u, least_v, bound = found
    epsilon = float(solution.stats.get("epsilon", 0.0))
    scale = max(abs(least_u), abs(float(u.max(initial=0)))) if len(u) else 0.0
    tol = _tolerance(problem, 1) + epsilon + 1e-9 * max(1.0, scale)
    if edge >= 0 and least < -tol:
        i = int(np.searchsorted(problem.indptr, edge, side="right") - 1)
        j = int(problem.indices[edge])
        gain = float(problem.gains[edge])
        raise InvalidSolution(
            f"dual infeasible on edge ({i}, {j}): u + v = {u[i] + v[j]} < gain {gain}"
        )
    rows_nonneg, cols_nonneg = _dual_signs(problem)
    if rows_nonneg and len(u) and least_u < -tol:
        raise InvalidSolution(f"worker utility must be >= 0, got {least_u}")
    if cols_nonneg and len(v) and least_v < -tol:
        raise InvalidSolution(f"task price must be >= 0, got {least_v}")
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
