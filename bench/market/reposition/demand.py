"""``demand``: drivers who chase demand on their own.

A worker who has waited ``wait_s`` since its last job (or its last move) looks at the zones
whose centres lie within ``max_km`` of it and scores each by the expected requests per idle
worker there, ``rate_z / (idle_z + heading_z + 1)`` (``heading_z``: workers already driving
there; the ``+ 1`` is the worker itself arriving). It drives to the best zone's centre when
that beats its own zone's ``rate_own / idle_own`` by more than ``margin``; otherwise it waits
another ``wait_s`` before it looks again. ``rate`` is the smoothed arrival count of
:class:`gigbench.market.reposition.base.DemandForecast`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.market.context import MarketContext
from gigbench.market.reposition.base import (
    DemandForecast,
    IdleView,
    Moves,
    Repositioning,
    check_common,
    zone_grid,
)
from gigbench.solvers.registry import need

__all__ = ["TowardDemand"]


class TowardDemand(Repositioning):
    """Idle workers drive, on their own, toward the reachable zone with the most demand per
    idle worker."""

    name = "demand"

    @dataclass(frozen=True)
    class Params:
        """wait_s: idle seconds before a worker looks for a better zone; max_km: how far
        (straight line) a zone's centre may be; margin: how much better (relative) a zone must
        be; memory_s: time constant of the demand forecast; zone_km: side of a zone;
        cruise_kmh: cruising speed (0 = the hour's travel speed)."""

        wait_s: float = 120.0
        max_km: float = 4.0
        margin: float = 0.25
        memory_s: float = 1800.0
        zone_km: float = 2.0
        cruise_kmh: float = 0.0

        def check(self) -> None:
            """Reject negative waits, speeds and margins, and non-positive distances."""
            check_common(self)
            need(np.isfinite(self.margin) and self.margin >= 0, "reposition.margin",
                 "a number >= 0", self.margin)  # fmt: skip

    def bind(self, context: MarketContext) -> None:
        """The zone grid and an empty forecast."""
        super().bind(context)
        self.grid = zone_grid(context, self.params.zone_km)
        self.forecast = DemandForecast(self.grid, context.interval_s, self.params.memory_s)
        centres = self.grid.centres
        gap = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)
        self.reachable = gap <= self.params.max_km

    def decide(self, view: IdleView) -> Moves:
        """Targets for the workers whose wait is over and who see a better zone."""
        rate = self.forecast.update(view.arrivals_xy)
        ready = np.flatnonzero(~view.moving & (view.idle_s >= self.params.wait_s))
        if len(ready) == 0 or not rate.any():
            return Moves.none()
        n = self.grid.n_zones
        here = self.grid.of(view.xy)
        idle = np.bincount(here[~view.moving], minlength=n)
        heading = np.bincount(self.grid.of(view.target_xy[view.moving]), minlength=n)
        own = here[ready]
        own_score = rate[own] / np.maximum(idle[own], 1)
        score = np.where(self.reachable[own], rate / (idle + heading + 1.0), -1.0)
        score[np.arange(len(ready)), own] = -1.0
        best = np.argmax(score, axis=1)
        go = score[np.arange(len(ready)), best] > (1.0 + self.params.margin) * own_score
        return Moves(ready[go], self.grid.centres[best[go]])
