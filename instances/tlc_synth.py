"""A synthetic month of NYC high-volume FHV (Uber/Lyft) trips, in the TLC's exact Parquet schema.

For scale tests of :mod:`instances.replay` (a real month is about 20 million rows) without
downloading one. The columns, names and types are those of the TLC's ``fhvhv_tripdata_*``
files (2023 onwards: microsecond timestamps, int32 zones; ``cbd_congestion_fee`` from 2025).
Written one row group (``row_group_size`` rows) at a time, so memory stays at one group.

The model: request times over the month follow the NYC hourly profile
(:data:`instances.presets.NYC_HOURLY`) with weekend nights busier and weekend mornings
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

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from instances.presets import NYC_HOURLY, NYC_SPEEDS

__all__ = ["FHVHV_SCHEMA", "main", "write_fhvhv"]

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
    try:
        year, mon = (int(part) for part in month.split("-"))
        calendar.monthrange(year, mon)
    except (ValueError, calendar.IllegalMonthError):
        raise ValueError(f"month: expected YYYY-MM, got {month!r}; e.g. 2024-01") from None
    if not 0 <= defect_rate < 0.3:
        raise ValueError(f"defect_rate: expected a share in [0, 0.3), got {defect_rate}")
    rng = np.random.default_rng(seed)
    zone_rng = np.random.default_rng([seed, 1])
    popularity = 1.0 / np.arange(1, 264) ** 0.9
    zone_p = popularity[zone_rng.permutation(263)]
    zone_p /= zone_p.sum()
    cdf, start_us = _month_cdf(year, mon)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    schema = (
        FHVHV_SCHEMA
        if cbd
        else FHVHV_SCHEMA.remove(FHVHV_SCHEMA.get_field_index("cbd_congestion_fee"))
    )
    try:
        with pq.ParquetWriter(tmp, schema, compression="snappy") as writer:
            for first in range(0, rows, row_group_size):
                n = min(row_group_size, rows - first)
                table = _group(rng, first, n, rows, cdf, start_us, zone_p, defect_rate, cbd)
                writer.write_table(table, row_group_size=row_group_size)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    """Console entry point ``gigbench-tlc-synth``."""
    parser = argparse.ArgumentParser(
        prog="gigbench-tlc-synth",
        description="Write a month of synthetic NYC high-volume FHV trips (TLC Parquet schema).",
    )
    parser.add_argument("--out", required=True, help="output .parquet file")
    parser.add_argument("--rows", type=int, default=20_000_000, help="trips (default 20,000,000)")
    parser.add_argument("--month", default="2024-01", help="YYYY-MM (default 2024-01)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--row-group-size", type=int, default=1_000_000)
    parser.add_argument("--defect-rate", type=float, default=0.001, help="share of each defect")
    parser.add_argument("--no-cbd", action="store_true", help="omit cbd_congestion_fee (pre-2025)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        path = write_fhvhv(
            args.out,
            args.rows,
            args.month,
            args.seed,
            args.row_group_size,
            args.defect_rate,
            cbd=not args.no_cbd,
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
