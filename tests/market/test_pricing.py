"""Pricing policies behave as their formulas say: fares, caps, smoothing, commission splits."""

from __future__ import annotations

import numpy as np
import pytest
from market_fixtures import context as market_context

from gigbench.errors import ConfigError
from gigbench.instances import TARIFFS, Tariff
from gigbench.market.context import QuoteView
from gigbench.market.fares import Commission
from gigbench.market.plugin import build
from gigbench.market.pricing import PRICING
from gigbench.solvers.registry import ParamsError, UnknownNameError, checked


def context(origin_x, **kw):
    """Tasks at ``(origin_x, 0)`` on a 4 x 2 km plane cut in two 2 km pricing zones."""
    return market_context(np.column_stack([origin_x, np.zeros(len(origin_x))]), **kw)


def view(tasks, idle_x) -> QuoteView:
    idle_xy = np.column_stack([idle_x, np.zeros(len(idle_x))])
    return QuoteView(0.0, np.asarray(tasks), idle_xy, np.full(len(idle_x), -1))


def test_tariff_formula_and_minimum_fare() -> None:
    tariff = Tariff(base_fare=3.0, per_km=2.0, per_min=0.5, min_fare=10.0)
    fares = tariff.fare(np.array([1.0, 5.0]), np.array([2.0, 10.0]), np.zeros(2))
    # 3 + 2 + 1 = 6 -> the minimum fare 10; 3 + 10 + 5 = 18.
    assert fares.tolist() == [10.0, 18.0]
    parts = tariff.parts(np.array([1.0, 5.0]), np.array([2.0, 10.0]), np.zeros(2))
    assert parts["minimum_topup"].tolist() == [4.0, 0.0]
    assert (sum(parts.values()) == fares).all()
    doubled = tariff.fare(np.array([1.0, 5.0]), np.array([2.0, 10.0]), np.zeros(2), scale=2.0)
    assert doubled.tolist() == [20.0, 36.0]


def test_jakarta_ojol_minimum_covers_the_first_4_km() -> None:
    ojol = TARIFFS["jakarta_ojol"]
    fares = ojol.fare(np.array([1.0, 4.0, 6.0]), np.zeros(3), np.zeros(3))
    assert fares.tolist() == [10200.0, 10200.0, 6 * 2550.0]
    ceiling = ojol.ceiling(np.array([1.0, 6.0]), np.zeros(2))
    assert ceiling.tolist() == [11200.0, 6 * 2800.0]


def test_commission_splits_sum_to_the_fare() -> None:
    fare = np.array([10.0, 40.0])
    flat = Commission(0.2).split(fare)
    assert flat["worker_pay"].tolist() == [8.0, 32.0] and flat["fee"].tolist() == [0.0, 0.0]
    jakarta = Commission(0.15, 0.05).split(fare)
    assert np.allclose(jakarta["commission"], [1.5, 6.0])
    assert np.allclose(jakarta["fee"], [0.5, 2.0])
    assert np.allclose(jakarta["commission"] + jakarta["fee"] + jakarta["worker_pay"], fare)
    with pytest.raises(ParamsError, match="summing below 1"):
        checked(Commission(0.9, 0.2))


def test_surge_counts_workers_in_their_own_zone() -> None:
    """Two pricing zones (x < 2 and x >= 2): three riders in zone 0, its only idle worker in
    zone 1. Counted in its own zone, the worker leaves zone 0 scarce: (3 + 1) / (0 + 1) = 4,
    raw = 1 + 0.5 * 3 = 2.5; zone 1 has no rider: (0 + 1) / (1 + 1) -> raw 1."""
    surge = build(PRICING, {"name": "surge", "sensitivity": 0.5, "smoothing": 1.0, "cap": 3.0})
    surge.bind(context([0.5, 0.6, 0.7, 3.0]))
    quote = surge.quote(view([0, 1, 2], idle_x=[3.5]))
    assert quote.multiplier.tolist() == [2.5, 2.5, 2.5]
    assert surge.state.tolist() == [2.5, 1.0]


def test_surge_fires_for_one_rider_and_no_idle_worker() -> None:
    surge = build(PRICING, {"name": "surge", "sensitivity": 0.5, "smoothing": 1.0})
    surge.bind(context([0.5]))
    # (1 + 1) / (0 + 1) = 2 -> 1 + 0.5 * 1 = 1.5
    assert surge.quote(view([0], idle_x=[])).multiplier.tolist() == [1.5]


def test_surge_smoothing_and_cap() -> None:
    smooth = build(PRICING, {"name": "surge", "sensitivity": 0.5, "smoothing": 0.5})
    smooth.bind(context([0.5, 0.5]))
    # (2 + 1) / (0 + 1) = 3 -> raw 2; smoothed from 1: 0.5 * 1 + 0.5 * 2 = 1.5, then 1.75.
    assert smooth.quote(view([0, 1], idle_x=[])).multiplier[0] == pytest.approx(1.5)
    assert smooth.quote(view([0, 1], idle_x=[])).multiplier[0] == pytest.approx(1.75)
    capped = build(PRICING, {"name": "surge", "sensitivity": 10.0, "smoothing": 1.0, "cap": 2.0})
    capped.bind(context([0.5] * 5))
    assert capped.quote(view(range(5), idle_x=[])).multiplier.max() == 2.0


def test_regulated_cap_uses_the_tariffs_ceiling() -> None:
    capped = build(PRICING, {"name": "surge", "regulated_cap": True, "sensitivity": 10.0})
    capped.bind(context([0.5] * 10, tariff=TARIFFS["jakarta_ojol"]))
    for _ in range(50):
        multiplier = capped.quote(view(range(10), idle_x=[])).multiplier
    assert multiplier.max() == pytest.approx(2800 / 2550)


def test_freelance_surge_counts_a_worker_in_every_skill_it_holds() -> None:
    surge = build(PRICING, {"name": "surge", "sensitivity": 1.0, "smoothing": 1.0})
    surge.bind(context([0.0, 0.0], plane=None, skill=np.array([1, 2])))
    # One idle worker with skills 1 and 2 (0b110): each skill has 1 task and 1 worker -> 1.
    quote = surge.quote(QuoteView(0.0, np.array([0, 1]), np.zeros((1, 2)), np.array([0b110])))
    assert quote.multiplier.tolist() == [1.0, 1.0]


def test_auto_preset_takes_the_scenario_tariff() -> None:
    policy = build(PRICING, {"name": "tariff"})
    tariff = Tariff(base_fare=1.0, per_km=1.0, per_km_max=1.0, commission=0.1)
    policy.bind(context([0.0], tariff=tariff))
    assert policy.base_fare.tolist() == [3.0]  # 1 + 1 x 2 km
    assert (policy.commission.rate, policy.commission.fee) == (0.1, 0.0)
    policy.bind(context([0.0], tariff=TARIFFS["jakarta_car"]))
    assert policy.tariff is TARIFFS["jakarta_car"]


def test_a_tariff_name_means_one_tariff() -> None:
    """``pricing.preset=<name>`` charges the scenario's own tariff when it has that name, and
    is refused (one line naming both) when the scenario charges another."""
    named = build(PRICING, {"name": "tariff", "preset": "nyc"})
    named.bind(context([0.0], tariff=TARIFFS["nyc"]))
    auto = build(PRICING, {"name": "tariff"})
    auto.bind(context([0.0], tariff=TARIFFS["nyc"]))
    assert named.base_fare.tolist() == auto.base_fare.tolist()
    with pytest.raises(ConfigError, match="charges its own tariff 'nyc_meter', not 'nyc'"):
        named.bind(context([0.0], tariff=TARIFFS["nyc_meter"]))
    own = Tariff(per_km=1.0, per_km_max=1.0)  # figures no named tariff has
    with pytest.raises(ConfigError, match="a tariff of its own figures, not 'nyc'"):
        named.bind(context([0.0], tariff=own))


@pytest.mark.parametrize(
    ("node", "error", "message"),
    [
        (
            {"name": "dynamic"},
            UnknownNameError,
            "valid pricing names are: equilibrium, observed, surge",
        ),
        ({"name": "surge", "zone_km": 0.0}, ParamsError, "pricing.zone_km: expected a zone side"),
        ({"name": "surge", "cap": 0.5}, ParamsError, "pricing.cap: expected >= 1"),
        ({"name": "equilibrium", "core": "middle"}, ParamsError, "pricing.core: expected one of"),
        ({"name": "tariff", "cap": 2.0}, TypeError, "unknown parameter"),
    ],
)
def test_bad_pricing_configs(node, error, message) -> None:
    with pytest.raises(error, match=message):
        build(PRICING, node)


@pytest.mark.parametrize(
    "node",
    [
        {"name": "tariff", "preset": "paris"},
        {"name": "surge", "preset": "paris"},
        {"name": "equilibrium", "commission": "half"},
    ],
)
def test_bad_presets_fail_when_the_policy_is_built(node) -> None:
    with pytest.raises(ParamsError, match=r"pricing\.(preset|commission): expected 'auto'"):
        build(PRICING, node)
