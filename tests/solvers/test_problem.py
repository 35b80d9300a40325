"""Problem constructors: scipy's semantics, CSR layout, and clear errors on bad input."""

from __future__ import annotations

import numpy as np
import pytest

from gigbench.solvers import Problem, ProblemError


def test_from_edges_sorts_into_csr_and_keeps_side_data_aligned() -> None:
    p = Problem.from_edges(3, 2, [2, 0, 0], [1, 1, 0], [5, 7, 9], edge_data={"pay": [50, 70, 90]})
    assert p.indptr.tolist() == [0, 2, 2, 3]
    assert p.indices.tolist() == [0, 1, 1]
    assert p.weights.tolist() == [9, 7, 5]
    assert p.edge_data["pay"].tolist() == [90, 70, 50]
    assert p.weights.dtype == np.int64 and p.is_integer


def test_cost_matrix_forbidden_pairs_and_sense() -> None:
    p = Problem.from_cost_matrix(np.array([[1.0, np.inf], [2.0, 3.0]]))
    assert p.sense == "min" and p.full and p.n_edges == 3
    assert p.required_matches == 2
    assert p.gains.tolist() == [-1.0, -2.0, -3.0]


def test_dense_max_form_uses_minus_inf_as_forbidden() -> None:
    p = Problem.from_dense(np.array([[1.0, -np.inf, 3.0]]))
    assert p.n_edges == 2 and not p.full


def test_arrays_are_read_only() -> None:
    p = Problem.from_dense(np.ones((2, 2)))
    with pytest.raises(ValueError):
        p.weights[0] = 5


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"weights": [1.0, np.nan]}, ProblemError, "expected finite numbers, got nan"),
        ({"weights": [1.0, np.inf]}, ProblemError, "expected finite numbers, got inf"),
        ({"weights": [1.0]}, ProblemError, "same length"),
        ({"cols": [0, 5]}, ProblemError, r"expected indices in \[0, 2\)"),
        ({"rows": [0, -1]}, ProblemError, r"expected indices in \[0, 2\)"),
        ({"rows": [0, 0], "cols": [1, 1]}, ProblemError, "duplicate edge"),
        ({"weights": ["a", "b"]}, TypeError, "expected integer or float numbers"),
        ({"weights": [True, False]}, TypeError, "expected integer or float numbers"),
        ({"rows": [0.0, 1.0]}, TypeError, "expected integer indices"),
        ({"n_rows": -1}, ProblemError, "expected a non-negative int, got -1"),
        ({"n_rows": 2.5}, TypeError, "expected a non-negative int, got float"),
        ({"row_capacity": [1]}, ProblemError, "expected 2 entries"),
        ({"row_capacity": [1, -2]}, ProblemError, "non-negative counts"),
        ({"row_capacity": [1.5, 1.0]}, TypeError, "expected integers"),
        ({"sense": "maximise"}, ProblemError, "expected 'max' or 'min'"),
        ({"rows": [[0, 1]]}, ProblemError, "expected a 1-D array"),
        ({"edge_data": {"pay": [1.0]}}, ProblemError, "one per edge"),
        ({"row_data": {"floor": [1.0]}}, ProblemError, "one per row"),
    ],
)
def test_bad_edges_get_clear_errors(kwargs, error, message) -> None:
    args = {"n_rows": 2, "n_cols": 2, "rows": [0, 1], "cols": [0, 1], "weights": [1.0, 2.0]}
    args |= kwargs
    n_rows, n_cols = args.pop("n_rows"), args.pop("n_cols")
    rows, cols, weights = args.pop("rows"), args.pop("cols"), args.pop("weights")
    with pytest.raises(error, match=message):
        Problem.from_edges(n_rows, n_cols, rows, cols, weights, **args)


def test_dense_needs_a_matrix() -> None:
    with pytest.raises(ProblemError, match="expected a matrix"):
        Problem.from_dense(np.ones(3))
    with pytest.raises(ProblemError, match="expected finite numbers"):
        Problem.from_cost_matrix(np.array([[1.0, -np.inf]]))


def test_csr_constructor_checks_indptr() -> None:
    with pytest.raises(ProblemError, match="expected n_rows \\+ 1"):
        Problem.from_csr(2, 2, [0, 1], [0], [1])
    with pytest.raises(ProblemError, match="non-decreasing"):
        Problem.from_csr(2, 2, [0, 2, 1], [0, 1], [1, 2])
    p = Problem.from_csr(2, 3, [0, 2, 3], [2, 0, 1], [1.0, 2.0, 3.0])
    assert p.indices.tolist() == [0, 2, 1]


def test_edge_weight_rejects_non_edges() -> None:
    p = Problem.from_edges(2, 2, [0], [1], [4])
    assert p.edge_weight(np.array([0]), np.array([1])).tolist() == [4]
    with pytest.raises(ProblemError, match="not an edge"):
        p.edge_weight(np.array([1]), np.array([1]))


def _batch_edges(seed: int) -> dict:
    """A simulated batch's edges as the simulation builds them: task-major, rows unsorted."""
    rng = np.random.default_rng(seed)
    n_rows, n_cols = 40, 9
    keys = rng.choice(n_rows * n_cols, 60, replace=False)
    rows, cols = keys % n_rows, keys // n_rows
    return {
        "n_rows": n_rows, "n_cols": n_cols, "rows": rows.astype(np.int64),
        "cols": cols.astype(np.int64), "weights": rng.integers(-50, 900, len(keys)),
        "row_capacity": rng.integers(0, 3, n_rows),
        "edge_data": {"income": rng.random(len(keys))}, "row_data": {"hours": rng.random(n_rows)},
    }  # fmt: skip


@pytest.mark.parametrize("checked", ["1", "0"])
def test_trusted_edges_build_the_same_problem(monkeypatch, checked: str) -> None:
    monkeypatch.setenv("GIGBENCH_CHECK_PROBLEMS", checked)
    for seed in range(5):
        edges = _batch_edges(seed)
        trusted, checked_problem = Problem.from_trusted_edges(**edges), Problem.from_edges(**edges)
        for field in ("indptr", "indices", "weights", "row_capacity"):
            assert np.array_equal(getattr(trusted, field), getattr(checked_problem, field))
        assert np.array_equal(trusted.edge_data["income"], checked_problem.edge_data["income"])
        assert trusted.row_data["hours"] is edges["row_data"]["hours"]


def test_the_debug_switch_checks_trusted_edges(monkeypatch) -> None:
    edges = _batch_edges(0)
    edges["cols"][1] = edges["cols"][0]
    edges["rows"][1] = edges["rows"][0]  # the same pair twice: a bug in the caller
    monkeypatch.setenv("GIGBENCH_CHECK_PROBLEMS", "1")
    with pytest.raises(ProblemError, match="duplicate edge"):
        Problem.from_trusted_edges(**edges)
    monkeypatch.setenv("GIGBENCH_CHECK_PROBLEMS", "0")
    Problem.from_trusted_edges(**edges)  # trusted: not checked
