"""Small markets the market suites run plugins on, and what any simulated day must show.

Two seeded days: ``city`` (ride-hailing on a plane, from the ``city`` generator) and
``freelance`` (skills, no geography). A plugin is checked on its own (its methods on the
scenario's arrays) and inside the closed loop (:func:`simulate_with`): whatever the plugin
decides, a day keeps its books (:func:`expect_sound_day`).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import numpy as np

from gigbench.instances import Scenario, generate
from gigbench.market.context import MarketContext
from gigbench.market.kind import MARKET_KINDS
from gigbench.market.plugin import build
from gigbench.sim import SimSpec, SimulationResult, simulate
from gigbench.sim.config import Settings
from gigbench.sim.state import TaskArrays
from gigbench.solvers import get_solver
from gigbench.testing.core import Failed, Subject

__all__ = ["MARKETS", "context", "context_of", "expect_sound_day", "scenario", "simulate_with"]

# Small enough for a day in a fraction of a second, large enough for queues to form.
MARKETS = {
    "city": {"n_tasks": 150, "n_workers": 12, "horizon_h": 1.0},
    "freelance": {"n_tasks": 60, "n_workers": 12, "horizon_h": 6.0},
}
SETTINGS = Settings(interval_s=60.0, k=4, radius_km=4.0, detour=1.3, cost_per_km=0.3)
SEED = 3


@functools.cache
def scenario(market: str) -> Scenario:
    """The seeded day of ``market`` (a key of :data:`MARKETS`)."""
    return generate(market, MARKETS[market], seed=SEED)


def context_of(day_scenario: Scenario, day: int = 0, interval_s: float = 60.0) -> MarketContext:
    """What a market plugin is bound to on a scenario's day: its tasks as arrays and its
    market kind, bound to them (as the simulation binds it)."""
    tasks = TaskArrays(day_scenario.tasks)
    ctx = MarketContext(
        info=day_scenario.info,
        kind=build(MARKET_KINDS, {"name": day_scenario.info.market}),
        trip_km=tasks.km,
        trip_min=tasks.minutes,
        value=tasks.value,
        origin_xy=tasks.origin,
        dest_xy=tasks.dest,
        skill=tasks.skill,
        observed_fare=tasks.observed_fare,
        interval_s=interval_s,
        day=day,
    )
    ctx.kind.bind(ctx)
    return ctx


def context(market: str, day: int = 0) -> MarketContext:
    """What a market plugin is bound to on ``market``'s day (a key of :data:`MARKETS`)."""
    return context_of(scenario(market), day, SETTINGS.interval_s)


def simulate_with(subject: Subject, market: str = "city", days: int = 1) -> SimulationResult:
    """A day (or ``days``) of ``market`` with the subject as its plugin of its kind, the other
    stages at their defaults, matched by ``hungarian`` (exact: any pricing policy's needs)."""
    parts: dict[str, Any] = {subject.kind: {"name": subject.name, **subject.params}}
    if subject.kind == "pricing":
        needs = subject.build().requires()
        if needs:
            parts["objective"] = needs
    settings = dataclasses.replace(SETTINGS, days=days)
    return simulate(scenario(market), get_solver("hungarian"), SimSpec.of(settings, **parts))


def expect_sound_day(result: SimulationResult, days: int = 1) -> None:
    """The books of a simulated day: fares finite and >= 0; no rider charged above their
    willingness to pay (to the cent) and no worker paid below the cost they accepted the job
    at; every request served at most once; job slots busy at most while online."""
    trips = result.tables["trips"]
    served = np.asarray(trips.column("served").to_numpy(zero_copy_only=False), dtype=bool)

    def col(name: str) -> np.ndarray:
        return np.asarray(trips.column(name).to_numpy(zero_copy_only=False), dtype=float)[served]

    fare, pay, cost = col("fare"), col("worker_pay"), col("worker_cost")
    if not (np.isfinite(fare).all() and (fare >= 0).all()):
        raise Failed("every served trip's fare finite and >= 0", f"{fare.min(initial=0)}")
    value = col("welfare") + cost  # the trip log's welfare is the rider's value less the cost
    over = fare - value
    if (over > 0.01).any():
        raise Failed("fares at most the rider's willingness to pay", f"{over.max():.2f} above it")
    short = cost - pay
    if (short > 1e-9).any():
        raise Failed("worker pay at least the job's cost", f"{short.max():.4f} below it")
    task = trips.column("task_id").to_numpy()[served]
    keys = task * (days + 1) + trips.column("day").to_numpy()[served]
    if len(np.unique(keys)) != len(keys):
        raise Failed("each request served at most once", "a request served twice")
    utilisation = result.metrics.get("utilisation", float("nan"))
    if utilisation > 1.0 + 1e-12:  # NaN when nobody was online
        raise Failed("utilisation (busy over online job slots) <= 1", f"{utilisation}")
