"""One Parquet row per run, written atomically; tables of the run beside it.

Layout under ``results_dir``: ``rows/<run_id>.parquet`` (one row: config, status, metrics,
environment) and ``runs/<run_id>/<name>.parquet`` (per-batch, per-worker or per-problem
tables). A crash mid-write leaves a temporary file, never a partial row.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import platform
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

_PACKAGES = ("numpy", "scipy", "numba", "pyarrow", "pulp", "ortools", "highspy", "hydra-core")


# How a run is executed (limits, isolation, where rows go) is not what it measures.
_NOT_IN_ID = ("run", "results_dir")


def run_id(config: dict[str, Any]) -> str:
    """A stable id of a run's configuration (same config, same id), ignoring the top-level
    keys that only say how or where it runs (``run``, ``results_dir``)."""
    identity = {k: v for k, v in config.items() if k not in _NOT_IN_ID}
    canonical = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def environment() -> dict[str, str]:
    """Versions, git commit and dirty flag, thread settings and CPU, to compare runs honestly."""
    env = {"python": platform.python_version(), "machine": platform.machine()}
    for name in _PACKAGES:
        try:
            env[f"version_{name}"] = metadata.version(name)
        except metadata.PackageNotFoundError:
            env[f"version_{name}"] = ""
    repo = Path(__file__).resolve().parents[1]
    env["git_commit"] = _git(repo, "rev-parse", "HEAD")
    env["git_dirty"] = str(bool(_git(repo, "status", "--porcelain", "--untracked-files=no")))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        env[var.lower()] = os.environ.get(var, "")
    env["cpu_count"] = str(os.cpu_count())
    # set by the harness (bench.isolate): timings of parallel jobs compete for the CPUs
    env["launcher"] = os.environ.get("GIGBENCH_LAUNCHER", "none")
    env["n_jobs"] = os.environ.get("GIGBENCH_N_JOBS", "1")
    env["cpu_model"] = _cpu_model()
    return env


def _git(repo: Path, *args: str) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write_parquet_atomic(table: pa.Table, path: Path) -> Path:
    """Write ``table`` to ``path`` through a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
            raise OSError(
                exc.errno,
                f"cannot write {path}: {os.strerror(exc.errno)}; nothing was written (no partial "
                "file); free some space or point results_dir at a writable disk",
            ) from exc
        raise
    return path


def write_run(
    results_dir: Path,
    row: dict[str, Any],
    tables: dict[str, pa.Table] | None = None,
) -> Path:
    """Write the run's tables, then its row last (so a row means the run is complete)."""
    rid = row["run_id"]
    for name, table in (tables or {}).items():
        write_parquet_atomic(table, results_dir / "runs" / rid / f"{name}.parquet")
    return write_parquet_atomic(
        pa.Table.from_pylist([row]), results_dir / "rows" / f"{rid}.parquet"
    )
