"""The prepared dataset: normalised, cleaned trips in Parquet, partitioned by service and day.

Layout (hive partitioning, readable by pyarrow, DuckDB, Spark or polars as one dataset)::

    DATASET/_gigbench_tlc.json                        marker: format version, columns
    DATASET/service=fhvhv/date=2024-01-15/part-<hash>.parquet
    DATASET/_reports/<hash>.json                      row fates of one input file

``<hash>`` is the first 16 hex digits of the input file's SHA-256: a file contributes one
part to each (service, day) it has trips in, and re-preparing it rewrites the same names.
``date`` is the day of the trip's request time (pick-up where no request is recorded), so a
day's partition holds exactly the trips a ``day=`` replay wants. Parts are written under a
hidden temporary name (``.part-<hash>.parquet.<random>.tmp``, ignored by every reader) and renamed
into place only after the whole input file is done; its report is written last, and marks
the file as prepared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gigbench.instances.tlc.params import ReplayError
from gigbench.instances.tlc.records import NULL_TIME, Trips
from gigbench.instances.tlc.report import RowReport
from gigbench.io import PendingFile, write_text_atomic

__all__ = [
    "DATASET_SCHEMA",
    "MARKER",
    "PartWriter",
    "dataset_files",
    "is_dataset",
    "write_json_atomic",
]

MARKER = "_gigbench_tlc.json"
FORMAT_VERSION = 1
_TIME = pa.timestamp("us")
DATASET_SCHEMA = pa.schema(
    [
        ("request", _TIME),
        ("on_scene", _TIME),
        ("pickup", _TIME),
        ("dropoff", _TIME),
        ("pu", pa.int32()),
        ("do", pa.int32()),
        ("pu_lon", pa.float64()),
        ("pu_lat", pa.float64()),
        ("do_lon", pa.float64()),
        ("do_lat", pa.float64()),
        ("miles", pa.float64()),
        ("fare", pa.float64()),
        ("tips", pa.float64()),
        ("driver_pay", pa.float64()),
    ]
)
_US_PER_DAY = 86_400 * 1_000_000


def is_dataset(path: str) -> bool:
    """Whether ``path`` is a dataset written by ``gigbench-tlc-prepare``."""
    return (Path(path) / MARKER).is_file()


def write_json_atomic(data: Any, target: Path) -> None:
    """Write ``data`` as sorted JSON through :class:`gigbench.io.PendingFile`."""
    write_text_atomic(json.dumps(data, indent=1, sort_keys=True) + "\n", target)


def dataset_files(path: str, days: list[str] | None, service: str) -> list[Path]:
    """The part files of ``days`` (all days when None) and ``service`` ("" = all)."""
    root = Path(path)
    services = [f"service={service}"] if service else ["service=*"]
    dates = [f"date={d}" for d in days] if days is not None else ["date=*"]
    files = sorted(f for s in services for d in dates for f in root.glob(f"{s}/{d}/part-*.parquet"))
    if not files:
        present = sorted(p.name for p in root.glob("service=*")) or ["none"]
        what = f"day {', '.join(days)}" if days else "any day"
        raise ReplayError(
            f"{root}: expected prepared trips for {what}"
            f"{f' of service {service}' if service else ''}, got no partition; services here: "
            f"{', '.join(present)}; pick a day the dataset covers (ls {root}/service=*/) or "
            "prepare its month with gigbench-tlc-prepare"
        )
    return files


def read_parts(files: list[Path], report: RowReport) -> list[Trips]:
    """The trips of prepared part files (already cleaned), counted as input rows."""
    parts = []
    for file in files:
        try:
            # ParquetFile, not read_table: no pyarrow.dataset (and pandas) import per replay
            table = pq.ParquetFile(file).read(columns=DATASET_SCHEMA.names)
            table = table.cast(DATASET_SCHEMA)
        except (pa.ArrowException, OSError) as exc:
            raise ReplayError(
                f"{file}: expected a prepared part file, got an unreadable one "
                f"({' '.join(str(exc).split())[:200]}); prepare its input file again"
            ) from None
        service = file.parent.parent.name.removeprefix("service=")
        report.file(str(file), service)["rows"] += table.num_rows
        report.input_rows += table.num_rows
        parts.append(Trips.from_batch(table))
    return parts


class PartWriter:
    """Writes one input file's kept trips into per-(service, day) parts, atomically."""

    def __init__(self, root: Path, service: str, tag: str) -> None:
        self.root = root
        self.service = service
        self.tag = tag
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._pending: dict[str, PendingFile] = {}

    def write(self, t: Trips) -> None:
        """Append trips (one row group per day they touch)."""
        if len(t) == 0:
            return
        day = t.arrival() // _US_PER_DAY
        order = np.argsort(day, kind="stable")
        day, t = day[order], t.take(order)
        cuts = np.flatnonzero(np.diff(day)) + 1
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(day)], strict=True):
            name = str(np.datetime64(int(day[lo]), "D"))
            self._writer(name).write_table(_table(t.take(slice(lo, hi))))

    def _writer(self, day: str) -> pq.ParquetWriter:
        if day not in self._writers:
            folder = self.root / f"service={self.service}" / f"date={day}"
            pending = self._pending[day] = PendingFile(folder / f"part-{self.tag}.parquet")
            self._writers[day] = pq.ParquetWriter(pending.path, DATASET_SCHEMA, compression="zstd")
        return self._writers[day]

    def commit(self) -> list[str]:
        """Close every part and rename it into place; returns the days written."""
        for writer in self._writers.values():
            writer.close()
        for pending in self._pending.values():
            pending.commit()
        return sorted(self._pending)

    def abort(self) -> None:
        """Close and delete the temporary parts."""
        for writer in self._writers.values():
            writer.close()
        for pending in self._pending.values():
            pending.discard()


def _table(t: Trips) -> pa.Table:
    columns = {}
    for field in DATASET_SCHEMA:
        values = getattr(t, field.name)
        if field.type == _TIME:
            columns[field.name] = pa.array(values, pa.int64(), mask=values == NULL_TIME).cast(_TIME)
        elif field.type == pa.int32():
            columns[field.name] = pa.array(values.astype(np.int32), pa.int32())
        else:
            columns[field.name] = pa.array(values, pa.float64())
    return pa.table(columns, schema=DATASET_SCHEMA)
