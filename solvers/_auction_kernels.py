"""Numba kernels of the epsilon-scaling forward auction; the wrapper validates, kernels trust.

One call per problem, :func:`solve`: :func:`build` (edges -> the bidders' graph in scaled
integer gains), the auction, and :func:`answer` (sorted pairs, objective and duals in the
problem's own units), packed into two arrays (see HEAD_INTS).

The model. Bidders are grouped: a bidder group is a row with ``c`` unit copies (rows bid) or a
column (columns bid); an object group is a column (rows bid) or a row with ``c`` units (columns
bid). Group ``g``'s edges are ``gptr[g]:gptr[g + 1]`` (dense: ``g * n_og + k``) to object group
``gobj[e]`` with scaled gain ``sgain[e]``; ``eid[e]`` is the problem's edge. The units of object
group ``k`` are ``uptr[k]:uptr[k + 1]``, kept sorted by price, so a bidder sees a group through
its cheapest units. Prices and profits are int64 in scaled units.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from gigbench.solvers._jit import jit

# The kernel's model of a problem (see the module docstring) and the auction's mutable state.
Model = namedtuple(
    "Model",
    "dense optout multi_o use_cache n_og mul bgroup bptr gptr gobj sgain uptr ugroup "
    "t_ptr t_group t_edge narrow",
)
State = namedtuple("State", "prices owner assigned aedge profit best best_exact stack ustack")

FREE = -1
OUT = -2  # the bidder stays unmatched (max form): its best profit is within epsilon of 0
NEG = -(2**62)  # below any reachable value: |scaled gain| <= 2**52, prices stay under 2**60

OK = 0
PRICE_LIMIT = 1
NO_EDGE = 2
BUDGET = 3
INFEASIBLE = 4  # build: a side that must be matched has a node without an edge
TOO_LARGE = 5  # build: integer weights too large to scale exactly
STALLED = 6  # more work than any price war of this size needs: a bug, reported as one

EXACT_LIMIT = 2**52  # |scaled gain| bound: leaves 2**8 of headroom under the price limit
PRICE_LIMIT_VALUE = 2**60
FLOAT_BITS = 50  # float gains are rounded to units of 2**(exponent of max|gain| - 50)
CACHE_DEGREE = 24  # shorter rows are rescanned: cheaper than the third-best bookkeeping
INT32_LIMIT = 2**31  # |gain| and |mul| below it: the dense scan multiplies in 32 bits
SCAN_BLOCK = 64  # columns per block of a dense scan (_scan_dense; 64 measured best of 16-128)
# Bids (and, separately, reverse steps) past STALL_STEPS per bidder, unit and edge plus
# STALL_FLOOR end the auction with STALLED. Random problems of up to 12 x 12 (the property
# test's mix, 42,000 solves) needed at most 3,942 in all, about 20 per bidder, unit and edge;
# a stalled price war would otherwise hang its process with no word of what it was solving.
STALL_STEPS = 100_000
STALL_FLOOR = 10_000_000
# solve()'s answer is two arrays, not nine values: boxing each returned array costs the call
# about 0.3 us, a tenth of a simulated batch's kernel time. ``ints``: HEAD_INTS values (code,
# pairs, then the counters: bids, phases, phases ended by the gap test, full scans, reverse
# steps), then the pairs' rows and columns. ``floats``: HEAD_FLOATS values (objective, dual
# bound, slack, then the info: scale, unit exponent, exact, rows bid, dense, epsilon factor),
# then the row and column duals. The objective is exact in float64: integer weights solve only
# when max|w| times the matched pairs stays under EXACT_LIMIT = 2**52.
HEAD_INTS = 7
HEAD_FLOATS = 9


# --------------------------------------------------------------------------- build
@jit
def build(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact, like):
    """The bidders' graph of a problem (see the module docstring).

    Drops what cannot matter: edges of rows without capacity, non-positive edges in the max
    form (never better than staying unmatched), then rows and columns left without edges, and
    copies of a row beyond its degree (a row never uses more columns than it has edges).
    ``exact``: gains are integers scaled by ``s`` = bidders + 1 (+ units when rows are
    objects); else they are rounded to units of ``2**unit_exp`` (``unit_exp`` from the
    largest |gain|). ``like`` gives the scaled gains' dtype. Returns ``(code, rows_bid, dense, s,
    unit_exp, n_og, bgroup, bptr, gptr, gobj, sgain, eid, uptr, ugroup, t_ptr, t_group,
    t_edge, g_orig, k_orig)``; ``dense`` when every pair of groups is an edge (row-major
    ``sgain``, no units); code INFEASIBLE when a side that must be matched cannot be.
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
    magnitude = 0.0
    for i in range(n_rows):
        units_all += capacity[i]
        d = 0
        for e in range(indptr[i], indptr[i + 1]):
            g = sign * weights[e]
            k = capacity[i] > 0 and (full or g > 0)
            keep[e] = k
            if k:
                d += 1
                deg_c[indices[e]] += 1
                magnitude = max(magnitude, abs(float(g)))
        deg_r[i] = d
        if d > 0:
            row_orig[n_ar] = i
            n_ar += 1
            n_kept += d
    row_orig = row_orig[:n_ar]
    rows_must = full and units_all <= n_cols
    cols_must = full and not rows_must
    empty_i = np.zeros(0, dtype=np.int64)
    empty_o = np.zeros(0, dtype=np.int32)
    empty_g = np.zeros(0, dtype=like.dtype)
    bad = (INFEASIBLE, False, False, 1, 0, 0, empty_i, empty_i, empty_i, empty_o, empty_g, empty_i,
           empty_i, empty_i, empty_i, empty_i, empty_i, empty_i, empty_i)  # fmt: skip
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
    s = n_b + 1 + (n_units if multi_o else 0)
    unit_exp = 0
    if not exact:
        s = 1
        if magnitude > 0:
            unit_exp = math.frexp(magnitude)[1] - FLOAT_BITS
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
    sgain = np.empty(n_kept, dtype=like.dtype)
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
                if exact:
                    sgain[pos] = np.int64(sign * weights[e]) * s
                else:
                    sgain[pos] = np.int64(np.rint(math.ldexp(float(sign * weights[e]), -unit_exp)))
    if rows_bid:
        bptr = np.zeros(n_bg + 1, dtype=np.int64)
        for g in range(n_bg):
            bptr[g + 1] = bptr[g] + cap[g]
        uptr = np.arange(n_og + 1, dtype=np.int64)
    else:
        bptr = np.arange(n_bg + 1, dtype=np.int64)
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
    return (OK, rows_bid, dense, s, unit_exp, n_og, bgroup, bptr, gptr, gobj, sgain, eid, uptr,
            ugroup, t_ptr, t_group, t_edge, g_orig, k_orig)  # fmt: skip


# --------------------------------------------------------------------------- scans
@jit
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


@jit
def _scan(g, m, prices):  # pragma: no cover
    """Bidder group ``g``'s best two candidates (value, edge, unit) and the third value.

    A candidate is a unit of an object group; each group shows its three cheapest units (its
    units are sorted by price), which dominate the others.
    """
    dense, n_og, mul, gptr, gobj, sgain, uptr = (
        m.dense,
        m.n_og,
        m.mul,
        m.gptr,
        m.gobj,
        m.sgain,
        m.uptr,
    )
    v1 = NEG
    v2 = NEG
    v3 = NEG
    e1 = -1
    e2 = -1
    u1 = -1
    u2 = -1
    if dense:
        return _scan_dense(g * n_og, n_og, mul, sgain, prices, m.narrow)
    lo = gptr[g]
    hi = gptr[g + 1]
    if not m.multi_o:
        for e in range(lo, hi):
            k = gobj[e]
            val = sgain[e] * mul - prices[k]
            if val > v3:
                v1, e1, u1, v2, e2, u2, v3 = _top3(val, e, k, v1, e1, u1, v2, e2, u2, v3)
        return v1, e1, u1, v2, e2, u2, v3
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


@jit
def _best(b, m, prices, cache, counters):  # pragma: no cover
    """Bidder ``b``'s best (value, edge, unit) and second-best value.

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
                return w1, e1, u1, NEG  # a single option
            u2 = cache[b, 3]
            w2 = m.sgain[e2] * m.mul - prices[u2]
            t = cache[b, 4]
            if w1 >= t and w2 >= t:
                if w1 >= w2:
                    return w1, e1, u1, w2
                return w2, e2, u2, w1
    counters[3] += 1
    v1, e1, u1, v2, e2, u2, v3 = _scan(m.bgroup[b], m, prices)
    if m.use_cache:
        cache[b, 0] = e1
        cache[b, 1] = u1
        cache[b, 2] = e2
        cache[b, 3] = u2
        cache[b, 4] = v3
    return v1, e1, u1, v2


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
    for b in range(n_b):
        a = assigned[b]
        if a == FREE:
            complete = False
            continue
        v1 = _scan(m.bgroup[b], m, prices)[0]
        counters[3] += 1
        if m.optout and v1 < 0:
            v1 = 0
        best[b] = v1
        gap += v1 - (0 if a == OUT else profit[b])
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
def stall_limit(m):  # pragma: no cover
    """Bids, or reverse steps, after which the auction is stalled (:data:`STALL_STEPS`)."""
    return STALL_STEPS * (len(m.bgroup) + len(m.ugroup) + len(m.sgain)) + STALL_FLOOR


@jit
def _reverse(m, eps, st, counters):  # pragma: no cover
    """Reverse auction at ``eps`` (Bertsekas and Castanon): every unassigned unit priced above
    the floor lam bids for the bidder it is worth most to, or falls to lam when no bidder
    wants it there. Restores the asymmetric condition and keeps eps-optimality; each step
    raises a bidder's profit by at least eps, and epsilon-scaling keeps the steps few.
    False when the steps reach :func:`stall_limit`.
    """
    prices, owner, assigned, aedge, profit, stack = (
        st.prices,
        st.owner,
        st.assigned,
        st.aedge,
        st.profit,
        st.ustack,
    )
    lam = _lam(m, prices, owner)
    n_units = len(prices)
    n_groups = len(m.bptr) - 1
    stall = stall_limit(m)
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
    """One Gauss-Seidel forward phase at ``eps``: bid until no bidder is FREE."""
    prices, owner, assigned, aedge, profit, queue = (
        st.prices,
        st.owner,
        st.assigned,
        st.aedge,
        st.profit,
        st.stack,
    )
    n_b = len(assigned)
    count = 0
    tail = 0
    for b in range(n_b):
        if assigned[b] == FREE:
            queue[tail] = b
            tail += 1
            count += 1
    tail = tail % n_b if n_b else 0
    head = 0
    bids = counters[0]  # a local counter: the array store per bid is measurable
    while count > 0:
        b = queue[head]
        head = head + 1 if head + 1 < n_b else 0
        count -= 1
        v1, e, u, v2 = _best(b, m, prices, cache, counters)
        bids += 1
        if bids == max_bids:
            counters[0] = bids
            return BUDGET
        if u < 0 or (m.optout and v1 <= eps):
            if not m.optout:
                counters[0] = bids
                return NO_EDGE
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
        new_price = m.sgain[e] * m.mul - keep
        if new_price > PRICE_LIMIT_VALUE:
            counters[0] = bids
            return PRICE_LIMIT
        prev = owner[u]
        prices[u] = new_price
        owner[u] = b
        assigned[b] = u
        aedge[b] = e
        profit[b] = keep
        if prev >= 0:
            assigned[prev] = FREE
            queue[tail] = prev
            tail = tail + 1 if tail + 1 < n_b else 0
            count += 1
        if m.multi_o:
            _sift_up(u, m, prices, owner, assigned)
    counters[0] = bids
    return OK


@jit
def auction(m, eps0, factor, big, s_gap, max_bids, first_bids, st, counters):  # pragma: no cover
    """Epsilon-scaling forward/reverse auction down to eps = 1, stopping early once the
    duality gap proves optimality. Updates the state ``st`` (prices, owners, assignments).

    ``first_bids > 0``: first try a single phase at eps = 1 from zero prices, which on
    problems with far more objects than bidders (little competition) ends in about one bid
    per bidder; after ``first_bids`` bids it switches to scaling from ``eps0`` (the
    assignments made stay eps-optimal for any larger eps). ``max_bids > 0`` stops with
    BUDGET after that many bids (the caller then checks feasibility); STALLED at
    :func:`stall_limit`. ``counters``: bids, phases, phases ended by the gap test, full
    scans, reverse steps. Returns ``(code, lam, eps)``: a status code, the price floor lam
    and the eps of the last phase.
    """
    n_b = len(st.assigned)
    cache = np.full((n_b if m.use_cache else 0, 5), -1, dtype=np.int64)
    trying = first_bids > 0
    eps = 1 if trying else eps0
    while True:
        counters[1] += 1
        done, lam = _phase_start(m, eps, s_gap, st, counters)
        if done:
            counters[2] += 1
            st.best_exact[0] = True
            return OK, lam, eps
        if m.use_cache:
            cache[:, 0] = -1  # prices fell at the phase start
        limit = max_bids
        if trying:
            limit = counters[0] + first_bids
            if max_bids > 0:
                limit = min(limit, max_bids)
        code = _forward(m, eps, big, limit, st, cache, counters)
        if trying and code == BUDGET and (max_bids == 0 or counters[0] < max_bids):
            trying = False  # too much competition for one phase: scale from eps0
            eps = max(eps0, 1)
            continue
        if code == BUDGET and counters[0] >= stall_limit(m):
            return STALLED, lam, eps
        if code != OK:
            return code, lam, eps
        if not _reverse(m, eps, st, counters):
            return STALLED, lam, eps
        if eps <= 1:
            return OK, _lam(m, st.prices, st.owner), eps
        eps = max(1, eps // factor)


# --------------------------------------------------------------------------- answer
@jit
def answer(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, rows_bid, exact, s,
           unit_exp, lam, eps, m, g_orig, k_orig, eid, st):  # pragma: no cover  # fmt: skip
    """Pairs sorted by row, the objective (sum of weights) and exactly feasible duals.

    Objects' duals are their dearest unit's price above the floor lam; a bidder's is its
    profit plus ``eps`` (eps-optimality bounds its best value by that; the exact best when
    the gap test ended the solve, in ``st.best``), plus half a rounding unit for float
    weights: feasible on every edge without scanning the edges again. Rows and columns the
    kernel never saw get the least dual that keeps their edges feasible. Returns
    ``(row_ind, col_ind, objective, row_dual, col_dual, bound, slack)``: the dual bound (max
    form) and the largest complementary-slackness violation of any one node.
    """
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
    objective = weights[:0].sum()  # zero of the weights' dtype
    for p in range(n_pairs):
        objective += weights[edges[p]]
    rows_free = False
    if full:
        units_all = 0
        for i in range(n_rows):
            units_all += capacity[i]
        rows_free = units_all <= n_cols
    cols_free = full and not rows_free
    half = 0.0 if exact else 0.5  # float gains were rounded to the nearest unit
    row_dual = np.zeros(n_rows, dtype=np.float64)
    col_dual = np.zeros(n_cols, dtype=np.float64)
    row_seen = np.zeros(n_rows, dtype=np.bool_)
    obj_dual = np.zeros(m.n_og, dtype=np.float64)
    for k in range(m.n_og):
        hi = m.uptr[k + 1]
        if hi > m.uptr[k] and st.prices[hi - 1] > lam:  # the dearest unit (units are sorted)
            obj_dual[k] = _original(st.prices[hi - 1] - lam, exact, s, unit_exp)
    n_groups = len(m.bptr) - 1
    bid_dual = np.full(n_groups, -np.inf)
    copies = n_b > n_groups  # a row's copies differ by up to eps: scan each row once instead
    for g in range(n_groups):
        if copies and not st.best_exact[0]:
            top = _scan(g, m, st.prices)[0]
            if m.optout and top < 0:
                top = 0
            bid_dual[g] = _original(top + lam + half, exact, s, unit_exp)
            continue
        for b in range(m.bptr[g], m.bptr[g + 1]):
            top = st.best[b] if st.best_exact[0] else st.profit[b] + eps
            if m.optout and top < 0:
                top = 0
            bid_dual[g] = max(bid_dual[g], _original(top + lam + half, exact, s, unit_exp))
    for g in range(len(bid_dual)):
        if rows_bid:
            row_dual[g_orig[g]] = bid_dual[g]
            row_seen[g_orig[g]] = True
        else:
            col_dual[g_orig[g]] = bid_dual[g]
    for k in range(m.n_og):
        if rows_bid:
            col_dual[k_orig[k]] = obj_dual[k]
        else:
            row_dual[k_orig[k]] = obj_dual[k]
            row_seen[k_orig[k]] = True
    # The dual bound and the largest complementary-slackness violation of any one node, in one
    # pass over the rows that also gives the rows the kernel never saw their duals.
    slack = 0.0
    used = np.zeros(n_rows, dtype=np.int64)
    for p in range(n_pairs):
        i, j = row_ind[p], col_ind[p]
        used[i] += 1
        slack = max(slack, row_dual[i] + col_dual[j] - sign * weights[edges[p]])
    bound = 0.0
    for i in range(n_rows):
        if not row_seen[i] and indptr[i + 1] > indptr[i]:
            need = -np.inf if rows_free else 0.0
            for e in range(indptr[i], indptr[i + 1]):
                need = max(need, sign * weights[e] - col_dual[indices[e]])
            row_dual[i] = need if need > -np.inf else 0.0
        bound += capacity[i] * row_dual[i]
        if not rows_free and used[i] < capacity[i]:
            slack = max(slack, row_dual[i])
    for j in range(n_cols):
        bound += col_dual[j]
    if not cols_free:
        col_used = np.zeros(n_cols, dtype=np.bool_)
        for p in range(n_pairs):
            col_used[col_ind[p]] = True
        for j in range(n_cols):
            if not col_used[j]:
                slack = max(slack, col_dual[j])
    return row_ind, col_ind, objective, row_dual, col_dual, bound, slack


@jit
def _original(value, exact, s, unit_exp):  # pragma: no cover
    """Scaled units -> original units (a power-of-two scaling for floats: no underflow)."""
    return value / s if exact else math.ldexp(float(value), unit_exp)


@jit
def solve(n_rows, n_cols, indptr, indices, weights, capacity, sign, full, is_integer, w_min,
          w_max, epsilon_start, factor_param, max_bids, try_first):  # fmt: skip
    """The one entry point: from the problem's CSR arrays to pairs, objective and duals, as
    ``(ints, floats)`` (see HEAD_INTS); arguments as :func:`unpacked`."""  # pragma: no cover
    counters = np.zeros(5, dtype=np.int64)
    out = unpacked(n_rows, n_cols, indptr, indices, weights, capacity, sign, full, is_integer,
                   w_min, w_max, epsilon_start, factor_param, max_bids, try_first,
                   counters)  # fmt: skip
    return pack(out, counters)


@jit
def pack(out, counters):  # pragma: no cover
    """An answer of :func:`unpacked` and its counters as ``(ints, floats)`` (see HEAD_INTS)."""
    code, row_ind, col_ind, objective, row_dual, col_dual, bound, slack, info = out
    n = len(row_ind)
    ints = np.empty(HEAD_INTS + 2 * n, dtype=np.int64)
    ints[0] = code
    ints[1] = n
    ints[2:HEAD_INTS] = counters
    ints[HEAD_INTS : HEAD_INTS + n] = row_ind
    ints[HEAD_INTS + n :] = col_ind
    n_rows = len(row_dual)
    floats = np.empty(HEAD_FLOATS + n_rows + len(col_dual), dtype=np.float64)
    floats[0] = objective
    floats[1] = bound
    floats[2] = slack
    floats[3:HEAD_FLOATS] = info
    floats[HEAD_FLOATS : HEAD_FLOATS + n_rows] = row_dual
    floats[HEAD_FLOATS + n_rows :] = col_dual
    return ints, floats


@jit
def unpacked(n_rows, n_cols, indptr, indices, weights, capacity, sign, full, is_integer, w_min,
             w_max, epsilon_start, factor_param, max_bids, try_first, counters):  # fmt: skip
    """:func:`solve`'s work, its answer as nine values.

    ``w_min``, ``w_max``: the weights' range (:attr:`Problem.weight_bounds`). Dense integer
    problems whose rows bid read the problem's own weights (nothing to build); the others are
    built first (:func:`build`). ``max_bids``: 0 for no budget, -1 for a budget far above what
    feasible problems need (200 per bidder + 10 per edge), else that many bids; past it the
    code is BUDGET and the caller checks feasibility. Past :func:`stall_limit` bids or reverse
    steps the code is STALLED, whatever the budget. Returns ``(code, row_ind, col_ind,
    objective, row_dual, col_dual, bound, slack, info)`` with ``info`` = (scale, unit
    exponent, exact, rows bid, dense, epsilon factor); on a code other than OK the arrays are
    empty.
    """  # pragma: no cover
    n_e = len(indices)
    units = 0
    unit_caps = True
    for i in range(n_rows):
        units += capacity[i]
        if capacity[i] != 1:
            unit_caps = False
    magnitude = max(abs(w_max), abs(w_min))
    integral = True
    if not is_integer:
        for e in range(n_e):
            a = float(weights[e])
            if a != math.floor(a):
                integral = False
                break
    direct = (is_integer and unit_caps and n_e == n_rows * n_cols and 0 < n_rows <= n_cols
              and magnitude * (n_rows + 1) <= EXACT_LIMIT)  # fmt: skip
    if direct:
        s = n_rows + 1
        ident_n = np.arange(n_rows + 1)
        ident_m = np.arange(n_cols + 1)
        empty = np.zeros(0, dtype=np.int64)
        narrow = magnitude < INT32_LIMIT and s < INT32_LIMIT
        # mul as int64: int32 weights (Problem.from_dense) times it must not wrap (numpy
        # keeps int32 * int in int32 when the kernels run interpreted).
        model = Model(True, not full, False, n_cols > CACHE_DEGREE, n_cols, np.int64(sign * s),
                      ident_n[:-1], ident_n, empty, np.zeros(0, dtype=np.int32), weights, ident_m,
                      ident_m[:-1], empty, empty, empty, narrow)  # fmt: skip
        low = min(sign * s * np.int64(w_min), sign * s * np.int64(w_max))
        high = max(sign * s * np.int64(w_min), sign * s * np.int64(w_max))
        return _finish(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, True,
                       True, float(s), 0, ident_n[:-1], ident_m[:-1], empty, model, low, high,
                       epsilon_start, factor_param, max_bids, try_first, counters)  # fmt: skip
    s_bound = units + n_cols + 1
    exact = integral and magnitude * s_bound <= EXACT_LIMIT
    if is_integer and not exact:
        return _failed(TOO_LARGE, weights)
    # One gains dtype (int64): each model type compiles the whole auction once more.
    built64 = build(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact,
                    np.zeros(0, dtype=np.int64))  # fmt: skip
    return _from_built(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact,
                       built64, epsilon_start, factor_param, max_bids, try_first,
                       counters)  # fmt: skip


@jit
def _failed(code, weights):  # pragma: no cover
    """The return value of :func:`solve` for a code other than OK."""
    empty = np.zeros(0, dtype=np.int64)
    none = np.zeros(0, dtype=np.float64)
    return code, empty, empty, weights[:0].sum(), none, none, 0.0, 0.0, np.zeros(6)


@jit
def model_of(dense, full, n_og, bgroup, bptr, gptr, gobj, sgain, uptr, ugroup, t_ptr, t_group,
             t_edge):  # pragma: no cover  # fmt: skip
    """The :data:`Model` of what :func:`build` returned, and the range ``(low, high)`` of its
    scaled gains."""
    multi_o = len(ugroup) > n_og
    degree = n_og if dense else len(sgain) / max(len(bptr) - 1, 1)
    use_cache = not multi_o and degree > CACHE_DEGREE
    low = np.int64(sgain.min()) if len(sgain) else np.int64(0)
    high = np.int64(sgain.max()) if len(sgain) else np.int64(0)
    narrow = max(high, -low) < INT32_LIMIT
    model = Model(dense, not full, multi_o, use_cache, n_og, 1, bgroup, bptr, gptr, gobj, sgain,
                  uptr, ugroup, t_ptr, t_group, t_edge, narrow)  # fmt: skip
    return model, low, high


@jit
def _from_built(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, exact, built,
                epsilon_start, factor_param, max_bids, try_first, counters):  # fmt: skip
    """Run :func:`_finish` on the model :func:`build` returned."""
    (code, rows_bid, dense, s, unit_exp, n_og, bgroup, bptr, gptr, gobj, sgain, eid, uptr,
     ugroup, t_ptr, t_group, t_edge, g_orig, k_orig) = built  # fmt: skip
    if code != OK:
        return _failed(code, weights)
    model, low, high = model_of(dense, full, n_og, bgroup, bptr, gptr, gobj, sgain, uptr,
                                ugroup, t_ptr, t_group, t_edge)  # fmt: skip
    return _finish(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, rows_bid,
                   exact, float(s), unit_exp, g_orig, k_orig, eid, model, low, high,
                   epsilon_start, factor_param, max_bids, try_first, counters)  # fmt: skip


@jit
def setup(m, exact, s, low, high, epsilon_start, factor_param, max_bids, try_first):
    """The auction's state and parameters for the model ``m`` (``low``, ``high``: the range of
    its scaled gains): ``(st, eps0, factor, big, s_gap, limit, first_bids)``."""  # pragma: no cover
    n_b = len(m.bgroup)
    n_units = len(m.ugroup)
    n_g = len(m.sgain)
    # Start from the spread of the gains, not their magnitude: a large common offset would
    # otherwise drive prices up to it for nothing. Any start keeps the result exact.
    eps0 = max(1, int((high - low) * epsilon_start))
    factor = factor_param if factor_param else (64 if n_units >= 2 * n_b else 5)
    big = high - low + eps0
    # The exact gap of a phase's assignment below s_gap proves optimality (integers: s scaled
    # units = 1 original unit; floats: one rounding unit per node).
    s_gap = int(s) if exact else n_b + n_units + 1
    # Far more objects than bidders: little competition, so first try one phase at eps = 1.
    first_bids = 2 * n_b + 10 if try_first and n_units >= 2 * n_b else 0
    limit = 200 * n_b + 10 * n_g + 1 if max_bids < 0 else max_bids
    if limit == 0:
        limit = stall_limit(m)
    st = State(np.zeros(n_units, dtype=np.int64), np.full(n_units, FREE, dtype=np.int64),
               np.full(n_b, FREE, dtype=np.int64), np.zeros(n_b, dtype=np.int64),
               np.zeros(n_b, dtype=np.int64), np.zeros(n_b, dtype=np.int64),
               np.zeros(1, dtype=np.bool_), np.zeros(max(n_b, 1), dtype=np.int64),
               np.zeros(max(n_units, 1), dtype=np.int64))  # fmt: skip
    return st, eps0, factor, big, s_gap, limit, first_bids


@jit
def _finish(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, rows_bid, exact, s,
            unit_exp, g_orig, k_orig, eid, m, low, high, epsilon_start, factor_param, max_bids,
            try_first, counters):  # pragma: no cover  # fmt: skip
    """Parameters from the model (``low``, ``high``: the range of its scaled gains), the
    auction, then :func:`answer`."""
    st, eps0, factor, big, s_gap, limit, first_bids = setup(
        m, exact, s, low, high, epsilon_start, factor_param, max_bids, try_first
    )
    code, lam, eps = auction(m, eps0, factor, big, s_gap, limit, first_bids, st, counters)
    info = np.array([s, float(unit_exp), 1.0 if exact else 0.0, 1.0 if rows_bid else 0.0,
                     1.0 if m.dense else 0.0, float(factor)])  # fmt: skip
    if code != OK:
        out = _failed(code, weights)
        return out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7], info
    r = answer(n_rows, n_cols, indptr, indices, weights, sign, capacity, full, rows_bid, exact,
               s, unit_exp, lam, eps, m, g_orig, k_orig, eid, st)  # fmt: skip
    return code, r[0], r[1], r[2], r[3], r[4], r[5], r[6], info
