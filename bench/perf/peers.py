"""Peer solvers for the auction benchmark, behind one interface.

``PEERS[name](problem)`` builds the peer's own input (untimed) and returns a zero-argument
callable that solves (timed) and returns the optimal total cost, or None when the peer does not
handle the problem's shape. Every problem here is scipy's full min-cost form with integer costs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from solvers import Problem

Solve = Callable[[], int]


def _dense(problem: Problem) -> np.ndarray | None:
    if problem.n_edges != problem.n_rows * problem.n_cols:
        return None
    return problem.weights.reshape(problem.n_rows, problem.n_cols).astype(np.float64)


def scipy_lsa(problem: Problem) -> Solve | None:
    """scipy.optimize.linear_sum_assignment (dense, rectangular allowed)."""
    cost = _dense(problem)
    if cost is None:
        return None

    def solve() -> int:
        rows, cols = linear_sum_assignment(cost)
        return int(cost[rows, cols].sum())

    return solve


def scipy_sparse(problem: Problem) -> Solve | None:
    """scipy.sparse.csgraph.min_weight_full_bipartite_matching (LAPJVsp)."""
    # Explicit zeros would be dropped as missing edges: shift every cost by 1, then undo.
    graph = csr_matrix(
        (problem.weights.astype(np.float64) + 1.0, problem.indices, problem.indptr),
        shape=(problem.n_rows, problem.n_cols),
    )

    def solve() -> int:
        rows, cols = min_weight_full_bipartite_matching(graph)
        return int(np.asarray(graph[rows, cols]).sum() - len(rows))

    return solve


def lap_lapjv(problem: Problem) -> Solve | None:
    """lapx's lapjv (dense Jonker-Volgenant; rectangular inputs padded with zeros)."""
    import lap

    cost = _dense(problem)
    if cost is None:
        return None
    extend = problem.n_rows != problem.n_cols

    def solve() -> int:
        total, _, _ = lap.lapjv(cost, extend_cost=extend)
        return round(total)

    return solve


def _square_arcs(problem: Problem) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """A square, perfect-matching form of a rectangular full problem (LAPJVsp's padding).

    The smaller side gets one dummy per node of the larger side (cost 0 to that node) and the
    larger side one dummy per node of the smaller side, joined to the first dummies by the
    transposed edges at cost 0, so any matching of the smaller side extends to a perfect one.
    """
    rows, cols, cost = problem.edge_rows, problem.indices, problem.weights
    n_r, n_c = problem.n_rows, problem.n_cols
    if n_r == n_c:
        return n_r, rows, cols, cost
    if n_r > n_c:
        rows, cols, n_r, n_c = cols, rows, n_c, n_r
    # Left: small side (n_r) then dummies of the large side (n_c); right: large side then
    # dummies of the small side.
    left = np.concatenate([rows, n_r + np.arange(n_c), n_r + cols])
    right = np.concatenate([cols, np.arange(n_c), n_c + rows])
    weight = np.concatenate([cost, np.zeros(n_c + len(cost), dtype=np.int64)])
    return n_r + n_c, left, right, weight


def ortools_lsa(problem: Problem) -> Solve | None:
    """OR-Tools' SimpleLinearSumAssignment (cost scaling push-relabel; needs a perfect
    matching, so rectangular problems are padded)."""
    from ortools.graph.python import linear_sum_assignment as lsa

    _, left, right, cost = _square_arcs(problem)
    solver = lsa.SimpleLinearSumAssignment()
    # Arcs are copied in untimed; every solve() builds its own graph from them.
    solver.add_arcs_with_cost(left.astype(np.int32), right.astype(np.int32), cost)

    def solve() -> int:
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise RuntimeError(f"OR-Tools returned {status}")
        return int(solver.optimal_cost())

    return solve


def lap_lapmod(problem: Problem) -> Solve | None:
    """lapx's lapmod (sparse Jonker-Volgenant; square only, so rectangular is padded)."""
    import lap

    n, left, right, cost = _square_arcs(problem)
    order = np.lexsort((right, left))
    ii = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(left, minlength=n), out=ii[1:])
    kk = right[order].astype(np.int32)
    cc = cost[order].astype(np.float64)

    def solve() -> int:
        total, _, _ = lap.lapmod(n, cc, ii, kk)
        return round(total)

    return solve


PEERS: dict[str, Callable[[Problem], Solve | None]] = {
    "ortools": ortools_lsa,
    "lapjv": lap_lapjv,
    "lapmod": lap_lapmod,
    "scipy_lsa": scipy_lsa,
    "scipy_sparse": scipy_sparse,
}
