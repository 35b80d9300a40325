"""Numba kernels of the auction's sparse path: the renumbering for memory locality.

On a large sparse problem the auction is bound by memory, not arithmetic: a bidder's scan reads
its edges and the prices of its objects, and with rows and columns numbered at random (as
k-nearest graphs come) every scan misses the caches (measured on ``knn_50k``: 770 ns per scan
of 11 edges in the problem's order, 60 ns in storage order). So the sparse path renumbers rows
and columns in breadth-first order of the bipartite graph of each row's near edges
(:func:`locality_order`, Cuthill and McKee's idea without the degree sort), so that the
bidders, edges and prices that one scan touches sit near those of the last scans, and solves
the renumbered copy (:func:`relabel`) with :mod:`gigbench.solvers._auction_kernels`' one driver,
its free bidders last in, first out. The result has the same meaning, exactness and duals.
"""

from __future__ import annotations

import numpy as np

from gigbench.solvers._jit import jit


# --------------------------------------------------------------------------- renumbering
@jit
def locality_order(n_rows, n_cols, indptr, indices, weights, sign):  # pragma: no cover
    """New numbers of rows and columns in breadth-first order of the graph of near edges.

    A row's near edges are those whose gain (``sign * weight``) is at least the midpoint of its
    best and worst: on a k-nearest graph with a few far edges added (``knn_50k``: one random
    partner per row) the far edges would send the search across the whole graph at once and
    interleave distant neighbourhoods (measured: the auction's bids took 1.6x longer on
    knn_50k following every edge than following near edges only). From each row not yet
    reached (in the problem's order), rows are numbered as they are reached and columns as
    their first row scans them; then columns reached only by far edges in the order of their
    rows, and columns without edges last. Returns ``(row_new, col_new)``.
    """
    n_e = len(indices)
    near = np.zeros(n_e, dtype=np.bool_)
    for i in range(n_rows):
        lo, hi = indptr[i], indptr[i + 1]
        if hi == lo:
            continue
        best = sign * weights[lo]
        worst = best
        for e in range(lo + 1, hi):
            g = sign * weights[e]
            best = max(best, g)
            worst = min(worst, g)
        mid = best / 2 + worst / 2  # no overflow
        for e in range(lo, hi):
            near[e] = sign * weights[e] >= mid
    cptr = np.zeros(n_cols + 1, dtype=np.int64)
    for e in range(n_e):
        if near[e]:
            cptr[indices[e] + 1] += 1
    for j in range(n_cols):
        cptr[j + 1] += cptr[j]
    fill = cptr[:-1].copy()
    crow = np.empty(cptr[n_cols], dtype=np.int64)
    for i in range(n_rows):
        for e in range(indptr[i], indptr[i + 1]):
            if near[e]:
                j = indices[e]
                crow[fill[j]] = i
                fill[j] += 1
    row_new = np.full(n_rows, -1, dtype=np.int64)
    col_new = np.full(n_cols, -1, dtype=np.int64)
    queue = np.empty(n_rows, dtype=np.int64)  # rows in their new order
    n_r = 0
    n_c = 0
    for start in range(n_rows):
        if row_new[start] >= 0:
            continue
        row_new[start] = n_r
        queue[n_r] = start
        n_r += 1
        head = n_r - 1
        while head < n_r:
            i = queue[head]
            head += 1
            for e in range(indptr[i], indptr[i + 1]):
                j = indices[e]
                if not near[e] or col_new[j] >= 0:
                    continue
                col_new[j] = n_c
                n_c += 1
                for t in range(cptr[j], cptr[j + 1]):
                    r = crow[t]
                    if row_new[r] < 0:
                        row_new[r] = n_r
                        queue[n_r] = r
                        n_r += 1
    for r in range(n_rows):
        i = queue[r]
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            if col_new[j] < 0:
                col_new[j] = n_c
                n_c += 1
    for j in range(n_cols):
        if col_new[j] < 0:
            col_new[j] = n_c
            n_c += 1
    return row_new, col_new


@jit
def relabel(n_rows, indptr, indices, weights, capacity, row_new, col_new):  # pragma: no cover
    """The problem's CSR arrays under new row and column numbers; ``edge_old[e]`` is the
    problem's edge of new edge ``e``. Returns ``(indptr, indices, weights, capacity,
    edge_old)``."""
    row_old = np.empty(n_rows, dtype=np.int64)
    for i in range(n_rows):
        row_old[row_new[i]] = i
    ptr = np.zeros(n_rows + 1, dtype=np.int64)
    for r in range(n_rows):
        i = row_old[r]
        ptr[r + 1] = ptr[r] + indptr[i + 1] - indptr[i]
    n_e = len(indices)
    idx = np.empty(n_e, dtype=indices.dtype)
    wts = np.empty(n_e, dtype=weights.dtype)
    edge_old = np.empty(n_e, dtype=np.int64)
    cap = np.empty(n_rows, dtype=capacity.dtype)
    for r in range(n_rows):
        i = row_old[r]
        cap[r] = capacity[i]
        p = ptr[r]
        for e in range(indptr[i], indptr[i + 1]):
            idx[p] = col_new[indices[e]]
            wts[p] = weights[e]
            edge_old[p] = e
            p += 1
    return ptr, idx, wts, cap, edge_old
