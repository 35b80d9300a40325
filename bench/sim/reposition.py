"""Stage: idle workers drive toward the targets their repositioning policy gives them.

A moving worker advances ``cruise_kmh * interval_s`` road kilometres per batch (straight-line
progress = road km / detour; ``cruise_kmh`` 0 is the market kind's travel speed of the hour,
:meth:`gigbench.market.kind.MarketKind.travel_kmh`) and stops at its target, where it waits
again; the road kilometres count as ``cruise_km`` and cost the worker ``cost_per_km``. A
matched worker stops cruising.
"""

from __future__ import annotations

import numpy as np

from gigbench.market.reposition import IdleView
from gigbench.sim.state import Batch, SimState, stage

__all__ = ["drive"]


@stage("reposition")
def drive(state: SimState, batch: Batch) -> None:
    """Advance moving idle workers, then let the policy give new targets."""
    policy = state.spec.reposition
    if not policy.moves_workers():
        return
    fleet, idle = state.fleet, batch.idle
    _advance(state, batch, idle[fleet.moving[idle]])
    view = IdleView(
        now=batch.now,
        xy=fleet.position[idle],
        idle_s=batch.now - fleet.idle_since[idle],
        moving=fleet.moving[idle],
        target_xy=fleet.target[idle],
        arrivals_xy=state.tasks.origin[batch.arrived],
    )
    moves = policy.decide(view)
    chosen = idle[moves.worker]
    fleet.target[chosen] = moves.target_xy
    fleet.moving[chosen] = True


def _advance(state: SimState, batch: Batch, workers: np.ndarray) -> None:
    if len(workers) == 0:
        return
    fleet, s = state.fleet, state.settings
    speed = state.spec.reposition.params.cruise_kmh or state.kind.travel_kmh(batch.now)
    reach = speed * s.interval_s / 3600.0 / s.detour  # straight-line km this batch
    gap = fleet.target[workers] - fleet.position[workers]
    dist = np.hypot(gap[:, 0], gap[:, 1])
    step = np.minimum(dist, reach)
    fraction = np.divide(step, dist, out=np.ones_like(dist), where=dist > 0)
    fleet.position[workers] += gap * fraction[:, None]
    fleet.cruise_km[workers] += step * s.detour
    there = workers[step >= dist]
    fleet.moving[there] = False
    fleet.target[there] = np.nan
    fleet.idle_since[there] = batch.now
