"""The parameters of ``instance=replay`` (its Hydra schema) and the package's one error type."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from gigbench.instances._params import Checker, coerce_fields
from gigbench.solvers.registry import need

__all__ = ["SUPPLY_METHODS", "TLC_URL", "ReplayError", "ReplayParams"]

SUPPLY_METHODS = ("fitted", "ratio")
# Where New York's trip files are published (not shipped with gigbench: 50-500 MB a month).
TLC_URL = "https://www.nyc.gov/site/tlc/about/tlc-trip-record-data.page"


class ReplayError(ValueError):
    """Unusable trip records, dataset or zone table: the message names the file, the
    expectation, what was found and the fix."""


@dataclass(frozen=True)
class Bounds:
    """Plausibility bounds; a trip beyond one is dropped and counted under that bound.

    Defaults (New York, USD) and why: ``max_trip_hours`` 4 and ``max_trip_km`` 250 (a trip to
    Philadelphia and back fits); ``max_speed_kmh`` 120 (above every limit on the way);
    ``max_fare`` 1,000 (above every flat fare and any metered day trip); ``max_fare_per_km``
    50 and ``max_fare_per_min`` 20, about 30 times the NYC meter (1.55 USD per km, 0.50 per
    minute in 2019), with the distance floored at ``floor_km`` = 2 and the duration at
    ``floor_min`` = 5 so that a short trip at a flat or minimum fare is never implausible.
    """

    max_trip_hours: float = 4.0
    max_trip_km: float = 250.0
    max_speed_kmh: float = 120.0
    max_fare: float = 1000.0
    max_fare_per_km: float = 50.0
    max_fare_per_min: float = 20.0
    floor_km: float = 2.0
    floor_min: float = 5.0


@dataclass(frozen=True)
class ReplayParams:
    """Parameters of :func:`gigbench.instances.tlc.replay`; also the Hydra schema of
    ``instance=replay``.

    ``path``: trip files (a file, a folder or a glob; CSV or Parquet of any TLC era or the
    Chicago TNP schema) or a dataset written by ``gigbench-tlc-prepare``. ``zones``: ``nyc``
    (the TLC's zone points, shipped with gigbench; ``instance=replay``'s default) or a
    ``LocationID, lon, lat`` CSV (required for New York; empty where the file carries points,
    as Chicago's does). ``zone_shapes``: optional polygons (GeoJSON) for mapping pre-2016
    points to zones; without them the nearest zone point is used.

    ``day`` (``YYYY-MM-DD``) plus ``day_offset`` days picks the window ``[day + start_hour,
    + hours)``; a sweep ``instance.day_offset=range(0,31)`` is one job per day. ``day=""``
    replays everything, which over more than ``max_days_unasked`` days needs ``fold_days``
    (every day overlaid on one) or ``allow_long``. The ``max_*`` fields are the plausibility
    bounds of :mod:`gigbench.instances.tlc.clean`, defaults from :class:`Bounds`.
    """

    path: str = ""
    zones: str = ""
    zone_shapes: str = ""
    service: str = ""  # datasets only: "" = every service, or e.g. "fhvhv"
    day: str = ""
    day_offset: int = 0  # days after ``day``: a sweep over range(0, N) is one job per day
    start_hour: int = 0
    hours: float = 24.0
    fold_days: bool = False
    allow_long: bool = False
    max_days_unasked: float = 7.0
    zone_jitter_km: float = 0.4
    max_zone_km: float = 3.0  # a point farther than this from every zone point is outside
    supply: str = "fitted"
    supply_headroom: float = 1.25  # fitted: online workers per concurrently busy vehicle
    supply_cell_km: float = 2.0  # fitted: the grid on which busy vehicles are counted
    approach_min: float = 5.0  # fitted: minutes to reach a pick-up when the file has no request
    n_workers: int = 0  # ratio: 0 = derived from supply_ratio
    supply_ratio: float = 1.5  # ratio: online worker-hours per replayed trip-hour
    shift_hours: tuple[float, ...] = (4.0, 10.0)
    reservation_wage_per_h: tuple[float, ...] = (15.0, 30.0)
    group_labels: tuple[str, ...] = ("A", "B")
    group_shares: tuple[float, ...] = (0.5, 0.5)
    value_markup: float = 1.2
    value_sigma: float = 0.3
    patience_mean_s: float = 300.0
    max_trip_hours: float = Bounds.max_trip_hours
    max_trip_km: float = Bounds.max_trip_km
    max_speed_kmh: float = Bounds.max_speed_kmh
    max_fare: float = Bounds.max_fare
    max_fare_per_km: float = Bounds.max_fare_per_km
    max_fare_per_min: float = Bounds.max_fare_per_min
    speed_kmh_by_hour: tuple[float, ...] = ()  # empty = measured from the trips
    currency: str = "USD"

    def __post_init__(self) -> None:
        coerce_fields(self)

    def check(self) -> None:
        """Reject a value out of range (the field, what was expected, what was got, the fix)."""
        need = Checker(self)
        need(
            bool(self.path),
            "path",
            "a TLC trip file, folder or glob (CSV or Parquet), or a prepared dataset",
            f"pass instance.path=<file> (e.g. yellow_tripdata_2024-01.parquet from {TLC_URL})",
        )
        if self.day:
            try:
                date.fromisoformat(self.day)
            except ValueError:
                need(False, "day", "a date YYYY-MM-DD or empty", "e.g. day=2024-01-15")
            need(
                not self.fold_days,
                "fold_days",
                "false when day is set",
                "set day='' to fold every day of the file onto one",
            )
        need(
            self.day_offset == 0 or bool(self.day),
            "day_offset",
            "0 when day is empty",
            "set the first day, e.g. day=2024-01-01 day_offset=3 for 2024-01-04",
        )
        need(0 <= self.start_hour < 24, "start_hour", "an hour in [0, 24)", "e.g. 0 or 7")
        need(self.hours > 0, "hours", "> 0", "e.g. 24")
        if self.fold_days:
            need(
                self.start_hour + self.hours <= 24,
                "hours",
                "start_hour + hours <= 24 when folding days",
                "shorten the window",
            )
        need(self.zone_jitter_km >= 0, "zone_jitter_km", ">= 0", "use 0 for zone centroids")
        need(
            self.supply in SUPPLY_METHODS,
            "supply",
            f"one of {', '.join(SUPPLY_METHODS)}",
            "fitted sizes the fleet to serve the recorded trips; ratio uses supply_ratio",
        )
        need(self.n_workers >= 0, "n_workers", ">= 0", "0 derives it from supply_ratio")
        need(
            self.supply == "ratio" or self.n_workers == 0,
            "n_workers",
            "0 with supply=fitted (the fleet is fitted to the recorded trips)",
            "set instance.supply=ratio to fix the fleet size",
        )
        need.positive("supply_ratio", "supply_headroom", "patience_mean_s", "max_days_unasked")
        need.positive("supply_cell_km")
        need.positive("max_trip_hours", "max_trip_km", "max_speed_kmh", "max_zone_km")
        need.positive("max_fare", "max_fare_per_km", "max_fare_per_min")
        need.non_negative("value_markup", "value_sigma", "approach_min")
        need.shift_hours()
        need.low_high("reservation_wage_per_h")
        need.groups()
        if self.speed_kmh_by_hour:
            need.speeds("speed_kmh_by_hour")

    def later(self, days: int) -> ReplayParams:
        """The params of the window ``days`` calendar days on (a run of successive days);
        refuses a replay of the whole file or of folded days (one horizon) and windows longer
        than a day (successive days would overlap)."""
        if days == 0:
            return self
        need(bool(self.day), "instance.day", "the first of the successive days to replay",
             self.day, "set instance.day=YYYY-MM-DD (a replay of the whole file, or of folded "
             "days, is one horizon)")  # fmt: skip
        need(self.hours <= 24.0, "instance.hours", "<= 24 for successive days (longer windows "
             "would overlap)", self.hours, "use instance.hours <= 24")  # fmt: skip
        return replace(self, day=(date.fromisoformat(self.day) + timedelta(days)).isoformat())
