"""Minimum-pay rules: the TLC floors at their published rates, the commission cap, who pays
the top-up, and bad settings."""

from __future__ import annotations

import numpy as np
import pytest
from market_fixtures import market, task_rows, worker_rows
from over_seeds import describe, falls, rises

from gigbench.market.fares import Commission
from gigbench.market.pay_rule import PAY_RULES
from gigbench.market.pay_rule.base import apply_floor
from gigbench.market.plugin import build
from gigbench.sim import SimSpec, simulate
from gigbench.sim.config import Settings
from gigbench.solvers import get_solver
from gigbench.solvers.registry import ParamsError, UnknownNameError

MILE = 1.609344


@pytest.mark.parametrize(
    ("rule", "expected"),
    # The TLC's reference trip, 7.5 miles in 30 minutes: 1.088 x 7.5 + 0.495 x 30 = 23.01 (2019)
    # and 1.360 x 7.5 + 0.583 x 30 = 27.69 (2024).
    [("nyc_tlc_2019", 23.01), ("nyc_tlc_2024", 27.69), ("none", 0.0)],
)
def test_nyc_floor_of_the_reference_trip(rule, expected) -> None:
    floor = build(PAY_RULES, {"name": rule}).floor(np.array([5.0]), np.array([7.5 * MILE]),
                                                   np.array([30.0]))  # fmt: skip
    assert floor[0] == pytest.approx(expected, abs=1e-9)


def test_top_up_comes_out_of_the_commission_then_the_fee() -> None:
    money = Commission(0.15, 0.05).split(np.array([100.0, 100.0, 100.0]))
    # Floors: below the pay (nothing), inside the commission, beyond commission and fee.
    topped = apply_floor(money, np.array([50.0, 90.0, 130.0]))
    assert topped["worker_pay"].tolist() == [80.0, 90.0, 130.0]
    assert topped["pay_topup"].tolist() == [0.0, 10.0, 50.0]
    assert np.allclose(topped["commission"], [15.0, 5.0, 0.0])
    # The last trip's floor is above the whole fare: the platform books a loss of 30.
    assert np.allclose(topped["fee"], [5.0, 5.0, -30.0])
    parts = topped["commission"] + topped["fee"] + topped["worker_pay"]
    assert np.allclose(parts, 100.0)


def test_commission_cap_limits_the_platform_share() -> None:
    money = Commission(0.25).split(np.array([40.0]))
    capped = apply_floor(money, build(PAY_RULES, {"name": "commission_cap", "cap": 0.2}).floor(
        np.array([40.0]), np.ones(1), np.ones(1)))  # fmt: skip
    assert capped["worker_pay"][0] == pytest.approx(32.0)
    assert capped["commission"][0] == pytest.approx(8.0)


def _slow_short_trips(seed: int, rule: str):
    """A day of twelve slow short trips (1.5 km in 20 minutes) and four workers placed by
    ``seed``, on the NYC meter with a 20% commission, under the pay rule ``rule``."""
    rng = np.random.default_rng(seed)
    n = 12
    tasks = task_rows(request_time=np.sort(rng.uniform(0, 3000, n)), origin_x=rng.uniform(0, 2, n),
                      distance_km=np.full(n, 1.5), duration_min=np.full(n, 20.0),
                      value=np.full(n, 60.0))  # fmt: skip
    scenario = market(tasks, worker_rows(start_x=rng.uniform(0, 2, 4), reservation_wage=[5] * 4))
    settings = Settings(radius_km=5.0, detour=1.0, cost_per_km=0.3)
    return simulate(scenario, get_solver("hungarian"), SimSpec.of(settings, pay_rule=rule))


def test_simulated_trips_never_pay_below_the_floor() -> None:
    """Pay 10.61 a trip against a 2024 floor of 12.93, which the platform tops up."""
    result = _slow_short_trips(4, "nyc_tlc_2024")
    trips = result.tables["trips"].to_pandas()
    served = trips[trips.served]
    floor = 1.360 * served["trip_km"] / MILE + 0.583 * served["trip_min"]
    assert len(served) > 0 and (served["worker_pay"] >= floor - 1e-9).all()
    assert (served["pay_topup"] > 0).any()
    assert result.metrics["pay_topup"] == pytest.approx(served["pay_topup"].sum())


def test_the_floor_moves_money_from_the_platform_to_the_workers() -> None:
    """Same demand with and without the 2024 floor, eight seeds: platform revenue falls and the
    drivers' share of fares rises (95% intervals of the mean paired difference)."""
    runs = {rule: [_slow_short_trips(seed, rule).metrics for seed in range(8)]
            for rule in ("none", "nyc_tlc_2024")}  # fmt: skip
    for figure, claim in (("platform_revenue", falls), ("driver_pay_share", rises)):
        ruled, free = ([m[figure] for m in runs[rule]] for rule in ("nyc_tlc_2024", "none"))
        assert claim(ruled, free), describe(figure, ruled, free)


@pytest.mark.parametrize(
    ("node", "error", "message"),
    [
        ({"name": "commission_cap", "cap": 1.0}, ParamsError, r"pay_rule\.cap: expected a share"),
        ({"name": "commission_cap", "cap": -0.1}, ParamsError, r"pay_rule\.cap: expected a share"),
        ({"name": "nyc_tlc_2030"}, UnknownNameError, "valid pay_rule names are: commission_cap"),
        ({"name": "nyc_tlc_2019", "per_mile": 2.0}, TypeError, "unknown parameter"),
    ],
)
def test_bad_pay_rules(node, error, message) -> None:
    with pytest.raises(error, match=message):
        build(PAY_RULES, node)
