"""Replay of NYC TLC trip records: every schema variant and drift case, the dropped-row report,
the errors for bad input, the synthetic HVFHV writer, and the real March 2019 sample."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from replay_fixtures import CASES, DAY, IDS, ZONES, fmt, times, write_yellow_csv

from gigbench.instances import TARIFFS, generate
from gigbench.instances._tables import shift_plan
from gigbench.instances.tlc import ReplayError, ReplayParams, read_zones, replay
from gigbench.instances.tlc_synth import FHVHV_SCHEMA, write_fhvhv
from gigbench.solvers.registry import ParamsError

NYC_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "nyc"


def expected_counts(cases=CASES) -> dict[str, int]:
    counts: dict[str, int] = {"kept": 0}
    for case in cases:
        counts[case[-1]] = counts.get(case[-1], 0) + 1
    return counts


@pytest.fixture(scope="module")
def zones(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("zones") / "zones.csv"
    rows = [f"{i},{lon},{lat}" for i, (lon, lat) in ZONES.items()]
    path.write_text("LocationID,lon,lat\n" + "\n".join(rows) + "\n")
    return path


def write_green_parquet(path: Path, cases=CASES) -> Path:
    """Green taxi Parquet: lpep_* names, int64 zones, nanosecond timestamps, large_string."""
    table = pa.table(
        {
            "VendorID": pa.array([2] * len(cases), pa.int64()),
            "lpep_pickup_datetime": pa.array([times(c)[0] for c in cases], pa.timestamp("ns")),
            "lpep_dropoff_datetime": pa.array([times(c)[1] for c in cases], pa.timestamp("ns")),
            "store_and_fwd_flag": pa.array(["N"] * len(cases), pa.large_string()),
            "PULocationID": pa.array([c[2] for c in cases], pa.int64()),
            "DOLocationID": pa.array([c[3] for c in cases], pa.int64()),
            "trip_distance": pa.array([c[4] for c in cases], pa.float64()),
            "fare_amount": pa.array([c[5] for c in cases], pa.float64()),
            "ehail_fee": pa.nulls(len(cases), pa.float64()),
        }
    )
    pq.write_table(table, path)
    return path


def write_drift_parquet(path: Path, cases=CASES) -> Path:
    """A month with other dtypes: float zones (NaN = null), ISO-string timestamps, int32 fare."""
    table = pa.table(
        {
            "tpep_pickup_datetime": pa.array([fmt(times(c)[0]) for c in cases], pa.large_string()),
            "tpep_dropoff_datetime": pa.array(
                [fmt(times(c)[1]) or None for c in cases], pa.string()
            ),
            "PULocationID": pa.array([c[2] for c in cases], pa.float64()),
            "DOLocationID": pa.array([c[3] for c in cases], pa.float64()),
            "trip_distance": pa.array([c[4] for c in cases], pa.float32()),
            "fare_amount": pa.array([c[5] for c in cases], pa.float64()),
        }
    )
    pq.write_table(table, path)
    return path


FHV_EXTRA = [
    (300, 10.0, 161, 237, 1.0, 7.0, "request_after_pickup", +3),  # requested after pick-up
    (310, 10.0, 161, 237, 1.0, 7.0, "null_time", None),  # no request time
]


def write_fhvhv_parquet(path: Path) -> Path:
    """High-volume FHV: request_datetime, PUlocationID spelling, int32 zones, us timestamps."""
    cases = [(*c, -4) for c in CASES] + FHV_EXTRA
    request = []
    for c in cases:
        pickup = times(c)[0]
        request.append(None if c[-1] is None else pickup + timedelta(minutes=c[-1]))
    # A trip requested before midnight and picked up after it belongs to the evening before.
    table = pa.table(
        {
            "hvfhs_license_num": pa.array(["HV0003"] * len(cases), pa.large_string()),
            "request_datetime": pa.array(request, pa.timestamp("us")),
            "on_scene_datetime": pa.nulls(len(cases), pa.timestamp("us")),
            "pickup_datetime": pa.array([times(c)[0] for c in cases], pa.timestamp("us")),
            "dropoff_datetime": pa.array([times(c)[1] for c in cases], pa.timestamp("us")),
            "PUlocationID": pa.array([c[2] for c in cases], pa.int32()),
            "DOlocationID": pa.array([c[3] for c in cases], pa.int32()),
            "trip_miles": pa.array([c[4] for c in cases], pa.float64()),
            "trip_time": pa.array([600] * len(cases), pa.int64()),
            "base_passenger_fare": pa.array([c[5] for c in cases], pa.float64()),
        }
    )
    pq.write_table(table, path, row_group_size=10)
    return path


def fhv_expected() -> dict[str, int]:
    return expected_counts([c[:7] for c in CASES] + [c[:7] for c in FHV_EXTRA])


def run(path, zones, seed=0, **kw):
    return replay(ReplayParams(path=str(path), zones=str(zones), **kw), seed=seed)


def check_report(report, expected: dict[str, int]) -> None:
    report.check()
    assert report.kept_rows == expected["kept"]
    assert report.dropped == {reason: n for reason, n in expected.items() if reason != "kept"}
    assert report.input_rows == report.kept_rows + sum(report.dropped.values())


# --------------------------------------------------------------------------- variants


@pytest.mark.parametrize(
    ("writer", "name", "variant"),
    [
        (write_yellow_csv, "yellow_tripdata_2024-01.csv", "yellow"),
        (write_green_parquet, "green_tripdata_2024-01.parquet", "green"),
        (write_drift_parquet, "yellow_drift.parquet", "yellow"),
    ],
)
def test_taxi_variants_count_every_drift_case(tmp_path, zones, writer, name, variant):
    path = writer(tmp_path / name)
    scenario, report = run(path, zones, day=DAY)
    check_report(report, expected_counts())
    assert report.files[str(path)] == {"service": variant, "rows": len(CASES)}
    assert scenario.n_tasks == 12
    assert scenario.meta["replay"] == report.as_dict()
    tasks = scenario.tasks
    request = tasks.column("request_time").to_numpy()
    assert np.all(np.diff(request) >= 0) and request[0] == 30 * 60
    np.testing.assert_allclose(tasks.column("duration_min").to_numpy(), 12.0)
    np.testing.assert_allclose(
        tasks.column("distance_km").to_numpy(), (1.5 + np.arange(12) / 10) * 1.609344, rtol=1e-6
    )
    np.testing.assert_allclose(tasks.column("observed_fare").to_numpy(), 9.0 + np.arange(12))
    assert set(tasks.column("origin_zone").to_numpy()) <= set(IDS)


def test_fhvhv_uses_request_time_and_its_column_names(tmp_path, zones):
    path = write_fhvhv_parquet(tmp_path / "fhvhv_tripdata_2024-01.parquet")
    scenario, report = run(path, zones, day=DAY)
    check_report(report, fhv_expected())
    assert report.files[str(path)]["service"] == "fhvhv"
    request = scenario.tasks.column("request_time").to_numpy()
    assert request[0] == 26 * 60  # requested 4 minutes before the 00:30 pick-up


def test_folder_glob_and_whole_file(tmp_path, zones):
    write_yellow_csv(tmp_path / "a.csv")
    write_green_parquet(tmp_path / "b.parquet")
    both = {key: 2 * value for key, value in expected_counts().items()}
    check_report(run(tmp_path, zones, day=DAY)[1], both)
    check_report(run(tmp_path / "*.csv", zones, day=DAY)[1], expected_counts())
    # Whole file: the two out-of-window trips are kept, the horizon covers three days.
    scenario, report = run(tmp_path / "a.csv", zones)
    assert "outside_window" not in report.dropped and report.kept_rows == 14
    assert scenario.meta["horizon_s"] == 2 * 86400.0 + 3600.0
    assert scenario.tasks.column("request_time").to_numpy()[0] == 24 * 3600 - 20 * 60
    # Folded: every day on one, a window of hours within it.
    folded, report = run(tmp_path / "a.csv", zones, fold_days=True, start_hour=1, hours=6)
    report.check()
    assert folded.meta["horizon_s"] == 6 * 3600.0
    assert folded.tasks.column("request_time").to_numpy().max() < 6 * 3600


def test_geometry_jitter_and_determinism(tmp_path, zones):
    path = write_yellow_csv(tmp_path / "y.csv")
    first, _ = run(path, zones, day=DAY, zone_jitter_km=0.3)
    again, _ = run(path, zones, day=DAY, zone_jitter_km=0.3)
    other, _ = run(path, zones, day=DAY, zone_jitter_km=0.3, seed=1)
    assert first == again and first.meta["content_hash"] != other.meta["content_hash"]
    table = read_zones(zones, margin_km=0.9)
    t = first.tasks
    zone = t.column("origin_zone").to_numpy()
    dx = t.column("origin_x").to_numpy() - table.x[zone]
    dy = t.column("origin_y").to_numpy() - table.y[zone]
    assert np.hypot(dx, dy).max() < 5 * 0.3 and np.hypot(dx, dy).min() > 0
    lon = t.column("origin_lon").to_numpy()
    assert np.abs(lon - np.array([ZONES[z][0] for z in zone])).max() < 0.03
    exact, _ = run(path, zones, day=DAY, zone_jitter_km=0.0)
    x0 = exact.tasks.column("origin_x").to_numpy()
    z0 = exact.tasks.column("origin_zone").to_numpy()
    np.testing.assert_allclose(x0, read_zones(zones, margin_km=0.0).x[z0])
    # Midtown (161) to JFK (132) is about 21 km as the crow flies.
    km = np.hypot(table.x[161] - table.x[132], table.y[161] - table.y[132])
    assert 19 < km < 23


def test_synthetic_supply(tmp_path, zones):
    path = write_yellow_csv(tmp_path / "y.csv")
    scenario, _ = run(path, zones, day=DAY, supply="ratio", n_workers=25, shift_hours=[2, 3])
    workers = scenario.workers
    assert scenario.n_workers == 25
    length = workers.column("offline_time").to_numpy() - workers.column("online_time").to_numpy()
    assert length.max() <= 3 * 3600 + 1e-6
    first_hour = scenario.tasks.filter(pa.compute.less(scenario.tasks["request_time"], 3600))
    x = first_hour.column("origin_x").to_numpy()
    assert np.abs(workers.column("start_x").to_numpy() - x.mean()).max() < 5 * 0.4 + 1e-9
    derived, _ = run(path, zones, day=DAY, supply="ratio", supply_ratio=20.0)
    # 12 trips of 12 minutes; a shift spends shift_plan's expected hours online in the day.
    times = derived.tasks.column("request_time").to_numpy()
    profile = np.bincount((times // 3600).astype(np.int64) % 24, minlength=24) + 1e-3
    online_h = shift_plan((4.0, 10.0), tuple(profile.tolist()), 24.0)[2]
    assert derived.n_workers == round(20.0 * 12 * 12 / 60 / online_h)


def test_registry_and_generate(tmp_path, zones):
    path = write_yellow_csv(tmp_path / "y.csv")
    scenario = generate("replay", {"path": str(path), "zones": str(zones), "day": DAY}, 0)
    assert scenario.meta["generator"] == "replay"
    assert scenario.meta["replay"]["kept_rows"] == 12
    info = scenario.info  # the market it describes: recorded fares, the meter, a dated day
    assert (info.market, info.fares, info.idle_drivers) == ("ride_hailing", "recorded", "wait")
    assert (info.tariff, info.first_day) == (TARIFFS["nyc_meter"], DAY)
    assert info.geography is not None and len(info.speed_kmh_by_hour) == 24


# --------------------------------------------------------------------------- errors


def test_missing_files(tmp_path, zones):
    with pytest.raises(ReplayError, match=r"nope\.csv: trip records not found.*check the path"):
        run(tmp_path / "nope.csv", zones)
    with pytest.raises(ReplayError, match=r"zone table not found.*LocationID,lon,lat"):
        run(write_yellow_csv(tmp_path / "y.csv"), tmp_path / "nozones.csv")
    with pytest.raises(ReplayError, match=r"got none"):
        run(tmp_path / "*.parquet", zones)


def test_wrong_headers_name_the_file_and_the_expected_columns(tmp_path, zones):
    path = tmp_path / "bad.csv"
    path.write_text("when,from,to,miles,fare\n2024-01-15 00:10:00,1,2,1.0,5.0\n")
    with pytest.raises(ReplayError) as info:
        run(path, zones)
    text = str(info.value)
    assert str(path) in text and "tpep_pickup_datetime or lpep_pickup_datetime" in text
    assert "got columns when, from, to, miles, fare" in text
    bad_zones = tmp_path / "z.csv"
    bad_zones.write_text("id,x,y\n1,2,3\n")
    with pytest.raises(ReplayError, match=r"z\.csv: zone table: missing column.*LocationID"):
        read_zones(bad_zones)


def test_undecodable_encoding(tmp_path, zones):
    path = tmp_path / "utf16.csv"
    write_yellow_csv(tmp_path / "y.csv")
    path.write_bytes((tmp_path / "y.csv").read_text().encode("utf-16"))
    with pytest.raises(ReplayError, match=r"utf16\.csv.*expected UTF-8.*iconv"):
        run(path, zones)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"tpep_pickup_datetime,Zon\xe9\n")
    with pytest.raises(ReplayError, match=r"latin\.csv.*expected UTF-8"):
        run(latin, zones)


def test_unparseable_cells_drop_their_row_not_the_file(tmp_path, zones):
    path = write_yellow_csv(tmp_path / "y.csv")
    text = path.read_text().replace("2024-01-15 00:30:00", "yesterday at noon")
    path.write_text(text)
    _, report = run(path, zones, day=DAY)
    report.check()
    assert report.dropped["unparseable_tpep_pickup_datetime"] == 1
    assert report.kept_rows == 11


def test_swapped_timestamps_refuse_the_file(tmp_path, zones):
    swapped = write_yellow_csv(tmp_path / "s.csv")
    lines = swapped.read_text().splitlines()
    header = lines[0].replace("tpep_pickup", "X").replace("tpep_dropoff", "tpep_pickup")
    swapped.write_text("\n".join([header.replace("X", "tpep_dropoff"), *lines[1:]]) + "\n")
    with pytest.raises(ReplayError, match=r"timestamps out of order.*swapped"):
        run(swapped, zones)


def test_no_rows_in_window(tmp_path, zones):
    path = write_yellow_csv(tmp_path / "y.csv")
    with pytest.raises(
        ReplayError, match=r"expected trips in the window 2023-05-01.*instance\.day"
    ):
        run(path, zones, day="2023-05-01")


def test_bad_params():
    with pytest.raises(ParamsError, match="path: expected a TLC trip file"):
        ReplayParams(zones="z.csv").check()
    with pytest.raises(ParamsError, match="n_workers: expected 0 with supply=fitted"):
        ReplayParams(path="p.csv", n_workers=3).check()
    with pytest.raises(ParamsError, match="day: expected a date YYYY-MM-DD"):
        ReplayParams(path="p.csv", zones="z.csv", day="15/01/2024").check()
    with pytest.raises(ParamsError, match="fold_days: expected false when day is set"):
        ReplayParams(path="p.csv", zones="z.csv", day=DAY, fold_days=True).check()
    with pytest.raises(ParamsError, match="path: expected a TLC trip file"):
        generate("replay", {"zones": "z.csv"}, 0)


def test_later_days_of_a_replay_are_calendar_days():
    later = ReplayParams(path="p.csv", day=DAY, day_offset=2).later(3)
    assert (later.day, later.day_offset) == ("2024-01-18", 2)
    with pytest.raises(ParamsError, match=r"instance\.day: expected the first of the successive"):
        ReplayParams(path="p.csv").later(1)
    with pytest.raises(ParamsError, match=r"instance\.hours: expected <= 24"):
        ReplayParams(path="p.csv", day=DAY, hours=30.0).later(1)


# --------------------------------------------------------------------------- scale writer


def test_synthetic_fhvhv_schema_and_day_replay(tmp_path):
    path = write_fhvhv(
        tmp_path / "fhvhv.parquet",
        rows=6000,
        month="2024-01",
        row_group_size=1000,
        defect_rate=0.02,
    )
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 6000 and meta.num_row_groups == 6
    assert pq.read_schema(path).remove_metadata() == FHVHV_SCHEMA
    table = pq.read_table(path, columns=["request_datetime", "pickup_datetime"])
    request = table.column("request_datetime").to_numpy()
    assert np.all(np.diff(request) >= np.timedelta64(0, "s"))
    assert write_fhvhv(tmp_path / "again.parquet", 6000, row_group_size=1000, defect_rate=0.02)
    assert (tmp_path / "again.parquet").read_bytes() == path.read_bytes()
    _, report = run(path, "nyc", day=DAY)  # the zone table gigbench ships
    report.check()
    assert report.input_rows == 6000 and report.kept_rows > 0
    assert report.dropped["outside_window"] > 5000
    assert report.input_rows == report.kept_rows + report.dropped_rows


# --------------------------------------------------------------------------- the real sample


@pytest.fixture(scope="module")
def nyc_sample() -> tuple[Path, str]:
    trips = NYC_DATA / "nyc_taxis_2019-03_sample_raw.csv"
    if not trips.is_file():
        pytest.skip(f"the real TLC sample is not at {NYC_DATA} (../shared/data/nyc beside a clone)")
    return trips, "nyc"


def test_real_sample_replay_adds_up(nyc_sample):
    trips, centroids = nyc_sample
    scenario, report = run(trips, centroids, allow_long=True)
    report.check()
    assert report.input_rows == 6500
    assert report.kept_rows + sum(report.dropped.values()) == 6500
    assert report.kept_rows == scenario.n_tasks > 6000
    assert report.dropped["unknown_zone"] > 0  # 264/265 are in the sample
    assert report.dropped["negative_fare"] > 0
    miles = np.median(scenario.tasks.column("distance_km").to_numpy()) / 1.609344
    assert miles == pytest.approx(1.64, abs=0.1)
    assert set(scenario.tasks.column("origin_zone").to_numpy()).isdisjoint({264, 265})


def test_real_sample_folded_onto_one_day(nyc_sample):
    trips, centroids = nyc_sample
    scenario, report = run(trips, centroids, fold_days=True)
    report.check()
    assert scenario.meta["horizon_s"] == 86400.0
    hours = np.bincount(
        (scenario.tasks.column("request_time").to_numpy() // 3600).astype(int), minlength=24
    )
    assert int(np.argmax(hours)) in (17, 18, 19) and int(np.argmin(hours)) in (3, 4, 5, 6)
    speeds = np.asarray(scenario.meta["speed_kmh_by_hour"]) / 1.609344
    assert 8 <= np.median(speeds[8:19]) <= 11  # Manhattan daytime, mph


# --------------------------------------------------------------------------- corrupted copy

# Cells that parse as nothing their column could hold, by kind (an oracle independent of the
# reader: none of these is a number, a timestamp or a Y/N flag).
JUNK = {
    "time": ["99999999999999999999", "yesterday", "2019-13-45 25:61:61", "??"],
    "number": ["abc", "1.2.3", "??", "--", "12:34:xx"],
    "flag": ["maybe", "??", "1.5"],
}
KIND = {
    "tpep_pickup_datetime": "time",
    "tpep_dropoff_datetime": "time",
    "store_and_fwd_flag": "flag",
}


def _keepable(cells: dict[str, str]) -> bool:
    """The cleaner's rules, written out independently, for picking rows to inflate."""
    pickup = datetime.fromisoformat(cells["tpep_pickup_datetime"])
    minutes = (datetime.fromisoformat(cells["tpep_dropoff_datetime"]) - pickup).seconds / 60
    miles, fare = float(cells["trip_distance"]), float(cells["fare_amount"])
    zones_ok = all(1 <= int(cells[c]) <= 263 for c in ("PULocationID", "DOLocationID"))
    return zones_ok and 2 < minutes < 180 and 0.5 < miles < 50 and 3 < fare < 100


@pytest.mark.slow
def test_corrupted_200k_row_copy_accounts_for_every_row(nyc_sample, tmp_path):
    """10% of 200,000 rows garbled in any TLC column: each such row is dropped under
    unparseable_<its column>, 1% more get a fare of 1e4-1e12 USD and are implausible_fare,
    and every other row meets the fate its clean copy meets."""
    trips, centroids = nyc_sample
    lines = trips.read_text().splitlines()
    header, body = lines[0].split(","), lines[1:]
    tlc_columns = [c for c in header if c != "color"]  # "color" is the sample's, not the TLC's
    rng = np.random.default_rng(15)
    rows = [body[i % len(body)].split(",") for i in range(200_000)]
    garbled: dict[str, int] = {}
    hit = np.flatnonzero(rng.random(len(rows)) < 0.10)
    for i in hit:
        column = tlc_columns[rng.integers(len(tlc_columns))]
        choices = JUNK[KIND.get(column, "number")]
        rows[i][header.index(column)] = choices[rng.integers(len(choices))]
        garbled[column] = garbled.get(column, 0) + 1
    fare_col = header.index("fare_amount")
    inflated = 0
    for i in np.setdiff1d(np.flatnonzero(rng.random(len(rows)) < 0.01), hit):
        if _keepable(dict(zip(header, rows[i], strict=True))):
            rows[i][fare_col] = str(10.0 ** rng.integers(4, 13))
            inflated += 1
    clean = tmp_path / "clean.csv"
    clean.write_text("\n".join([lines[0], *(body[i % len(body)] for i in range(200_000))]) + "\n")
    bad = tmp_path / "garbled.csv"
    bad.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n")

    _, before = run(clean, centroids, fold_days=True)
    scenario, after = run(bad, centroids, fold_days=True)
    after.check()
    assert after.input_rows == 200_000 == after.kept_rows + after.dropped_rows
    assert {k: v for k, v in after.dropped.items() if k.startswith("unparseable_")} == {
        f"unparseable_{column}": n for column, n in garbled.items()
    }
    assert after.dropped["implausible_fare"] - before.dropped.get("implausible_fare", 0) == inflated
    damaged = sum(garbled.values()) + inflated
    assert before.kept_rows - damaged <= after.kept_rows < before.kept_rows
    for reason, n in after.dropped.items():  # no other reason grows
        if not reason.startswith("unparseable_") and reason != "implausible_fare":
            assert n <= before.dropped.get(reason, 0), reason
    assert scenario.tasks.column("observed_fare").to_numpy().max() <= 1000.0
