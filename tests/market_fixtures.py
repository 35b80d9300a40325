"""Tiny hand-built markets for simulation tests (a few workers, a few tasks)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from gigbench.instances import TASK_SCHEMA, WORKER_SCHEMA, Scenario


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
    """A scenario around the two tables, 30 km/h all day."""
    meta = {
        "schema_version": 1,
        "generator": "test",
        "params": {},
        "seed": 0,
        "horizon_s": horizon_s,
        "city": {"width_km": 10.0, "height_km": 10.0, "zone_km": 1.0} if city else {},
        "speed_kmh_by_hour": [30.0] * 24,
        "currency": "USD",
        "content_hash": None,
    }
    return Scenario(tasks, workers, meta).with_hash()
