"""Reading trip files with DuckDB: CSV or Parquet in, normalised :class:`Trips` batches out.

Why DuckDB (measured, see docs/replay.md, "Ingestion engine"): its CSV reader reads every cell as
text and skips structurally broken lines into a rejects table (``ignore_errors``,
``store_rejects``), ``TRY_CAST`` turns each cell that does not parse into a null we can count
per column, Parquet filters on the time column are pushed down to row-group statistics, and
the whole scan streams in record batches under a ``memory_limit`` (spilling to disk beyond
it), so memory is bounded by :class:`Engine` settings, not by the file.

Every input row comes out either as a record (possibly flagged ``unparseable`` with the name
of its first bad column) or counted: ``malformed_<error>`` for CSV lines DuckDB rejects
(too many or too few columns, invalid UTF-8, an unterminated quote), ``outside_window`` and
``null_time`` for Parquet rows a pushed-down window filter skipped.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from gigbench.instances.tlc.params import TLC_URL, ReplayError
from gigbench.instances.tlc.records import NULL_TIME, Trips
from gigbench.instances.tlc.report import RowReport
from gigbench.instances.tlc.sources import TIME_ROLES, Layout, resolve
from gigbench.instances.tlc.zones import csv_header

__all__ = ["CSV_SUFFIXES", "PARQUET_SUFFIXES", "Engine", "TripFile", "is_parquet", "trip_files"]

CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".csv.zst", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
# Timestamp formats beyond ISO 8601: Socrata's CSV export (Chicago) and old spreadsheets.
_TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M")


@dataclass(frozen=True)
class Engine:
    """DuckDB settings: memory bound, threads, batch size and where to spill."""

    memory_mb: int = 1024
    threads: int = 1
    batch_rows: int = 500_000
    temp_dir: str = ""

    def connect(self):  # -> duckdb.DuckDBPyConnection
        """A fresh connection with these settings (a fresh one per file: its own rejects)."""
        import duckdb

        con = duckdb.connect(config={"threads": max(1, self.threads)})
        con.execute(f"SET memory_limit = '{int(self.memory_mb)}MB'")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        if self.temp_dir:
            con.execute(f"SET temp_directory = '{_sql_text(self.temp_dir)}'")
        return con


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_parquet(file: Path) -> bool:
    """By name, else by the ``PAR1`` magic bytes."""
    name = file.name.lower()
    if name.endswith(PARQUET_SUFFIXES):
        return True
    if name.endswith(CSV_SUFFIXES):
        return False
    with open(file, "rb") as handle:
        return handle.read(4) == b"PAR1"


def trip_files(path: str) -> list[Path]:
    """The trip files named by ``path``: a file, a folder (its CSV and Parquet files) or a glob."""
    target = Path(path)
    if target.is_dir():
        files = sorted(
            p for p in target.iterdir() if p.name.lower().endswith(CSV_SUFFIXES + PARQUET_SUFFIXES)
        )
        where = f"in the folder {target}"
    elif any(c in path for c in "*?["):
        files = sorted(Path(p) for p in glob.glob(path))
        where = f"matching {path}"
    else:
        if not target.is_file():
            raise ReplayError(
                f"{target}: trip records not found; expected a TLC CSV or Parquet file, a "
                f"folder, a glob or a prepared dataset; check the path (TLC files: {TLC_URL})"
            )
        return [target]
    if not files:
        raise ReplayError(
            f"{path}: expected TLC trip files (*.csv, *.parquet) {where}, got none; check the path"
        )
    return files


def _parquet_schema(file: Path) -> pa.Schema:
    try:
        schema = pq.read_schema(file)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ReplayError(
            f"{file}: expected a Parquet file, got unreadable data "
            f"({(str(exc).splitlines() or [type(exc).__name__])[0]}); the file is truncated, "
            "not Parquet or has duplicate column names: download it again or name a CSV "
            "file *.csv"
        ) from None
    if len(set(schema.names)) != len(schema.names):
        raise ReplayError(
            f"{file}: expected a Parquet file with unique column names, got duplicate column "
            f"names in {schema.names}; keep one of each"
        )
    return schema


def _check_types(file: Path, layout: Layout, schema: pa.Schema) -> None:
    """File-level type errors (a whole column of the wrong kind) name the column and the fix."""
    for role, name in layout.roles.items():
        dtype = schema.field(name).type
        text = pa.types.is_string(dtype) or pa.types.is_large_string(dtype)
        if role in TIME_ROLES:
            ok = pa.types.is_timestamp(dtype) or text or pa.types.is_null(dtype)
            expected = "timestamps (e.g. 2024-01-15 08:30:00)"
        else:
            ok = (
                pa.types.is_integer(dtype)
                or pa.types.is_floating(dtype)
                or pa.types.is_decimal(dtype)
                or pa.types.is_null(dtype)
                or text
            )
            expected = "numbers"
        if not ok:
            raise ReplayError(
                f"{file}: column {name!r}: expected {expected}, got {dtype} values; pass the "
                "TLC file unmodified or write ISO timestamps and plain numbers"
            )


def _parse(kind: str, column: str, text: bool) -> tuple[str, str]:
    """(SQL of the parsed value, SQL that is true when a present cell did not parse)."""
    col = _ident(column)
    if kind == "time":
        if not text:
            value = f"epoch_us(CAST({col} AS TIMESTAMP))"
            return value, "false"
        formats = ", ".join(f"'{f}'" for f in _TIME_FORMATS)
        parsed = f"coalesce(TRY_CAST({col} AS TIMESTAMP), TRY_STRPTIME({col}, [{formats}]))"
        return f"epoch_us({parsed})", f"({col} IS NOT NULL AND {parsed} IS NULL)"
    if kind == "number":
        if not text:
            return f"CAST({col} AS DOUBLE)", "false"
        return (
            f"TRY_CAST({col} AS DOUBLE)",
            f"({col} IS NOT NULL AND TRY_CAST({col} AS DOUBLE) IS NULL)",
        )
    if kind == "flag":
        return "NULL", f"({col} IS NOT NULL AND upper(trim({col})) NOT IN ('Y', 'N', ''))"
    if kind == "bool":
        return "NULL", f"({col} IS NOT NULL AND lower(trim({col})) NOT IN ('true', 'false', ''))"
    raise ValueError(f"unknown column kind {kind!r}")  # a programming error


def _select(layout: Layout, text: dict[str, bool]) -> str:
    """The SELECT list: one normalised column per role and the first unparseable column."""
    fields, bad = [], []
    for role, column in layout.roles.items():
        value, unparsed = _parse("time" if role in TIME_ROLES else "number", column, text[column])
        fields.append(f"{value} AS {role}")
        if unparsed != "false":
            bad.append((column, unparsed))
    for column, kind in layout.checked.items():
        if text[column]:
            bad.append((column, _parse(kind, column, True)[1]))
    cases = " ".join(f"WHEN {cond} THEN '{_sql_text(col)}'" for col, cond in bad)
    fields.append(
        f"CASE {cases} ELSE CAST(NULL AS VARCHAR) END AS unparseable"
        if bad
        else "CAST(NULL AS VARCHAR) AS unparseable"
    )
    return ", ".join(fields)


def _error_message(file: Path, exc: Exception) -> ReplayError:
    text = " ".join(str(exc).split())[:300]
    return ReplayError(
        f"{file}: expected readable trip records, got an error from the reader ({text}); pass "
        "the file unmodified (UTF-8 CSV with a header line, or Parquet)"
    )


class TripFile:
    """One trip file: its layout (from the header or Parquet schema) and its record batches."""

    def __init__(self, file: Path) -> None:
        self.path = file
        self.parquet = is_parquet(file)
        if self.parquet:
            schema = _parquet_schema(file)
            self.layout = resolve(file, schema.names)
            _check_types(file, self.layout, schema)
            self._schema: pa.Schema | None = schema
            self._text = {
                f.name: pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
                for f in schema
            }
            self._source = f"read_parquet('{_sql_text(str(file))}')"
        else:
            names = csv_header(file, "trip records")
            self.layout = resolve(file, names)
            self._schema = None
            self._text = dict.fromkeys(_unique(names), True)
            columns = ", ".join(f"'{_sql_text(n)}': 'VARCHAR'" for n in self._text)
            self._source = (
                f"read_csv('{_sql_text(str(file))}', header = true, delim = ',', quote = '\"', "
                "escape = '\"', ignore_errors = true, store_rejects = true, "
                f"null_padding = false, auto_detect = false, columns = {{{columns}}})"
            )

    def _pushdown(self, window: tuple[datetime, datetime] | None) -> str:
        """A WHERE clause on a naive Parquet timestamp column, else ""."""
        if window is None or self._schema is None:
            return ""
        column = self.layout.time_column
        dtype = self._schema.field(column).type
        if not (pa.types.is_timestamp(dtype) and dtype.tz is None):
            return ""
        start, end = (w.isoformat(sep=" ") for w in window)
        return (
            f" WHERE {_ident(column)} >= TIMESTAMP '{start}' "
            f"AND {_ident(column)} < TIMESTAMP '{end}'"
        )

    def batches(
        self,
        engine: Engine,
        report: RowReport,
        window: tuple[datetime, datetime] | None = None,
    ) -> Iterator[Trips]:
        """Stream the records as :class:`Trips` batches, counting in ``report`` what never
        becomes a record (rejected CSV lines, rows a pushed-down window skipped)."""
        import duckdb

        file = self.path
        where = self._pushdown(window)
        info = report.file(str(file), self.layout.service)
        con = engine.connect()
        try:
            sql = f"SELECT {_select(self.layout, self._text)} FROM {self._source}{where}"
            relation = con.sql(sql)
            # duckdb 2 renamed fetch_arrow_reader to to_arrow_reader
            stream = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
            reader = stream(engine.batch_rows)
            returned = 0
            for batch in reader:
                returned += batch.num_rows
                yield _with_trip_seconds(batch)
            total = returned
            if where:
                total = pq.ParquetFile(file).metadata.num_rows
                column = _ident(self.layout.time_column)
                nulls = con.execute(
                    f"SELECT count(*) FROM {self._source} WHERE {column} IS NULL"
                ).fetchone()[0]
                report.add("null_time", nulls)
                report.add("outside_window", total - returned - nulls)
            if not self.parquet:
                rejected = con.execute(
                    "SELECT error_type, count(DISTINCT line) FROM reject_errors "
                    "GROUP BY error_type ORDER BY error_type"
                ).fetchall()
                for error, count in rejected:
                    reason = re.sub(r"\W+", "_", str(error).lower()).strip("_")
                    report.add(f"malformed_{reason}", count)
                    total += count
        except (duckdb.Error, OSError) as exc:
            raise _error_message(file, exc) from None
        finally:
            con.close()
        report.input_rows += total
        info["rows"] += total


def _with_trip_seconds(batch: pa.RecordBatch) -> Trips:
    """The batch's trips; where it has trip seconds, drop-off = pick-up + trip seconds."""
    trips = Trips.from_batch(batch)
    if "seconds" in batch.schema.names:
        seconds = batch.column("seconds").to_numpy(zero_copy_only=False)
        ok = np.isfinite(seconds) & (trips.pickup != NULL_TIME) & (np.abs(seconds) < 1e7)
        trips.dropoff = np.where(
            ok,
            trips.pickup + np.round(np.where(ok, seconds, 0) * 1e6).astype(np.int64),
            trips.dropoff,
        )
    return trips


def _unique(names: list[str]) -> list[str]:
    """Header names made unique the way a reader must (a repeated name gets a suffix)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        key = name.lower()
        if key in seen:
            seen[key] += 1
            name = f"{name}_{seen[key]}"
        else:
            seen[key] = 0
        out.append(name)
    return out
