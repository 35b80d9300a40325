"""Schemas beyond the modern TLC files: pre-2016 yellow points mapped to zones (nearest zone
point and point-in-polygon), Chicago's TNP trips, and the fitted synthetic fleet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
import pytest

from gigbench.instances.tlc import ReplayError, ReplayParams, replay
from gigbench.instances.tlc.supply import _cells, fitted_curve
from gigbench.instances.tlc_synth import (
    CHICAGO_COLUMNS,
    YELLOW_LEGACY_COLUMNS,
    write_chicago,
    write_yellow_legacy,
)

ROOT = Path(__file__).resolve().parents[2]
GIGBENCH = "import sys; from gigbench.harness.cli import main; sys.argv[0] = 'gigbench'; main()"
DAY = "2015-03-10"
# A 4 x 4 grid of square zones over midtown and around it, 0.02 degrees a side.
WEST, SOUTH, SIDE = -74.015, 40.715, 0.02


def grid_zone(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The oracle: the grid cell a point falls in, 1..16, or -1 outside the grid."""
    col = np.floor((lon - WEST) / SIDE).astype(int)
    row = np.floor((lat - SOUTH) / SIDE).astype(int)
    inside = (col >= 0) & (col < 4) & (row >= 0) & (row < 4)
    return np.where(inside, 1 + row * 4 + col, -1)


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("grid")
    features, rows = [], ["LocationID,lon,lat"]
    for row in range(4):
        for col in range(4):
            x0, y0 = WEST + col * SIDE, SOUTH + row * SIDE
            ring = [[x0, y0], [x0 + SIDE, y0], [x0 + SIDE, y0 + SIDE], [x0, y0 + SIDE], [x0, y0]]
            zone = 1 + row * 4 + col
            features.append(
                {
                    "type": "Feature",
                    "properties": {"LocationID": zone},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            )
            rows.append(f"{zone},{x0 + SIDE / 2},{y0 + SIDE / 2}")
    shapes = folder / "zones.geojson"
    shapes.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    centroids = folder / "zones.csv"
    centroids.write_text("\n".join(rows) + "\n")
    return centroids, shapes


@pytest.mark.parametrize("era", sorted(YELLOW_LEGACY_COLUMNS))
def test_old_yellow_points_map_to_zones_by_polygon(tmp_path, grid, era):
    centroids, shapes = grid
    path = write_yellow_legacy(tmp_path / "old.csv", 20_000, "2015-03", era=era, defect_rate=0.02)
    raw = pacsv.read_csv(path)
    assert raw.column_names == YELLOW_LEGACY_COLUMNS[era]
    scenario, report = replay(
        ReplayParams(path=str(path), zones=str(centroids), zone_shapes=str(shapes), day=DAY)
    )
    report.check()
    assert report.files[str(path)]["service"] == "yellow"
    mapping = report.zone_mapping["polygon"]
    assert mapping["outside"] >= report.dropped["outside_zones"] > 0  # a trip has two ends
    assert report.dropped["null_point"] > 0  # the (0, 0) placeholders
    # every kept trip's zones are the grid cells its recorded points lie in
    tasks = scenario.tasks
    plane = scenario.meta["projection"]
    # lon/lat carry jitter: map the recorded points back from the un-jittered replay
    exact, _ = replay(
        ReplayParams(
            path=str(path), zones=str(centroids), zone_shapes=str(shapes), day=DAY,
            zone_jitter_km=0.0,
        )
    )  # fmt: skip
    lon = exact.tasks.column("origin_lon").to_numpy()
    lat = exact.tasks.column("origin_lat").to_numpy()
    np.testing.assert_array_equal(grid_zone(lon, lat), exact.tasks.column("origin_zone").to_numpy())
    assert plane["lon0"] < WEST and tasks.num_rows == exact.n_tasks


def test_old_yellow_points_map_to_the_nearest_zone_point_without_shapes(tmp_path, grid):
    centroids, _ = grid
    path = write_yellow_legacy(tmp_path / "old.csv", 20_000, "2015-03", defect_rate=0.02)
    exact, report = replay(
        ReplayParams(path=str(path), zones=str(centroids), day=DAY, zone_jitter_km=0.0)
    )
    mapping = report.zone_mapping["centroid"]
    assert mapping["points"] > 0 and 0 < mapping["outside_share"] < 1
    lon = exact.tasks.column("dest_lon").to_numpy()
    lat = exact.tasks.column("dest_lat").to_numpy()
    zone = exact.tasks.column("dest_zone").to_numpy()
    table = np.loadtxt(centroids, delimiter=",", skiprows=1)
    kx = 111.320 * np.cos(np.radians(table[:, 2].mean()))
    dx = (lon[:, None] - table[None, :, 1]) * kx
    dy = (lat[:, None] - table[None, :, 2]) * 110.574
    dist = np.hypot(dx, dy)
    np.testing.assert_array_equal(table[np.argmin(dist, axis=1), 0].astype(int), zone)
    assert dist.min(axis=1).max() <= 3.0  # max_zone_km


def test_old_points_without_a_zone_table_are_refused(tmp_path):
    path = write_yellow_legacy(tmp_path / "old.csv", 100, "2015-03")
    with pytest.raises(ReplayError, match=r"longitude/latitude points .* instance\.zones="):
        replay(ReplayParams(path=str(path), day=DAY))


def test_chicago_tnp_replays_from_its_own_points(tmp_path):
    path = write_chicago(tmp_path / "tnp.csv", 20_000, "2019-06", defect_rate=0.02)
    assert pacsv.read_csv(path).column_names == CHICAGO_COLUMNS
    scenario, report = replay(ReplayParams(path=str(path), day="2019-06-12"))
    report.check()
    assert report.files[str(path)]["service"] == "chicago_tnp"
    assert report.dropped["null_zone"] > 0  # trips from outside the city: no community area
    tasks = scenario.tasks
    raw = pacsv.read_csv(path).to_pydict()
    seconds = {
        (fare, tip, secs)
        for fare, tip, secs in zip(raw["Fare"], raw["Tip"], raw["Trip Seconds"], strict=True)
    }
    kept = zip(
        tasks.column("observed_fare").to_pylist(),
        tasks.column("observed_tips").to_pylist(),
        np.round(tasks.column("duration_min").to_numpy() * 60).astype(int).tolist(),
        strict=True,
    )
    assert set(kept) <= seconds  # durations are Trip Seconds, not the rounded timestamps
    fare = tasks.column("observed_fare").to_numpy()
    np.testing.assert_array_equal(fare % 2.5, 0.0)  # rounded to 2.50 as published
    assert set(tasks.column("origin_zone").to_numpy()) <= set(range(1, 78))
    assert np.isnan(tasks.column("observed_driver_pay").to_numpy()).all()
    start = tasks.column("request_time").to_numpy()
    np.testing.assert_array_equal(start % 900, 0.0)  # 15-minute rounded start times


def test_fitted_fleet_covers_the_recorded_concurrency(tmp_path):
    path = write_chicago(tmp_path / "tnp.csv", 20_000, "2019-06")
    scenario, _ = replay(
        ReplayParams(path=str(path), day="2019-06-12", supply_headroom=1.5, approach_min=4.0)
    )
    tasks, workers = scenario.tasks, scenario.workers
    pickup = tasks.column("observed_pickup_time").to_numpy()
    dropoff = pickup + 60 * tasks.column("duration_min").to_numpy()
    dispatch = pickup - 240.0
    online = workers.column("online_time").to_numpy()
    offline = workers.column("offline_time").to_numpy()
    for minute in range(0, 24 * 60, 7):  # brute force, minute by minute
        t = 60.0 * minute + 30.0
        busy = int(((dispatch < t + 30) & (dropoff > t - 30)).sum())
        there = int(((online <= t) & (offline > t)).sum())
        assert there >= 1.5 * busy - 1e-9, minute
    curve = fitted_curve(dispatch, dropoff, 86400.0, 1.5, _cells(tasks, 2.0)).sum(axis=0)
    hours = (online // 3600).astype(int)
    for h in range(24):  # exactly the curve online at each hour's middle
        mid = 3600.0 * h + 1800.0
        assert ((online <= mid) & (offline > mid)).sum() == curve[h]
    assert np.bincount(hours, minlength=24).sum() == scenario.n_workers


def test_a_month_without_a_day_asks_for_one(tmp_path):
    path = write_chicago(tmp_path / "tnp.csv", 2_000, "2019-06")
    with pytest.raises(
        ReplayError, match=r"over \d+\.\d days.*instance\.fold_days=true.*allow_long"
    ):
        replay(ReplayParams(path=str(path)))
    proc = subprocess.run(
        # instance.zones='': a Chicago file carries its own centroids (the default table is
        # New York's).
        [sys.executable, "-c", GIGBENCH, "instance=replay", f"instance.path={path}",
         "instance.zones=''", "solver=greedy", f"results_dir={tmp_path}/results"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "instance.allow_long=true" in proc.stderr


def test_another_citys_zone_table_is_refused(tmp_path):
    path = write_chicago(tmp_path / "tnp.csv", 2_000, "2019-06")
    nyc = tmp_path / "nyc.csv"
    nyc.write_text("LocationID,lon,lat\n" + "".join(f"{i},-73.9,40.7\n" for i in range(1, 78)))
    with pytest.raises(ReplayError, match=r"zone table is another city's.*instance\.zones=''"):
        replay(ReplayParams(path=str(path), zones=str(nyc), day="2019-06-12"))
