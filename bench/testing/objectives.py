"""The objective suite (:class:`gigbench.market.objective.Objective`).

An objective weighs a batch's candidate edges: named terms, each an integer array with one
weight per edge (exact solvers prove optimality in integers), also for a batch without edges;
the same edges weigh the same; it writes none of the arrays it is handed; its weights on a
city-sized batch leave the tie-break room the matching stage needs
(:data:`gigbench.sim.match.WEIGHT_ROOM`), so exact solvers stay exact; a day matched on its
weights keeps its books.
"""

from __future__ import annotations

import numpy as np

from gigbench.market.objective import EdgeContext, total
from gigbench.sim.match import WEIGHT_ROOM
from gigbench.testing.common import CLASS_CHECKS, expect_same_arrays, expect_untouched, snapshot
from gigbench.testing.core import Check, Failed, Subject
from gigbench.testing.market import MARKETS, expect_sound_day, simulate_with

__all__ = ["CHECKS", "edges"]

# A busy city batch: this many idle workers and open tasks, every pair a candidate.
ROWS = COLS = 300


def edges(n: int, seed: int = 5) -> EdgeContext:
    """``n`` candidate edges with the figures of a city's batch (currency units of USD size:
    trips of 1-30 km, fares of 5-120; lags in [0, 1])."""
    rng = np.random.default_rng(seed)
    trip_km = rng.uniform(1.0, 30.0, n)
    pay = rng.uniform(5.0, 120.0, n)
    return EdgeContext(
        pickup_km=rng.uniform(0.0, 3.0, n),
        pickup_min=rng.uniform(0.0, 12.0, n),
        trip_km=trip_km,
        trip_min=trip_km * rng.uniform(1.5, 4.0, n),
        value=pay * rng.uniform(1.0, 2.0, n),
        worker_cost=0.3 * trip_km,
        worker_pay=0.8 * pay,
        platform_revenue=0.2 * pay,
        lag=rng.uniform(0.0, 1.0, n),
        radius_km=3.0,
    )


def _integer_terms(subject: Subject) -> None:
    """Named integer terms, one weight per edge, for 0, 1 and 50 edges."""
    objective = subject.build()
    for n in (0, 1, 50):
        terms = objective.weigh(edges(n))
        if not isinstance(terms, dict) or not terms:
            raise Failed("a dict of named terms (at least one)", repr(terms))
        for key, weights in terms.items():
            weights = np.asarray(weights)
            if not isinstance(key, str) or weights.shape != (n,):
                raise Failed(f"term names -> arrays of shape ({n},)", f"{key!r}: {weights.shape}")
            if weights.dtype.kind not in "iu":
                raise Failed(f"integer weights in term {key!r}", str(weights.dtype))
    if not isinstance(objective.needs_lag(), bool):
        raise Failed("needs_lag() -> bool", repr(objective.needs_lag()))


def _deterministic(subject: Subject) -> None:
    """The same edges weigh the same, in a fresh objective or again in the same one."""
    objective = subject.build()
    first = objective.weigh(edges(50))
    expect_same_arrays("terms", first, objective.weigh(edges(50)))
    expect_same_arrays("terms", first, subject.build().weigh(edges(50)))


def _inputs_untouched(subject: Subject) -> None:
    """Weighing writes none of the edge arrays."""
    ctx = edges(50)
    before = snapshot(ctx)
    subject.build().weigh(ctx)
    expect_untouched(before, ctx)


def _weights_leave_room(subject: Subject) -> None:
    """On a 300 x 300 batch, ``(max|w| + 1) * pairs * (rows + cols + 2) <= 2**50``: the
    matching stage's tie-break then fits (:func:`gigbench.sim.match.tie_range_for`)."""
    weights = total(subject.build().weigh(edges(ROWS * COLS)))
    w_max = int(np.abs(weights).max(initial=0))
    need = (w_max + 1) * min(ROWS, COLS) * (ROWS + COLS + 2)
    if need > WEIGHT_ROOM:
        raise Failed(f"max |weight| <= {WEIGHT_ROOM // (ROWS * (ROWS + COLS + 2))}", str(w_max))


def _simulated_day(market: str):
    def check(subject: Subject) -> None:
        expect_sound_day(simulate_with(subject, market))

    check.__doc__ = f"A {market!r} day matched on the objective's weights keeps its books."
    return check


CHECKS = [
    *CLASS_CHECKS,
    Check("integer_terms", _integer_terms),
    Check("deterministic", _deterministic),
    Check("inputs_untouched", _inputs_untouched),
    Check("weights_leave_room", _weights_leave_room),
    *(Check("simulated_day", _simulated_day(market), market) for market in MARKETS),
]
