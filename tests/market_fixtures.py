"""Tiny hand-built markets for simulation tests (a few workers, a few tasks)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from gigbench.instances import (
    TARIFFS,
    TASK_SCHEMA,
    WORKER_SCHEMA,
    Geography,
    Scenario,
    ScenarioMeta,
    Tariff,
)
from gigbench.market.context import MarketContext
from gigbench.market.kind import MARKET_KINDS
from gigbench.market.plugin import build


def task_rows(**columns) -> pa.Table:
    """A tasks table; unspecified columns get harmless defaults."""
    n = len(next(iter(columns.values())))
    defaults = {
        "task_id": np.arange(n),
        "request_time": np.zeros(n),
        "origin_x": np.zeros(n),
        "origin_y": np.zeros(n),
        "dest_x": np.full(n, 3.0),
        "dest_y": np.zeros(n),
        "origin_lon": np.full(n, np.nan),
        "origin_lat": np.full(n, np.nan),
        "dest_lon": np.full(n, np.nan),
        "dest_lat": np.full(n, np.nan),
        "origin_zone": np.zeros(n, dtype=np.int32),
        "dest_zone": np.zeros(n, dtype=np.int32),
        "distance_km": np.full(n, 3.0),
        "duration_min": np.full(n, 10.0),
        "value": np.full(n, 50.0),
        "patience_s": np.full(n, 600.0),
        "skill": np.full(n, -1, dtype=np.int32),
        "observed_fare": np.full(n, np.nan),
    }
    defaults |= {k: np.asarray(v) for k, v in columns.items()}
    return pa.table(
        {f.name: pa.array(defaults[f.name], f.type) for f in TASK_SCHEMA if f.name in defaults}
    )


def worker_rows(**columns) -> pa.Table:
    """A workers table; unspecified columns get harmless defaults."""
    n = len(next(iter(columns.values())))
    defaults = {
        "worker_id": np.arange(n),
        "online_time": np.zeros(n),
        "offline_time": np.full(n, 7200.0),
        "start_x": np.zeros(n),
        "start_y": np.zeros(n),
        "skills": np.full(n, -1),
        "reservation_wage": np.full(n, 10.0),
        "capacity": np.ones(n, dtype=np.int32),
        "vehicle": ["car"] * n,
        "group": ["A"] * n,
    }
    defaults |= {k: (v if isinstance(v, list) else np.asarray(v)) for k, v in columns.items()}
    return pa.table({f.name: pa.array(defaults[f.name], f.type) for f in WORKER_SCHEMA})


def market(tasks: pa.Table, workers: pa.Table, horizon_s: float = 7200.0, city=True) -> Scenario:
    """A scenario around the two tables: ride-hailing on a 10 km square at 30 km/h all day,
    or (``city=False``) freelance, without places."""
    meta = ScenarioMeta(
        generator="test",
        params={},
        seed=0,
        horizon_s=horizon_s,
        market="ride_hailing" if city else "freelance",
        geography=Geography(10.0, 10.0, 1.0) if city else None,
        speed_kmh_by_hour=(30.0,) * 24 if city else None,
    )
    return Scenario(tasks, workers, meta).with_hash()


SMALL_PLANE = Geography(4.0, 2.0, 2.0)


def context(
    origin_xy: np.ndarray,
    *,
    value: np.ndarray | None = None,
    skill: np.ndarray | None = None,
    trip_km: np.ndarray | None = None,
    trip_min: np.ndarray | None = None,
    tariff: Tariff = TARIFFS["nyc_meter"],
    plane: Geography | None = SMALL_PLANE,
    seed: int = 0,
    day: int = 0,
) -> MarketContext:
    """A market context of tasks at ``origin_xy`` (2 km, 10 min trips ending where they start,
    unless ``trip_km`` and ``trip_min`` say otherwise), its market kind bound: ride-hailing on
    ``plane`` at 30 km/h, or freelance without one."""
    origin_xy = np.asarray(origin_xy, dtype=float).reshape(-1, 2)
    n = len(origin_xy)
    info = ScenarioMeta(
        generator="test",
        params={},
        seed=seed,
        horizon_s=86400.0,
        market="ride_hailing" if plane else "freelance",
        tariff=tariff,
        geography=plane,
        speed_kmh_by_hour=(30.0,) * 24 if plane else None,
    )
    kind = build(MARKET_KINDS, {"name": info.market})
    ctx = MarketContext(
        info=info,
        kind=kind,
        trip_km=np.full(n, 2.0) if trip_km is None else np.asarray(trip_km, float),
        trip_min=np.full(n, 10.0) if trip_min is None else np.asarray(trip_min, float),
        value=np.full(n, 100.0) if value is None else np.asarray(value, float),
        origin_xy=origin_xy,
        dest_xy=origin_xy.copy(),
        skill=np.full(n, -1) if skill is None else np.asarray(skill),
        observed_fare=np.full(n, np.nan),
        interval_s=30.0,
        day=day,
    )
    kind.bind(ctx)
    return ctx
