"""Exact assignment by shortest augmenting paths (Kuhn-Munkres family).

Dense problems go to scipy's ``linear_sum_assignment`` (Crouse's shortest augmenting path,
IEEE TAES 2016); sparse ones to ``min_weight_full_bipartite_matching`` (LAPJVsp, Jonker and
Volgenant, Computing 1987). The max-weight form, where rows and columns may stay unmatched,
becomes a full problem by giving every row a private dummy column of value 0; row capacities
become unit copies. Duals are recovered from the optimal matching by shortest paths
(:mod:`solvers.duals`), which also certifies optimality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from solvers._expand import expand_rows
from solvers.base import Solver
from solvers.duals import matching_duals
from solvers.problem import Problem, Solution, Status, require_float64_exact


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
        self.method, self.copy_of, self.edge_rows, self.edge_cols = (
            method, copy_of, edge_rows, edge_cols,
        )  # fmt: skip
        self.graph = None
        if n_copies and problem.n_cols and (problem.full or len(gains)):
            build = _dense_input if method == "dense" else _sparse_input
            self.graph = build(problem.full, n_copies, problem.n_cols, edge_rows, edge_cols, gains)

    def solve(self) -> Solution:
        """Solve exactly; INFEASIBLE when a full problem has no full matching."""
        problem, method = self.problem, self.method
        if self.graph is None:
            chosen = np.zeros(0, dtype=np.int64)
        else:
            chosen = (_dense if method == "dense" else _sparse)(*self.graph)
        if chosen is None:
            return Solution.infeasible("no matching covers the smaller side", method=method)
        rows, cols = self.copy_of[self.edge_rows[chosen]], self.edge_cols[chosen]
        extra = {"stats": {"method": method}}
        if self.params.duals:
            u, v = matching_duals(problem, *_sorted(rows, cols))
            extra |= {"row_dual": u, "col_dual": v}
        return Solution.from_pairs(problem, rows, cols, Status.OPTIMAL, **extra)


def _sorted(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((cols, rows))
    return rows[order], cols[order]


def _dense_input(full, n_rows, n_cols, edge_rows, edge_cols, gains):
    """scipy's dense input: the cost matrix and the edge at every cell (-1: none)."""
    fill = np.inf if full else 0.0
    cost = np.full((n_rows, n_cols), fill)
    cost[edge_rows, edge_cols] = -gains.astype(np.float64)
    edge_at = np.full((n_rows, n_cols), -1, dtype=np.int64)
    edge_at[edge_rows, edge_cols] = np.arange(len(gains))
    return cost, edge_at


def _dense(cost, edge_at) -> np.ndarray | None:
    """Edge positions chosen by scipy's dense solver, or None if infeasible."""
    try:
        rows, cols = linear_sum_assignment(cost)
    except ValueError:
        return None
    chosen = edge_at[rows, cols]
    return chosen[chosen >= 0]


def _sparse_input(full, n_rows, n_cols, edge_rows, edge_cols, gains):
    """LAPJVsp's input: the graph, the edge id + 1 at every entry, and the real edge count."""
    gains = gains.astype(np.float64)
    # Shift costs to be strictly positive: sparse matrices must not hold zero-cost edges, and a
    # full matching of the smaller side adds the same constant whichever pairs it picks.
    shift = (gains.max() if len(gains) else 0.0) + 1.0
    rows, cols, costs = edge_rows, edge_cols, shift - gains
    width = n_cols
    if not full:
        dummy = np.arange(n_rows, dtype=np.int64)
        rows = np.concatenate([rows, dummy])
        cols = np.concatenate([cols, n_cols + dummy])
        costs = np.concatenate([costs, np.full(n_rows, shift)])
        width = n_cols + n_rows
    graph = csr_matrix((costs, (rows, cols)), shape=(n_rows, width))
    edge_at = csr_matrix(
        (np.arange(1, len(rows) + 1, dtype=np.int64), (rows, cols)), shape=(n_rows, width)
    )
    return graph, edge_at, len(gains)


def _sparse(graph, edge_at, n_real) -> np.ndarray | None:
    """Edge positions chosen by scipy's sparse LAPJVsp, or None if infeasible."""
    try:
        row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    except ValueError:
        return None
    chosen = np.asarray(edge_at[row_ind, col_ind]).ravel() - 1
    return chosen[(chosen >= 0) & (chosen < n_real)]


__all__ = ["Hungarian"]
