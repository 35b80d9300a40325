"""``commission_cap``: the platform keeps at most ``cap`` of each fare (commission and fees
together), so ``floor = (1 - cap) * fare``. Indonesia's Kepmenhub KP 1001/2022 (amending KP
667/2022) caps the app fee at 15% plus a 5% support fee: ``cap=0.2``; the 10% cap drivers ask
for (a draft presidential regulation, not issued by February 2026): ``cap=0.1``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.market.pay_rule.base import PayRule
from gigbench.solvers.registry import need

__all__ = ["CommissionCap"]


class CommissionCap(PayRule):
    """Worker pay at least ``(1 - cap)`` of the fare."""

    name = "commission_cap"

    @dataclass(frozen=True)
    class Params:
        """cap: the largest share of a fare the platform may keep, in [0, 1)."""

        cap: float = 0.2

        def check(self) -> None:
            """Reject a cap outside [0, 1)."""
            need(np.isfinite(self.cap) and 0.0 <= self.cap < 1.0, "pay_rule.cap",
                 "a share in [0, 1) (0.2 = 15% + 5%)", self.cap)  # fmt: skip

    def floor(self, fare: np.ndarray, trip_km: np.ndarray, trip_min: np.ndarray) -> np.ndarray:
        """``(1 - cap) * fare``."""
        return (1.0 - self.params.cap) * fare
