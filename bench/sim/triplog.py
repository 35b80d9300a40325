"""Every request's outcome, filled as the day goes, and the trip log table it becomes.

``trips.parquet`` has one row per request: the request, its outcome (``served``,
``declined``: the rider found the quote above their willingness to pay, ``abandoned``: patience
ran out, ``open``: still waiting at the horizon), and for served ones who took it, when, the
tariff's parts, the multiplier, the fare and its split, the worker's cost of the job (the cost
the acceptance rule charged: :func:`gigbench.market.costs.worker_cost`), the trip's welfare and the
terms of the edge weight that won the match. Columns of unserved requests are null. Last, the
request's ``observed_*`` columns (replay: the recorded fare, driver pay, tips and times; NaN
where nothing was recorded), kept for every request.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from gigbench.instances.tariffs import FARE_PARTS

__all__ = ["OUTCOMES", "TripLog"]

OUTCOMES = ("open", "served", "declined", "abandoned")
_MONEY = ("fare", "commission", "fee", "worker_pay", "pay_topup", "worker_cost", "welfare")


class TripLog:
    """Per-task outcome arrays."""

    def __init__(self, n: int) -> None:
        self.outcome = np.zeros(n, dtype=np.int8)  # index into OUTCOMES
        self.worker = np.full(n, -1, dtype=np.int64)  # fleet position of the worker
        self.quote = np.full(n, np.nan)  # the locked quote (fare offered)
        self.quoted_pay = np.full(n, np.nan)  # the worker's pay at that quote
        self.quoted_revenue = np.full(n, np.nan)  # and the platform's share
        self.multiplier = np.full(n, np.nan)
        self.values = {
            name: np.full(n, np.nan) for name in ("matched_at", "pickup_min", "pickup_km", *_MONEY)
        }
        self.terms: dict[str, np.ndarray] = {}

    def mark(self, tasks: np.ndarray, outcome: str) -> None:
        """Set the outcome of ``tasks``."""
        self.outcome[tasks] = OUTCOMES.index(outcome)

    def record(self, tasks: np.ndarray, workers: np.ndarray, figures: dict, terms: dict) -> None:
        """Store served tasks: their worker, the ``figures`` named in ``values`` and the terms
        of the edge weight that won each."""
        self.mark(tasks, "served")
        self.worker[tasks] = workers
        for name, values in figures.items():
            self.values[name][tasks] = values
        for name, values in terms.items():
            if name not in self.terms:  # not setdefault: that would allocate a column per call
                self.terms[name] = np.full(len(self.outcome), np.nan)
            self.terms[name][tasks] = values

    @property
    def served(self) -> np.ndarray:
        """Which tasks were served."""
        return self.outcome == OUTCOMES.index("served")

    def table(self, tasks, fleet_ids: np.ndarray, parts: dict[str, np.ndarray]) -> pa.Table:
        """The trip log (module docs); ``parts`` are the tariff's parts of every task's fare."""
        served = self.served
        unserved = ~served

        def masked(values: np.ndarray) -> pa.Array:
            return pa.array(values, mask=unserved)

        v = self.values
        columns: dict[str, pa.Array | np.ndarray] = {
            "task_id": tasks.ids,
            "origin_zone": tasks.zone,
            "origin_x": tasks.origin[:, 0],
            "origin_y": tasks.origin[:, 1],
            "request_time": tasks.request,
            "outcome": pa.DictionaryArray.from_arrays(
                pa.array(self.outcome.astype(np.int32)), pa.array(OUTCOMES)
            ),
            "served": served,
            "worker_id": masked(fleet_ids[np.maximum(self.worker, 0)]),
            "matched_at": masked(v["matched_at"]),
            "pickup_time": masked(v["matched_at"] + 60.0 * v["pickup_min"]),
            "pickup_min": masked(v["pickup_min"]),
            "pickup_km": masked(v["pickup_km"]),
            "trip_km": masked(tasks.km),
            "trip_min": masked(tasks.minutes),
        }
        columns |= {f"fare_{name}": masked(parts[name]) for name in FARE_PARTS}
        columns["surge_multiplier"] = masked(self.multiplier)
        columns |= {name: masked(v[name]) for name in _MONEY}
        columns |= {
            f"weight_{name}": pa.array(np.where(served, values, 0).astype(np.int64), mask=unserved)
            for name, values in self.terms.items()
        }
        columns |= tasks.observed  # the trip record's own figures, for every request
        return pa.table(columns)
