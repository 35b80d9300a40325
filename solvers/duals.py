"""LP duals of an optimal matching, recovered by shortest paths.

For the assignment LP in maximisation form (gains ``g``), a dual pair ``(u, v)`` (worker
utilities, task prices) is optimal exactly when

    u[i] + v[j] >= g[i, j]              for every edge,
    u[i] + v[j] == g[i, j]              for every matched pair,
    u[i] >= 0, == 0 if row i has spare capacity    (free on a side that must be matched),
    v[j] >= 0, == 0 if column j is unmatched       (free on a side that must be matched).

Writing ``d(row i) = u[i]`` and ``d(col j) = -v[j]`` turns every condition into a difference
constraint ``d(b) <= d(a) + length(a -> b)``; shortest-path distances from a root with
``d(root) = 0`` satisfy them all (Bellman-Ford), and a negative cycle means the matching was not
optimal. Distances from the root give the worker-optimal duals (largest ``u``, smallest
``v``: the minimum competitive-equilibrium prices of Shapley and Shubik); distances to the root
give the task-optimal ones.
"""

from __future__ import annotations

import numpy as np

from gigbench.solvers.problem import Problem

__all__ = ["NotOptimalError", "matching_duals"]


class NotOptimalError(ValueError):
    """The matching admits an improving cycle, so no dual certifies it."""


def matching_duals(
    problem: Problem, row_ind: np.ndarray, col_ind: np.ndarray, favour: str = "rows"
) -> tuple[np.ndarray, np.ndarray]:
    """Optimal duals ``(row_dual, col_dual)`` for an optimal matching of ``problem``.

    ``favour="rows"`` gives the worker-optimal duals (minimum task prices),
    ``favour="cols"`` the task-optimal ones. Raises :class:`NotOptimalError` if the matching is
    not optimal.
    """
    if favour not in ("rows", "cols"):
        raise ValueError(f"favour: expected 'rows' or 'cols', got {favour!r}")
    n_r, n_c = problem.n_rows, problem.n_cols
    root = n_r + n_c
    gains = problem.gains.astype(np.float64)
    edge_rows = problem.edge_rows
    matched_gain = (
        problem.gains[
            np.searchsorted(edge_rows * n_c + problem.indices, row_ind * n_c + col_ind)
        ].astype(np.float64)
        if len(row_ind)
        else np.zeros(0)
    )
    row_use = np.bincount(row_ind, minlength=n_r)
    col_used = np.bincount(col_ind, minlength=n_c) > 0
    rows_nonneg, cols_nonneg = _sign_rules(problem)

    rows_all = np.arange(n_r, dtype=np.int64)
    cols_all = np.arange(n_c, dtype=np.int64) + n_r
    spare_rows = rows_all[row_use < problem.row_capacity]
    free_cols = cols_all[~col_used]
    zero_r = np.zeros(n_r)
    zero_c = np.zeros(n_c)
    sources = [edge_rows, col_ind + n_r]
    targets = [problem.indices + n_r, row_ind]
    lengths = [-gains, matched_gain]
    if rows_nonneg:
        sources.append(rows_all), targets.append(np.full(n_r, root)), lengths.append(zero_r)
    sources.append(np.full(len(spare_rows), root)), targets.append(spare_rows)
    lengths.append(np.zeros(len(spare_rows)))
    if cols_nonneg:
        sources.append(np.full(n_c, root)), targets.append(cols_all), lengths.append(zero_c)
    sources.append(free_cols), targets.append(np.full(len(free_cols), root))
    lengths.append(np.zeros(len(free_cols)))
    # Keeps nodes the root cannot otherwise reach feasible without binding anywhere else.
    big = (root + 2) * (float(np.abs(gains).max(initial=0.0)) + 1.0)
    every = np.arange(root, dtype=np.int64)
    sources.append(np.full(root, root)), targets.append(every), lengths.append(np.full(root, big))
    src = np.concatenate(sources).astype(np.int64)
    dst = np.concatenate(targets).astype(np.int64)
    length = np.concatenate(lengths)
    if favour == "cols":
        src, dst = dst, src
    dist = _bellman_ford(root + 1, src, dst, length, root, problem.is_integer)
    if favour == "cols":
        dist = -dist
    u = dist[:n_r]
    v = -dist[n_r:root]
    return u + 0.0, v + 0.0


def _sign_rules(problem: Problem) -> tuple[bool, bool]:
    if not problem.full:
        return True, True
    rows_must_match = problem.row_capacity.sum() <= problem.n_cols
    return (not rows_must_match), rows_must_match


def _bellman_ford(
    n_nodes: int,
    src: np.ndarray,
    dst: np.ndarray,
    length: np.ndarray,
    root: int,
    exact: bool,
) -> np.ndarray:
    """Label-correcting shortest paths that relax only edges out of nodes that just changed."""
    order = np.argsort(src, kind="stable")
    src, dst, length = src[order], dst[order], length[order]
    starts = np.searchsorted(src, np.arange(n_nodes + 1))
    dist = np.full(n_nodes, np.inf)
    dist[root] = 0.0
    tol = 0.0 if exact else 1e-9 * max(1.0, float(np.abs(length).max(initial=0.0)))
    frontier = np.array([root], dtype=np.int64)
    for _ in range(n_nodes + 1):
        begin, end = starts[frontier], starts[frontier + 1]
        counts = end - begin
        if counts.sum() == 0:
            return dist
        edge = np.repeat(begin - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        candidate = dist[src[edge]] + length[edge]
        best = np.full(n_nodes, np.inf)
        np.minimum.at(best, dst[edge], candidate)
        improved = best < dist - tol
        if not improved.any():
            return dist
        dist[improved] = best[improved]
        frontier = np.flatnonzero(improved)
    raise NotOptimalError("the matching admits an improving cycle: it is not optimal")
