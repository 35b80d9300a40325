"""The pay-rule suite (:class:`gigbench.market.pay_rule.PayRule`).

A rule puts a floor under each trip's worker pay: one floor per trip, finite and >= 0, also for
no trips; the same trips get the same floors; it writes none of the arrays it is handed. In a
simulated day every served trip pays its worker at least the rule's floor (the platform tops the
commission split up to it) and the day keeps its books.
"""

from __future__ import annotations

import numpy as np

from gigbench.testing.common import CLASS_CHECKS, expect_same_arrays, expect_untouched, snapshot
from gigbench.testing.core import Check, Failed, Subject
from gigbench.testing.market import expect_sound_day, simulate_with

__all__ = ["CHECKS", "trips"]


def trips(n: int, seed: int = 19) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` trips' fares (3-120), distances (0.5-40 km) and durations (2-90 minutes)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(3.0, 120.0, n), rng.uniform(0.5, 40.0, n), rng.uniform(2.0, 90.0, n)


def _valid_floors(subject: Subject) -> None:
    """One finite floor >= 0 per trip, for 0, 1 and 50 trips."""
    rule = subject.build()
    for n in (0, 1, 50):
        floor = np.asarray(rule.floor(*trips(n)))
        if floor.shape != (n,):
            raise Failed(f"floors of shape ({n},)", str(floor.shape))
        if not (np.isfinite(floor).all() and (floor >= 0).all()):
            raise Failed("every floor finite and >= 0", str(floor))


def _deterministic(subject: Subject) -> None:
    """The same trips get the same floors, from a fresh rule or the same one again."""
    rule = subject.build()
    first = rule.floor(*trips(50))
    expect_same_arrays("floors", first, rule.floor(*trips(50)))
    expect_same_arrays("floors", first, subject.build().floor(*trips(50)))


def _inputs_untouched(subject: Subject) -> None:
    """Flooring writes none of the fares, distances or durations."""
    arrays = trips(50)
    before = snapshot(*arrays)
    subject.build().floor(*arrays)
    expect_untouched(before, *arrays)


def _floor_paid(subject: Subject) -> None:
    """A simulated city day pays every served trip's worker at least the floor."""
    result = simulate_with(subject, "city")
    expect_sound_day(result)
    log = result.tables["trips"]
    served = np.asarray(log.column("served").to_numpy(zero_copy_only=False), dtype=bool)

    def col(name: str) -> np.ndarray:
        return np.asarray(log.column(name).to_numpy(zero_copy_only=False), dtype=float)[served]

    floor = subject.build().floor(col("fare"), col("trip_km"), col("trip_min"))
    short = floor - col("worker_pay")
    if (short > 1e-9).any():
        raise Failed("worker pay >= the rule's floor on every served trip", f"{short.max()} short")


CHECKS = [
    *CLASS_CHECKS,
    Check("valid_floors", _valid_floors),
    Check("deterministic", _deterministic),
    Check("inputs_untouched", _inputs_untouched),
    Check("floor_paid", _floor_paid),
]
