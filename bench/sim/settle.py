"""Stage: the pricing policy sets each matched task's fare; the commission splits it and the pay
rule puts its floor under the worker's share; the worker is paid and the trip is logged."""

from __future__ import annotations

import numpy as np

from gigbench.market.context import SettleView
from gigbench.sim.state import Batch, SimState, stage

__all__ = ["edge_positions", "pay"]


@stage("settle")
def pay(state: SimState, batch: Batch) -> None:
    """Fares, splits, earnings and the trip log for the batch's matched pairs."""
    sol, cand, fleet, log = batch.solution, batch.cand, state.fleet, state.log
    policy = state.spec.pricing
    edge = edge_positions(cand.worker, cand.task, sol.row_ind, sol.col_ind)
    worker, task = batch.idle[sol.row_ind], batch.open[sol.col_ind]
    cost = batch.cost[edge]
    view = SettleView(
        batch.now, task, log.quote[task], cost, batch.problem, sol, batch.weight_scale
    )
    fare = policy.settle(view)
    tasks = state.tasks
    money = state.spec.payout(fare, tasks.km[task], tasks.minutes[task])
    base = policy.base_fare[task]
    log.multiplier[task] = np.divide(fare, base, out=np.ones(len(fare)), where=base > 0)
    fleet.credit(
        worker,
        gross=fare,
        commission=money["commission"] + money["fee"],
        pay=money["worker_pay"],
        trips=np.ones(len(worker), dtype=np.int64),
    )
    figures = {
        "matched_at": batch.now,
        "pickup_min": batch.pickup_min[edge],
        "pickup_km": cand.pickup_km[edge],
        "fare": fare,
        "worker_cost": cost,
        "welfare": tasks.value[task] - cost,
    } | money
    log.record(task, worker, figures, {name: terms[edge] for name, terms in batch.terms.items()})
    batch.matched_edge = edge


def edge_positions(
    edge_worker: np.ndarray, edge_task: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Positions of the matched (row, col) pairs in the candidate edge arrays."""
    width = int(max(edge_task.max(initial=0), cols.max(initial=0))) + 1
    keys = edge_worker * width + edge_task
    order = np.argsort(keys, kind="stable")
    return order[np.searchsorted(keys[order], rows * width + cols)]
