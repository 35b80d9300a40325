"""Numba kernels of the epsilon-scaling auction; the wrapper validates, kernels trust inputs.

Bidders ``0..n_b-1`` bid for objects ``0..n_o-1``. Gains are scaled integers (int64, or int32
when they fit), prices and profits int64. A dense problem (every pair an edge) passes empty
CSR arrays and row-major gains of length ``n_b * n_o``; edge ``e`` of pair ``(i, j)`` is then
``i * n_o + j``, and ``t_gains`` holds the transposed matrix for the reverse clean-up.
``optout`` selects the max-weight form, where a bidder may stay unmatched with profit 0;
otherwise every bidder must be matched (the wrapper has checked that it can be).
"""

from __future__ import annotations

import numpy as np

from solvers._jit import jit

FREE = -1
OUT = -2  # the bidder stays unmatched (max form): its best profit is within epsilon of 0
NEG = -(2**62)  # below any reachable value: |gain| <= 2**52 and prices stay under 2**60

OK = 0
PRICE_LIMIT = 1
NO_EDGE = 2
BUDGET = 3
CACHE_DEGREE = 24  # short rows are rescanned: cheaper than the third-best bookkeeping


@jit
def _scan(i, n_o, dense, indptr, indices, gains, prices):  # pragma: no cover
    """Best object, its edge, best and second-best profit of bidder ``i``."""
    best = NEG
    second = NEG
    best_j = -1
    best_e = -1
    if dense:
        base = i * n_o
        for j in range(n_o):
            val = gains[base + j] - prices[j]
            if val > second:
                if val > best:
                    second = best
                    best = val
                    best_j = j
                else:
                    second = val
        best_e = base + best_j
    else:
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            val = gains[e] - prices[j]
            if val > second:
                if val > best:
                    second = best
                    best = val
                    best_j = j
                    best_e = e
                else:
                    second = val
    return best_j, best_e, best, second


@jit
def _scan3(i, n_o, dense, indptr, indices, gains, prices):  # pragma: no cover
    """Bidder ``i``'s two best objects and edges, and its three best profits."""
    v1 = NEG
    v2 = NEG
    v3 = NEG
    j1 = -1
    e1 = -1
    j2 = -1
    e2 = -1
    if dense:
        base = i * n_o
        for j in range(n_o):
            val = gains[base + j] - prices[j]
            if val > v3:
                if val > v2:
                    v3 = v2
                    if val > v1:
                        v2, j2 = v1, j1
                        v1, j1 = val, j
                    else:
                        v2, j2 = val, j
                else:
                    v3 = val
        e1 = base + j1 if j1 >= 0 else -1
        e2 = base + j2 if j2 >= 0 else -1
    else:
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            val = gains[e] - prices[j]
            if val > v3:
                if val > v2:
                    v3 = v2
                    if val > v1:
                        v2, j2, e2 = v1, j1, e1
                        v1, j1, e1 = val, j, e
                    else:
                        v2, j2, e2 = val, j, e
                else:
                    v3 = val
    return j1, e1, v1, j2, e2, v2, v3


@jit
def _best(i, n_o, dense, indptr, indices, gains, prices, cache, third, stats):  # pragma: no cover
    """Best object, its edge, best and second-best profit of bidder ``i``.

    Bertsekas' third-best test: prices only rise during forward phases, so every other object
    is still worth at most the third-best profit of the last scan; if both remembered objects
    still beat it, they are still the best two and the full scan is skipped.
    """
    j1 = cache[i, 0]
    if j1 >= 0:
        e1 = cache[i, 1]
        j2 = cache[i, 2]
        v1 = gains[e1] - prices[j1]
        if j2 < 0:
            return j1, e1, v1, NEG  # a single option
        e2 = cache[i, 3]
        v2 = gains[e2] - prices[j2]
        t = third[i]
        if v1 >= t and v2 >= t:
            if v1 >= v2:
                return j1, e1, v1, v2
            return j2, e2, v2, v1
    stats[3] += 1
    j1, e1, v1, j2, e2, v2, v3 = _scan3(i, n_o, dense, indptr, indices, gains, prices)
    cache[i, 0] = j1
    cache[i, 1] = e1
    cache[i, 2] = j2
    cache[i, 3] = e2
    third[i] = v3
    return j1, e1, v1, v2


@jit
def _drop_free_prices(n_o, prices, owner, optout, price_limit, cache):  # pragma: no cover
    """Lower unassigned prices to the floor lam before a phase.

    Prices of objects won in earlier phases and since released would otherwise stay high and
    leave a long reverse clean-up; any prices are valid at a phase start because the phase
    re-checks every kept assignment. Lower prices void the third-best caches.
    """
    lam = 0
    if not optout:
        lam = price_limit
        for j in range(n_o):
            if owner[j] != FREE and prices[j] < lam:
                lam = prices[j]
    dropped = False
    for j in range(n_o):
        if owner[j] == FREE and prices[j] > lam:
            prices[j] = lam
            dropped = True
    if dropped:
        cache[:, 0] = -1


@jit
def _forward(
    n_b, n_o, dense, indptr, indices, gains, prices, owner, assigned, aedge, profit,
    optout, eps, big, price_limit, max_bids, queue, cache, third, counters,
):  # pragma: no cover  # fmt: skip
    """One Gauss-Seidel forward phase at ``eps``; keeps the assignments still eps-optimal."""
    _drop_free_prices(n_o, prices, owner, optout, price_limit, cache)
    count = 0
    tail = 0
    for i in range(n_b):
        a = assigned[i]
        if a == FREE:
            queue[tail] = i
            tail += 1
            count += 1
            continue
        if dense or indptr[i + 1] - indptr[i] > CACHE_DEGREE:
            v1 = _best(i, n_o, dense, indptr, indices, gains, prices, cache, third, counters)[2]
        else:
            v1 = _scan(i, n_o, dense, indptr, indices, gains, prices)[2]
        if a == OUT:
            stale = v1 > eps
        else:
            top = v1 if not optout or v1 > 0 else 0
            stale = profit[i] < top - eps
        if stale:
            if a >= 0:
                owner[a] = FREE
            assigned[i] = FREE
            queue[tail] = i
            tail += 1
            count += 1
    tail = tail % n_b if n_b else 0
    head = 0
    bids = counters[0]  # a local counter: the array store per bid is measurable
    while count > 0:
        i = queue[head]
        head = head + 1 if head + 1 < n_b else 0
        count -= 1
        if dense or indptr[i + 1] - indptr[i] > CACHE_DEGREE:
            j, e, v1, v2 = _best(
                i, n_o, dense, indptr, indices, gains, prices, cache, third, counters
            )
        else:
            j, e, v1, v2 = _scan(i, n_o, dense, indptr, indices, gains, prices)
        bids += 1
        if bids == max_bids:
            counters[0] = bids
            return BUDGET
        if j < 0 or (optout and v1 <= eps):
            if not optout:
                counters[0] = bids
                return NO_EDGE
            assigned[i] = OUT
            profit[i] = 0
            continue
        if optout:
            # Profit left after the bid: the runner-up (or staying out, 0) less epsilon,
            # never below 0 so that staying out never becomes strictly better.
            keep = v2 - eps
            if keep < 0:
                keep = 0
        elif v2 == NEG:
            keep = v1 - big  # a single option: any raise >= eps is valid, a large one ends wars
        else:
            keep = v2 - eps
        new_price = gains[e] - keep
        if new_price > price_limit:
            counters[0] = bids
            return PRICE_LIMIT
        prices[j] = new_price
        prev = owner[j]
        if prev >= 0:
            assigned[prev] = FREE
            queue[tail] = prev
            tail = tail + 1 if tail + 1 < n_b else 0
            count += 1
        owner[j] = i
        assigned[i] = j
        aedge[i] = e
        profit[i] = keep
    counters[0] = bids
    return OK


@jit
def _reverse(
    n_b, n_o, dense, t_ptr, t_bidder, t_edge, t_gains, gains, prices, owner, assigned, aedge,
    profit, lam, eps, stack, counters,
):  # pragma: no cover  # fmt: skip
    """Reverse auction (Bertsekas & Castanon): unassigned objects priced above ``lam`` bid for
    bidders until every unassigned price is at most ``lam``; keeps eps-complementary slackness.
    """
    top = 0
    for j in range(n_o):
        if owner[j] == FREE and prices[j] > lam:
            stack[top] = j
            top += 1
    while top > 0:
        top -= 1
        j = stack[top]
        best = NEG
        second = NEG
        best_i = -1
        best_e = -1
        if dense:
            base = j * n_b  # t_gains is the transposed matrix: column j is contiguous
            for i in range(n_b):
                val = t_gains[base + i] - profit[i]
                if val > second:
                    if val > best:
                        second = best
                        best = val
                        best_i = i
                    else:
                        second = val
            best_e = best_i * n_o + j
        else:
            for t in range(t_ptr[j], t_ptr[j + 1]):
                i = t_bidder[t]
                e = t_edge[t]
                val = gains[e] - profit[i]
                if val > second:
                    if val > best:
                        second = best
                        best = val
                        best_i = i
                        best_e = e
                    else:
                        second = val
        counters[1] += 1
        if best <= lam + eps:
            prices[j] = lam
            continue
        new_price = second - eps
        if new_price < lam:
            new_price = lam
        prices[j] = new_price
        k = assigned[best_i]
        owner[j] = best_i
        assigned[best_i] = j
        aedge[best_i] = best_e
        profit[best_i] = gains[best_e] - new_price
        if k >= 0:
            owner[k] = FREE
            if prices[k] > lam:
                stack[top] = k
                top += 1


@jit
def auction(
    n_b, n_o, dense, indptr, indices, gains, t_ptr, t_bidder, t_edge, t_gains, optout,
    eps0, factor, big, price_limit, max_bids, prices, assigned, aedge, counters,
):  # pragma: no cover  # fmt: skip
    """Epsilon-scaling forward auction down to eps = 1, then a reverse clean-up.

    Fills ``prices`` (object duals, not yet shifted), ``assigned`` (object, FREE or OUT per
    bidder) and ``aedge`` (edge of each assignment). ``counters``: bids, reverse steps, phases.
    ``max_bids`` > 0 stops with BUDGET after that many bids (the caller then checks
    feasibility). Returns ``(code, lam)``: a status code and the price floor lam.
    """
    owner = np.full(n_o, FREE, dtype=np.int64)
    profit = np.zeros(n_b, dtype=np.int64)
    queue = np.empty(max(n_b, 1), dtype=np.int64)
    cache = np.full((n_b, 4), -1, dtype=np.int64)
    third = np.zeros(n_b, dtype=np.int64)
    eps = eps0
    while True:
        counters[2] += 1
        code = _forward(
            n_b, n_o, dense, indptr, indices, gains, prices, owner, assigned, aedge, profit,
            optout, eps, big, price_limit, max_bids, queue, cache, third, counters,
        )  # fmt: skip
        if code != OK:
            return code, 0
        if eps <= 1:
            break
        eps = max(1, eps // factor)
    lam = 0
    if not optout:
        # Asymmetric condition: unassigned prices <= lam <= assigned prices.
        lam = price_limit
        for j in range(n_o):
            if owner[j] != FREE and prices[j] < lam:
                lam = prices[j]
        if lam == price_limit:
            lam = 0
    stack = np.empty(max(n_o, 1), dtype=np.int64)
    _reverse(
        n_b, n_o, dense, t_ptr, t_bidder, t_edge, t_gains, gains, prices, owner, assigned,
        aedge, profit, lam, 1, stack, counters,
    )  # fmt: skip
    return OK, lam


@jit
def best_profits(n_b, n_o, dense, indptr, indices, gains, prices, floor):  # pragma: no cover
    """``max(floor, max_j gains[i, j] - prices[j])`` for every bidder (its exact dual)."""
    out = np.empty(n_b, dtype=np.int64)
    for i in range(n_b):
        v1 = _scan(i, n_o, dense, indptr, indices, gains, prices)[2]
        out[i] = v1 if v1 > floor else floor
    return out


@jit
def group_by(keys, n):  # pragma: no cover
    """Counting sort: ``ptr`` (n + 1 offsets) and the stable ``order`` grouping ``keys``."""
    ptr = np.zeros(n + 1, dtype=np.int64)
    for e in range(len(keys)):
        ptr[keys[e] + 1] += 1
    for k in range(n):
        ptr[k + 1] += ptr[k]
    fill = ptr[:-1].copy()
    order = np.empty(len(keys), dtype=np.int64)
    for e in range(len(keys)):
        k = keys[e]
        order[fill[k]] = e
        fill[k] += 1
    return ptr, order
