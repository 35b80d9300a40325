"""``rebalance``: the platform moves idle workers toward expected demand.

Every ``every_s`` seconds, with ``N`` idle workers not already moving and ``rate_z`` the
smoothed demand (:class:`gigbench.market.reposition.base.DemandForecast`), zone z's target is
``t_z = round(N * rate_z / sum(rate))``; zones above target supply ``idle_z - t_z`` workers,
zones below demand ``t_z - idle_z``. A min-cost flow between zones whose centres are at most
``max_km`` apart (cost: metres between centres), solved for maximum flow at minimum cost with
OR-Tools' ``SimpleMinCostFlow``, says how many workers go from which zone to which, in the
spirit of Pavone, Smith, Frazzoli and Rus, "Robotic load balancing for mobility-on-demand
systems" (IJRR 2012), whose rebalancing LP is this flow problem. In each sending zone the
workers idle longest go first; each heads for a seeded random point of its destination zone.
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

__all__ = ["Rebalance"]


class Rebalance(Repositioning):
    """A min-cost flow of idle workers between zones toward expected demand."""

    name = "rebalance"

    @dataclass(frozen=True)
    class Params:
        """every_s: seconds between rebalancing rounds; max_km: the longest move (between zone
        centres); memory_s: time constant of the demand forecast; zone_km: side of a zone;
        cruise_kmh: cruising speed (0 = the hour's travel speed)."""

        every_s: float = 300.0
        max_km: float = 6.0
        memory_s: float = 1800.0
        zone_km: float = 2.0
        cruise_kmh: float = 0.0

        def check(self) -> None:
            """Reject non-positive periods and distances and a negative speed."""
            check_common(self)

    def bind(self, context: MarketContext) -> None:
        """The zone grid, the arcs between reachable zones and an empty forecast."""
        super().bind(context)
        self.grid = zone_grid(context, self.params.zone_km)
        self.forecast = DemandForecast(self.grid, context.interval_s, self.params.memory_s)
        centres = self.grid.centres
        gap = np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)
        self.arc_from, self.arc_to = np.nonzero((gap <= self.params.max_km) & (gap > 0))
        self.arc_cost = np.rint(1000.0 * gap[self.arc_from, self.arc_to]).astype(np.int64)
        self.next_round = 0.0
        self.rng = np.random.default_rng([int(context.info.seed), 7])

    def decide(self, view: IdleView) -> Moves:
        """Moves for this round (none between rounds)."""
        rate = self.forecast.update(view.arrivals_xy)
        if view.now < self.next_round:
            return Moves.none()
        self.next_round = view.now + self.params.every_s
        free = np.flatnonzero(~view.moving)
        if len(free) == 0 or not rate.any():
            return Moves.none()
        n = self.grid.n_zones
        zone = self.grid.of(view.xy[free])
        idle = np.bincount(zone, minlength=n)
        target = np.rint(len(free) * rate / rate.sum()).astype(np.int64)
        flow = self._flow(idle - target)
        return self._assign(flow, free, zone, view)

    def _flow(self, excess: np.ndarray) -> np.ndarray:
        """Workers to send along each arc: max flow at min cost from excess to deficit."""
        from ortools.graph.python import min_cost_flow

        # Senders and receivers are separate nodes (zone z sends as z, receives as n + z), so
        # no zone passes on more workers than it has.
        n = len(excess)
        smcf = min_cost_flow.SimpleMinCostFlow()
        capacity = np.full(len(self.arc_from), int(np.abs(excess).sum()) + 1, dtype=np.int64)
        arcs = smcf.add_arcs_with_capacity_and_unit_cost(
            self.arc_from, n + self.arc_to, capacity, self.arc_cost
        )
        supplies = np.concatenate([np.maximum(excess, 0), np.minimum(excess, 0)])
        smcf.set_nodes_supplies(np.arange(2 * n), supplies.astype(np.int64))
        status = smcf.solve_max_flow_with_min_cost()
        if status != smcf.OPTIMAL:
            raise RuntimeError(f"rebalancing flow: OR-Tools returned status {status}")
        return smcf.flows(arcs)

    def _assign(
        self, flow: np.ndarray, free: np.ndarray, zone: np.ndarray, view: IdleView
    ) -> Moves:
        """Pick, per sending zone, its longest-idle workers for the arcs leaving it."""
        used = np.flatnonzero(flow > 0)
        if len(used) == 0:
            return Moves.none()
        order = np.lexsort((-view.idle_s[free], zone))  # by zone, longest idle first
        by_zone = free[order]
        start = np.searchsorted(zone[order], np.arange(self.grid.n_zones))
        counts = flow[used]
        senders = self.arc_from[used]
        # k-th worker of a zone's queue: offset by what earlier arcs from that zone took.
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        taken_before = first - first[np.searchsorted(senders, senders)]
        rank = np.repeat(start[senders] + taken_before - first, counts) + np.arange(counts.sum())
        dest = np.repeat(self.arc_to[used], counts)
        corner = self.grid.centres[dest] - 0.5 * self.grid.zone_km
        jitter = self.rng.random((len(dest), 2)) * self.grid.zone_km
        limit = np.array([self.grid.width_km, self.grid.height_km])
        return Moves(by_zone[rank], np.clip(corner + jitter, 0.0, limit))
