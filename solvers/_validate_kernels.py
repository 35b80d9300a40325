"""The checker's one pass (numba): a solution against its problem in O(pairs * log(degree) +
edges) time and O(rows + columns) memory, no temporary the size of the edges.

:func:`check` is what :func:`gigbench.solvers.validate` calls; it shares no code with any
solver. It reports the first fault it finds as a code and an index, and the numbers the
checker compares with what the solver claimed (objective, dual bound, least dual slack); the
wording of each fault and the tolerances stay in :mod:`gigbench.solvers.validate`.
"""

from __future__ import annotations

import numpy as np
from numba import types

from gigbench.solvers._jit import jit, readonly

FINE = 0
ROW_RANGE = 1
COL_RANGE = 2
UNSORTED = 3
COL_TWICE = 4
ROW_OVER = 5
NOT_EDGE = 6

_I64, _B1, _F64 = types.int64, types.boolean, types.float64
_IDX, _F64S = readonly("int64"), readonly("float64")
_SIGNATURES = [
    (_I64, _I64, _IDX, _IDX, weights, _IDX, _I64, _IDX, _IDX, _B1, _F64S, _F64S)
    for weights in (readonly("int32"), readonly("int64"), readonly("float64"))
]


@jit(*_SIGNATURES)
def check(n_rows, n_cols, indptr, indices, weights, capacity, sign, rows, cols, duals, u, v):
    """Check pairs ``(rows[p], cols[p])`` (and, when ``duals``, the dual pair ``u``, ``v``).

    Returns ``(fault, where, objective, least_slack, least_slack_edge, least_u, least_v,
    bound)``: ``fault`` one of the codes above (FINE when none) at pair or node ``where``;
    ``objective`` the pairs' weights summed in the weights' own type (exact for integers),
    as float64; ``least_slack`` the least ``u[i] + v[j] - sign * weight`` over every edge, at
    ``least_slack_edge`` (-1 without edges); ``least_u``, ``least_v`` the least duals; and
    ``bound`` the dual bound ``sum(capacity * u) + sum(v)``.
    """
    col_used = np.zeros(n_cols, dtype=np.bool_)
    row_used = np.zeros(n_rows, dtype=np.int64)
    total = weights[:0].sum()  # zero of the weights' type: integers sum exactly
    for p in range(len(rows)):
        i, j = rows[p], cols[p]
        if i < 0 or i >= n_rows:
            return ROW_RANGE, p, 0.0, 0.0, -1, 0.0, 0.0, 0.0
        if j < 0 or j >= n_cols:
            return COL_RANGE, p, 0.0, 0.0, -1, 0.0, 0.0, 0.0
        if p and i < rows[p - 1]:
            return UNSORTED, p, 0.0, 0.0, -1, 0.0, 0.0, 0.0
        if col_used[j]:
            return COL_TWICE, j, 0.0, 0.0, -1, 0.0, 0.0, 0.0
        col_used[j] = True
        row_used[i] += 1
        if row_used[i] > capacity[i]:
            return ROW_OVER, i, 0.0, 0.0, -1, 0.0, 0.0, 0.0
        # Columns are sorted within a row: binary search the row's edges.
        lo, hi = indptr[i], indptr[i + 1]
        while lo < hi:
            mid = (lo + hi) // 2
            if indices[mid] < j:
                lo = mid + 1
            else:
                hi = mid
        if lo == indptr[i + 1] or indices[lo] != j:
            return NOT_EDGE, p, 0.0, 0.0, -1, 0.0, 0.0, 0.0
        total += weights[lo]
    objective = float(total)
    if not duals:
        return FINE, -1, objective, 0.0, -1, 0.0, 0.0, 0.0
    least = np.inf
    where = -1
    bound = 0.0
    least_u = np.inf
    for i in range(n_rows):
        ui = u[i]
        least_u = min(least_u, ui)
        bound += capacity[i] * ui
        for e in range(indptr[i], indptr[i + 1]):
            slack = ui + v[indices[e]] - sign * float(weights[e])
            if slack < least:
                least = slack
                where = e
    least_v = np.inf
    for j in range(n_cols):
        least_v = min(least_v, v[j])
        bound += v[j]
    return FINE, -1, objective, least, where, least_u, least_v, bound
