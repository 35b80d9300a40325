"""The closed loop: a day of demand, priced and matched batch by batch.

Every ``interval_s`` seconds: idle workers are those online with a free job slot; open tasks are
those requested and neither served nor out of patience (then abandoned). Each open task sees its
``k`` nearest idle workers (geographic markets) or the ``k`` cheapest idle workers with its skill
(freelance markets). A pricing policy quotes fares; riders accept a fare up to their willingness
to pay and workers a job whose pay covers their reservation cost, and rejected pairs never enter
the matching. The objective weighs the remaining edges, the solver matches, the checker
validates, and each matched worker is busy for pickup plus trip and reappears at the drop-off.
With ``equilibrium`` pricing, fares come after matching from the task duals.

State lives in arrays (:class:`bench.fleet.Fleet`): there is no per-task Python work.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
from scipy.spatial import cKDTree

from bench.candidates import Candidates, nearest_workers
from bench.fleet import Fleet
from bench.metrics import fairness, group_gap, percentile, zone_gap
from bench.objectives import EdgeContext, get_objective, total
from bench.pricing import PricingPolicy
from bench.recording import BatchRecorder
from instances import Scenario
from solvers import Problem, Solver, run


class SimulationError(ValueError):
    """A configuration the simulation cannot run (the message says why and how to fix it)."""


@dataclass(frozen=True)
class SimulationSettings:
    """Batching, candidate search, costs and fairness settings of a run."""

    interval_s: float = 30.0
    k: int = 10
    radius_km: float = 3.0
    detour: float = 1.3
    cost_per_km: float = 0.15
    min_wage: float = 0.0
    lam: float = 0.0
    progress: bool = False


@dataclass
class SimulationResult:
    """Run-level metrics plus the tables saved beside the run's row."""

    metrics: dict[str, float]
    tables: dict[str, pa.Table] = field(default_factory=dict)


class _Tasks:
    """The task table as arrays."""

    def __init__(self, tasks: pa.Table) -> None:
        def col(name: str) -> np.ndarray:
            return tasks.column(name).to_numpy()

        self.ids = col("task_id")
        self.request = col("request_time")
        self.patience = col("patience_s")
        self.origin = np.column_stack([col("origin_x"), col("origin_y")])
        self.dest = np.column_stack([col("dest_x"), col("dest_y")])
        self.zone = col("origin_zone").astype(np.int64)
        self.km = col("distance_km")
        self.minutes = col("duration_min")
        self.value = col("value")
        self.skill = col("skill").astype(np.int64)


def simulate(
    scenario: Scenario,
    solver: Solver,
    objective: str,
    pricing: PricingPolicy,
    settings: SimulationSettings = SimulationSettings(),
    record_to: Path | None = None,
) -> SimulationResult:
    """Simulate ``scenario`` with ``solver``, ``objective`` and ``pricing``."""
    s = settings
    if s.interval_s <= 0:
        raise SimulationError(f"interval_s: expected seconds > 0, got {s.interval_s}")
    weigh = get_objective(objective)
    if pricing.needs_duals and not type(solver).yields_duals:
        raise SimulationError(
            f"pricing '{pricing.name}' needs a solver that returns duals; {solver.name!r} does "
            "not: use solver=hungarian, auction or milp"
        )
    if pricing.needs_duals and objective != "welfare":
        raise SimulationError(
            f"pricing '{pricing.name}' prices from the welfare matching's duals; got "
            f"objective={objective}: use objective=welfare"
        )
    tasks, fleet = (
        _Tasks(scenario.tasks),
        Fleet(scenario.workers, float(scenario.meta["horizon_s"])),
    )
    geographic = bool(scenario.meta.get("city"))
    horizon = fleet.horizon_s
    speeds = np.asarray(scenario.meta["speed_kmh_by_hour"], dtype=np.float64)
    n_zones = int(max(tasks.zone.max(initial=0), tasks.skill.max(initial=0))) + 1
    pricing.bind(scenario.meta, n_zones)
    recorder = BatchRecorder() if record_to is not None else None

    n_tasks = len(tasks.ids)
    trip = _TripLog(n_tasks)
    abandoned = np.zeros(n_tasks, dtype=bool)
    declined = np.zeros(n_tasks, dtype=bool)
    offers = {"made": 0, "refused": 0}
    quote = np.full(n_tasks, np.nan)  # the surge multiplier locked at each task's first quote
    parts = pricing.tariff.components(tasks.km, tasks.minutes, tasks.value)
    base_fare = sum(parts.values())
    open_tasks = np.zeros(0, dtype=np.int64)
    next_task = 0
    log: dict[str, list[float]] = {
        key: []
        for key in ("time", "open", "idle", "edges", "matched", "edge_seconds", "solve_seconds")
    }
    times = np.arange(s.interval_s, horizon + s.interval_s / 2, s.interval_s)
    iterator = times
    if s.progress:
        from tqdm import tqdm

        iterator = tqdm(times, desc=f"simulate {solver.name}", unit="batch", mininterval=1.0)
    for batch_no, now in enumerate(iterator):
        arrived = int(np.searchsorted(tasks.request, now, side="right"))
        open_tasks = np.concatenate([open_tasks, np.arange(next_task, arrived)])
        next_task = arrived
        expired = now - tasks.request[open_tasks] > tasks.patience[open_tasks]
        abandoned[open_tasks[expired]] = True
        open_tasks = open_tasks[~expired]
        idle, free_slots = fleet.available(now)
        multiplier = pricing.multiplier(
            now,
            tasks.zone[open_tasks] if geographic else tasks.skill[open_tasks],
            _worker_zones(fleet, idle, tasks, open_tasks, geographic),
            s.interval_s,
        )
        new = np.isnan(quote[open_tasks])
        quote[open_tasks[new]] = multiplier[new]
        if pricing.before_matching:
            # Upfront pricing: the first quote is locked; a rider who finds it too dear leaves.
            too_dear = new & (base_fare[open_tasks] * quote[open_tasks] > tasks.value[open_tasks])
            declined[open_tasks[too_dear]] = True
            open_tasks = open_tasks[~too_dear]

        t0 = time.perf_counter()
        if geographic:
            cand = nearest_workers(
                fleet.position[idle], tasks.origin[open_tasks], s.k, s.radius_km, s.detour
            )
        else:
            cand = _skill_candidates(fleet, idle, tasks, open_tasks, s.k)
        cand = _skill_filter(cand, fleet.skills[idle], tasks.skill[open_tasks])
        w, t = idle[cand.worker], open_tasks[cand.task]
        speed = speeds[int(now // 3600) % 24]
        fare_task = base_fare[open_tasks] * quote[open_tasks]
        split = pricing.commission.split(fare_task)
        ctx = EdgeContext(
            pickup_km=cand.pickup_km,
            pickup_min=cand.pickup_km / speed * 60.0,
            trip_km=tasks.km[t],
            trip_min=tasks.minutes[t],
            value=tasks.value[t],
            reservation_wage=fleet.wage[w],
            cost_per_km=s.cost_per_km,
            radius_km=s.radius_km,
            worker_pay=split["worker_pay"][cand.task],
            platform_revenue=(split["commission"] + split["fee"])[cand.task],
            lag=_lag(fleet, idle, now)[cand.worker],
        )
        if pricing.before_matching:
            keep = ctx.worker_pay >= ctx.worker_cost()
            offers["refused"] += int(np.count_nonzero(~keep))
            offers["made"] += len(keep)
        else:
            keep = np.ones(len(cand), dtype=bool)
        terms = {name: values[keep] for name, values in weigh(ctx, s.lam).items()}
        weights = total(terms) if terms else np.zeros(0, dtype=np.int64)
        problem = Problem.from_edges(
            len(idle),
            len(open_tasks),
            cand.worker[keep],
            cand.task[keep],
            weights,
            row_capacity=free_slots,
            # Side data for constrained solvers (milp's income floors and max-min earnings).
            edge_data={"income": ctx.worker_pay[keep]},
            row_data={
                "earned": fleet.pay[idle],
                "hours": np.maximum((now - fleet.online[idle]) / 3600.0, 0.25),
            },
        )
        t1 = time.perf_counter()
        solution = run(solver, problem)
        t2 = time.perf_counter()
        if recorder is not None:
            recorder.add(batch_no, now, problem)
        for key, value in zip(
            log,
            (
                now,
                len(open_tasks),
                len(idle),
                problem.n_edges,
                solution.n_matched,
                t1 - t0,
                t2 - t1,
            ),
            strict=True,
        ):
            log[key].append(value)
        if solution.n_matched == 0:
            continue

        kept = np.flatnonzero(keep)
        edge = kept[_edge_positions(cand.worker[kept], cand.task[kept], solution)]
        mw, mt, mcol = idle[solution.row_ind], open_tasks[solution.col_ind], solution.col_ind
        fare = fare_task[mcol]
        if not pricing.before_matching:
            # Rider surplus v_j is in cents: the weights are cents of welfare.
            fare = tasks.value[mt] - solution.col_dual[mcol] / 100.0
            quote[mt] = fare / np.maximum(base_fare[mt], 1e-12)
        money = pricing.commission.split(fare)
        pickup_min = ctx.pickup_min[edge]
        job_s = 60.0 * (pickup_min + tasks.minutes[mt])
        fleet.assign(mw, now, job_s)
        if geographic:
            single = fleet.capacity[mw] == 1
            fleet.position[mw[single]] = tasks.dest[mt[single]]
        np.add.at(fleet.gross, mw, fare)
        np.add.at(fleet.commission, mw, money["commission"] + money["fee"])
        np.add.at(fleet.pay, mw, money["worker_pay"])
        np.add.at(fleet.km, mw, ctx.pickup_km[edge] + tasks.km[mt])
        np.add.at(fleet.trips, mw, 1)
        trip.record(
            mt,
            fleet.ids[mw],
            now,
            pickup_min,
            ctx.pickup_km[edge],
            {name: part[mt] for name, part in parts.items()},
            quote[mt],
            fare,
            money,
            tasks.value[mt] - ctx.worker_cost()[edge],
            {name: values[np.searchsorted(kept, edge)] for name, values in terms.items()},
        )
        remaining = np.ones(len(open_tasks), dtype=bool)
        remaining[mcol] = False
        open_tasks = open_tasks[remaining]

    if recorder is not None:
        recorder.write(record_to)
    metrics = _metrics(tasks, fleet, trip, abandoned, declined, offers, log, s)
    return SimulationResult(
        metrics,
        {
            "batches": pa.table({key: np.asarray(values) for key, values in log.items()}),
            "workers": _statement(fleet, s.min_wage, s.cost_per_km),
            "trips": trip.table(tasks, scenario),
        },
    )


def _skill_candidates(
    fleet: Fleet, idle: np.ndarray, tasks: _Tasks, open_tasks: np.ndarray, k: int
) -> Candidates:
    """Freelance markets: each task's ``k`` cheapest idle workers who have its skill."""
    empty = np.zeros(0, dtype=np.int64)
    if len(idle) == 0 or len(open_tasks) == 0:
        return Candidates(empty, empty.copy(), np.zeros(0))
    skill = tasks.skill[open_tasks]
    skills = fleet.skills[idle]
    fits = (skill[:, None] < 0) | (skills[None, :] < 0)
    fits |= ((skills[None, :] >> np.maximum(skill[:, None], 0)) & 1) == 1
    cost = np.where(fits, fleet.wage[idle][None, :], np.inf)
    k = min(k, len(idle))
    best = np.argpartition(cost, k - 1, axis=1)[:, :k]
    ok = np.isfinite(np.take_along_axis(cost, best, axis=1))
    task = np.repeat(np.arange(len(open_tasks)), k)[ok.ravel()]
    return Candidates(best[ok].astype(np.int64), task, np.zeros(len(task)))


def _skill_filter(
    cand: Candidates, worker_skills: np.ndarray, task_skill: np.ndarray
) -> Candidates:
    """Drop pairs whose worker lacks the task's skill (-1 on either side means any)."""
    need = task_skill[cand.task]
    has = worker_skills[cand.worker]
    ok = (need < 0) | (has < 0) | (((has >> np.maximum(need, 0)) & 1) == 1)
    if ok.all():
        return cand
    return Candidates(cand.worker[ok], cand.task[ok], cand.pickup_km[ok])


def _worker_zones(
    fleet: Fleet, idle: np.ndarray, tasks: _Tasks, open_tasks: np.ndarray, geographic: bool
) -> np.ndarray:
    """Zone of each idle worker: the zone of the nearest open request (any geography)."""
    if len(idle) == 0 or len(open_tasks) == 0:
        return np.zeros(0, dtype=np.int64)
    if not geographic:
        skills = fleet.skills[idle]
        lowest = np.where(skills > 0, np.log2(skills & -skills), 0)
        return lowest.astype(np.int64)
    _, nearest = cKDTree(tasks.origin[open_tasks]).query(fleet.position[idle])
    return tasks.zone[open_tasks[nearest]]


def _lag(fleet: Fleet, idle: np.ndarray, now: float) -> np.ndarray:
    """How far each idle worker's hourly pay lags the online fleet's mean, in [0, 1]."""
    online = np.flatnonzero((fleet.online <= now) & (fleet.offline > now))
    if len(idle) == 0 or len(online) == 0:
        return np.zeros(len(idle))
    mean = fleet.hourly_so_far(now, online).mean()
    if mean <= 0:
        return np.zeros(len(idle))
    return np.clip(1.0 - fleet.hourly_so_far(now, idle) / mean, 0.0, 1.0)


def _edge_positions(edge_worker: np.ndarray, edge_task: np.ndarray, solution) -> np.ndarray:
    """Positions of the matched (worker, task) pairs in the edge arrays."""
    width = int(max(edge_task.max(initial=0), solution.col_ind.max(initial=0))) + 1
    keys = edge_worker * width + edge_task
    order = np.argsort(keys, kind="stable")
    return order[np.searchsorted(keys[order], solution.row_ind * width + solution.col_ind)]


class _TripLog:
    """Per-task outcome arrays, filled as trips are matched."""

    FARE_PARTS = ("base", "distance", "time", "minimum_topup")

    def __init__(self, n: int) -> None:
        self.worker_id = np.full(n, -1, dtype=np.int64)
        self.matched_at = np.full(n, np.nan)
        self.pickup_min = np.full(n, np.nan)
        self.pickup_km = np.full(n, np.nan)
        self.parts = {name: np.full(n, np.nan) for name in self.FARE_PARTS}
        self.multiplier = np.full(n, np.nan)
        self.fare = np.full(n, np.nan)
        self.money = {name: np.full(n, np.nan) for name in ("commission", "fee", "worker_pay")}
        self.welfare = np.full(n, np.nan)
        self.terms: dict[str, np.ndarray] = {}

    def record(
        self, tasks, workers, now, pickup_min, pickup_km, parts, mult, fare, money, welfare, terms
    ) -> None:
        """Store the matched tasks' outcome and the terms of the edge that won each."""
        self.worker_id[tasks] = workers
        self.matched_at[tasks] = now
        self.pickup_min[tasks] = pickup_min
        self.pickup_km[tasks] = pickup_km
        for name, values in parts.items():
            self.parts[name][tasks] = values
        self.multiplier[tasks] = mult
        self.fare[tasks] = fare
        for name, values in money.items():
            self.money[name][tasks] = values
        self.welfare[tasks] = welfare
        for name, values in terms.items():
            self.terms.setdefault(name, np.full(len(self.fare), np.nan))[tasks] = values

    @property
    def served(self) -> np.ndarray:
        """Which tasks were matched."""
        return self.worker_id >= 0

    def table(self, tasks: _Tasks, scenario: Scenario) -> pa.Table:
        """The per-trip transparency log: every request, and for served ones who, when and
        how the fare was made up."""
        served = self.served
        columns = {
            "task_id": tasks.ids,
            "origin_zone": tasks.zone,
            "request_time": tasks.request,
            "served": served,
            "worker_id": self.worker_id,
            "matched_at": self.matched_at,
            "pickup_time": self.matched_at + 60.0 * self.pickup_min,
            "pickup_min": self.pickup_min,
            "pickup_km": self.pickup_km,
            "trip_km": np.where(served, tasks.km, np.nan),
            "trip_min": np.where(served, tasks.minutes, np.nan),
        }
        columns |= {f"fare_{name}": values for name, values in self.parts.items()}
        columns |= {"surge_multiplier": self.multiplier, "fare": self.fare}
        columns |= self.money
        columns["welfare"] = self.welfare
        columns |= {f"weight_{name}": values for name, values in self.terms.items()}
        return pa.table(columns)


def _statement(fleet: Fleet, min_wage: float, cost_per_km: float) -> pa.Table:
    """The per-worker statement: hours, trips, gross, commission, net pay, hourly wages."""
    hours = fleet.online_hours()
    hourly = np.divide(fleet.pay, hours, out=np.zeros(len(fleet)), where=hours > 0)
    costs = cost_per_km * fleet.km
    return pa.table(
        {
            "worker_id": fleet.ids,
            "group": fleet.group.astype(str),
            "online_hours": hours,
            "busy_hours": fleet.busy_s / 3600.0,
            "trips": fleet.trips,
            "gross_fares": fleet.gross,
            "commission": fleet.commission,
            "net_pay": fleet.pay,
            "hourly_pay": hourly,
            "vehicle_costs": costs,
            "hourly_after_costs": np.divide(
                fleet.pay - costs, hours, out=np.zeros(len(fleet)), where=hours > 0
            ),
            "min_wage": np.full(len(fleet), min_wage),
            "below_min_wage": hourly < min_wage,
        }
    )


def _metrics(tasks, fleet, trip, abandoned, declined, offers, log, s) -> dict[str, float]:
    served = trip.served
    n = len(served)
    hours = fleet.online_hours()
    counted = hours > 0
    hourly = fleet.pay[counted] / hours[counted]
    wait = trip.matched_at[served] + 60 * trip.pickup_min[served] - tasks.request[served]
    solve_s, edge_s = np.asarray(log["solve_seconds"]), np.asarray(log["edge_seconds"])
    gross = float(np.nansum(trip.fare[served]))
    pay = float(np.nansum(trip.money["worker_pay"][served]))
    nan = float("nan")
    metrics = {
        "requests": float(n),
        "match_rate": float(served.mean()) if n else nan,
        "abandonment": float(abandoned.mean()) if n else nan,
        "welfare": float(np.nansum(trip.welfare[served])),
        "gross_fares": gross,
        "platform_revenue": gross - pay,
        "worker_pay": pay,
        "driver_pay_share": pay / gross if gross > 0 else nan,
        "wait_p50_s": percentile(wait, 50),
        "wait_p90_s": percentile(wait, 90),
        "pickup_km_mean": float(np.mean(trip.pickup_km[served])) if served.any() else nan,
        "utilisation": float(fleet.busy_s[counted].sum() / (3600 * hours[counted].sum()))
        if counted.any()
        else nan,
        "declined": float(declined.mean()) if n else nan,
        "offers_refused": offers["refused"] / offers["made"] if offers["made"] else 0.0,
        "batches": float(len(solve_s)),
        "solve_s_per_batch": float(solve_s.mean()) if len(solve_s) else 0.0,
        "solve_s_total": float(solve_s.sum()),
        "edge_s_per_batch": float(edge_s.mean()) if len(edge_s) else 0.0,
        "edge_s_total": float(edge_s.sum()),
        "zone_service_gap": zone_gap(tasks.zone, served),
        "group_hourly_gap": group_gap(fleet.group[counted], hourly),
    }
    return metrics | fairness(hourly, s.min_wage)
