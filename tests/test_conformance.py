"""Conformance: one table of cases run against every registered solver.

A new solver is covered here without any edit: exact solvers must match brute force (small
cases) and hungarian (larger ones); heuristics must be feasible and no better than the optimum.
Every solution passes through ``gigbench.solvers.run``, which calls the one independent checker.
"""

from __future__ import annotations

import numpy as np
import pytest
from oracles import brute_force

from gigbench.solvers import (
    Problem,
    SkipProblem,
    Status,
    available_solvers,
    get_solver,
    run,
    solver_class,
)


def _random_dense(rng, shape, low=-5, high=20, forbid=0.0, sense="max", integer=True):
    values = rng.integers(low, high, shape) if integer else rng.uniform(low, high, shape)
    values = values.astype(np.float64)
    values[rng.random(shape) < forbid] = -np.inf if sense == "max" else np.inf
    if integer and forbid == 0.0:
        values = values.astype(np.int64)
    return values


def _cases() -> dict[str, Problem]:
    rng = np.random.default_rng(20261127)
    cases = {
        "square": Problem.from_dense(_random_dense(rng, (6, 6))),
        "wide": Problem.from_dense(_random_dense(rng, (3, 7))),
        "tall": Problem.from_dense(_random_dense(rng, (7, 3))),
        "forbidden": Problem.from_dense(_random_dense(rng, (6, 6), forbid=0.4)),
        "ties": Problem.from_dense(np.full((5, 5), 7, dtype=np.int64)),
        "negative": Problem.from_dense(_random_dense(rng, (5, 6), low=-30, high=-1)),
        "mixed_sign": Problem.from_dense(_random_dense(rng, (6, 5), low=-10, high=10)),
        "float": Problem.from_dense(_random_dense(rng, (6, 6), integer=False)),
        "capacity": Problem.from_dense(
            _random_dense(rng, (3, 7), low=0), row_capacity=np.array([2, 3, 1])
        ),
        "capacity_zero": Problem.from_dense(
            _random_dense(rng, (4, 4), low=1), row_capacity=np.array([0, 1, 2, 0])
        ),
        "min_square": Problem.from_cost_matrix(_random_dense(rng, (6, 6), low=0, sense="min")),
        "min_wide": Problem.from_cost_matrix(
            _random_dense(rng, (4, 7), low=0, forbid=0.3, sense="min")
        ),
        "min_tall": Problem.from_cost_matrix(
            _random_dense(rng, (7, 4), low=0, forbid=0.3, sense="min")
        ),
        "min_negative_costs": Problem.from_cost_matrix(
            _random_dense(rng, (5, 5), low=-20, high=5, sense="min")
        ),
        # scipy's own documented example (linear_sum_assignment docstring): optimum 5.
        "scipy_doc": Problem.from_cost_matrix(np.array([[4, 1, 3], [2, 0, 5], [3, 2, 2]])),
        "sparse_edges": Problem.from_edges(
            5, 8, [0, 0, 1, 2, 3, 3, 4], [1, 7, 1, 5, 2, 7, 0], [4, 9, 6, 2, 8, 3, 1]
        ),
        "no_edges": Problem.from_edges(4, 3, [], [], np.zeros(0, dtype=np.int64)),
        "empty_rows": Problem.from_dense(np.zeros((0, 4), dtype=np.int64)),
        "empty_cols": Problem.from_dense(np.zeros((4, 0), dtype=np.int64)),
        "empty_full": Problem.from_cost_matrix(np.zeros((0, 0))),
    }
    infeasible = np.array([[1, np.inf, 3], [np.inf, np.inf, np.inf], [2, 4, np.inf]])
    cases["infeasible_row"] = Problem.from_cost_matrix(infeasible)
    hall = np.full((4, 4), np.inf)
    hall[:, 0] = 1.0
    hall[0, 1:] = 2.0  # three rows can only use column 0: Hall's condition fails
    cases["infeasible_hall"] = Problem.from_cost_matrix(hall)
    return cases


CASES = _cases()
SOLVERS = available_solvers()
# Paths a registered solver takes only on large problems, run here on the small cases too.
VARIANTS = {"auction[sparse]": ("auction", {"sparse_min_edges": 0})}
RUNS = SOLVERS + [v for v, (name, _) in VARIANTS.items() if name in SOLVERS]


def _base(name: str) -> str:
    """The registered solver of a name in RUNS."""
    return VARIANTS.get(name, (name, {}))[0]


def _run_or_skip(name: str, problem: Problem, **params):
    base, variant = VARIANTS.get(name, (name, {}))
    solver = get_solver(base, **variant, **params)
    try:
        return run(solver, problem)
    except SkipProblem as reason:
        pytest.skip(str(reason))


def _same(a: float, b: float) -> bool:
    return bool(np.isclose(a, b, rtol=1e-7, atol=1e-6))


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("name", RUNS)
def test_matches_brute_force(name: str, case: str) -> None:
    problem = CASES[case]
    optimum = brute_force(problem)
    solution = _run_or_skip(name, problem)
    if optimum is None:
        assert solution.status == Status.INFEASIBLE
        return
    assert solution.status in (Status.OPTIMAL, Status.FEASIBLE)
    if solver_class(_base(name)).exact:
        assert solution.status == Status.OPTIMAL
        assert _same(solution.objective, optimum), (solution.objective, optimum)
    elif problem.sense == "max":
        assert solution.objective <= optimum + 1e-9
    else:
        assert solution.objective >= optimum - 1e-9


def _larger_cases() -> list[tuple[str, Problem]]:
    rng = np.random.default_rng(7)
    out = []
    for n_rows, n_cols in [(40, 40), (25, 60), (60, 25)]:
        out.append(
            (
                f"dense_{n_rows}x{n_cols}",
                Problem.from_dense(rng.integers(0, 1000, (n_rows, n_cols))),
            )
        )
        cost = rng.integers(0, 100, (n_rows, n_cols)).astype(float)
        cost[rng.random(cost.shape) < 0.7] = np.inf
        out.append((f"min_sparse_{n_rows}x{n_cols}", Problem.from_cost_matrix(cost)))
    points = rng.uniform(0, 10, (80, 2))
    tasks = rng.uniform(0, 10, (30, 2))
    dist = np.linalg.norm(points[:, None] - tasks[None], axis=2)
    near = np.argsort(dist, axis=0)[:5]
    rows = near.T.ravel()
    cols = np.repeat(np.arange(30), 5)
    weights = np.round(100 - 10 * dist[rows, cols]).astype(np.int64)
    out.append(("knearest", Problem.from_edges(80, 30, rows, cols, weights)))
    out.append(
        (
            "capacity_60",
            Problem.from_dense(
                rng.integers(-20, 100, (20, 60)), row_capacity=rng.integers(0, 4, 20)
            ),
        )
    )
    return out


LARGER = _larger_cases()


@pytest.mark.parametrize(("case", "problem"), LARGER, ids=[c for c, _ in LARGER])
@pytest.mark.parametrize("name", RUNS)
def test_agrees_with_hungarian(name: str, case: str, problem: Problem) -> None:
    reference = run(get_solver("hungarian"), problem)
    solution = _run_or_skip(name, problem)
    if solver_class(_base(name)).exact:
        assert solution.status == Status.OPTIMAL
        assert _same(solution.objective, reference.objective)
    elif problem.sense == "max":
        assert solution.objective <= reference.objective
    else:
        assert solution.objective >= reference.objective


@pytest.mark.parametrize("name", RUNS)
def test_duals_certify_the_optimum(name: str) -> None:
    cls = solver_class(_base(name))
    if not cls.yields_duals:
        pytest.skip(f"{name} does not return duals")
    for case in ("square", "wide", "tall", "capacity", "min_wide", "min_tall", "forbidden"):
        problem = CASES[case]
        solution = _run_or_skip(name, problem)
        assert solution.row_dual is not None and solution.col_dual is not None
        # run() validated feasibility of the duals and the duality gap; the bound is recorded.
        assert "dual_bound" in solution.stats


@pytest.mark.parametrize("name", SOLVERS)
def test_unknown_parameter_lists_valid_ones(name: str) -> None:
    with pytest.raises(TypeError, match="valid ones are"):
        get_solver(name, no_such_parameter=1)


@pytest.mark.parametrize("name", SOLVERS)
def test_solver_has_docstring_and_schema(name: str) -> None:
    cls = solver_class(name)
    assert cls.name == name
    assert cls.__doc__ and cls.Params.__doc__
    cls()  # default parameters are valid
