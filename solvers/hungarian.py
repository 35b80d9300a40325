"""Exact assignment by shortest augmenting paths (Kuhn-Munkres family).

Dense problems go to scipy's ``linear_sum_assignment`` (Crouse's shortest augmenting path,
IEEE TAES 2016); sparse ones to ``min_weight_full_bipartite_matching`` (LAPJVsp, Jonker and
Volgenant, Computing 1987). The max-weight form, where rows and columns may stay unmatched,
becomes a full problem by giving every row a private dummy column of value 0; row capacities
become unit copies. Duals are recovered from the optimal matching by shortest paths
(:mod:`gigbench.solvers.duals`), which also certifies optimality.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from gigbench.solvers._expand import expand_rows
from gigbench.solvers.base import Solver
from gigbench.solvers.duals import matching_duals
from gigbench.solvers.problem import Problem, Solution, Status, require_float64_exact


class Hungarian(Solver):
    """Exact shortest-augmenting-path assignment (scipy), dense or sparse."""

    name = "hungarian"
    exact = True
    yields_duals = True

    @dataclass(frozen=True)
    class Params:
        """method: ``auto`` (dense when at least ``dense_above`` of the pairs are edges),
        ``dense`` or ``sparse``; duals: recover LP duals after solving."""

        method: str = "auto"
        dense_above: float = 0.25
        duals: bool = True

        def check(self) -> None:
            """Reject unknown methods before any solve."""
            if self.method not in ("auto", "dense", "sparse"):
                raise ValueError(
                    f"hungarian method: expected 'auto', 'dense' or 'sparse', got {self.method!r}"
                )

    def prepare(self, problem: Problem) -> None:
        """Build scipy's input (dense cost matrix or sparse graph) from the problem; refuse
        integer weights too large for scipy's float64 to solve exactly."""
        require_float64_exact(problem, "hungarian")
        super().prepare(problem)
        self.graph = None
        if self.params.method != "sparse" and _complete(problem):  # the matrix is the input
            self.method, self.copy_of = "dense", np.arange(problem.n_rows, dtype=np.int64)
            self.scipy = _scipy("dense")
            if problem.n_rows and problem.n_cols:
                weights = problem.weights.reshape(problem.n_rows, problem.n_cols)
                if problem.sense == "max":
                    cost = np.negative(weights, dtype=np.float64)
                else:
                    cost = weights.astype(np.float64)
                self.graph = (cost,)
            return
        copy_of, edge_rows, edge_cols, edge_ids = expand_rows(problem)
        gains = problem.gains[edge_ids]
        n_copies = len(copy_of)
        if not problem.full:
            keep = gains > 0  # a non-positive edge is never better than staying unmatched
            edge_rows, edge_cols, edge_ids, gains = (
                edge_rows[keep], edge_cols[keep], edge_ids[keep], gains[keep],
            )  # fmt: skip
        density = len(gains) / max(1, n_copies * problem.n_cols)
        method = self.params.method
        if method == "auto":
            method = "dense" if density >= self.params.dense_above else "sparse"
        self.method, self.copy_of = method, copy_of
        self.scipy = _scipy(method)
        if n_copies and problem.n_cols and (problem.full or len(gains)):
            if method == "dense":
                self.graph = _dense_input(problem.full, n_copies, problem.n_cols, edge_rows,
                                          edge_cols, gains)  # fmt: skip
            else:
                self.graph = _sparse_input(self.scipy.csr_matrix, problem.full, n_copies,
                                           problem.n_cols, edge_rows, edge_cols, gains)  # fmt: skip

    def solve(self) -> Solution:
        """Solve exactly; INFEASIBLE when a full problem has no full matching."""
        problem, method = self.problem, self.method
        if self.graph is None:
            pairs = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        else:
            pairs = (_dense if method == "dense" else _sparse)(self.scipy, *self.graph)
        if pairs is None:
            return Solution.infeasible("no matching covers the smaller side", method=method)
        rows, cols = self.copy_of[pairs[0]], pairs[1]
        extra = {"stats": {"method": method}}
        if self.params.duals:
            u, v = matching_duals(problem, *_sorted(rows, cols))
            extra |= {"row_dual": u, "col_dual": v}
        return Solution.from_pairs(problem, rows, cols, Status.OPTIMAL, **extra)


@functools.cache
def _scipy(method: str) -> SimpleNamespace:
    """scipy's solver for ``method``, imported the first time a problem takes it: in a fresh
    process ``scipy.optimize`` (dense) costs 0.3-0.7 s, which a run whose problems are all
    sparse (a simulated day's batches), and every run of another solver, need not pay.
    Called from :meth:`Hungarian.prepare`, outside the timed solve."""
    if method == "dense":
        from scipy.optimize import linear_sum_assignment

        return SimpleNamespace(linear_sum_assignment=linear_sum_assignment)
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    return SimpleNamespace(
        csr_matrix=csr_matrix, min_weight_full_bipartite_matching=min_weight_full_bipartite_matching
    )


def _complete(problem: Problem) -> bool:
    """True when scipy's dense input is the weight matrix itself: unit capacities, every pair
    an edge (CSR in row-major order) and, in the max form, every gain positive (so none is
    dropped as worth less than staying unmatched)."""
    if problem.n_edges != problem.n_rows * problem.n_cols or not problem.has_unit_capacity:
        return False
    low, high = problem.weight_bounds
    return problem.full or (low > 0 if problem.sense == "max" else high < 0)


def _sorted(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((cols, rows))
    return rows[order], cols[order]


def _dense_input(full, n_rows, n_cols, edge_rows, edge_cols, gains):
    """scipy's dense input: the cost matrix (a cell without an edge: +inf in the full form,
    0 in the max form, where every kept edge costs -gain < 0)."""
    cost = np.full((n_rows, n_cols), np.inf if full else 0.0)
    cost[edge_rows, edge_cols] = -gains.astype(np.float64)
    return cost, full


def _dense(scipy, cost, full=True):
    """(copy, column) pairs chosen by scipy's dense solver, or None if infeasible."""
    try:
        rows, cols = scipy.linear_sum_assignment(cost)
    except ValueError:
        return None
    if not full:
        edge = cost[rows, cols] < 0  # a 0 cell is no edge: left unmatched
        rows, cols = rows[edge], cols[edge]
    return rows.astype(np.int64), cols.astype(np.int64)


def _sparse_input(csr_matrix, full, n_rows, n_cols, edge_rows, edge_cols, gains):
    """LAPJVsp's input, written as CSR directly (``edge_rows`` is sorted, columns within a
    row too), and ``n_cols`` (columns from there on are the dummies of the max form)."""
    gains = gains.astype(np.float64)
    # Shift costs to be strictly positive: sparse matrices must not hold zero-cost edges, and a
    # full matching of the smaller side adds the same constant whichever pairs it picks.
    shift = (gains.max() if len(gains) else 0.0) + 1.0
    n_edges = len(gains)
    per_row = np.bincount(edge_rows, minlength=n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    if full:
        width, indices, costs = n_cols, edge_cols, shift - gains
        np.cumsum(per_row, out=indptr[1:])
    else:  # every row's private dummy column n_cols + row, at the end of the row, cost shift
        width = n_cols + n_rows
        np.cumsum(per_row + 1, out=indptr[1:])
        real = np.arange(n_edges) + edge_rows  # an edge moves right by one per earlier dummy
        indices = np.arange(n_cols, width, dtype=np.int64).repeat(np.diff(indptr))
        indices[real] = edge_cols
        costs = np.full(n_edges + n_rows, shift)
        costs[real] = shift - gains
    index = np.int32 if max(width, len(indices)) < 2**31 else np.int64  # scipy's own type
    graph = csr_matrix((costs, indices.astype(index), indptr.astype(index)), (n_rows, width))
    return graph, n_cols


def _sparse(scipy, graph, n_cols):
    """(copy, column) pairs chosen by scipy's sparse LAPJVsp, or None if infeasible."""
    try:
        row_ind, col_ind = scipy.min_weight_full_bipartite_matching(graph)
    except ValueError:
        return None
    real = col_ind < n_cols  # not a dummy
    return row_ind[real].astype(np.int64), col_ind[real].astype(np.int64)


__all__ = ["Hungarian"]
