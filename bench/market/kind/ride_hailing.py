"""``ride_hailing``: riders and drivers on a plane.

A task is a trip from its origin to its destination. Its candidates are its ``k`` nearest idle
workers within ``radius_km`` of road (:func:`gigbench.market.kind.candidates.nearest_workers`);
a worker reaches it in ``pickup_km / speed * 60`` minutes at the hour's travel speed (the
scenario's ``speed_kmh_by_hour``) and ends the job at the drop-off. Zones are squares of the
scenario's plane.
"""

from __future__ import annotations

import numpy as np

from gigbench.errors import ConfigError
from gigbench.market.context import MarketContext
from gigbench.market.kind.base import MarketKind, MoveView, PoolView
from gigbench.market.kind.candidates import Candidates, nearest_workers
from gigbench.market.zones import ZoneGrid

__all__ = ["RideHailing"]


class RideHailing(MarketKind):
    """Trips on a plane, served by the nearest drivers."""

    name = "ride_hailing"

    def bind(self, context: MarketContext) -> None:
        """The scenario's plane and speeds (a scenario without a geography is refused)."""
        super().bind(context)
        if context.info.geography is None:
            raise ConfigError(
                f"market kind {self.name!r} needs a geography, got a scenario of generator "
                f"{context.info.generator!r} without one; state the plane and the speeds in its "
                "ScenarioMeta, or its market kind (e.g. freelance)"
            )
        self.speeds = np.asarray(context.info.speed_kmh_by_hour, dtype=np.float64)

    def candidates(self, view: PoolView) -> Candidates:
        """Each open task's ``k`` nearest idle workers within ``radius_km`` of road."""
        origin = self.context.origin_xy[view.task]
        return nearest_workers(view.worker_xy, origin, view.k, view.radius_km, view.detour)

    def reach_minutes(self, km: np.ndarray, now: float) -> np.ndarray:
        """``km`` at the hour's travel speed."""
        return km / self.travel_kmh(now) * 60.0

    def travel_kmh(self, now: float) -> float:
        """The travel speed of the hour ``now`` falls in."""
        return float(self.speeds[int(now // 3600) % 24])

    def end_positions(self, view: MoveView) -> np.ndarray:
        """The drop-offs."""
        return self.context.dest_xy[view.task]

    def grid(self, zone_km: float, key: str) -> ZoneGrid:
        """``zone_km`` squares over the scenario's plane."""
        return ZoneGrid.over(self.context.info.geography, zone_km, key)
