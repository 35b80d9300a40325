"""What market plugins see: the scenario's task arrays once, then a small view per batch.

Plugins never see the simulation's state: :class:`MarketContext` is handed to ``bind`` once per
day; each batch's view (:class:`QuoteView`, :class:`SettleView`) carries task *indices* into
the context's arrays plus the batch's own figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from gigbench.instances.meta import ScenarioMeta

if TYPE_CHECKING:
    from gigbench.market.kind.base import MarketKind

__all__ = ["MarketContext", "QuoteView", "SettleView"]


@dataclass(frozen=True)
class MarketContext:
    """A day's tasks as arrays, the scenario's typed metadata (``info``: its market, tariff,
    geography), the market kind bound to them (``kind``, :mod:`gigbench.market.kind`), the batch
    interval (s) and the day of the run (0 = the first) these tasks belong to."""

    info: ScenarioMeta
    kind: MarketKind
    trip_km: np.ndarray
    trip_min: np.ndarray
    value: np.ndarray
    origin_xy: np.ndarray
    dest_xy: np.ndarray
    skill: np.ndarray
    observed_fare: np.ndarray
    interval_s: float
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    day: int = 0


@dataclass(frozen=True)
class QuoteView:
    """One batch before matching: the open tasks (indices) and the idle workers."""

    now: float
    task: np.ndarray
    idle_xy: np.ndarray
    idle_skills: np.ndarray


@dataclass(frozen=True)
class SettleView:
    """One batch after matching: matched tasks (indices, in the solution's order), their
    locked quotes, each matched pair's worker cost, the batch's problem and solution, and how
    many of the problem's weight units make one unit of the objective's weights."""

    now: float
    task: np.ndarray
    quote: np.ndarray
    worker_cost: np.ndarray
    problem: Any
    solution: Any
    weight_scale: int = 1
