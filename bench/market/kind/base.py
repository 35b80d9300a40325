"""The market-kind contract: what differs between kinds of market, owned by one plugin.

A kind of market (ride-hailing, freelance, ...) decides what "where" means and the stages that
depend on it:

* **candidates**: which idle workers may serve which open task (:meth:`MarketKind.candidates`);
* **acceptance**: how long a worker takes to reach a job (:meth:`MarketKind.reach_minutes`),
  which the worker's cost of the job counts;
* **move**: where a worker is once a job is done (:meth:`MarketKind.end_positions`) and how
  fast workers travel (:meth:`MarketKind.travel_kmh`, for repositioning);
* **geography**: the zones that pricing counts supply and demand in (:meth:`MarketKind.zones`),
  the grid repositioning moves workers on (:meth:`MarketKind.grid`), and which plugins a
  market without places refuses (:meth:`MarketKind.fit`).

Settling a job (fare, commission, pay rule) is alike for both built-in kinds; what a fare is
made of is the scenario's tariff (:class:`gigbench.instances.tariffs.Tariff`). A scenario names
its kind (``ScenarioMeta.market``); the simulation binds it to each day's context
(:class:`gigbench.market.context.MarketContext`) before the other plugins, which reach it as
``context.kind``. No stage asks which kind it runs: each calls these methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np

from gigbench.errors import ConfigError
from gigbench.market.context import MarketContext, QuoteView
from gigbench.market.kind.candidates import Candidates
from gigbench.market.plugin import Plugin
from gigbench.market.zones import ZoneGrid

__all__ = ["MarketKind", "MoveView", "PoolView", "Zones"]


class Zones(Protocol):
    """Zones a pricing policy counts open tasks and idle workers in: ``n_zones`` of them, the
    zone of every task of the context (``task_zone``) and, per batch, the idle workers counted
    in each zone (:meth:`idle`)."""

    n_zones: int
    task_zone: np.ndarray

    def idle(self, view: QuoteView) -> np.ndarray:
        """Idle workers per zone (``n_zones`` counts)."""


@dataclass(frozen=True)
class PoolView:
    """One batch's search for candidates: the open tasks (indices into the context's arrays),
    the idle workers' positions, skills (bitmasks) and reservation wages, and how many
    candidates a task may see (``k``) within what road distance (``radius_km``, road km being
    ``detour`` times the straight line)."""

    now: float
    task: np.ndarray
    worker_xy: np.ndarray
    worker_skills: np.ndarray
    worker_wage: np.ndarray
    k: int
    radius_km: float
    detour: float


@dataclass(frozen=True)
class MoveView:
    """One batch's matched pairs: the tasks (indices into the context's arrays) and where each
    one's worker was when matched."""

    now: float
    task: np.ndarray
    worker_xy: np.ndarray


class MarketKind(Plugin):
    """Base class (module docs): ``bind`` once a day, then the methods of the stages."""

    kind: ClassVar[str] = "market_kind"

    def bind(self, context: MarketContext) -> None:
        """Keep the day's context (the scenario's tasks and metadata)."""
        self.context = context

    def fit(self, **plugins: Any) -> None:
        """Raise :class:`gigbench.errors.ConfigError` for a plugin (by its config group) this
        market cannot run; every plugin fits by default."""

    def candidates(self, view: PoolView) -> Candidates:
        """The batch's candidate edges (positions in the view's task and worker lists)."""
        raise NotImplementedError

    def reach_minutes(self, km: np.ndarray, now: float) -> np.ndarray:
        """Minutes each candidate worker takes to reach its job, ``km`` away (road)."""
        raise NotImplementedError

    def end_positions(self, view: MoveView) -> np.ndarray:
        """Where each matched worker is once its job is done."""
        raise NotImplementedError

    def travel_kmh(self, now: float) -> float:
        """How fast workers travel at ``now``; a market without places refuses."""
        raise ConfigError(self._no_places("nothing travels"))

    def grid(self, zone_km: float, key: str) -> ZoneGrid:
        """A grid of ``zone_km`` squares over the market's plane (``key`` names the setting in
        errors); a market without places refuses."""
        raise ConfigError(f"{key}: {self._no_places('it has no zones to move workers between')}")

    def zones(self, zone_km: float, key: str) -> Zones:
        """The zones a pricing policy counts supply and demand in."""
        return GridZones(self.grid(zone_km, key), self.context.origin_xy)

    def _no_places(self, consequence: str) -> str:
        return (
            f"market kind {self.name!r} has no places (no geography), so {consequence}; use a "
            "scenario with a geography (ride-hailing) for it"
        )


class GridZones:
    """A :class:`ZoneGrid`'s squares: a task's zone holds its origin, an idle worker counts in
    the zone it stands in."""

    def __init__(self, grid: ZoneGrid, origin_xy: np.ndarray) -> None:
        self.grid = grid
        self.n_zones = grid.n_zones
        self.task_zone = grid.of(origin_xy)

    def idle(self, view: QuoteView) -> np.ndarray:
        """Idle workers per square."""
        return np.bincount(self.grid.of(view.idle_xy), minlength=self.n_zones)[: self.n_zones]
