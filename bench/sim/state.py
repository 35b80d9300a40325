"""The simulation's state (one per run) and a batch's working set (one per batch).

:class:`SimState` holds the scenario's tasks as arrays, the fleet, every task's outcome so far,
the market kind and the stages' plugins, and clocks; :class:`Batch` holds what the stages of one
batch hand to each other (idle workers, open tasks, quotes, edges, the problem and its
solution). Stages read and
write these two objects only; plugins see neither (they get small views).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import numpy as np
import pyarrow as pa

from gigbench.market.context import MarketContext
from gigbench.market.kind import MarketKind
from gigbench.sim.fleet import Fleet
from gigbench.sim.triplog import TripLog

__all__ = ["STAGES", "Batch", "SimState", "TaskArrays", "stage"]

# The loop's timed stages, in order ("days": building each day and closing its figures); each
# is a row column ``m_stage_s_<name>`` (gigbench.market.catalogue), 0 when it never ran.
STAGES = ("days", "arrivals", "supply", "reposition", "quote", "acceptance", "candidates",
          "weigh", "match", "settle", "move")  # fmt: skip


class TaskArrays:
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
        self.observed_fare = col("observed_fare")
        # what a replayed trip record says happened (NaN where nothing was recorded)
        self.observed = {n: col(n) for n in tasks.column_names if n.startswith("observed_")}

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Batch:
    """One batch's working set, filled stage by stage."""

    number: int
    now: float
    arrived: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    idle: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    free: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    open: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    new: np.ndarray | None = None  # which open tasks were quoted for the first time
    pay: np.ndarray | None = None  # worker pay of each open task at its locked quote
    revenue: np.ndarray | None = None  # the platform's share of it
    cand: Any = None  # candidate edges (gigbench.market.kind.Candidates)
    pickup_min: np.ndarray | None = None  # per edge
    cost: np.ndarray | None = None  # worker cost per edge (gigbench.market.costs)
    terms: dict[str, np.ndarray] = field(default_factory=dict)
    problem: Any = None
    solution: Any = None
    weight_scale: int = 1  # the problem's weights per unit of the objective's (tie-breaking)
    matched_edge: np.ndarray | None = None  # candidate edge of each matched pair

    @property
    def can_match(self) -> bool:
        """Whether any open task and any idle worker remain."""
        return len(self.open) > 0 and len(self.idle) > 0

    @property
    def matched(self) -> int:
        """Pairs the solver matched (0 before matching)."""
        return 0 if self.solution is None else self.solution.n_matched


class SimState:
    """Everything that persists from batch to batch within day ``day`` of a run; the fleet
    (the run's workers and their running totals) and the market kind come from the run and
    outlive the day (the kind is bound to each day's tasks, then the day's plugins)."""

    def __init__(self, scenario, spec, fleet: Fleet, kind: MarketKind, day: int = 0) -> None:
        self.spec = spec
        self.settings = spec.settings
        self.info = scenario.info
        self.day = day
        self.tasks = TaskArrays(scenario.tasks)
        self.horizon_s = float(self.info.horizon_s)
        self.fleet = fleet
        self.kind = kind
        self.log = TripLog(len(self.tasks))
        self.open = np.zeros(0, dtype=np.int64)
        self.next_task = 0
        self.offers = {"made": 0, "refused": 0}
        self.offered = np.zeros(len(self.tasks), dtype=bool)  # had a round of offers
        self.seconds: dict[str, float] = defaultdict(float)
        times = np.arange(self.settings.interval_s, self.horizon_s + 1e-9, self.settings.interval_s)
        self.times = times
        self.batches = {
            key: np.zeros(len(times)) for key in ("open", "idle", "edges", "matched", "solve_s")
        }
        self.batches["time"] = times
        self.context = MarketContext(
            info=self.info,
            kind=kind,
            trip_km=self.tasks.km,
            trip_min=self.tasks.minutes,
            value=self.tasks.value,
            origin_xy=self.tasks.origin,
            dest_xy=self.tasks.dest,
            skill=self.tasks.skill,
            observed_fare=self.tasks.observed_fare,
            interval_s=self.settings.interval_s,
            day=day,
        )
        for plugin in (kind, spec.pricing, spec.reposition):
            plugin.bind(self.context)
        self.recorder = None

    def clock(self) -> Iterator[Batch]:
        """One :class:`Batch` every ``interval_s`` seconds up to the horizon."""
        times = self.times
        if self.settings.progress:
            from tqdm import tqdm

            times = tqdm(times, desc="simulate", unit="batch", mininterval=1.0)
        for number, now in enumerate(times):
            yield Batch(number, float(now))


def stage(name: str) -> Callable:
    """Time a stage function ``f(state, batch, ...)`` into ``state.seconds[name]``."""
    if name not in STAGES:
        raise ValueError(f"stage: expected one of {STAGES}, got {name!r}")

    def decorate(function: Callable) -> Callable:
        @wraps(function)
        def timed(state: SimState, batch: Batch, *args: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return function(state, batch, *args)
            finally:
                state.seconds[name] += time.perf_counter() - t0

        return timed

    return decorate
