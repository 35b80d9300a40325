"""Bertsekas' auction with epsilon-scaling (numba), for dense matrices and CSR graphs.

Bertsekas, "The auction algorithm: a distributed relaxation method for the assignment
problem", Annals of OR 14 (1988); asymmetric problems by the forward/reverse variant of
Bertsekas and Castanon, Computational Optimization and Applications 1 (1992).

The smaller side bids (Gauss-Seidel forward auction; a row of capacity c bids as c unit
copies), so a 2,000 x 20,000 problem costs like a 2,000-bidder one. In the max-weight form a
bidder may stay out with profit 0; in scipy's full form every bidder must be matched. After the
last phase a reverse auction lowers the prices of unassigned objects to a floor ``lam`` (0 in
the max form, the lowest assigned price in the full form), which with eps-complementary
slackness makes the prices optimal duals up to epsilon per node.

Exactness: integer gains are multiplied by ``s`` = bidders + 1 (+ objects when objects are row
copies) and the last phase runs at epsilon 1, so the duality gap is below s scaled units, that
is below 1: the matching is optimal. Float gains are rounded to multiples of
``q = max|gain| / 2**50`` and solved exactly in those units; ``stats["epsilon"]`` (original
units) is the per-node slack the returned duals certify, about ``2 q``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solvers._expand import expand_rows
from solvers.base import Solver
from solvers.problem import Problem, ProblemError, Solution, Status
from solvers.validate import max_cardinality

_EXACT_LIMIT = 2**52  # |scaled gain| bound: leaves 2**8 of headroom under the price limit
_PRICE_LIMIT = 2**60  # kernels stop (never wrap) if a price would exceed this
_FLOAT_BITS = 50  # float gains are rounded to max|gain| / 2**50


class Auction(Solver):
    """Epsilon-scaling forward/reverse auction; exact for integer weights, yields prices."""

    name = "auction"
    exact = True
    yields_duals = True

    @dataclass(frozen=True)
    class Params:
        """epsilon_factor: epsilon is divided by this between scaling phases (integer >= 2, or
        0 for automatic: 5 when the sides are about equal, 64 when objects outnumber bidders
        twice or more, where bidders have room and few phases pay); epsilon_start: the first
        epsilon as a fraction of the largest scaled |gain|."""

        epsilon_factor: int = 0
        epsilon_start: float = 0.1

        def check(self) -> None:
            """Reject values that would stall the scaling before any solve."""
            if isinstance(self.epsilon_factor, bool) or not isinstance(self.epsilon_factor, int):
                raise TypeError(
                    f"auction epsilon_factor: expected an int >= 2 (or 0: automatic), got "
                    f"{type(self.epsilon_factor).__name__}"
                )
            if self.epsilon_factor < 2 and self.epsilon_factor != 0:
                raise ValueError(
                    f"auction epsilon_factor: expected an int >= 2 (or 0: automatic), got "
                    f"{self.epsilon_factor}; 4 to 8 is typical"
                )
            if not 0.0 < self.epsilon_start <= 1.0:
                raise ValueError(
                    f"auction epsilon_start: expected a fraction in (0, 1], got "
                    f"{self.epsilon_start}; 0.1 is typical"
                )

    def prepare(self, problem: Problem) -> None:
        """Orient, expand capacities, scale to integers and build CSR (untimed); warm the JIT."""
        from solvers import _auction_kernels

        self.kernels = _auction_kernels
        super().prepare(problem)
        self.model = _build(problem, self.params, _auction_kernels)
        _warm(_auction_kernels, self.model.gains.dtype)

    def solve(self) -> Solution:
        """Run the auction; INFEASIBLE when a full problem has no full matching."""
        problem, m, k = self.problem, self.model, self.kernels
        prices = np.zeros(m.n_o, dtype=np.int64)
        assigned = np.full(m.n_b, k.FREE, dtype=np.int64)
        aedge = np.zeros(m.n_b, dtype=np.int64)
        counters = np.zeros(4, dtype=np.int64)
        # A full problem without a full matching makes prices climb forever: after a budget
        # of bids, one maximum-cardinality check decides (complete graphs are always feasible).
        budget = _budget(m) if problem.full and not m.dense else 0
        while True:
            more = np.zeros(4, dtype=np.int64)
            code, lam = k.auction(
                m.n_b, m.n_o, m.dense, m.indptr, m.indices, m.gains, m.t_ptr, m.t_bidder,
                m.t_edge, m.t_gains, m.optout, m.eps0, m.factor, m.big,
                _PRICE_LIMIT, budget, prices, assigned, aedge, more,
            )  # fmt: skip
            counters += more
            if code != k.BUDGET:
                break
            if max_cardinality(problem) < problem.required_matches:
                return Solution.infeasible("no matching covers the smaller side")
            budget = 0  # feasible: finish from the prices reached so far
            assigned[:] = k.FREE
        if code == k.NO_EDGE:
            return Solution.infeasible("a row of the smaller side has no allowed pair")
        if code == k.PRICE_LIMIT:
            if problem.full and max_cardinality(problem) < problem.required_matches:
                return Solution.infeasible("no matching covers the smaller side")
            raise ProblemError(
                f"auction: expected prices below 2**60 after scaling by {m.scale:g}, got a "
                "price past that limit; fix: divide the weights by a common factor or use "
                "'hungarian'"
            )
        solution = _solution(problem, m, k, prices - lam, assigned, aedge)
        solution.stats.update(
            bids=int(counters[0]), reverse_steps=int(counters[1]), phases=int(counters[2]),
            full_scans=int(counters[3]),
            scale=m.scale, dense=m.dense, bidders="rows" if m.rows_bid else "cols",
            epsilon_factor=m.factor,
        )  # fmt: skip
        return solution


@dataclass
class _Model:
    """Kernel inputs: bidders x objects with scaled integer gains, plus the way back."""

    n_b: int
    n_o: int
    rows_bid: bool
    dense: bool
    optout: bool
    exact: bool
    scale: float  # original units = scaled units * unit
    unit: float
    copy_of: np.ndarray  # row of every unit copy
    edge_id: np.ndarray  # problem edge of every kernel edge (dense: by bidder * n_o + object)
    indptr: np.ndarray
    indices: np.ndarray
    gains: np.ndarray
    t_ptr: np.ndarray
    t_bidder: np.ndarray
    t_edge: np.ndarray
    t_gains: np.ndarray  # dense with more objects than bidders: the transposed gains
    eps0: int
    big: int
    factor: int


def _build(problem: Problem, params: Any, kernels: Any) -> _Model:
    copy_of, e_rows, e_cols, e_ids = expand_rows(problem)
    gains = problem.gains[e_ids]
    n_units = len(copy_of)
    rows_bid = n_units <= problem.n_cols
    n_b, n_o = (n_units, problem.n_cols) if rows_bid else (problem.n_cols, n_units)
    dense = n_b * n_o > 0 and len(gains) == n_b * n_o
    optout = not problem.full
    if optout and not dense:
        keep = gains > 0  # a non-positive pair is never better than staying unmatched
        e_rows, e_cols, e_ids, gains = e_rows[keep], e_cols[keep], e_ids[keep], gains[keep]
    object_copies = (not rows_bid) and not problem.has_unit_capacity
    scaled, scale, unit, exact = _scale(gains, n_b + 1 + (n_o if object_copies else 0))
    low = int(scaled.min()) if len(scaled) else 0
    high = int(scaled.max()) if len(scaled) else 0
    small = low > -(2**31) and high < 2**31
    scaled = scaled.astype(np.int32 if small else np.int64)
    empty_i32, empty_i64 = np.zeros(0, np.int32), np.zeros(0, np.int64)
    if dense:
        matrix = scaled.reshape(n_units, problem.n_cols)
        gains_k = (matrix if rows_bid else np.ascontiguousarray(matrix.T)).ravel()
        # The reverse clean-up reads columns: give it a contiguous copy when it can run.
        t_gains = (np.ascontiguousarray(matrix.T) if rows_bid else matrix).ravel()
        if n_o == n_b and not optout:
            t_gains = scaled[:0]  # square and full: no object is ever left unassigned
        indptr, t_ptr, t_edge = empty_i64, empty_i64, empty_i64
        indices, t_bidder = empty_i32, empty_i32
        edge_id = e_ids
    else:
        bidder, obj = (e_rows, e_cols) if rows_bid else (e_cols, e_rows)
        indptr, order = kernels.group_by(bidder.astype(np.int64, copy=False), n_b)
        indices = obj[order].astype(np.int32)
        gains_k = scaled[order]
        edge_id = e_ids[order]
        t_ptr, t_edge = kernels.group_by(indices, n_o)
        t_bidder = bidder[order][t_edge].astype(np.int32)
        t_gains = scaled[:0]
    # Start from the spread of the gains, not their magnitude: with a large common offset the
    # magnitude drives prices up to the offset, and the final reverse clean-up then needs a
    # number of steps proportional to it (a price war). Any start keeps the result exact.
    spread = max(high - low, 1)
    eps0 = max(1, int(spread * params.epsilon_start))
    factor = params.epsilon_factor or (64 if n_o >= 2 * n_b else 5)
    return _Model(
        n_b, n_o, rows_bid, dense, optout, exact, scale, unit, copy_of, edge_id,
        indptr, indices, gains_k, t_ptr, t_bidder, t_edge, t_gains, eps0, high - low + eps0,
        factor,
    )  # fmt: skip


def _budget(m: _Model) -> int:
    """Bids before a feasibility check: far above what feasible problems need in practice."""
    return 200 * m.n_b + 10 * len(m.indices)


def _scale(gains: np.ndarray, s: int) -> tuple[np.ndarray, float, float, bool]:
    """Scaled integer gains, the scale, original units per scaled unit, and exactness."""
    magnitude = float(np.abs(gains).max()) if len(gains) else 0.0
    integral = np.issubdtype(gains.dtype, np.integer) or bool(np.all(gains == np.rint(gains)))
    if integral and magnitude * s <= _EXACT_LIMIT:
        return gains.astype(np.int64) * s, float(s), 1.0 / s, True
    if np.issubdtype(gains.dtype, np.integer):
        raise ProblemError(
            f"auction: expected integer weights with max|w| * (n + 1) <= 2**52 so that int64 "
            f"prices cannot overflow, got max|w| = {magnitude:.0f} and n + 1 = {s}; fix: divide "
            "the weights by a common factor, pass float weights (solved to a stated "
            "tolerance) or use solver 'hungarian'"
        )
    q = magnitude / 2.0**_FLOAT_BITS if magnitude else 1.0
    return np.rint(gains / q).astype(np.int64), 1.0 / q, q, False


def _warm(kernels: Any, dtype: np.dtype) -> None:
    """Compile (or load from the cache) the solve kernels for this gains dtype, untimed."""
    key = np.dtype(dtype).str
    if key in _WARMED:
        return
    one = np.ones(1, dtype=dtype)
    ptr = np.array([0, 1], dtype=np.int64)
    idx = np.zeros(1, dtype=np.int32)
    for dense in (True, False):
        kernels.auction(
            1, 1, dense, ptr, idx, one, ptr, idx, np.zeros(1, np.int64), one, dense, 1, 2, 2,
            _PRICE_LIMIT, 0, np.zeros(1, np.int64), np.full(1, -1, np.int64),
            np.zeros(1, np.int64), np.zeros(4, np.int64),
        )  # fmt: skip
    kernels.best_profits(1, 1, False, ptr, idx, one, np.zeros(1, np.int64), 0)
    _WARMED.add(key)


_WARMED: set[str] = set()


def _solution(problem: Problem, m: _Model, k: Any, shifted, assigned, aedge) -> Solution:
    """Pairs, objective and exact-feasible duals in original units."""
    bidders = np.flatnonzero(assigned >= 0)
    objects = assigned[bidders]
    if m.dense:
        flat = bidders * m.n_o + objects if m.rows_bid else objects * m.n_b + bidders
        edges = m.edge_id[flat]
    else:
        edges = m.edge_id[aedge[bidders]]
    if m.rows_bid:
        rows, cols = m.copy_of[bidders], objects
    else:
        rows, cols = m.copy_of[objects], bidders
    order = np.lexsort((cols, rows))
    rows, cols, edges = rows[order], cols[order], edges[order]
    value = problem.weights[edges].sum() if len(edges) else 0
    objective = int(value) if problem.is_integer else float(value)

    prices = np.maximum(shifted, 0)
    floor = 0 if m.optout else k.NEG
    profits = k.best_profits(
        m.n_b, m.n_o, m.dense, m.indptr, m.indices, m.gains, prices, floor
    ).astype(np.float64)
    # Rounded float gains: the bidders' side absorbs the rounding (half a unit) to stay feasible.
    bidder_dual = profits * m.unit + (0.0 if m.exact else m.unit / 2)
    object_dual = prices * m.unit
    if m.rows_bid:
        col_dual = object_dual
        row_dual = _per_row(problem, m.copy_of, bidder_dual)
    else:
        col_dual = bidder_dual
        row_dual = _per_row(problem, m.copy_of, object_dual)
    _zero_capacity_duals(problem, row_dual, col_dual)
    bound = float(np.dot(problem.row_capacity, row_dual) + col_dual.sum())
    gap = bound - (objective if problem.sense == "max" else -objective)
    nodes = max(1, problem.n_rows + problem.n_cols)
    epsilon = max(m.unit if m.exact else 2 * m.unit, gap / nodes)
    status = Status.OPTIMAL if (not m.exact or gap < 1 - 1e-9) else Status.FEASIBLE
    stats = {"epsilon": epsilon, "gap": gap, "exact": m.exact}
    return Solution(rows, cols, objective, status, row_dual, col_dual, stats=stats)


def _per_row(problem: Problem, copy_of: np.ndarray, copy_dual: np.ndarray) -> np.ndarray:
    """A row's dual is the largest of its copies' (copies' duals differ by at most epsilon)."""
    if problem.has_unit_capacity:
        return copy_dual.copy()  # copy_of is the identity
    dual = np.full(problem.n_rows, -np.inf)
    np.maximum.at(dual, copy_of, copy_dual)
    dual[np.isinf(dual)] = 0.0
    return dual


def _zero_capacity_duals(problem: Problem, row_dual: np.ndarray, col_dual: np.ndarray) -> None:
    """Rows of capacity 0 have no copies: give them the least feasible dual (costs nothing)."""
    idle = np.flatnonzero(problem.row_capacity == 0)
    if not len(idle):
        return
    rows_free = problem.full and problem.row_capacity.sum() <= problem.n_cols
    for i in idle:
        lo, hi = problem.indptr[i], problem.indptr[i + 1]
        need = problem.gains[lo:hi] - col_dual[problem.indices[lo:hi]]
        row_dual[i] = max(need.max(initial=-np.inf), -np.inf if rows_free else 0.0)
        if not np.isfinite(row_dual[i]):
            row_dual[i] = 0.0


__all__ = ["Auction"]
