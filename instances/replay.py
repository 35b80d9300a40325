"""Replay NYC TLC trip records (yellow, green, high-volume FHV; CSV or Parquet) as a Scenario.

Reading. Every file is opened with ``pyarrow.dataset``; only the eight columns the replay
needs are read, and for Parquet the time window is pushed down as a filter (row groups outside
it are skipped on their statistics), so one day out of a 20-million-row month reads about one
thirtieth of the file. Column names are matched case-insensitively across the TLC variants:

=========  ===============================================================================
role       accepted names
=========  ===============================================================================
pickup     ``tpep_pickup_datetime`` (yellow), ``lpep_pickup_datetime`` (green),
           ``pickup_datetime`` (FHV, HVFHV)
dropoff    ``tpep_dropoff_datetime``, ``lpep_dropoff_datetime``, ``dropoff_datetime``
           (``dropOff_datetime`` in FHV files)
request    ``request_datetime`` (HVFHV only; otherwise the pick-up time is the request time)
zones      ``PULocationID`` / ``DOLocationID`` (``PUlocationID`` in FHV files)
distance   ``trip_distance`` or ``trip_miles`` (miles)
fare       ``fare_amount`` or ``base_passenger_fare`` (USD, before tips, tolls and taxes)
=========  ===============================================================================

Schema drift is normalised per file: location IDs int32, int64, float or string -> int64;
timestamps in s, ms, us or ns (or ISO strings, ``string`` or ``large_string``) -> microseconds.

Every input row is either kept or counted in :class:`ReplayReport` under the first reason that
applies, in this order: ``outside_window``, ``null_time``, ``null_zone``, ``unknown_zone``
(264/265, not in the zone table, or not an integer), ``null_field`` (distance or fare null or
infinite), ``dropoff_before_pickup``, ``zero_duration``, ``request_after_pickup``,
``negative_fare``, ``non_positive_distance``, ``implausible`` (longer than ``max_trip_hours``
or ``max_trip_km``, or faster than ``max_speed_kmh``). ``input_rows == kept_rows +
sum(dropped)`` always holds.

Geometry. A zone table (``LocationID, lon, lat``: one point per zone) is projected to a local
km plane (equirectangular around the table's mean latitude, origin ``margin = 3 *
zone_jitter_km`` south-west of the westernmost and southernmost zone); each trip end is its
zone's point plus an independent Gaussian jitter of ``zone_jitter_km`` per axis (seeded), and
lon/lat are that jittered point mapped back.

Tasks. ``request_time`` is seconds from the window start (or from midnight of each trip's own
day with ``fold_days``); ``distance_km = 1.609344 * miles``; ``duration_min`` = drop-off minus
pick-up; ``observed_fare`` = the fare column; ``value = observed_fare * M`` with ``M`` lognormal
of mean ``value_markup`` and sigma ``value_sigma``; ``patience_s ~ Exp(patience_mean_s)``.

Supply (no public trip file carries a driver id, so it is synthetic). Fleet size
``n_workers``, or when 0 ``round(supply_ratio * trip hours / mean shift hours)``. Shift length
``U(shift_hours)``, midpoint drawn from the replayed requests' hour-of-day histogram, so
supply follows the day's demand; start positions are pick-up points of the first hour's trips
(all trips if that hour is empty) with fresh zone jitter; reservation wages
``U(reservation_wage_per_h)``; groups by ``group_shares``.

Speeds. ``speed_kmh_by_hour`` empty (default) = measured: the median of ``distance /
duration`` of the kept trips picked up in each hour of the day (hours with fewer than 20 trips
take the NYC preset's figure).
"""

from __future__ import annotations

import csv
import dataclasses
import glob
import io
import math
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from instances._params import Checker, coerce_fields
from instances._tables import (
    fleet_size,
    groups,
    mean_one_lognormal,
    shifts,
    streams,
    task_table,
    worker_table,
)
from instances.presets import NYC_SPEEDS
from instances.scenario import SCHEMA_VERSION, Scenario

__all__ = [
    "DROP_REASONS",
    "ReplayError",
    "ReplayParams",
    "ReplayReport",
    "ZoneTable",
    "generate_replay",
    "read_zones",
    "replay",
]

MILE_KM = 1.609344
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_EQUATOR = 111.320
PSEUDO_ZONES = (264, 265)  # "Unknown" and "Outside of NYC" in the TLC zone lookup

DROP_REASONS = (
    "outside_window",
    "null_time",
    "null_zone",
    "unknown_zone",
    "null_field",
    "dropoff_before_pickup",
    "zero_duration",
    "request_after_pickup",
    "negative_fare",
    "non_positive_distance",
    "implausible",
)

_ROLES: dict[str, tuple[str, ...]] = {
    "pickup": ("tpep_pickup_datetime", "lpep_pickup_datetime", "pickup_datetime"),
    "dropoff": ("tpep_dropoff_datetime", "lpep_dropoff_datetime", "dropoff_datetime"),
    "request": ("request_datetime",),
    "pu": ("pulocationid",),
    "do": ("dolocationid",),
    "miles": ("trip_distance", "trip_miles"),
    "fare": ("fare_amount", "base_passenger_fare"),
}
_OPTIONAL = frozenset({"request"})
_TIME_ROLES = ("pickup", "dropoff", "request")
_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".txt")
_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")


class ReplayError(ValueError):
    """Unusable trip records or zone table: the message names the file, the expectation, what
    was found and the fix."""


# --------------------------------------------------------------------------- params


@dataclass(frozen=True)
class ReplayParams:
    """Parameters of :func:`generate_replay`; also the Hydra schema of ``instance=replay``.

    ``path``: a trip file, a folder of them or a glob; ``zones``: the ``LocationID, lon, lat``
    CSV. ``day`` (``YYYY-MM-DD``) picks the window ``[day + start_hour, + hours)``; ``day=""``
    replays the whole file, or with ``fold_days`` overlays every day on one day and keeps the
    times of day in ``[start_hour, start_hour + hours)``.
    """

    path: str = ""
    zones: str = ""
    day: str = ""
    start_hour: int = 0
    hours: float = 24.0
    fold_days: bool = False
    zone_jitter_km: float = 0.4
    n_workers: int = 0  # 0 = derived from supply_ratio
    supply_ratio: float = 1.5  # online worker-hours per replayed trip-hour
    shift_hours: tuple[float, ...] = (4.0, 10.0)
    reservation_wage_per_h: tuple[float, ...] = (15.0, 30.0)
    group_labels: tuple[str, ...] = ("A", "B")
    group_shares: tuple[float, ...] = (0.5, 0.5)
    value_markup: float = 1.2
    value_sigma: float = 0.3
    patience_mean_s: float = 300.0
    max_trip_hours: float = 4.0
    max_trip_km: float = 250.0
    max_speed_kmh: float = 120.0
    speed_kmh_by_hour: tuple[float, ...] = ()  # empty = measured from the trips
    currency: str = "USD"

    def __post_init__(self) -> None:
        coerce_fields(self)
        need = Checker(self)
        need(
            bool(self.path),
            "path",
            "a TLC trip file, folder or glob (CSV or Parquet)",
            "pass instance.path=<file> (e.g. yellow_tripdata_2024-01.parquet)",
        )
        need(
            bool(self.zones),
            "zones",
            "a zone table CSV with columns LocationID, lon, lat",
            "pass instance.zones=<csv> (e.g. ../shared/data/nyc/taxi_zone_centroids.csv)",
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
        need(self.n_workers >= 0, "n_workers", ">= 0", "0 derives it from supply_ratio")
        need.positive("supply_ratio", "patience_mean_s", "max_trip_hours", "max_trip_km")
        need.positive("max_speed_kmh")
        need.non_negative("value_markup", "value_sigma")
        need.low_high("shift_hours")
        need(self.shift_hours[1] > 0, "shift_hours", "a positive maximum", "e.g. [4, 10]")
        need.low_high("reservation_wage_per_h")
        need(
            len(self.group_shares) == len(self.group_labels) >= 1
            and sum(self.group_shares) > 0
            and min(self.group_shares) >= 0,
            "group_shares",
            "one share >= 0 per label",
            "one share per group label",
        )
        if self.speed_kmh_by_hour:
            need.speeds("speed_kmh_by_hour")


# --------------------------------------------------------------------------- report


@dataclass
class ReplayReport:
    """Where every input row went: ``input_rows == kept_rows + sum(dropped.values())``."""

    input_rows: int = 0
    kept_rows: int = 0
    dropped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DROP_REASONS, 0))
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> variant, rows

    @property
    def dropped_rows(self) -> int:
        """Rows dropped, all reasons together."""
        return sum(self.dropped.values())

    def add(self, reason: str, count: int) -> None:
        """Count ``count`` rows dropped for ``reason`` (one of :data:`DROP_REASONS`)."""
        self.dropped[reason] += int(count)

    def check(self) -> None:
        """Raise ``AssertionError`` unless every input row is accounted for."""
        if self.input_rows != self.kept_rows + self.dropped_rows:
            raise AssertionError(
                f"replay report does not add up: {self.input_rows} input rows, "
                f"{self.kept_rows} kept + {self.dropped_rows} dropped"
            )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (stored in ``meta["replay"]``)."""
        return {
            "input_rows": self.input_rows,
            "kept_rows": self.kept_rows,
            "dropped": dict(self.dropped),
            "files": {name: dict(info) for name, info in self.files.items()},
        }

    def __str__(self) -> str:
        lines = [f"replay: {self.input_rows} input rows, {self.kept_rows} kept"]
        lines += [f"  dropped {n:>10}  {reason}" for reason, n in self.dropped.items() if n]
        return "\n".join(lines)


# --------------------------------------------------------------------------- zones


@dataclass(frozen=True)
class ZoneTable:
    """Zone points on a local km plane. ``x[id]``, ``y[id]`` are NaN for unknown ids."""

    path: str
    x: np.ndarray
    y: np.ndarray
    lon0: float
    lat0: float
    kx: float  # km per degree of longitude at the reference latitude
    width_km: float
    height_km: float
    n_zones: int

    def known(self, ids: np.ndarray) -> np.ndarray:
        """Which ids have a point (pseudo-zones 264/265 never do)."""
        ok = (ids >= 0) & (ids < len(self.x))
        ok[ok] = ~np.isnan(self.x[ids[ok]])
        return ok & ~np.isin(ids, PSEUDO_ZONES)

    def lon_lat(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Plane km back to degrees."""
        return self.lon0 + x / self.kx, self.lat0 + y / KM_PER_DEG_LAT


def read_zones(path: str | os.PathLike[str], margin_km: float = 1.2) -> ZoneTable:
    """Read a ``LocationID, lon, lat`` CSV and project it to a km plane (see module docs)."""
    file = Path(path)
    fix = "give a CSV with header LocationID,lon,lat (one row per zone, degrees WGS84)"
    if not file.is_file():
        raise ReplayError(f"{file}: zone table not found; expected a CSV file; {fix}")
    names = _csv_header(file, "zone table")
    lower = {name.lower(): name for name in names}
    missing = [n for n in ("locationid", "lon", "lat") if n not in lower]
    if missing:
        raise ReplayError(
            f"{file}: zone table: missing column(s) {', '.join(missing)}; expected LocationID, "
            f"lon, lat; got {', '.join(names) or 'no header'}; {fix}"
        )
    try:
        table = pacsv.read_csv(
            file,
            convert_options=pacsv.ConvertOptions(
                include_columns=[lower["locationid"], lower["lon"], lower["lat"]],
                column_types={
                    lower["locationid"]: pa.int64(),
                    lower["lon"]: pa.float64(),
                    lower["lat"]: pa.float64(),
                },
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ReplayError(
            f"{file}: zone table: expected integer LocationID and numeric lon, lat, got an "
            f"unreadable value ({str(exc).splitlines()[0]}); {fix}"
        ) from None
    ids = table.column(lower["locationid"]).to_numpy(zero_copy_only=False)
    lon = table.column(lower["lon"]).to_numpy(zero_copy_only=False)
    lat = table.column(lower["lat"]).to_numpy(zero_copy_only=False)
    if table.num_rows == 0:
        raise ReplayError(f"{file}: zone table: expected at least one zone, got none; {fix}")
    bad = ~np.isfinite(lon) | ~np.isfinite(lat) | (np.abs(lat) > 90) | (np.abs(lon) > 180)
    bad |= np.isnan(ids.astype(np.float64)) | (ids < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ReplayError(
            f"{file}: zone table: row {row + 2}: expected LocationID >= 0, lon in [-180, 180], "
            f"lat in [-90, 90], got {ids[row]}, {lon[row]}, {lat[row]}; {fix}"
        )
    ids = ids.astype(np.int64)
    unique, counts = np.unique(ids, return_counts=True)
    if (counts > 1).any():
        raise ReplayError(
            f"{file}: zone table: expected one row per LocationID, got duplicates "
            f"{unique[counts > 1][:5].tolist()}; keep one point per zone"
        )
    lat_ref = float(np.mean(lat))
    kx = KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat_ref))
    lon0 = float(lon.min()) - margin_km / kx
    lat0 = float(lat.min()) - margin_km / KM_PER_DEG_LAT
    x = np.full(int(ids.max()) + 1, np.nan)
    y = np.full_like(x, np.nan)
    x[ids] = (lon - lon0) * kx
    y[ids] = (lat - lat0) * KM_PER_DEG_LAT
    return ZoneTable(
        path=str(file),
        x=x,
        y=y,
        lon0=lon0,
        lat0=lat0,
        kx=kx,
        width_km=float(np.nanmax(x)) + margin_km,
        height_km=float(np.nanmax(y)) + margin_km,
        n_zones=len(ids),
    )


# --------------------------------------------------------------------------- reading


def _csv_header(file: Path, what: str) -> list[str]:
    """The header of a UTF-8 CSV; undecodable bytes raise a ReplayError naming the fix."""
    try:
        with open(file, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise ReplayError(f"{file}: cannot read the {what} ({exc}); check the path") from None
    if file.suffix == ".gz" or head[:2] == b"\x1f\x8b":
        import gzip
        import zlib

        try:
            with gzip.open(file, "rb") as handle:
                head = handle.read(1 << 16)
        except (OSError, EOFError, zlib.error) as exc:
            raise ReplayError(
                f"{file}: {what}: expected gzip-compressed CSV (the file starts like gzip), got "
                f"a corrupt or truncated stream ({exc or type(exc).__name__}); download it again"
            ) from None
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReplayError(
            f"{file}: {what}: expected UTF-8 text, got undecodable bytes in the header "
            f"({exc.reason} at byte {exc.start}); re-encode it, e.g. "
            f"iconv -f UTF-16 -t UTF-8 (or -f LATIN1), or convert it to Parquet"
        ) from None
    if "\x00" in text:
        raise ReplayError(
            f"{file}: {what}: expected a UTF-8 CSV, got NUL bytes (UTF-16 or a binary file); "
            "re-encode it with iconv -f UTF-16 -t UTF-8 or pass the Parquet file itself"
        )
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:  # e.g. a bare carriage return inside the header line
        raise ReplayError(
            f"{file}: {what}: expected a comma-separated header line, got one that does not "
            f"parse ({exc}); pass the file unmodified (lines end in \\n or \\r\\n)"
        ) from None
    return [name.strip().lstrip("\ufeff") for name in header]


def _is_parquet(file: Path) -> bool:
    name = file.name.lower()
    if name.endswith(_PARQUET_SUFFIXES):
        return True
    if name.endswith(_CSV_SUFFIXES):
        return False
    with open(file, "rb") as handle:
        return handle.read(4) == b"PAR1"


def _resolve(file: Path, names: list[str]) -> dict[str, str]:
    """Role -> column name in this file (case-insensitive)."""
    lower: dict[str, str] = {}
    for name in names:
        lower.setdefault(name.lower(), name)
    roles = {}
    for role, candidates in _ROLES.items():
        found = [lower[c] for c in candidates if c in lower]
        if found:
            roles[role] = found[0]
        elif role not in _OPTIONAL:
            want = " or ".join(candidates)
            raise ReplayError(
                f"{file}: missing the {role} column: expected {want} (TLC yellow, green or "
                f"high-volume FHV trip records), got columns {', '.join(names) or 'none'}; "
                "pass an unmodified TLC trip file (FHV files without trip distance and fare "
                "cannot be replayed)"
            )
    return roles


def _variant(roles: dict[str, str]) -> str:
    pickup = roles["pickup"].lower()
    if pickup.startswith("tpep"):
        return "yellow"
    if pickup.startswith("lpep"):
        return "green"
    return "fhvhv" if "request" in roles else "fhv"


def _to_micros(file: Path, column: pa.ChunkedArray, name: str) -> np.ndarray:
    """Timestamps of any unit (or ISO strings) as int64 microseconds; null -> INT64 min."""
    try:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = column.cast(pa.string()).cast(pa.timestamp("us"))
        elif pa.types.is_timestamp(column.type):
            if column.type.tz is not None:
                column = column.cast(pa.timestamp(column.type.unit))
            column = column.cast(pa.timestamp("us"), safe=False)
        else:
            raise pa.ArrowInvalid(f"type {column.type}")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ReplayError(
            f"{file}: column {name!r}: expected timestamps (e.g. 2024-01-15 08:30:00), got "
            f"{column.type} values that do not parse ({str(exc).splitlines()[0]}); pass the "
            "TLC file unmodified or write ISO timestamps"
        ) from None
    ints = column.cast(pa.int64())
    return ints.fill_null(np.iinfo(np.int64).min).to_numpy()


def _to_float(file: Path, column: pa.ChunkedArray, name: str) -> np.ndarray:
    """Numbers (int, float, decimal or numeric strings) as float64; null -> NaN."""
    try:
        out = column.cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ReplayError(
            f"{file}: column {name!r}: expected numbers, got {column.type} values that do not "
            f"convert ({str(exc).splitlines()[0]}); pass the TLC file unmodified"
        ) from None
    return out.to_numpy(zero_copy_only=False)


@dataclass
class _Trips:
    """The needed columns of the in-window rows, as numpy arrays (times in microseconds)."""

    request: np.ndarray
    pickup: np.ndarray
    dropoff: np.ndarray
    pu: np.ndarray  # float64, NaN = null
    do: np.ndarray
    miles: np.ndarray
    fare: np.ndarray

    @staticmethod
    def concat(parts: list[_Trips]) -> _Trips:
        """One _Trips from several."""
        return _Trips(
            *(
                np.concatenate([getattr(p, f.name) for p in parts])
                for f in dataclasses.fields(_Trips)
            )
        )


_NULL_TIME = np.iinfo(np.int64).min


def _open(file: Path) -> tuple[ds.Dataset, list[str], bool]:
    parquet = _is_parquet(file)
    if parquet:
        try:
            names = pq.read_schema(file).names
            dataset = ds.dataset(file, format="parquet")
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise ReplayError(
                f"{file}: expected a Parquet file, got unreadable data "
                f"({(str(exc).splitlines() or [type(exc).__name__])[0]}); the file is truncated, "
                "not Parquet or has duplicate column names: download it again or name a CSV "
                "file *.csv"
            ) from None
        return dataset, names, True
    names = _csv_header(file, "trip records")
    csv_format = _csv_format(file, names)
    try:
        return ds.dataset(file, format=csv_format), names, False
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise _parse_error(file, "CSV", exc) from None


def _parse_error(file: Path, variant: str, exc: Exception) -> ReplayError:
    text = str(exc).splitlines()[0]
    text = text.split("?: ", 1)[-1]  # drop pyarrow's "Is this a 'csv' file?" preamble
    if "utf8" in text.lower() or "utf-8" in text.lower():
        return ReplayError(
            f"{file}: expected UTF-8 text, got undecodable bytes ({text}); re-encode it "
            "(iconv -f LATIN1 -t UTF-8) or pass the Parquet file"
        )
    return ReplayError(
        f"{file}: expected TLC {variant} trip records, got data that does not parse ({text}); "
        "pass the TLC file unmodified (timestamps like 2024-01-15 08:30:00, numeric zones, "
        "distances and fares)"
    )


def _csv_format(file: Path, names: list[str]) -> ds.CsvFileFormat:
    roles = _resolve(file, names)
    types: dict[str, pa.DataType] = {}
    for role, name in roles.items():
        types[name] = pa.timestamp("us") if role in _TIME_ROLES else pa.float64()
    convert = pacsv.ConvertOptions(
        column_types=types,
        timestamp_parsers=[pacsv.ISO8601, "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M"],
        strings_can_be_null=True,
    )
    return ds.CsvFileFormat(convert_options=convert, read_options=pacsv.ReadOptions())


def _read_file(
    file: Path, window: tuple[datetime, datetime] | None, report: ReplayReport
) -> _Trips | None:
    dataset, names, parquet = _open(file)
    roles = _resolve(file, names)
    variant = _variant(roles)
    time_col = roles.get("request", roles["pickup"])
    columns = list(dict.fromkeys(roles.values()))
    try:
        total = dataset.count_rows()
        filt = None
        time_type = dataset.schema.field(time_col).type
        if window is not None and parquet and pa.types.is_timestamp(time_type):
            unit_type = pa.timestamp(time_type.unit, tz=time_type.tz)
            start = pa.scalar(window[0], type=pa.timestamp("us")).cast(unit_type)
            end = pa.scalar(window[1], type=pa.timestamp("us")).cast(unit_type)
            filt = (ds.field(time_col) >= start) & (ds.field(time_col) < end)
        table = dataset.to_table(columns=columns, filter=filt, batch_readahead=4)
        pushed_null = 0
        if filt is not None:
            pushed_null = dataset.count_rows(filter=ds.field(time_col).is_null())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
        raise _parse_error(file, variant, exc) from None
    report.input_rows += total
    report.files[str(file)] = {"variant": variant, "rows": total}
    if filt is not None:
        report.add("null_time", pushed_null)
        report.add("outside_window", total - table.num_rows - pushed_null)
    if table.num_rows == 0:
        return None
    pickup = _to_micros(file, table.column(roles["pickup"]), roles["pickup"])
    dropoff = _to_micros(file, table.column(roles["dropoff"]), roles["dropoff"])
    request = (
        _to_micros(file, table.column(roles["request"]), roles["request"])
        if "request" in roles
        else pickup
    )
    both = (pickup != _NULL_TIME) & (dropoff != _NULL_TIME)
    if both.sum() >= 20 and (dropoff[both] < pickup[both]).mean() > 0.5:
        raise ReplayError(
            f"{file}: timestamps out of order: expected {roles['dropoff']} after "
            f"{roles['pickup']}, got the drop-off first in "
            f"{(dropoff[both] < pickup[both]).mean():.0%} of the rows; the two columns look "
            "swapped: restore the TLC header"
        )
    return _Trips(
        request=request,
        pickup=pickup,
        dropoff=dropoff,
        pu=_to_float(file, table.column(roles["pu"]), roles["pu"]),
        do=_to_float(file, table.column(roles["do"]), roles["do"]),
        miles=_to_float(file, table.column(roles["miles"]), roles["miles"]),
        fare=_to_float(file, table.column(roles["fare"]), roles["fare"]),
    )


def _files(path: str) -> list[Path]:
    target = Path(path)
    if target.is_dir():
        files = sorted(
            p
            for p in target.iterdir()
            if p.name.lower().endswith(_CSV_SUFFIXES + _PARQUET_SUFFIXES)
        )
        where = f"in the folder {target}"
    elif any(c in path for c in "*?["):
        files = sorted(Path(p) for p in glob.glob(path))
        where = f"matching {path}"
    else:
        if not target.is_file():
            raise ReplayError(
                f"{target}: trip records not found; expected a TLC CSV or Parquet file, a "
                "folder or a glob; check the path (TLC files: "
                "https://www.nyc.gov/site/tlc/about/tlc-trip-record-data.page)"
            )
        return [target]
    if not files:
        raise ReplayError(
            f"{path}: expected TLC trip files (*.csv, *.parquet) {where}, got none; check the path"
        )
    return files


# --------------------------------------------------------------------------- replay


def _classify(t: _Trips, zones: ZoneTable, p: ReplayParams, report: ReplayReport) -> np.ndarray:
    """The keep mask; every other row counted under its first reason."""
    n = len(t.pickup)
    alive = np.ones(n, dtype=bool)

    def drop(reason: str, mask: np.ndarray) -> None:
        hit = alive & mask
        report.add(reason, int(hit.sum()))
        alive[hit] = False

    drop(
        "null_time",
        (t.pickup == _NULL_TIME) | (t.dropoff == _NULL_TIME) | (t.request == _NULL_TIME),
    )
    drop("null_zone", np.isnan(t.pu) | np.isnan(t.do))
    known = np.zeros(n, dtype=bool)
    for ids in (t.pu, t.do):
        # zone ids are small: beyond 2**31 a float id is "unknown", not an int64 cast overflow
        integral = np.isfinite(ids) & (ids == np.floor(ids)) & (np.abs(ids) < 2**31)
        as_int = np.where(integral, ids, -1).astype(np.int64)
        known_end = integral & zones.known(as_int)
        known = known_end if ids is t.pu else known & known_end
    drop("unknown_zone", ~known)
    # inf (e.g. "inf" or 1e999 in a CSV) is as unusable as a null: value would be inf too
    drop("null_field", ~np.isfinite(t.miles) | ~np.isfinite(t.fare))
    drop("dropoff_before_pickup", t.dropoff < t.pickup)
    drop("zero_duration", t.dropoff == t.pickup)
    drop("request_after_pickup", t.request > t.pickup)
    drop("negative_fare", t.fare < 0)
    drop("non_positive_distance", t.miles <= 0)
    hours = (t.dropoff - t.pickup) / 3.6e9
    km = t.miles * MILE_KM
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        speed = km / hours  # inf for a near-zero duration: implausible
    drop(
        "implausible", (hours > p.max_trip_hours) | (km > p.max_trip_km) | (speed > p.max_speed_kmh)
    )
    return alive


def _window(p: ReplayParams) -> tuple[datetime, datetime] | None:
    if not p.day:
        return None
    start = datetime.fromisoformat(p.day) + timedelta(hours=p.start_hour)
    return start, start + timedelta(hours=p.hours)


def _measured_speeds(hour: np.ndarray, km: np.ndarray, minutes: np.ndarray) -> list[float]:
    speeds = []
    for h in range(24):
        sel = hour == h
        if sel.sum() >= 20:
            speeds.append(round(float(np.median(km[sel] / (minutes[sel] / 60.0))), 3))
        else:
            speeds.append(NYC_SPEEDS[h])
    return speeds


def replay(params: ReplayParams, seed: int = 0) -> tuple[Scenario, ReplayReport]:
    """Replay the trip records of ``params.path`` into a Scenario, and say where each row went.

    Raises :class:`ReplayError` (a ``ValueError``) for a missing file, a wrong header, an
    undecodable encoding, unparseable timestamps, pick-up and drop-off columns that look
    swapped, a bad zone table, and a window with no usable rows.
    """
    if not isinstance(params, ReplayParams):
        raise TypeError(
            f"params: expected a ReplayParams, got {type(params).__name__}; build one with "
            "ReplayParams(path=..., zones=...) or call instances.generate('replay', values, seed)"
        )
    rng_tasks, rng_workers = streams(seed, 2)
    zones = read_zones(params.zones, margin_km=3.0 * params.zone_jitter_km)
    window = _window(params)
    report = ReplayReport()
    parts = [_read_file(f, window, report) for f in _files(params.path)]
    parts = [part for part in parts if part is not None]
    trips = _Trips.concat(parts) if parts else _Trips(*([np.zeros(0)] * 7))
    for name in ("request", "pickup", "dropoff"):
        setattr(trips, name, getattr(trips, name).astype(np.int64))

    # Window in memory (CSV files, string timestamps, whole-file and folded modes).
    req = trips.request
    has_time = req != _NULL_TIME
    day_us = 86_400 * 10**6
    if window is not None:
        origin_us = int(np.datetime64(window[0], "us").astype(np.int64))
        rel = req - origin_us
        outside = has_time & ((rel < 0) | (rel >= int(params.hours * 3.6e9)))
        horizon_s = params.hours * 3600.0
    elif params.fold_days:
        rel = np.mod(req, day_us) - params.start_hour * 3_600 * 10**6
        outside = has_time & ((rel < 0) | (rel >= int(params.hours * 3.6e9)))
        horizon_s = params.hours * 3600.0
    else:
        first = req[has_time].min() if has_time.any() else 0
        origin_us = int(first - np.mod(first, day_us))
        rel = req - origin_us
        outside = np.zeros(len(req), dtype=bool)
        last = rel[has_time].max() if has_time.any() else 0
        horizon_s = max(3600.0, math.ceil((last + 1) / 3.6e9) * 3600.0)
    report.add("outside_window", int(outside.sum()))
    keep = ~outside
    sub = _Trips(*(getattr(trips, f.name)[keep] for f in dataclasses.fields(_Trips)))
    rel = rel[keep]
    alive = _classify(sub, zones, params, report)
    report.kept_rows = int(alive.sum())
    report.check()
    if report.kept_rows == 0:
        where = f"window {window[0]} to {window[1]}" if window else "file"
        raise ReplayError(
            f"{params.path}: expected trips in the {where}, got none usable out of "
            f"{report.input_rows} rows ({_reasons(report)}); pick a day the file covers "
            "(instance.day=YYYY-MM-DD) or set instance.day='' for the whole file"
        )

    sub = _Trips(*(getattr(sub, f.name)[alive] for f in dataclasses.fields(_Trips)))
    rel_s = rel[alive] / 1e6
    order = np.lexsort((sub.pickup, rel_s))
    sub = _Trips(*(getattr(sub, f.name)[order] for f in dataclasses.fields(_Trips)))
    rel_s = rel_s[order]
    tasks = _tasks(rng_tasks, sub, rel_s, zones, params)
    minutes = tasks.column("duration_min").to_numpy()
    km = tasks.column("distance_km").to_numpy()
    pickup_hour = (np.mod(sub.pickup, day_us) // (3_600 * 10**6)).astype(np.int64)
    speeds = (
        list(params.speed_kmh_by_hour)
        if params.speed_kmh_by_hour
        else _measured_speeds(pickup_hour, km, minutes)
    )
    start_hour = 0 if window is None and not params.fold_days else params.start_hour
    speeds = speeds[start_hour:] + speeds[:start_hour]  # hour 0 of the horizon first
    workers = _workers(rng_workers, tasks, params, horizon_s, float(minutes.sum()) / 60.0)
    meta = {
        "schema_version": SCHEMA_VERSION,
        "generator": "replay",
        "params": dataclasses.asdict(params),
        "seed": int(seed),
        "content_hash": None,
        "horizon_s": float(horizon_s),
        "city": {
            "width_km": round(zones.width_km, 6),
            "height_km": round(zones.height_km, 6),
            "zone_km": round(math.sqrt(zones.width_km * zones.height_km / zones.n_zones), 6),
        },
        "speed_kmh_by_hour": speeds,
        "currency": params.currency,
        "market": "ride_hailing",
        "projection": {
            "lon0": zones.lon0,
            "lat0": zones.lat0,
            "km_per_deg_lon": zones.kx,
            "km_per_deg_lat": KM_PER_DEG_LAT,
        },
        "replay": report.as_dict(),
    }
    return Scenario(tasks, workers, meta).with_hash(), report


def _reasons(report: ReplayReport) -> str:
    parts = [f"{reason} {n}" for reason, n in report.dropped.items() if n]
    return "dropped: " + (", ".join(parts) if parts else "none")


def _tasks(
    rng: np.random.Generator, t: _Trips, rel_s: np.ndarray, zones: ZoneTable, p: ReplayParams
) -> pa.Table:
    n = len(rel_s)
    pu, do = t.pu.astype(np.int64), t.do.astype(np.int64)
    jitter = (
        rng.normal(0.0, p.zone_jitter_km, size=(n, 4)) if p.zone_jitter_km else np.zeros((n, 4))
    )
    ox, oy = zones.x[pu] + jitter[:, 0], zones.y[pu] + jitter[:, 1]
    dx, dy = zones.x[do] + jitter[:, 2], zones.y[do] + jitter[:, 3]
    olon, olat = zones.lon_lat(ox, oy)
    dlon, dlat = zones.lon_lat(dx, dy)
    value = t.fare * p.value_markup * mean_one_lognormal(rng, p.value_sigma, n)
    return task_table(
        rel_s,
        np.column_stack([ox, oy]),
        np.column_stack([dx, dy]),
        pu.astype(np.int32),
        do.astype(np.int32),
        t.miles * MILE_KM,
        (t.dropoff - t.pickup) / 6e7,
        value,
        rng.exponential(p.patience_mean_s, size=n),
        origin_lon_lat=(olon, olat),
        dest_lon_lat=(dlon, dlat),
        observed_fare=t.fare,
    )


def _workers(
    rng: np.random.Generator, tasks: pa.Table, p: ReplayParams, horizon_s: float, trip_h: float
) -> pa.Table:
    times = tasks.column("request_time").to_numpy()
    histogram = np.bincount((times // 3600).astype(np.int64) % 24, minlength=24) + 1e-3
    profile = tuple(histogram.tolist())
    n = fleet_size(p.n_workers, p.supply_ratio, trip_h, p.shift_hours, profile, horizon_s / 3600)
    online, offline = shifts(rng, n, p.shift_hours, tuple(histogram.tolist()), horizon_s / 3600.0)
    first = np.flatnonzero(times < 3600.0)
    pool = first if first.size else np.arange(len(times))
    pick = pool[rng.integers(0, pool.size, size=n)]
    start_x = tasks.column("origin_x").to_numpy()[pick] + rng.normal(0, p.zone_jitter_km, n)
    start_y = tasks.column("origin_y").to_numpy()[pick] + rng.normal(0, p.zone_jitter_km, n)
    wage = rng.uniform(*p.reservation_wage_per_h, size=n)
    group = groups(rng, n, p.group_labels, p.group_shares)
    return worker_table(online, offline, np.column_stack([start_x, start_y]), wage, group)


def generate_replay(params: ReplayParams, seed: int) -> Scenario:
    """The ``replay`` generator: :func:`replay` without the report (it is in
    ``meta["replay"]``)."""
    return replay(params, seed)[0]
