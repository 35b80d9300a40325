"""Candidate edges: the pairs of idle workers and open tasks a batch may match, and the two
searches the built-in market kinds use.

* :func:`nearest_workers` (ride-hailing): each open task's ``k`` nearest idle workers within
  ``radius_km`` of road (straight line x ``detour``), through one KD-tree per batch (or, in a
  batch of at most :data:`TABLE_PAIRS` worker-task pairs, a table of all their distances:
  faster there, and a small run never imports ``scipy.spatial``, 0.4 s).
* :func:`skill_candidates` (freelance): each task's ``k`` cheapest idle workers who hold its
  skill.

On real platforms building this graph often costs more than the matching, so the stage that
calls them is timed apart (:mod:`gigbench.sim.candidates`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TABLE_PAIRS", "Candidates", "holds", "nearest_workers", "skill_candidates"]

TABLE_PAIRS = 4_096  # measured: 26 us by table against 55 us by tree at 10 x 2; tree ahead at 7,000


@dataclass(frozen=True)
class Candidates:
    """Edges as parallel arrays: ``worker`` and ``task`` are positions in the batch's idle and
    open lists; ``pickup_km`` is the road distance (0 without geography)."""

    worker: np.ndarray
    task: np.ndarray
    pickup_km: np.ndarray

    def __len__(self) -> int:
        return len(self.worker)

    def subset(self, keep: np.ndarray) -> Candidates:
        """The edges where ``keep`` is true."""
        return Candidates(self.worker[keep], self.task[keep], self.pickup_km[keep])

    @classmethod
    def empty(cls) -> Candidates:
        """No edge."""
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none.copy(), np.zeros(0))


def nearest_workers(
    worker_xy: np.ndarray, task_xy: np.ndarray, k: int, radius_km: float, detour: float = 1.0
) -> Candidates:
    """The ``k`` nearest workers of every task within ``radius_km`` of road distance."""
    if k < 1:
        raise ValueError(f"k: expected at least 1 nearest worker per task, got {k}")
    if radius_km <= 0 or detour <= 0:
        raise ValueError(
            f"radius_km and detour: expected positive numbers, got {radius_km} and {detour}"
        )
    n_workers, n_tasks = len(worker_xy), len(task_xy)
    if n_workers == 0 or n_tasks == 0:
        return Candidates.empty()
    k = min(k, n_workers)
    bound = radius_km / detour
    table = (
        _nearest_by_table(worker_xy, task_xy, k, bound)
        if n_workers * n_tasks <= TABLE_PAIRS
        else None
    )
    if table is not None:
        dist, idx, found = table
    else:
        from scipy.spatial import cKDTree

        dist, idx = cKDTree(worker_xy).query(task_xy, k=k, distance_upper_bound=bound)
        dist, idx = dist.reshape(n_tasks, k), idx.reshape(n_tasks, k)
        found = idx < n_workers  # cKDTree marks "nothing within the bound" with index n
    task = np.repeat(np.arange(n_tasks, dtype=np.int64), k)[found.ravel()]
    return Candidates(idx[found].astype(np.int64), task, dist[found] * detour)


def _nearest_by_table(worker_xy: np.ndarray, task_xy: np.ndarray, k: int, bound: float):
    """cKDTree's ``query`` by a full distance table: the same distances to the last bit (the
    squared differences summed x then y, then one square root) and the same strict bound on
    the squared distance. None when a tie decides which workers are a task's ``k`` nearest
    (its k-th and (k+1)-th nearest at exactly the same distance, inside the bound): the tree
    breaks such ties its own way, and only the tree keeps every run's candidates as they were
    (workers often stand at the same point: at a zone's drop-off point, say)."""
    dx = task_xy[:, 0:1] - worker_xy[None, :, 0]
    dy = task_xy[:, 1:2] - worker_xy[None, :, 1]
    squared = dx * dx + dy * dy
    order = np.argsort(squared, axis=1, kind="stable")
    idx = order[:, :k]
    nearest = np.take_along_axis(squared, idx, axis=1)
    if k < len(worker_xy):
        kth, next_ = nearest[:, -1], np.take_along_axis(squared, order[:, k : k + 1], axis=1)[:, 0]
        if np.any((kth == next_) & (kth < bound * bound)):
            return None
    return np.sqrt(nearest), idx, nearest < bound * bound


def holds(worker_skills: np.ndarray, task_skill: np.ndarray) -> np.ndarray:
    """Whether each worker holds each task's skill (-1 on either side means any)."""
    return (
        (task_skill < 0)
        | (worker_skills < 0)
        | (((worker_skills >> np.maximum(task_skill, 0)) & 1) == 1)
    )


def skill_candidates(
    worker_skills: np.ndarray, wage: np.ndarray, task_skill: np.ndarray, k: int
) -> Candidates:
    """Each task's ``k`` cheapest workers (by reservation wage) who hold its skill."""
    if len(worker_skills) == 0 or len(task_skill) == 0:
        return Candidates.empty()
    fits = holds(worker_skills[None, :], task_skill[:, None])
    cost = np.where(fits, wage[None, :], np.inf)
    k = min(k, len(worker_skills))
    best = np.argpartition(cost, k - 1, axis=1)[:, :k]
    ok = np.isfinite(np.take_along_axis(cost, best, axis=1))
    task = np.repeat(np.arange(len(task_skill), dtype=np.int64), k)[ok.ravel()]
    return Candidates(best[ok].astype(np.int64), task, np.zeros(len(task)))
