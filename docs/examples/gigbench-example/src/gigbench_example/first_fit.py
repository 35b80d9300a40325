"""Row-by-row first fit: each worker in turn takes its best task still free.

A toy baseline (no paper: the simplest rule a dispatcher could use). Not exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.solvers import Solution, Solver, Status


class FirstFit(Solver):
    """Each row, in index order, takes its highest-gain free column."""

    name = "first_fit"
    exact = False

    @dataclass(frozen=True)
    class Params:
        """min_gain: edges worth less than this are never taken."""

        min_gain: float = 0.0

    def skip(self, problem):
        """Full (scipy-form) problems need a complete matching, which first fit cannot promise."""
        return "needs a complete matching" if problem.full else None

    def solve(self) -> Solution:
        """One pass over the rows; each row fills its capacity with its best free columns."""
        p = self.problem
        taken = np.zeros(p.n_cols, dtype=bool)
        rows, cols = [], []
        for i in range(p.n_rows):
            start, end = p.indptr[i], p.indptr[i + 1]
            load = 0
            for e in start + np.argsort(-p.gains[start:end], kind="stable"):
                if load == p.row_capacity[i] or p.gains[e] <= self.params.min_gain:
                    break
                if not taken[p.indices[e]]:
                    taken[p.indices[e]] = True
                    rows.append(i)
                    cols.append(p.indices[e])
                    load += 1
        return Solution.from_pairs(p, rows, cols, Status.FEASIBLE)
