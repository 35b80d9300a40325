"""Numba kernels of the auction's sparse path: a locality order, then a stack-driven auction.

On a large sparse problem the auction is bound by memory, not arithmetic: a bidder's scan reads
its edges and the prices of its objects, and with rows and columns numbered at random (as
k-nearest graphs come) every scan misses the caches (measured on ``knn_50k``: 770 ns per scan
of 11 edges in the problem's order, 60 ns in storage order). So this path

1. renumbers rows and columns in breadth-first order of the bipartite graph of each row's near
   edges (:func:`locality_order`, Cuthill and McKee's idea without the degree sort), so that the
   bidders, edges and prices that one scan touches sit near those of the last scans, and
   solves the renumbered problem (:func:`relabel`);
2. bids from a stack (last displaced, first to bid again: the displaced bidder shares an object
   with the bidder that displaced it, so its data is still in cache), with the scan written
   for the one model it serves (sparse, one unit per object: no dense, unit or cache
   branches);

and otherwise is :mod:`gigbench.solvers._auction_kernels`' algorithm, with its model
(:func:`build`),
phases, gap test, reverse pass for rectangular problems and duals (:func:`answer`) reused, so
the result has the same meaning, exactness and duals. This forward auction is the "double
push" of Goldberg and Kennedy's cost-scaling assignment algorithm (Mathematical Programming
71, 1995), the one inside OR-Tools' LSA, minus its reset of every assignment per phase.
Problems whose model is dense, or whose rows are multi-unit objects, use the general auction
after the renumbering.
"""

from __future__ import annotations

import numpy as np

from gigbench.solvers import _auction_kernels as ak
from gigbench.solvers._jit import jit

FREE, OUT, NEG = ak.FREE, ak.OUT, ak.NEG
# The status codes of solve, the general path's (the wrapper reads them from either module).
OK, PRICE_LIMIT, NO_EDGE, BUDGET = ak.OK, ak.PRICE_LIMIT, ak.NO_EDGE, ak.BUDGET
INFEASIBLE, TOO_LARGE, STALLED = ak.INFEASIBLE, ak.TOO_LARGE, ak.STALLED
HEAD_INTS, HEAD_FLOATS = ak.HEAD_INTS, ak.HEAD_FLOATS


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


# --------------------------------------------------------------------------- phases
@jit
def _phase_start(m, eps, s_gap, st, counters):  # pragma: no cover
    """:func:`gigbench.solvers._auction_kernels._phase_start` for one unit per object: unassigned
    objects to the floor lam, the exact gap test, then every bidder no longer eps-optimal
    released. Returns ``(done, lam)``."""
    prices, owner, assigned, profit, best = st.prices, st.owner, st.assigned, st.profit, st.best
    gptr, gobj, sgain, bgroup = m.gptr, m.gobj, m.sgain, m.bgroup
    n_b = len(assigned)
    lam = ak._lam(m, prices, owner)
    for u in range(len(prices)):
        if owner[u] == FREE:
            prices[u] = lam
    gap = 0
    complete = True
    for b in range(n_b):
        a = assigned[b]
        if a == FREE:
            complete = False
            continue
        g = bgroup[b]
        v1 = NEG
        for e in range(gptr[g], gptr[g + 1]):
            val = sgain[e] - prices[gobj[e]]
            if val > v1:
                v1 = val
        if m.optout and v1 < 0:
            v1 = 0
        best[b] = v1
        gap += v1 - (0 if a == OUT else profit[b])
    counters[3] += n_b
    if complete and gap < s_gap:
        return True, lam
    ak._release(eps, st)
    return False, lam


@jit
def _forward(m, eps, big, max_bids, st, counters):  # pragma: no cover
    """One forward phase at ``eps`` with free bidders on a stack: bid until none is FREE.

    The bid is :func:`gigbench.solvers._auction_kernels._forward`'s: the best object's price rises
    so
    that its value to the bidder is the runner-up's less eps (staying out counts as a runner-up
    of value 0 in the max form; a single option rises by ``big``).
    """
    prices, owner, assigned, aedge, profit, stack = (
        st.prices,
        st.owner,
        st.assigned,
        st.aedge,
        st.profit,
        st.stack,
    )
    gptr, gobj, sgain, bgroup = m.gptr, m.gobj, m.sgain, m.bgroup
    optout = m.optout
    n_b = len(assigned)
    copies = n_b > len(m.bptr) - 1  # else bidder b is group b
    top = 0
    for b in range(n_b - 1, -1, -1):  # bidder 0 on top: the first bids follow the numbering
        if assigned[b] == FREE:
            stack[top] = b
            top += 1
    bids = counters[0]  # a local counter: the array store per bid is measurable
    start = bids
    while top > 0:
        top -= 1
        b = stack[top]
        g = bgroup[b] if copies else b
        v1 = NEG
        v2 = NEG
        e1 = -1
        for e in range(gptr[g], gptr[g + 1]):
            val = sgain[e] - prices[gobj[e]]
            if val > v2:
                if val > v1:
                    v2 = v1
                    v1 = val
                    e1 = e
                else:
                    v2 = val
        bids += 1
        if bids == max_bids:
            counters[0] = bids
            counters[3] += bids - start
            return ak.BUDGET
        if e1 < 0 or (optout and v1 <= eps):
            if not optout:
                counters[0] = bids
                counters[3] += bids - start
                return ak.NO_EDGE
            assigned[b] = OUT
            profit[b] = 0
            continue
        if optout:
            keep = v2 - eps
            if keep < 0:
                keep = 0
        elif v2 == NEG:
            keep = v1 - big
        else:
            keep = v2 - eps
        new_price = sgain[e1] - keep
        if new_price > ak.PRICE_LIMIT_VALUE:
            counters[0] = bids
            counters[3] += bids - start
            return ak.PRICE_LIMIT
        u = gobj[e1]
        prev = owner[u]
        prices[u] = new_price
        owner[u] = b
        assigned[b] = u
        aedge[b] = e1
        profit[b] = keep
        if prev >= 0:
            assigned[prev] = FREE
            stack[top] = prev
            top += 1
    counters[0] = bids
    counters[3] += bids - start
    return ak.OK


@jit
def auction(m, eps0, factor, big, s_gap, max_bids, first_bids, st, counters):  # pragma: no cover
    """:func:`gigbench.solvers._auction_kernels.auction` with this module's phase start and forward
    phase (same arguments, counters and return value)."""
    trying = first_bids > 0
    eps = 1 if trying else eps0
    while True:
        counters[1] += 1
        done, lam = _phase_start(m, eps, s_gap, st, counters)
        if done:
            counters[2] += 1
            st.best_exact[0] = True
            return ak.OK, lam, eps
        limit = max_bids
        if trying:
            limit = counters[0] + first_bids
            if max_bids > 0:
                limit = min(limit, max_bids)
        code = _forward(m, eps, big, limit, st, counters)
        if trying and code == ak.BUDGET and (max_bids == 0 or counters[0] < max_bids):
            trying = False
            eps = max(eps0, 1)
            continue
        if code == ak.BUDGET and counters[0] >= ak.stall_limit(m):
            return ak.STALLED, lam, eps
        if code != ak.OK:
            return code, lam, eps
        if not ak._reverse(m, eps, st, counters):
            return ak.STALLED, lam, eps
        if eps <= 1:
            return ak.OK, ak._lam(m, st.prices, st.owner), eps
        eps = max(1, eps // factor)


# --------------------------------------------------------------------------- entry point
@jit
def _exact(n_cols, weights, capacity, is_integer, w_min, w_max):  # pragma: no cover
    """Whether the gains are solved exactly (integers, or integral floats, that scale without
    overflow), as :func:`gigbench.solvers._auction_kernels.solve` decides it."""
    units = 0
    for i in range(len(capacity)):
        units += capacity[i]
    integral = True
    if not is_integer:
        for e in range(len(weights)):
            a = float(weights[e])
            if a != np.floor(a):
                integral = False
                break
    return integral and max(abs(w_max), abs(w_min)) * (units + n_cols + 1) <= ak.EXACT_LIMIT


@jit
def solve(n_rows, n_cols, indptr, indices, weights, capacity, sign, full, is_integer, w_min,
          w_max, epsilon_start, factor_param, max_bids, try_first):  # fmt: skip
    """:func:`gigbench.solvers._auction_kernels.solve` (same arguments and answer) on the sparse
    path."""
    counters = np.zeros(5, dtype=np.int64)  # pragma: no cover
    out = unpacked(n_rows, n_cols, indptr, indices, weights, capacity, sign, full, is_integer,
                   w_min, w_max, epsilon_start, factor_param, max_bids, try_first,
                   counters)  # fmt: skip
    return ak.pack(out, counters)


@jit
def unpacked(n_rows, n_cols, indptr, indices, weights, capacity, sign, full, is_integer, w_min,
             w_max, epsilon_start, factor_param, max_bids, try_first, counters):  # fmt: skip
    """:func:`gigbench.solvers._auction_kernels.unpacked` on the sparse path: renumber, build,
    auction,
    answer, and the answer in the problem's numbering.
    """  # pragma: no cover
    exact = _exact(n_cols, weights, capacity, is_integer, w_min, w_max)
    if is_integer and not exact:
        return ak._failed(ak.TOO_LARGE, weights)
    row_new, col_new = locality_order(n_rows, n_cols, indptr, indices, weights, sign)
    ptr, idx, wts, cap, edge_old = relabel(n_rows, indptr, indices, weights, capacity, row_new,
                                           col_new)  # fmt: skip
    (code, rows_bid, dense, s, unit_exp, n_og, bgroup, bptr, gptr, gobj, sgain, eid, uptr,
     ugroup, t_ptr, t_group, t_edge, g_orig, k_orig) = ak.build(
        n_rows, n_cols, ptr, idx, wts, sign, cap, full, exact, np.zeros(0, dtype=np.int64)
    )  # fmt: skip
    if code != ak.OK:
        return ak._failed(code, weights)
    model, low, high = ak.model_of(dense, full, n_og, bgroup, bptr, gptr, gobj, sgain, uptr,
                                   ugroup, t_ptr, t_group, t_edge)  # fmt: skip
    st, eps0, factor, big, s_gap, limit, first_bids = ak.setup(
        model, exact, float(s), low, high, epsilon_start, factor_param, max_bids, try_first
    )
    if dense or model.multi_o:
        code, lam, eps = ak.auction(model, eps0, factor, big, s_gap, limit, first_bids, st,
                                    counters)  # fmt: skip
    else:
        code, lam, eps = auction(model, eps0, factor, big, s_gap, limit, first_bids, st,
                                 counters)  # fmt: skip
    info = np.array([s, float(unit_exp), 1.0 if exact else 0.0, 1.0 if rows_bid else 0.0,
                     1.0 if dense else 0.0, float(factor)])  # fmt: skip
    if code != ak.OK:
        out = ak._failed(code, weights)
        return out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7], info
    r = ak.answer(n_rows, n_cols, ptr, idx, wts, sign, cap, full, rows_bid, exact, s, unit_exp,
                  lam, eps, model, g_orig, k_orig, eid, st)  # fmt: skip
    # Back to the problem's numbering: pairs sorted by the problem's edge, as the general path
    # returns them, and the objective summed in that order.
    n_b = len(st.assigned)
    edges = np.empty(n_b, dtype=np.int64)
    n_pairs = 0
    for b in range(n_b):
        if st.assigned[b] >= 0:
            edges[n_pairs] = edge_old[eid[st.aedge[b]]]
            n_pairs += 1
    edges = np.sort(edges[:n_pairs])
    row_ind = np.searchsorted(indptr, edges, side="right") - 1
    col_ind = indices[edges]
    objective = weights[:0].sum()
    for p in range(n_pairs):
        objective += weights[edges[p]]
    return code, row_ind, col_ind, objective, r[3][row_new], r[4][col_new], r[5], r[6], info
