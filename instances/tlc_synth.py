"""Synthetic trip files in the public schemas, for tests and scale runs without downloads.

``--schema fhvhv`` (default): a month of NYC high-volume FHV (Uber/Lyft) trips in the TLC's
exact Parquet schema. ``--schema yellow-2014`` / ``yellow-2015``: yellow taxi CSV in the
pre-mid-2016 schemas, with longitude/latitude instead of zone ids. ``--schema chicago``: the
City of Chicago's "Transportation Network Providers - Trips" CSV as the portal exports it.

For scale tests of :mod:`gigbench.instances.tlc` (a real HVFHV month is about 20 million rows)
without
downloading one. The columns, names and types are those of the TLC's ``fhvhv_tripdata_*``
files (2023 onwards: microsecond timestamps, int32 zones; ``cbd_congestion_fee`` from 2025).
Written one row group (``row_group_size`` rows) at a time, so memory stays at one group.

The model: request times over the month follow the NYC hourly profile
(:data:`gigbench.instances.presets.NYC_HOURLY`) with weekend nights busier and weekend mornings
quieter; rows are in request-time order (stratified inverse-CDF sampling: row ``i`` gets
quantile ``(i + U) / n``), as in the real files. Zones are drawn from a fixed Zipf popularity
over 1..263; miles are lognormal (median 2.9); trip seconds follow the NYC speed profile;
the fare, fees, taxes and driver pay follow simple linear rules. A few rows carry the defects
real files have (``defect_rate`` each): zones 264/265, negative fares, drop-off before pick-up.

    gigbench-tlc-synth --rows 20000000 --month 2024-01 --out /tmp/fhvhv_tripdata_2024-01.parquet
"""

from __future__ import annotations

import argparse
import calendar
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from gigbench.instances.presets import NYC_HOURLY, NYC_SPEEDS
from gigbench.io import PendingFile

__all__ = [
    "CHICAGO_COLUMNS",
    "FHVHV_SCHEMA",
    "YELLOW_LEGACY_COLUMNS",
    "main",
    "write_chicago",
    "write_fhvhv",
    "write_yellow_legacy",
]

FHVHV_SCHEMA = pa.schema(
    [
        ("hvfhs_license_num", pa.string()),
        ("dispatching_base_num", pa.string()),
        ("originating_base_num", pa.string()),
        ("request_datetime", pa.timestamp("us")),
        ("on_scene_datetime", pa.timestamp("us")),
        ("pickup_datetime", pa.timestamp("us")),
        ("dropoff_datetime", pa.timestamp("us")),
        ("PULocationID", pa.int32()),
        ("DOLocationID", pa.int32()),
        ("trip_miles", pa.float64()),
        ("trip_time", pa.int64()),
        ("base_passenger_fare", pa.float64()),
        ("tolls", pa.float64()),
        ("bcf", pa.float64()),
        ("sales_tax", pa.float64()),
        ("congestion_surcharge", pa.float64()),
        ("airport_fee", pa.float64()),
        ("tips", pa.float64()),
        ("driver_pay", pa.float64()),
        ("shared_request_flag", pa.string()),
        ("shared_match_flag", pa.string()),
        ("access_a_ride_flag", pa.string()),
        ("wav_request_flag", pa.string()),
        ("wav_match_flag", pa.string()),
        ("cbd_congestion_fee", pa.float64()),
    ]
)
_AIRPORTS = np.array([1, 132, 138])
_US_PER_S = 1_000_000


def _month_cdf(year: int, month: int) -> tuple[np.ndarray, int]:
    """CDF over the month's hours and the month start in microseconds."""
    days = calendar.monthrange(year, month)[1]
    base = np.asarray(NYC_HOURLY)
    weights = []
    for day in range(days):
        weekend = calendar.weekday(year, month, day + 1) >= 5
        profile = base.copy()
        if weekend:
            profile[:4] *= 1.6  # busier nights
            profile[6:10] *= 0.6  # quieter mornings
        weights.append(profile)
    mass = np.concatenate(weights)
    cdf = np.concatenate(([0.0], np.cumsum(mass) / mass.sum()))
    start = int(np.datetime64(datetime(year, month, 1), "us").astype(np.int64))
    return cdf, start


def _strings(indices: np.ndarray, values: list[str | None]) -> pa.Array:
    dictionary = pa.array(values, type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(indices, type=pa.int32()), dictionary).cast(
        pa.string()
    )


def _group(
    rng: np.random.Generator,
    first: int,
    n: int,
    total: int,
    cdf: np.ndarray,
    start_us: int,
    zone_p: np.ndarray,
    defect_rate: float,
    cbd: bool,
) -> pa.Table:
    u = (first + np.arange(n) + rng.random(n)) / total
    hour = np.minimum(np.searchsorted(cdf, u, side="right") - 1, len(cdf) - 2)
    frac = (u - cdf[hour]) / (cdf[hour + 1] - cdf[hour])
    request = start_us + ((hour + frac) * 3600).astype(np.int64) * _US_PER_S  # whole seconds
    lyft = rng.random(n) < 0.28
    wait_s = rng.lognormal(np.log(240.0), 0.5, n).astype(np.int64)
    on_scene = request + (7 * wait_s // 10) * _US_PER_S
    pickup = request + wait_s * _US_PER_S
    pu = rng.choice(263, size=n, p=zone_p).astype(np.int32) + 1
    do = rng.choice(263, size=n, p=zone_p).astype(np.int32) + 1
    miles = np.round(rng.lognormal(np.log(2.9), 0.85, n), 2)
    speed_mph = np.asarray(NYC_SPEEDS)[hour % 24] / 1.609344
    trip_time = (120 + 3600 * miles / speed_mph * rng.lognormal(0, 0.25, n)).astype(np.int64)
    dropoff = pickup + trip_time * _US_PER_S
    fare = np.round(2.5 + 1.7 * miles + 0.55 * trip_time / 60 * rng.lognormal(0, 0.2, n), 2)
    # Defects the real files carry.
    bad_zone = rng.random(n) < defect_rate
    pu[bad_zone] = rng.choice([264, 265], size=int(bad_zone.sum()))
    negative = rng.random(n) < defect_rate
    fare[negative] = -fare[negative]
    swapped = rng.random(n) < defect_rate
    dropoff[swapped] = pickup[swapped] - 60 * _US_PER_S
    airport = np.isin(pu, _AIRPORTS) | np.isin(do, _AIRPORTS)
    tips = np.where(rng.random(n) < 0.2, np.round(0.15 * np.abs(fare), 2), 0.0)
    on_scene_arr = pa.array(on_scene, type=pa.timestamp("us"), mask=lyft)  # Lyft: no on-scene
    columns = {
        "hvfhs_license_num": _strings(lyft.astype(np.int32), ["HV0003", "HV0005"]),
        "dispatching_base_num": _strings(lyft.astype(np.int32), ["B03404", "B03406"]),
        "originating_base_num": _strings(lyft.astype(np.int32), ["B03404", None]),
        "request_datetime": pa.array(request, type=pa.timestamp("us")),
        "on_scene_datetime": on_scene_arr,
        "pickup_datetime": pa.array(pickup, type=pa.timestamp("us")),
        "dropoff_datetime": pa.array(dropoff, type=pa.timestamp("us")),
        "PULocationID": pu,
        "DOLocationID": do,
        "trip_miles": miles,
        "trip_time": trip_time,
        "base_passenger_fare": fare,
        "tolls": np.where(rng.random(n) < 0.05, 6.94, 0.0),
        "bcf": np.round(0.0275 * np.abs(fare), 2),
        "sales_tax": np.round(0.08875 * np.abs(fare), 2),
        "congestion_surcharge": np.where(rng.random(n) < 0.35, 2.75, 0.0),
        "airport_fee": np.where(airport, 2.5, 0.0),
        "tips": tips,
        "driver_pay": np.round(0.72 * np.abs(fare), 2),
        "shared_request_flag": _strings(np.zeros(n, np.int32), ["N"]),
        "shared_match_flag": _strings(np.zeros(n, np.int32), ["N"]),
        "access_a_ride_flag": _strings(lyft.astype(np.int32), [" ", "N"]),
        "wav_request_flag": _strings((rng.random(n) < 0.01).astype(np.int32), ["N", "Y"]),
        "wav_match_flag": _strings((rng.random(n) < 0.05).astype(np.int32), ["N", "Y"]),
        "cbd_congestion_fee": np.where(rng.random(n) < 0.3, 1.5, 0.0),
    }
    schema = (
        FHVHV_SCHEMA
        if cbd
        else FHVHV_SCHEMA.remove(FHVHV_SCHEMA.get_field_index("cbd_congestion_fee"))
    )
    if not cbd:
        del columns["cbd_congestion_fee"]
    return pa.table(columns, schema=schema)


def write_fhvhv(
    out: str | Path,
    rows: int,
    month: str = "2024-01",
    seed: int = 0,
    row_group_size: int = 1_000_000,
    defect_rate: float = 0.001,
    cbd: bool = True,
) -> Path:
    """Write ``rows`` synthetic HVFHV trips of ``month`` (``YYYY-MM``) to the Parquet ``out``.

    A pure function of its arguments (``numpy.random.default_rng(seed)``); rows are in
    request-time order, one row group per ``row_group_size`` rows, snappy-compressed.
    """
    if rows < 0 or row_group_size < 1:
        raise ValueError(
            f"rows: expected >= 0 and row_group_size >= 1, got {rows}, {row_group_size}"
        )
    year, mon = _parse_month(month)
    if not 0 <= defect_rate < 0.3:
        raise ValueError(f"defect_rate: expected a share in [0, 0.3), got {defect_rate}")
    rng = np.random.default_rng(seed)
    zone_rng = np.random.default_rng([seed, 1])
    popularity = 1.0 / np.arange(1, 264) ** 0.9
    zone_p = popularity[zone_rng.permutation(263)]
    zone_p /= zone_p.sum()
    cdf, start_us = _month_cdf(year, mon)
    out = Path(out)
    schema = (
        FHVHV_SCHEMA
        if cbd
        else FHVHV_SCHEMA.remove(FHVHV_SCHEMA.get_field_index("cbd_congestion_fee"))
    )
    with PendingFile(out) as tmp, pq.ParquetWriter(tmp, schema, compression="snappy") as writer:
        for first in range(0, rows, row_group_size):
            n = min(row_group_size, rows - first)
            table = _group(rng, first, n, rows, cdf, start_us, zone_p, defect_rate, cbd)
            writer.write_table(table, row_group_size=row_group_size)
    return out


# The pre-mid-2016 yellow headers, as the TLC published them.
YELLOW_LEGACY_COLUMNS = {
    "yellow-2014": [
        "vendor_id",
        "pickup_datetime",
        "dropoff_datetime",
        "passenger_count",
        "trip_distance",
        "pickup_longitude",
        "pickup_latitude",
        "rate_code",
        "store_and_fwd_flag",
        "dropoff_longitude",
        "dropoff_latitude",
        "payment_type",
        "fare_amount",
        "surcharge",
        "mta_tax",
        "tip_amount",
        "tolls_amount",
        "total_amount",
    ],
    "yellow-2015": [
        "VendorID",
        "tpep_pickup_datetime",
        "tpep_dropoff_datetime",
        "passenger_count",
        "trip_distance",
        "pickup_longitude",
        "pickup_latitude",
        "RateCodeID",
        "store_and_fwd_flag",
        "dropoff_longitude",
        "dropoff_latitude",
        "payment_type",
        "fare_amount",
        "extra",
        "mta_tax",
        "tip_amount",
        "tolls_amount",
        "improvement_surcharge",
        "total_amount",
    ],
}
# The Chicago TNP trips export (data.cityofchicago.org, 2018-2022 datasets): display names.
CHICAGO_COLUMNS = [
    "Trip ID",
    "Trip Start Timestamp",
    "Trip End Timestamp",
    "Trip Seconds",
    "Trip Miles",
    "Pickup Census Tract",
    "Dropoff Census Tract",
    "Pickup Community Area",
    "Dropoff Community Area",
    "Fare",
    "Tip",
    "Additional Charges",
    "Trip Total",
    "Shared Trip Authorized",
    "Trips Pooled",
    "Pickup Centroid Latitude",
    "Pickup Centroid Longitude",
    "Pickup Centroid Location",
    "Dropoff Centroid Latitude",
    "Dropoff Centroid Longitude",
    "Dropoff Centroid Location",
]
# Midtown Manhattan, and how far trips spread around it (degrees): most fall on taxi zones.
_NYC_CENTRE, _NYC_SPREAD = (-73.975, 40.755), (0.035, 0.04)
# Chicago's community areas are synthetic points on a grid over the city (not the real ones).
_CHICAGO_BOX = (-87.85, 41.65, -87.53, 42.02)


def _month_times(rng: np.random.Generator, rows: int, month: str) -> np.ndarray:
    """Sorted request times (us) of ``rows`` trips in ``month``, with the NYC hourly shape."""
    year, mon = _parse_month(month)
    cdf, start_us = _month_cdf(year, mon)
    u = np.sort(rng.random(rows))
    hour = np.minimum(np.searchsorted(cdf, u, side="right") - 1, len(cdf) - 2)
    frac = (u - cdf[hour]) / (cdf[hour + 1] - cdf[hour])
    return start_us + ((hour + frac) * 3600).astype(np.int64) * _US_PER_S


def _parse_month(month: str) -> tuple[int, int]:
    try:
        year, mon = (int(part) for part in month.split("-"))
        calendar.monthrange(year, mon)
    except (ValueError, calendar.IllegalMonthError):
        raise ValueError(f"month: expected YYYY-MM, got {month!r}; e.g. 2024-01") from None
    return year, mon


def _text_times(us: np.ndarray, fmt: str) -> list[str]:
    moments = us.astype("datetime64[us]").astype(datetime)
    return [m.strftime(fmt) for m in moments]


def _trip_model(rng: np.random.Generator, start: np.ndarray) -> tuple[np.ndarray, ...]:
    """(miles, seconds, fare) with the NYC speed profile and a meter-like fare."""
    n = len(start)
    miles = np.round(rng.lognormal(np.log(1.8), 0.8, n), 2)
    hour = (start // (3600 * _US_PER_S)) % 24
    speed_mph = np.asarray(NYC_SPEEDS)[hour] / 1.609344
    seconds = (60 + 3600 * miles / speed_mph * rng.lognormal(0, 0.25, n)).astype(np.int64)
    fare = np.round(2.5 + 2.5 * miles + 0.3 * seconds / 60, 1)
    return miles, seconds, fare


def write_yellow_legacy(
    out: str | Path, rows: int, month: str = "2014-05", seed: int = 0, era: str = "yellow-2015",
    defect_rate: float = 0.01,
) -> Path:  # fmt: skip
    """Write ``rows`` synthetic yellow trips in a pre-mid-2016 CSV schema (points, no zones).

    Points spread around midtown Manhattan (``_NYC_SPREAD`` degrees); ``defect_rate`` of the
    rows each carry a (0, 0) pick-up (the old files' placeholder) and a drop-off far outside
    the city. A pure function of its arguments.
    """
    if era not in YELLOW_LEGACY_COLUMNS:
        raise ValueError(f"era: expected one of {', '.join(YELLOW_LEGACY_COLUMNS)}, got {era!r}")
    rng = np.random.default_rng(seed)
    start = _month_times(rng, rows, month)
    miles, seconds, fare = _trip_model(rng, start)
    points = [
        rng.normal(centre, spread, rows)
        for _ in range(2)
        for centre, spread in zip(_NYC_CENTRE, _NYC_SPREAD, strict=True)
    ]
    zero = rng.random(rows) < defect_rate
    points[0][zero], points[1][zero] = 0.0, 0.0
    far = rng.random(rows) < defect_rate
    points[2][far] -= 1.5  # 125 km west: Pennsylvania
    tip = np.where(rng.random(rows) < 0.6, np.round(0.18 * fare, 2), 0.0)
    fmt = "%Y-%m-%d %H:%M:%S"
    values = {
        "vendor": np.where(rng.random(rows) < 0.5, 1, 2),
        "pickup": _text_times(start, fmt),
        "dropoff": _text_times(start + seconds * _US_PER_S, fmt),
        "passengers": rng.integers(1, 5, rows),
        "miles": miles,
        "pu_lon": np.round(points[0], 6),
        "pu_lat": np.round(points[1], 6),
        "rate": np.ones(rows, dtype=np.int64),
        "flag": np.where(rng.random(rows) < 0.01, "Y", "N"),
        "do_lon": np.round(points[2], 6),
        "do_lat": np.round(points[3], 6),
        "payment": np.where(tip > 0, 1, 2),
        "fare": fare,
        "extra": np.where(rng.random(rows) < 0.3, 0.5, 0.0),
        "mta": np.full(rows, 0.5),
        "tip": tip,
        "tolls": np.zeros(rows),
    }
    values["improvement"] = np.full(rows, 0.3)
    order = ["vendor", "pickup", "dropoff", "passengers", "miles", "pu_lon", "pu_lat", "rate",
             "flag", "do_lon", "do_lat", "payment", "fare", "extra", "mta", "tip",
             "tolls"]  # fmt: skip
    if era == "yellow-2015":
        order.append("improvement")
    total = sum(values[key] for key in ("fare", "extra", "mta", "tip", "tolls"))
    total = total + (values["improvement"] if era == "yellow-2015" else 0.0)
    columns = [values[key] for key in order] + [np.round(total, 2)]
    names = YELLOW_LEGACY_COLUMNS[era]
    table = pa.table(dict(zip(names, columns, strict=True)))
    return _write_csv(table, Path(out))


def write_chicago(
    out: str | Path, rows: int, month: str = "2019-06", seed: int = 0, defect_rate: float = 0.01
) -> Path:
    """Write ``rows`` synthetic Chicago TNP trips as the data portal exports them (CSV).

    Display-name header, ``MM/DD/YYYY hh:mm:ss AM`` timestamps rounded to 15 minutes, exact
    ``Trip Seconds``, fares rounded to 2.50 and tips to 1.00 USD, 77 community areas (synthetic
    points on a grid; blank for ``defect_rate`` of the rows, as for trips outside the city),
    census tracts suppressed (blank) for a third of the rows, shared-trip flags.
    """
    rng = np.random.default_rng(seed)
    start = _month_times(rng, rows, month)
    miles, seconds, fare = _trip_model(rng, start)
    quarter = 900 * _US_PER_S
    start_q = (start + quarter // 2) // quarter * quarter
    end_q = (start + seconds * _US_PER_S + quarter // 2) // quarter * quarter
    west, south, east, north = _CHICAGO_BOX
    grid = np.arange(77)
    area_lon = west + (grid % 7 + 0.5) / 7 * (east - west)
    area_lat = south + (grid // 7 + 0.5) / 11 * (north - south)
    pu, do = rng.integers(1, 78, rows), rng.integers(1, 78, rows)
    shared = rng.random(rows) < 0.15
    pooled = np.where(shared & (rng.random(rows) < 0.5), 2, 1)
    fare_r = np.round(fare / 2.5) * 2.5
    tip = np.where(rng.random(rows) < 0.3, np.round(0.15 * fare), 0.0)
    charges = np.round(np.where(rng.random(rows) < 0.8, 2.5, 0.0) + 0.02 * fare, 2)
    fmt = "%m/%d/%Y %I:%M:%S %p"

    def area_col(ids: np.ndarray, blank: np.ndarray) -> pa.Array:
        return pa.array(ids, pa.int64(), mask=blank)

    def tract_col(ids: np.ndarray, blank: np.ndarray) -> pa.Array:
        return pa.array(17031000000 + ids * 100 + 1, pa.int64(), mask=blank)

    columns: dict[str, Any] = {"Trip ID": [f"{seed:04x}{i:012x}" for i in range(rows)]}
    columns["Trip Start Timestamp"] = _text_times(start_q, fmt)
    columns["Trip End Timestamp"] = _text_times(end_q, fmt)
    columns["Trip Seconds"] = seconds
    columns["Trip Miles"] = np.round(miles, 1)
    ends = {}
    for end, ids in (("Pickup", pu), ("Dropoff", do)):
        outside = rng.random(rows) < defect_rate
        suppressed = outside | (rng.random(rows) < 1 / 3)
        ends[end] = (ids, outside, suppressed)
    for end in ("Pickup", "Dropoff"):
        ids, _, suppressed = ends[end]
        columns[f"{end} Census Tract"] = tract_col(ids, suppressed)
    for end in ("Pickup", "Dropoff"):
        ids, outside, _ = ends[end]
        columns[f"{end} Community Area"] = area_col(ids, outside)
    columns["Fare"] = fare_r
    columns["Tip"] = tip
    columns["Additional Charges"] = charges
    columns["Trip Total"] = np.round(fare_r + tip + charges, 2)
    columns["Shared Trip Authorized"] = np.where(shared, "true", "false")
    columns["Trips Pooled"] = pooled
    for end in ("Pickup", "Dropoff"):
        ids, outside, _ = ends[end]
        lat = np.round(area_lat[ids - 1], 9)
        lon = np.round(area_lon[ids - 1], 9)
        columns[f"{end} Centroid Latitude"] = pa.array(lat, mask=outside)
        columns[f"{end} Centroid Longitude"] = pa.array(lon, mask=outside)
        location = [f"POINT ({x} {y})" for x, y in zip(lon, lat, strict=True)]
        columns[f"{end} Centroid Location"] = pa.array(location, mask=outside)
    return _write_csv(pa.table(columns), Path(out))


def _write_csv(table: pa.Table, out: Path) -> Path:
    with PendingFile(out) as tmp:
        pacsv.write_csv(table, tmp, pacsv.WriteOptions(quoting_style="needed"))
    return out


def main(argv: list[str] | None = None) -> int:
    """Console entry point ``gigbench-tlc-synth``."""
    parser = argparse.ArgumentParser(
        prog="gigbench-tlc-synth",
        description="Write synthetic trip records in a public schema (NYC TLC, Chicago TNP).",
    )
    parser.add_argument("--out", required=True, help="output file (.parquet or .csv)")
    parser.add_argument(
        "--schema",
        default="fhvhv",
        choices=["fhvhv", *YELLOW_LEGACY_COLUMNS, "chicago"],
        help="fhvhv (Parquet), yellow-2014 / yellow-2015 (CSV, points), chicago (CSV)",
    )
    parser.add_argument("--rows", type=int, default=20_000_000, help="trips (default 20,000,000)")
    parser.add_argument("--month", default="2024-01", help="YYYY-MM (default 2024-01)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--row-group-size", type=int, default=1_000_000)
    parser.add_argument("--defect-rate", type=float, default=0.001, help="share of each defect")
    parser.add_argument("--no-cbd", action="store_true", help="omit cbd_congestion_fee (pre-2025)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.schema == "fhvhv":
            path = write_fhvhv(
                args.out,
                args.rows,
                args.month,
                args.seed,
                args.row_group_size,
                args.defect_rate,
                cbd=not args.no_cbd,
            )
        elif args.schema == "chicago":
            path = write_chicago(args.out, args.rows, args.month, args.seed, args.defect_rate)
        else:
            path = write_yellow_legacy(
                args.out, args.rows, args.month, args.seed, args.schema, args.defect_rate
            )
    except (ValueError, OSError) as exc:
        print(f"gigbench-tlc-synth: error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    size = path.stat().st_size / 1e6
    print(f"wrote {args.rows} rows to {path} ({size:.0f} MB) in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
