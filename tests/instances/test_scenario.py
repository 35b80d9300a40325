"""Scenario tables, the Parquet round trip, the content hash and every load error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fuzz.harness import task_columns, worker_columns

from gigbench.instances import (
    SCHEMA_VERSION,
    TARIFFS,
    TASK_SCHEMA,
    WORKER_SCHEMA,
    Geography,
    Scenario,
    ScenarioError,
    ScenarioMeta,
    load_scenario,
    save_scenario,
    validate_tables,
)
from gigbench.instances.scenario import _TASK_SCHEMAS, META_KEY, OPTIONAL_TASK_COLUMNS, _hash

ROOT = Path(__file__).resolve().parents[2]


def _tasks(n: int = 4) -> dict[str, object]:
    return task_columns(n)


def _workers(n: int = 3) -> dict[str, object]:
    return worker_columns(n, first_id=10)


def _meta(**changes: object) -> dict[str, object]:
    meta = ScenarioMeta(
        generator="handmade",
        params={"note": "tiny"},
        seed=0,
        horizon_s=3600.0,
        geography=Geography(5.0, 5.0, 1.0),
        speed_kmh_by_hour=(25.0,) * 24,
    ).as_dict()
    meta.update(changes)
    return meta


def _old_meta(version: int, **changes: object) -> dict[str, object]:
    """Metadata as gigbench wrote it before version 3 (``city``, policy names)."""
    meta: dict[str, object] = {
        "schema_version": version,
        "generator": "handmade",
        "params": {"note": "tiny"},
        "seed": 0,
        "content_hash": None,
        "horizon_s": 3600.0,
        "city": {"width_km": 5.0, "height_km": 5.0, "zone_km": 1.0},
        "speed_kmh_by_hour": [25.0] * 24,
        "currency": "USD",
    }
    meta.update(changes)
    return meta


def tiny(**task_changes: object) -> Scenario:
    tasks = _tasks()
    tasks.update(task_changes)
    return Scenario(
        pa.Table.from_pydict(tasks, schema=pa.schema([TASK_SCHEMA.field(k) for k in tasks])),
        pa.Table.from_pydict(_workers(), schema=WORKER_SCHEMA),
        _meta(),
    ).with_hash()


def rewrite(file: Path, change) -> None:
    """Apply ``change`` to the table in ``file`` and write it back with its metadata."""
    table = pq.read_table(file)
    metadata = table.schema.metadata
    table = change(table.replace_schema_metadata(None))
    pq.write_table(table.replace_schema_metadata(metadata), file)


def edit_meta(file: Path, **changes: object) -> None:
    table = pq.read_table(file)
    meta = json.loads(table.schema.metadata[META_KEY])
    meta.update(changes)
    pq.write_table(table.replace_schema_metadata({META_KEY: json.dumps(meta).encode()}), file)


# --------------------------------------------------------------------------- schemas


def test_schemas_have_the_documented_columns_and_types():
    assert TASK_SCHEMA.names == [
        "task_id", "request_time", "origin_x", "origin_y", "dest_x", "dest_y",
        "origin_lon", "origin_lat", "dest_lon", "dest_lat", "origin_zone", "dest_zone",
        "distance_km", "duration_min", "value", "patience_s", "skill", "observed_fare",
        "observed_driver_pay", "observed_tips", "observed_request_time",
        "observed_on_scene_time", "observed_pickup_time",
    ]  # fmt: skip
    assert TASK_SCHEMA.field("origin_zone").type == pa.int32()
    assert TASK_SCHEMA.field("skill").type == pa.int32()
    assert WORKER_SCHEMA.names == [
        "worker_id", "online_time", "offline_time", "start_x", "start_y", "skills",
        "reservation_wage", "capacity", "vehicle", "group",
    ]  # fmt: skip
    assert WORKER_SCHEMA.field("skills").type == pa.int64()
    assert WORKER_SCHEMA.field("capacity").type == pa.int32()
    assert WORKER_SCHEMA.field("group").type == pa.string()


def test_instances_imports_no_bench_and_no_solver_back_end():
    """instances uses the generic registry of solvers; importing it must stay light."""
    code = (
        "import sys, gigbench.instances; gigbench.instances.generate('city', {'n_tasks': 5}, 0); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('bench', 'numba', "
        "'ortools', 'pulp', 'highspy') or m.startswith('solvers.') and m.split('.')[1] in "
        "('hungarian', 'auction', 'milp', 'greedy', 'broadcast')); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --------------------------------------------------------------------------- scenario


def test_scenario_properties_and_hash():
    scenario = tiny()
    assert scenario.n_tasks == 4
    assert scenario.n_workers == 3
    assert len(scenario.meta["content_hash"]) == 64
    assert scenario.meta["content_hash"] == scenario.compute_hash()
    unhashed = Scenario(scenario.tasks, scenario.workers, _meta())
    assert unhashed.meta["content_hash"] is None
    assert unhashed.with_hash() == scenario


def test_constructor_conforms_order_and_lossless_types():
    tasks = _tasks()
    tasks["task_id"] = tasks["task_id"].astype(np.int32)
    shuffled = pa.table(dict(reversed(list(tasks.items()))))
    scenario = Scenario(shuffled, pa.Table.from_pydict(_workers()), _meta())
    assert scenario.tasks.schema == TASK_SCHEMA
    assert scenario.workers.schema == WORKER_SCHEMA
    assert scenario.with_hash() == tiny()


def test_hash_ignores_chunking_and_sees_every_change():
    scenario = tiny()
    chunked = pa.concat_tables([scenario.tasks.slice(0, 1), scenario.tasks.slice(1)])
    assert chunked.column(0).num_chunks == 2
    assert (
        Scenario(chunked, scenario.workers, scenario.meta).compute_hash()
        == (scenario.meta["content_hash"])
    )
    other_value = tiny(value=np.linspace(5.0, 9.5, 4))
    assert other_value.meta["content_hash"] != scenario.meta["content_hash"]
    other_meta = Scenario(scenario.tasks, scenario.workers, {**scenario.meta, "seed": 1})
    assert other_meta.compute_hash() != scenario.meta["content_hash"]


def test_meta_is_normalised_through_json():
    scenario = Scenario(tiny().tasks, tiny().workers, _meta(params={"shift": (4, 10)}))
    assert scenario.meta["params"] == {"shift": [4, 10]}


@pytest.mark.parametrize(
    ("meta", "match"),
    [
        (_meta(schema_version=4), "unknown schema_version 4"),
        ({k: v for k, v in _meta().items() if k != "currency"}, "missing key.*currency"),
        (_meta(horizon_s=0.0), "horizon_s: expected a number of seconds > 0"),
        (_meta(speed_kmh_by_hour=[25.0] * 23), "speed_kmh_by_hour: expected 24 speeds"),
        (_meta(speed_kmh_by_hour=None), "speed_kmh_by_hour: expected 24 speeds with a geography"),
        (_meta(geography=None), "speed_kmh_by_hour: expected .* null without one"),
        (_meta(geography={"width_km": 5.0}), "geography: expected null or"),
        (_meta(fares="observed"), "fares: expected one of tariff, recorded"),
        (_meta(idle_drivers="demand"), "idle_drivers: expected one of wait, seek_demand"),
        (_meta(first_day="15/01/2024"), "first_day: expected a date"),
        (_meta(tariff={"per_km": 1.0, "surge": 2.0}), "tariff: expected the keys"),
        (_meta(tariff={"per_km": 2.0, "per_km_max": 1.0}), "tariff.per_km_max: expected >= per_km"),
        ({k: v for k, v in _old_meta(2).items() if k != "city"}, "missing key.*city"),
        (_meta(params={"x": object()}), "expected JSON-serialisable"),
        (_meta(horizon_s=100.0), "request_time.*<= horizon_s"),
    ],
)
def test_bad_meta(meta, match):
    with pytest.raises(ScenarioError, match=match):
        Scenario(tiny().tasks, tiny().workers, meta)


# --------------------------------------------------------------------------- validation


def _table(changes: dict[str, object], base=_tasks, schema=None) -> pa.Table:
    data = base()
    data.update(changes)
    return pa.table(data) if schema is None else pa.Table.from_pydict(data, schema=schema)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"value": [5.0, np.nan, 1.0, 2.0]}, r"'value': expected finite numbers, got nan at row 1"),
        ({"request_time": [0.0, 5.0, 3.0, 9.0]}, r"'request_time': expected ascending order"),
        ({"request_time": [-1.0, 5.0, 6.0, 9.0]}, r"'request_time': expected values >= 0"),
        ({"distance_km": [1.0, -0.5, 1.0, 1.0]}, r"'distance_km': expected values >= 0"),
        ({"task_id": np.array([0, 1, 1, 2])}, r"'task_id': expected unique ids, got 1 dup"),
        ({"skill": np.array([0, -2, 1, 1], dtype=np.int32)}, r"'skill': expected a skill"),
        ({"value": pa.array([1.0, None, 2.0, 3.0])}, r"'value': expected no nulls"),
        ({"extra": np.zeros(4)}, r"unexpected column\(s\) extra"),
        ({"value": ["a", "b", "c", "d"]}, r"'value': expected double, got string"),
        ({"origin_zone": np.array([0.0, 1.5, 2.0, 3.0])}, r"'origin_zone': expected int32"),
    ],
)
def test_validate_tables_rejects_bad_tasks(changes, match):
    with pytest.raises(ScenarioError, match=match):
        validate_tables(_table(changes), pa.table(_workers()))


def test_validate_tables_rejects_bad_workers():
    bad_shift = _table({"offline_time": np.array([3600.0, 0.0, 10.0])}, base=_workers)
    with pytest.raises(
        ScenarioError, match=r"expected offline_time > online_time, got offline 0.0"
    ):
        validate_tables(pa.table(_tasks()), bad_shift)
    no_room = _table({"capacity": np.zeros(3, dtype=np.int32)}, base=_workers)
    with pytest.raises(ScenarioError, match="'capacity': expected capacity >= 1"):
        validate_tables(pa.table(_tasks()), no_room)
    with pytest.raises(TypeError, match=r"expected a pyarrow.Table, got dict"):
        validate_tables(_tasks(), pa.table(_workers()))


def test_validate_tables_allows_nan_lon_lat_and_missing_fares():
    tasks, workers = validate_tables(pa.table(_tasks()), pa.table(_workers()))
    assert np.isnan(tasks.column("origin_lon").to_numpy()).all()
    assert tasks.schema == TASK_SCHEMA and workers.schema == WORKER_SCHEMA


def test_empty_tables_are_valid():
    empty = Scenario(TASK_SCHEMA.empty_table(), WORKER_SCHEMA.empty_table(), _meta()).with_hash()
    assert (empty.n_tasks, empty.n_workers) == (0, 0)


# --------------------------------------------------------------------------- files


def test_round_trip_keeps_tables_and_metadata(tmp_path):
    scenario = tiny()
    path = save_scenario(scenario, tmp_path / "s")
    assert path == tmp_path / "s"
    assert sorted(p.name for p in path.iterdir()) == ["tasks.parquet", "workers.parquet"]
    loaded = load_scenario(path)
    assert loaded == scenario
    assert loaded.meta == scenario.meta
    assert loaded.tasks.schema == TASK_SCHEMA
    for name in ("tasks.parquet", "workers.parquet"):
        meta = json.loads(pq.read_schema(path / name).metadata[META_KEY])
        assert meta == scenario.meta


def test_save_is_byte_identical_and_fills_the_hash(tmp_path):
    scenario = tiny()
    unhashed = Scenario(scenario.tasks, scenario.workers, _meta())
    save_scenario(scenario, tmp_path / "a")
    save_scenario(unhashed, tmp_path / "b")
    for name in ("tasks.parquet", "workers.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert load_scenario(tmp_path / "b").meta["content_hash"] == scenario.meta["content_hash"]


def test_save_overwrites_and_refuses_a_file_path(tmp_path):
    save_scenario(tiny(), tmp_path / "s")
    save_scenario(tiny(value=np.full(4, 7.0)), tmp_path / "s")
    assert load_scenario(tmp_path / "s") == tiny(value=np.full(4, 7.0))
    (tmp_path / "f").write_text("x")
    with pytest.raises(ScenarioError, match=r"expected a directory.*got an existing file"):
        save_scenario(tiny(), tmp_path / "f")
    with pytest.raises(TypeError, match="expected a Scenario"):
        save_scenario({}, tmp_path / "g")


@pytest.fixture
def saved(tmp_path) -> Path:
    return save_scenario(tiny(), tmp_path / "scenario")


def test_load_missing_directory_and_file(tmp_path, saved):
    with pytest.raises(ScenarioError, match=r"expected a scenario directory.*got nothing"):
        load_scenario(tmp_path / "nowhere")
    (saved / "workers.parquet").unlink()
    with pytest.raises(ScenarioError, match=r"workers\.parquet: missing file; .*save_scenario"):
        load_scenario(saved)


def test_load_missing_column(saved):
    rewrite(saved / "tasks.parquet", lambda t: t.drop_columns(["value"]))
    with pytest.raises(ScenarioError) as info:
        load_scenario(saved)
    message = str(info.value)
    assert "tasks.parquet" in message
    assert "missing column(s) value (double)" in message
    assert "add them" in message


def test_load_casts_lossless_dtypes(saved):
    rewrite(
        saved / "tasks.parquet",
        lambda t: t.set_column(0, "task_id", t.column("task_id").cast(pa.int32())),
    )
    rewrite(
        saved / "workers.parquet",
        lambda t: t.set_column(7, "capacity", t.column("capacity").cast(pa.int64())),
    )
    assert pq.read_schema(saved / "tasks.parquet").field("task_id").type == pa.int32()
    assert load_scenario(saved) == tiny()  # the hash is over the canonical types


def test_load_wrong_dtype(saved):
    def to_text(table: pa.Table) -> pa.Table:
        index = table.schema.get_field_index("value")
        return table.set_column(index, "value", table.column("value").cast(pa.string()))

    rewrite(saved / "tasks.parquet", to_text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(saved)
    message = str(info.value)
    assert "tasks.parquet: column 'value': expected double, got string" in message
    assert "write the column as double" in message


def test_version_1_files_load_upgraded_with_their_hash_checked(saved, tmp_path):
    """A scenario saved by a version-1 gigbench (no observed_* columns after observed_fare, the
    old metadata keys) loads: its hash is checked as version 1 wrote it, then it is this
    version's, with NaN columns and the metadata upgraded."""
    scenario = load_scenario(saved)
    v1_tasks = scenario.tasks.drop_columns(list(OPTIONAL_TASK_COLUMNS))
    meta = _old_meta(1)
    meta["content_hash"] = _hash(v1_tasks, scenario.workers, meta, _TASK_SCHEMAS[1])
    blob = json.dumps(meta).encode()
    old = tmp_path / "v1"
    old.mkdir()
    pq.write_table(v1_tasks.replace_schema_metadata({META_KEY: blob}), old / "tasks.parquet")
    pq.write_table(
        scenario.workers.replace_schema_metadata({META_KEY: blob}), old / "workers.parquet"
    )
    loaded = load_scenario(old)
    assert loaded.meta["schema_version"] == SCHEMA_VERSION == 3
    assert loaded == scenario  # same data, same upgraded metadata and hash
    for name in OPTIONAL_TASK_COLUMNS:
        assert np.isnan(loaded.tasks.column(name).to_numpy()).all()
    edit_meta(old / "tasks.parquet", seed=12345)  # a v1 file changed after saving
    edit_meta(old / "workers.parquet", seed=12345)
    with pytest.raises(ScenarioError, match="content hash mismatch"):
        load_scenario(old)


def test_version_2_metadata_is_read_as_the_facts_it_stated():
    """What version 2 said keeps its meaning: no city is no geography (and no speeds), the
    stated tariff keeps its figures and its name, a scenario without one states the meter that
    priced it, and the policy names become the facts they stood for."""
    budget = {"kind": "budget", "base_fare": 0.0, "per_km": 0.0, "per_min": 0.0,
              "min_fare": 0.0, "min_fare_km": 0.0, "commission": 0.2, "fee": 0.0}  # fmt: skip
    freelance = Scenario(tiny().tasks, tiny().workers,
                         _old_meta(2, city={}, market="freelance", tariff=budget)).info  # fmt: skip
    assert (freelance.market, freelance.geography, freelance.speed_kmh_by_hour) == (
        "freelance", None, None)  # fmt: skip
    assert freelance.tariff == TARIFFS["freelance_budget"]
    metered = {"kind": "metered", "base_fare": 0.0, "per_km": 2550.0, "per_km_max": 2800.0,
               "per_min": 0.0, "min_fare": 10200.0, "min_fare_max": 11200.0,
               "min_fare_km": 4.0, "commission": 0.15, "fee": 0.05}  # fmt: skip
    ojol = Scenario(tiny().tasks, tiny().workers,
                    _old_meta(2, tariff=metered, reposition="demand")).info  # fmt: skip
    assert ojol.tariff == TARIFFS["jakarta_ojol"] and ojol.idle_drivers == "seek_demand"
    replay = Scenario(tiny().tasks, tiny().workers, _old_meta(
        2, generator="replay", params={"day": "2024-01-15", "day_offset": 2},
        pricing="observed")).info  # fmt: skip
    assert replay.tariff == TARIFFS["nyc_meter"] and replay.fares == "recorded"
    assert (replay.first_day, replay.idle_drivers) == ("2024-01-17", "wait")
    assert replay.geography == Geography(5.0, 5.0, 1.0)


def test_load_unknown_schema_version(saved):
    edit_meta(saved / "tasks.parquet", schema_version=99)
    with pytest.raises(
        ScenarioError, match=r"tasks\.parquet: unknown schema_version 99; .*upgrade"
    ):
        load_scenario(saved)


def test_load_truncated_footer(saved):
    file = saved / "workers.parquet"
    file.write_bytes(file.read_bytes()[:-20])
    with pytest.raises(ScenarioError) as info:
        load_scenario(saved)
    message = str(info.value)
    assert "workers.parquet: expected a readable Parquet file" in message
    assert "truncated or corrupt; regenerate it" in message


def test_load_not_parquet_and_no_metadata(saved):
    (saved / "tasks.parquet").write_bytes(b"")
    with pytest.raises(ScenarioError, match="expected a readable Parquet file"):
        load_scenario(saved)
    pq.write_table(tiny().tasks, saved / "tasks.parquet")
    with pytest.raises(ScenarioError, match="expected gigbench metadata"):
        load_scenario(saved)


def test_load_altered_data_fails_the_hash(saved):
    def bump(table: pa.Table) -> pa.Table:
        index = table.schema.get_field_index("value")
        values = table.column("value").to_numpy().copy()
        values[2] += 0.01
        return table.set_column(index, "value", pa.array(values))

    rewrite(saved / "tasks.parquet", bump)
    with pytest.raises(ScenarioError) as info:
        load_scenario(saved)
    message = str(info.value)
    assert "content hash mismatch" in message
    assert tiny().meta["content_hash"] in message
    assert "verify=False" in message
    edited = load_scenario(saved, verify=False)
    assert edited.meta["content_hash"] != edited.compute_hash()


def test_load_mixed_files(tmp_path, saved):
    other = save_scenario(tiny(value=np.full(4, 7.0)), tmp_path / "other")
    (saved / "workers.parquet").write_bytes((other / "workers.parquet").read_bytes())
    with pytest.raises(ScenarioError, match="from the same scenario, got different metadata"):
        load_scenario(saved)


def test_load_invalid_content_names_the_file(saved):
    rewrite(
        saved / "workers.parquet",
        lambda t: t.set_column(2, "offline_time", pa.array(np.zeros(t.num_rows))),
    )
    with pytest.raises(ScenarioError, match=r"workers\.parquet: column 'offline_time'"):
        load_scenario(saved)
