"""The repositioning contract, the demand forecast the policies share, and ``none``.

Each batch a policy sees the idle workers (:class:`IdleView`) and returns :class:`Moves`: for
some of them a target point. The simulation drives a moving worker toward its target at
``cruise_kmh`` (0 = the hour's travel speed) in road kilometres (straight line x detour), which
cost the worker ``cost_per_km`` (``cruise_km``, ``cruise_cost`` in the worker statement); a
moving worker stays available and is matched from where it is.

Expected demand per zone is an exponentially smoothed count of the requests that arrived in
it, ``rate_z <- (1 - a) rate_z + a * arrivals_z`` each batch, with ``a = interval_s /
memory_s`` (capped at 1): requests per batch, forgotten with a time constant ``memory_s``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from gigbench.market.context import MarketContext
from gigbench.market.plugin import Plugin
from gigbench.market.zones import ZoneGrid
from gigbench.solvers.registry import need

__all__ = ["IdleView", "Moves", "Repositioning", "Stay"]


@dataclass(frozen=True)
class IdleView:
    """One batch: the idle workers and what demand did since the last batch."""

    now: float
    xy: np.ndarray  # (n, 2) positions of the idle workers
    idle_s: np.ndarray  # seconds each has waited since its last job or move
    moving: np.ndarray  # bool: already heading for a target
    target_xy: np.ndarray  # (n, 2) targets of the moving ones (NaN otherwise)
    arrivals_xy: np.ndarray  # (m, 2) origins of requests that arrived since the last batch


@dataclass(frozen=True)
class Moves:
    """New targets: ``worker`` are positions in the :class:`IdleView`."""

    worker: np.ndarray
    target_xy: np.ndarray

    @classmethod
    def none(cls) -> Moves:
        """No worker moves."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros((0, 2)))


class Repositioning(Plugin):
    """Base class: ``bind`` once per run, ``decide`` every batch."""

    kind: ClassVar[str] = "reposition"

    @dataclass(frozen=True)
    class Params:
        """cruise_kmh: cruising speed (0 = the hour's travel speed)."""

        cruise_kmh: float = 0.0

        def check(self) -> None:
            """Reject a negative speed."""
            check_common(self)

    def bind(self, context: MarketContext) -> None:
        """Keep the context (the scenario's market kind: its geography)."""
        self.context = context

    def moves_workers(self) -> bool:
        """Whether :meth:`decide` can return moves (``none`` never does)."""
        return True

    def decide(self, view: IdleView) -> Moves:
        """Targets for some idle workers."""
        return Moves.none()


class Stay(Repositioning):
    """``none``: idle workers wait where they are (the model before repositioning)."""

    name = "none"

    def moves_workers(self) -> bool:
        """Never."""
        return False


def check_common(params) -> None:
    """Checks every repositioning policy's parameters share."""
    for key in ("cruise_kmh", "wait_s", "every_s", "max_km", "memory_s", "zone_km"):
        value = getattr(params, key, None)
        if value is None:
            continue
        positive = key in ("every_s", "max_km", "memory_s", "zone_km")
        ok = np.isfinite(value) and (value > 0 if positive else value >= 0)
        need(ok, f"reposition.{key}", f"a number {'> 0' if positive else '>= 0'}", value)


class DemandForecast:
    """Exponentially smoothed arrivals per zone of a :class:`ZoneGrid` (see module docs)."""

    def __init__(self, grid: ZoneGrid, interval_s: float, memory_s: float) -> None:
        self.grid = grid
        self.alpha = min(1.0, interval_s / memory_s)
        self.rate = np.zeros(grid.n_zones)

    def update(self, arrivals_xy: np.ndarray) -> np.ndarray:
        """Fold in one batch's arrivals; return the expected requests per batch per zone."""
        counts = np.bincount(self.grid.of(arrivals_xy), minlength=self.grid.n_zones)
        self.rate *= 1.0 - self.alpha
        self.rate += self.alpha * counts
        return self.rate


def zone_grid(context: MarketContext, zone_km: float) -> ZoneGrid:
    """The repositioning grid over the market's plane (a market without places refuses)."""
    return context.kind.grid(zone_km, "reposition.zone_km")
