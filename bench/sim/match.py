"""Stage: the solver matches the batch's weighted graph, and the checker validates it.

A batch without a candidate edge never calls the solver. Times: ``solve`` is the solver's
``solve()`` alone, ``prepare`` its untimed set-up, ``validate`` the checker, as
:func:`solvers.run` measures them; building the :class:`solvers.Problem` counts as ``match``.
"""

from __future__ import annotations

import numpy as np

from bench.market.objective import total
from bench.sim.state import Batch, SimState, stage
from solvers import Problem, Solver, run

__all__ = ["solve"]


@stage("match")
def solve(state: SimState, batch: Batch, solver: Solver) -> None:
    """Build the batch's problem, solve and validate it."""
    cand, fleet = batch.cand, state.fleet
    if len(cand) == 0:
        return
    problem = Problem.from_edges(
        len(batch.idle),
        len(batch.open),
        cand.worker,
        cand.task,
        total(batch.terms),
        row_capacity=batch.free,
        # Side data for constrained solvers (milp's income floors and max-min earnings).
        edge_data={"income": batch.pay[cand.task]},
        row_data={
            "earned": fleet.pay[batch.idle],
            "hours": np.maximum((batch.now - fleet.online[batch.idle]) / 3600.0, 0.25),
        },
    )
    solution = run(solver, problem)
    for key in ("prepare", "solve", "validate"):
        state.seconds[f"solver_{key}"] += float(solution.stats.get(f"{key}_seconds", 0.0))
    state.batches["solve_s"][batch.number] = solution.stats.get("solve_seconds", 0.0)
    batch.problem, batch.solution = problem, solution
    if state.recorder is not None:
        state.recorder.add(batch.number, batch.now, problem)
