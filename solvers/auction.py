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

from collections import namedtuple
from dataclasses import dataclass
from typing import Any

import numpy as np

from solvers.base import Solver
from solvers.problem import Problem, ProblemError, Solution, Status
from solvers.validate import max_cardinality

_EXACT_LIMIT = 2**52  # |scaled gain| bound: leaves 2**8 of headroom under the price limit

# Kernel inputs: the bidders' graph (see solvers/_auction_kernels.py) and the mutable state.
Model = namedtuple(
    "Model",
    "dense optout multi_o use_cache n_og mul bgroup bptr gptr gobj sgain uptr ugroup "
    "t_ptr t_group t_edge",
)
State = namedtuple("State", "prices owner assigned aedge profit best best_exact stack ustack")


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
        epsilon as a fraction of the spread of the scaled gains."""

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
        """Build the bidders' graph in scaled integer gains (one kernel call); load the JIT."""
        from solvers import _auction_kernels

        super().prepare(problem)
        self.kernels = _auction_kernels
        self.plan = _plan(problem, self.params, _auction_kernels)

    def solve(self) -> Solution:
        """Run the auction; INFEASIBLE when a full problem has no full matching."""
        problem, plan, k = self.problem, self.plan, self.kernels
        if plan is None:
            return Solution.infeasible("no matching covers the smaller side")
        st = _state(plan)
        counters = np.zeros(5, dtype=np.int64)
        # A full problem without a full matching makes prices climb forever: after a budget
        # of bids, one maximum-cardinality check decides.
        budget = plan.budget if problem.full else 0
        first = plan.first_bids
        while True:
            out = k.solve(*plan.problem_args, *plan.args, budget, first, st, counters)
            code = out[0]
            if code != k.BUDGET:
                break
            if max_cardinality(problem) < problem.required_matches:
                return Solution.infeasible("no matching covers the smaller side")
            budget = first = 0  # feasible: finish from the prices reached so far
            st.owner[:] = k.FREE
            st.assigned[:] = k.FREE
        if code == k.NO_EDGE:
            return Solution.infeasible("a node of the smaller side has no allowed pair")
        if code == k.PRICE_LIMIT:
            if problem.full and max_cardinality(problem) < problem.required_matches:
                return Solution.infeasible("no matching covers the smaller side")
            raise ProblemError(
                f"auction: expected prices below 2**60 after scaling by {plan.s:g}, got a "
                "price past that limit; fix: divide the weights by a common factor or use "
                "'hungarian'"
            )
        return _solution(problem, plan, out[1:], counters)


@dataclass
class _Plan:
    """Everything :meth:`Auction.solve` passes to the kernel, built once in prepare()."""

    problem_args: tuple
    args: tuple
    model: Any
    n_b: int
    n_units: int
    exact: bool
    s: float
    unit_exp: int
    rows_bid: bool
    budget: int
    first_bids: int
    factor: int


def _plan(problem: Problem, params: Any, k: Any) -> _Plan | None:
    """The kernel's model of ``problem`` (None: a full problem that cannot be matched)."""
    weights, capacity = problem.weights, problem.row_capacity
    sign = 1 if problem.sense == "max" else -1
    magnitude = float(np.abs(weights).max()) if problem.n_edges else 0.0
    integral = problem.is_integer or bool(np.all(weights == np.rint(weights)))
    n_units = int(capacity.sum())
    s_bound = n_units + problem.n_cols + 1
    dense = (
        problem.is_integer
        and problem.n_edges == problem.n_rows * problem.n_cols > 0
        and problem.n_rows <= problem.n_cols
        and problem.has_unit_capacity
        and magnitude * (problem.n_rows + 1) <= _EXACT_LIMIT
    )
    problem_args = (
        problem.n_rows, problem.n_cols, problem.indptr, problem.indices, weights, sign,
        capacity, problem.full,
    )  # fmt: skip
    if dense:
        # The problem's own row-major weights, scaled on the fly: nothing to build.
        n, m = problem.n_rows, problem.n_cols
        s = n + 1
        ident_n, ident_m = np.arange(n + 1, dtype=np.int64), np.arange(m + 1, dtype=np.int64)
        empty = np.zeros(0, dtype=np.int64)
        model = k_model(
            dense=True, optout=not problem.full, n_og=m, mul=sign * s, bgroup=ident_n[:-1],
            bptr=ident_n, gptr=empty, gobj=np.zeros(0, np.int32), sgain=weights, uptr=ident_m,
            ugroup=ident_m[:-1], t_ptr=empty, t_group=empty, t_edge=empty,
        )  # fmt: skip
        rows_bid, exact, unit_exp, n_b, eid = True, True, 0, n, empty
        g_orig, k_orig = ident_n[:-1], ident_m[:-1]
        low, high = int(weights.min()) * sign * s, int(weights.max()) * sign * s
        low, high = min(low, high), max(low, high)
    else:
        exact = integral and magnitude * s_bound <= _EXACT_LIMIT
        if problem.is_integer and not exact:
            raise ProblemError(
                f"auction: expected integer weights with max|w| * (bidders + units + 1) <= "
                f"2**52 so that int64 prices cannot overflow, got max|w| = {magnitude:.0f} and "
                f"bidders + units + 1 <= {s_bound}; fix: divide the weights by a common factor, "
                "pass float weights (solved to a stated tolerance) or use solver 'hungarian'"
            )
        small = exact and magnitude * s_bound < 2**31 - 1
        like = np.zeros(0, dtype=np.int32 if small else np.int64)
        built = k.build(*problem_args, exact, like)
        if built[0] == k.INFEASIBLE:
            return None
        (_, rows_bid, dense, s, unit_exp, n_og, bgroup, bptr, gptr, gobj, sgain, eid, uptr, ugroup,
         t_ptr, t_group, t_edge, g_orig, k_orig) = built  # fmt: skip
        model = k_model(
            dense=dense, optout=not problem.full, n_og=n_og, mul=1, bgroup=bgroup, bptr=bptr,
            gptr=gptr, gobj=gobj, sgain=sgain, uptr=uptr, ugroup=ugroup, t_ptr=t_ptr,
            t_group=t_group, t_edge=t_edge,
        )  # fmt: skip
        n_b = len(bgroup)
        low = int(sgain.min()) if len(sgain) else 0
        high = int(sgain.max()) if len(sgain) else 0
    n_units_k = len(model.ugroup)
    # Start from the spread of the gains, not their magnitude: a large common offset would
    # otherwise drive prices up to it for nothing. Any start keeps the result exact.
    eps0 = max(1, int((high - low) * params.epsilon_start))
    factor = params.epsilon_factor or (64 if n_units_k >= 2 * n_b else 5)
    big = high - low + eps0
    # The exact gap of a phase's assignment below s_gap proves optimality (integers: s scaled
    # units = 1 original unit; floats: one rounding unit per node).
    s_gap = int(s) if exact else n_b + n_units_k + 1
    args = (
        rows_bid, exact, float(s), unit_exp, g_orig, k_orig, eid, model, eps0, factor, big, s_gap,
    )  # fmt: skip
    budget = _budget(n_b, len(model.sgain))
    # Far more objects than bidders: little competition, so first try one phase at eps = 1.
    first_bids = 2 * n_b + 10 if n_units_k >= 2 * n_b else 0
    return _Plan(
        problem_args, args, model, n_b, n_units_k, exact, float(s), unit_exp, rows_bid, budget,
        first_bids, factor,
    )  # fmt: skip


def _budget(n_bidders: int, n_edges: int) -> int:
    """Bids before a feasibility check: far above what feasible problems need in practice."""
    return 200 * n_bidders + 10 * n_edges + 1


def k_model(**fields: Any) -> Model:
    """A :data:`Model`; the third-best cache pays on long rows only (and not with units)."""
    n_groups = max(len(fields["bptr"]) - 1, 1)
    multi_o = len(fields["ugroup"]) > fields["n_og"]
    degree = fields["n_og"] if fields["dense"] else len(fields["sgain"]) / n_groups
    use_cache = not multi_o and degree > 24
    return Model(multi_o=multi_o, use_cache=use_cache, **fields)


def _state(plan: _Plan) -> State:
    n_b, n_units = plan.n_b, plan.n_units
    return State(
        prices=np.zeros(n_units, dtype=np.int64),
        owner=np.full(n_units, -1, dtype=np.int64),
        assigned=np.full(n_b, -1, dtype=np.int64),
        aedge=np.zeros(n_b, dtype=np.int64),
        profit=np.zeros(n_b, dtype=np.int64),
        best=np.zeros(n_b, dtype=np.int64),
        best_exact=np.zeros(1, dtype=np.bool_),
        stack=np.zeros(max(n_b, 1), dtype=np.int64),
        ustack=np.zeros(max(n_units, 1), dtype=np.int64),
    )


def _solution(problem: Problem, plan: _Plan, out: tuple, counters: np.ndarray) -> Solution:
    """The Solution with its duality gap, per-node epsilon and counters.

    ``epsilon`` bounds every node's complementary-slackness violation by twice itself and the
    duality gap by itself per node (what :func:`solvers.validate` checks).
    """
    rows, cols, objective, row_dual, col_dual, bound, slack = out
    objective = int(objective) if problem.is_integer else float(objective)
    gap = bound - (objective if problem.sense == "max" else -objective)
    nodes = max(1, problem.n_rows + problem.n_cols)
    floor = 1.0 / plan.s if plan.exact else 2.0 ** (plan.unit_exp + 1)
    epsilon = max(floor, gap / nodes, slack / 2)
    status = Status.OPTIMAL if (not plan.exact or gap < 1 - 1e-9) else Status.FEASIBLE
    stats = {
        "epsilon": epsilon, "gap": gap, "exact": plan.exact, "bids": int(counters[0]),
        "phases": int(counters[1]), "gap_stop": bool(counters[2]), "full_scans": int(counters[3]),
        "reverse_steps": int(counters[4]),
        "scale": plan.s, "dense": plan.model.dense, "bidders": "rows" if plan.rows_bid else "cols",
        "epsilon_factor": plan.factor,
    }  # fmt: skip
    return Solution(rows, cols, objective, status, row_dual, col_dual, stats=stats)


__all__ = ["Auction"]
