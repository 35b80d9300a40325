"""``uniform``: a square city where requests come evenly over the horizon and over the city.

* Requests: ``Poisson(n_tasks)`` of them, at uniform times in ``[0, horizon_h)``, origins and
  destinations uniform in the square ``[0, size_km]^2``; the trip is ``detour`` times the
  straight line, driven at ``speed_kmh``; the rider pays up to ``value_base + value_per_km *
  km`` and waits ``patience_s`` for a driver.
* Workers: ``n_workers`` of them, online all horizon from uniform start points, each with the
  reservation wage ``wage_per_h``.

A pure function of ``(params, seed)``: every draw comes from ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from gigbench.instances import Geography, Scenario, ScenarioMeta


@dataclass(frozen=True)
class UniformParams:
    """Parameters of :func:`generate_uniform` (units in the names; money in ``currency``)."""

    size_km: float = 6.0
    zone_km: float = 1.0
    horizon_h: float = 2.0
    n_tasks: int = 600
    n_workers: int = 40
    speed_kmh: float = 25.0
    detour: float = 1.3
    value_base: float = 8.0
    value_per_km: float = 3.0
    patience_s: float = 300.0
    wage_per_h: float = 12.0
    currency: str = "USD"

    def check(self) -> None:
        """Reject a value out of range (gigbench calls it on the parameters it receives)."""
        positive = ("size_km", "zone_km", "horizon_h", "speed_kmh", "detour")
        for name in positive:
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise ValueError(f"instance.{name}: expected a number > 0, got {value!r}")
        for name in ("n_tasks", "n_workers"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value >= 0):
                raise ValueError(f"instance.{name}: expected a whole number >= 0, got {value!r}")


def generate_uniform(params: UniformParams, seed: int) -> Scenario:
    """A day of the uniform city (module docs) for ``params`` and ``seed``."""
    rng = np.random.default_rng(seed)
    horizon_s = params.horizon_h * 3600.0
    n = int(rng.poisson(params.n_tasks))
    origin = rng.uniform(0.0, params.size_km, (n, 2))
    dest = rng.uniform(0.0, params.size_km, (n, 2))
    km = params.detour * np.linalg.norm(dest - origin, axis=1)
    nan = np.full(n, np.nan)
    tasks = pa.table(
        {
            "task_id": np.arange(n, dtype=np.int64),
            "request_time": np.sort(rng.uniform(0.0, horizon_s, n)),
            "origin_x": origin[:, 0],
            "origin_y": origin[:, 1],
            "dest_x": dest[:, 0],
            "dest_y": dest[:, 1],
            "origin_lon": nan,
            "origin_lat": nan,
            "dest_lon": nan,
            "dest_lat": nan,
            "origin_zone": _zone(origin, params),
            "dest_zone": _zone(dest, params),
            "distance_km": km,
            "duration_min": 60.0 * km / params.speed_kmh,
            "value": params.value_base + params.value_per_km * km,
            "patience_s": np.full(n, float(params.patience_s)),
            "skill": np.full(n, -1, dtype=np.int32),  # any worker
            "observed_fare": nan,  # nothing recorded: the fares are the pricing policy's
        }
    )
    m = params.n_workers
    start = rng.uniform(0.0, params.size_km, (m, 2))
    workers = pa.table(
        {
            "worker_id": np.arange(m, dtype=np.int64),
            "online_time": np.zeros(m),
            "offline_time": np.full(m, horizon_s),
            "start_x": start[:, 0],
            "start_y": start[:, 1],
            "skills": np.full(m, -1, dtype=np.int64),  # every skill
            "reservation_wage": np.full(m, float(params.wage_per_h)),
            "capacity": np.ones(m, dtype=np.int32),
            "vehicle": ["car"] * m,
            "group": ["A"] * m,
        }
    )
    # The market it describes: ride-hailing on the square at one speed all day, priced by the
    # tariff ScenarioMeta states unless told otherwise (the NYC meter).
    meta = ScenarioMeta(
        generator="uniform",
        params=dataclasses.asdict(params),  # generate("uniform", params, seed) again
        seed=int(seed),
        horizon_s=horizon_s,
        market="ride_hailing",
        currency=params.currency,
        geography=Geography(params.size_km, params.size_km, params.zone_km),
        speed_kmh_by_hour=(float(params.speed_kmh),) * 24,
    )
    return Scenario(tasks, workers, meta).with_hash()


def _zone(xy: np.ndarray, params: UniformParams) -> np.ndarray:
    """Grid zones of ``zone_km`` squares, numbered row by row."""
    cols = math.ceil(params.size_km / params.zone_km)
    cell = np.minimum((xy // params.zone_km).astype(np.int64), cols - 1)
    return (cell[:, 1] * cols + cell[:, 0]).astype(np.int32)
