"""Every instance of the perf suite, as one ``Case`` type: pure functions of their seeds.

**Gate cases** (``CASES``: the CI gates of ``gate.py``), every weight an integer (so exact
solvers agree exactly):

* ``dense_full``: a dense 300 x 300 cost matrix in metres, scipy's form (minimise, match all).
* ``knn_sparse``: 3,000 workers x 3,000 tasks in a 30 km square; each task sees its 10
  nearest workers within 3 km (:func:`gigbench.market.kind.candidates.nearest_workers`), weight
  ``2 * radius_m - pickup_m`` (the ``pickup`` objective); unmatched allowed.
* ``dispatch_surplus``: 3,000 idle workers x 600 open tasks (off-peak), same weights.
* ``dispatch_shortage``: 400 workers x 2,000 tasks (rush hour), same weights.
* ``sim_slice``: 20 minutes of the ``city`` generator's morning peak cut into 30 s batches
  (40 problems, solved in order). Each batch holds the tasks requested in the last 2 minutes
  and a seeded 60% of the workers online, at their shift's start position; edges are each
  task's 10 nearest such workers within 3 km of road, weighted by the ``welfare`` objective
  (cents, some negative). The batches are built open loop, without any solver, so a change to
  a solver can never change the instances it is graded on.

**Peer cases** (``PEER_CASES``: the auction against OR-Tools, lapx and scipy in
``test_auction_peers.py`` and ``auction_table.py``): points uniform in a 100 km square, integer
costs in metres, scipy's full min-cost form unless said otherwise.

* ``knn_10k`` ... ``knn_400k`` (10,000, 20,000, 50,000, 100,000, 200,000 and 400,000 per
  side): n x n, each row's 10 nearest columns (``cKDTree``) plus the pairs of one random
  permutation, so that a perfect matching exists.
* ``dispatch``: 2,000 tasks x 20,000 workers, each task's 30 nearest workers.
* ``dense_square``: 2,000 x 2,000 dense; ``rect_500x5000``, ``rect_2000x10000``: dense
  rectangular.
* ``uniform_1000``, ``uniform_4000``: the classic assignment benchmark, costs drawn uniformly
  (1,000 x 1,000 with costs 0..10**6; 4,000 x 4,000 with costs 0..100).
* ``tied_2000``: 2,000 x 2,000 dense, the distance rounded to whole kilometres (0..141 in the
  100 km square): geometric, with many ties.
* ``nyc_day``: the 2,880 batches (median 219 x 32, 7 edges; max form, busy workers at capacity
  0) of a ``nyc`` day recorded by the simulation of commit c598352 with
  ``gigbench instance=nyc solver=auction mode.record=true`` (``recordings/nyc_day``, 180 kB).
  To re-record after a change of the simulation, run that command with
  ``results_dir=/tmp/rec`` and copy ``/tmp/rec/runs/<run id>/recording/*.parquet`` there.

A case's :func:`fingerprint` hashes its arrays: the quality gate compares it with the one in
``expected.json`` so that a changed generator is reported as such, not as a solver bug.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

import numpy as np

from gigbench.market.costs import worker_cost
from gigbench.market.kind.candidates import nearest_workers
from gigbench.market.objective.base import cents
from gigbench.solvers import Problem

__all__ = [
    "CASES", "PEER_CASES", "TOO_SLOW", "Case", "fingerprint", "get_case", "too_slow",
]  # fmt: skip

RADIUS_KM = 3.0
DETOUR = 1.3
SIDE_KM = 100.0  # peer cases: points in a 100 km square


def data_file(*parts: str) -> Traversable:
    """A file the perf gates ship (``expected.json``, ``baseline.json``, ``recordings/...``),
    as a package resource of ``gigbench.perf``."""
    return files("gigbench.perf").joinpath(*parts)


@dataclass(frozen=True)
class Case:
    """A named list of problems solved in order; ``reference`` names the scipy routine timed
    beside every solver (``lsa``: ``linear_sum_assignment``; ``sparse``:
    ``min_weight_full_bipartite_matching``; see :func:`gigbench.perf.peers.scipy_reference`)."""

    name: str
    shape: str
    problems: tuple[Problem, ...]
    reference: str

    @property
    def n_edges(self) -> int:
        """Edges over all problems of the case."""
        return sum(p.n_edges for p in self.problems)


def _pickup_problem(worker_xy: np.ndarray, task_xy: np.ndarray, k: int, name: str) -> Problem:
    cand = nearest_workers(worker_xy, task_xy, k, RADIUS_KM, DETOUR)
    weight = np.round(2000.0 * RADIUS_KM - 1000.0 * cand.pickup_km).astype(np.int64)
    return Problem.from_edges(
        len(worker_xy), len(task_xy), cand.worker, cand.task, weight, name=name
    )


def dense_full(seed: int = 11) -> Case:
    """A dense 300 x 300 matrix of pickup metres in a 10 km square, scipy's form."""
    rng = np.random.default_rng(seed)
    workers, tasks = rng.random((300, 2)) * 10.0, rng.random((300, 2)) * 10.0
    metres = np.linalg.norm(workers[:, None, :] - tasks[None, :, :], axis=-1) * 1000.0
    problem = Problem.from_cost_matrix(np.rint(metres).astype(np.int64), name="dense_full")
    return Case("dense_full", "dense 300x300, full min-cost", (problem,), "lsa")


def knn_sparse(seed: int = 12) -> Case:
    """3,000 x 3,000 uniform in a 30 km square, each task's 10 nearest workers."""
    rng = np.random.default_rng(seed)
    workers, tasks = rng.random((3000, 2)) * 30.0, rng.random((3000, 2)) * 30.0
    problem = _pickup_problem(workers, tasks, 10, "knn_sparse")
    return Case("knn_sparse", "sparse 3000x3000, k=10 nearest", (problem,), "sparse")


def dispatch_surplus(seed: int = 13) -> Case:
    """3,000 idle workers, 600 open tasks in a 20 km square (more supply than demand)."""
    rng = np.random.default_rng(seed)
    workers, tasks = rng.random((3000, 2)) * 20.0, rng.random((600, 2)) * 20.0
    problem = _pickup_problem(workers, tasks, 10, "dispatch_surplus")
    return Case("dispatch_surplus", "rectangular 3000 workers x 600 tasks", (problem,), "sparse")


def dispatch_shortage(seed: int = 14) -> Case:
    """400 idle workers, 2,000 open tasks in a 10 km square (rush hour)."""
    rng = np.random.default_rng(seed)
    workers, tasks = rng.random((400, 2)) * 10.0, rng.random((2000, 2)) * 10.0
    problem = _pickup_problem(workers, tasks, 10, "dispatch_shortage")
    return Case("dispatch_shortage", "rectangular 400 workers x 2000 tasks", (problem,), "sparse")


def sim_slice(seed: int = 15) -> Case:
    """40 batches of the ``city`` generator's 08:00-08:20 peak (see the module docstring)."""
    from gigbench.instances import generate

    scenario = generate("city", {"n_tasks": 40000, "n_workers": 2000}, seed)
    tasks, workers = scenario.tasks, scenario.workers
    request = tasks.column("request_time").to_numpy()
    origin = np.column_stack(
        [tasks.column("origin_x").to_numpy(), tasks.column("origin_y").to_numpy()]
    )
    trip_km = tasks.column("distance_km").to_numpy()
    trip_min = tasks.column("duration_min").to_numpy()
    value = tasks.column("value").to_numpy()
    online, offline = workers.column("online_time"), workers.column("offline_time")
    online, offline = online.to_numpy(), offline.to_numpy()
    start = np.column_stack(
        [workers.column("start_x").to_numpy(), workers.column("start_y").to_numpy()]
    )
    wage = workers.column("reservation_wage").to_numpy()
    speed = scenario.meta["speed_kmh_by_hour"][8]
    rng = np.random.default_rng(seed)
    problems = []
    for b, now in enumerate(np.arange(8 * 3600 + 30, 8 * 3600 + 20 * 60 + 1, 30.0)):
        open_tasks = np.flatnonzero((request > now - 120.0) & (request <= now))
        idle = np.flatnonzero((online <= now) & (offline > now) & (rng.random(len(online)) < 0.6))
        cand = nearest_workers(start[idle], origin[open_tasks], 10, RADIUS_KM, DETOUR)
        w, t = idle[cand.worker], open_tasks[cand.task]
        minutes = cand.pickup_km / speed * 60.0 + trip_min[t]
        cost = worker_cost(wage[w], minutes, cand.pickup_km + trip_km[t], 0.2)
        problems.append(
            Problem.from_edges(
                len(idle),
                len(open_tasks),
                cand.worker,
                cand.task,
                cents(value[t] - cost),  # the welfare objective's weight
                name=f"sim_slice/{b}",
            )
        )
    return Case("sim_slice", "40 batches of a city peak, welfare", tuple(problems), "sparse")


def _points(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.random((n, 2)) * SIDE_KM


def _metres(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.rint(np.linalg.norm(a - b, axis=-1) * 1000.0).astype(np.int64)


def knn_square(n: int, k: int = 10, seed: int = 0) -> Case:
    """n rows x n columns, each row's k nearest columns plus one random permutation."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    rows_xy, cols_xy = _points(rng, n), _points(rng, n)
    _, near = cKDTree(cols_xy).query(rows_xy, k=k)
    rows = np.concatenate([np.repeat(np.arange(n), k), np.arange(n)])
    cols = np.concatenate([near.ravel(), rng.permutation(n)])
    pairs = np.unique(rows * n + cols)
    rows, cols = pairs // n, pairs % n
    cost = _metres(rows_xy[rows], cols_xy[cols])
    problem = Problem.from_edges(n, n, rows, cols, cost, sense="min", full=True)
    name = f"knn_{n // 1000}k" if n % 1000 == 0 else f"knn_{n}"
    return Case(name, f"{n:,} x {n:,}, k = {k} (+ a permutation)", (problem,), "sparse")


def dispatch(n_tasks: int = 2_000, n_workers: int = 20_000, k: int = 30, seed: int = 0) -> Case:
    """Workers (rows) x tasks (columns), each task's k nearest workers; every task served."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    tasks_xy, workers_xy = _points(rng, n_tasks), _points(rng, n_workers)
    _, near = cKDTree(workers_xy).query(tasks_xy, k=k)
    cols = np.repeat(np.arange(n_tasks), k)
    rows = near.ravel()
    cost = _metres(workers_xy[rows], tasks_xy[cols])
    problem = Problem.from_edges(n_workers, n_tasks, rows, cols, cost, sense="min", full=True)
    shape = f"{n_workers:,} workers x {n_tasks:,} tasks, k = {k}"
    return Case("dispatch", shape, (problem,), "sparse")


def dense_euclid(n_rows: int, n_cols: int, seed: int = 0) -> Case:
    """A dense integer cost matrix (metres) in scipy's form."""
    rng = np.random.default_rng(seed)
    rows_xy, cols_xy = _points(rng, n_rows), _points(rng, n_cols)
    cost = _metres(rows_xy[:, None, :], cols_xy[None, :, :])
    name = "dense_square" if n_rows == n_cols else f"rect_{n_rows}x{n_cols}"
    shape = f"{n_rows:,} x {n_cols:,} dense"
    return Case(name, shape, (Problem.from_cost_matrix(cost),), "lsa")


def uniform(n: int, high: int, seed: int = 0) -> Case:
    """An n x n dense cost matrix of integers drawn uniformly from 0..high, scipy's form."""
    rng = np.random.default_rng(seed)
    cost = rng.integers(0, high, (n, n), endpoint=True)
    shape = f"{n:,} x {n:,} dense, uniform costs 0..{high:,}"
    return Case(f"uniform_{n}", shape, (Problem.from_cost_matrix(cost),), "lsa")


def tied_geometric(n: int = 2_000, seed: int = 0) -> Case:
    """n x n points in the 100 km square, costs in whole kilometres (many ties)."""
    rng = np.random.default_rng(seed)
    rows_xy, cols_xy = _points(rng, n), _points(rng, n)
    km = np.rint(np.linalg.norm(rows_xy[:, None, :] - cols_xy[None, :, :], axis=-1))
    shape = f"{n:,} x {n:,} dense, whole kilometres (ties)"
    return Case(f"tied_{n}", shape, (Problem.from_cost_matrix(km.astype(np.int64)),), "lsa")


def nyc_day() -> Case:
    """The recorded batches of a ``nyc`` day (see the module docstring)."""
    from gigbench.sim.recording import read_recording

    with as_file(data_file("recordings", "nyc_day")) as folder:
        problems = tuple(p for p, _ in read_recording(folder))
    shape = f"{len(problems):,} batches of a nyc day (median 219 x 32, 7 edges), max form"
    return Case("nyc_day", shape, problems, "sparse")


_BUILDERS: dict[str, Callable[[], Case]] = {
    "dense_full": dense_full,
    "knn_sparse": knn_sparse,
    "dispatch_surplus": dispatch_surplus,
    "dispatch_shortage": dispatch_shortage,
    "sim_slice": sim_slice,
}
CASES: tuple[str, ...] = tuple(_BUILDERS)

_PEER_BUILDERS: dict[str, Callable[[], Case]] = {
    "nyc_day": nyc_day,
    "rect_500x5000": lambda: dense_euclid(500, 5_000),
    "rect_2000x10000": lambda: dense_euclid(2_000, 10_000),
    "dense_square": lambda: dense_euclid(2_000, 2_000),
    "dispatch": dispatch,
    "uniform_1000": lambda: uniform(1_000, 10**6),
    "uniform_4000": lambda: uniform(4_000, 100),
    "tied_2000": tied_geometric,
    "knn_10k": lambda: knn_square(10_000),
    "knn_20k": lambda: knn_square(20_000),
    "knn_50k": lambda: knn_square(50_000),
    "knn_100k": lambda: knn_square(100_000),
    "knn_200k": lambda: knn_square(200_000),
    "knn_400k": lambda: knn_square(400_000),
}
PEER_CASES: tuple[str, ...] = tuple(_PEER_BUILDERS)

# Combinations left out of the timed gates (speed gate, pytest-benchmark suite), with the
# reason printed beside the skip. The quality gate still solves them once.
TOO_SLOW: dict[str, tuple[int, str]] = {
    "milp": (
        20_000,
        "milp (HiGHS LP plus its duals) takes ~1 s per solve above 20,000 edges (10x scipy); "
        "repeated timing would dominate the gate's budget (see MILP.md)",
    ),
}


@functools.cache
def get_case(name: str) -> Case:
    """The gate or peer case called ``name`` (built once per process)."""
    builders = _BUILDERS | _PEER_BUILDERS
    if name not in builders:
        raise KeyError(f"unknown case {name!r}; valid cases are: {', '.join(builders)}")
    return builders[name]()


def too_slow(solver: str, case: Case) -> str | None:
    """Why ``solver`` is left out on ``case``, or None."""
    limit = TOO_SLOW.get(solver)
    if limit and max(p.n_edges for p in case.problems) > limit[0]:
        return limit[1]
    return None


def fingerprint(case: Case) -> str:
    """A short hash of every array of the case's problems."""
    digest = hashlib.sha256()
    for p in case.problems:
        digest.update(f"{p.n_rows},{p.n_cols},{p.sense},{p.full};".encode())
        for array in (p.indptr, p.indices, p.weights, p.row_capacity):
            # Integers hashed as int64: the values, not their storage (from_dense keeps int32).
            wide = np.int64 if array.dtype.kind == "i" else array.dtype
            digest.update(np.ascontiguousarray(array, dtype=wide).tobytes())
    return digest.hexdigest()[:16]
