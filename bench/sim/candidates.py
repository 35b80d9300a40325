"""Stage: candidate edges of a batch.

Each open task sees its ``k`` nearest idle workers within ``radius_km`` of road (straight line x
``detour``), through one KD-tree per batch; in a market without geography (freelance), its ``k``
cheapest idle workers who hold its skill. A pair whose worker lacks the task's skill is dropped.
On real platforms building this graph often costs more than the matching, so it is timed apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from bench.sim.state import Batch, SimState, stage

__all__ = ["Candidates", "find", "nearest_workers", "skill_candidates"]


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
    dist, idx = cKDTree(worker_xy).query(task_xy, k=k, distance_upper_bound=radius_km / detour)
    dist, idx = dist.reshape(n_tasks, k), idx.reshape(n_tasks, k)
    found = idx < n_workers  # cKDTree marks "nothing within the bound" with index n
    task = np.repeat(np.arange(n_tasks, dtype=np.int64), k)[found.ravel()]
    return Candidates(idx[found].astype(np.int64), task, dist[found] * detour)


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


@stage("candidates")
def find(state: SimState, batch: Batch) -> None:
    """Fill ``batch.cand`` with the batch's candidate edges."""
    s, fleet, tasks = state.settings, state.fleet, state.tasks
    if state.geographic:
        cand = nearest_workers(
            fleet.position[batch.idle], tasks.origin[batch.open], s.k, s.radius_km, s.detour
        )
    else:
        cand = skill_candidates(
            fleet.skills[batch.idle], fleet.wage[batch.idle], tasks.skill[batch.open], s.k
        )
    ok = holds(fleet.skills[batch.idle[cand.worker]], tasks.skill[batch.open[cand.task]])
    batch.cand = cand if ok.all() else cand.subset(ok)
