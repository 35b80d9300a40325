"""Repositioning: who moves where, what cruising costs the worker, and bad settings."""

from __future__ import annotations

import numpy as np
import pytest
from market_fixtures import context as market_context
from market_fixtures import market, task_rows, worker_rows

from gigbench.errors import ConfigError
from gigbench.instances import Geography
from gigbench.market.context import MarketContext
from gigbench.market.plugin import build
from gigbench.market.reposition import REPOSITIONING, IdleView
from gigbench.sim import SimSpec, simulate
from gigbench.sim.config import Settings
from gigbench.solvers import get_solver
from gigbench.solvers.registry import ParamsError


def context() -> MarketContext:
    """A 10 km square city without tasks."""
    return market_context(np.zeros((0, 2)), plane=Geography(10.0, 10.0, 1.0))


def idle_view(xy, arrivals_xy, idle_s=600.0, now=0.0) -> IdleView:
    xy = np.asarray(xy, dtype=float)
    return IdleView(
        now=now,
        xy=xy,
        idle_s=np.full(len(xy), idle_s),
        moving=np.zeros(len(xy), dtype=bool),
        target_xy=np.full_like(xy, np.nan),
        arrivals_xy=np.asarray(arrivals_xy, dtype=float).reshape(-1, 2),
    )


def test_demand_policy_sends_a_waiting_worker_to_the_busy_zone_next_door() -> None:
    policy = build(REPOSITIONING, {"name": "demand", "wait_s": 60, "max_km": 3, "memory_s": 30})
    policy.bind(context())
    # Worker in zone (0, 0) of 2 km; requests arrive in zone (1, 0), centre (3, 1).
    moves = policy.decide(idle_view([[1.0, 1.0]], [[3.2, 0.8]] * 4))
    assert moves.worker.tolist() == [0] and moves.target_xy.tolist() == [[3.0, 1.0]]
    # Not yet waited long enough: stays.
    policy.bind(context())
    assert len(policy.decide(idle_view([[1.0, 1.0]], [[3.2, 0.8]] * 4, idle_s=30)).worker) == 0


def test_demand_policy_leaves_a_worker_where_demand_already_is() -> None:
    policy = build(REPOSITIONING, {"name": "demand", "wait_s": 60, "memory_s": 30})
    policy.bind(context())
    assert len(policy.decide(idle_view([[3.0, 1.0]], [[3.2, 0.8]] * 4)).worker) == 0


def test_rebalance_moves_surplus_workers_toward_expected_demand() -> None:
    policy = build(REPOSITIONING, {"name": "rebalance", "max_km": 5, "memory_s": 30})
    policy.bind(context())
    # Four idle workers in zone 0 (centre (1, 1)); demand in zone 1 (centre (3, 1)) only:
    # the target is all four in zone 1, so all four move there, to points of zone 1.
    moves = policy.decide(idle_view([[1.0, 1.0]] * 4, [[3.0, 1.0]] * 8))
    assert sorted(moves.worker.tolist()) == [0, 1, 2, 3]
    assert ((moves.target_xy[:, 0] >= 2.0) & (moves.target_xy[:, 0] <= 4.0)).all()
    assert ((moves.target_xy[:, 1] >= 0.0) & (moves.target_xy[:, 1] <= 2.0)).all()
    # Between rounds nothing moves.
    assert len(policy.decide(idle_view([[1.0, 1.0]] * 4, [[3.0, 1.0]] * 8, now=60.0)).worker) == 0


def test_rebalance_never_sends_more_workers_than_a_zone_has() -> None:
    """Zone 0 has 1 worker, zone 1 has 5, demand only in zone 2 beyond zone 1's reach of
    zone 0: a transshipment through zone 1 would send zone 1 more than it has."""
    policy = build(REPOSITIONING, {"name": "rebalance", "max_km": 2.5, "memory_s": 30})
    policy.bind(context())
    xy = [[1.0, 1.0]] + [[3.0, 1.0]] * 5  # zones of 2 km: worker 0 in zone 0, 1-5 in zone 1
    moves = policy.decide(idle_view(xy, [[5.0, 1.0]] * 10))
    # Zone 1 sends its five to zone 2 and no more; zone 0's worker, 4 km from the demand, stays
    # (it could only reach zone 2 by passing through zone 1, which is not a move).
    assert sorted(moves.worker.tolist()) == [1, 2, 3, 4, 5]
    assert ((moves.target_xy[:, 0] >= 4.0) & (moves.target_xy[:, 0] <= 6.0)).all()


def test_cruising_costs_the_worker_and_shows_in_the_statement() -> None:
    """One worker at (0.5, 0.5); a stream of requests at (7, 1) it cannot reach within the
    radius; under demand repositioning it drives there and serves some."""
    n = 20
    tasks = task_rows(
        request_time=np.linspace(0, 3000, n),
        origin_x=np.full(n, 7.0),
        origin_y=np.full(n, 1.0),
        dest_x=np.full(n, 7.5),
        dest_y=np.full(n, 1.0),
        distance_km=np.full(n, 0.6),
        duration_min=np.full(n, 2.0),
        patience_s=np.full(n, 400.0),
    )
    scenario = market(tasks, worker_rows(start_x=[0.5], start_y=[0.5]), horizon_s=3600.0)
    settings = Settings(radius_km=2.0, detour=1.0, cost_per_km=0.3)
    runs = {}
    for name in ("none", "demand"):
        node = {"name": name} if name == "none" else {"name": name, "wait_s": 60, "max_km": 8}
        spec = SimSpec.of(settings, reposition=node)
        runs[name] = simulate(scenario, get_solver("hungarian"), spec)
    assert runs["none"].metrics["match_rate"] == 0.0
    moved = runs["demand"]
    statement = moved.tables["workers"].to_pylist()[0]
    assert moved.metrics["match_rate"] > 0.0
    # (7, 1) is 6.5 km away; a moving worker is matched once within the 2 km radius.
    assert 4.5 <= statement["cruise_km"] <= 6.6
    assert statement["cruise_cost"] == pytest.approx(0.3 * statement["cruise_km"])
    assert statement["vehicle_costs"] == pytest.approx(
        0.3 * (statement["km"] + statement["cruise_km"])
    )
    assert moved.metrics["cruise_km_share"] == pytest.approx(
        statement["cruise_km"] / (statement["km"] + statement["cruise_km"])
    )


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"name": "demand", "wait_s": -1.0}, "reposition.wait_s: expected a number >= 0"),
        ({"name": "demand", "cruise_kmh": -5.0}, "reposition.cruise_kmh: expected a number >= 0"),
        ({"name": "demand", "margin": -0.1}, "reposition.margin: expected a number >= 0"),
        ({"name": "rebalance", "every_s": 0.0}, "reposition.every_s: expected a number > 0"),
        ({"name": "rebalance", "zone_km": 0.0}, "reposition.zone_km: expected a number > 0"),
        ({"name": "rebalance", "max_km": float("nan")}, "reposition.max_km: expected a number"),
    ],
)
def test_bad_repositioning_settings(node, message) -> None:
    with pytest.raises(ParamsError, match=message):
        build(REPOSITIONING, node)


def test_repositioning_needs_geography() -> None:
    policy = build(REPOSITIONING, {"name": "rebalance"})
    freelance = market_context(np.zeros((0, 2)), plane=None)
    with pytest.raises(ConfigError, match=r"reposition\.zone_km: market kind 'freelance' has no"):
        policy.bind(freelance)
