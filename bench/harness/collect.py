"""``gigbench-collect <results_dir>``: merge the per-run row files into one Parquet file.

Reads ``results_dir/rows/*.parquet`` (one row each, written atomically by every run), unifies
their columns (a column missing from a row is null there; types are promoted, and a column
whose types cannot be reconciled becomes a string), sorts by ``run_id`` and writes
``results_dir/results.parquet`` through a temporary file and an atomic rename. Temporary files
(``.*.tmp``, left by a run killed mid-write) are ignored, and so are unreadable row files (with
a warning). Running it twice gives the same file; it never changes a row file.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from gigbench.harness.rows import footer_copy, row_from_footer
from gigbench.io import read_parquet, write_parquet_atomic

RESULTS_FILE = "results.parquet"


def row_files(results_dir: Path) -> list[Path]:
    """The complete row files under ``results_dir/rows`` (temporary files left out), sorted."""
    rows = Path(results_dir) / "rows"
    if not rows.is_dir():
        return []
    return sorted(p for p in rows.glob("*.parquet") if not p.name.startswith("."))


def read_rows(results_dir: Path) -> pa.Table:
    """Every row under ``results_dir`` in one table with unified columns, sorted by run id.

    A row written by the harness is read from its footer's JSON copy (a millisecond), rows
    with the same columns are built into one table at once; other row files are read whole."""
    tables = []
    same_schema: dict[pa.Schema, list[dict]] = {}
    for path in row_files(results_dir):
        try:
            found = row_from_footer(footer_copy(path))
            if found is None:
                tables.append(read_parquet(path))
            else:
                same_schema.setdefault(found[0], []).append(found[1])
        except (OSError, ValueError, KeyError, pa.ArrowException) as exc:  # corrupt, truncated
            warnings.warn(f"skipping unreadable row file {path}: {exc}", stacklevel=2)
    tables += [pa.Table.from_pylist(rows, schema) for schema, rows in same_schema.items()]
    if not tables:
        return pa.table({"run_id": pa.array([], pa.string())})
    table = concat_unified(tables)
    if "run_id" in table.column_names:
        table = table.sort_by([("run_id", "ascending")])
    return table


def concat_unified(tables: list[pa.Table]) -> pa.Table:
    """Concatenate tables whose columns differ: missing columns become nulls, types are
    promoted (int to float, null to anything); irreconcilable types fall back to strings."""
    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    types: dict[str, set[pa.DataType]] = {}
    for table in tables:
        for field in table.schema:
            types.setdefault(field.name, set()).add(field.type)
    clash = set()
    for name in types:
        # Try the column itself: types can unify yet values not convert (an int64 beyond 2**53
        # beside a float64 column).
        parts = [t.select([name]) for t in tables if name in t.column_names]
        try:
            pa.concat_tables(parts, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            clash.add(name)
    fixed = []
    for table in tables:
        for name in clash & set(table.column_names):
            i = table.column_names.index(name)
            table = table.set_column(i, name, _as_text(table.column(name)))
        fixed.append(table)
    return pa.concat_tables(fixed, promote_options="permissive")


def _as_text(column: pa.ChunkedArray) -> pa.Array:
    """A column as strings; nested values (lists, structs), which Arrow cannot cast, as JSON."""
    try:
        return column.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        values = column.to_pylist()
        text = [None if v is None else json.dumps(v, sort_keys=True, default=str) for v in values]
        return pa.array(text, pa.string())


def collect(results_dir: str | Path) -> Path:
    """Merge the rows of ``results_dir`` into ``results_dir/results.parquet``; return its path."""
    results_dir = Path(results_dir)
    if not results_dir.is_dir():
        what = "is a file, not a folder" if results_dir.exists() else "does not exist"
        raise FileNotFoundError(
            f"results folder {results_dir} {what}; pass the results_dir of a sweep"
        )
    return write_parquet_atomic(read_rows(results_dir), results_dir / RESULTS_FILE)


def main(argv: list[str] | None = None) -> int:
    """Console entry point of ``gigbench-collect``."""
    parser = argparse.ArgumentParser(
        prog="gigbench-collect",
        description="Merge results_dir/rows/*.parquet into results_dir/results.parquet.",
    )
    parser.add_argument("results_dir", help="the results_dir of one or more sweeps")
    args = parser.parse_args(argv)
    try:
        path = collect(args.results_dir)
    except OSError as exc:  # missing folder, permissions, a full or read-only disk
        print(f"gigbench-collect: error: {exc}", file=sys.stderr)
        return 2
    n = pq.read_metadata(path).num_rows
    print(f"gigbench-collect: {n} rows -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
