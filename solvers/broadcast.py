"""Broadcast dispatch: the baseline many platforms started with, and some still run.

Each task, in arrival (column) order, is offered to its ``offers`` best workers that still have
capacity; the first to tap "accept" wins, modelled as a uniformly random one of them (response
times are independent of the offer). No optimisation across tasks, so it is the floor the
optimising dispatchers are measured against. Seeded: the same seed and the same sequence of
problems give the same matches. On a full (scipy-form) problem it is not defined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.solvers.base import Solver
from gigbench.solvers.problem import Problem, Solution, Status


class Broadcast(Solver):
    """Offer each task to its best few free workers; a random one of them wins."""

    name = "broadcast"
    exact = False

    @dataclass(frozen=True)
    class Params:
        """offers: how many workers see each task; seed: the responders' random stream."""

        offers: int = 3
        seed: int = 0

        def check(self) -> None:
            """At least one worker must see each offer."""
            if self.offers < 1:
                raise ValueError(f"broadcast offers: expected at least 1, got {self.offers}")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rng = np.random.default_rng(self.params.seed)

    def skip(self, problem: Problem) -> str | None:
        """Broadcast cannot promise a complete matching."""
        return (
            "broadcast cannot promise the complete matching a full problem needs"
            if (problem.full)
            else None
        )

    def prepare(self, problem: Problem) -> None:
        """Load the kernel outside the timed solve (compiled at its module's first import, see
        :mod:`gigbench.solvers._jit`)."""
        from gigbench.solvers import _greedy_kernels

        self.kernels = _greedy_kernels
        super().prepare(problem)

    def solve(self) -> Solution:
        """One pass over the tasks in order."""
        p = self.problem
        col_edges = np.argsort(p.indices, kind="stable")
        col_ptr = np.zeros(p.n_cols + 1, dtype=np.int64)
        np.cumsum(np.bincount(p.indices, minlength=p.n_cols), out=col_ptr[1:])
        chosen = self.kernels.broadcast_offers(
            col_ptr,
            col_edges,
            p.edge_rows,
            p.gains,
            p.row_capacity,
            self.params.offers,
            self.rng.random(p.n_cols),
        )
        return Solution.from_pairs(p, p.edge_rows[chosen], p.indices[chosen], Status.FEASIBLE)


__all__ = ["Broadcast"]
