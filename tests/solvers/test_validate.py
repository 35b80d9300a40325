"""The checker catches every way a solution can be wrong."""

from __future__ import annotations

import numpy as np
import pytest

from gigbench.solvers import InvalidSolution, Problem, Solution, Status, get_solver, run, validate
from gigbench.solvers.duals import NotOptimalError, matching_duals

W = np.array([[5, 1, 0], [4, 6, 2]])


def _solution(rows, cols, objective, status=Status.FEASIBLE, **extra) -> Solution:
    return Solution(np.array(rows), np.array(cols), objective, status, **extra)


def test_accepts_a_correct_solution() -> None:
    p = Problem.from_dense(W)
    report = validate(p, _solution([0, 1], [0, 1], 11))
    assert report.objective == 11 and report.n_matched == 2


@pytest.mark.parametrize(
    ("rows", "cols", "objective", "message"),
    [
        ([0, 1], [0, 0], 9, "matched more than once"),
        ([0, 0], [0, 1], 6, "capacity 1"),
        ([0, 1], [0, 1], 12, "reported objective 12"),
        ([1, 0], [1, 0], 11, "sorted by row"),
        ([0, 2], [0, 1], 11, "row index out of range"),
        ([0], [3], 0, "column index out of range"),
    ],
)
def test_rejects_broken_solutions(rows, cols, objective, message) -> None:
    with pytest.raises(InvalidSolution, match=message):
        validate(Problem.from_dense(W), _solution(rows, cols, objective))


def test_rejects_forbidden_pair() -> None:
    p = Problem.from_edges(2, 2, [0, 1], [0, 1], [1, 1])
    with pytest.raises(InvalidSolution, match="not an edge"):
        validate(p, _solution([0], [1], 1))


def test_rejects_false_infeasible_and_incomplete_full_matching() -> None:
    p = Problem.from_cost_matrix(np.array([[1, 2], [3, 4]]))
    with pytest.raises(InvalidSolution, match="claimed INFEASIBLE"):
        validate(p, Solution.infeasible())
    with pytest.raises(InvalidSolution, match="needs 2 pairs"):
        validate(p, _solution([0], [0], 1))
    with pytest.raises(InvalidSolution, match="never infeasible"):
        validate(Problem.from_dense(W), Solution.infeasible())


def test_rejects_bad_duals() -> None:
    p = Problem.from_dense(W)
    good = run(get_solver("hungarian"), p)
    with pytest.raises(InvalidSolution, match="dual infeasible"):
        validate(
            p,
            _solution(
                [0, 1], [0, 1], 11, Status.OPTIMAL, row_dual=np.zeros(2), col_dual=np.zeros(3)
            ),
        )
    with pytest.raises(InvalidSolution, match="claimed OPTIMAL"):
        validate(
            p,
            _solution(
                [0, 1],
                [0, 1],
                11,
                Status.OPTIMAL,
                row_dual=good.row_dual + 1,
                col_dual=good.col_dual,
            ),
        )


def test_duals_prove_optimality_and_reject_a_suboptimal_matching() -> None:
    p = Problem.from_dense(W)
    u, v = matching_duals(p, np.array([0, 1]), np.array([0, 1]))
    assert u.sum() + v.sum() == 11
    with pytest.raises(NotOptimalError):
        matching_duals(p, np.array([0, 1]), np.array([1, 0]))


def test_worker_and_task_optimal_duals_bracket_the_prices() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        p = Problem.from_dense(rng.integers(0, 50, (5, 7)))
        s = run(get_solver("hungarian"), p)
        u_w, v_w = matching_duals(p, s.row_ind, s.col_ind, favour="rows")
        u_t, v_t = matching_duals(p, s.row_ind, s.col_ind, favour="cols")
        assert np.all(v_w <= v_t + 1e-9) and np.all(u_w >= u_t - 1e-9)
        assert np.isclose(u_w.sum() + v_w.sum(), s.objective)
        assert np.isclose(u_t.sum() + v_t.sum(), s.objective)
