"""Numba kernels for the greedy solver; callers validate, kernels trust their inputs."""

from __future__ import annotations

import numpy as np
from numba import types

from gigbench.solvers._jit import jit, readonly

# Every array read-only (writable ones are passed to these too); gains in each weights dtype
# a Problem holds (int32 from a dense integer matrix, int64, float64).
_I64, _B1, _F64 = types.int64, types.boolean, types.float64
_IDX = readonly("int64")
_GAINS = (readonly("int32"), readonly("int64"), readonly("float64"))


@jit((_IDX, _IDX, _IDX, _IDX, _I64))
def best_edge_first(order, edge_rows, edge_cols, row_capacity, n_cols):  # pragma: no cover
    """Take edges in ``order``; keep one if its row has capacity and its column is free."""
    load = np.zeros(len(row_capacity), dtype=np.int64)
    taken = np.zeros(n_cols, dtype=np.bool_)
    chosen = np.empty(len(order), dtype=np.int64)
    count = 0
    for k in range(len(order)):
        e = order[k]
        i = edge_rows[e]
        j = edge_cols[e]
        if taken[j] or load[i] >= row_capacity[i]:
            continue
        taken[j] = True
        load[i] += 1
        chosen[count] = e
        count += 1
    return chosen[:count]


@jit(*[(_IDX, _IDX, _IDX, gains, _IDX, _B1) for gains in _GAINS])
def nearest_dispatch(col_ptr, col_edges, edge_rows, gains, row_capacity, positive_only):
    """Columns in index order (arrival order) each take their best row that has capacity."""
    load = np.zeros(len(row_capacity), dtype=np.int64)
    chosen = np.empty(len(col_ptr) - 1, dtype=np.int64)
    count = 0
    for j in range(len(col_ptr) - 1):
        best = -1
        for k in range(col_ptr[j], col_ptr[j + 1]):
            e = col_edges[k]
            i = edge_rows[e]
            if load[i] >= row_capacity[i] or (positive_only and gains[e] <= 0):
                continue
            if best < 0 or gains[e] > gains[best]:
                best = e
        if best >= 0:
            load[edge_rows[best]] += 1
            chosen[count] = best
            count += 1
    return chosen[:count]


@jit((_IDX, _IDX, types.Array(types.int64, 1, "C"), _I64))
def augment_to_maximum(indptr, indices, match_col, n_cols):  # pragma: no cover
    """Grow a unit-capacity matching to maximum cardinality by BFS augmenting paths.

    ``match_col[i]`` is row i's column or -1; returns the updated array (Berge: no augmenting
    path from any free row means the matching is maximum).
    """
    n_rows = len(indptr) - 1
    row_of_col = -np.ones(n_cols, dtype=np.int64)
    for i in range(n_rows):
        if match_col[i] >= 0:
            row_of_col[match_col[i]] = i
    parent_row = np.empty(n_cols, dtype=np.int64)
    seen = -np.ones(n_cols, dtype=np.int64)
    queue = np.empty(n_rows, dtype=np.int64)
    for start in range(n_rows):
        if match_col[start] >= 0:
            continue
        head = 0
        tail = 0
        queue[tail] = start
        tail += 1
        found = -1
        while head < tail and found < 0:
            i = queue[head]
            head += 1
            for k in range(indptr[i], indptr[i + 1]):
                j = indices[k]
                if seen[j] == start:
                    continue
                seen[j] = start
                parent_row[j] = i
                if row_of_col[j] < 0:
                    found = j
                    break
                queue[tail] = row_of_col[j]
                tail += 1
        j = found
        while j >= 0:
            i = parent_row[j]
            previous = match_col[i]
            match_col[i] = j
            row_of_col[j] = i
            j = previous if i != start else -1
    return match_col


@jit(*[(_IDX, _IDX, _IDX, gains, _IDX, _I64, readonly("float64")) for gains in _GAINS])
def broadcast_offers(col_ptr, col_edges, edge_rows, gains, row_capacity, offers, draws):
    """Columns in order offer themselves to their ``offers`` best rows with capacity; a row
    picked by ``draws[j]`` (the first to accept) wins."""
    load = np.zeros(len(row_capacity), dtype=np.int64)
    chosen = np.empty(len(col_ptr) - 1, dtype=np.int64)
    shortlist = np.empty(offers, dtype=np.int64)
    count = 0
    for j in range(len(col_ptr) - 1):
        size = 0
        for k in range(col_ptr[j], col_ptr[j + 1]):
            e = col_edges[k]
            i = edge_rows[e]
            if load[i] >= row_capacity[i] or gains[e] <= 0:
                continue
            # Keep the ``offers`` best edges seen so far (insertion into a short sorted list).
            pos = size if size < offers else offers - 1
            if size == offers and gains[e] <= gains[shortlist[offers - 1]]:
                continue
            while pos > 0 and gains[shortlist[pos - 1]] < gains[e]:
                if pos < offers:
                    shortlist[pos] = shortlist[pos - 1]
                pos -= 1
            shortlist[pos] = e
            if size < offers:
                size += 1
        if size > 0:
            e = shortlist[min(int(draws[j] * size), size - 1)]
            load[edge_rows[e]] += 1
            chosen[count] = e
            count += 1
    return chosen[:count]
