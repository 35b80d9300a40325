"""Scenario pairs the literature measured, at a reduced size (docs/measured/market.md: Scenarios
the literature measured; the full-size experiments are configs/experiment/pay_rule.yaml and
wild_goose_chase.yaml)."""

from __future__ import annotations

import functools

import numpy as np

from gigbench.harness.calibrate import simulate_preset

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


def trips_per_hour(*overrides: str) -> float:
    m = day(*overrides).metrics
    return m["match_rate"] * m["requests"] / 24.0


def test_the_2019_pay_rule_leaves_no_trip_below_its_floor() -> None:
    """Parrott and Reich (2018) and the TLC's minimum pay rule (1 February 2019: $1.088 a mile
    plus $0.495 a minute): under the rule every trip pays at least its floor, the platform
    pays the top-ups, and drivers earn more per hour on the same demand."""
    before = day("instance.n_tasks=4000", "instance.seed=2")
    after = day("instance.n_tasks=4000", "instance.seed=2", "pay_rule=nyc_tlc_2019")
    trips = after.tables["trips"].to_pandas()
    served = trips[trips["served"]]
    floor = 1.088 * served["trip_km"] / MILE_KM + 0.495 * served["trip_min"]
    assert len(served) > 1000 and (served["worker_pay"] >= floor - 1e-9).all()
    assert after.metrics["topped_up_share"] > 0.2
    assert after.metrics["platform_revenue"] < before.metrics["platform_revenue"]
    assert np.median(after.workers()["hourly_after_costs"]) > np.median(
        before.workers()["hourly_after_costs"]
    )


def test_wild_goose_chase_throughput_falls_with_the_dispatch_radius() -> None:
    """Castillo, Knoepfle and Weyl (EC 2017): with scarce supply and first dispatch, a wide
    dispatch radius sends drivers on long pickups and fewer trips are served per hour than
    with a radius cap."""
    near, far = (*WILD_GOOSE, "mode.radius_km=4"), (*WILD_GOOSE, "mode.radius_km=40")
    assert trips_per_hour(*far) < 0.95 * trips_per_hour(*near)
    assert day(*far).metrics["pickup_km_mean"] > 1.5 * day(*near).metrics["pickup_km_mean"]


def test_a_city_wide_surge_recovers_part_of_the_chase() -> None:
    """Castillo, Knoepfle and Weyl (EC 2017): pricing the scarce market as one (the paper's
    single-market surge) shortens the chase's pickups and serves more trips per hour than the
    tariff at the same wide radius."""
    tariff = (*WILD_GOOSE, "mode.radius_km=40")
    surge = (*tariff, "pricing=surge_citywide")
    assert trips_per_hour(*surge) > trips_per_hour(*tariff)
    assert day(*surge).metrics["pickup_km_mean"] < day(*tariff).metrics["pickup_km_mean"]
