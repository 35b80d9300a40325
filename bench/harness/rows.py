"""One row per run, built by :func:`make_row` whatever its status, with typed columns.

Layout under ``results_dir``: ``rows/<run_id>.parquet`` (one row: config, status, metrics,
environment) and ``runs/<run_id>/`` (the run's tables, each with a ``run_id`` column, and its
log). The row is written last, atomically: a row on disk means the run is over.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import subprocess
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from gigbench.io import write_parquet_atomic
from gigbench.resources import source_checkout

# gigbench's own version first: from a wheel there is no git commit to say what code ran.
_PACKAGES = ("gigbench", "numpy", "scipy", "numba", "pyarrow", "pulp", "ortools", "highspy",
             "hydra-core")  # fmt: skip
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")
FAILED = ("error", "oom", "timeout")

Row = dict[str, Any]
"""A run's row: column name -> value (the one row of :func:`make_row`'s table)."""


def row_path(results_dir: Path, rid: str) -> Path:
    """Where the row of ``rid`` lives."""
    return Path(results_dir) / "rows" / f"{rid}.parquet"


def run_dir(results_dir: Path, rid: str) -> Path:
    """The folder of the run's tables and log."""
    return Path(results_dir) / "runs" / rid


def log_path(results_dir: Path, rid: str) -> Path:
    """The run's log: its stderr, tracebacks and fatal-signal traces."""
    return run_dir(results_dir, rid) / "run.log"


@functools.cache
def _static_environment() -> dict[str, Any]:
    env: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine()}
    for name in _PACKAGES:
        try:
            env[f"version_{name}"] = metadata.version(name)
        except metadata.PackageNotFoundError:
            env[f"version_{name}"] = None
    # Only a checkout has a commit of its own: an installed wheel may sit in a venv inside
    # another project's repository, whose commit is not gigbench's.
    repo = source_checkout()
    commit = None if repo is None else _git(repo, "rev-parse", "HEAD")
    env["git_commit"] = commit
    status = None if repo is None else _git(repo, "status", "--porcelain", "--untracked-files=no")
    env["git_dirty"] = None if commit is None else bool(status)
    for var in _THREAD_VARS:
        env[var.lower()] = os.environ.get(var)
    env["cpu_count"] = os.cpu_count()
    env["cpu_model"] = cpu_model()
    return env


def environment(
    launcher: str = "none", launcher_jobs: int = 1, concurrent_runs: int | None = 1
) -> dict[str, Any]:
    """Versions, git commit and dirty flag, thread settings and CPU, the launcher with the runs
    it was asked to run at once, and how many runs of this host really ran at once beside this
    one (measured: timings are only comparable at 1)."""
    return _static_environment() | {
        "launcher": launcher,
        "launcher_jobs": int(launcher_jobs),
        "concurrent_runs": concurrent_runs,
    }


def _git(repo: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def cpu_model() -> str:
    """The CPU's model name (Linux) or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _float(value: Any) -> float | None:
    """A metric as a float, ``None`` for absent values (NaN, None)."""
    if value is None:
        return None
    value = float(value)
    return None if value != value else value


def make_row(
    config: dict[str, Any],
    rid: str,
    status: str,
    *,
    started_at: datetime,
    finished_at: datetime,
    message: str | None = None,
    traceback: str | None = None,
    log: str | None = None,
    metrics: dict[str, float] | None = None,
    replay: dict[str, int] | None = None,
    env: dict[str, Any] | None = None,
    plugins: dict[str, Any] | None = None,
):
    """The one-row Arrow table of a run, ``ok`` or failed: identity from ``config`` (the
    resolved config when the run got that far) and the installed ``plugins`` it chose
    (``plugins_json``: per config group, entry point, distribution, version and source hash;
    null for built-ins alone), status, metrics (``m_*``), replay counts, environment
    (``env_*``); absent values are nulls."""
    import pyarrow as pa

    def node(key: str) -> dict[str, Any]:
        value = config.get(key)
        return value if isinstance(value, dict) else {}

    lam = node("objective").get("lambda")
    seed = node("instance").get("seed")
    columns: list[tuple[str, pa.DataType, Any]] = [
        ("run_id", pa.string(), rid),
        ("status", pa.string(), status),
        ("message", pa.string(), message or None),
        ("traceback", pa.string(), traceback or None),
        ("log", pa.string(), log),
        ("started_at", pa.timestamp("us", tz="UTC"), started_at),
        ("finished_at", pa.timestamp("us", tz="UTC"), finished_at),
        ("wall_seconds", pa.float64(), (finished_at - started_at).total_seconds()),
        ("mode", pa.string(), node("mode").get("name")),
        ("solver", pa.string(), node("solver").get("name")),
        ("instance", pa.string(), node("instance").get("name")),
        ("seed", pa.int64(), int(seed) if isinstance(seed, int) else None),
        ("objective", pa.string(), node("objective").get("name")),
        ("objective_lambda", pa.float64(), _float(lam) if isinstance(lam, int | float) else None),
        ("pricing", pa.string(), node("pricing").get("name")),
        ("reposition", pa.string(), node("reposition").get("name")),
        ("supply", pa.string(), node("supply").get("name")),
        ("pay_rule", pa.string(), node("pay_rule").get("name")),
        ("market", pa.string(), node("market").get("name")),
        ("config_json", pa.string(), json.dumps(config, sort_keys=True, default=str)),
        ("plugins_json", pa.string(), json.dumps(plugins, sort_keys=True) if plugins else None),
    ]
    for key in ("input_rows", "kept_rows", "dropped_rows"):
        columns.append((f"replay_{key}", pa.int64(), (replay or {}).get(key)))
    for key, value in (metrics or {}).items():
        columns.append((f"m_{key}", pa.float64(), _float(value)))
    for key, value in (env or environment()).items():
        columns.append((f"env_{key}", _env_type(key, value), value))
    schema = pa.schema([pa.field(name, kind) for name, kind, _ in columns])
    return pa.Table.from_pylist([{name: value for name, _, value in columns}], schema=schema)


_INT_ENV = ("cpu_count", "launcher_jobs", "concurrent_runs")


def _env_type(key: str, value: Any):
    import pyarrow as pa

    if key in _INT_ENV:
        return pa.int64()
    if key == "git_dirty" or isinstance(value, bool):
        return pa.bool_()
    if isinstance(value, int):
        return pa.int64()
    return pa.string()


# The row again, as JSON in the file's footer: ``gigbench-collect`` reads 10,000 footers in
# seconds where decoding 10,000 files of 60 columns takes minutes.
ROW_KEY = b"gigbench.row"
_TYPE_NAMES = ("string", "int64", "double", "bool", "timestamp[us, tz=UTC]")


def write_row(results_dir: Path, row) -> Path:
    """Write the one-row table ``row`` to ``rows/<run_id>.parquet`` atomically, with a JSON
    copy of it in the footer's key-value metadata."""
    rid = row.column("run_id")[0].as_py()
    types = {field.name: str(field.type) for field in row.schema}
    if set(types.values()) <= set(_TYPE_NAMES):
        values = {k: v.isoformat() if isinstance(v, datetime) else v
                  for k, v in row.to_pylist()[0].items()}  # fmt: skip
        copy = json.dumps({"types": types, "row": values}, allow_nan=False)
        row = row.replace_schema_metadata({ROW_KEY: copy.encode()})
    return write_parquet_atomic(row, row_path(results_dir, rid))


def footer_copy(path: Path) -> bytes | None:
    """The JSON copy of the row in a row file's footer (None when the file has none; the
    caller then reads it with Arrow), read with :func:`pyarrow.parquet.read_metadata`: the
    footer alone, not the data."""
    import pyarrow.parquet as pq

    return (pq.read_metadata(path).metadata or {}).get(ROW_KEY)


def row_from_footer(copy_bytes: bytes | None):
    """(schema, row) of the footer's JSON copy of a row (None when there is none)."""
    import pyarrow as pa

    if copy_bytes is None:
        return None
    kinds = {"string": pa.string(), "int64": pa.int64(), "double": pa.float64(),
             "bool": pa.bool_(), "timestamp[us, tz=UTC]": pa.timestamp("us", tz="UTC")}  # fmt: skip
    copy = json.loads(copy_bytes)
    schema = pa.schema([pa.field(name, kinds[kind]) for name, kind in copy["types"].items()])
    row = copy["row"]
    for name, kind in copy["types"].items():
        if kind.startswith("timestamp") and row.get(name) is not None:
            row[name] = datetime.fromisoformat(row[name])
    return schema, row


def write_tables(results_dir: Path, rid: str, tables: dict[str, Any]) -> None:
    """Write a run's tables under ``runs/<run_id>/``, each with a leading ``run_id`` column
    and nulls (not NaN) for absent float values, so that every engine averages them alike."""
    for name, table in tables.items():
        write_parquet_atomic(with_run_id(table, rid), run_dir(results_dir, rid) / f"{name}.parquet")


def with_run_id(table, rid: str):
    """``table`` with ``run_id`` first and NaN floats as nulls."""
    import numpy as np
    import pyarrow as pa

    # numpy's isnan, not pyarrow.compute's: importing pyarrow.compute costs every run 30-60 ms.
    for i, field in enumerate(table.schema):
        if pa.types.is_floating(field.type):
            values = table.column(i).to_numpy()  # a null reads as NaN, and stays null
            nan = np.isnan(values)
            if nan.any():
                table = table.set_column(i, field, pa.array(values, type=field.type, mask=nan))
    if "run_id" in table.column_names:
        table = table.drop_columns(["run_id"])
    return table.add_column(0, "run_id", pa.array([rid] * table.num_rows, pa.string()))


def load_arrow() -> None:
    """Import what rows and run tables are written with, in this process: ``pyarrow.parquet``,
    and what Arrow converts Python values with (pyarrow imports pandas, when installed, on its
    first conversion of anything). Runs forked after it start with them, and the parent builds
    their rows without importing them a second time."""
    import pyarrow as pa
    import pyarrow.parquet

    pa.array([0.0])


def read_row(results_dir: Path, rid: str) -> Row | None:
    """The row already written for ``rid``, or None (an unreadable file counts as none)."""
    from gigbench.io import read_parquet

    path = row_path(results_dir, rid)
    if not path.is_file():
        return None
    try:
        table = read_parquet(path)
    except (OSError, ValueError):
        return None
    rows = table.to_pylist()
    return rows[0] if rows else None
