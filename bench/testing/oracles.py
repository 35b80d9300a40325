"""Brute-force oracles for small problems: the ground truth the conformance suite trusts."""

from __future__ import annotations

from itertools import combinations

import numpy as np

from gigbench.solvers import Problem


def brute_force(problem: Problem) -> float | None:
    """Optimal objective (problem sense) by dynamic programming over column subsets.

    Exponential in the number of columns; for n_cols <= 10. None when a full problem is
    infeasible.
    """
    if problem.n_cols > 12:
        raise ValueError(f"brute force is for n_cols <= 12, got {problem.n_cols}")
    gains = problem.gains.astype(np.float64)
    best = {0: 0.0}
    for i in range(problem.n_rows):
        start, end = problem.indptr[i], problem.indptr[i + 1]
        neighbours = list(range(start, end))
        options = [
            subset
            for size in range(0, int(problem.row_capacity[i]) + 1)
            for subset in combinations(neighbours, size)
        ]
        nxt: dict[int, float] = {}
        for mask, value in best.items():
            for subset in options:
                bits = 0
                for e in subset:
                    bits |= 1 << int(problem.indices[e])
                if bits & mask or bin(bits).count("1") != len(subset):
                    continue
                total = value + sum(gains[e] for e in subset)
                key = mask | bits
                if total > nxt.get(key, -np.inf):
                    nxt[key] = total
        best = nxt
    if problem.full:
        feasible = [v for m, v in best.items() if bin(m).count("1") == problem.required_matches]
        if not feasible:
            return None
        top = max(feasible)
    else:
        top = max(best.values())
    return top if problem.sense == "max" else -top
