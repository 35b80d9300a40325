"""Stage: the solver matches the batch's weighted graph, and the checker validates it.

Ties are broken the same way for every solver: the objective's weight ``w`` of the edge
(worker i, task j) becomes ``w * B + r_ij`` with ``r_ij`` in ``[0, R)`` a fixed hash of the
worker's and task's ids and ``B = R * min(rows, cols)``, so no matching's tie-break sum reaches
one unit of ``w``: an optimum of the new weights is an optimum of the old, and two matchings
that tie on ``w`` tie on the new weights with probability about ``1 / R``. ``R`` is 2**16
(with 2**10 and a hash of each id apart, 1 batch in about 3,000 of a calibrated nyc day kept a
tie, and the day's trajectory then depended on the solver), halved while the new weights could
exceed 2**50 over a matching's worth of rows and columns, so every exact solver stays exact on
them. Exact solvers then return the same matching batch after batch, and a day's figures do not
depend on which exact solver ran.
A batch without a candidate edge never calls the solver. Times: ``solve`` is the solver's
``solve()`` alone, ``prepare`` its untimed set-up, ``validate`` the checker, as
:func:`gigbench.solvers.run` measures them; building the :class:`gigbench.solvers.Problem` counts
as ``match``.
"""

from __future__ import annotations

import numpy as np

from gigbench.market.objective import total
from gigbench.sim.state import Batch, SimState, stage
from gigbench.solvers import Problem, Solver, run

__all__ = ["TIE_RANGE", "miniature", "solve", "tie_range_for", "unique_optimum"]

TIE_RANGE = 1 << 16  # R at most: two tied optima stay tied with probability about 1 / R
WEIGHT_ROOM = 1 << 50  # bound on max|new w| * (rows + cols + 2): float64-exact for every solver


@stage("match")
def solve(state: SimState, batch: Batch, solver: Solver) -> None:
    """Build the batch's problem, solve and validate it."""
    cand, fleet = batch.cand, state.fleet
    if len(cand) == 0:
        return
    weights, batch.weight_scale = unique_optimum(
        total(batch.terms),
        fleet.ids[batch.idle[cand.worker]],
        state.tasks.ids[batch.open[cand.task]],
        min(len(batch.idle), len(batch.open)),
        len(batch.idle) + len(batch.open),
    )
    # Arrays this simulation built: the trusted constructor sorts them and skips the checks
    # (GIGBENCH_CHECK_PROBLEMS=1 runs them, as the tests do).
    problem = Problem.from_trusted_edges(
        len(batch.idle),
        len(batch.open),
        cand.worker,
        cand.task,
        weights,
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


def miniature() -> Problem:
    """A batch's problem in miniature: six idle workers, two open tasks, two allowed pairs, with
    the weights' dtype and the side data of :func:`solve`'s problems. The harness prepares the
    solver on it before a run (:func:`gigbench.harness.run.warm_up`), so that forked runs
    start with what the solver needs for such problems imported: ``hungarian`` then loads its
    sparse path (scipy.sparse.csgraph) and not scipy.optimize (0.3-0.7 s of a fresh process),
    which a batch that sparse never uses."""
    return Problem.from_edges(
        6, 2, np.array([0, 3]), np.array([0, 1]), np.array([3, 2], dtype=np.int64),
        row_capacity=np.ones(6, dtype=np.int64),
        edge_data={"income": np.ones(2)},
        row_data={"earned": np.zeros(6), "hours": np.ones(6)},
    )  # fmt: skip


def unique_optimum(
    weights: np.ndarray, worker_ids: np.ndarray, task_ids: np.ndarray, pairs: int, nodes: int
) -> tuple[np.ndarray, int]:
    """``weights * B + r`` and ``B`` (module docs); ``pairs`` bounds the edges of a matching,
    ``nodes`` is rows + columns."""
    tie_range = tie_range_for(int(np.abs(weights).max(initial=0)), pairs, nodes)
    scale = tie_range * max(pairs, 1)
    noise = (_pair_hash(worker_ids, task_ids) >> np.uint64(40)) % np.uint64(tie_range)
    return weights * scale + noise.astype(np.int64), scale


def _pair_hash(worker_ids: np.ndarray, task_ids: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser of ``worker * phi + task`` (uint64, wrapping): every bit depends
    on both ids. (A XOR of one hash per id kept a 2-swap tied whenever, bit by bit, the two
    workers or the two tasks agreed: about 1 swap in 100 with 16 bits, not 1 in 2**16.)"""
    with np.errstate(over="ignore"):
        z = worker_ids.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + task_ids.astype(
            np.uint64
        )
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def tie_range_for(w_max: int, pairs: int, nodes: int) -> int:
    """The largest power of two ``R <= TIE_RANGE`` with ``(w_max + 1) R pairs (nodes + 2)``
    within ``WEIGHT_ROOM`` (1 when even ``R = 1`` is not)."""
    room = WEIGHT_ROOM // ((w_max + 1) * max(pairs, 1) * (nodes + 2))
    return max(1, min(TIE_RANGE, 1 << max(room.bit_length() - 1, 0)))
