"""Numba kernels of the auction: one driver for every path. The wrapper validates, kernels trust.

Two entry points, compiled once when this module is imported (explicit signatures, see
:mod:`gigbench.solvers._jit`): :func:`solve` for int64 weights (every problem but a complete
int32 matrix; float weights arrive rounded to int64 units of ``2**unit_exp`` by the wrapper)
and :func:`solve_dense` for a complete int32 matrix whose rows bid, read in place. Both run
the same three steps and answer in two arrays (see :data:`HEAD`):

1. the model: :func:`build` (edges -> the bidders' graph in scaled integer gains), or the
   matrix itself;
2. :func:`auction`, the one driver: epsilon-scaling phases, each a phase start (the exact
   duality-gap test, then every bidder no longer eps-optimal released), a Gauss-Seidel
   forward phase (:func:`_forward`) and a reverse pass (:func:`_reverse`, Bertsekas and
   Castanon's, for the unassigned objects priced above the floor of a rectangular problem);
   the forward phase takes free bidders first in, first out, or, on the sparse path (a copy
   renumbered for memory locality by :mod:`gigbench.solvers._sparse_kernels`), last in, first
   out, so that a displaced bidder bids while its data is still in cache; a bidder's scan
   (:func:`_scan`) reads a dense row by blocks, or its edge list;
3. :func:`answer`: sorted pairs, the objective, duals and, in exact integer arithmetic, the
   duality gap of the pairs against those duals (what certifies optimality).

The model. Bidders are grouped: a bidder group is a row with ``c`` unit copies (rows bid) or a
column (columns bid); an object group is a column (rows bid) or a row with ``c`` units (columns
bid). Group ``g``'s edges are ``gptr[g]:gptr[g + 1]`` (dense: ``g * n_og + k``) to object group
``gobj[e]`` with scaled gain ``sgain[e] * mul``; ``eid[e]`` is the problem's edge. The units of
object group ``k`` are ``uptr[k]:uptr[k + 1]``, kept sorted by price, so a bidder sees a group
through its cheapest units. Prices and profits are int64 in scaled units.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
from numba import types

from gigbench.solvers._jit import inline, jit, readonly
from gigbench.solvers._sparse_kernels import locality_order, relabel

# The kernel's model of a problem (see the module docstring), the auction's mutable state,
# its schedule, what build() returns and what answer() returns.
Model = namedtuple(
    "Model",
    "dense optout multi_o use_cache lifo narrow n_og mul low high bgroup bptr gptr gobj sgain "
    "uptr ugroup t_ptr t_group t_edge",
)
State = namedtuple("State", "prices owner assigned aedge profit best best_exact work ustack")
Schedule = namedtuple("Schedule", "eps0 factor big s_gap max_bids first_bids stall")
Built = namedtuple("Built", "code rows_bid s eid g_orig k_orig model")
Answer = namedtuple(
    "Answer", "code row_ind col_ind edges objective row_dual col_dual gap slack s rows_bid "
    "dense factor",
)  # fmt: skip

FREE = -1
OUT = -2  # the bidder stays unmatched (max form): its best profit is within epsilon of 0
NEG = -(2**62)  # below any reachable value: |scaled gain| <= 2**52, prices stay under 2**60

OK = 0
PRICE_LIMIT = 1
NO_EDGE = 2
BUDGET = 3
INFEASIBLE = 4  # build: a side that must be matched has a node without an edge
STALLED = 6  # more work than any price war of this size needs: a bug, reported as one

EXACT_LIMIT = 2**52  # |scaled gain| bound: leaves 2**8 of headroom under the price limit
PRICE_LIMIT_VALUE = 2**60
FLOAT_BITS = 50  # float gains are rounded to units of 2**(exponent of max|gain| - 50)
CACHE_DEGREE = 24  # shorter rows are rescanned: cheaper than the third-best bookkeeping
INT32_LIMIT = 2**31  # |gain| and |mul| below it: the dense scan multiplies in 32 bits
SCAN_BLOCK = 64  # columns per block of a dense scan (_scan_dense; 64 measured best of 16-128)
# Bids (and, separately, reverse steps) past STALL_STEPS per bidder, unit and edge plus
# STALL_FLOOR end the auction with STALLED (the wrapper passes the limit, so a test can lower
# it). Random problems of up to 12 x 12 (the property test's mix, 42,000 solves) needed at most
# 3,942 in all, about 20 per bidder, unit and edge; a stalled price war would otherwise hang
# its process with no word of what it was solving.
STALL_STEPS = 100_000
STALL_FLOOR = 10_000_000
# An entry point's answer is two arrays, not a tuple of arrays: boxing each returned array
# costs the call about 0.3 us, a tenth of a simulated batch's kernel time. ``ints``: the HEAD
# values, then the pairs' rows, columns and problem edges; ``floats``: the row duals, then
# the column duals. ``gap`` and ``slack`` are in scaled units (integers: exact); ``objective``
# is the sum of the weights passed (the problem's own for integer weights).
HEAD = (
    "code", "pairs", "bids", "phases", "gap_stops", "full_scans", "reverse_steps", "objective",
    "gap", "slack", "scale", "rows_bid", "dense", "factor", "renumbered",
)  # fmt: skip
COUNTERS = 5  # bids, phases, phases ended by the gap test, full scans, reverse steps


# --------------------------------------------------------------------------- model
@jit
def _model(dense, full, lifo, n_og, bgroup, bptr, gptr, gobj, sgain, uptr, ugroup, t_ptr,
           t_group, t_edge, mul, low, high):  # pragma: no cover  # fmt: skip
    """A :data:`Model` with its derived flags: rows as multi-unit objects, the look-back
    cache, 32-bit dense scans (``low``, ``high``: the range of the scaled gains)."""
    multi_o = len(ugroup) > n_og
    degree = n_og if dense else len(sgain) / max(len(bptr) - 1, 1)
    use_cache = not multi_o and degree > CACHE_DEGREE
    narrow = max(high, -low) < INT32_LIMIT and abs(mul) < INT32_LIMIT
    return Model(dense, not full, multi_o, use_cache, lifo, narrow, n_og, mul, low, high, bgroup,
                 bptr, gptr, gobj, sgain, uptr, ugroup, t_ptr, t_group, t_edge)  # fmt: skip


@jit
def build(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact, lifo):
    """The bidders' graph of a problem (see the module docstring), as a :data:`Built`.

    Drops what cannot matter: edges of rows without capacity, non-positive edges in the max
    form (never better than staying unmatched), then rows and columns left without edges, and
    copies of a row beyond its degree (a row never uses more columns than it has edges).
    ``exact``: gains are integers scaled by ``s`` = bidders + 1 (+ units when rows are
    objects); else they are already integer units (``s`` = 1). The model is ``dense`` when
    every pair of groups is an edge (row-major gains, no units); code INFEASIBLE when a side
    that must be matched cannot be.
    """  # pragma: no cover
    n_e = len(indices)
    keep = np.empty(n_e, dtype=np.bool_)
    deg_r = np.zeros(n_rows, dtype=np.int64)
    deg_c = np.zeros(n_cols, dtype=np.int64)
    # One pass over the rows; later passes visit only the rows with kept edges (``row_orig``:
    # a simulated batch has a few among hundreds of idle workers).
    row_orig = np.empty(n_rows, dtype=np.int64)
    n_ar = 0
    n_kept = 0
    units_all = 0
    for i in range(n_rows):
        units_all += capacity[i]
        d = 0
        for e in range(indptr[i], indptr[i + 1]):
            k = capacity[i] > 0 and (full or sign * weights[e] > 0)
            keep[e] = k
            if k:
                d += 1
                deg_c[indices[e]] += 1
        deg_r[i] = d
        if d > 0:
            row_orig[n_ar] = i
            n_ar += 1
            n_kept += d
    row_orig = row_orig[:n_ar]
    rows_must = full and units_all <= n_cols
    cols_must = full and not rows_must
    empty = np.zeros(0, dtype=np.int64)
    bad = Built(INFEASIBLE, False, 1, empty, empty, empty,
                _model(False, full, lifo, 0, empty, empty, empty, np.zeros(0, dtype=np.int32),
                       empty, empty, empty, empty, empty, empty, np.int64(1), np.int64(0),
                       np.int64(0)))  # fmt: skip
    if rows_must:
        for i in range(n_rows):
            if capacity[i] > deg_r[i]:
                return bad  # its copies need more distinct columns than it has edges
    cap = np.empty(n_ar, dtype=np.int64)
    n_units = 0
    for r in range(n_ar):
        # One copy beyond the degree stays: a row with spare capacity must end with a zero
        # dual, and that spare copy's bids (or unit) are what drive it there.
        i = row_orig[r]
        cap[r] = min(capacity[i], deg_r[i] + 1)
        n_units += cap[r]
    col_new = np.full(n_cols, -1, dtype=np.int64)
    n_ac = 0
    for j in range(n_cols):
        if deg_c[j] > 0:
            col_new[j] = n_ac
            n_ac += 1
        elif cols_must:
            return bad
    if rows_must:
        rows_bid = True
        if n_ac < n_units:
            return bad
    elif cols_must:
        rows_bid = False
        if n_units < n_ac:
            return bad
    else:
        rows_bid = n_units <= n_ac
    n_bg, n_og = (n_ar, n_ac) if rows_bid else (n_ac, n_ar)
    multi_o = (not rows_bid) and n_units > n_ar
    dense = n_bg > 0 and n_kept == n_bg * n_og and not multi_o
    n_b = n_units if rows_bid else n_ac
    s = n_b + 1 + (n_units if multi_o else 0) if exact else 1
    # Bidder groups -> edges (counting sort by group; within a group, problem order).
    gptr = np.zeros(n_bg + 1, dtype=np.int64)
    for r in range(n_ar):
        i = row_orig[r]
        for e in range(indptr[i], indptr[i + 1]):
            if keep[e]:
                g = r if rows_bid else col_new[indices[e]]
                gptr[g + 1] += 1
    for g in range(n_bg):
        gptr[g + 1] += gptr[g]
    fill = gptr[:-1].copy()
    gobj = np.empty(n_kept, dtype=np.int32)
    sgain = np.empty(n_kept, dtype=np.int64)
    eid = np.empty(n_kept, dtype=np.int64)
    for r in range(n_ar):
        i = row_orig[r]
        for e in range(indptr[i], indptr[i + 1]):
            if keep[e]:
                c = col_new[indices[e]]
                g, k = (r, c) if rows_bid else (c, r)
                pos = g * n_og + k if dense else fill[g]
                fill[g] += 1
                gobj[pos] = k
                eid[pos] = e
                sgain[pos] = sign * np.int64(weights[e]) * s
    if rows_bid:
        bptr = np.zeros(n_bg + 1, dtype=np.int64)
        for g in range(n_bg):
            bptr[g + 1] = bptr[g] + cap[g]
        uptr = np.arange(n_og + 1)
    else:
        bptr = np.arange(n_bg + 1)
        uptr = np.zeros(n_og + 1, dtype=np.int64)
        for k in range(n_og):
            uptr[k + 1] = uptr[k] + cap[k]
    bgroup = np.empty(bptr[n_bg], dtype=np.int64)
    for g in range(n_bg):
        bgroup[bptr[g] : bptr[g + 1]] = g
    ugroup = np.empty(uptr[n_og], dtype=np.int64)
    for k in range(n_og):
        ugroup[uptr[k] : uptr[k + 1]] = k
    # Object groups -> (bidder group, edge): who must be rechecked when a price drops.
    t_ptr = np.zeros(n_og + 1, dtype=np.int64)
    for e in range(n_kept):
        t_ptr[gobj[e] + 1] += 1
    for k in range(n_og):
        t_ptr[k + 1] += t_ptr[k]
    tfill = t_ptr[:-1].copy()
    t_group = np.empty(n_kept, dtype=np.int64)
    t_edge = np.empty(n_kept, dtype=np.int64)
    for g in range(n_bg):
        for e in range(gptr[g], gptr[g + 1]):
            k = gobj[e]
            t_group[tfill[k]] = g
            t_edge[tfill[k]] = e
            tfill[k] += 1
    col_orig = np.empty(n_ac, dtype=np.int64)
    for j in range(n_cols):
        if col_new[j] >= 0:
            col_orig[col_new[j]] = j
    g_orig, k_orig = (row_orig, col_orig) if rows_bid else (col_orig, row_orig)
    low = sgain.min() if n_kept else np.int64(0)
    high = sgain.max() if n_kept else np.int64(0)
    model = _model(dense, full, lifo, n_og, bgroup, bptr, gptr, gobj, sgain, uptr, ugroup, t_ptr,
                   t_group, t_edge, np.int64(1), low, high)  # fmt: skip
    return Built(OK, rows_bid, s, eid, g_orig, k_orig, model)


# --------------------------------------------------------------------------- scans
@inline
def _top3(val, e, u, v1, e1, u1, v2, e2, u2, v3):  # pragma: no cover
    """Insert candidate (val, edge e, unit u) into the three best values."""
    if val > v2:
        v3 = v2
        if val > v1:
            v2, e2, u2 = v1, e1, u1
            v1, e1, u1 = val, e, u
        else:
            v2, e2, u2 = val, e, u
    else:
        v3 = val
    return v1, e1, u1, v2, e2, u2, v3


@jit
def _scan_dense(lo, n, mul, sgain, prices, narrow):  # pragma: no cover
    """:func:`_scan` of the dense row ``sgain[lo:lo + n]`` against ``prices[:n]``.

    Two steps instead of one branchy pass: the maximum of every block of ``SCAN_BLOCK``
    columns (a plain maximum, which the compiler vectorises) keeping the three best blocks,
    then the usual top-three search inside those three blocks only. Exact: the three best
    block maxima are three distinct values, so every column outside those blocks is worth
    at most the third of them, at most the third-best value found inside them. The row is
    sliced first so that indices are known non-negative (no wrap-around test per column).
    ``narrow``: every gain and ``mul`` fit in int32, so the block maxima multiply 32 by 32
    bits (one instruction per lane; the product is exact in int64).
    """
    row = sgain[lo : lo + n]
    b1 = NEG
    b2 = NEG
    b3 = NEG
    s1 = -1
    s2 = -1
    s3 = -1
    end = n - n % SCAN_BLOCK
    mul32 = np.int64(np.int32(mul)) if narrow else mul
    for start in range(0, end, SCAN_BLOCK):
        top = NEG
        if narrow:
            for k in range(start, start + SCAN_BLOCK):
                top = max(top, np.int64(np.int32(row[k])) * mul32 - prices[k])
        else:
            for k in range(start, start + SCAN_BLOCK):
                top = max(top, row[k] * mul - prices[k])
        if top > b3:
            if top > b2:
                b3, s3 = b2, s2
                if top > b1:
                    b2, s2 = b1, s1
                    b1, s1 = top, start
                else:
                    b2, s2 = top, start
            else:
                b3, s3 = top, start
    v1 = NEG
    v2 = NEG
    v3 = NEG
    e1 = -1
    e2 = -1
    u1 = -1
    u2 = -1
    for first in (s1, s2, s3, end):
        if first < 0:
            continue
        stop = n if first == end else first + SCAN_BLOCK
        for k in range(first, stop):
            val = row[k] * mul - prices[k]
            if val > v3:
                v1, e1, u1, v2, e2, u2, v3 = _top3(val, lo + k, k, v1, e1, u1, v2, e2, u2, v3)
    return v1, e1, u1, v2, e2, u2, v3


@inline
def _scan_edges(lo, hi, gobj, sgain, mul, prices):  # pragma: no cover
    """:func:`_scan` of edges ``lo:hi`` to object groups of one unit each."""
    v1 = NEG
    v2 = NEG
    v3 = NEG
    e1 = -1
    e2 = -1
    u1 = -1
    u2 = -1
    for e in range(lo, hi):
        k = gobj[e]
        val = sgain[e] * mul - prices[k]
        if val > v3:
            v1, e1, u1, v2, e2, u2, v3 = _top3(val, e, k, v1, e1, u1, v2, e2, u2, v3)
    return v1, e1, u1, v2, e2, u2, v3


@inline
def _scan(g, m, prices):  # pragma: no cover
    """Bidder group ``g``'s best two candidates (value, edge, unit) and the third value.

    A candidate is a unit of an object group; each group shows its three cheapest units (its
    units are sorted by price), which dominate the others.
    """
    n_og, mul, gptr, gobj, sgain, uptr = m.n_og, m.mul, m.gptr, m.gobj, m.sgain, m.uptr
    v1 = NEG
    v2 = NEG
    v3 = NEG
    e1 = -1
    e2 = -1
    u1 = -1
    u2 = -1
    if m.dense:
        return _scan_dense(g * n_og, n_og, mul, sgain, prices, m.narrow)
    lo = gptr[g]
    hi = gptr[g + 1]
    if not m.multi_o:
        return _scan_edges(lo, hi, gobj, sgain, mul, prices)
    for e in range(lo, hi):
        k = gobj[e]
        u = uptr[k]
        top = min(uptr[k + 1], u + 3)
        while u < top:
            val = sgain[e] * mul - prices[u]
            if val <= v3:
                break  # the group's later units are dearer
            v1, e1, u1, v2, e2, u2, v3 = _top3(val, e, u, v1, e1, u1, v2, e2, u2, v3)
            u += 1
    return v1, e1, u1, v2, e2, u2, v3


@inline
def _scan_top2(lo, hi, gobj, sgain, mul, prices):  # pragma: no cover
    """The best (value, edge) and second-best value of edges ``lo:hi`` to single units."""
    v1 = NEG
    v2 = NEG
    e1 = -1
    for e in range(lo, hi):
        val = sgain[e] * mul - prices[gobj[e]]
        if val > v2:
            if val > v1:
                v2 = v1
                v1 = val
                e1 = e
            else:
                v2 = val
    return v1, e1, v2


@inline
def _best(b, m, prices, cache):  # pragma: no cover
    """Bidder ``b``'s best (value, edge, unit), second-best value, and whether it scanned.

    Bertsekas' third-best test ("look-back"): prices only rise during a phase, so every other
    unit is still worth at most the third-best value of the last scan; if both remembered
    candidates still reach it, they are still the best two and the scan is skipped.
    ``cache[b] = (e1, u1, e2, u2, v3)``; ``e1 < 0`` means no valid entry.
    """
    if m.use_cache:
        e1 = cache[b, 0]
        if e1 >= 0:
            u1 = cache[b, 1]
            w1 = m.sgain[e1] * m.mul - prices[u1]
            e2 = cache[b, 2]
            if e2 < 0:
                return w1, e1, u1, NEG, False  # a single option
            u2 = cache[b, 3]
            w2 = m.sgain[e2] * m.mul - prices[u2]
            t = cache[b, 4]
            if w1 >= t and w2 >= t:
                if w1 >= w2:
                    return w1, e1, u1, w2, False
                return w2, e2, u2, w1, False
    v1, e1, u1, v2, e2, u2, v3 = _scan(m.bgroup[b], m, prices)
    if m.use_cache:
        cache[b, 0] = e1
        cache[b, 1] = u1
        cache[b, 2] = e2
        cache[b, 3] = u2
        cache[b, 4] = v3
    return v1, e1, u1, v2, True


# --------------------------------------------------------------------------- units
@jit
def _swap(u, w, prices, owner, assigned):  # pragma: no cover
    """Exchange units ``u`` and ``w`` of one group (same gains): prices and owners."""
    p, o = prices[u], owner[u]
    prices[u], owner[u] = prices[w], owner[w]
    prices[w], owner[w] = p, o
    if owner[u] >= 0:
        assigned[owner[u]] = u
    if o >= 0:
        assigned[o] = w


@jit
def _sift_up(u, m, prices, owner, assigned):  # pragma: no cover
    """Unit ``u``'s price rose: move it right within its group to keep the group sorted."""
    end = m.uptr[m.ugroup[u] + 1]
    while u + 1 < end and prices[u] > prices[u + 1]:
        _swap(u, u + 1, prices, owner, assigned)
        u += 1


@jit
def _to_front(u, m, prices, owner, assigned):  # pragma: no cover
    """Unit ``u``'s price fell to the floor: move it left to keep its group sorted."""
    start = m.uptr[m.ugroup[u]]
    while u > start and prices[u] < prices[u - 1]:
        _swap(u, u - 1, prices, owner, assigned)
        u -= 1


# --------------------------------------------------------------------------- phases
@jit
def _lam(m, prices, owner):  # pragma: no cover
    """The price floor: 0 in the max form, the lowest assigned price in the full form."""
    if m.optout:
        return 0
    lam = PRICE_LIMIT_VALUE
    for u in range(len(prices)):
        if owner[u] != FREE and prices[u] < lam:
            lam = prices[u]
    return 0 if lam == PRICE_LIMIT_VALUE else lam


@jit
def _phase_start(m, eps, s_gap, st, counters):  # pragma: no cover
    """Make the state eps-optimal for a new phase; True (and lam) when already optimal.

    The previous phase ended with every unassigned unit at or below the floor ``lam`` and
    every assigned one above it (the asymmetric optimality condition of Bertsekas and
    Castanon); unassigned units are raised to ``lam``, so that bids on them end above it. The
    duality gap of the assignment is then exactly the sum over bidders of (best value -
    profit) (plus the spread of a row's unit prices when rows are objects); below ``s_gap``
    it proves optimality and the remaining phases are skipped. Otherwise every bidder no
    longer eps-optimal is released.
    """
    prices, owner, assigned, profit, best = st.prices, st.owner, st.assigned, st.profit, st.best
    n_b = len(assigned)
    lam = _lam(m, prices, owner)
    for u in range(len(prices)):
        if owner[u] == FREE:
            prices[u] = lam
    if m.multi_o:
        for u in range(len(prices)):
            if owner[u] == FREE:
                _to_front(u, m, prices, owner, assigned)
    gap = 0
    complete = True
    plain = not (m.dense or m.multi_o)
    bgroup, gptr, gobj, sgain, mul = m.bgroup, m.gptr, m.gobj, m.sgain, m.mul
    for b in range(n_b):
        a = assigned[b]
        if a == FREE:
            complete = False
            continue
        if plain:  # local arrays: see _forward
            g = bgroup[b]
            v1 = _scan_top2(gptr[g], gptr[g + 1], gobj, sgain, mul, prices)[0]
        else:
            v1 = _scan(bgroup[b], m, prices)[0]
        if m.optout and v1 < 0:
            v1 = 0
        best[b] = v1
        gap += v1 - (0 if a == OUT else profit[b])
    counters[3] += n_b
    if m.multi_o:
        for k in range(m.n_og):
            hi = m.uptr[k + 1]
            for u in range(m.uptr[k], hi):
                gap += prices[hi - 1] - prices[u]
    if complete and gap < s_gap:
        return True, lam
    _release(eps, st)
    return False, lam


@jit
def _release(eps, st):  # pragma: no cover
    """Free every bidder no longer eps-optimal (its profit more than eps below its best)."""
    owner, assigned, profit, best = st.owner, st.assigned, st.profit, st.best
    for b in range(len(assigned)):
        a = assigned[b]
        if (a == OUT and best[b] > eps) or (a >= 0 and profit[b] < best[b] - eps):
            assigned[b] = FREE
            if a >= 0:
                owner[a] = FREE  # keeps its price: the reverse pass lowers it if need be


@jit
def _reverse(m, eps, stall, st, counters):  # pragma: no cover
    """Reverse auction at ``eps`` (Bertsekas and Castanon): every unassigned unit priced above
    the floor lam bids for the bidder it is worth most to, or falls to lam when no bidder
    wants it there. Restores the asymmetric condition and keeps eps-optimality; each step
    raises a bidder's profit by at least eps, and epsilon-scaling keeps the steps few. On a
    square problem every unit is assigned at a phase's end and the pass makes no step.
    False when the steps reach ``stall``.
    """
    prices, owner, assigned, aedge, profit, stack = (
        st.prices, st.owner, st.assigned, st.aedge, st.profit, st.ustack,
    )  # fmt: skip
    lam = _lam(m, prices, owner)
    n_units = len(prices)
    n_groups = len(m.bptr) - 1
    while True:
        top = 0
        for u in range(n_units):
            if owner[u] == FREE and prices[u] > lam:
                stack[top] = u
                top += 1
        if top == 0:
            return True
        while top > 0:
            top -= 1
            u = stack[top]
            if owner[u] != FREE or prices[u] <= lam:
                continue  # a slot whose unit moved (units of one row are kept sorted)
            k = m.ugroup[u]
            v1 = NEG
            v2 = NEG
            b1 = -1
            e1 = -1
            if m.dense:
                lo, hi = 0, n_groups
            else:
                lo, hi = m.t_ptr[k], m.t_ptr[k + 1]
            for t in range(lo, hi):
                if m.dense:
                    g, e = t, t * m.n_og + k
                else:
                    g, e = m.t_group[t], m.t_edge[t]
                gain = m.sgain[e] * m.mul
                for b in range(m.bptr[g], m.bptr[g + 1]):
                    val = gain - profit[b]
                    if val > v2:
                        if val > v1:
                            v2 = v1
                            v1, b1, e1 = val, b, e
                        else:
                            v2 = val
            counters[4] += 1
            if counters[4] >= stall:  # here, not per sweep: a war can live on this stack alone
                return False
            if v1 <= lam + eps:
                prices[u] = lam
                if m.multi_o:
                    _to_front(u, m, prices, owner, assigned)
                continue
            new_price = v2 - eps
            if new_price < lam:
                new_price = lam
            old = assigned[b1]
            if old >= 0:
                owner[old] = FREE
                if prices[old] > lam:
                    stack[top] = old
                    top += 1
            prices[u] = new_price
            owner[u] = b1
            assigned[b1] = u
            aedge[b1] = e1
            profit[b1] = m.sgain[e1] * m.mul - new_price
            if m.multi_o:
                _to_front(u, m, prices, owner, assigned)
                _sift_up(assigned[b1], m, prices, owner, assigned)


@jit
def _forward(m, eps, big, max_bids, st, cache, counters):  # pragma: no cover
    """One Gauss-Seidel forward phase at ``eps``: bid until no bidder is FREE.

    A bid raises the best object's price so that its value to the bidder is the runner-up's
    less eps (staying out counts as a runner-up of value 0 in the max form; a single option
    rises by ``big``). Free bidders wait first in, first out, or last in, first out when
    ``m.lifo`` (the renumbered sparse path: the displaced bidder shares an object with the
    one that displaced it, so its data is still in cache).
    """
    prices, owner, assigned, aedge, profit, work = (
        st.prices, st.owner, st.assigned, st.aedge, st.profit, st.work,
    )  # fmt: skip
    lifo = m.lifo
    n_b = len(assigned)
    count = 0
    tail = 0
    if lifo:
        for b in range(n_b - 1, -1, -1):  # bidder 0 on top: the first bids follow the numbering
            if assigned[b] == FREE:
                work[count] = b
                count += 1
    else:
        for b in range(n_b):
            if assigned[b] == FREE:
                work[tail] = b
                tail += 1
                count += 1
        tail = tail % n_b if n_b else 0
    # The sparse model without units or look-back cache bids through local arrays and a
    # top-two scan: reading the model's arrays per bid takes and releases a reference to each
    # (knn_50k: 260-340 ns a bid against 160-180 hoisted), and the third value is only the
    # cache's (190-230 ns with it).
    plain = not (m.dense or m.multi_o or m.use_cache)
    bgroup, gptr, gobj, sgain, mul = m.bgroup, m.gptr, m.gobj, m.sgain, m.mul
    head = 0
    bids = counters[0]  # local counters: an array store per bid is measurable
    scans = 0
    code = OK
    while count > 0:
        count -= 1
        if lifo:
            b = work[count]
        else:
            b = work[head]
            head = head + 1 if head + 1 < n_b else 0
        if plain:
            g = bgroup[b]
            v1, e, v2 = _scan_top2(gptr[g], gptr[g + 1], gobj, sgain, mul, prices)
            u = gobj[e] if e >= 0 else -1
            scans += 1
        else:
            v1, e, u, v2, scanned = _best(b, m, prices, cache)
            scans += scanned
        bids += 1
        if bids == max_bids:
            code = BUDGET
            break
        if u < 0 or (m.optout and v1 <= eps):
            if not m.optout:
                code = NO_EDGE
                break
            assigned[b] = OUT
            profit[b] = 0
            continue
        if m.optout:
            # Profit left after the bid: the runner-up (or staying out, 0) less epsilon,
            # never below 0 so that staying out never becomes strictly better.
            keep = v2 - eps
            if keep < 0:
                keep = 0
        elif v2 == NEG:
            keep = v1 - big  # a single option: any raise >= eps is valid, a large one ends wars
        else:
            keep = v2 - eps
        new_price = sgain[e] * mul - keep
        if new_price > PRICE_LIMIT_VALUE:
            code = PRICE_LIMIT
            break
        prev = owner[u]
        prices[u] = new_price
        owner[u] = b
        assigned[b] = u
        aedge[b] = e
        profit[b] = keep
        if prev >= 0:
            assigned[prev] = FREE
            if lifo:
                work[count] = prev
            else:
                work[tail] = prev
                tail = tail + 1 if tail + 1 < n_b else 0
            count += 1
        if m.multi_o:
            _sift_up(u, m, prices, owner, assigned)
    counters[0] = bids
    counters[3] += scans
    return code


# --------------------------------------------------------------------------- the driver
@jit
def schedule(m, exact, s, epsilon_start, factor_param, max_bids, try_first, stall):
    """The auction's :data:`Schedule` and initial :data:`State` for the model ``m``."""
    n_b = len(m.bgroup)
    n_units = len(m.ugroup)
    n_g = len(m.sgain)
    low = min(m.low * m.mul, m.high * m.mul)
    high = max(m.low * m.mul, m.high * m.mul)
    # Start from the spread of the gains, not their magnitude: a large common offset would
    # otherwise drive prices up to it for nothing. Any start keeps the result exact.
    eps0 = max(1, int((high - low) * epsilon_start))
    factor = factor_param if factor_param else (64 if n_units >= 2 * n_b else 5)
    big = high - low + eps0
    # The exact gap of a phase's assignment below s_gap proves optimality (integers: s scaled
    # units = 1 original unit; floats: one rounding unit per node).
    s_gap = s if exact else n_b + n_units + 1
    # Far more objects than bidders: little competition, so first try one phase at eps = 1.
    first_bids = 2 * n_b + 10 if try_first and n_units >= 2 * n_b else 0
    limit = 200 * n_b + 10 * n_g + 1 if max_bids < 0 else max_bids
    if limit == 0:
        limit = stall
    st = State(np.zeros(n_units, dtype=np.int64), np.full(n_units, FREE, dtype=np.int64),
               np.full(n_b, FREE, dtype=np.int64), np.zeros(n_b, dtype=np.int64),
               np.zeros(n_b, dtype=np.int64), np.zeros(n_b, dtype=np.int64),
               np.zeros(1, dtype=np.bool_), np.zeros(max(n_b, 1), dtype=np.int64),
               np.zeros(max(n_units, 1), dtype=np.int64))  # fmt: skip
    return Schedule(eps0, factor, big, s_gap, limit, first_bids, stall), st


@jit
def auction(m, sch, st, counters):  # pragma: no cover
    """The driver: epsilon-scaling forward/reverse auction down to eps = 1, stopping early
    once the duality gap proves optimality. Updates the state ``st`` (prices, owners,
    assignments).

    ``sch.first_bids > 0``: first try a single phase at eps = 1 from zero prices, which on
    problems with far more objects than bidders (little competition) ends in about one bid
    per bidder; after ``first_bids`` bids it switches to scaling from ``eps0`` (the
    assignments made stay eps-optimal for any larger eps). ``sch.max_bids > 0`` stops with
    BUDGET after that many bids (the caller then checks feasibility); STALLED at
    ``sch.stall`` bids or reverse steps. ``counters``: see :data:`COUNTERS`. Returns
    ``(code, lam, eps)``: a status code, the price floor lam and the eps of the last phase.
    """
    n_b = len(st.assigned)
    cache = np.full((n_b if m.use_cache else 0, 5), -1, dtype=np.int64)
    max_bids = sch.max_bids
    trying = sch.first_bids > 0
    eps = 1 if trying else sch.eps0
    while True:
        counters[1] += 1
        done, lam = _phase_start(m, eps, sch.s_gap, st, counters)
        if done:
            counters[2] += 1
            st.best_exact[0] = True
            return OK, lam, eps
        if m.use_cache:
            cache[:, 0] = -1  # prices fell at the phase start
        limit = max_bids
        if trying:
            limit = counters[0] + sch.first_bids
            if max_bids > 0:
                limit = min(limit, max_bids)
        code = _forward(m, eps, sch.big, limit, st, cache, counters)
        if trying and code == BUDGET and (max_bids == 0 or counters[0] < max_bids):
            trying = False  # too much competition for one phase: scale from eps0
            eps = max(sch.eps0, 1)
            continue
        if code == BUDGET and counters[0] >= sch.stall:
            return STALLED, lam, eps
        if code != OK:
            return code, lam, eps
        if not _reverse(m, eps, sch.stall, st, counters):
            return STALLED, lam, eps
        if eps <= 1:
            return OK, _lam(m, st.prices, st.owner), eps
        eps = max(1, eps // sch.factor)


# --------------------------------------------------------------------------- answer
@jit
def answer(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact, unit_exp,
           lam, eps, m, rows_bid, s, factor, g_orig, k_orig, eid, st):  # fmt: skip
    """Pairs sorted by row, the objective, duals, and the duality gap they certify (an
    :data:`Answer`).

    In scaled units first (exact for integer weights): an object's dual is its dearest unit's
    price above the floor lam; a bidder's is its best value (exact when the gap test ended the
    solve, ``st.best``; else its profit plus ``eps``, which eps-optimality bounds it by); rows
    the kernel never saw get the least dual that keeps their edges feasible. The gap, bound
    less objective, is summed node by node as ``sum over pairs (u_i + v_j - gain_ij) + sum
    over spare units u_i + sum over unmatched columns v_j``, every term small and exact in
    int64; ``slack`` is the largest complementary-slackness violation of any one node. Duals
    then go to the problem's units; float gains were rounded to the nearest unit, so the
    bidders' (and the unseen rows') duals get half a unit more: feasible on every edge.
    """  # pragma: no cover
    n_b = len(st.assigned)
    edges = np.empty(n_b, dtype=np.int64)
    n_pairs = 0
    for b in range(n_b):
        if st.assigned[b] >= 0:
            e = st.aedge[b]
            edges[n_pairs] = eid[e] if len(eid) else e
            n_pairs += 1
    edges = np.sort(edges[:n_pairs])
    row_ind = np.searchsorted(indptr, edges, side="right") - 1
    col_ind = indices[edges]
    objective = np.int64(0)
    for p in range(n_pairs):
        objective += weights[edges[p]]
    rows_free = False
    if full:
        units_all = 0
        for i in range(n_rows):
            units_all += capacity[i]
        rows_free = units_all <= n_cols
    cols_free = full and not rows_free
    row_scaled = np.zeros(n_rows, dtype=np.int64)
    col_scaled = np.zeros(n_cols, dtype=np.int64)
    row_seen = np.zeros(n_rows, dtype=np.bool_)
    for k in range(m.n_og):
        hi = m.uptr[k + 1]
        price = st.prices[hi - 1] - lam if hi > m.uptr[k] else 0  # the dearest unit
        if rows_bid:
            col_scaled[k_orig[k]] = max(price, 0)
        else:
            row_scaled[k_orig[k]] = max(price, 0)
            row_seen[k_orig[k]] = True
    n_groups = len(m.bptr) - 1
    copies = n_b > n_groups  # a row's copies differ by up to eps: scan each row once instead
    for g in range(n_groups):
        top = NEG
        if copies and not st.best_exact[0]:
            top = _scan(g, m, st.prices)[0]
        else:
            for b in range(m.bptr[g], m.bptr[g + 1]):
                top = max(top, st.best[b] if st.best_exact[0] else st.profit[b] + eps)
        if m.optout and top < 0:
            top = 0
        if rows_bid:
            row_scaled[g_orig[g]] = top + lam
            row_seen[g_orig[g]] = True
        else:
            col_scaled[g_orig[g]] = top + lam
    for i in range(n_rows):
        if not row_seen[i] and indptr[i + 1] > indptr[i]:
            need = NEG if rows_free else 0
            for e in range(indptr[i], indptr[i + 1]):
                need = max(need, sign * np.int64(weights[e]) * s - col_scaled[indices[e]])
            row_scaled[i] = need if need > NEG else 0
    # The gap and the largest violation, node by node.
    gap = np.int64(0)
    slack = np.int64(0)
    used = np.zeros(n_rows, dtype=np.int64)
    col_used = np.zeros(n_cols, dtype=np.bool_)
    for p in range(n_pairs):
        i, j = row_ind[p], col_ind[p]
        used[i] += 1
        col_used[j] = True
        violation = row_scaled[i] + col_scaled[j] - sign * np.int64(weights[edges[p]]) * s
        gap += violation
        slack = max(slack, violation)
    for i in range(n_rows):
        spare = capacity[i] - used[i]
        if spare > 0:
            gap += spare * row_scaled[i]
            if not rows_free:
                slack = max(slack, row_scaled[i])
    for j in range(n_cols):
        if not col_used[j]:
            gap += col_scaled[j]
            if not cols_free:
                slack = max(slack, col_scaled[j])
    half = 0.0 if exact else math.ldexp(0.5, unit_exp)
    row_dual = np.empty(n_rows, dtype=np.float64)
    col_dual = np.empty(n_cols, dtype=np.float64)
    for i in range(n_rows):
        # Rows' duals are bidders' when rows bid, and those the kernel never saw.
        extra = half if rows_bid or not row_seen[i] else 0.0
        row_dual[i] = _original(row_scaled[i], exact, s, unit_exp) + extra
    for j in range(n_cols):
        col_dual[j] = _original(col_scaled[j], exact, s, unit_exp) + (0.0 if rows_bid else half)
    return Answer(OK, row_ind, col_ind, edges, objective, row_dual, col_dual, gap, slack, s,
                  rows_bid, m.dense, factor)  # fmt: skip


@jit
def _original(value, exact, s, unit_exp):  # pragma: no cover
    """Scaled units -> the problem's units (a power-of-two scaling for floats: no underflow)."""
    return value / s if exact else math.ldexp(float(value), unit_exp)


@jit
def _failed(code, n_rows, n_cols, s, m, rows_bid, factor):  # pragma: no cover
    """The :data:`Answer` of a solve that ended with ``code`` (no pairs, no duals)."""
    empty = np.zeros(0, dtype=np.int64)
    none = np.zeros(0, dtype=np.float64)
    return Answer(code, empty, empty, empty, np.int64(0), none, none, np.int64(0), np.int64(0),
                  s, rows_bid, m.dense, factor)  # fmt: skip


# --------------------------------------------------------------------------- entry points
@jit
def _run(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact, unit_exp,
         m, rows_bid, s, g_orig, k_orig, eid, epsilon_start, factor_param, max_bids,
         try_first, stall, counters):  # pragma: no cover  # fmt: skip
    """The auction on model ``m``, then its :func:`answer`."""
    sch, st = schedule(m, exact, s, epsilon_start, factor_param, max_bids, try_first, stall)
    code, lam, eps = auction(m, sch, st, counters)
    if code != OK:
        return _failed(code, n_rows, n_cols, s, m, rows_bid, sch.factor)
    return answer(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact,
                  unit_exp, lam, eps, m, rows_bid, s, sch.factor, g_orig, k_orig, eid,
                  st)  # fmt: skip


@jit
def pack(out, counters, renumbered):  # pragma: no cover
    """An :data:`Answer` and its counters as ``(ints, floats)`` (see :data:`HEAD`)."""
    n = len(out.row_ind)
    head = len(HEAD)
    ints = np.empty(head + 3 * n, dtype=np.int64)
    ints[0] = out.code
    ints[1] = n
    ints[2 : 2 + COUNTERS] = counters
    ints[7] = out.objective
    ints[8] = out.gap
    ints[9] = out.slack
    ints[10] = out.s
    ints[11] = out.rows_bid
    ints[12] = out.dense
    ints[13] = out.factor
    ints[14] = renumbered
    ints[head : head + n] = out.row_ind
    ints[head + n : head + 2 * n] = out.col_ind
    ints[head + 2 * n :] = out.edges
    n_rows = len(out.row_dual)
    floats = np.empty(n_rows + len(out.col_dual), dtype=np.float64)
    floats[:n_rows] = out.row_dual
    floats[n_rows:] = out.col_dual
    return ints, floats


_I64, _B1, _F64 = types.int64, types.boolean, types.float64
_COUNTS = types.Array(types.int64, 1, "C")


@jit(
    (_I64, _I64, readonly("int64"), readonly("int64"), readonly("int64"), _I64,
     readonly("int64"), _B1, _B1, _I64, _B1, _F64, _I64, _I64, _B1, _I64, _COUNTS)
)  # fmt: skip
def _solve_built(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact,
                 unit_exp, lifo, epsilon_start, factor_param, max_bids, try_first, stall,
                 counters):  # pragma: no cover  # fmt: skip
    """:func:`build`, then :func:`_run` (the problem's arrays or a renumbered copy: one
    compiled function for both, its arrays read-only)."""
    b = build(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact, lifo)
    if b.code != OK:
        return _failed(b.code, n_rows, n_cols, b.s, b.model, b.rows_bid, factor_param)
    return _run(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact, unit_exp,
                b.model, b.rows_bid, b.s, b.g_orig, b.k_orig, b.eid, epsilon_start,
                factor_param, max_bids, try_first, stall, counters)  # fmt: skip


@jit(
    (_I64, _I64, readonly("int64"), readonly("int64"), readonly("int64"), readonly("int64"),
     _I64, _B1, _B1, _I64, _F64, _I64, _I64, _B1, _I64, _B1)
)  # fmt: skip
def solve(n_rows, n_cols, indptr, indices, weights, capacity, sign, full, exact, unit_exp,
          epsilon_start, factor_param, max_bids, try_first, stall, renumber):  # fmt: skip
    """The auction on a problem's CSR arrays with int64 weights, answered as ``(ints,
    floats)`` (see :data:`HEAD`).

    ``sign``: 1 (max form) or -1 (min form); ``exact``: the weights are the problem's integer
    weights (gains scaled by the bidders + 1), else float weights rounded to units of
    ``2**unit_exp``; ``max_bids``: 0 for no budget, -1 for a budget far above what feasible
    problems need (200 per bidder + 10 per edge), else that many bids, past which the code is
    BUDGET and the caller checks feasibility; ``try_first``: allow the first phase at eps = 1
    of lopsided problems; ``stall``: bids or reverse steps after which the code is STALLED;
    ``renumber``: the sparse path, on a copy renumbered for memory locality, bidders last in,
    first out.
    """  # pragma: no cover
    counters = np.zeros(COUNTERS, dtype=np.int64)
    if not renumber:
        out = _solve_built(n_rows, n_cols, indptr, indices, weights, sign, capacity, full,
                           exact, unit_exp, False, epsilon_start, factor_param, max_bids,
                           try_first, stall, counters)  # fmt: skip
        return pack(out, counters, False)
    row_new, col_new = locality_order(n_rows, n_cols, indptr, indices, weights, sign)
    ptr, idx, wts, cap, edge_old = relabel(n_rows, indptr, indices, weights, capacity, row_new,
                                           col_new)  # fmt: skip
    out = _solve_built(n_rows, n_cols, ptr, idx, wts, sign, cap, full, exact, unit_exp, True,
                       epsilon_start, factor_param, max_bids, try_first, stall,
                       counters)  # fmt: skip
    if out.code != OK:
        return pack(out, counters, True)
    # Back to the problem's numbering: pairs sorted by the problem's edge.
    edges = np.sort(edge_old[out.edges])
    row_ind = np.searchsorted(indptr, edges, side="right") - 1
    back = Answer(out.code, row_ind, indices[edges], edges, out.objective,
                  out.row_dual[row_new], out.col_dual[col_new], out.gap, out.slack, out.s,
                  out.rows_bid, out.dense, out.factor)  # fmt: skip
    return pack(back, counters, True)


@jit(
    (_I64, _I64, readonly("int64"), readonly("int64"), readonly("int32"), _I64, _B1, _I64,
     _I64, _F64, _I64, _I64, _B1, _I64)
)  # fmt: skip
def solve_dense(n_rows, n_cols, indptr, indices, weights, sign, full, low, high,
                epsilon_start, factor_param, max_bids, try_first, stall):  # fmt: skip
    """:func:`solve` on a complete int32 matrix (row-major ``weights``, ``low`` and ``high``
    its range) with no more rows than columns and unit capacities: the rows bid and scan the
    matrix in place (nothing to build), gains scaled by ``s`` = rows + 1."""  # pragma: no cover
    counters = np.zeros(COUNTERS, dtype=np.int64)
    s = n_rows + 1
    ident_n = np.arange(n_rows + 1)
    ident_m = np.arange(n_cols + 1)
    empty = np.zeros(0, dtype=np.int64)
    mul = np.int64(sign * s)
    m = _model(True, full, False, n_cols, np.arange(n_rows), ident_n, empty,
               np.zeros(0, dtype=np.int32), weights, ident_m, np.arange(n_cols), empty, empty,
               empty, mul, min(low, high), max(low, high))  # fmt: skip
    capacity = np.ones(n_rows, dtype=np.int64)
    out = _run(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, True, 0, m,
               True, s, np.arange(n_rows), np.arange(n_cols), empty, epsilon_start,
               factor_param, max_bids, try_first, stall, counters)  # fmt: skip
    return pack(out, counters, False)
