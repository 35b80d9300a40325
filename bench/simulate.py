"""The closed loop: a day of demand, matched batch by batch, with workers moving around.

Every ``interval_s`` seconds: idle workers are those online and back from their last job;
open tasks are those requested and neither served nor out of patience (then abandoned). Each
open task sees its k nearest idle workers (:mod:`bench.candidates`), the objective weighs the
edges, the solver matches, the checker validates, and each matched worker is busy for pickup
plus trip and reappears at the drop-off. State lives in arrays: no per-task Python work.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from bench.candidates import nearest_workers
from bench.metrics import fairness, percentile
from bench.objectives import EdgeContext, get_objective
from bench.pricing import Tariff
from instances import Scenario
from solvers import Problem, Solver, run


@dataclass
class SimulationResult:
    """Run-level metrics, plus per-batch and per-worker tables for the files beside the row."""

    metrics: dict[str, float]
    batches: pa.Table
    workers: pa.Table
    extra: dict[str, float] = field(default_factory=dict)


def _column(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy()


def simulate(
    scenario: Scenario,
    solver: Solver,
    objective: str,
    tariff: Tariff,
    *,
    interval_s: float = 30.0,
    k: int = 10,
    radius_km: float = 3.0,
    detour: float = 1.3,
    cost_per_km: float = 0.15,
    min_wage: float = 0.0,
    progress: bool = False,
) -> SimulationResult:
    """Simulate ``scenario`` with ``solver`` under ``objective``; return metrics and logs."""
    if interval_s <= 0:
        raise ValueError(f"interval_s: expected a positive number of seconds, got {interval_s}")
    weigh = get_objective(objective)
    tasks, workers = scenario.tasks, scenario.workers
    horizon = float(scenario.meta["horizon_s"])
    speeds = np.asarray(scenario.meta["speed_kmh_by_hour"], dtype=np.float64)

    request = _column(tasks, "request_time")
    patience = _column(tasks, "patience_s")
    origin = np.column_stack([_column(tasks, "origin_x"), _column(tasks, "origin_y")])
    dest = np.column_stack([_column(tasks, "dest_x"), _column(tasks, "dest_y")])
    trip_km = _column(tasks, "distance_km")
    trip_min = _column(tasks, "duration_min")
    value = _column(tasks, "value")
    fare_all = tariff.fare(trip_km, trip_min)
    pay_all, revenue_all = tariff.split(fare_all)

    online = _column(workers, "online_time")
    offline = _column(workers, "offline_time")
    wage = _column(workers, "reservation_wage")
    position = np.column_stack([_column(workers, "start_x"), _column(workers, "start_y")])
    n_workers, n_tasks = len(online), len(request)
    free_at = online.copy()
    earned = np.zeros(n_workers)
    busy_s = np.zeros(n_workers)
    trips = np.zeros(n_workers, dtype=np.int64)

    served_at = np.full(n_tasks, np.nan)
    task_pickup_km = np.full(n_tasks, np.nan)
    task_welfare = np.zeros(n_tasks)
    abandoned = np.zeros(n_tasks, dtype=bool)
    open_tasks = np.zeros(0, dtype=np.int64)
    next_task = 0
    log: dict[str, list[float]] = {
        key: []
        for key in ("time", "open", "idle", "edges", "matched", "edge_seconds", "solve_seconds")
    }

    times = np.arange(interval_s, horizon + interval_s / 2, interval_s)
    iterator = times
    if progress:
        from tqdm import tqdm

        iterator = tqdm(times, desc=f"simulate {solver.name}", unit="batch")
    for now in iterator:
        arrived = int(np.searchsorted(request, now, side="right"))
        open_tasks = np.concatenate([open_tasks, np.arange(next_task, arrived)])
        next_task = arrived
        expired = now - request[open_tasks] > patience[open_tasks]
        abandoned[open_tasks[expired]] = True
        open_tasks = open_tasks[~expired]
        idle = np.flatnonzero((online <= now) & (offline > now) & (free_at <= now))

        t0 = time.perf_counter()
        cand = nearest_workers(position[idle], origin[open_tasks], k, radius_km, detour)
        speed = speeds[int(now // 3600) % 24]
        w, t = idle[cand.worker], open_tasks[cand.task]
        ctx = EdgeContext(
            pickup_km=cand.pickup_km,
            pickup_min=cand.pickup_km / speed * 60.0,
            trip_km=trip_km[t],
            trip_min=trip_min[t],
            value=value[t],
            reservation_wage=wage[w],
            cost_per_km=cost_per_km,
            radius_km=radius_km,
        )
        weights = weigh(ctx)
        problem = Problem.from_edges(len(idle), len(open_tasks), cand.worker, cand.task, weights)
        t1 = time.perf_counter()
        solution = run(solver, problem)
        t2 = time.perf_counter()
        log["time"].append(now)
        log["open"].append(len(open_tasks))
        log["idle"].append(len(idle))
        log["edges"].append(len(cand))
        log["matched"].append(solution.n_matched)
        log["edge_seconds"].append(t1 - t0)
        log["solve_seconds"].append(t2 - t1)
        if solution.n_matched == 0:
            continue

        edge_of = _edge_positions(cand.worker, cand.task, solution.row_ind, solution.col_ind)
        mw, mt = idle[solution.row_ind], open_tasks[solution.col_ind]
        pickup_s = ctx.pickup_min[edge_of] * 60.0
        job_s = pickup_s + trip_min[mt] * 60.0
        free_at[mw] = now + job_s
        busy_s[mw] += job_s
        position[mw] = dest[mt]
        earned[mw] += pay_all[mt]
        trips[mw] += 1
        served_at[mt] = now + pickup_s
        task_pickup_km[mt] = cand.pickup_km[edge_of]
        task_welfare[mt] = value[mt] - ctx.worker_cost()[edge_of]
        keep = np.ones(len(open_tasks), dtype=bool)
        keep[solution.col_ind] = False
        open_tasks = open_tasks[keep]

    served = ~np.isnan(served_at)
    online_h = (np.minimum(offline, horizon) - np.minimum(online, horizon)) / 3600.0
    counted = online_h > 0
    hourly = earned[counted] / online_h[counted]
    wait = served_at[served] - request[served]
    solve_s = np.asarray(log["solve_seconds"])
    edge_s = np.asarray(log["edge_seconds"])
    metrics = {
        "requests": float(n_tasks),
        "match_rate": float(served.mean()) if n_tasks else float("nan"),
        "abandonment": float(abandoned.mean()) if n_tasks else float("nan"),
        "welfare": float(task_welfare[served].sum()),
        "platform_revenue": float(revenue_all[served].sum()),
        "worker_pay": float(pay_all[served].sum()),
        "wait_p50_s": percentile(wait, 50),
        "wait_p90_s": percentile(wait, 90),
        "pickup_km_mean": float(task_pickup_km[served].mean()) if served.any() else float("nan"),
        "utilisation": float(busy_s[counted].sum() / (3600.0 * online_h[counted].sum()))
        if counted.any()
        else float("nan"),
        "batches": float(len(solve_s)),
        "solve_s_per_batch": float(solve_s.mean()) if len(solve_s) else 0.0,
        "solve_s_total": float(solve_s.sum()),
        "edge_s_per_batch": float(edge_s.mean()) if len(edge_s) else 0.0,
    }
    metrics |= fairness(hourly, min_wage)
    batches = pa.table({key: np.asarray(values) for key, values in log.items()})
    worker_table = pa.table(
        {
            "worker_id": _column(workers, "worker_id"),
            "online_hours": online_h,
            "trips": trips,
            "pay": earned,
            "busy_hours": busy_s / 3600.0,
            "hourly_pay": np.divide(earned, online_h, out=np.zeros(n_workers), where=counted),
        }
    )
    return SimulationResult(metrics, batches, worker_table)


def _edge_positions(
    edge_worker: np.ndarray, edge_task: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Positions of the matched (worker, task) pairs in the candidate edge arrays."""
    width = int(max(edge_task.max(initial=0), cols.max(initial=0))) + 1
    keys = edge_worker * width + edge_task
    order = np.argsort(keys, kind="stable")
    return order[np.searchsorted(keys[order], rows * width + cols)]
