"""The MILP of :mod:`gigbench.solvers.milp` as arrays, written once and loaded by every backend.

    maximise    cost . y
    subject to  row_lower <= A y <= row_upper,   lower <= y <= upper,   y_j integer if integer[j]

The variables ``y`` are, in this order: one binary ``x_e`` per edge, one slack ``s_i >= 0`` per
worker (income floor), the minimum earnings ``z`` (max-min) and the integer share cap ``k``;
absent families add no variables. Each constraint family is one block of rows, built in bulk
from the CSR arrays (numpy only, no solver import), so backends load whole matrices.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from gigbench.solvers.base import MissingBackendError
from gigbench.solvers.problem import Problem, Status

__all__ = ["LinearModel", "Outcome", "RowMatrix", "build_model", "require", "side_arrays"]


@dataclass(frozen=True)
class RowMatrix:
    """A sparse matrix in CSR form, as the three arrays every back end reads (rows sorted,
    columns sorted within a row; no scipy object: its constructor's checks cost more than the
    whole model on the simulation's small batches)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]

    @property
    def nnz(self) -> int:
        """Number of stored entries."""
        return len(self.data)


@dataclass
class LinearModel:
    """``max cost.y  s.t.  row_lower <= A y <= row_upper, lower <= y <= upper``."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    matrix: RowMatrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    n_edges: int
    slack: slice = field(default_factory=lambda: slice(0, 0))
    z: int | None = None
    cap: int | None = None
    stage1_cost: np.ndarray | None = None  # lexicographic max-min: first maximise z alone

    @property
    def n_vars(self) -> int:
        """Number of columns of ``A``."""
        return len(self.cost)


class _Rows:
    """Collects constraint blocks ``lo <= sum_k vals[k] * y[cols[k]] <= hi`` (rows numbered)."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.count = 0

    def add(self, rows, cols, vals, lower, upper) -> None:
        """Add ``len(lower)`` rows; ``rows`` numbers them from 0 within the block."""
        lower = np.atleast_1d(np.asarray(lower, dtype=np.float64))
        self.rows.append(np.asarray(rows, dtype=np.int64) + self.count)
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.vals.append(_filled(vals, len(self.rows[-1])))
        self.lower.append(lower)
        self.upper.append(_filled(upper, len(lower)))
        self.count += len(lower)

    def matrix(self, n_vars: int) -> tuple[RowMatrix, np.ndarray, np.ndarray]:
        """The stacked blocks as one CSR matrix with its row bounds."""
        cat = lambda parts, dtype: np.concatenate(parts) if parts else np.zeros(0, dtype)  # noqa: E731
        rows, cols = cat(self.rows, np.int64), cat(self.cols, np.int64)
        order = np.lexsort((cols, rows))  # no (row, column) pair repeats
        indptr = np.zeros(self.count + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=self.count), out=indptr[1:])
        index = np.int32 if max(n_vars, len(cols)) < 2**31 else np.int64  # HiGHS' type
        data = cat(self.vals, float)[order]
        a = RowMatrix(indptr.astype(index), cols[order].astype(index), data, (self.count, n_vars))
        return a, cat(self.lower, float), cat(self.upper, float)


def _filled(values: Any, count: int) -> np.ndarray:
    """``values`` as ``count`` floats (a scalar repeated; np.full is cheaper than
    np.broadcast_to on the simulation's small batches)."""
    values = np.asarray(values, dtype=np.float64)
    return values if values.ndim else np.full(count, values)


def side_arrays(problem: Problem, params: Any) -> dict[str, np.ndarray]:
    """Per-edge income and per-row earned / target / hours, with documented defaults.

    income = edge_data['income'] (default: the edge's gain); earned = row_data['earned']
    (default 0); target = params.floor if set, else row_data['target']; hours =
    row_data['hours'] when ``per_hour`` (else 1).
    """
    n = problem.n_rows
    income = problem.edge_data.get("income", problem.gains)
    out = {
        "income": np.asarray(income, dtype=np.float64),
        "earned": np.asarray(problem.row_data.get("earned", np.zeros(n)), dtype=np.float64),
        "hours": np.ones(n),
    }
    if params.income_floor:
        if params.floor is not None:
            out["target"] = np.full(n, float(params.floor))
        elif "target" in problem.row_data:
            out["target"] = np.asarray(problem.row_data["target"], dtype=np.float64)
        else:
            raise ValueError(
                "milp income_floor: expected row_data['target'] on the problem or a scalar "
                "floor, got neither; pass row_data={'target': ...} or solver.floor=<amount>"
            )
    if params.per_hour:
        if "hours" not in problem.row_data:
            raise ValueError(
                "milp per_hour: expected row_data['hours'] (online hours per worker), got none; "
                "add it to the problem or set per_hour=False"
            )
        hours = np.asarray(problem.row_data["hours"], dtype=np.float64)
        if n and hours.min() <= 0:
            raise ValueError(
                f"milp per_hour: expected positive row_data['hours'], got {hours.min()}; "
                "drop workers with no online time from the batch"
            )
        out["hours"] = hours
    return out


def build_model(problem: Problem, params: Any) -> LinearModel:
    """The MILP for ``problem`` with the side constraints switched on in ``params``."""
    # ---- data
    n, m, n_edges = problem.n_rows, problem.n_cols, problem.n_edges
    rows_of, cols_of, gain = problem.edge_rows, problem.indices, problem.gains.astype(float)
    cap = problem.row_capacity.astype(float)
    rows_must_match = problem.full and cap.sum() <= m
    cols_must_match = problem.full and not rows_must_match
    edge_ids = np.arange(n_edges)

    # ---- variables: x_e binary (0 where edge_data['allowed'] is False), then s, z, k
    upper = np.ones(n_edges)
    if params.skills and "allowed" in problem.edge_data:
        upper[~np.asarray(problem.edge_data["allowed"], dtype=bool)] = 0.0
    lower, integer, cost = np.zeros(n_edges), np.ones(n_edges, bool), gain  # astype copied
    n_vars = n_edges

    def new_vars(count: int, lo, hi, is_int: bool, obj) -> int:
        nonlocal lower, upper, integer, cost, n_vars
        lower = np.concatenate([lower, np.broadcast_to(lo, count)])
        upper = np.concatenate([upper, np.broadcast_to(hi, count)])
        integer = np.concatenate([integer, np.full(count, is_int)])
        cost = np.concatenate([cost, np.broadcast_to(np.asarray(obj, float), count)])
        n_vars += count
        return n_vars - count

    # Side data only for the families that read it: on a simulated batch's plain model its
    # arrays were a tenth of the build.
    if params.income_floor or params.objective == "maxmin":  # bounds of the floor and z
        side = side_arrays(problem, params)
        income, earned, hours = side["income"], side["earned"], side["hours"]
        abs_income = np.bincount(rows_of, weights=np.abs(income), minlength=n)
    rows = _Rows()

    # row capacity (b-matching): sum_{e in row i} x_e <= cap_i  (= cap_i if rows must match)
    rows.add(rows_of, edge_ids, 1.0, np.where(rows_must_match, cap, -np.inf), cap)

    # each task at most once: sum_{e in col j} x_e <= 1  (= 1 if columns must match)
    rows.add(cols_of, edge_ids, 1.0, np.full(m, 1.0 if cols_must_match else -np.inf), 1.0)

    # income floor: earned_i + sum_{e in row i} income_e x_e + s_i >= target_i, s_i >= 0,
    # each unit of slack s_i costs floor_penalty in the objective
    slack = slice(0, 0)
    if params.income_floor:
        need = side["target"] - earned
        s0 = new_vars(n, 0.0, np.maximum(need, 0) + abs_income, False, -params.floor_penalty)
        slack = slice(s0, s0 + n)
        rows.add(
            np.concatenate([rows_of, np.arange(n)]),
            np.concatenate([edge_ids, s0 + np.arange(n)]),
            np.concatenate([income, np.ones(n)]),
            need,
            np.inf,
        )

    # max-min earnings: z * hours_i <= earned_i + sum_{e in row i} income_e x_e, for every row
    z = None
    stage1 = None
    if params.objective == "maxmin":
        lo = float(((earned - abs_income) / hours).min()) if n else 0.0
        hi = float(((earned + abs_income) / hours).max()) if n else 0.0
        weight = params.maxmin_weight if params.maxmin_mode == "weighted" else 0.0
        z = new_vars(1, lo, hi, False, weight)
        rows.add(
            np.concatenate([np.arange(n), rows_of]),
            np.concatenate([np.full(n, z), edge_ids]),
            np.concatenate([hours, -income]),
            np.full(n, -np.inf),
            earned,
        )
        if params.maxmin_mode == "lexicographic":
            stage1 = np.zeros(n_vars)
            stage1[z] = 1.0

    # share cap: sum_{e in row i} x_e <= k with k = ceil(share * N), N = sum_e x_e; with
    # share = p/q exactly: 0 <= q k - p N <= q - 1 (integer arithmetic, no float rounding)
    k = None
    if params.max_share is not None:
        frac = Fraction(params.max_share).limit_denominator(10**6)
        p, q = frac.numerator, frac.denominator
        k = new_vars(1, 0.0, float(m), True, 0.0)
        rows.add(
            np.concatenate([rows_of, np.arange(n)]),
            np.concatenate([edge_ids, np.full(n, k)]),
            np.concatenate([np.ones(n_edges), -np.ones(n)]),
            np.full(n, -np.inf),
            0.0,
        )
        rows.add(
            np.zeros(n_edges + 1, np.int64),
            np.concatenate([edge_ids, [k]]),
            np.concatenate([np.full(n_edges, -float(p)), [float(q)]]),
            np.zeros(1),
            float(q - 1),
        )

    # ---- objective (maximise): sum_e gain_e x_e - penalty sum_i s_i [+ weight z]
    if stage1 is not None and len(stage1) < n_vars:
        stage1 = np.concatenate([stage1, np.zeros(n_vars - len(stage1))])
    matrix, row_lower, row_upper = rows.matrix(n_vars)
    return LinearModel(
        cost, lower, upper, integer, matrix, row_lower, row_upper, n_edges, slack, z, k, stage1
    )


@dataclass
class Outcome:
    """One backend solve: our status, the variable values and the objective and bound of the
    model (maximisation form); values is None when no feasible point was found."""

    status: Status
    values: np.ndarray | None = None
    objective: float | None = None
    bound: float | None = None
    message: str = ""


def require(module: str, backend: str, fix: str) -> Any:
    """Import ``module`` for ``backend`` or raise a MissingBackendError that names the fix."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingBackendError(
            f"milp backend {backend!r} needs the Python package {module!r}, which is not "
            f"installed (got: {exc}); fix: {fix}, or choose another backend, e.g. "
            "solver.backend=highs (highspy is a gigbench dependency)"
        ) from exc
