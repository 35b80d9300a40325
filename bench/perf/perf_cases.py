"""Benchmark instances for the auction and its peers: pure functions of (sizes, seed).

Points are uniform in a 100 km square (``numpy.random.default_rng(seed)``); a pair's cost is
its distance in metres, rounded to an integer. Sparse graphs keep each row's (or task's) k
nearest columns (``scipy.spatial.cKDTree``); square ones also get the pairs of one random
permutation so that a perfect matching exists (scipy's full form, which every peer solves).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from solvers import Problem

SIDE_KM = 100.0


@dataclass(frozen=True)
class Case:
    """A named benchmark problem and its size label."""

    name: str
    problem: Problem
    shape: str


def _points(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.random((n, 2)) * SIDE_KM


def _metres(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.rint(np.linalg.norm(a - b, axis=-1) * 1000.0).astype(np.int64)


def knn_square(n: int, k: int, seed: int) -> Case:
    """n rows x n columns, each row's k nearest columns plus one random permutation."""
    rng = np.random.default_rng(seed)
    rows_xy, cols_xy = _points(rng, n), _points(rng, n)
    _, near = cKDTree(cols_xy).query(rows_xy, k=k)
    rows = np.concatenate([np.repeat(np.arange(n), k), np.arange(n)])
    cols = np.concatenate([near.ravel(), rng.permutation(n)])
    pairs = np.unique(rows * n + cols)
    rows, cols = pairs // n, pairs % n
    cost = _metres(rows_xy[rows], cols_xy[cols])
    problem = Problem.from_edges(n, n, rows, cols, cost, sense="min", full=True)
    return Case(f"knn_square_n{n}_k{k}", problem, f"{n}x{n} k={k}")


def dispatch(n_tasks: int, n_workers: int, k: int, seed: int, *, full: bool = True) -> Case:
    """Workers (rows) x tasks (columns): each task's k nearest workers.

    ``full=True``: minimise total pickup metres, every task served (scipy's form).
    ``full=False``: the platform's max form, gain = 20 km minus the pickup distance in metres.
    """
    rng = np.random.default_rng(seed)
    tasks_xy, workers_xy = _points(rng, n_tasks), _points(rng, n_workers)
    _, near = cKDTree(workers_xy).query(tasks_xy, k=k)
    cols = np.repeat(np.arange(n_tasks), k)
    rows = near.ravel()
    cost = _metres(workers_xy[rows], tasks_xy[cols])
    if full:
        problem = Problem.from_edges(n_workers, n_tasks, rows, cols, cost, sense="min", full=True)
    else:
        problem = Problem.from_edges(n_workers, n_tasks, rows, cols, 20_000 - cost)
    form = "full" if full else "max"
    return Case(
        f"dispatch_{n_tasks}x{n_workers}_k{k}_{form}", problem, f"{n_tasks}x{n_workers} k={k}"
    )


def dense_euclid(n_rows: int, n_cols: int, seed: int) -> Case:
    """A dense integer cost matrix (metres) in scipy's form."""
    rng = np.random.default_rng(seed)
    rows_xy, cols_xy = _points(rng, n_rows), _points(rng, n_cols)
    cost = _metres(rows_xy[:, None, :], cols_xy[None, :, :])
    problem = Problem.from_cost_matrix(cost)
    return Case(f"dense_{n_rows}x{n_cols}", problem, f"{n_rows}x{n_cols} dense")


@dataclass(frozen=True)
class Target:
    """A performance target: the auction's median solve time over the reference peers'."""

    key: str
    build: Callable[[], Case]
    peers: tuple[str, ...]
    reference: tuple[str, ...]  # the peers the ratio is taken against (the best of them)
    ratio: float


TARGETS = [
    Target(
        "knn_square",
        lambda: knn_square(100_000, 10, seed=0),
        ("ortools", "lapmod", "scipy_sparse"),
        ("ortools", "lapmod", "scipy_sparse"),
        0.5,
    ),
    Target(
        "dispatch",
        lambda: dispatch(2_000, 20_000, 30, seed=0),
        ("ortools", "lapmod", "scipy_sparse"),
        ("ortools", "lapmod", "scipy_sparse"),
        0.5,
    ),
    Target(
        "dense_square",
        lambda: dense_euclid(4_000, 4_000, seed=0),
        ("lapjv", "scipy_lsa"),
        ("lapjv", "scipy_lsa"),
        1.0,
    ),
    Target(
        "dense_rect",
        lambda: dense_euclid(1_000, 3_000, seed=0),
        ("lapjv", "scipy_lsa"),
        ("scipy_lsa",),
        1.0,
    ),
]
BATCH = {
    "max": lambda: dispatch(200, 2_000, 20, seed=0, full=False),
    "full": lambda: dispatch(200, 2_000, 20, seed=0, full=True),
}
