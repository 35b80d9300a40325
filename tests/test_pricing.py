"""Pricing policies behave as their formulas say: fares, caps, smoothing, commission splits."""

from __future__ import annotations

import numpy as np
import pytest

from bench.pricing import TARIFF_PRESETS, Commission, Tariff, get_pricing


def test_tariff_formula_and_minimum_fare() -> None:
    tariff = Tariff(base_fare=3.0, per_km=2.0, per_min=0.5, min_fare=10.0)
    fares = tariff.fare(np.array([1.0, 5.0]), np.array([2.0, 10.0]))
    # 3 + 2 + 1 = 6 -> the minimum fare 10; 3 + 10 + 5 = 18.
    assert fares.tolist() == [10.0, 18.0]
    parts = tariff.components(np.array([1.0, 5.0]), np.array([2.0, 10.0]))
    assert np.allclose(sum(parts.values()), fares)
    assert parts["minimum_topup"].tolist() == [4.0, 0.0]


def test_jakarta_ojol_minimum_covers_the_first_4_km() -> None:
    ojol = Tariff(**{k: v for k, v in TARIFF_PRESETS["jakarta_ojol"].items() if k != "cap"})
    fares = ojol.fare(np.array([1.0, 4.0, 6.0]), np.zeros(3))
    assert fares.tolist() == [10200.0, 10200.0, 6 * 2550.0]


def test_commission_splits_sum_to_the_fare() -> None:
    fare = np.array([10.0, 40.0])
    flat = Commission(0.2).split(fare)
    assert flat["worker_pay"].tolist() == [8.0, 32.0] and flat["fee"].tolist() == [0.0, 0.0]
    jakarta = Commission(0.15, 0.05).split(fare)
    assert np.allclose(jakarta["commission"], [1.5, 6.0])
    assert np.allclose(jakarta["fee"], [0.5, 2.0])
    assert np.allclose(jakarta["commission"] + jakarta["fee"] + jakarta["worker_pay"], fare)
    with pytest.raises(ValueError, match="summing below 1"):
        Commission(0.9, 0.2)


def test_surge_multiplier_formula_cap_and_smoothing() -> None:
    surge = get_pricing("surge", sensitivity=0.5, smoothing=1.0, cap=2.0)
    surge.bind({}, n_zones=3)
    # zone 0: 4 requests, 1 worker -> 1 + 0.5 * 3 = 2.5 -> cap 2; zone 1: 1 over 2 -> 1.
    m = surge.multiplier(0.0, np.array([0, 0, 0, 0, 1]), np.array([0, 1, 1]), 30.0)
    assert m.tolist() == [2.0, 2.0, 2.0, 2.0, 1.0]
    smooth = get_pricing("surge", sensitivity=0.5, smoothing=0.5, cap=3.0)
    smooth.bind({}, n_zones=1)
    first = smooth.multiplier(0.0, np.array([0, 0, 0]), np.array([0]), 30.0)
    # raw = 1 + 0.5 * (3 - 1) = 2; smoothed from 1: 0.5 * 1 + 0.5 * 2 = 1.5
    assert first.tolist() == [1.5, 1.5, 1.5]
    second = smooth.multiplier(30.0, np.array([0, 0, 0]), np.array([0]), 30.0)
    assert second[0] == pytest.approx(1.75)


def test_regulated_cap_uses_the_preset_ceiling() -> None:
    capped = get_pricing("surge", preset="jakarta_ojol", regulated_cap=True, sensitivity=10.0)
    capped.bind({}, n_zones=1)
    for _ in range(50):
        m = capped.multiplier(0.0, np.zeros(10, dtype=int), np.zeros(1, dtype=int), 30.0)
    assert m.max() == pytest.approx(2800 / 2550)


def test_auto_preset_takes_the_scenario_tariff() -> None:
    policy = get_pricing("tariff")
    policy.bind({"tariff": {"base_fare": 1.0, "per_km": 1.0, "per_min": 0.0, "min_fare": 0}}, 1)
    assert policy.tariff.fare(np.array([2.0]), np.array([0.0])).tolist() == [3.0]
    policy.bind({}, 1)
    assert policy.tariff.base_fare == TARIFF_PRESETS["nyc"]["base_fare"]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("dynamic", {}, "valid policies are: tariff, surge, equilibrium"),
        ("tariff", {"preset": "paris"}, "expected 'auto' or one of"),
        ("tariff", {"commission": "half"}, "pricing.commission: expected .auto. or one of"),
        ("tariff", {"cap": 2.0}, "unknown parameter"),
    ],
)
def test_bad_pricing_configs(name, params, message) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        get_pricing(name, **params)
