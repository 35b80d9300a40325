"""Build and solve seconds of every MILP backend: plain assignment and the income-floor model.

    python -m gigbench.perf.milp_table                   # n = 50 100 200 400, all backends
    python -m gigbench.perf.milp_table --sizes 50 100 --backends highs cbc --time-limit 30

Instances are seeded random dense n x n problems with integer weights in [0, 1000). Models:
plain (default lp_when_tu: the LP, a MIP for CP-SAT), plain_mip (lp_when_tu=False) and floor.
The plain models' optimum is checked against hungarian; the income-floor model (income per task in
[1, 50), earnings so far in [0, 100), target 150, penalty 1000) against the highs backend's
optimum. Every solve goes through ``gigbench.solvers.run`` (validated). Prints a Markdown table.
"""

from __future__ import annotations

import argparse

import numpy as np

from gigbench.solvers import Problem, Status, run
from gigbench.solvers.hungarian import Hungarian
from gigbench.solvers.milp import BACKENDS, Milp

MODELS = {  # plain: the LP of the totally unimodular model (CP-SAT: its MIP), plain_mip: MIP
    "plain": {},
    "plain_mip": {"lp_when_tu": False},
    "floor": {"income_floor": True},
}


def instance(n: int, seed: int = 0) -> Problem:
    """A dense n x n batch with income and earnings side data (seeded)."""
    rng = np.random.default_rng(seed + n)
    rows, cols = np.indices((n, n)).reshape(2, -1)
    return Problem.from_edges(
        n,
        n,
        rows,
        cols,
        rng.integers(0, 1000, n * n),
        edge_data={"income": rng.integers(1, 50, n * n)},
        row_data={"earned": rng.integers(0, 100, n), "target": np.full(n, 150)},
        name=f"random{n}",
    )


def main(argv: list[str] | None = None) -> None:
    """Print one Markdown row per (model, n, backend)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=list(BACKENDS))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    args = parser.parse_args(argv)
    for backend in args.backends:  # warm-up: imports and first-call costs stay out of the table
        run(Milp(backend=backend), instance(3))
    print("| model | n | backend | build s | solve s | duals s | status | objective |")
    print("|---|---:|---|---:|---:|---:|---|---:|")
    for model in args.models:
        for n in args.sizes:
            problem = instance(n)
            params = MODELS[model]
            reference = None
            if model != "floor":
                reference = run(Hungarian(), problem).objective
            for backend in args.backends:
                solution = run(Milp(backend=backend, time_limit=args.time_limit, **params), problem)
                value = solution.stats.get("model_objective", solution.objective)
                if reference is None and solution.status == Status.OPTIMAL:
                    reference = value
                ok = solution.status != Status.OPTIMAL or abs(value - reference) < 1e-6
                assert ok, f"{backend} claims OPTIMAL {value}, reference {reference}"
                s = solution.stats
                print(
                    f"| {model} | {n} | {backend} | {s['build_seconds']:.2f} | "
                    f"{s['solve_seconds']:.2f} | {s.get('dual_seconds', 0):.2f} | "
                    f"{solution.status} | {value:g} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
