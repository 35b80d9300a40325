"""Candidate edges of a batch: each open task sees its k nearest idle workers within a radius.

On real platforms building this graph often costs more than the matching, so the simulation
times it separately. One KD-tree per batch over the idle workers, one bulk query for all tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree


@dataclass(frozen=True)
class Candidates:
    """Edges as parallel arrays: ``worker`` and ``task`` are positions in the batch's idle and
    open lists; ``pickup_km`` is the road distance (straight line times the detour factor)."""

    worker: np.ndarray
    task: np.ndarray
    pickup_km: np.ndarray

    def __len__(self) -> int:
        return len(self.worker)


def nearest_workers(
    worker_xy: np.ndarray,
    task_xy: np.ndarray,
    k: int,
    radius_km: float,
    detour: float = 1.0,
) -> Candidates:
    """The ``k`` nearest workers of every task within ``radius_km`` of road distance."""
    if k < 1:
        raise ValueError(f"k: expected at least 1 nearest worker per task, got {k}")
    if radius_km <= 0 or detour <= 0:
        raise ValueError(
            f"radius_km and detour: expected positive numbers, got {radius_km} and {detour}"
        )
    n_workers, n_tasks = len(worker_xy), len(task_xy)
    empty = np.zeros(0, dtype=np.int64)
    if n_workers == 0 or n_tasks == 0:
        return Candidates(empty, empty.copy(), np.zeros(0))
    k = min(k, n_workers)
    tree = cKDTree(worker_xy)
    dist, idx = tree.query(task_xy, k=k, distance_upper_bound=radius_km / detour)
    dist = dist.reshape(n_tasks, k)
    idx = idx.reshape(n_tasks, k)
    found = idx < n_workers  # cKDTree marks "nothing within the bound" with index n
    task = np.repeat(np.arange(n_tasks, dtype=np.int64), k)[found.ravel()]
    return Candidates(idx[found].astype(np.int64), task, dist[found] * detour)
