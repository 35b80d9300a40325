"""Replay: trip records (raw files or a prepared dataset) in, a :class:`Scenario` out.

Tasks. ``request_time`` is the recorded request (high-volume FHV) or pick-up time, seconds
from the horizon start (:mod:`gigbench.instances.tlc.window`); ``distance_km = 1.609344 * miles``;
``duration_min`` = drop-off minus pick-up. Each trip end is its recorded point where the file
has one (pre-2016 New York, Chicago centroids), else its zone's point, plus an independent
Gaussian jitter of ``zone_jitter_km`` per axis (seeded); lon/lat are that jittered point.
The recorded market is kept: ``observed_fare``, ``observed_driver_pay``, ``observed_tips``
and the recorded request, on-scene and pick-up times (seconds on the horizon; NaN where the
file has none). The rider's willingness to pay is ``value = fare * max(1, M)``, ``M``
lognormal of mean ``value_markup`` and sigma ``value_sigma``: never below the recorded fare,
which the rider did pay. ``patience_s ~ Exp(patience_mean_s)``.

Speeds. ``speed_kmh_by_hour`` empty (default) = measured: the median of ``distance /
duration`` of the kept trips picked up in each hour of the day (hours with fewer than 20
trips take the NYC preset's figure).

The market: ride-hailing whose tasks carry the fares riders paid (``fares="recorded"``), priced
by rule at the NYC meter (the ``nyc_meter`` tariff); idle drivers wait where they dropped off;
a replay of one day is dated (``first_day``: ``day`` plus ``day_offset``).
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from gigbench.instances._tables import mean_one_lognormal, streams, task_table
from gigbench.instances.meta import Geography, ScenarioMeta
from gigbench.instances.presets import NYC_SPEEDS
from gigbench.instances.scenario import Scenario
from gigbench.instances.tariffs import TARIFFS
from gigbench.instances.tlc.clean import MILE_KM, Bounds, Cleaner, check_order
from gigbench.instances.tlc.dataset import dataset_files, is_dataset, read_parts
from gigbench.instances.tlc.params import ReplayError, ReplayParams
from gigbench.instances.tlc.read import Engine, TripFile, trip_files
from gigbench.instances.tlc.records import NULL_TIME, Trips
from gigbench.instances.tlc.report import RowReport
from gigbench.instances.tlc.supply import synthesize_supply
from gigbench.instances.tlc.window import Window
from gigbench.instances.tlc.zones import Plane, ZoneMapper, ZoneTable, read_zones
from gigbench.solvers.registry import checked

__all__ = ["bounds_of", "generate_replay", "replay"]

_FAR_KM = 100.0  # a recorded point this far beyond the zone table's map is in another city


def bounds_of(params: ReplayParams) -> Bounds:
    """The plausibility bounds named in ``params``."""
    names = {f.name for f in dataclasses.fields(Bounds)}
    return Bounds(**{k: v for k, v in dataclasses.asdict(params).items() if k in names})


def _zone_setup(params: ReplayParams) -> tuple[ZoneTable | None, ZoneMapper | None]:
    if not params.zones:
        return None, None
    zones = read_zones(params.zones, margin_km=3.0 * params.zone_jitter_km)
    return zones, ZoneMapper(zones, params.zone_shapes, params.max_zone_km)


def _read_files(
    params: ReplayParams, window: Window, cleaner: Cleaner, report: RowReport
) -> list[Trips]:
    kept = []
    for file in trip_files(params.path):
        trip_file = TripFile(file)
        layout = trip_file.layout
        if not layout.has_zones and cleaner.mapper is None:
            raise ReplayError(
                f"{file}: trip ends are longitude/latitude points (a pre-2016 file), expected "
                "a zone table to map them to zones; pass instance.zones=nyc (New York) "
                "(and instance.zone_shapes=<GeoJSON> for point-in-polygon)"
            )
        for batch in trip_file.batches(Engine(), report, window.span):
            check_order(file, layout, batch)
            keep = cleaner.keep(
                batch,
                report,
                outside=window.outside(batch.arrival()),
                needs_request="request" in layout.roles,
                has_zones=layout.has_zones,
            )
            kept.append(batch.take(keep))
    return kept


def _read_dataset(
    params: ReplayParams, window: Window, cleaner: Cleaner, report: RowReport
) -> list[Trips]:
    parts = read_parts(dataset_files(params.path, window.days(), params.service), report)
    kept = []
    for batch in parts:
        keep = cleaner.keep(batch, report, outside=window.outside(batch.arrival()))
        kept.append(batch.take(keep))
    return kept


def replay(params: ReplayParams, seed: int = 0) -> tuple[Scenario, RowReport]:
    """Replay the trips of ``params.path`` into a Scenario, and say where each row went.

    Raises :class:`ReplayError` (a ``ValueError``) for a missing file, a wrong header, an
    undecodable header, pick-up and drop-off columns that look swapped, a bad zone table, a
    long span without ``fold_days`` or ``allow_long``, and a window with no usable rows.
    A cell that does not parse never fails the file: its row is counted and dropped.
    """
    if not isinstance(params, ReplayParams):
        raise TypeError(
            f"params: expected a ReplayParams, got {type(params).__name__}; build one with "
            "ReplayParams(path=..., zones=...) or call "
            "gigbench.instances.generate('replay', values, seed)"
        )
    checked(params)
    rng_tasks, rng_workers = streams(seed, 2)
    zones, mapper = _zone_setup(params)
    window = Window(params)
    cleaner = Cleaner(bounds_of(params), zones, mapper)
    report = RowReport()
    read = _read_dataset if is_dataset(params.path) else _read_files
    trips = Trips.concat(read(params, window, cleaner, report))
    report.kept_rows = len(trips)
    report.check()
    if len(trips) == 0:
        span = window.span
        where = f"window {span[0]} to {span[1]}" if span else "file"
        raise ReplayError(
            f"{params.path}: expected trips in the {where}, got none usable out of "
            f"{report.input_rows} rows ({report.summary()}); pick a day the file covers "
            "(instance.day=YYYY-MM-DD) or set instance.day='' for the whole file"
        )
    arrival = trips.arrival()
    rel_s, horizon_s, _ = window.place(arrival, params.path)
    # ties in time are broken by a hash of every field: the order (and so every seeded draw)
    # never depends on the order a reader returned the rows in
    order = np.lexsort((_row_hash(trips), trips.pickup, rel_s))
    trips, rel_s, arrival = trips.take(order), rel_s[order], arrival[order]
    plane = _plane(params, zones, trips)
    tasks = _tasks(rng_tasks, trips, rel_s, arrival, plane, zones, params)
    speeds = (
        list(params.speed_kmh_by_hour)
        if params.speed_kmh_by_hour
        else _measured_speeds(trips, tasks)
    )
    first = window.first_hour
    speeds = speeds[first:] + speeds[:first]  # hour 0 of the horizon first
    pickup_s = tasks.column("observed_pickup_time").to_numpy()
    recorded = trips.request != NULL_TIME
    dispatch_s = np.where(recorded, rel_s, pickup_s - 60.0 * params.approach_min)
    dropoff_s = pickup_s + 60.0 * tasks.column("duration_min").to_numpy()
    workers = synthesize_supply(rng_workers, tasks, dispatch_s, dropoff_s, params, horizon_s)
    zone_km = math.sqrt(plane.width_km * plane.height_km / _n_zones(zones, tasks))
    meta = ScenarioMeta(
        generator="replay",
        params=dataclasses.asdict(params),
        seed=int(seed),
        horizon_s=float(horizon_s),
        market="ride_hailing",
        currency=params.currency,
        tariff=TARIFFS["nyc_meter"],
        geography=Geography(round(plane.width_km, 6), round(plane.height_km, 6), round(zone_km, 6)),
        speed_kmh_by_hour=tuple(speeds),
        fares="recorded",
        first_day=_first_day(params),
        notes={"projection": plane.meta(), "replay": report.as_dict()},
    )
    return Scenario(tasks, workers, meta).with_hash(), report


def _first_day(params: ReplayParams) -> str | None:
    """The calendar date of the horizon's first day (None for the whole file or folded days)."""
    if not params.day:
        return None
    return (date.fromisoformat(params.day) + timedelta(days=params.day_offset)).isoformat()


def _row_hash(t: Trips) -> np.ndarray:
    """A 64-bit FNV-style hash of each row's fields (identical rows hash alike)."""
    h = np.full(len(t), 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    for f in dataclasses.fields(Trips):
        if f.name != "unparseable":
            h = (h ^ np.ascontiguousarray(getattr(t, f.name)).view(np.uint64)) * prime
    return h


def _n_zones(zones: ZoneTable | None, tasks: pa.Table) -> int:
    if zones is not None:
        return zones.n_zones
    return max(1, len(np.unique(tasks.column("origin_zone").to_numpy())))


def _plane(params: ReplayParams, zones: ZoneTable | None, t: Trips) -> Plane:
    if zones is not None:
        return zones.plane
    lon = np.concatenate([t.pu_lon, t.do_lon])
    lat = np.concatenate([t.pu_lat, t.do_lat])
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        raise ReplayError(
            f"{params.path}: expected a zone table to place zone ids on a map, got "
            "instance.zones=''; pass instance.zones=nyc (New York) or a LocationID,lon,lat CSV"
        )
    return Plane.around(lon[ok], lat[ok], 3.0 * params.zone_jitter_km)


def _ends(
    zone: np.ndarray, lon: np.ndarray, lat: np.ndarray, plane: Plane, zones: ZoneTable | None
) -> tuple[np.ndarray, np.ndarray]:
    """Plane km of trip ends: the recorded point where finite, else the zone's point."""
    x, y = plane.xy(lon, lat)
    has_point = np.isfinite(x) & np.isfinite(y)
    half_w, half_h = plane.width_km / 2, plane.height_km / 2
    outside = (np.abs(x - half_w) > half_w + _FAR_KM) | (np.abs(y - half_h) > half_h + _FAR_KM)
    far = has_point & outside
    if far.any():
        raise ReplayError(
            f"trip points: expected them on the zone table's map, got {int(far.sum())} points "
            f"more than {_FAR_KM:g} km outside it (e.g. lon {lon[far][0]:.4f}, lat "
            f"{lat[far][0]:.4f}): the zone table is another city's; pass the matching table, "
            "or instance.zones='' for Chicago (its rows carry their points)"
        )
    if zones is not None and not has_point.all():
        ids = zone.astype(np.int64)
        x = np.where(has_point, x, zones.x[ids])
        y = np.where(has_point, y, zones.y[ids])
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ReplayError(
            "trip ends without a point: expected a zone table holding every zone id, or points "
            "in the file; pass instance.zones=<LocationID, lon, lat CSV>"
        )
    return x, y


def _tasks(
    rng: np.random.Generator,
    t: Trips,
    rel_s: np.ndarray,
    arrival: np.ndarray,
    plane: Plane,
    zones: ZoneTable | None,
    p: ReplayParams,
) -> pa.Table:
    n = len(rel_s)
    jitter = (
        rng.normal(0.0, p.zone_jitter_km, size=(n, 4)) if p.zone_jitter_km else np.zeros((n, 4))
    )
    ox, oy = _ends(t.pu, t.pu_lon, t.pu_lat, plane, zones)
    dx, dy = _ends(t.do, t.do_lon, t.do_lat, plane, zones)
    ox, oy, dx, dy = ox + jitter[:, 0], oy + jitter[:, 1], dx + jitter[:, 2], dy + jitter[:, 3]
    markup = np.maximum(1.0, p.value_markup * mean_one_lognormal(rng, p.value_sigma, n))

    def on_horizon(times: np.ndarray) -> np.ndarray:
        return np.where(times != NULL_TIME, rel_s + (times - arrival) / 1e6, np.nan)

    return task_table(
        rel_s,
        np.column_stack([ox, oy]),
        np.column_stack([dx, dy]),
        t.pu.astype(np.int32),
        t.do.astype(np.int32),
        t.miles * MILE_KM,
        (t.dropoff - t.pickup) / 6e7,
        t.fare * markup,
        rng.exponential(p.patience_mean_s, size=n),
        origin_lon_lat=plane.lon_lat(ox, oy),
        dest_lon_lat=plane.lon_lat(dx, dy),
        observed={
            "observed_fare": t.fare,
            "observed_driver_pay": t.driver_pay,
            "observed_tips": t.tips,
            "observed_request_time": on_horizon(t.request),
            "observed_on_scene_time": on_horizon(t.on_scene),
            "observed_pickup_time": on_horizon(t.pickup),
        },
    )


def _measured_speeds(t: Trips, tasks: pa.Table) -> list[float]:
    minutes = tasks.column("duration_min").to_numpy()
    km = tasks.column("distance_km").to_numpy()
    hour = (np.mod(t.pickup, 86_400 * 10**6) // (3_600 * 10**6)).astype(np.int64)
    speeds = []
    for h in range(24):
        sel = hour == h
        if sel.sum() >= 20:
            speeds.append(round(float(np.median(km[sel] / (minutes[sel] / 60.0))), 3))
        else:
            speeds.append(NYC_SPEEDS[h])
    return speeds


def generate_replay(params: ReplayParams, seed: int) -> Scenario:
    """The ``replay`` generator: :func:`replay` without the report (it is in
    ``meta["replay"]``)."""
    return replay(params, seed)[0]
