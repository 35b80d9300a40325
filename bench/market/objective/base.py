"""The objective contract and the per-edge figures it may weigh.

Weights are integers (cents, or metres) so exact solvers prove optimality exactly. Each
objective returns named terms; the edge weight is their sum, and the trip log records the
terms of every winning edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from gigbench.market.plugin import Plugin

__all__ = ["CENTS", "EdgeContext", "Objective", "Terms", "cents", "total"]

CENTS = 100.0  # currency units -> integer weight units
Terms = dict[str, np.ndarray]


@dataclass(frozen=True)
class EdgeContext:
    """Per-edge figures (arrays aligned with a batch's candidate edges): the pickup, the
    trip, the task's value as the matching weighs it, the worker's cost of the job
    (:func:`gigbench.market.costs.worker_cost`), the quoted pay and platform revenue, and how far
    the worker's hourly pay lags the online fleet's (in [0, 1])."""

    pickup_km: np.ndarray
    pickup_min: np.ndarray
    trip_km: np.ndarray
    trip_min: np.ndarray
    value: np.ndarray
    worker_cost: np.ndarray
    worker_pay: np.ndarray
    platform_revenue: np.ndarray
    lag: np.ndarray
    radius_km: float


def cents(values: np.ndarray) -> np.ndarray:
    """Currency amounts as integer cents."""
    return np.round(CENTS * values).astype(np.int64)


def total(terms: Terms) -> np.ndarray:
    """The edge weight: the sum of an objective's terms."""
    if not terms:
        return np.zeros(0, dtype=np.int64)
    return np.sum(list(terms.values()), axis=0).astype(np.int64)


class Objective(Plugin):
    """Base class: :meth:`weigh` turns an :class:`EdgeContext` into named integer terms."""

    kind: ClassVar[str] = "objective"

    def needs_lag(self) -> bool:
        """Whether :meth:`weigh` reads ``ctx.lag`` (the simulation skips computing it if not)."""
        return False

    def weigh(self, ctx: EdgeContext) -> Terms:
        """Named integer terms per edge; their sum is the edge weight."""
        raise NotImplementedError
