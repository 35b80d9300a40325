"""Properties of the closed loop on random small markets, under every pricing policy and
repositioning policy: utilisation never above 1, no trip paying its worker below the cost the
acceptance rule charged, each request served at most once and no worker in two places."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from market_fixtures import market, task_rows, worker_rows

from gigbench.market.pricing import PRICING
from gigbench.market.reposition import REPOSITIONING
from gigbench.sim import SimSpec, simulate
from gigbench.sim.config import Settings
from gigbench.solvers import get_solver

SETTINGS = Settings(interval_s=60.0, k=4, radius_km=6.0, detour=1.2, cost_per_km=0.3)
POLICIES = [(p, r) for p in PRICING.names() for r in REPOSITIONING.names()]


@st.composite
def small_markets(draw):
    """2-8 workers and 1-15 tasks on a 10 km plane over 2 hours."""
    n_t, n_w = draw(st.integers(1, 15)), draw(st.integers(2, 8))

    def floats(n, lo, hi):
        return draw(hnp.arrays(np.float64, n, elements=st.floats(lo, hi, width=32)))

    tasks = task_rows(
        request_time=np.sort(floats(n_t, 0, 6000)),
        origin_x=floats(n_t, 0, 10),
        origin_y=floats(n_t, 0, 10),
        dest_x=floats(n_t, 0, 10),
        dest_y=floats(n_t, 0, 10),
        distance_km=floats(n_t, 0.5, 12),
        duration_min=floats(n_t, 1, 40),
        value=floats(n_t, 0, 80),
        patience_s=floats(n_t, 0, 1800),
    )
    online = floats(n_w, 0, 5000)
    workers = worker_rows(
        online_time=online,
        offline_time=online + floats(n_w, 60, 7200),
        start_x=floats(n_w, 0, 10),
        start_y=floats(n_w, 0, 10),
        reservation_wage=floats(n_w, 0, 40),
    )
    return market(tasks, workers, horizon_s=7200.0)


@pytest.mark.parametrize(("pricing", "reposition"), POLICIES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=small_markets())
def test_accounting_holds_under_every_policy(pricing, reposition, scenario) -> None:
    check_accounting(pricing, reposition, scenario)


@pytest.mark.slow
@pytest.mark.parametrize(("pricing", "reposition"), POLICIES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=small_markets())
def test_accounting_holds_on_many_markets(pricing, reposition, scenario) -> None:
    check_accounting(pricing, reposition, scenario)


def check_accounting(pricing, reposition, scenario) -> None:
    """The properties in the module docs, for one market and policy."""
    spec = SimSpec.of(SETTINGS, pricing=pricing, reposition=reposition)
    result = simulate(scenario, get_solver("hungarian"), spec)
    m, trips = result.metrics, result.tables["trips"].to_pandas()
    workers = result.tables["workers"].to_pandas()
    assert m["utilisation"] <= 1.0 + 1e-12 or np.isnan(m["utilisation"])
    assert (workers["busy_hours"] <= workers["online_hours"] + 1e-9).all()
    served = trips[trips.served]
    assert (served["worker_pay"] >= served["worker_cost"] - 1e-9).all()
    value = scenario.tasks.column("value").to_numpy()[served["task_id"].to_numpy()]
    assert (served["fare"] <= value + 0.01).all()  # equilibrium fares round to whole cents
    # One row per request, and the fleet's trip count is the number served.
    assert trips["task_id"].is_unique and workers["trips"].sum() == len(served)
    # A worker holds one job at a time: each job starts after the previous one's drop-off.
    for _, jobs in served.sort_values("matched_at").groupby("worker_id"):
        end = jobs["pickup_time"] + 60.0 * jobs["trip_min"]
        assert (jobs["matched_at"].to_numpy()[1:] >= end.to_numpy()[:-1] - 1e-6).all()
