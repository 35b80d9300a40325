"""hungarian: published OR-Library optima, dense and sparse paths agree, duals certify."""

from __future__ import annotations

import numpy as np
import pytest

from gigbench.instances import read_orlib
from gigbench.instances.orlib import PUBLISHED_OPTIMA
from gigbench.solvers import Problem, Status, get_solver, run

ORLIB = sorted(PUBLISHED_OPTIMA)


@pytest.mark.parametrize("name", ORLIB)
def test_reaches_published_orlib_optimum(shared_data, name) -> None:
    inst = read_orlib(shared_data / "orlib" / f"{name}.txt")
    problem = Problem.from_edges(
        inst.n, inst.n, inst.rows, inst.cols, inst.costs, sense="min", full=True, name=name
    )
    solution = run(get_solver("hungarian"), problem)
    assert solution.status == Status.OPTIMAL
    assert solution.objective == inst.optimum == PUBLISHED_OPTIMA[name]


@pytest.mark.parametrize("shape", [(30, 30), (20, 45), (45, 20)])
@pytest.mark.parametrize("full", [False, True])
def test_dense_and_sparse_paths_agree(shape, full) -> None:
    rng = np.random.default_rng(sum(shape) + full)
    for _ in range(10):
        weights = rng.integers(-50, 100, shape).astype(float)
        weights[rng.random(shape) < 0.6] = np.inf if full else -np.inf
        problem = Problem.from_cost_matrix(weights) if full else Problem.from_dense(weights)
        dense = run(get_solver("hungarian", method="dense"), problem)
        sparse = run(get_solver("hungarian", method="sparse"), problem)
        assert dense.status == sparse.status
        if dense.status == Status.OPTIMAL:
            assert dense.objective == sparse.objective


@pytest.mark.parametrize("shape", [(1, 1), (8, 8), (5, 12), (12, 5)])
@pytest.mark.parametrize("form", ["max", "min", "full"])
def test_complete_matrix_is_passed_as_is(shape, form) -> None:
    # Every pair an edge (and worth matching in the max forms): scipy gets the weight matrix
    # itself; the answer equals the sparse path's.
    rng = np.random.default_rng(sum(shape))
    weights = rng.integers(1, 100, shape)
    if form == "full":
        problem = Problem.from_cost_matrix(weights)
    else:
        problem = Problem.from_dense(weights if form == "max" else -weights, sense=form)
    dense = run(get_solver("hungarian"), problem)
    sparse = run(get_solver("hungarian", method="sparse"), problem)
    assert dense.stats["method"] == "dense" and sparse.stats["method"] == "sparse"
    assert dense.status == sparse.status == Status.OPTIMAL
    assert dense.objective == sparse.objective
    assert dense.n_matched == min(shape)


def test_capacities_equal_row_copies() -> None:
    rng = np.random.default_rng(5)
    weights = rng.integers(0, 100, (4, 12))
    capacity = np.array([3, 1, 2, 4])
    with_capacity = run(get_solver("hungarian"), Problem.from_dense(weights, row_capacity=capacity))
    copies = run(get_solver("hungarian"), Problem.from_dense(np.repeat(weights, capacity, axis=0)))
    assert with_capacity.objective == copies.objective


def test_agrees_with_scipy_on_its_own_example() -> None:
    cost = np.array([[4, 1, 3], [2, 0, 5], [3, 2, 2]])
    solution = run(get_solver("hungarian"), Problem.from_cost_matrix(cost))
    assert solution.col_ind.tolist() == [1, 0, 2] and solution.objective == 5
