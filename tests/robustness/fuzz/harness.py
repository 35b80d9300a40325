"""One checker per file reader: write the bytes, read them, allow only the documented errors.

Used by the fuzz campaigns (``tests/robustness/fuzz/run_fuzz.py``) and by the corpus replay
test (``tests/robustness/test_robust_fuzz_corpus.py``). A reader may return, or raise its
documented error type; anything else (IndexError, KeyError, UnicodeDecodeError, ArrowInvalid,
OverflowError, RuntimeWarning turned error, ...) is a finding.

The seeds are small valid files of each format; the fuzzers mutate them.
"""

from __future__ import annotations

import io
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gigbench.harness.collect import collect
from gigbench.instances.meta import Geography, ScenarioMeta
from gigbench.instances.orlib import OrlibFormatError, read_orlib
from gigbench.instances.scenario import (
    TASK_SCHEMA,
    WORKER_SCHEMA,
    Scenario,
    ScenarioError,
    load_scenario,
    save_scenario,
)
from gigbench.instances.tlc import ReplayError, ReplayParams, replay

READERS = ("orlib", "scenario", "replay_csv", "replay_parquet", "collect")
ZONES_CSV = "LocationID,lon,lat\n161,-73.978,40.758\n237,-73.966,40.769\n236,-73.957,40.781\n"
T0 = datetime(2024, 1, 15)


# --------------------------------------------------------------------------- seeds


def orlib_seeds() -> list[tuple[str, bytes]]:
    """(file name, bytes): a dense and a sparse OR-Library file."""
    return [
        ("assign3.txt", b"3\n 1 2 3\n 4 5 6\n 7 8 9\n"),
        ("assignp3.txt", b"3\n1 1 5\n1 2 3\n2 2 4\n3 3 1\n3 1 2\n"),
    ]


def task_columns(n_tasks: int = 3) -> dict[str, object]:
    """The columns of ``n_tasks`` small valid tasks (also the scenario tests' tables)."""
    nan = np.full(n_tasks, np.nan)
    return {
        "task_id": np.arange(n_tasks, dtype=np.int64),
        "request_time": np.linspace(0.0, 600.0, n_tasks),
        "origin_x": np.linspace(0.0, 3.0, n_tasks),
        "origin_y": np.ones(n_tasks),
        "dest_x": np.full(n_tasks, 2.0),
        "dest_y": np.linspace(4.0, 1.0, n_tasks),
        "origin_lon": nan,
        "origin_lat": nan,
        "dest_lon": nan,
        "dest_lat": nan,
        "origin_zone": np.arange(n_tasks, dtype=np.int32),
        "dest_zone": np.zeros(n_tasks, dtype=np.int32),
        "distance_km": np.linspace(1.0, 2.0, n_tasks),
        "duration_min": np.linspace(2.0, 4.0, n_tasks),
        "value": np.linspace(5.0, 9.0, n_tasks),
        "patience_s": np.full(n_tasks, 300.0),
        "skill": np.full(n_tasks, -1, dtype=np.int32),
        "observed_fare": nan,
    }


def worker_columns(n_workers: int = 2, first_id: int = 0) -> dict[str, object]:
    """The columns of ``n_workers`` small valid workers, ids from ``first_id``."""
    return {
        "worker_id": np.arange(first_id, first_id + n_workers, dtype=np.int64),
        "online_time": np.zeros(n_workers),
        "offline_time": np.full(n_workers, 3600.0),
        "start_x": np.linspace(0.0, 5.0, n_workers),
        "start_y": np.linspace(5.0, 0.0, n_workers),
        "skills": np.full(n_workers, -1, dtype=np.int64),
        "reservation_wage": np.full(n_workers, 12.0),
        "capacity": np.ones(n_workers, dtype=np.int32),
        "vehicle": ["car"] * n_workers,
        "group": ["A", "B"] * (n_workers // 2) + ["A"] * (n_workers % 2),
    }


def _scenario(n_tasks: int = 3, n_workers: int = 2) -> Scenario:
    tasks = task_columns(n_tasks)
    workers = worker_columns(n_workers)
    meta = ScenarioMeta(
        generator="fuzz-seed",
        params={},
        seed=0,
        horizon_s=3600.0,
        geography=Geography(5.0, 5.0, 1.0),
        speed_kmh_by_hour=(25.0,) * 24,
    )
    return Scenario(
        pa.Table.from_pydict(tasks, schema=pa.schema([TASK_SCHEMA.field(k) for k in tasks])),
        pa.Table.from_pydict(workers, schema=WORKER_SCHEMA),
        meta,
    )


def scenario_seed(tmp: Path) -> tuple[bytes, bytes]:
    """(tasks.parquet, workers.parquet) bytes of a small valid scenario."""
    directory = save_scenario(_scenario(), tmp / "seed_scenario")
    return (directory / "tasks.parquet").read_bytes(), (directory / "workers.parquet").read_bytes()


def _trip_rows(n: int = 24) -> list[tuple]:
    rows = []
    for i in range(n):
        pickup = T0 + timedelta(minutes=20 * i + 3)
        rows.append((pickup, pickup + timedelta(minutes=9 + i % 5), [161, 237, 236][i % 3],
                     [237, 236, 161][i % 3], 1.2 + i / 10, 8.0 + i))  # fmt: skip
    return rows


def replay_csv_seed() -> bytes:
    """A yellow-taxi CSV of 24 trips on 2024-01-15."""
    lines = ["tpep_pickup_datetime,tpep_dropoff_datetime,PULocationID,DOLocationID,"
             "trip_distance,fare_amount"]  # fmt: skip
    for p, d, pu, do, miles, fare in _trip_rows():
        lines.append(f"{p:%Y-%m-%d %H:%M:%S},{d:%Y-%m-%d %H:%M:%S},{pu},{do},{miles},{fare}")
    return ("\n".join(lines) + "\n").encode()


def replay_parquet_seed() -> bytes:
    """A green-taxi Parquet file of 24 trips (ns timestamps, int64 zones)."""
    rows = _trip_rows()
    table = pa.table(
        {
            "lpep_pickup_datetime": pa.array([r[0] for r in rows], pa.timestamp("ns")),
            "lpep_dropoff_datetime": pa.array([r[1] for r in rows], pa.timestamp("ns")),
            "PULocationID": pa.array([r[2] for r in rows], pa.int64()),
            "DOLocationID": pa.array([r[3] for r in rows], pa.int64()),
            "trip_distance": pa.array([r[4] for r in rows], pa.float64()),
            "fare_amount": pa.array([r[5] for r in rows], pa.float64()),
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def row_seed(run_id: str = "a", **extra: object) -> bytes:
    """One results row file, as written by the harness."""
    row = {"run_id": run_id, "status": "ok", "message": "", "m_gini": 0.25, **extra}
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist([row]), sink)
    return sink.getvalue()


# --------------------------------------------------------------------------- checkers


class Finding(AssertionError):
    """A reader raised something other than its documented error types."""


def _expect(call, allowed: tuple[type[BaseException], ...], what: str):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from numpy is a finding too
        warnings.filterwarnings("ignore", message="skipping unreadable row file")
        try:
            return call()
        except allowed:
            return None
        except Exception as exc:
            raise Finding(f"{what}: {type(exc).__name__}: {exc}") from exc


def check_orlib(tmp: Path, name: str, data: bytes) -> None:
    """read_orlib raises only OrlibFormatError (or FileNotFoundError)."""
    path = tmp / name
    path.write_bytes(data)
    _expect(lambda: read_orlib(path), (OrlibFormatError, FileNotFoundError), "read_orlib")


def check_scenario(tmp: Path, tasks: bytes, workers: bytes) -> None:
    """load_scenario raises only ScenarioError."""
    directory = tmp / "scenario"
    directory.mkdir(exist_ok=True)
    (directory / "tasks.parquet").write_bytes(tasks)
    (directory / "workers.parquet").write_bytes(workers)
    for verify in (True, False):
        _expect(lambda v=verify: load_scenario(directory, verify=v), (ScenarioError,), "load")


def check_replay(tmp: Path, suffix: str, data: bytes) -> None:
    """replay raises only ReplayError; what it returns adds up and holds no bad trip."""
    zones = tmp / "zones.csv"
    zones.write_text(ZONES_CSV)
    trips = tmp / f"trips{suffix}"
    trips.write_bytes(data)
    for day in ("2024-01-15", ""):
        params = ReplayParams(
            path=str(trips), zones=str(zones), day=day, supply="ratio", n_workers=3
        )
        out = _expect(lambda p=params: replay(p, seed=0), (ReplayError,), "replay")
        if out is None:
            continue
        scenario, report = out
        report.check()
        tasks = scenario.tasks
        assert report.kept_rows == scenario.n_tasks
        assert (tasks.column("duration_min").to_numpy() > 0).all()
        assert (tasks.column("observed_fare").to_numpy() >= 0).all()


def check_collect(tmp: Path, rows: list[bytes]) -> None:
    """collect never raises on row files: unreadable ones are skipped with a warning."""
    results = tmp / "results"
    (results / "rows").mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(rows):
        (results / "rows" / f"r{i}.parquet").write_bytes(data)
    _expect(lambda: pq.read_table(collect(results)), (), "collect")


def check_corpus_file(tmp: Path, path: Path) -> None:
    """Replay one stored corpus input (``corpus/<reader>/<name>``)."""
    reader, data = path.parent.name, path.read_bytes()
    if reader == "orlib":
        check_orlib(tmp, path.name.split("__")[-1], data)
    elif reader == "scenario":
        tasks, _, workers = data.partition(b"\n--workers--\n")
        check_scenario(tmp, tasks, workers)
    elif reader == "replay_csv":
        check_replay(tmp, ".csv", data)
    elif reader == "replay_parquet":
        check_replay(tmp, ".parquet", data)
    elif reader == "collect":
        check_collect(tmp, data.split(b"\n--row--\n"))
    else:
        raise ValueError(f"unknown corpus folder {reader!r}; expected one of {READERS}")
