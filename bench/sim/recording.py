"""Record every batch a simulation built, and replay the recording in static mode.

A recording is a folder of three Parquet files: ``batches`` (batch, time, n_rows, n_cols),
``edges`` (batch, row, col, weight) and ``capacity`` (batch, row, capacity, only for rows whose
capacity is not 1). Replaying it gives every solver exactly the same problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from gigbench.io import read_parquet, write_parquet_atomic
from gigbench.solvers import Problem


class BatchRecorder:
    """Collects the problems of a run in memory; :meth:`write` saves them. ``offset`` is
    added to batch numbers (a multi-day run numbers its days' batches one after another)."""

    def __init__(self) -> None:
        self.offset = 0
        self.batches: list[tuple[int, float, int, int]] = []
        self.edges: list[pa.Table] = []
        self.capacity: list[pa.Table] = []

    def add(self, batch: int, now: float, problem: Problem) -> None:
        """Keep one batch's problem."""
        batch += self.offset
        self.batches.append((batch, now, problem.n_rows, problem.n_cols))
        n = problem.n_edges
        self.edges.append(
            pa.table(
                {
                    "batch": np.full(n, batch, dtype=np.int64),
                    "row": problem.edge_rows,
                    "col": problem.indices,
                    "weight": problem.weights,
                }
            )
        )
        special = np.flatnonzero(problem.row_capacity != 1)
        if len(special):
            self.capacity.append(
                pa.table(
                    {
                        "batch": np.full(len(special), batch, dtype=np.int64),
                        "row": special,
                        "capacity": problem.row_capacity[special],
                    }
                )
            )

    def write(self, folder: Path) -> Path:
        """Save the recording to ``folder``."""
        folder = Path(folder)
        batch, now, rows, cols = (
            (np.asarray(c) for c in zip(*self.batches, strict=True))
            if (self.batches)
            else (np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64))
        )
        write_parquet_atomic(
            pa.table({"batch": batch, "time": now, "n_rows": rows, "n_cols": cols}),
            folder / "batches.parquet",
        )
        empty_edges = pa.schema(
            [
                ("batch", pa.int64()),
                ("row", pa.int64()),
                ("col", pa.int64()),
                ("weight", pa.int64()),
            ]
        )
        edges = pa.concat_tables(self.edges) if self.edges else empty_edges.empty_table()
        write_parquet_atomic(edges, folder / "edges.parquet")
        empty_cap = pa.schema(
            [("batch", pa.int64()), ("row", pa.int64()), ("capacity", pa.int64())]
        )
        capacity = pa.concat_tables(self.capacity) if self.capacity else empty_cap.empty_table()
        write_parquet_atomic(capacity, folder / "capacity.parquet")
        return folder


def read_recording(folder: str | Path) -> Iterator[tuple[Problem, None]]:
    """The recorded problems in batch order (no published optimum)."""
    folder = Path(folder)
    missing = [
        n for n in ("batches", "edges", "capacity") if not (folder / f"{n}.parquet").exists()
    ]
    if missing:
        raise FileNotFoundError(
            f"{folder} is not a batch recording: missing {', '.join(missing)}.parquet; record one "
            "with mode.record=true"
        )
    import pyarrow.compute as pc  # here: only reading a recording needs it (30-60 ms to import)

    batches = read_parquet(folder / "batches.parquet").to_pydict()
    edges = read_parquet(folder / "edges.parquet")
    capacity = read_parquet(folder / "capacity.parquet")
    edge_batch = edges.column("batch").to_numpy()
    starts = np.searchsorted(edge_batch, np.asarray(batches["batch"]))
    ends = np.searchsorted(edge_batch, np.asarray(batches["batch"]), side="right")
    for b, n_rows, n_cols, lo, hi in zip(
        batches["batch"], batches["n_rows"], batches["n_cols"], starts, ends, strict=True
    ):
        part = edges.slice(lo, hi - lo)
        row_capacity = np.ones(n_rows, dtype=np.int64)
        caps = capacity.filter(pc.equal(capacity.column("batch"), b))
        row_capacity[caps.column("row").to_numpy()] = caps.column("capacity").to_numpy()
        yield (
            Problem.from_edges(
                n_rows,
                n_cols,
                part.column("row").to_numpy(),
                part.column("col").to_numpy(),
                part.column("weight").to_numpy(),
                row_capacity=row_capacity,
                name=f"batch{b}",
            ),
            None,
        )
