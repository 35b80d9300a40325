"""Scenario pairs the literature measured, at a reduced size (docs/measured/market.md: Scenarios
the literature measured; the full-size experiments are configs/experiment/pay_rule.yaml and
wild_goose_chase.yaml). Each pair is compared on the same demand for five seeds, as
tests/over_seeds.py states: slow (about 100 s of one core)."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from over_seeds import describe, falls, rises

from gigbench.harness.calibrate import simulate_preset

pytestmark = pytest.mark.slow
SEEDS = range(5)

MILE_KM = 1.609344
# configs/experiment/wild_goose_chase.yaml at 6,000 requests (the fleet scales with them).
WILD_GOOSE = (
    "instance.n_tasks=6000",
    "instance.supply_ratio=0.7",
    "instance.patience_mean_s=180",
    "solver=greedy",
    "solver.strategy=nearest",
    "objective=pickup",
    "reposition=none",
)


@functools.cache
def day(*overrides: str):
    """One simulated nyc day per set of overrides."""
    return simulate_preset("nyc", list(overrides))


def days(*overrides: str) -> list:
    """The nyc day of each seed under ``overrides``."""
    return [day(*overrides, f"instance.seed={seed}") for seed in SEEDS]


def trips_per_hour(*overrides: str) -> list[float]:
    return [m.metrics["match_rate"] * m.metrics["requests"] / 24.0 for m in days(*overrides)]


def pickup_km(*overrides: str) -> list[float]:
    return [m.metrics["pickup_km_mean"] for m in days(*overrides)]


def test_the_2019_pay_rule_leaves_no_trip_below_its_floor() -> None:
    """Parrott and Reich (2018) and the TLC's minimum pay rule (1 February 2019: $1.088 a mile
    plus $0.495 a minute): under the rule every trip pays at least its floor, the platform
    pays the top-ups, and drivers earn more per hour on the same demand."""
    before = days("instance.n_tasks=4000")
    after = days("instance.n_tasks=4000", "pay_rule=nyc_tlc_2019")
    for ruled in after:
        trips = ruled.tables["trips"].to_pandas()
        served = trips[trips["served"]]
        floor = 1.088 * served["trip_km"] / MILE_KM + 0.495 * served["trip_min"]
        assert len(served) > 1000 and (served["worker_pay"] >= floor - 1e-9).all()
        assert ruled.metrics["topped_up_share"] > 0.2
    revenue = [[m.metrics["platform_revenue"] for m in runs] for runs in (after, before)]
    assert falls(*revenue), describe("platform_revenue", *revenue)
    hourly = [
        [np.median(m.workers()["hourly_after_costs"]) for m in runs] for runs in (after, before)
    ]
    assert rises(*hourly), describe("median hourly_after_costs", *hourly)


def test_wild_goose_chase_throughput_falls_with_the_dispatch_radius() -> None:
    """Castillo, Knoepfle and Weyl (EC 2017): with scarce supply and first dispatch, a wide
    dispatch radius sends drivers on long pickups and fewer trips are served per hour than
    with a radius cap (by more than 5%; pickups longer by more than half)."""
    near, far = (*WILD_GOOSE, "mode.radius_km=4"), (*WILD_GOOSE, "mode.radius_km=40")
    served = trips_per_hour(*far), [0.95 * t for t in trips_per_hour(*near)]
    assert falls(*served), describe("trips per hour: far vs 0.95 near", *served)
    pickups = pickup_km(*far), [1.5 * km for km in pickup_km(*near)]
    assert rises(*pickups), describe("pickup_km_mean: far vs 1.5 near", *pickups)


def test_a_city_wide_surge_recovers_part_of_the_chase() -> None:
    """Castillo, Knoepfle and Weyl (EC 2017): pricing the scarce market as one (the paper's
    single-market surge) shortens the chase's pickups and serves more trips per hour than the
    tariff at the same wide radius."""
    tariff = (*WILD_GOOSE, "mode.radius_km=40")
    surge = (*tariff, "pricing=surge_citywide")
    served = trips_per_hour(*surge), trips_per_hour(*tariff)
    assert rises(*served), describe("trips per hour", *served)
    pickups = pickup_km(*surge), pickup_km(*tariff)
    assert falls(*pickups), describe("pickup_km_mean", *pickups)
