"""The pricing suite (:class:`gigbench.market.pricing.PricingPolicy`).

A policy is bound to a day's tasks, then quotes batch after batch. Its quotes have one fare and
one multiplier per open task, finite and >= 0, also for an empty batch and a batch without an
idle worker; the value it asks the matching to weigh is finite and >= 0 per task; fed the same
batches, two fresh policies quote the same (its state may depend on what it saw, never on
anything else); it writes none of the arrays it is handed. In the closed loop, on a city day
and a freelance day, no rider pays above their willingness to pay and no worker below their
cost (:func:`gigbench.testing.market.expect_sound_day`).
"""

from __future__ import annotations

import numpy as np

from gigbench.market.context import QuoteView
from gigbench.testing.common import CLASS_CHECKS, expect_same_arrays, expect_untouched, snapshot
from gigbench.testing.core import Check, Failed, Subject
from gigbench.testing.market import MARKETS, context, expect_sound_day, scenario, simulate_with

__all__ = ["CHECKS", "views"]


def views(market: str) -> list[QuoteView]:
    """Eight batches of ``market``: open tasks (a random subset, sometimes none), idle workers
    (anywhere in the city, with skills in a freelance market; sometimes none)."""
    rng = np.random.default_rng(11)
    day = scenario(market)
    n = day.n_tasks
    plane = day.info.geography
    size = np.zeros(2) if plane is None else np.array([plane.width_km, plane.height_km])
    skills = day.workers.column("skills").to_numpy()
    out = []
    for number in range(8):
        n_open = 0 if number == 2 else int(rng.integers(1, min(n, 25) + 1))
        n_idle = 0 if number in (2, 5) else int(rng.integers(1, 10))
        task = np.sort(rng.choice(n, size=n_open, replace=False)).astype(np.int64)
        idle_xy = rng.uniform(0.0, 1.0, (n_idle, 2)) * size
        idle_skills = rng.choice(skills, size=n_idle)
        out.append(QuoteView(60.0 * (number + 1), task, idle_xy, idle_skills))
    return out


def _quotes(subject: Subject, market: str) -> list:
    policy = subject.build()
    policy.bind(context(market))
    return [policy.quote(view) for view in views(market)]


def _valid_quotes(market: str):
    def check(subject: Subject) -> None:
        policy = subject.build()
        policy.bind(context(market))
        for number, view in enumerate(views(market)):
            quote = policy.quote(view)
            n = len(view.task)
            for part in ("fare", "multiplier"):
                values = np.asarray(getattr(quote, part))
                if values.shape != (n,):
                    raise Failed(f"{part} of shape ({n},) in batch {number}", str(values.shape))
                if not (np.isfinite(values).all() and (values >= 0).all()):
                    raise Failed(f"every {part} finite and >= 0 in batch {number}", str(values))
            value = np.asarray(policy.matching_value(view.task))
            if value.shape != (n,) or not (np.isfinite(value).all() and (value >= 0).all()):
                raise Failed(f"{n} matching values, finite and >= 0", str(value))

    check.__doc__ = f"Quotes on {market!r} batches have the right shape and sane values."
    return check


def _deterministic(subject: Subject) -> None:
    """Two fresh policies fed the same batches quote the same."""
    for first, second in zip(_quotes(subject, "city"), _quotes(subject, "city"), strict=True):
        expect_same_arrays("fares", first.fare, second.fare)
        expect_same_arrays("multipliers", first.multiplier, second.multiplier)


def _inputs_untouched(subject: Subject) -> None:
    """Binding and quoting write none of the context's or the views' arrays."""
    ctx, batches = context("city"), views("city")
    before = snapshot(ctx, *batches)
    policy = subject.build()
    policy.bind(ctx)
    for view in batches:
        policy.quote(view)
    expect_untouched(before, ctx, *batches)


def _simulated_day(market: str):
    def check(subject: Subject) -> None:
        expect_sound_day(simulate_with(subject, market))

    check.__doc__ = f"A {market!r} day priced by the policy keeps its books."
    return check


CHECKS = [
    *CLASS_CHECKS,
    *(Check("valid_quotes", _valid_quotes(market), market) for market in MARKETS),
    Check("deterministic", _deterministic),
    Check("inputs_untouched", _inputs_untouched),
    *(Check("simulated_day", _simulated_day(market), market) for market in MARKETS),
]
