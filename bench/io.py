"""Helpers every floor may use: the one atomic write, the Parquet reader and the run id.

Bottom layer of the distribution: imports nothing from ``gigbench``, so that ``instances`` (the
scenario files, the trip-log dataset), ``sim`` (recorded batches), the harness (rows) and
``perf`` (baselines) write through the same :class:`PendingFile` without importing one another.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "FILE_MODE",
    "NOT_IN_ID",
    "PendingFile",
    "read_parquet",
    "run_id",
    "write_bytes_atomic",
    "write_parquet_atomic",
    "write_text_atomic",
]

# Results are shared with a group (a lab's results folder): readable by all, like `umask 022`.
FILE_MODE = 0o644

# How a run is executed (limits, isolation, where rows go) is not what it measures.
NOT_IN_ID = ("run", "results_dir")

_DISK_FULL = (errno.ENOSPC, errno.EROFS, errno.EDQUOT)


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
    the latter imports ``pyarrow.dataset`` (a dataset reader) for a single file."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).read(columns=columns)


class PendingFile:
    """A file written at a hidden temporary name beside ``target`` (``.<name>.<random>.tmp``,
    which readers of a folder skip) and moved into place by one atomic rename: a reader sees
    the old file or the whole new one, never a part, and a crash leaves no partial target.

    As a context manager it yields the temporary path, commits when the block ends cleanly and
    discards otherwise::

        with PendingFile(path) as tmp:
            pq.write_table(table, tmp)

    A writer that spans several calls keeps the object and calls :meth:`commit` or
    :meth:`discard` itself. The committed file is readable by everyone (:data:`FILE_MODE`).
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent
        )
        os.close(fd)
        self.path = Path(tmp)

    def commit(self) -> Path:
        """Move the temporary file onto the target; a full or read-only disk is an
        ``OSError`` that says nothing was written."""
        try:
            os.chmod(self.path, FILE_MODE)  # mkstemp makes 0600
            os.replace(self.path, self.target)
        except OSError as exc:
            self.discard()
            raise _explained(exc, self.target) from exc
        return self.target

    def discard(self) -> None:
        """Remove the temporary file (nothing happens to the target)."""
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is not None:
            self.discard()
            if isinstance(exc, OSError):
                raise _explained(exc, self.target) from exc
            return
        self.commit()


def _explained(exc: OSError, target: Path) -> OSError:
    """A full or read-only disk named with the fix; any other ``OSError`` as it was."""
    if exc.errno not in _DISK_FULL:
        return exc
    return OSError(
        exc.errno,
        f"cannot write {target}: {os.strerror(exc.errno)}; nothing was written (no partial "
        "file); free some space or point results_dir at a writable disk",
    )


def write_bytes_atomic(data: bytes, target: str | os.PathLike[str]) -> Path:
    """Write ``data`` to ``target`` through a :class:`PendingFile`."""
    with PendingFile(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text_atomic(text: str, target: str | os.PathLike[str]) -> Path:
    """Write ``text`` (UTF-8) to ``target`` through a :class:`PendingFile`."""
    return write_bytes_atomic(text.encode(), target)


def write_parquet_atomic(table, target: str | os.PathLike[str], **options: Any) -> Path:
    """Write the Arrow ``table`` to ``target`` through a :class:`PendingFile`; ``options`` go
    to :func:`pyarrow.parquet.write_table` (``compression="zstd"``, ...)."""
    import pyarrow.parquet as pq

    with PendingFile(target) as tmp:
        pq.write_table(table, tmp, **options)
    return Path(target)
