"""Stage: candidate edges of a batch.

The market kind searches them (:meth:`gigbench.market.kind.MarketKind.candidates`: in
ride-hailing each open task's ``k`` nearest idle workers within ``radius_km`` of road, in
freelance its ``k`` cheapest idle workers who hold its skill); then a pair whose worker lacks
the task's skill is dropped, whatever the kind. On real platforms building this graph often
costs more than the matching, so it is timed apart.
"""

from __future__ import annotations

from gigbench.market.kind import PoolView
from gigbench.market.kind.candidates import holds
from gigbench.sim.state import Batch, SimState, stage

__all__ = ["find"]


@stage("candidates")
def find(state: SimState, batch: Batch) -> None:
    """Fill ``batch.cand`` with the batch's candidate edges."""
    s, fleet, tasks = state.settings, state.fleet, state.tasks
    view = PoolView(
        now=batch.now,
        task=batch.open,
        worker_xy=fleet.position[batch.idle],
        worker_skills=fleet.skills[batch.idle],
        worker_wage=fleet.wage[batch.idle],
        k=s.k,
        radius_km=s.radius_km,
        detour=s.detour,
    )
    cand = state.kind.candidates(view)
    ok = holds(fleet.skills[batch.idle[cand.worker]], tasks.skill[batch.open[cand.task]])
    batch.cand = cand if ok.all() else cand.subset(ok)
