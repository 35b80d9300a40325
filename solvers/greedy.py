"""Greedy matching: the heuristics platforms actually run, as the baseline.

``best_edge``: sort edges once by gain and keep each edge whose row has capacity and whose
column is still free (a 1/2-approximation of the maximum-weight matching; Avis, Networks 1983).
``nearest``: tasks in arrival (column) order each take the best worker still free, the
first-come first-served dispatch of ride-hailing apps. On a full (scipy-form) problem the greedy
matching is then grown to a full one by augmenting paths, so greedy never declares a feasible
problem infeasible. Not exact: ``stats["upper_bound"]`` and ``stats["gap"]`` report how far from
optimal it may be (a cheap bound: each row's best edges, each column's best edge).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.solvers._expand import expand_rows
from gigbench.solvers.base import Solver
from gigbench.solvers.problem import Problem, Solution, Status


class Greedy(Solver):
    """Best-edge-first or nearest-worker greedy matching."""

    name = "greedy"
    exact = False

    @dataclass(frozen=True)
    class Params:
        """strategy: ``best_edge`` (global sort) or ``nearest`` (tasks in order take their best
        free worker)."""

        strategy: str = "best_edge"

        def check(self) -> None:
            """Reject unknown strategies before any solve."""
            if self.strategy not in ("best_edge", "nearest"):
                raise ValueError(
                    f"greedy strategy: expected 'best_edge' or 'nearest', got {self.strategy!r}"
                )

    def prepare(self, problem: Problem) -> None:
        """Load the kernels outside the timed solve: compiled when their module is first
        imported in a process, or loaded from numba's cache (:mod:`gigbench.solvers._jit`)."""
        from gigbench.solvers import _greedy_kernels

        self.kernels = _greedy_kernels
        super().prepare(problem)

    def solve(self) -> Solution:
        """Run the chosen greedy rule; complete a full problem by augmenting paths."""
        problem, kernels = self.problem, self.kernels
        gains = problem.gains
        edge_rows, edge_cols = problem.edge_rows, problem.indices
        positive_only = not problem.full
        if self.params.strategy == "best_edge":
            order = np.argsort(-gains, kind="stable")
            if positive_only:
                order = order[gains[order] > 0]
            chosen = kernels.best_edge_first(
                order, edge_rows, edge_cols, problem.row_capacity, problem.n_cols
            )
        else:
            col_edges = np.argsort(edge_cols, kind="stable")
            col_ptr = np.zeros(problem.n_cols + 1, dtype=np.int64)
            np.cumsum(np.bincount(edge_cols, minlength=problem.n_cols), out=col_ptr[1:])
            chosen = kernels.nearest_dispatch(
                col_ptr, col_edges, edge_rows, gains, problem.row_capacity, positive_only
            )
        rows, cols = edge_rows[chosen], edge_cols[chosen]
        if problem.full and len(chosen) < problem.required_matches:
            completed = _complete(problem, rows, cols, kernels)
            if completed is None:
                return Solution.infeasible("no matching covers the smaller side")
            rows, cols = completed
        solution = Solution.from_pairs(problem, rows, cols, Status.FEASIBLE)
        bound = _upper_bound(problem)
        max_form = solution.objective if problem.sense == "max" else -solution.objective
        solution.stats["upper_bound"] = bound if problem.sense == "max" else -bound
        solution.stats["gap"] = (bound - max_form) / max(abs(bound), 1e-12)
        return solution


def _complete(problem: Problem, rows: np.ndarray, cols: np.ndarray, kernels):
    """Augment a partial matching of a full problem to the required size, or None."""
    copy_of, copy_rows, copy_cols, _ = expand_rows(problem)
    n_copies = len(copy_of)
    # Give each matched pair to a distinct copy of its row.
    first_copy = np.searchsorted(copy_of, np.arange(problem.n_rows))
    order = np.argsort(rows, kind="stable")
    rank = np.arange(len(rows)) - np.searchsorted(rows[order], rows[order])
    match_col = -np.ones(n_copies, dtype=np.int64)
    match_col[first_copy[rows[order]] + rank] = cols[order]
    transpose = problem.n_cols < n_copies
    if transpose:
        side_rows, side_cols, n_side, n_other = copy_cols, copy_rows, problem.n_cols, n_copies
        match = -np.ones(problem.n_cols, dtype=np.int64)
        matched = match_col >= 0
        match[match_col[matched]] = np.flatnonzero(matched)
    else:
        side_rows, side_cols, n_side, n_other = copy_rows, copy_cols, n_copies, problem.n_cols
        match = match_col
    order = np.lexsort((side_cols, side_rows))
    indptr = np.zeros(n_side + 1, dtype=np.int64)
    np.cumsum(np.bincount(side_rows, minlength=n_side), out=indptr[1:])
    match = kernels.augment_to_maximum(indptr, side_cols[order], match.copy(), n_other)
    if np.count_nonzero(match >= 0) < problem.required_matches:
        return None
    side = np.flatnonzero(match >= 0)
    if transpose:
        return copy_of[match[side]], side
    return copy_of[side], match[side]


def _upper_bound(problem: Problem) -> float:
    """min(sum of each row's best ``capacity`` gains, sum of each column's best gain)."""
    gains = problem.gains.astype(np.float64)
    if problem.n_edges == 0:
        return 0.0
    floor = -np.inf if problem.full else 0.0
    col_best = np.full(problem.n_cols, floor)
    np.maximum.at(col_best, problem.indices, gains)
    col_best = col_best[np.isfinite(col_best)]
    by_col = np.sort(col_best)[::-1][: problem.required_matches or None].sum()
    order = np.lexsort((-gains, problem.edge_rows))
    rank = np.arange(problem.n_edges) - problem.indptr[problem.edge_rows[order]]
    top = gains[order][rank < problem.row_capacity[problem.edge_rows[order]]]
    rows_must_match = problem.full and problem.row_capacity.sum() <= problem.n_cols
    # A row that may stay unmatched contributes at least 0, so only its positive gains count.
    by_row = top.sum() if rows_must_match else np.maximum(top, 0).sum()
    return float(min(by_col, by_row))


__all__ = ["Greedy"]
