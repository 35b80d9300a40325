"""gigbench-tlc-prepare: the day-partitioned dataset, its reports, skips and atomic parts, and
replaying one day from it (reading that day's partitions only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from gigbench.instances.tlc import ReplayError, ReplayParams, replay
from gigbench.instances.tlc.clean import Cleaner
from gigbench.instances.tlc.prepare import PrepareSettings, main, prepare
from gigbench.instances.tlc.read import Engine
from gigbench.instances.tlc_synth import write_chicago, write_fhvhv, write_yellow_legacy

NYC_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "nyc"
DAY = "2024-01-15"


@pytest.fixture(scope="module")
def zones() -> str:
    return "nyc"  # the TLC zone table gigbench ships


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("raw")
    fhvhv = write_fhvhv(
        folder / "fhvhv_tripdata_2024-01.parquet", 30_000, "2024-01", row_group_size=7_000,
        defect_rate=0.01,
    )  # fmt: skip
    chicago = write_chicago(folder / "tnp_2024-01.csv", 3_000, "2024-01", defect_rate=0.02)
    return fhvhv, chicago


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, inputs, zones) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("ds") / "trips"
    settings = PrepareSettings(out=str(out), zones=str(zones), engine=Engine(batch_rows=4_000))
    return out, prepare([str(p) for p in inputs], settings, jobs=2)


def test_every_row_of_every_file_is_accounted_for(dataset, inputs):
    out, reports = dataset
    assert [r["file"] for r in reports] == [str(p) for p in inputs]
    for r in reports:
        assert r["input_rows"] == r["kept_rows"] + sum(r["dropped"].values())
        stored = json.loads((out / "_reports" / f"{r['sha256'][:16]}.json").read_text())
        assert stored == r
    fhvhv, chicago = reports
    assert fhvhv["input_rows"] == 30_000 and fhvhv["service"] == "fhvhv"
    # the synthetic defects (1% each) are each counted under their reason
    for reason in ("unknown_zone", "negative_fare", "dropoff_before_pickup"):
        assert 200 < fhvhv["dropped"][reason] < 400, reason
    assert chicago["service"] == "chicago_tnp" and chicago["dropped"]["null_zone"] > 0
    kept = sum(pq.ParquetFile(f).metadata.num_rows for f in out.glob("service=*/date=*/*.parquet"))
    assert kept == sum(r["kept_rows"] for r in reports)


def test_hive_layout_partitions_by_service_and_request_day(dataset):
    out, _ = dataset
    parts = sorted(out.glob("service=fhvhv/date=*/part-*.parquet"))
    assert len(parts) == 31
    for part in parts[::10]:
        day = part.parent.name.removeprefix("date=")
        request = pq.read_table(part, columns=["request"]).column("request").to_numpy()
        assert (request.astype("datetime64[D]") == np.datetime64(day)).all()
    assert not list(out.rglob("*.tmp"))


def test_rerun_skips_prepared_files(dataset, inputs, capsys):
    out, _ = dataset
    code = main([str(p) for p in inputs] + ["--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.count("skipped (already prepared)") == 2


def test_a_failed_file_leaves_no_partition(tmp_path, inputs, monkeypatch):
    calls = {"n": 0}
    keep = Cleaner.keep

    def fail_on_third_batch(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk gone")
        return keep(self, *args, **kwargs)

    monkeypatch.setattr(Cleaner, "keep", fail_on_third_batch)
    out = tmp_path / "trips"
    settings = PrepareSettings(out=str(out), engine=Engine(batch_rows=4_000))
    with pytest.raises(RuntimeError, match="disk gone"):
        prepare([str(inputs[0])], settings)
    assert not list(out.glob("service=*/date=*/*"))  # neither parts nor temporary files
    assert not list((out / "_reports").iterdir())


def test_one_day_from_the_dataset_reads_its_partition_only(dataset, inputs, zones):
    out, _ = dataset
    from_dataset, report = replay(
        ReplayParams(path=str(out), zones=str(zones), day=DAY, service="fhvhv")
    )
    assert all(f"date={DAY}" in name for name in report.files)
    assert len(report.files) == 1
    from_file, raw = replay(ReplayParams(path=str(inputs[0]), zones=str(zones), day=DAY))
    for name in from_file.tasks.column_names:  # the same trips, the same draws (NaN == NaN)
        np.testing.assert_array_equal(
            from_dataset.tasks.column(name).to_numpy(), from_file.tasks.column(name).to_numpy()
        )
    assert report.kept_rows == raw.kept_rows
    chicago, report = replay(
        ReplayParams(path=str(out), zones="", day=DAY, service="chicago_tnp")
    )  # its own points place it: no NYC zone table
    folder = out / "service=chicago_tnp" / f"date={DAY}"
    assert list(report.files) == [str(folder / name) for name in os.listdir(folder)]
    assert chicago.n_tasks == report.kept_rows > 0


def test_observed_driver_pay_survives_into_the_scenario(dataset, zones):
    out, _ = dataset
    scenario, _ = replay(ReplayParams(path=str(out), zones=str(zones), day=DAY, service="fhvhv"))
    tasks = scenario.tasks
    fare = tasks.column("observed_fare").to_numpy()
    pay = tasks.column("observed_driver_pay").to_numpy()
    np.testing.assert_allclose(pay, np.round(0.72 * fare, 2))  # the synthetic file's rule
    request = tasks.column("observed_request_time").to_numpy()
    np.testing.assert_array_equal(request, tasks.column("request_time").to_numpy())
    pickup = tasks.column("observed_pickup_time").to_numpy()
    on_scene = tasks.column("observed_on_scene_time").to_numpy()
    assert (pickup > request).all()
    uber = np.isfinite(on_scene)  # Lyft rows have no on-scene time
    assert 0.6 < uber.mean() < 0.8
    assert (on_scene[uber] > request[uber]).all() and (on_scene[uber] < pickup[uber]).all()


def test_missing_day_and_bad_arguments(dataset, zones, tmp_path, capsys):
    out, _ = dataset
    with pytest.raises(ReplayError, match=r"expected prepared trips for day 2023-05-01.*fhvhv"):
        replay(ReplayParams(path=str(out), zones=str(zones), day="2023-05-01"))
    assert main(["nope.parquet", "--out", str(tmp_path / "d")]) == 2
    assert "trip records not found" in capsys.readouterr().err
    assert main([str(out), "--out", str(tmp_path / "d"), "--bound", "max_speed=3"]) == 2
    assert "--bound max_speed=3: expected one of" in capsys.readouterr().err


def test_one_hydra_job_per_month(tmp_path):
    """gigbench-tlc-prepare-job -m: a sweep over months, one job (and one report) each."""
    for month in ("2015-03", "2015-04"):
        write_yellow_legacy(tmp_path / f"yellow_{month}.csv", 500, month, era="yellow-2015")
    zones = tmp_path / "zones.csv"
    zones.write_text("LocationID,lon,lat\n161,-73.978,40.758\n237,-73.966,40.769\n")
    out = tmp_path / "trips"
    code = "import sys; from gigbench.instances.tlc.prepare_app import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, "-m", f"input={tmp_path}/yellow_${{month}}.csv",
         "month=2015-03,2015-04", f"out={out}", f"zones={zones}", "max_zone_km=20"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    reports = [json.loads(p.read_text()) for p in (out / "_reports").glob("*.json")]
    assert sorted(Path(r["file"]).name for r in reports) == [
        "yellow_2015-03.csv",
        "yellow_2015-04.csv",
    ]
    assert all(r["zone_ids"] == "mapped (centroid)" for r in reports)
    assert {p.name[:12] for p in out.glob("service=yellow/*")} == {"date=2015-03", "date=2015-04"}
