"""Bertsekas' auction with epsilon-scaling (numba), exact for integer weights, with prices.

Bertsekas, "The auction algorithm: a distributed relaxation method for the assignment
problem", Annals of OR 14 (1988); asymmetric problems after Bertsekas and Castanon, "A
forward/reverse auction algorithm for asymmetric assignment problems", Computational
Optimization and Applications 1 (1992).

The smaller side bids (Gauss-Seidel forward auction), so a 2,000 x 20,000 problem costs like a
2,000-bidder one. Rectangular problems need no padding and no reverse pass: at the start of
every scaling phase the unassigned objects are priced at a floor ``lam`` (0 in the max form,
the lowest assigned price in scipy's full form), and since forward bids never free an object
and only raise prices, every phase ends with unassigned objects at ``lam`` and assigned ones
above it, the asymmetric optimality condition (chosen by measurement over an epsilon-scaled
reverse pass: no step of it is ever needed). Rows of capacity ``c`` bid as ``c`` copies
sharing one edge list; when rows are the objects, a row is one object with ``c`` units kept
sorted by price, so copies never trade a column between themselves.

Large sparse problems (``sparse_min_edges`` edges or more, a pair missing, sides within a
factor 2) take :mod:`gigbench.solvers._sparse_kernels`: the same auction, model and duals on a copy
renumbered breadth-first so that a bid's memory accesses stay local, with the free bidders on
a stack (on ``knn_50k`` 1.13 s against 4.40 s on the general path, interleaved medians of 3 at
load 2.7-3.7). The rest of this docstring describes the general path.

Exactness: integer gains are multiplied by ``s`` = bidders + 1 (+ units when rows are
objects), and a phase ends the solve as soon as the exact duality gap of its assignment is
below ``s`` scaled units, that is below 1: the matching is then optimal (at the latest after
the phase at epsilon 1). Float gains are rounded to units of ``2**(e - 50)`` where ``2**e``
bounds max|gain| (no underflow, subnormal weights included) and solved to a gap below one
unit per node; ``stats["epsilon"]`` (original units) is the per-node slack the duals certify.
Duals are exactly feasible in original units: object prices, and on the bidders' side the
least value that covers every edge.
"""

from __future__ import annotations

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
        """Load the kernel for this weight dtype (compiled, or from numba's cache; small
        problems run it interpreted until numba pays, see :mod:`gigbench.solvers._jit`). Problem
        building is part of the one kernel call in :meth:`solve`, which on the simulation's
        batches costs less than passing a prepared model to the kernel would."""
        from gigbench.solvers import _auction_kernels, _jit, _sparse_kernels

        super().prepare(problem)
        module = _sparse_kernels if _sparse(problem, self.params) else _auction_kernels
        self.kernels = _jit.kernels(module, problem)
        if _jit.is_loaded():
            _warm(self.kernels, problem.weights.dtype)

    def solve(self) -> Solution:
        """Run the auction; INFEASIBLE when a full problem has no full matching."""
        problem, k, p = self.problem, self.kernels, self.params
        if problem.n_edges == 0:  # 1 in 8 of a simulated day's batches: no kernel call
            return _empty(problem)
        sign = 1 if problem.sense == "max" else -1
        w_min, w_max = problem.weight_bounds
        # A full problem without a full matching makes prices climb forever: after a budget
        # of bids, one maximum-cardinality check decides.
        budget, first = (_BUDGET if problem.full else 0), True
        while True:
            ints, floats = k.solve(
                problem.n_rows, problem.n_cols, problem.indptr, problem.indices,
                problem.weights, problem.row_capacity, sign, problem.full, problem.is_integer,
                float(w_min), float(w_max), p.epsilon_start, p.epsilon_factor, budget, first,
            )  # fmt: skip
            head = ints[: k.HEAD_INTS].tolist()
            code = head[0]
            if code == k.OK:
                return _solution(problem, head, ints, floats, k)
            if code != k.BUDGET:
                break
            if max_cardinality(problem) < problem.required_matches:
                return Solution.infeasible("no matching covers the smaller side")
            budget, first = 0, False  # feasible: solve without the budget
        if code == k.STALLED:
            raise RuntimeError(_stalled(problem, head))
        if code == k.INFEASIBLE:
            return Solution.infeasible("no matching covers the side that must be matched")
        if code == k.NO_EDGE:
            return Solution.infeasible("a node of the smaller side has no allowed pair")
        if code == k.TOO_LARGE:
            terms = int(problem.row_capacity.sum()) + problem.n_cols + 1
            raise ProblemError(
                "auction: expected integer weights with max|w| * (bidders + units + 1) <= 2**52 "
                f"so that int64 prices cannot overflow, got max|w| = {max(-w_min, w_max)} and "
                f"up to {terms} terms; fix: divide the weights by a common factor, pass float "
                "weights (solved to a stated tolerance) or use solver 'hungarian'"
            )
        if code == k.PRICE_LIMIT:
            if problem.full and max_cardinality(problem) < problem.required_matches:
                return Solution.infeasible("no matching covers the smaller side")
            raise ProblemError(
                "auction: expected prices below 2**60 after scaling, got a price past that "
                "limit; fix: divide the weights by a common factor or use 'hungarian'"
            )
        raise AssertionError(f"auction: unknown kernel code {code}")


_BUDGET = -1  # the kernel's default bid budget (see gigbench.solvers._auction_kernels.solve)


def _stalled(problem: Problem, head: list[int]) -> str:
    """What a stalled auction says: a bug in the auction, with the problem to reproduce it
    when it is small enough to print."""
    from gigbench.solvers import _auction_kernels  # loaded by then: prepare() chose the kernels

    bids, phases, _, _, reverse = head[2:]
    text = (
        f"auction: stalled after {bids} bids and {reverse} reverse steps in {phases} phases on "
        f"a {problem.n_rows} x {problem.n_cols} problem with {problem.n_edges} edges (the "
        f"limit: {_auction_kernels.STALL_STEPS:,} per bidder, unit and edge, plus "
        f"{_auction_kernels.STALL_FLOOR:,}); this is a bug in gigbench's auction, not "
        "in the input: please report it with this message; solver 'hungarian' solves the "
        "same problem"
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
    lopsided sides the general path's first phase at epsilon 1 is about one bid per bidder
    and the renumbering would cost more than it saves (measured on ``dispatch``, 2,000 x
    20,000 with 60,000 edges: 9.5 ms on the sparse path against 5.5 ms)."""
    if not params.sparse_min_edges <= problem.n_edges < problem.n_rows * problem.n_cols:
        return False
    units = int(problem.row_capacity.sum())
    return 2 * min(units, problem.n_cols) > max(units, problem.n_cols)


def _warm(kernels: Any, dtype: np.dtype) -> None:
    """Compile (or load from numba's cache) the kernel for this weights dtype, once."""
    if (kernels.__name__, dtype.str) in _WARMED:
        return
    weights = np.ones(2, dtype=dtype)
    for full in (False, True):
        for row_capacity in ((1,), (2,)):
            problem = Problem.from_dense(weights.reshape(1, 2), row_capacity=row_capacity)
            # ``weights``, not the problem's: from_dense keeps integer matrices as int32.
            kernels.solve(
                1, 2, problem.indptr, problem.indices, weights, problem.row_capacity,
                1, full, problem.is_integer, 1.0, 1.0, 0.1, 0, 0, True,
            )  # fmt: skip
    _WARMED.add((kernels.__name__, dtype.str))


_WARMED: set[tuple[str, str]] = set()


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
    problem: Problem, head: list[int], ints: np.ndarray, floats: np.ndarray, kernels: Any
) -> Solution:
    """The Solution of the ``kernels``' answer (``head``: its first ``HEAD_INTS`` ints, as a
    list) with its duality gap, per-node epsilon and counters.

    ``epsilon`` bounds every node's complementary-slackness violation by twice itself and the
    duality gap by itself per node (what :func:`gigbench.solvers.validate` checks).
    """
    head_ints, head_floats = kernels.HEAD_INTS, kernels.HEAD_FLOATS
    # Python numbers throughout (tolist): numpy scalar arithmetic costs more than the kernel
    # on the simulation's batches.
    _, n, bids, phases, gap_stop, full_scans, reverse_steps = head
    objective, bound, slack, scale, unit_exp, exact, rows_bid, dense, factor = floats[
        :head_floats
    ].tolist()
    if problem.is_integer:
        objective = int(objective)  # exact: see HEAD_INTS
    exact = exact != 0
    gap = bound - (objective if problem.sense == "max" else -objective)
    nodes = max(1, problem.n_rows + problem.n_cols)
    floor = 1.0 / scale if exact else 2.0 ** (unit_exp + 1)
    epsilon = float(max(floor, gap / nodes, slack / 2))
    status = Status.OPTIMAL if (not exact or gap < 1 - 1e-9) else Status.FEASIBLE
    stats = {
        "epsilon": epsilon, "gap": gap, "exact": exact, "bids": bids, "phases": phases,
        "gap_stop": gap_stop != 0, "full_scans": full_scans, "reverse_steps": reverse_steps,
        "scale": scale, "dense": dense != 0, "bidders": "rows" if rows_bid else "cols",
        "epsilon_factor": int(factor),
    }  # fmt: skip
    duals = head_floats + problem.n_rows
    return Solution(
        ints[head_ints : head_ints + n], ints[head_ints + n :], objective, status,
        floats[head_floats:duals], floats[duals:], stats=stats,
    )  # fmt: skip


__all__ = ["Auction"]
