"""Shared reshaping of problems for solvers that handle unit capacities only."""

from __future__ import annotations

import numpy as np

from gigbench.solvers.problem import Problem


def expand_rows(problem: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Replace every row of capacity ``c`` by ``c`` unit copies.

    Returns ``(copy_of, edge_rows, edge_cols, edge_ids)``: the original row of every copy and
    the copies' edge list (rows are copy indices), with ``edge_ids`` pointing into the
    problem's edge arrays.
    """
    capacity = problem.row_capacity
    if problem.has_unit_capacity:
        copy_of = np.arange(problem.n_rows, dtype=np.int64)
        return copy_of, problem.edge_rows, problem.indices, np.arange(problem.n_edges)
    copy_of = np.repeat(np.arange(problem.n_rows, dtype=np.int64), capacity)
    starts, ends = problem.indptr[copy_of], problem.indptr[copy_of + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    edge_ids = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    edge_rows = np.repeat(np.arange(len(copy_of), dtype=np.int64), lengths)
    return copy_of, edge_rows, problem.indices[edge_ids], edge_ids
