"""``fair``: welfare plus ``lambda`` times a pay bonus for workers whose earnings per online hour
lag the fleet (amortised fairness, Suhr et al., KDD 2019):

    bonus_ij = round(100 * worker_pay_j * lag_i),   lag_i = max(0, 1 - e_i / mean(e))

with ``e`` the earnings per online hour so far of the online fleet. ``lambda = 0`` is welfare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from gigbench.market.objective.base import CENTS, EdgeContext, Terms
from gigbench.market.objective.welfare import Welfare
from gigbench.solvers.registry import need

__all__ = ["Fair"]


class Fair(Welfare):
    """Welfare plus ``lambda`` x a pay bonus for lagging workers."""

    name = "fair"
    # ``lambda`` is a Python keyword: the config key ``objective.lambda`` fills ``lam``.
    config_aliases: ClassVar[dict[str, str]] = {"lambda": "lam"}

    @dataclass(frozen=True)
    class Params:
        """lam (config key ``objective.lambda``): the fairness weight, >= 0."""

        lam: float = 0.5

        def check(self) -> None:
            """Reject a negative or non-finite weight."""
            ok = not isinstance(self.lam, bool) and np.isfinite(self.lam) and self.lam >= 0
            need(ok, "objective.lambda", "a number >= 0 (0 = welfare)", self.lam)

    def needs_lag(self) -> bool:
        """The bonus reads each worker's lag."""
        return True

    def weigh(self, ctx: EdgeContext) -> Terms:
        """``welfare`` and ``fairness_bonus``."""
        terms = super().weigh(ctx)
        bonus = self.params.lam * CENTS * ctx.worker_pay * ctx.lag
        terms["fairness_bonus"] = np.round(bonus).astype(np.int64)
        return terms
