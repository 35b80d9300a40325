"""The market data every run consumes: a :class:`Scenario` of task requests and worker shifts.

A scenario is two Arrow tables (:data:`TASK_SCHEMA`, :data:`WORKER_SCHEMA`) and a metadata
dict. On disk it is a directory holding ``tasks.parquet`` and ``workers.parquet``; each file
carries the full metadata as JSON under the schema-metadata key ``b"gigbench"``, so either
file says where it came from.

``meta["content_hash"]`` is the SHA-256 of the canonical bytes of the scenario: each table cast
to its schema, stripped of schema metadata, combined into one record batch and written as an
Arrow IPC stream, followed by the metadata itself (every key except ``content_hash``) as
sorted, compact JSON. It does not depend on chunking, on the file format or on whether a column
was stored with a narrower type, so the same demand always has the same hash.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from gigbench.instances.meta import SCHEMA_VERSION, ScenarioError, ScenarioMeta, json_normal
from gigbench.io import write_parquet_atomic

__all__ = [
    "META_KEY",
    "OPTIONAL_TASK_COLUMNS",
    "SCHEMA_VERSION",
    "TASK_SCHEMA",
    "WORKER_SCHEMA",
    "Scenario",
    "ScenarioError",
    "ScenarioMeta",
    "load_scenario",
    "save_scenario",
    "validate_tables",
]

META_KEY = b"gigbench"
TASKS_FILE = "tasks.parquet"
WORKERS_FILE = "workers.parquet"

TASK_SCHEMA = pa.schema(
    [
        ("task_id", pa.int64()),
        ("request_time", pa.float64()),  # seconds from the start of the horizon
        ("origin_x", pa.float64()),  # km on a local plane
        ("origin_y", pa.float64()),
        ("dest_x", pa.float64()),
        ("dest_y", pa.float64()),
        ("origin_lon", pa.float64()),  # degrees; NaN when synthetic
        ("origin_lat", pa.float64()),
        ("dest_lon", pa.float64()),
        ("dest_lat", pa.float64()),
        ("origin_zone", pa.int32()),
        ("dest_zone", pa.int32()),
        ("distance_km", pa.float64()),
        ("duration_min", pa.float64()),
        ("value", pa.float64()),  # rider's willingness to pay, currency units
        ("patience_s", pa.float64()),
        ("skill", pa.int32()),  # -1 = any worker
        ("observed_fare", pa.float64()),  # NaN unless replayed
        ("observed_driver_pay", pa.float64()),  # recorded driver pay (HVFHV); NaN otherwise
        ("observed_tips", pa.float64()),
        ("observed_request_time", pa.float64()),  # s from the horizon start, where recorded
        ("observed_on_scene_time", pa.float64()),
        ("observed_pickup_time", pa.float64()),
    ]
)
# Columns a table may leave out: they are filled with NaN (synthetic demand records nothing).
OPTIONAL_TASK_COLUMNS = tuple(
    name for name in TASK_SCHEMA.names if name.startswith("observed_") and name != "observed_fare"
)
_TASK_SCHEMA_V1 = pa.schema([f for f in TASK_SCHEMA if f.name not in OPTIONAL_TASK_COLUMNS])
# The task columns of each version the content hash covered (version 3 changed the metadata).
_TASK_SCHEMAS = {1: _TASK_SCHEMA_V1, 2: TASK_SCHEMA, 3: TASK_SCHEMA}

WORKER_SCHEMA = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("online_time", pa.float64()),  # seconds from the start of the horizon
        ("offline_time", pa.float64()),
        ("start_x", pa.float64()),  # km
        ("start_y", pa.float64()),
        ("skills", pa.int64()),  # bitmask of skills; -1 = all skills
        ("reservation_wage", pa.float64()),  # currency per hour
        ("capacity", pa.int32()),  # concurrent jobs, 1 for ride-hailing
        ("vehicle", pa.string()),
        ("group", pa.string()),  # group label for group fairness
    ]
)

# Float columns that may hold NaN (lon/lat of synthetic points, fares never observed).
_NAN_ALLOWED = frozenset(
    {"origin_lon", "origin_lat", "dest_lon", "dest_lat", "observed_fare", *OPTIONAL_TASK_COLUMNS}
)
_NON_NEGATIVE = {
    "tasks": ("request_time", "distance_km", "duration_min", "value", "patience_s"),
    "workers": ("reservation_wage",),
}
# --------------------------------------------------------------------------- tables


def _kind(dtype: pa.DataType) -> str:
    if pa.types.is_integer(dtype):
        return "int"
    if pa.types.is_floating(dtype):
        return "float"
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return "string"
    return "other"


def _conform(table: pa.Table, schema: pa.Schema, source: str) -> pa.Table:
    """``table`` with exactly ``schema``'s columns, order and types (lossless casts only)."""
    if not isinstance(table, pa.Table):
        raise TypeError(f"{source}: expected a pyarrow.Table, got {type(table).__name__}")
    if schema is TASK_SCHEMA:
        n = table.num_rows
        for name in OPTIONAL_TASK_COLUMNS:
            if name not in table.column_names:
                table = table.append_column(name, pa.array(np.full(n, np.nan), pa.float64()))
    names = table.column_names
    missing = [name for name in schema.names if name not in names]
    if missing:
        expected = ", ".join(f"{name} ({schema.field(name).type})" for name in missing)
        raise ScenarioError(
            f"{source}: missing column(s) {expected}; add them (schema version "
            f"{SCHEMA_VERSION}: {', '.join(schema.names)})"
        )
    extra = [name for name in names if name not in schema.names]
    if extra:
        raise ScenarioError(
            f"{source}: unexpected column(s) {', '.join(extra)}; the schema version "
            f"{SCHEMA_VERSION} columns are {', '.join(schema.names)}; drop the extra ones"
        )
    if len(set(names)) != len(names):
        raise ScenarioError(f"{source}: duplicate column names in {names}; keep one of each")
    columns = []
    for target in schema:
        column = table.column(target.name)
        if column.type != target.type:
            got, want = _kind(column.type), _kind(target.type)
            allowed = got == want or (got == "int" and want == "float")
            try:
                if not allowed:
                    raise pa.ArrowInvalid("different kind")
                column = column.cast(target.type, safe=True)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise ScenarioError(
                    f"{source}: column {target.name!r}: expected {target.type}, got "
                    f"{column.type} which does not convert losslessly ({exc}); write the "
                    f"column as {target.type}"
                ) from None
        if column.null_count:
            raise ScenarioError(
                f"{source}: column {target.name!r}: expected no nulls, got "
                f"{column.null_count}; fill them (NaN is the marker for a missing float)"
            )
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _check(ok: bool, source: str, column: str, expected: str, got: str, fix: str) -> None:
    if not ok:
        raise ScenarioError(f"{source}: column {column!r}: expected {expected}, got {got}; {fix}")


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _check_ids(table: pa.Table, column: str, source: str) -> None:
    ids = table.column(column).to_numpy()
    unique, counts = np.unique(ids, return_counts=True)
    dup = unique[counts > 1]
    _check(
        dup.size == 0,
        source,
        column,
        "unique ids",
        f"{dup.size} duplicated, e.g. {dup[:3].tolist()}",
        "give every row its own id",
    )


def _check_numbers(table: pa.Table, source: str, part: str) -> None:
    for target in table.schema:
        if not pa.types.is_floating(target.type) or target.name in _NAN_ALLOWED:
            continue
        values = table.column(target.name).to_numpy()
        bad = ~np.isfinite(values)
        if bad.any():
            row = _first_bad(bad)
            _check(
                False,
                source,
                target.name,
                "finite numbers",
                f"{values[row]} at row {row} ({int(bad.sum())} rows)",
                "drop or repair those rows (only lon/lat and the observed_* columns may be NaN)",
            )
    for name in _NON_NEGATIVE[part]:
        values = table.column(name).to_numpy()
        bad = values < 0
        if bad.any():
            row = _first_bad(bad)
            _check(
                False,
                source,
                name,
                "values >= 0",
                f"{values[row]} at row {row}",
                "drop or repair those rows",
            )


def validate_tables(
    tasks: pa.Table,
    workers: pa.Table,
    *,
    tasks_source: str = "tasks",
    workers_source: str = "workers",
) -> tuple[pa.Table, pa.Table]:
    """Check and conform both tables; returns them cast to the schemas, metadata dropped.

    Columns may come in any order and with a narrower or wider type when the cast is lossless
    (int32 -> int64, float32 -> float64, int64 -> int32 when every value fits). Content rules:
    no nulls; no NaN except lon/lat and the ``observed_*`` columns (those after
    ``observed_fare`` may be left out: they are filled with NaN); unique ids; ``request_time`` >= 0
    and sorted ascending (generators emit sorted tasks; sort with
    ``tasks.sort_by("request_time")``); ``offline_time`` > ``online_time``; distances,
    durations, values, patience and wages >= 0; ``capacity`` >= 1; ``skill`` >= -1.
    The ``*_source`` labels (a file name, say) start every error message.
    """
    tasks = _conform(tasks, TASK_SCHEMA, tasks_source)
    workers = _conform(workers, WORKER_SCHEMA, workers_source)

    _check_ids(tasks, "task_id", tasks_source)
    _check_numbers(tasks, tasks_source, "tasks")
    times = tasks.column("request_time").to_numpy()
    unsorted = np.diff(times) < 0
    if unsorted.any():
        row = _first_bad(unsorted) + 1
        _check(
            False,
            tasks_source,
            "request_time",
            "ascending order",
            f"{times[row]} after {times[row - 1]} at row {row}",
            'sort the table with tasks.sort_by("request_time")',
        )
    skill = tasks.column("skill").to_numpy()
    _check(
        bool((skill >= -1).all()),
        tasks_source,
        "skill",
        "a skill index >= 0 or -1 (any worker)",
        f"min {skill.min() if skill.size else ''}",
        "use -1 for tasks any worker can do",
    )

    _check_ids(workers, "worker_id", workers_source)
    _check_numbers(workers, workers_source, "workers")
    online = workers.column("online_time").to_numpy()
    offline = workers.column("offline_time").to_numpy()
    short = offline <= online
    if short.any():
        row = _first_bad(short)
        _check(
            False,
            workers_source,
            "offline_time",
            "offline_time > online_time",
            f"offline {offline[row]} <= online {online[row]} at row {row}",
            "drop empty shifts or fix the times",
        )
    capacity = workers.column("capacity").to_numpy()
    _check(
        bool((capacity >= 1).all()),
        workers_source,
        "capacity",
        "capacity >= 1",
        f"min {capacity.min() if capacity.size else ''}",
        "use 1 for one job at a time",
    )
    return tasks, workers


class _DigestSink:
    """A write-only file that feeds a hash: the canonical stream is never held in memory."""

    def __init__(self, digest: Any) -> None:
        self.digest = digest
        self.closed = False

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.digest.update(view)
        return view.nbytes

    def flush(self) -> None:
        """Nothing is buffered."""

    def close(self) -> None:
        self.closed = True


def _digest_table(digest: Any, table: pa.Table, schema: pa.Schema) -> None:
    """Feed one IPC stream of one record batch to ``digest``: independent of chunking and
    schema metadata."""
    arrays = [column.combine_chunks() for column in table.columns]
    batch = pa.RecordBatch.from_arrays(arrays, schema=schema)
    sink = pa.PythonFile(_DigestSink(digest), mode="w")
    with ipc.new_stream(sink, schema) as writer:
        writer.write_batch(batch)


def _table_digest(table: pa.Table, schema: pa.Schema) -> bytes:
    digest = hashlib.sha256()
    _digest_table(digest, table, schema)
    return digest.digest()


def _meta_json(meta: dict[str, Any]) -> str:
    return json.dumps(meta, sort_keys=True, separators=(",", ":"), allow_nan=False)


# --------------------------------------------------------------------------- scenario


def _check_version(version: Any, source: str) -> None:
    if isinstance(version, bool) or version not in _TASK_SCHEMAS:
        raise ScenarioError(
            f"{source}: unknown schema_version {version!r}; this gigbench reads versions "
            f"{', '.join(map(str, _TASK_SCHEMAS))}; upgrade gigbench or regenerate the scenario"
        )


def _hash(tasks: pa.Table, workers: pa.Table, meta: dict[str, Any], task_schema: pa.Schema) -> str:
    """SHA-256 hex of the canonical table bytes and the metadata without the hash."""
    digest = hashlib.sha256()
    digest.update(b"gigbench-scenario\0")
    _digest_table(digest, tasks.select(task_schema.names), task_schema)
    _digest_table(digest, workers, WORKER_SCHEMA)
    rest = {key: value for key, value in meta.items() if key != "content_hash"}
    digest.update(_meta_json(rest).encode())
    return digest.hexdigest()


def _typed(meta: Any, source: str) -> tuple[dict[str, Any], ScenarioMeta]:
    """``meta`` as stored (JSON-normal, upgraded to this version) and typed."""
    if isinstance(meta, ScenarioMeta):
        meta = meta.as_dict()
    if not isinstance(meta, dict):
        raise TypeError(
            f"{source}: meta: expected a dict or a ScenarioMeta, got {type(meta).__name__}"
        )
    info = ScenarioMeta.from_dict(json_normal(meta, source), source)
    return json_normal(info.as_dict(), source), info


@dataclass(frozen=True, eq=False)
class Scenario:
    """A horizon of task requests and worker shifts, plus where they came from.

    The constructor validates and conforms both tables (see :func:`validate_tables`) and
    checks ``meta`` (a :class:`ScenarioMeta`, or its stored dict form of any readable version),
    keeping it as stored (``meta``, JSON-normal, so a scenario equals itself after a save/load
    round trip) and typed (:attr:`info`). ``content_hash`` is None until :meth:`with_hash`.
    """

    tasks: pa.Table
    workers: pa.Table
    meta: dict[str, Any]

    def __post_init__(self) -> None:
        tasks, workers = validate_tables(self.tasks, self.workers)
        meta, info = _typed(self.meta, "scenario")
        if tasks.num_rows:
            last = tasks.column("request_time")[-1].as_py()
            if last > info.horizon_s:
                raise ScenarioError(
                    f"tasks: column 'request_time': expected times <= horizon_s = "
                    f"{info.horizon_s}, got {last}; drop later tasks or raise horizon_s"
                )
        object.__setattr__(self, "tasks", tasks)
        object.__setattr__(self, "workers", workers)
        object.__setattr__(self, "meta", meta)
        object.__setattr__(self, "_info", info)

    @property
    def info(self) -> ScenarioMeta:
        """The typed metadata: the scenario's origin and the market it describes."""
        return self._info

    @property
    def n_tasks(self) -> int:
        """Number of task requests."""
        return self.tasks.num_rows

    @property
    def n_workers(self) -> int:
        """Number of worker shifts."""
        return self.workers.num_rows

    def compute_hash(self) -> str:
        """SHA-256 hex of the canonical table bytes and the metadata without the hash."""
        return _hash(self.tasks, self.workers, self.meta, TASK_SCHEMA)

    def with_hash(self) -> Scenario:
        """This scenario with ``meta["content_hash"]`` set to :meth:`compute_hash`."""
        return Scenario(
            self.tasks, self.workers, {**self.meta, "content_hash": self.compute_hash()}
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return (
            self.meta == other.meta
            and _table_digest(self.tasks, TASK_SCHEMA) == _table_digest(other.tasks, TASK_SCHEMA)
            and _table_digest(self.workers, WORKER_SCHEMA)
            == _table_digest(other.workers, WORKER_SCHEMA)
        )

    __hash__ = None  # type: ignore[assignment]


# --------------------------------------------------------------------------- files


def save_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write ``scenario`` to the directory ``path`` (created if needed); returns the path.

    Files: ``tasks.parquet`` and ``workers.parquet``, each with the metadata JSON under the
    schema-metadata key ``b"gigbench"``. The content hash is recomputed, so the files always
    carry the hash of what they hold. Each file is written to a temporary name and moved into
    place atomically (:class:`gigbench.io.PendingFile`); the same scenario always gives the
    same bytes.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario: expected a Scenario, got {type(scenario).__name__}")
    directory = Path(path)
    if directory.exists() and not directory.is_dir():
        raise ScenarioError(
            f"{directory}: expected a directory (a scenario is tasks.parquet + "
            "workers.parquet), got an existing file; choose another path"
        )
    directory.mkdir(parents=True, exist_ok=True)
    scenario = scenario.with_hash()
    blob = _meta_json(scenario.meta).encode()
    for table, name in ((scenario.tasks, TASKS_FILE), (scenario.workers, WORKERS_FILE)):
        write_parquet_atomic(
            table.replace_schema_metadata({META_KEY: blob}), directory / name, compression="zstd"
        )
    return directory


def _read(file: Path) -> tuple[pa.Table, dict[str, Any]]:
    if not file.is_file():
        raise ScenarioError(
            f"{file}: missing file; a scenario directory holds {TASKS_FILE} and "
            f"{WORKERS_FILE}; write it with save_scenario or regenerate it"
        )
    try:
        table = pq.ParquetFile(file).read()  # read_table would import pandas
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ScenarioError(
            f"{file}: expected a readable Parquet file, got an error "
            f"({' '.join(str(exc).split()) or type(exc).__name__}); the file is "
            "truncated or corrupt; regenerate it and save it again"
        ) from None
    raw = (table.schema.metadata or {}).get(META_KEY)
    if raw is None:
        raise ScenarioError(
            f"{file}: expected gigbench metadata under schema key {META_KEY!r}, found none; "
            "write scenarios with save_scenario"
        )
    try:
        meta = json.loads(raw)
    except ValueError as exc:
        raise ScenarioError(
            f"{file}: expected JSON metadata under {META_KEY!r}, got invalid JSON ({exc}); "
            "regenerate the scenario"
        ) from None
    if not isinstance(meta, dict):
        raise ScenarioError(f"{file}: expected a JSON object as metadata, got {type(meta)}")
    _check_version(meta.get("schema_version"), str(file))
    return table.replace_schema_metadata(None), meta


def load_scenario(path: str | os.PathLike[str], *, verify: bool = True) -> Scenario:
    """Read a scenario directory written by :func:`save_scenario`.

    Raises :class:`ScenarioError` naming the file, the column and the fix for: a missing
    file, an unreadable or truncated Parquet file, an unknown schema version, a missing column,
    a type that does not convert losslessly, invalid content, metadata that differs between the
    two files, and (when ``verify``) a content hash that does not match the data. Pass
    ``verify=False`` only to load deliberately edited files, then save them again.
    """
    directory = Path(path)
    if not directory.is_dir():
        raise ScenarioError(
            f"{directory}: expected a scenario directory (tasks.parquet + workers.parquet), "
            f"got {'a file' if directory.exists() else 'nothing'}; check the path"
        )
    tasks, meta = _read(directory / TASKS_FILE)
    workers, workers_meta = _read(directory / WORKERS_FILE)
    if meta != workers_meta:
        raise ScenarioError(
            f"{directory}: expected {TASKS_FILE} and {WORKERS_FILE} from the same scenario, "
            "got different metadata; save the scenario again"
        )
    tasks, workers = validate_tables(
        tasks,
        workers,
        tasks_source=str(directory / TASKS_FILE),
        workers_source=str(directory / WORKERS_FILE),
    )
    scenario = Scenario(tasks, workers, meta)
    if verify:
        # the hash as written: under the rules of the file's own schema version
        task_schema = _TASK_SCHEMAS[meta["schema_version"]]
        stored = meta.get("content_hash")
        actual = _hash(scenario.tasks, scenario.workers, meta, task_schema)
        if stored != actual:
            raise ScenarioError(
                f"{directory}: content hash mismatch: metadata says {stored}, the data hashes "
                f"to {actual}; the files were changed after saving; regenerate the scenario "
                "(or, for a deliberate edit, load_scenario(path, verify=False) and save again)"
            )
    if meta["schema_version"] != SCHEMA_VERSION:
        return scenario.with_hash()  # upgraded: the hash of what this version holds
    return scenario
