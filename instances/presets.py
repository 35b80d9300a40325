"""Calibrated ride-hailing presets: ``nyc``, ``jakarta_ojol`` (motorbike), ``jakarta_car``.

One model, three sets of defaults (every number is a field of :class:`RideParams`; the
calibration targets and their sources are in docs/calibration.md):

* The city is the rectangle ``[0, width_km] x [0, height_km]``, cut into ``zone_km`` cells
  numbered row by row. Hour ``h`` of the horizon (from 00:00) has relative demand
  ``hourly_profile[h % 24] * (1 + rush_ramp * ramp(h))``, where ``ramp`` is a triangle of
  half-width ``rush_width_h`` hours around each hour in ``rush_hours`` (1 at the peak, 0 beyond
  the half-width). ``n_tasks`` is the expected request count at ``rush_ramp = 0``; a ramp adds
  requests on top (a demand shock the fleet did not plan for: shifts follow the base profile).
* Requests: ``Poisson`` count, times by the inverse CDF of the hourly profile, sorted.
* Origins: with probability ``hotspot_share`` Gaussian (``hotspot_sigma_km`` per axis) around
  one of the hotspots ``hotspot_xy`` (flat ``x0, y0, x1, y1, ...`` in km) chosen with
  ``hotspot_weights``, otherwise uniform; clipped to the rectangle.
* Trip length: road distance ``D ~ LogNormal(ln trip_km_median, trip_km_sigma)`` clipped to
  ``[min_trip_km, max_trip_km]``. The destination lies ``D / detour_factor`` away, in a
  direction chosen by a gravity model over the demand hotspots: among 16 evenly spaced points
  on that circle (random phase), one is drawn with probability proportional to
  ``density(point) ** dest_gravity``, where ``density`` is the origins' own distribution
  (hotspot Gaussians plus the uniform rest; points outside the city weigh 0). Trip lengths
  keep their calibrated distribution while drop-offs are pulled toward where the demand is,
  so drivers end their trips where the next requests come from; ``dest_gravity = 0`` is a
  uniform direction. A trip whose whole circle lies outside the city is clipped to it and
  ``D`` recomputed.
* Duration: ``duration_min = (duration_overhead_min + 60 D / speed_kmh_by_hour[hour]) * N``
  with ``N`` a mean-one lognormal of ``duration_sigma`` (traffic lights, stops).
* Tariff (the scenario's ``tariff``, :class:`gigbench.instances.tariffs.Tariff`): ``fare =
  max(min_fare, base_fare + per_km D + per_min T)``; ``per_km_max`` and ``min_fare_max`` are
  the regulated upper bounds where one exists. Each preset's defaults are its named tariff of
  :data:`gigbench.instances.tariffs.TARIFFS` (the scenario's tariff keeps that name while its
  figures are unchanged). Willingness to pay: ``value = fare_max * M``, with ``fare_max`` the
  fare at the upper bounds and ``M`` lognormal of mean ``value_markup`` and sigma
  ``value_sigma``.
* Patience: exponential of mean ``patience_mean_s``.
* Supply: ``n_workers`` shifts, or when ``n_workers = 0``,
  ``round(supply_ratio * total trip hours / h)`` shifts, ``h`` the expected online hours of a
  shift within the horizon, so ``supply_ratio`` is online worker-hours per requested trip-hour
  (1.0 = no slack for pickups). Shift starts and lengths (within ``shift_hours``) follow the
  plan of :func:`gigbench.instances._tables.shift_plan`, fitted so that the workers online each
  hour are
  proportional to the work requested that hour (the base profile times a median trip's
  duration at that hour's speed); shifts are truncated at the horizon's edges. Start positions
  like origins; reservation wage ``U(reservation_wage_per_h)``; groups by ``group_shares``.
* Idle drivers (``idle_drivers``): ``seek_demand`` (they drive toward demand on their own, as
  the presets were calibrated) or ``wait`` where they dropped off.

Randomness: ``SeedSequence(seed)`` spawns independent streams for tasks and workers.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from gigbench.instances._params import Checker, coerce_fields
from gigbench.instances._tables import (
    fleet_size,
    grid_zones,
    groups,
    mean_one_lognormal,
    ramped_request_times,
    rush_profile,
    shifts,
    streams,
    task_table,
    worker_table,
)
from gigbench.instances.meta import IDLE_DRIVERS, Geography, ScenarioMeta
from gigbench.instances.scenario import Scenario
from gigbench.instances.tariffs import TARIFFS, Tariff
from gigbench.solvers.registry import checked

__all__ = [
    "JakartaCarParams",
    "JakartaOjolParams",
    "NycParams",
    "RideParams",
    "generate_jakarta_car",
    "generate_jakarta_ojol",
    "generate_nyc",
    "rush_profile",
    "tariff_of",
]

# NYC yellow + green taxi pickups by hour, March 2019 sample (6,500 trips), relative to the
# mean hour: lowest at 05:00, highest at 18:00.
NYC_HOURLY: tuple[float, ...] = (
    0.76, 0.42, 0.38, 0.27, 0.23, 0.19, 0.53, 0.83, 1.17, 1.19, 1.21, 1.09,
    1.25, 1.18, 1.34, 1.22, 1.26, 1.45, 1.54, 1.50, 1.38, 1.33, 1.19, 1.11,
)  # fmt: skip
# Median trip speed by pickup hour in the same sample (mph 8.7-17.1), in km/h.
NYC_SPEEDS: tuple[float, ...] = (
    20.6, 21.7, 23.2, 23.2, 27.0, 27.5, 24.0, 19.0, 15.0, 14.6, 14.2, 14.3,
    14.5, 14.8, 14.3, 14.8, 14.0, 14.6, 14.6, 16.3, 17.1, 18.0, 17.9, 18.5,
)  # fmt: skip
# Jakarta ride-hailing: morning commute 06-08, lunch, a higher evening peak 17-19.
JAKARTA_HOURLY: tuple[float, ...] = (
    0.25, 0.15, 0.10, 0.10, 0.20, 0.50, 1.05, 1.45, 1.35, 0.95, 0.85, 0.95,
    1.10, 1.00, 0.95, 1.05, 1.35, 1.60, 1.65, 1.40, 1.15, 0.90, 0.65, 0.40,
)  # fmt: skip
# Jakarta travel speed 18-26 km/h: free-flowing nights, morning low 20, evening low 18.
JAKARTA_SPEEDS: tuple[float, ...] = (
    26.0, 26.0, 26.0, 26.0, 25.0, 23.0, 21.0, 20.0, 20.0, 21.5, 22.5, 22.0,
    22.0, 22.0, 22.0, 21.0, 19.5, 18.0, 18.0, 19.0, 21.0, 23.0, 24.5, 25.5,
)  # fmt: skip


@dataclass(frozen=True)
class RideParams:
    """Parameters of a ride-hailing preset; also its Hydra schema (see the module docs).

    Units are in the names: km, hours (``_h``), minutes (``_min``), seconds (``_s``), km/h,
    currency units (``currency``) for fares, values and wages.
    """

    horizon_h: float = 24.0  # from 00:00
    n_tasks: int = 20000  # expected requests at rush_ramp = 0
    n_workers: int = 0  # fleet size; 0 = derived from supply_ratio
    supply_ratio: float = 1.5  # online worker-hours per requested trip-hour (when n_workers=0)
    rush_ramp: float = 0.0  # extra demand at each rush peak, as a share of the base
    rush_hours: tuple[float, ...] = (8.0, 18.0)  # peak hours of the ramps
    rush_width_h: float = 2.0  # half-width of each triangular ramp
    hotspot_share: float = 0.5  # share of origins/starts drawn around hotspots
    hotspot_xy: tuple[float, ...] = (5.0, 5.0)  # flat x0, y0, x1, y1, ... (km)
    hotspot_weights: tuple[float, ...] = (1.0,)  # one per hotspot
    hotspot_sigma_km: float = 1.0
    width_km: float = 10.0
    height_km: float = 10.0
    zone_km: float = 1.0
    hourly_profile: tuple[float, ...] = NYC_HOURLY
    speed_kmh_by_hour: tuple[float, ...] = NYC_SPEEDS
    trip_km_median: float = 3.0  # road distance
    trip_km_sigma: float = 0.8
    min_trip_km: float = 0.3
    max_trip_km: float = 40.0
    detour_factor: float = 1.3
    dest_gravity: float = 1.0  # pull of the demand density on drop-offs (0 = uniform direction)
    duration_overhead_min: float = 1.0
    duration_sigma: float = 0.25
    base_fare: float = 0.0
    per_km: float = 1.0
    per_km_max: float = 1.0
    per_min: float = 0.0
    min_fare: float = 0.0
    min_fare_max: float = 0.0
    min_fare_km: float = 0.0  # distance the minimum fare covers (min_fare / per_km)
    commission: float = 0.2  # platform's share of the fare
    fee: float = 0.0  # further fee on the fare (Jakarta's 5% support fee)
    value_markup: float = 1.3  # mean willingness to pay / fare at the upper bounds
    value_sigma: float = 0.3
    patience_mean_s: float = 300.0
    shift_hours: tuple[float, ...] = (4.0, 10.0)
    reservation_wage_per_h: tuple[float, ...] = (10.0, 20.0)
    vehicle: str = "car"
    group_labels: tuple[str, ...] = ("A", "B")
    group_shares: tuple[float, ...] = (0.5, 0.5)
    currency: str = "USD"
    idle_drivers: str = "seek_demand"  # wait | seek_demand: what idle drivers do, as calibrated

    def __post_init__(self) -> None:
        coerce_fields(self)

    def check(self) -> None:
        """Reject a value out of range (the field, what was expected, what was got, the fix)."""
        need = Checker(self)
        need.positive("horizon_h", "width_km", "height_km", "trip_km_median", "hotspot_sigma_km")
        need.positive("detour_factor", "patience_mean_s", "rush_width_h")
        need.non_negative("n_tasks", "n_workers", "rush_ramp", "trip_km_sigma", "value_sigma")
        need.non_negative("duration_overhead_min", "duration_sigma", "base_fare", "per_km")
        need.non_negative("per_min", "min_fare", "min_fare_km", "fee", "value_markup")
        need.non_negative("dest_gravity")
        need(self.supply_ratio > 0, "supply_ratio", "> 0", "e.g. 1.5")
        need(
            0 < self.zone_km <= min(self.width_km, self.height_km),
            "zone_km",
            "in (0, min(width_km, height_km)]",
            "shrink the zones",
        )
        need.share("hotspot_share")
        need(
            0 <= self.commission + self.fee < 1,
            "commission",
            "commission + fee in [0, 1)",
            "e.g. commission=0.15 fee=0.05",
        )
        need(self.per_km_max >= self.per_km, "per_km_max", ">= per_km", "raise the upper bound")
        need(self.min_fare_max >= self.min_fare, "min_fare_max", ">= min_fare", "raise it")
        need(self.detour_factor >= 1, "detour_factor", ">= 1", "1.0 is straight-line travel")
        need(
            0 <= self.min_trip_km < self.max_trip_km,
            "min_trip_km",
            "in [0, max_trip_km)",
            "lower it",
        )
        need.profile("hourly_profile")
        need.speeds("speed_kmh_by_hour")
        need(
            len(self.hotspot_xy) % 2 == 0 and len(self.hotspot_xy) >= 2,
            "hotspot_xy",
            "pairs x0, y0, x1, y1, ... (at least one)",
            "list x and y of every hotspot",
        )
        need(
            len(self.hotspot_weights) == len(self.hotspot_xy) // 2
            and all(w >= 0 for w in self.hotspot_weights)
            and sum(self.hotspot_weights) > 0,
            "hotspot_weights",
            "one weight >= 0 per hotspot, positive sum",
            "give one weight per (x, y) pair",
        )
        need.shift_hours()
        need.low_high("reservation_wage_per_h")
        need.groups()
        need(bool(self.currency), "currency", "a currency code", 'e.g. "USD"')
        need(
            self.idle_drivers in IDLE_DRIVERS,
            "idle_drivers",
            f"one of {', '.join(IDLE_DRIVERS)}",
            "seek_demand: they drive toward demand on their own; wait: where they dropped off",
        )


@dataclass(frozen=True)
class NycParams(RideParams):
    """``nyc``: NYC yellow/green taxi demand (March 2019 sample), an Uber-like platform, at the
    ``nyc`` tariff (fitted to the sample's metered fares; :data:`TARIFFS`)."""

    n_tasks: int = 20000
    hotspot_share: float = 0.8
    # Midtown, Lower Manhattan, Upper East, Upper West, Brooklyn, LaGuardia, JFK (km, rough).
    hotspot_xy: tuple[float, ...] = (
        10.0, 15.0, 7.5, 9.5, 12.0, 18.5, 9.5, 19.5, 11.5, 8.0, 18.5, 17.5, 21.0, 4.0,
    )  # fmt: skip
    hotspot_weights: tuple[float, ...] = (0.35, 0.18, 0.15, 0.12, 0.10, 0.05, 0.05)
    hotspot_sigma_km: float = 1.0
    width_km: float = 25.0
    height_km: float = 30.0
    hourly_profile: tuple[float, ...] = NYC_HOURLY
    speed_kmh_by_hour: tuple[float, ...] = NYC_SPEEDS
    trip_km_median: float = 2.6  # 1.64 mi in the sample
    trip_km_sigma: float = 0.95
    min_trip_km: float = 0.3
    max_trip_km: float = 50.0
    duration_overhead_min: float = 1.75
    duration_sigma: float = 0.3
    base_fare: float = TARIFFS["nyc"].base_fare
    per_km: float = TARIFFS["nyc"].per_km
    per_km_max: float = TARIFFS["nyc"].per_km_max
    per_min: float = TARIFFS["nyc"].per_min
    min_fare: float = TARIFFS["nyc"].min_fare
    min_fare_max: float = TARIFFS["nyc"].min_fare_max
    min_fare_km: float = TARIFFS["nyc"].min_fare_km
    commission: float = TARIFFS["nyc"].commission
    fee: float = TARIFFS["nyc"].fee
    value_markup: float = 1.6
    patience_mean_s: float = 1200.0
    supply_ratio: float = 1.4
    reservation_wage_per_h: tuple[float, ...] = (5.0, 15.0)
    currency: str = "USD"


@dataclass(frozen=True)
class _JakartaParams(RideParams):
    """Defaults the two Jakarta presets share: the city, its demand and the platform's cut."""

    hotspot_share: float = 0.6
    # Sudirman-Thamrin CBD, Tanah Abang, Kota Tua, Blok M, Kelapa Gading, Kuningan (km, rough).
    hotspot_xy: tuple[float, ...] = (
        14.0, 14.0, 12.5, 16.0, 12.0, 24.0, 11.0, 9.0, 21.0, 20.0, 15.5, 12.0,
    )  # fmt: skip
    hotspot_weights: tuple[float, ...] = (0.3, 0.15, 0.1, 0.15, 0.15, 0.15)
    hotspot_sigma_km: float = 1.5
    width_km: float = 30.0
    height_km: float = 28.0
    hourly_profile: tuple[float, ...] = JAKARTA_HOURLY
    speed_kmh_by_hour: tuple[float, ...] = JAKARTA_SPEEDS
    rush_hours: tuple[float, ...] = (7.0, 18.0)
    base_fare: float = TARIFFS["jakarta_ojol"].base_fare
    per_min: float = TARIFFS["jakarta_ojol"].per_min
    min_fare_km: float = TARIFFS["jakarta_ojol"].min_fare_km
    commission: float = TARIFFS["jakarta_ojol"].commission
    fee: float = TARIFFS["jakarta_ojol"].fee
    patience_mean_s: float = 300.0
    # Kemenhub survey (Sep 2022): most drivers work 6-12 hours a day; IDEAS (2023): 11.5 h.
    shift_hours: tuple[float, ...] = (7.0, 12.0)
    currency: str = "IDR"


@dataclass(frozen=True)
class JakartaOjolParams(_JakartaParams):
    """``jakarta_ojol``: motorbike taxi (ojek online) at the ``jakarta_ojol`` tariff (KP 667/2022,
    zone II; :data:`TARIFFS`). Trip lengths and wages are assumptions (docs/calibration.md)."""

    n_tasks: int = 20000
    trip_km_median: float = 5.0
    trip_km_sigma: float = 0.6
    min_trip_km: float = 0.5
    max_trip_km: float = 35.0
    detour_factor: float = 1.3
    duration_overhead_min: float = 1.0
    per_km: float = TARIFFS["jakarta_ojol"].per_km
    per_km_max: float = TARIFFS["jakarta_ojol"].per_km_max
    min_fare: float = TARIFFS["jakarta_ojol"].min_fare
    min_fare_max: float = TARIFFS["jakarta_ojol"].min_fare_max
    value_markup: float = 1.25
    supply_ratio: float = 2.0  # fitted: median pay per online hour near IDEAS' Rp 14,900
    reservation_wage_per_h: tuple[float, ...] = (8000.0, 20000.0)  # assumption, below UMP
    vehicle: str = "motorbike"


@dataclass(frozen=True)
class JakartaCarParams(_JakartaParams):
    """``jakarta_car``: app-based car (taksi online) at the ``jakarta_car`` tariff
    (SK.3244/AJ.801/DJPD/2017 zone I; :data:`TARIFFS`)."""

    n_tasks: int = 12000
    trip_km_median: float = 8.0
    trip_km_sigma: float = 0.6
    min_trip_km: float = 1.0
    max_trip_km: float = 45.0
    detour_factor: float = 1.35
    duration_overhead_min: float = 2.0
    base_fare: float = TARIFFS["jakarta_car"].base_fare
    per_min: float = TARIFFS["jakarta_car"].per_min
    min_fare_km: float = TARIFFS["jakarta_car"].min_fare_km
    commission: float = TARIFFS["jakarta_car"].commission
    fee: float = TARIFFS["jakarta_car"].fee
    per_km: float = TARIFFS["jakarta_car"].per_km
    per_km_max: float = TARIFFS["jakarta_car"].per_km_max
    min_fare: float = TARIFFS["jakarta_car"].min_fare
    min_fare_max: float = TARIFFS["jakarta_car"].min_fare_max
    value_markup: float = 1.2
    supply_ratio: float = 2.4  # fitted: median pay per online hour near LD FEB UI's Rp 23,000
    reservation_wage_per_h: tuple[float, ...] = (10000.0, 25000.0)  # assumption, below UMP
    vehicle: str = "car"


# --------------------------------------------------------------------------- sampling


def _origins(rng: np.random.Generator, n: int, p: RideParams) -> np.ndarray:
    size = np.array([p.width_km, p.height_km])
    points = rng.uniform(0.0, 1.0, size=(n, 2)) * size
    centres = np.asarray(p.hotspot_xy, dtype=np.float64).reshape(-1, 2)
    weights = np.asarray(p.hotspot_weights) / sum(p.hotspot_weights)
    which = rng.choice(len(centres), size=n, p=weights)
    hot = rng.random(n) < p.hotspot_share
    noise = rng.normal(0.0, p.hotspot_sigma_km, size=(n, 2))
    points[hot] = centres[which[hot]] + noise[hot]
    return np.clip(points, 0.0, size)


def demand_density(xy: np.ndarray, p: RideParams) -> np.ndarray:
    """Density (per km^2) of the origin distribution at points ``xy`` (``(..., 2)`` km): the
    hotspot Gaussians with weight ``hotspot_share`` plus the uniform rest."""
    centres = np.asarray(p.hotspot_xy, dtype=np.float64).reshape(-1, 2)
    weights = np.asarray(p.hotspot_weights) / sum(p.hotspot_weights)
    var = p.hotspot_sigma_km**2
    density = np.full(xy.shape[:-1], (1.0 - p.hotspot_share) / (p.width_km * p.height_km))
    for (cx, cy), w in zip(centres, weights, strict=True):
        d2 = (xy[..., 0] - cx) ** 2 + (xy[..., 1] - cy) ** 2
        density += p.hotspot_share * w * np.exp(-0.5 * d2 / var) / (2.0 * np.pi * var)
    return density


# Candidate directions per trip in the gravity model (evenly spaced, random phase).
_DIRECTIONS = 16


def _destinations(
    rng: np.random.Generator, origin: np.ndarray, road_km: np.ndarray, p: RideParams
) -> tuple[np.ndarray, np.ndarray]:
    """Drop-offs at straight-line distance ``road_km / detour_factor`` from each origin, in a
    direction chosen by a gravity model (module docs); trips whose circle leaves the city
    everywhere are clipped to it and their road distance recomputed."""
    size = np.array([p.width_km, p.height_km])
    n = len(origin)
    straight = road_km / p.detour_factor
    phase = rng.uniform(0.0, 2.0 * np.pi, size=(n, 1))
    angle = phase + np.arange(_DIRECTIONS) * (2.0 * np.pi / _DIRECTIONS)
    candidates = origin[:, None, :] + straight[:, None, None] * np.stack(
        [np.cos(angle), np.sin(angle)], axis=-1
    )
    inside = ((candidates >= 0) & (candidates <= size)).all(axis=-1)
    pull = np.where(inside, demand_density(candidates, p) ** p.dest_gravity, 0.0)
    total = pull.sum(axis=1)
    # Inverse-CDF choice of one candidate per row, with probability proportional to its pull.
    u = rng.random(n) * total
    choice = np.minimum((np.cumsum(pull, axis=1) < u[:, None]).sum(axis=1), _DIRECTIONS - 1)
    dest = candidates[np.arange(n), choice]
    dest = np.clip(dest, 0.0, size)  # no candidate inside: the chosen one clipped to the city
    road = p.detour_factor * np.hypot(*(dest - origin).T)
    return dest, np.maximum(road, p.min_trip_km)


def _zones(xy: np.ndarray, p: RideParams) -> np.ndarray:
    return grid_zones(xy, p.width_km, p.height_km, p.zone_km)


def tariff_of(p: RideParams) -> Tariff:
    """The tariff of the preset's figures: named after :data:`TARIFFS`' entry when it has them;
    its surge cap is the upper over the lower per-km bound (3 where no per-km rate is set)."""
    cap = p.per_km_max / p.per_km if p.per_km and p.per_km_max else 3.0
    tariff = Tariff(
        base_fare=p.base_fare,
        per_km=p.per_km,
        per_km_max=p.per_km_max,
        per_min=p.per_min,
        min_fare=p.min_fare,
        min_fare_max=p.min_fare_max,
        min_fare_km=p.min_fare_km,
        surge_cap=cap,
        commission=p.commission,
        fee=p.fee,
    )
    return tariff.named()


def _tasks(rng: np.random.Generator, p: RideParams) -> pa.Table:
    times = ramped_request_times(rng, p)
    n = len(times)
    origin = _origins(rng, n, p)
    road = rng.lognormal(math.log(p.trip_km_median), p.trip_km_sigma, size=n)
    road = np.clip(road, p.min_trip_km, p.max_trip_km)
    dest, road = _destinations(rng, origin, road, p)
    speeds = np.asarray(p.speed_kmh_by_hour)[(times // 3600.0).astype(np.int64) % 24]
    noise = mean_one_lognormal(rng, p.duration_sigma, n)
    duration = (p.duration_overhead_min + 60.0 * road / speeds) * noise
    value = tariff_of(p).ceiling(road, duration) * p.value_markup
    value = value * mean_one_lognormal(rng, p.value_sigma, n)
    patience = rng.exponential(p.patience_mean_s, size=n)
    return task_table(
        times, origin, dest, _zones(origin, p), _zones(dest, p), road, duration, value, patience
    )


def _workers(rng: np.random.Generator, p: RideParams, trip_hours: float) -> pa.Table:
    # Supply follows the work requested per hour: requests times a typical trip's duration.
    minutes = p.duration_overhead_min + 60.0 * p.trip_km_median / np.asarray(p.speed_kmh_by_hour)
    work = tuple((np.asarray(p.hourly_profile) * minutes).tolist())
    n = fleet_size(p.n_workers, p.supply_ratio, trip_hours, p.shift_hours, work, p.horizon_h)
    online, offline = shifts(rng, n, p.shift_hours, work, p.horizon_h)
    start = _origins(rng, n, p)
    wage = rng.uniform(*p.reservation_wage_per_h, size=n)
    group = groups(rng, n, p.group_labels, p.group_shares)
    return worker_table(online, offline, start, wage, group, vehicle=p.vehicle)


def generate_ride(params: RideParams, seed: int, name: str) -> Scenario:
    """A ride-hailing scenario from any :class:`RideParams`; pure in ``(params, seed)``."""
    if not isinstance(params, RideParams):
        raise TypeError(
            f"params: expected a RideParams, got {type(params).__name__}; call "
            f"gigbench.instances.generate({name!r}, values, seed)"
        )
    checked(params)
    rng_tasks, rng_workers = streams(seed, 2)
    tasks = _tasks(rng_tasks, params)
    trip_hours = float(np.sum(tasks.column("duration_min").to_numpy())) / 60.0
    workers = _workers(rng_workers, params, trip_hours)
    meta = ScenarioMeta(
        generator=name,
        params=dataclasses.asdict(params),
        seed=int(seed),
        horizon_s=params.horizon_h * 3600.0,
        market="ride_hailing",
        currency=params.currency,
        tariff=tariff_of(params),
        geography=Geography(params.width_km, params.height_km, params.zone_km),
        speed_kmh_by_hour=tuple(params.speed_kmh_by_hour),
        idle_drivers=params.idle_drivers,
    )
    return Scenario(tasks, workers, meta).with_hash()


def _is_a(params: object, cls: type, name: str) -> None:
    if not isinstance(params, cls):
        raise TypeError(
            f"params: expected a {cls.__name__}, got {type(params).__name__}; build one with "
            f"{cls.__name__}(**values) or call gigbench.instances.generate({name!r}, values, seed)"
        )


def generate_nyc(params: NycParams, seed: int) -> Scenario:
    """The ``nyc`` preset (see :class:`NycParams`)."""
    _is_a(params, NycParams, "nyc")
    return generate_ride(params, seed, "nyc")


def generate_jakarta_ojol(params: JakartaOjolParams, seed: int) -> Scenario:
    """The ``jakarta_ojol`` preset (see :class:`JakartaOjolParams`)."""
    _is_a(params, JakartaOjolParams, "jakarta_ojol")
    return generate_ride(params, seed, "jakarta_ojol")


def generate_jakarta_car(params: JakartaCarParams, seed: int) -> Scenario:
    """The ``jakarta_car`` preset (see :class:`JakartaCarParams`)."""
    _is_a(params, JakartaCarParams, "jakarta_car")
    return generate_ride(params, seed, "jakarta_car")
