"""greedy: the two dispatch rules do what they say, and the reported bound holds."""

from __future__ import annotations

import numpy as np

from gigbench.solvers import Problem, Status, get_solver, run


def test_best_edge_takes_the_heaviest_edge_first() -> None:
    # Best edge (0,0)=10 blocks the optimum (0,1)+(1,0)=9+9.
    problem = Problem.from_dense(np.array([[10, 9], [9, 0]]))
    solution = run(get_solver("greedy"), problem)
    assert solution.row_ind.tolist() == [0] and solution.col_ind.tolist() == [0]
    assert solution.status == Status.FEASIBLE
    assert solution.stats["upper_bound"] >= 18


def test_nearest_serves_tasks_in_arrival_order() -> None:
    # Task 0 arrives first and takes worker 0, its best, although task 1 values it more.
    problem = Problem.from_dense(np.array([[5, 9], [4, 1]]))
    solution = run(get_solver("greedy", strategy="nearest"), problem)
    assert dict(zip(solution.col_ind.tolist(), solution.row_ind.tolist(), strict=True)) == {
        0: 0,
        1: 1,
    }


def test_gap_is_an_upper_bound_on_the_real_gap() -> None:
    rng = np.random.default_rng(11)
    for _ in range(50):
        problem = Problem.from_dense(
            rng.integers(-5, 50, (8, 11)), row_capacity=rng.integers(0, 3, 8)
        )
        greedy = run(get_solver("greedy"), problem)
        exact = run(get_solver("hungarian"), problem)
        assert greedy.stats["upper_bound"] >= exact.objective
        assert greedy.objective >= 0.5 * exact.objective  # best-edge-first is a 1/2-approximation


def test_full_problem_is_completed_by_augmenting_paths() -> None:
    # Greedy takes (0,0) first; only augmenting completes the full matching.
    cost = np.array([[1.0, 2.0], [3.0, np.inf]])
    solution = run(get_solver("greedy"), Problem.from_cost_matrix(cost))
    assert solution.n_matched == 2 and solution.objective == 5.0


def test_broadcast_with_one_offer_is_nearest_dispatch() -> None:
    rng = np.random.default_rng(8)
    for _ in range(20):
        problem = Problem.from_dense(rng.integers(1, 50, (9, 7)))
        broadcast = run(get_solver("broadcast", offers=1), problem)
        nearest = run(get_solver("greedy", strategy="nearest"), problem)
        assert broadcast.col_ind.tolist() == nearest.col_ind.tolist()
        assert broadcast.objective == nearest.objective


def test_broadcast_is_seeded_and_spreads_offers() -> None:
    problem = Problem.from_dense(np.array([[10, 10], [9, 9], [8, 8]]))
    first = [
        run(get_solver("broadcast", offers=3, seed=s), problem).row_ind.tolist() for s in range(8)
    ]
    again = [
        run(get_solver("broadcast", offers=3, seed=s), problem).row_ind.tolist() for s in range(8)
    ]
    assert first == again
    assert len({tuple(rows) for rows in first}) > 1  # different responders win
