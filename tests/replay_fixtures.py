"""A small yellow-taxi trip log with one row per drift case, and its zone table: the replay
tests count each case's fate, and the conformance suite replays the log's day."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

DAY = "2024-01-15"
T0 = datetime(2024, 1, 15)
ZONES = {
    161: (-73.978, 40.758),
    237: (-73.966, 40.769),
    236: (-73.957, 40.781),
    132: (-73.786, 40.646),
    48: (-73.989, 40.762),
    79: (-73.985, 40.727),
}
IDS = sorted(ZONES)

# One row per case: (pickup offset min, duration min, PU, DO, miles, fare, expected fate).
# None = a null value. Offsets are from 2024-01-15 00:00.
CASES: list[tuple] = [
    *[
        (30 + 60 * i, 12.0, IDS[i % 6], IDS[(i + 1) % 6], 1.5 + i / 10, 9.0 + i, "kept")
        for i in range(12)
    ],
    (-20, 10.0, 161, 237, 1.0, 7.0, "outside_window"),  # the evening before
    (24 * 60 + 5, 10.0, 161, 237, 1.0, 7.0, "outside_window"),  # the next day
    (100, None, 161, 237, 1.0, 7.0, "null_time"),  # no drop-off time
    (110, 10.0, None, 237, 1.0, 7.0, "null_zone"),
    (120, 10.0, 264, 237, 1.0, 7.0, "unknown_zone"),  # TLC "Unknown"
    (130, 10.0, 161, 265, 1.0, 7.0, "unknown_zone"),  # TLC "Outside of NYC"
    (140, 10.0, 161, 7, 1.0, 7.0, "unknown_zone"),  # a real zone missing from the table
    (150, 10.0, 161, 237, None, 7.0, "null_field"),
    (160, -5.0, 161, 237, 1.0, 7.0, "dropoff_before_pickup"),
    (170, 0.0, 161, 237, 1.0, 7.0, "zero_duration"),
    (180, 10.0, 161, 237, 1.0, -7.0, "negative_fare"),
    (190, 10.0, 161, 237, 0.0, 3.0, "non_positive_distance"),
    (200, 300.0, 161, 237, 1.0, 7.0, "implausible_duration"),  # five hours
    (210, 1.0, 161, 132, 15.0, 52.0, "implausible_speed"),  # 15 miles in a minute
    (220, 10.0, 161, 237, 1.0, 5000.0, "implausible_fare"),
    (230, 10.0, 161, 237, 1.0, 900.0, "implausible_fare_per_km"),  # 900 USD for 1.6 km
]


def times(case) -> tuple[datetime, datetime | None]:
    pickup = T0 + timedelta(minutes=case[0])
    return pickup, None if case[1] is None else pickup + timedelta(minutes=case[1])


def fmt(value) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else str(value)


def write_yellow_csv(path: Path, cases=CASES) -> Path:
    """Yellow taxi CSV: tpep_* names, Airport_fee (the 2023 spelling), empty cells as nulls."""
    header = (
        "VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,"
        "RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,"
        "tip_amount,total_amount,congestion_surcharge,Airport_fee"
    )
    lines = [header]
    for case in cases:
        pickup, dropoff = times(case)
        _, _, pu, do, miles, fare, _ = case
        lines.append(
            ",".join(
                [
                    "2",
                    fmt(pickup),
                    fmt(dropoff),
                    "1",
                    fmt(miles),
                    "1",
                    "N",
                    fmt(pu),
                    fmt(do),
                    "1",
                    fmt(fare),
                    "0",
                    fmt(fare),
                    "2.5",
                    "0",
                ]
            )
        )
    path.write_text("\n".join(lines) + "\n")
    return path
