"""Hand-made results folders for the collect and report tests: rows written as given (any
columns, any types), with optional per-run tables, the way a foreign or older writer would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from gigbench.io import write_parquet_atomic


def write_run(results_dir: Path, row: dict[str, Any], tables: dict[str, pa.Table] | None = None):
    """Write ``tables`` under ``runs/<run_id>/`` and ``row`` as ``rows/<run_id>.parquet``."""
    rid = row["run_id"]
    for name, table in (tables or {}).items():
        write_parquet_atomic(table, Path(results_dir) / "runs" / rid / f"{name}.parquet")
    return write_parquet_atomic(
        pa.Table.from_pylist([row]), Path(results_dir) / "rows" / f"{rid}.parquet"
    )
