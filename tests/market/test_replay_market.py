"""Replay in the market: pricing=observed charges the recorded fares, the trip log keeps the
records' own figures, and the row compares simulated with recorded pay per trip-minute."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gigbench.instances.tlc import ReplayParams, replay
from gigbench.instances.tlc_synth import write_fhvhv
from gigbench.market.metrics import observed_pay
from gigbench.sim import SimSpec, simulate
from gigbench.sim.config import Settings
from gigbench.solvers import get_solver

NYC_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "nyc"
SETTINGS = Settings(interval_s=30.0, k=5, radius_km=5.0, detour=1.3, cost_per_km=0.25)


@pytest.fixture(scope="module")
def nyc() -> tuple[Path, str]:
    trips = NYC_DATA / "nyc_taxis_2019-03_sample_raw.csv"
    if not trips.is_file():
        pytest.skip(f"the real TLC sample is not at {NYC_DATA} (../shared/data/nyc beside a clone)")
    return trips, "nyc"  # the zone table gigbench ships


def _simulate(scenario, pricing: str = "observed"):
    spec = SimSpec.of(SETTINGS, pricing=pricing, objective="welfare", reposition="none")
    return simulate(scenario, get_solver("greedy"), spec)


def test_observed_pricing_declines_no_replayed_rider(nyc):
    trips, centroids = nyc
    scenario, _ = replay(ReplayParams(path=str(trips), zones=str(centroids), day="2019-03-15"))
    value = scenario.tasks.column("value").to_numpy()
    fare = scenario.tasks.column("observed_fare").to_numpy()
    assert (value >= fare).all()  # the rider paid it: never less willing
    result = _simulate(scenario)
    assert result.metrics["declined"] == 0.0
    assert result.metrics["match_rate"] > 0.5
    log = result.tables["trips"]
    served = log.column("served").to_numpy(zero_copy_only=False)
    charged = log.column("fare").to_numpy(zero_copy_only=False)[served]
    np.testing.assert_allclose(charged, log.column("observed_fare").to_numpy()[served])
    # the tariff, on the same riders, prices some of them out
    assert _simulate(scenario, "tariff").metrics["declined"] > 0.0


def test_recorded_driver_pay_reaches_the_trip_log_and_the_row(tmp_path):
    path = write_fhvhv(tmp_path / "fhvhv.parquet", 40_000, "2024-01", defect_rate=0.0)
    scenario, _ = replay(ReplayParams(path=str(path), zones="nyc", day="2024-01-15", hours=3.0))
    result = _simulate(scenario)
    log = result.tables["trips"]
    pay = log.column("observed_driver_pay").to_numpy()
    np.testing.assert_array_equal(pay, scenario.tasks.column("observed_driver_pay").to_numpy())
    np.testing.assert_allclose(pay, np.round(0.72 * log.column("observed_fare").to_numpy(), 2))
    served = log.column("served").to_numpy(zero_copy_only=False)
    minutes = scenario.tasks.column("duration_min").to_numpy()[served]
    worker_pay = log.column("worker_pay").to_numpy(zero_copy_only=False)[served]
    m = result.metrics
    assert m["observed_pay_trips"] == served.sum() > 0
    assert m["observed_pay_per_trip_min"] == pytest.approx(pay[served].sum() / minutes.sum())
    assert m["pay_per_trip_min"] == pytest.approx(worker_pay.sum() / minutes.sum())
    ratio = m["pay_per_trip_min"] / m["observed_pay_per_trip_min"]
    assert m["pay_per_trip_min_ratio"] == pytest.approx(ratio)


def test_observed_pay_metric_on_hand_numbers():
    served = np.array([True, True, False, True])
    got = observed_pay(
        pay=np.array([10.0, 6.0, np.nan, 4.0]),
        observed=np.array([8.0, 4.0, 3.0, np.nan]),
        minutes=np.array([10.0, 6.0, 5.0, 4.0]),
        served=served,
    )
    # same trips: the first two (served, with a recorded pay): 16 minutes
    assert got == {
        "pay_per_trip_min": 1.0,
        "observed_pay_per_trip_min": 0.75,
        "pay_per_trip_min_ratio": pytest.approx(4 / 3),
        "observed_pay_trips": 2.0,
    }
    none = observed_pay(np.ones(2), np.full(2, np.nan), np.ones(2), np.ones(2, dtype=bool))
    assert np.isnan(none["pay_per_trip_min"]) and none["observed_pay_trips"] == 0.0
