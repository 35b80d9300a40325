"""``equilibrium``: competitive-equilibrium fares, with the commission as a wedge.

In the assignment game of Shapley and Shubik (1971) a matching with surplus ``a_ij`` per pair is
supported by prices exactly when it maximises the total surplus; the supporting outcomes are
the optimal solutions ``(u, v)`` of the assignment LP's dual (``u_i`` the worker's surplus,
``v_j`` the rider's), a lattice with a rider-optimal point (lowest fares) and a worker-optimal
point (highest fares).

The platform keeps a share ``take = commission + fee`` of every fare, so of a fare ``p`` the
worker receives ``(1 - take) p``. A pair can trade when some fare pays the worker's cost ``c_ij``
and is at most the rider's value ``value_j``; in worker-pay units the pair's surplus is

    a_ij = (1 - take) * value_j - c_ij          (an edge exists only if a_ij >= 0)

so the matching maximises ``sum a_ij`` (the ``welfare`` objective on the values
:meth:`EquilibriumPricing.matching_value` returns), and after matching

    worker_pay_j = c_ij + u_i,   fare_j = worker_pay_j / (1 - take)

with ``(u, v)`` the rider-optimal (``pricing.core=rider``, the default) or worker-optimal
(``core=worker``) point, computed from the optimal matching by shortest paths on its residual
graph (:func:`gigbench.solvers.duals.matching_duals`). The extreme points do not depend on which
optimal
matching a solver returned, so every exact solver gives the same fares; every trip pays its
worker at least their cost (``u_i >= 0``) and charges its rider at most their value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.market.context import QuoteView, SettleView
from gigbench.market.objective.base import CENTS
from gigbench.market.pricing.base import PricingPolicy, Quote
from gigbench.solvers.duals import matching_duals
from gigbench.solvers.registry import need

__all__ = ["CORES", "EquilibriumPricing", "core_surplus"]

CORES = {"rider": "cols", "worker": "rows"}


def core_surplus(problem, row_ind: np.ndarray, col_ind: np.ndarray, core: str):
    """``(u, v)``: row and column surplus at the ``core`` point (``rider``: columns get the
    most; ``worker``: rows get the most) of an optimal matching of ``problem``, in the units
    of its weights. Raises ``gigbench.solvers.duals.NotOptimalError`` for a matching that is not
    optimal."""
    return matching_duals(problem, row_ind, col_ind, favour=CORES[core])


class EquilibriumPricing(PricingPolicy):
    """Competitive-equilibrium fares of the welfare matching, net of the platform's wedge."""

    name = "equilibrium"

    @dataclass(frozen=True)
    class Params(PricingPolicy.Params):
        """core: ``rider`` (the lowest equilibrium fares) or ``worker`` (the highest);
        preset and commission as for ``tariff`` (the preset only fills the trip log's
        reference tariff columns)."""

        core: str = "rider"

        def check(self) -> None:
            """Reject an unknown core point, and a fare change (the fares are the matching's)."""
            super().check()
            need(self.fare_multiplier == 1, "pricing.fare_multiplier",
                 "1 under pricing=equilibrium (its fares come from the matching's duals: "
                 "nothing to scale)", self.fare_multiplier,
                 "use pricing=tariff or surge for a fare change")  # fmt: skip
            need(self.core in CORES, "pricing.core",
                 f"one of {sorted(CORES)} (rider = lowest fares, worker = highest)",
                 self.core)  # fmt: skip

    def requires(self) -> str | None:
        """Equilibrium prices belong to the surplus-maximising matching."""
        return "welfare"

    def needs_duals(self) -> bool:
        """The fares come from the optimal matching's dual points, so the matching must be
        proven optimal (an exact solver)."""
        return True

    def quote(self, view: QuoteView) -> Quote:
        """Before matching every rider is offered at most their value: nobody declines."""
        value = self.context.value[view.task]
        base = self.base_fare[view.task]
        return Quote(value, np.divide(value, base, out=np.ones(len(base)), where=base > 0))

    def matching_value(self, task: np.ndarray) -> np.ndarray:
        """What the rider's value can pay the worker: ``(1 - take) * value``."""
        return (1.0 - self.commission.take) * self.context.value[task]

    def settle(self, view: SettleView) -> np.ndarray:
        """Fares at the chosen core point (see the module docs)."""
        solution = view.solution
        u, _ = core_surplus(view.problem, solution.row_ind, solution.col_ind, self.params.core)
        keep = 1.0 - self.commission.take
        ceiling = keep * self.context.value[view.task]
        surplus = u[solution.row_ind] / (CENTS * view.weight_scale)
        pay = np.minimum(view.worker_cost + surplus, ceiling)
        return pay / keep
