"""The supply suite (:class:`gigbench.market.supply.SupplyPolicy`).

Bound to a pool of workers, a policy says each day when every worker is online and learns from
what the day paid: shifts for the whole pool, finite, online from 0 on; asked twice for a day,
or by a fresh policy fed the same days, the same shifts (draws are seeded by the pool's seed and
the day); a pool of at least the fleet it is asked for; figures that are finite numbers. Three
simulated days with it keep their books.
"""

from __future__ import annotations

import math

import numpy as np

from gigbench.market.supply import DayEarnings, Pool, Shifts
from gigbench.testing.common import CLASS_CHECKS, expect_same_arrays, expect_untouched, snapshot
from gigbench.testing.core import Check, Failed, Subject
from gigbench.testing.market import expect_sound_day, simulate_with

__all__ = ["CHECKS", "DAYS", "pool"]

DAYS = 5


def pool(n: int = 40, seed: int = 17) -> Pool:
    """``n`` workers with planned shifts of 2-10 hours in a day and reservation wages of 10-30
    per hour."""
    rng = np.random.default_rng(seed)
    online = rng.uniform(0.0, 14.0, n) * 3600.0
    offline = online + rng.uniform(2.0, 10.0, n) * 3600.0
    return Pool(Shifts(online, offline), rng.uniform(10.0, 30.0, n), seed)


def earnings(day: int, shifts: Shifts) -> DayEarnings:
    """What a day paid: 12-40 per online hour to those who worked."""
    hours = shifts.hours
    rng = np.random.default_rng(100 + day)
    return DayEarnings(hours, hours * rng.uniform(12.0, 40.0, len(hours)))


def _days(subject: Subject, the_pool: Pool) -> list[Shifts]:
    policy = subject.build()
    policy.bind(the_pool)
    out = []
    for day in range(DAYS):
        shifts = policy.day(day)
        out.append(shifts)
        policy.learn(day, earnings(day, shifts))
    return out


def _valid_shifts(subject: Subject) -> None:
    """Every day: online and offline times for every worker of the pool, finite, online >= 0;
    its figures are finite numbers."""
    the_pool = pool()
    policy = subject.build()
    policy.bind(the_pool)
    for day in range(DAYS):
        shifts = policy.day(day)
        for part in ("online", "offline"):
            values = np.asarray(getattr(shifts, part))
            if values.shape != (len(the_pool),) or not np.isfinite(values).all():
                raise Failed(f"{len(the_pool)} finite {part} times on day {day}", str(values))
        if (np.asarray(shifts.online) < 0).any():
            raise Failed(f"online times >= 0 on day {day}", str(shifts.online))
        policy.learn(day, earnings(day, shifts))
        figures = policy.figures()
        bad = {k: v for k, v in figures.items() if not isinstance(k, str) or not _number(v)}
        if not isinstance(figures, dict) or bad:
            raise Failed("figures: names -> finite numbers", repr(bad or figures))


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _reproducible(subject: Subject) -> None:
    """A day asked twice, or by a fresh policy fed the same days, has the same shifts."""
    first, second = _days(subject, pool()), _days(subject, pool())
    for day, (a, b) in enumerate(zip(first, second, strict=True)):
        expect_same_arrays(f"day {day}'s online times", a.online, b.online)
        expect_same_arrays(f"day {day}'s offline times", a.offline, b.offline)
    policy = subject.build()
    policy.bind(pool())
    expect_same_arrays("day 3's shifts asked twice", policy.day(3).online, policy.day(3).online)


def _pool_size(subject: Subject) -> None:
    """The pool it needs for a fleet is a whole number of workers, at least the fleet."""
    policy = subject.build()
    for fleet in (0, 1, 12, 500):
        size = policy.pool_size(fleet)
        if not isinstance(size, int | np.integer) or size < fleet:
            raise Failed(f"a whole number >= {fleet} for a fleet of {fleet}", repr(size))


def _inputs_untouched(subject: Subject) -> None:
    """Binding, deciding and learning write none of the pool's or the earnings' arrays."""
    the_pool = pool()
    policy = subject.build()
    before = snapshot(the_pool)
    policy.bind(the_pool)
    paid = earnings(0, policy.day(0))
    kept = snapshot(paid)
    policy.learn(0, paid)
    policy.day(1)
    expect_untouched(before, the_pool)
    expect_untouched(kept, paid)


def _simulated_days(subject: Subject) -> None:
    """Three city days with the policy keep their books."""
    expect_sound_day(simulate_with(subject, "city", days=3), days=3)


CHECKS = [
    *CLASS_CHECKS,
    Check("valid_shifts", _valid_shifts),
    Check("reproducible", _reproducible),
    Check("pool_size", _pool_size),
    Check("inputs_untouched", _inputs_untouched),
    Check("simulated_days", _simulated_days),
]
