"""A synthetic square city: hotspot demand over a weekday, drivers whose shifts follow it.

The model (every number is a :class:`CityParams` field):

* The city is the square ``[0, size_km]^2``, cut into ``zone_km`` grid cells numbered row by
  row: ``zone = floor(y / zone_km) * n_cols + floor(x / zone_km)``.
* The horizon starts at 00:00 and lasts ``horizon_h`` hours; hour ``h`` of the horizon has
  relative demand ``hourly_profile[h % 24]``.
* Requests: the count is ``Poisson(n_tasks)``; times are drawn by the inverse CDF of the
  piecewise-constant hourly profile and sorted (an inhomogeneous Poisson process).
* Origins and destinations: with probability ``hotspot_share`` a point is Gaussian around one
  of ``n_hotspots`` centres (equally likely, ``hotspot_sigma_km`` per axis, clipped to the
  square), otherwise uniform. Hotspot centres are uniform in the inner 70% of the square.
  Destinations closer than ``min_trip_km`` are redrawn.
* Trip distance: ``distance_km = detour_factor * euclidean`` (1.3 is the usual road detour);
  ``duration_min = 60 * distance_km / speed``, with ``speed = speed_kmh *
  speed_factor_by_hour[hour]`` at the request hour.
* Willingness to pay: ``value = (value_base + value_per_km * distance_km) * M`` with
  ``M = exp(value_sigma * Z - value_sigma**2 / 2)``, a lognormal multiplier of mean 1.
* Patience: exponential with mean ``patience_mean_s``. Every task has ``skill = -1``.
* Workers: exactly ``n_workers`` shifts. Shift length ``L ~ U(shift_hours)``; the shift's
  midpoint is drawn from the demand profile, online = max(0, mid - L/2) and offline =
  min(mid + L/2, horizon): truncated, not moved, at the horizon's edges. Start positions are
  drawn like origins, reservation wages ``U(reservation_wage_per_h)``, groups by ``group_shares``;
  vehicle "car", capacity 1, skills -1.
* The market: ride-hailing in ``currency`` at the NYC meter (the ``nyc_meter`` tariff of
  :data:`gigbench.instances.tariffs.TARIFFS`); idle drivers wait where they dropped off.

Randomness: ``numpy.random.SeedSequence(seed)`` spawns three independent streams (hotspot
centres, tasks, workers), so changing a worker parameter leaves the tasks unchanged (common
random numbers: every supply setting faces the same demand).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pyarrow as pa

from gigbench.instances._params import Checker, coerce_fields
from gigbench.instances._tables import (
    grid_zones,
    groups,
    mean_one_lognormal,
    profile_times,
    shifts,
    streams,
    task_table,
    worker_table,
)
from gigbench.instances.meta import Geography, ScenarioMeta
from gigbench.instances.scenario import Scenario
from gigbench.instances.tariffs import TARIFFS
from gigbench.solvers.registry import checked

__all__ = ["DEFAULT_HOURLY_PROFILE", "CityParams", "generate_city", "hotspot_centres"]

# A weekday: trough at 04-05, morning peak at 08, evening peak at 18.
DEFAULT_HOURLY_PROFILE: tuple[float, ...] = (
    0.45, 0.30, 0.20, 0.15, 0.12, 0.18, 0.45, 0.85, 1.00, 0.80, 0.62, 0.62,
    0.70, 0.66, 0.62, 0.66, 0.80, 0.95, 1.00, 0.85, 0.70, 0.62, 0.58, 0.52,
)  # fmt: skip
# Free-flowing nights, congested rush hours (multiplies speed_kmh).
DEFAULT_SPEED_FACTORS: tuple[float, ...] = (
    1.25, 1.25, 1.25, 1.25, 1.25, 1.25, 1.00, 0.75, 0.75, 0.75, 0.95, 0.95,
    0.95, 0.95, 0.95, 0.95, 0.75, 0.75, 0.75, 0.75, 1.10, 1.10, 1.10, 1.10,
)  # fmt: skip


@dataclass(frozen=True)
class CityParams:
    """Parameters of :func:`generate_city`; also the Hydra schema of ``configs/instance/city``.

    Units are in the names: km, hours (``_h``), seconds (``_s``), km/h, currency units
    (``value_*``, ``reservation_wage_per_h`` per hour). Sequence fields are tuples (hashable;
    OmegaConf turns them into lists, and the constructor turns lists back into tuples).
    A frozen dataclass makes a read-only OmegaConf node: a Hydra schema that must accept
    overrides should copy these fields into a non-frozen dataclass.
    """

    # The hotspot centres come from the seed, so another seed is another city, not another
    # day of this one (multi-day runs need a generator whose geography is in its parameters).
    same_city_any_seed: ClassVar[bool] = False

    size_km: float = 10.0  # side of the square city
    zone_km: float = 1.0  # side of a grid zone
    horizon_h: float = 24.0  # horizon length, from 00:00
    n_tasks: int = 20000  # expected number of requests over the horizon
    n_workers: int = 1000  # number of worker shifts (exact)
    n_hotspots: int = 3  # 0 = uniform demand
    hotspot_share: float = 0.4  # share of origins/destinations drawn around hotspots
    hotspot_sigma_km: float = 0.8  # Gaussian spread of a hotspot, per axis
    hourly_profile: tuple[float, ...] = DEFAULT_HOURLY_PROFILE  # 24 relative weights
    speed_kmh: float = 25.0  # reference travel speed
    speed_factor_by_hour: tuple[float, ...] = DEFAULT_SPEED_FACTORS  # 24 multipliers
    detour_factor: float = 1.3  # road distance / straight-line distance
    min_trip_km: float = 0.5  # shorter trips are redrawn
    value_base: float = 8.0  # willingness to pay: base, currency (above the nyc tariff)
    value_per_km: float = 3.0  # willingness to pay per km, currency
    value_sigma: float = 0.3  # sigma of the mean-one lognormal multiplier
    patience_mean_s: float = 300.0  # mean of the exponential patience
    shift_hours: tuple[float, ...] = (4.0, 10.0)  # (min, max) shift length
    reservation_wage_per_h: tuple[float, ...] = (8.0, 16.0)  # (min, max), currency per hour
    group_labels: tuple[str, ...] = ("A", "B")  # worker groups for group fairness
    group_shares: tuple[float, ...] = (0.5, 0.5)  # their shares (normalised)
    currency: str = "USD"

    def __post_init__(self) -> None:
        coerce_fields(self)

    def check(self) -> None:
        """Reject a value out of range (the field, what was expected, what was got, the fix)."""
        need = Checker(self)
        need(self.size_km > 0, "size_km", "> 0", "give the city a positive side length")
        need(0 < self.zone_km <= self.size_km, "zone_km", "in (0, size_km]", "shrink the zones")
        need(self.horizon_h > 0, "horizon_h", "> 0 hours", "e.g. horizon_h=2 or 24")
        need(self.n_tasks >= 0, "n_tasks", ">= 0", "use 0 for an empty day")
        need(self.n_workers >= 0, "n_workers", ">= 0", "use 0 for no supply")
        need(self.n_hotspots >= 0, "n_hotspots", ">= 0", "use 0 for uniform demand")
        need.share("hotspot_share")
        need(self.hotspot_sigma_km > 0, "hotspot_sigma_km", "> 0", "e.g. 0.8")
        need.profile("hourly_profile")
        n_speeds = len(self.speed_factor_by_hour)
        need(n_speeds == 24, "speed_factor_by_hour", "24 values, one per hour", "list all 24 hours")
        need(self.speed_kmh > 0, "speed_kmh", "> 0", "e.g. 25")
        need(
            all(s > 0 for s in self.speed_factor_by_hour),
            "speed_factor_by_hour",
            "multipliers > 0",
            "use 1.0 for free flow",
        )
        need(self.detour_factor >= 1, "detour_factor", ">= 1", "1.0 is straight-line travel")
        need(
            0 <= self.min_trip_km < 0.5 * self.size_km * self.detour_factor,
            "min_trip_km",
            "in [0, size_km * detour_factor / 2)",
            "lower it or enlarge the city",
        )
        need(self.value_base >= 0, "value_base", ">= 0", "e.g. 2.5")
        need(self.value_per_km >= 0, "value_per_km", ">= 0", "e.g. 1.5")
        need(self.value_sigma >= 0, "value_sigma", ">= 0", "use 0 for no noise")
        need(self.patience_mean_s > 0, "patience_mean_s", "> 0 seconds", "e.g. 300")
        need.shift_hours()
        need.low_high("reservation_wage_per_h")
        need.groups()
        need(bool(self.currency), "currency", "a currency code", 'e.g. "USD"')


# --------------------------------------------------------------------------- sampling


def hotspot_centres(params: CityParams, seed: int) -> np.ndarray:
    """The ``(n_hotspots, 2)`` hotspot centres (km) that :func:`generate_city` uses."""
    rng = streams(seed, 3)[0]
    margin = 0.15 * params.size_km
    return rng.uniform(margin, params.size_km - margin, size=(params.n_hotspots, 2))


def _points(
    rng: np.random.Generator, n: int, params: CityParams, centres: np.ndarray
) -> np.ndarray:
    """``n`` points (km): hotspot Gaussian with prob. ``hotspot_share``, else uniform."""
    size = params.size_km
    points = rng.uniform(0.0, size, size=(n, 2))
    noise = rng.normal(0.0, params.hotspot_sigma_km, size=(n, 2))
    if len(centres):
        hot = rng.random(n) < params.hotspot_share
        which = rng.integers(0, len(centres), size=n)
        points[hot] = np.clip(centres[which[hot]] + noise[hot], 0.0, size)
    return points


def _zones(xy: np.ndarray, params: CityParams) -> np.ndarray:
    return grid_zones(xy, params.size_km, params.size_km, params.zone_km)


def _speeds(params: CityParams) -> list[float]:
    """Travel speed (km/h) by hour of the day, rounded to hide float noise (25 * 1.1)."""
    return [round(params.speed_kmh * f, 9) for f in params.speed_factor_by_hour]


def _tasks(rng: np.random.Generator, params: CityParams, centres: np.ndarray) -> pa.Table:
    n = int(rng.poisson(params.n_tasks))
    times = np.sort(profile_times(rng, n, params.hourly_profile, params.horizon_h))
    origin = _points(rng, n, params, centres)
    dest = _points(rng, n, params, centres)
    distance = params.detour_factor * np.hypot(*(dest - origin).T)
    for _ in range(1000):
        short = np.flatnonzero(distance < params.min_trip_km)
        if short.size == 0:
            break
        dest[short] = _points(rng, short.size, params, centres)
        distance[short] = params.detour_factor * np.hypot(*(dest[short] - origin[short]).T)
    else:
        raise ValueError(
            f"min_trip_km: expected trips of at least {params.min_trip_km} km to be "
            "drawable, got none after 1000 redraws; lower min_trip_km"
        )
    speeds = np.asarray(_speeds(params))
    hour = (times // 3600.0).astype(np.int64) % 24
    duration = 60.0 * distance / speeds[hour]
    multiplier = mean_one_lognormal(rng, params.value_sigma, n)
    value = (params.value_base + params.value_per_km * distance) * multiplier
    patience = rng.exponential(params.patience_mean_s, size=n)
    return task_table(
        times,
        origin,
        dest,
        _zones(origin, params),
        _zones(dest, params),
        distance,
        duration,
        value,
        patience,
    )


def _workers(rng: np.random.Generator, params: CityParams, centres: np.ndarray) -> pa.Table:
    n = params.n_workers
    online, offline = shifts(rng, n, params.shift_hours, params.hourly_profile, params.horizon_h)
    start = _points(rng, n, params, centres)
    wage = rng.uniform(*params.reservation_wage_per_h, size=n)
    group = groups(rng, n, params.group_labels, params.group_shares)
    return worker_table(online, offline, start, wage, group)


def generate_city(params: CityParams, seed: int) -> Scenario:
    """A synthetic city scenario; a pure function of ``(params, seed)`` (see module docs).

    The same inputs give identical tables, metadata and content hash. Workers are sorted by
    online time, tasks by request time; ids count from 0 in that order.
    """
    if not isinstance(params, CityParams):
        raise TypeError(
            f"params: expected a CityParams, got {type(params).__name__}; build one with "
            "CityParams(**values) or call gigbench.instances.generate('city', values, seed)"
        )
    checked(params)
    _, rng_tasks, rng_workers = streams(seed, 3)
    centres = hotspot_centres(params, seed)
    tasks = _tasks(rng_tasks, params, centres)
    workers = _workers(rng_workers, params, centres)
    speeds = _speeds(params)
    meta = ScenarioMeta(
        generator="city",
        params=dataclasses.asdict(params),
        seed=int(seed),
        horizon_s=params.horizon_h * 3600.0,
        market="ride_hailing",
        currency=params.currency,
        tariff=TARIFFS["nyc_meter"],
        geography=Geography(params.size_km, params.size_km, params.zone_km),
        speed_kmh_by_hour=tuple(speeds),
    )
    return Scenario(tasks, workers, meta).with_hash()
