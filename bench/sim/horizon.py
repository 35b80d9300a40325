"""A run of one or more days (``mode.days``): the fleet and the supply policy carried from day
to day, each day's figures (the ``days`` table) and the run's (the row).

Each day gets a fresh :class:`gigbench.sim.state.SimState` (that day's requests, trip log and
plugins bound to them, :mod:`gigbench.sim.days`) around the one :class:`gigbench.sim.fleet.Fleet`,
whose running totals (pay, hours, km, ...) add up over the run, so the ``fair`` objective's lag
reads each worker's earnings to date over their hours to date (amortised fairness across days,
Sühr et al., KDD 2019).

``days.parquet``, one row per day: ``day``; every efficiency and pay-fairness figure of
:mod:`gigbench.sim.results` over that day's requests and that day's earnings and online hours
(``requests``, ``match_rate``, ``utilisation``, ``hourly_pay_mean`` (after commission, before
vehicle costs), ``hourly_net_mean`` (after them), ``gini``, ``below_min_wage``, ...); the
supply figures of :func:`supply_figures`; ``fare_scale`` (the tariff's multiplier that day);
the supply policy's own figures (``elastic``: ``expected_net_mean``, ``participation``, as
they stood when the day's drivers chose); and pay fairness *to date*, each worker's earnings
over their online hours from day 0 to this day (``gini_to_date``, ``jain_to_date``,
``hourly_net_mean_to_date``, ``below_min_wage_to_date``).

The row: the same figures over the whole run (every request of every day; each worker's
earnings over their hours of all days), timings summed over the days, and ``days``. Tables:
``trips`` and ``batches`` of every day with a ``day`` column, ``workers`` (each worker's
statement over the run) and ``days``. A one-day run's figures are those of that day.
"""

from __future__ import annotations

import copy
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from gigbench.instances import Scenario
from gigbench.market.kind import MARKET_KINDS
from gigbench.market.plugin import build
from gigbench.market.supply import DayEarnings, Pool
from gigbench.sim.days import dated, day_scenario, pool_scenario
from gigbench.sim.fleet import Fleet
from gigbench.sim.recording import BatchRecorder
from gigbench.sim.results import (
    SimulationResult,
    efficiency,
    pay_fairness,
    recorded_pay,
    timing,
    worker_statement,
)
from gigbench.sim.state import SimState

__all__ = ["Horizon", "Ledger", "supply_figures"]

TO_DATE = ("gini", "jain", "hourly_net_mean", "below_min_wage")


@dataclass
class Ledger:
    """What the figures of :mod:`gigbench.sim.results` read, over one day or the whole run."""

    tasks: Any
    log: Any
    fleet: Any
    offers: dict[str, int]
    settings: Any
    seconds: dict[str, float] = field(default_factory=dict)
    batches: dict[str, np.ndarray] = field(default_factory=dict)
    times: np.ndarray = field(default_factory=lambda: np.zeros(0))


class DayFleet:
    """One day's share of the fleet: its running totals minus those at the day's start."""

    def __init__(self, fleet: Fleet, start: dict[str, np.ndarray]) -> None:
        self.ids, self.capacity = fleet.ids, fleet.capacity
        self.group, self.vehicle = fleet.group, fleet.vehicle
        self.cost_per_km, self.cost_per_online_h = fleet.cost_per_km, fleet.cost_per_online_h
        for name in Fleet.TOTALS:
            setattr(self, name, getattr(fleet, name) - start[name])
        self.hours = fleet.online_hours() - start["hours"]

    def __len__(self) -> int:
        return len(self.ids)

    def online_hours(self) -> np.ndarray:
        """The day's online hours."""
        return self.hours

    def days_online(self) -> np.ndarray:
        """1 for a worker online that day."""
        return (self.hours > 0).astype(np.int64)


def _snapshot(fleet: Fleet) -> dict[str, np.ndarray]:
    return {name: getattr(fleet, name).copy() for name in (*Fleet.TOTALS, "hours")}


def supply_figures(statement: pa.Table) -> dict[str, float]:
    """``workers_online`` (workers with any online time), ``pool_share`` (their share of the
    pool), ``online_hours`` (summed), ``pay_per_hour`` and ``net_per_hour`` (all pay, and all
    pay after vehicle costs, over all online hours: the fleet's average hourly earnings)."""
    hours = statement.column("online_hours").to_numpy()
    pay = statement.column("net_pay").to_numpy()
    net = pay - statement.column("vehicle_costs").to_numpy()
    total = float(hours.sum())
    online = int(np.count_nonzero(hours > 0))
    return {
        "workers_online": float(online),
        "pool_share": online / len(hours) if len(hours) else float("nan"),
        "online_hours": total,
        "pay_per_hour": float(pay.sum()) / total if total > 0 else float("nan"),
        "net_per_hour": float(net.sum()) / total if total > 0 else float("nan"),
    }


def _stack(parts: list[Any]) -> Any:
    """One object whose array attributes (and dicts of arrays) are the parts', concatenated;
    a dict key some parts lack is NaN there."""
    if len(parts) == 1:
        return parts[0]
    whole = copy.copy(parts[0])
    sizes = [len(next(v for v in vars(p).values() if isinstance(v, np.ndarray))) for p in parts]
    for name, value in vars(parts[0]).items():
        if isinstance(value, np.ndarray):
            setattr(whole, name, np.concatenate([getattr(p, name) for p in parts]))
        elif isinstance(value, dict):
            keys = dict.fromkeys(k for p in parts for k in getattr(p, name))
            setattr(whole, name, {k: np.concatenate([getattr(p, name).get(k, np.full(n, np.nan))
                                                     for p, n in zip(parts, sizes, strict=True)])
                                  for k in keys})  # fmt: skip
    return whole


def _with_day(table: pa.Table, day: int) -> pa.Table:
    return table.add_column(0, "day", pa.array(np.full(table.num_rows, day, dtype=np.int32)))


class Horizon:
    """The days of one run: their states, figures and the run's result (module docs)."""

    def __init__(self, scenario: Scenario, spec: Any, record: bool = False) -> None:
        t0 = time.perf_counter()
        self.scenario, self.spec = scenario, spec
        info = scenario.info
        self.kind = build(MARKET_KINDS, {"name": info.market})
        self.n_days = spec.settings.days
        if self.n_days > 1 and dated(info.generator):
            day_scenario(scenario, self.n_days - 1)  # fewer days than asked fails before day 0
        pool = pool_scenario(scenario, spec.supply.pool_size(scenario.workers.num_rows))
        self.fleet = Fleet(pool.workers, float(info.horizon_s))
        s = spec.settings
        self.fleet.price_vehicles(dict(s.cost_per_km), dict(s.cost_per_online_h))
        planned = self.fleet.planned_shifts()
        spec.supply.bind(Pool(planned, self.fleet.wage, int(info.seed)))
        self.recorder = BatchRecorder() if record else None
        self.rows: list[dict[str, float]] = []
        self.parts: dict[str, list[Any]] = defaultdict(list)
        self.offers: Counter[str] = Counter()
        self.seconds: dict[str, float] = defaultdict(float)
        self.seconds["days"] = time.perf_counter() - t0

    def days(self) -> Iterator[SimState]:
        """Each day's state, in order; the fleet's totals are noted as the day starts. The
        time spent building days and their figures is ``stage_s_days``."""
        for day in range(self.n_days):
            t0 = time.perf_counter()
            scenario = day_scenario(self.scenario, day)
            state = SimState(scenario, self.spec, self.fleet, self.kind, day)
            state.recorder = self.recorder
            if self.recorder is not None:
                self.recorder.offset = day * len(state.times)
            self.start = _snapshot(self.fleet)
            self.seconds["days"] += time.perf_counter() - t0
            yield state

    def close(self, state: SimState) -> DayEarnings:
        """Note the day's figures and keep its logs; return what each worker earned."""
        t0 = time.perf_counter()
        try:
            return self._close(state)
        finally:
            self.seconds["days"] += time.perf_counter() - t0

    def _close(self, state: SimState) -> DayEarnings:
        day = Ledger(state.tasks, state.log, DayFleet(self.fleet, self.start), state.offers,
                     state.settings)  # fmt: skip
        statement = worker_statement(day)
        so_far = Ledger(state.tasks, state.log, self.fleet, state.offers, state.settings)
        to_date = pay_fairness(so_far, worker_statement(so_far))
        self.rows.append(
            {"day": state.day}
            | efficiency(day)
            | pay_fairness(day, statement)
            | supply_figures(statement)
            | {"fare_scale": state.spec.pricing.scale}
            | self.spec.supply.figures()
            | {f"{key}_to_date": to_date[key] for key in TO_DATE}
        )
        self._keep(state)
        hours = statement.column("online_hours").to_numpy()
        net = statement.column("net_pay").to_numpy() - statement.column("vehicle_costs").to_numpy()
        return DayEarnings(hours, net)

    def _keep(self, state: SimState) -> None:
        parts = self.parts
        parts["tasks"].append(state.tasks)
        parts["log"].append(state.log)
        parts["times"].append(state.times)
        parts["batches"].append(state.batches)
        trips = state.log.table(state.tasks, self.fleet.ids, state.spec.pricing.tariff_parts())
        parts["trips"].append(_with_day(trips, state.day))
        parts["batch_tables"].append(_with_day(pa.table(state.batches), state.day))
        self.offers.update(state.offers)
        for key, value in state.seconds.items():
            self.seconds[key] += value

    def result(self, record_to: Path | None = None) -> SimulationResult:
        """The run's figures (module docs) and tables; the recording, if any, saved."""
        if self.recorder is not None and record_to is not None:
            self.recorder.write(record_to)
        parts = self.parts
        batches = {key: np.concatenate([b[key] for b in parts["batches"]])
                   for key in parts["batches"][0]}  # fmt: skip
        run = Ledger(_stack(parts["tasks"]), _stack(parts["log"]), self.fleet, dict(self.offers),
                     self.spec.settings, self.seconds, batches,
                     np.concatenate(parts["times"]))  # fmt: skip
        statement = worker_statement(run)
        metrics = (
            efficiency(run)
            | pay_fairness(run, statement)
            | recorded_pay(run)
            | supply_figures(statement)
            | timing(run)
            | {"days": float(self.n_days)}
        )
        tables = {
            "trips": pa.concat_tables(parts["trips"]),
            "workers": statement,
            "batches": pa.concat_tables(parts["batch_tables"]),
            "days": pa.Table.from_pylist(self.rows),
        }
        return SimulationResult(metrics, tables)
