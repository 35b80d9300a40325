"""Helpers every floor of ``bench`` may use: the atomic Parquet write and the run id.

Bottom floor: imports nothing from ``bench`` (the simulation records batches with
:func:`write_parquet_atomic`; the harness writes rows with it).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["FILE_MODE", "NOT_IN_ID", "read_parquet", "run_id", "write_parquet_atomic"]

# Results are shared with a group (a lab's results folder): readable by all, like `umask 022`.
FILE_MODE = 0o644

# How a run is executed (limits, isolation, where rows go) is not what it measures.
NOT_IN_ID = ("run", "results_dir")


def run_id(config: dict[str, Any], plugins: dict[str, Any] | None = None) -> str:
    """A stable id of a run's configuration (same config, same id), ignoring the top-level
    keys that only say how or where it runs (``run``, ``results_dir``).

    ``plugins``: the installed plugins the config chose, with their distribution, version and
    source hash (:func:`gigbench.kinds.plugin_provenance`), so that a changed plugin is a new
    run; a run of built-ins alone keeps the id of its config (gigbench's own version and commit
    are in the row, not the id)."""
    identity = {k: v for k, v in config.items() if k not in NOT_IN_ID}
    if plugins:
        identity = {"config": identity, "plugins": plugins}
    canonical = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def read_parquet(path: Path, columns: list[str] | None = None):
    """The Arrow table in the Parquet file at ``path``. ``ParquetFile``, not ``read_table``:
    the latter imports ``pyarrow.dataset`` and pandas (0.3 s), a third of a small run's
    start-up."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).read(columns=columns)


def write_parquet_atomic(table, path: Path) -> Path:
    """Write the Arrow ``table`` to ``path`` through a temporary file and an atomic rename;
    the file is readable by everyone (mode 0644)."""
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600
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
