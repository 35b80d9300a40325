"""Bertsekas' auction with epsilon-scaling (numba), exact for integer weights, with prices.

Bertsekas, "The auction algorithm: a distributed relaxation method for the assignment
problem", Annals of OR 14 (1988); asymmetric problems after Bertsekas and Castanon, "A
forward/reverse auction algorithm for asymmetric assignment problems", Computational
Optimization and Applications 1 (1992).

The smaller side bids (Gauss-Seidel forward auction), so a 2,000 x 20,000 problem costs like a
2,000-bidder one, without padding. Every scaling phase starts by pricing the unassigned
objects at a floor ``lam`` (0 in the max form, the lowest assigned price in scipy's full form)
and ends with a reverse pass (Bertsekas and Castanon's): each unassigned object still priced
above the floor bids for the bidder it is worth most to, or falls to the floor. On a square
problem every object is assigned when the forward bids end and the pass does nothing; on a
rectangular one it restores the asymmetric optimality condition (unassigned objects at
``lam``, assigned ones above it). Rows of capacity ``c`` bid as ``c`` copies sharing one edge
list; when rows are the objects, a row is one object with ``c`` units kept sorted by price, so
copies never trade a column between themselves.

One driver runs every problem (:mod:`gigbench.solvers._auction_kernels`); what differs is the
model it is given. Large sparse problems (``sparse_min_edges`` edges or more, a pair missing,
sides within a factor 2) are solved on a copy renumbered breadth-first so that a bid's memory
accesses stay local (:mod:`gigbench.solvers._sparse_kernels`), free bidders last in, first out
(on ``knn_50k`` 1.13 s against 4.40 s in the problem's numbering, interleaved medians of 3 at
load 2.7-3.7); a complete int32 matrix whose rows bid is scanned in place, by blocks.

Exactness: integer gains are multiplied by ``s`` = bidders + 1 (+ units when rows are
objects), and a phase ends the solve as soon as the exact duality gap of its assignment is
below ``s`` scaled units, that is below 1: the matching is then optimal (at the latest after
the phase at epsilon 1). The answer's certificate is checked in exact integer arithmetic too:
status OPTIMAL when the duals' gap is below one unit of the weights, at any size. Float gains
are rounded to units of ``2**(e - 50)`` where ``2**e`` bounds max|gain| (no underflow,
subnormal weights included) and solved to a gap below one unit per node;
``stats["epsilon"]`` (original units) is the per-node slack the duals certify. Duals are
exactly feasible in original units: object prices, and on the bidders' side the least value
that covers every edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gigbench.solvers.base import Solver
from gigbench.solvers.problem import Problem, ProblemError, Solution, Status
from gigbench.solvers.validate import max_cardinality


class Auction(Solver):
    """Epsilon-scaling forward auction; exact for integer weights, yields prices."""

    name = "auction"
    exact = True
    yields_duals = True

    @dataclass(frozen=True)
    class Params:
        """epsilon_factor: epsilon is divided by this between scaling phases (integer >= 2, or
        0 for automatic: 5 when the sides are about equal, 64 when objects outnumber bidders
        twice or more, where bidders have room and few phases pay); epsilon_start: the first
        epsilon as a fraction of the spread of the scaled gains; sparse_min_edges: problems
        with at least this many edges, a pair missing and sides within a factor 2 take the
        sparse path (``gigbench.solvers._sparse_kernels``: renumbered for memory locality, bidders
        on a
        stack)."""

        epsilon_factor: int = 0
        epsilon_start: float = 0.1
        sparse_min_edges: int = 20_000

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
            edges = self.sparse_min_edges
            if isinstance(edges, bool) or not isinstance(edges, int):
                raise TypeError(
                    f"auction sparse_min_edges: expected an int >= 0, got {type(edges).__name__}"
                )
            if edges < 0:
                raise ValueError(
                    f"auction sparse_min_edges: expected an int >= 0, got {edges}; 20000 is the "
                    "default"
                )
            if not 0.0 < self.epsilon_start <= 1.0:
                raise ValueError(
                    f"auction epsilon_start: expected a fraction in (0, 1], got "
                    f"{self.epsilon_start}; 0.1 is typical"
                )

    def prepare(self, problem: Problem) -> None:
        """Load the kernels: compiled when their module is first imported in a process, or
        loaded from numba's cache (:mod:`gigbench.solvers._jit`); never compiled or
        interpreted inside :meth:`solve`. Problem building is part of the one kernel call in
        :meth:`solve`, which on the simulation's batches costs less than passing a prepared
        model to the kernel would."""
        from gigbench.solvers import _auction_kernels

        super().prepare(problem)
        self.kernels = _auction_kernels
        self.renumber = _sparse(problem, self.params)

    def solve(self) -> Solution:
        """Run the auction; INFEASIBLE when a full problem has no full matching."""
        problem, k = self.problem, self.kernels
        if problem.n_edges == 0:  # 1 in 8 of a simulated day's batches: no kernel call
            return _empty(problem)
        gains = _Gains.of(problem, k)
        # A full problem without a full matching makes prices climb forever: after a budget
        # of bids, one maximum-cardinality check decides.
        budget, first = (_BUDGET if problem.full else 0), True
        while True:
            ints, floats = self._call(gains, budget, first)
            code = int(ints[0])
            if code == k.OK:
                return _solution(problem, gains, ints, floats, k)
            if code != k.BUDGET:
                break
            if max_cardinality(problem) < problem.required_matches:
                return Solution.infeasible("no matching covers the smaller side")
            budget, first = 0, False  # feasible: solve without the budget
        if code == k.STALLED:
            raise RuntimeError(_stalled(problem, ints[: len(k.HEAD)].tolist(), k))
        if code == k.INFEASIBLE:
            return Solution.infeasible("no matching covers the side that must be matched")
        if code == k.NO_EDGE:
            return Solution.infeasible("a node of the smaller side has no allowed pair")
        if code == k.PRICE_LIMIT:
            if problem.full and max_cardinality(problem) < problem.required_matches:
                return Solution.infeasible("no matching covers the smaller side")
            raise ProblemError(
                "auction: expected prices below 2**60 after scaling, got a price past that "
                "limit; fix: divide the weights by a common factor or use 'hungarian'"
            )
        raise AssertionError(f"auction: unknown kernel code {code}")

    def _call(self, gains: _Gains, budget: int, first: bool) -> tuple[np.ndarray, np.ndarray]:
        """One kernel call: the dense entry point for a complete int32 matrix, else the
        general one."""
        problem, k, p = self.problem, self.kernels, self.params
        sign = 1 if problem.sense == "max" else -1
        stall = k.STALL_STEPS * (problem.n_rows + problem.n_cols + problem.n_edges)
        stall += k.STALL_FLOOR
        if gains.dense:
            low, high = problem.weight_bounds
            return k.solve_dense(
                problem.n_rows, problem.n_cols, problem.indptr, problem.indices, gains.weights,
                sign, problem.full, low, high, p.epsilon_start, p.epsilon_factor, budget, first,
                stall,
            )  # fmt: skip
        return k.solve(
            problem.n_rows, problem.n_cols, problem.indptr, problem.indices, gains.weights,
            problem.row_capacity, sign, problem.full, gains.exact, gains.unit_exp,
            p.epsilon_start, p.epsilon_factor, budget, first, stall, self.renumber,
        )  # fmt: skip


_BUDGET = -1  # the kernel's default bid budget (see gigbench.solvers._auction_kernels.solve)


@dataclass(frozen=True)
class _Gains:
    """The weights as the kernels take them: the problem's integers (int32 only for the dense
    entry point, else int64), or float weights rounded to int64 units of ``2**unit_exp``."""

    weights: np.ndarray
    exact: bool
    unit_exp: int
    dense: bool

    @classmethod
    def of(cls, problem: Problem, kernels: Any) -> _Gains:
        """The kernels' weights for ``problem``; ProblemError when integers cannot be scaled
        exactly in int64."""
        weights = problem.weights
        w_min, w_max = problem.weight_bounds
        magnitude = max(-w_min, w_max)
        n_r, n_c, limit = problem.n_rows, problem.n_cols, kernels.EXACT_LIMIT
        if weights.dtype == np.int32:
            dense = problem.n_edges == n_r * n_c and 0 < n_r <= n_c
            if dense and magnitude * (n_r + 1) <= limit and problem.has_unit_capacity:
                return cls(weights, True, 0, True)
            weights = weights.astype(np.int64)
        # The scaled gains are at most max|w| * s with s <= units + columns + 1, and a row's
        # units beyond its degree + 1 are dropped: a bound first, the capacities' sum if need be.
        terms = n_r + problem.n_edges + n_c + 1
        if magnitude * terms > limit:
            terms = min(terms, int(problem.row_capacity.sum()) + n_c + 1)
        fits = magnitude * terms <= limit
        if problem.is_integer:
            if not fits:
                raise ProblemError(
                    "auction: expected integer weights with max|w| * (bidders + units + 1) <= "
                    f"2**52 so that int64 prices cannot overflow, got max|w| = {magnitude} and "
                    f"up to {terms} terms; fix: divide the weights by a common factor, pass "
                    "float weights (solved to a stated tolerance) or use solver 'hungarian'"
                )
            return cls(weights, True, 0, False)
        if fits and not np.any(np.modf(weights)[0]):  # integral floats: solved exactly
            return cls(weights.astype(np.int64), True, 0, False)
        unit_exp = math.frexp(magnitude)[1] - kernels.FLOAT_BITS if magnitude > 0 else 0
        scaled = np.rint(np.ldexp(weights, -unit_exp)).astype(np.int64)
        return cls(scaled, False, unit_exp, False)


def _stalled(problem: Problem, head: list[int], kernels: Any) -> str:
    """What a stalled auction says: a bug in the auction, with the problem to reproduce it
    when it is small enough to print."""
    said = dict(zip(kernels.HEAD, head, strict=True))
    text = (
        f"auction: stalled after {said['bids']} bids and {said['reverse_steps']} reverse steps "
        f"in {said['phases']} phases on a {problem.n_rows} x {problem.n_cols} problem with "
        f"{problem.n_edges} edges (the limit: {kernels.STALL_STEPS:,} per row, column and "
        f"edge, plus {kernels.STALL_FLOOR:,}); this is a bug in gigbench's auction, not in the "
        "input: please report it with this message; solver 'hungarian' solves the same problem"
    )
    if problem.n_edges <= 200:  # a reproducer, exact: float repr round-trips
        text += (
            f"; Problem.from_csr(n_rows={problem.n_rows}, n_cols={problem.n_cols}, "
            f"indptr={problem.indptr.tolist()}, indices={problem.indices.tolist()}, "
            f"weights={problem.weights.tolist()}, row_capacity="
            f"{problem.row_capacity.tolist()}, sense={problem.sense!r}, full={problem.full})"
        )
    return text


def _sparse(problem: Problem, params: Auction.Params) -> bool:
    """Whether ``problem`` takes the sparse path: at least ``sparse_min_edges`` edges, not
    every pair an edge, and sides within a factor 2 (row units against columns). With more
    lopsided sides the first phase at epsilon 1 is about one bid per bidder and the
    renumbering would cost more than it saves (measured on ``dispatch``, 2,000 x 20,000 with
    60,000 edges: 9.5 ms on the sparse path against 5.5 ms)."""
    if not params.sparse_min_edges <= problem.n_edges < problem.n_rows * problem.n_cols:
        return False
    units = int(problem.row_capacity.sum())
    return 2 * min(units, problem.n_cols) > max(units, problem.n_cols)


def _empty(problem: Problem) -> Solution:
    """The answer without edges: nothing matched, zero duals (INFEASIBLE if a full problem
    needs a match)."""
    if problem.required_matches:
        return Solution.infeasible("a full problem without edges")
    none = np.zeros(0, dtype=np.int64)
    zero = 0 if problem.is_integer else 0.0
    stats = {"epsilon": 0.0, "gap": 0.0, "exact": True, "bids": 0, "phases": 0}
    return Solution(
        none, none.copy(), zero, Status.OPTIMAL, np.zeros(problem.n_rows),
        np.zeros(problem.n_cols), stats=stats,
    )  # fmt: skip


def _solution(
    problem: Problem, gains: _Gains, ints: np.ndarray, floats: np.ndarray, kernels: Any
) -> Solution:
    """The Solution of the kernels' answer ``(ints, floats)`` with its certificate.

    Integer weights (and integral floats) are certified in exact arithmetic: the kernel's gap
    is an integer count of ``1 / scale`` units, so ``gap < scale`` proves the pairs optimal
    whatever the size. Float weights are certified to a tolerance: ``epsilon`` bounds every
    node's complementary-slackness violation by twice itself and the duality gap by itself
    per node (what :func:`gigbench.solvers.validate` checks).
    """
    head = len(kernels.HEAD)
    # Python numbers throughout (tolist): numpy scalar arithmetic costs more than the kernel
    # on the simulation's batches.
    (_, n, bids, phases, gap_stops, full_scans, reverse_steps, objective, gap, slack, scale,
     rows_bid, dense, factor, renumbered) = ints[:head].tolist()  # fmt: skip
    row_ind, col_ind = ints[head : head + n], ints[head + n : head + 2 * n]
    row_dual, col_dual = floats[: problem.n_rows], floats[problem.n_rows :]
    nodes = max(1, problem.n_rows + problem.n_cols)
    if gains.exact:
        optimal = gap < scale
        objective = objective if problem.is_integer else float(objective)
        gap, floor, slack = gap / scale, 1.0 / scale, slack / scale
    else:
        optimal = True  # to the tolerance epsilon states
        objective = float(problem.weights[ints[head + 2 * n :]].sum())
        max_form = objective if problem.sense == "max" else -objective
        gap = float(problem.row_capacity @ row_dual + col_dual.sum()) - max_form
        unit = math.ldexp(1.0, gains.unit_exp)
        floor, slack = 2 * unit, (slack + 1) * unit
    epsilon = float(max(floor, gap / nodes, slack / 2))
    stats = {
        "epsilon": epsilon, "gap": gap, "exact": gains.exact, "bids": bids, "phases": phases,
        "gap_stop": gap_stops != 0, "full_scans": full_scans, "reverse_steps": reverse_steps,
        "scale": scale, "dense": dense != 0, "bidders": "rows" if rows_bid else "cols",
        "epsilon_factor": factor, "renumbered": renumbered != 0,
    }  # fmt: skip
    status = Status.OPTIMAL if optimal else Status.FEASIBLE
    return Solution(row_ind, col_ind, objective, status, row_dual, col_dual, stats=stats)


__all__ = ["Auction"]
