"""Row cleaning: every record is kept or dropped under the first reason that applies.

Reasons, in the order they are tried:

1. ``malformed_<error>`` (CSV lines the reader rejects: counted in
:mod:`gigbench.instances.tlc.read`);
2. ``unparseable_<column>``: a cell of that column did not parse (the first such column);
3. ``outside_window``: the request (or pick-up) time is outside the replayed window;
4. ``null_time``: no pick-up or drop-off time (or no request time in a file that has them);
5. ``null_zone`` (no zone id) or, for files with points instead of zones, ``null_point``
   (NaN, out of range or the (0, 0) placeholder) then ``outside_zones`` (the point is in no
   zone: see :class:`gigbench.instances.tlc.zones.ZoneMapper`);
6. ``unknown_zone``: not an integer, a pseudo-zone (264, 265) or missing from the zone table;
7. ``null_field``: distance or fare null or infinite;
8. ``dropoff_before_pickup``, ``zero_duration``, ``request_after_pickup``, ``negative_fare``,
   ``non_positive_distance``;
9. the plausibility bounds (:class:`Bounds`), each counted on its own:
   ``implausible_duration``, ``implausible_distance``, ``implausible_speed``,
   ``implausible_fare``, ``implausible_fare_per_km``, ``implausible_fare_per_min``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gigbench.instances.tlc.params import Bounds, ReplayError
from gigbench.instances.tlc.records import NULL_TIME, Trips
from gigbench.instances.tlc.report import RowReport
from gigbench.instances.tlc.sources import Layout
from gigbench.instances.tlc.zones import PSEUDO_ZONES, ZoneMapper, ZoneTable

__all__ = ["MILE_KM", "Bounds", "Cleaner", "check_order"]

MILE_KM = 1.609344


class Cleaner:
    """Classifies :class:`Trips` rows; maps points to zones where a file has no zone ids."""

    def __init__(
        self,
        bounds: Bounds,
        zones: ZoneTable | None = None,
        mapper: ZoneMapper | None = None,
    ) -> None:
        self.bounds = bounds
        self.zones = zones
        self.mapper = mapper

    def keep(
        self,
        t: Trips,
        report: RowReport,
        *,
        outside: np.ndarray | None = None,
        needs_request: bool = False,
        has_zones: bool = True,
    ) -> np.ndarray:
        """The keep mask; every other row counted in ``report`` under its first reason.

        ``outside`` marks rows outside the window; ``needs_request`` makes a null request time
        ``null_time``; ``has_zones`` False means the file has points only: they are mapped to
        zones here (``t.pu``, ``t.do`` are overwritten with the mapped ids).
        """
        n = len(t)
        alive = np.ones(n, dtype=bool)

        def drop(reason: str, mask: np.ndarray) -> None:
            hit = alive & mask
            report.add(reason, int(hit.sum()))
            alive[hit] = False

        bad = t.unparseable != ""
        if bad.any():
            names, codes = np.unique(t.unparseable[bad], return_inverse=True)
            for i, name in enumerate(names):
                report.add(f"unparseable_{name}", int((codes == i).sum()))
            alive[bad] = False
        if outside is not None:
            drop("outside_window", outside)
        null_time = (t.pickup == NULL_TIME) | (t.dropoff == NULL_TIME)
        if needs_request:
            null_time |= t.request == NULL_TIME
        drop("null_time", null_time)
        if has_zones:
            drop("null_zone", np.isnan(t.pu) | np.isnan(t.do))
        else:
            self._map_points(t, alive, drop, report)
        drop("unknown_zone", ~(self._known(t.pu) & self._known(t.do)))
        drop("null_field", ~np.isfinite(t.miles) | ~np.isfinite(t.fare))
        drop("dropoff_before_pickup", t.dropoff < t.pickup)
        drop("zero_duration", t.dropoff == t.pickup)
        drop("request_after_pickup", (t.request != NULL_TIME) & (t.request > t.pickup))
        drop("negative_fare", t.fare < 0)
        drop("non_positive_distance", t.miles <= 0)
        b = self.bounds
        minutes = (t.dropoff - t.pickup) / 6e7
        km = t.miles * MILE_KM
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            speed = km / (minutes / 60.0)  # inf for a near-zero duration: implausible
            drop("implausible_duration", minutes > 60.0 * b.max_trip_hours)
            drop("implausible_distance", km > b.max_trip_km)
            drop("implausible_speed", speed > b.max_speed_kmh)
            drop("implausible_fare", t.fare > b.max_fare)
            drop("implausible_fare_per_km", t.fare / np.maximum(km, b.floor_km) > b.max_fare_per_km)
            drop(
                "implausible_fare_per_min",
                t.fare / np.maximum(minutes, b.floor_min) > b.max_fare_per_min,
            )
        return alive

    def _known(self, ids: np.ndarray) -> np.ndarray:
        # zone ids are small: beyond 2**31 a float id is "unknown", not an int64 overflow
        with np.errstate(invalid="ignore"):
            integral = np.isfinite(ids) & (ids == np.floor(ids)) & (np.abs(ids) < 2**31)
        as_int = np.where(integral, ids, -1).astype(np.int64)
        if self.zones is not None:
            return integral & self.zones.known(as_int)
        return integral & (as_int > 0) & ~np.isin(as_int, PSEUDO_ZONES)

    def _map_points(self, t: Trips, alive: np.ndarray, drop, report: RowReport) -> None:
        if self.mapper is None:
            raise ValueError(  # callers check this first and raise a ReplayError
                "points without a zone mapper"
            )
        ends = ((t.pu_lon, t.pu_lat), (t.do_lon, t.do_lat))
        null = np.zeros(len(t), dtype=bool)
        for lon, lat in ends:
            with np.errstate(invalid="ignore"):
                null |= ~np.isfinite(lon) | ~np.isfinite(lat) | (np.abs(lat) > 90)
                null |= np.abs(lon) > 180
                null |= (np.abs(lon) < 1e-6) & (np.abs(lat) < 1e-6)
        drop("null_point", null)
        rows = np.flatnonzero(alive)
        outside = np.zeros(len(t), dtype=bool)
        for (lon, lat), target in zip(ends, (t.pu, t.do), strict=True):
            ids = self.mapper(lon[rows], lat[rows])
            target[rows] = np.where(ids >= 0, ids, np.nan)
            outside[rows] |= ids < 0
            report.mapped(self.mapper.method, len(rows), int((ids < 0).sum()))
        drop("outside_zones", outside)


def check_order(file: Path, layout: Layout, t: Trips) -> None:
    """Refuse a file whose drop-off precedes its pick-up in most rows: the columns are swapped."""
    both = (t.pickup != NULL_TIME) & (t.dropoff != NULL_TIME)
    if both.sum() >= 20 and (t.dropoff[both] < t.pickup[both]).mean() > 0.5:
        raise ReplayError(
            f"{file}: timestamps out of order: expected {layout.roles['dropoff']} after "
            f"{layout.roles['pickup']}, got the drop-off first in "
            f"{(t.dropoff[both] < t.pickup[both]).mean():.0%} of the rows; the two columns look "
            "swapped: restore the TLC header"
        )
