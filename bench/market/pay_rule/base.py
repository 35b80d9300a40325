"""The pay-rule contract, and ``none``.

A rule gives each trip a floor under the worker's pay; the platform tops the commission split
up to it out of its own share:

    worker_pay = max(fare * (1 - commission - fee), floor)
    pay_topup  = worker_pay - fare * (1 - commission - fee)

The top-up comes out of the commission first, then the fee; a floor above the whole fare is a
loss the platform books (its revenue on that trip is ``fare - worker_pay < 0``). The worker
acceptance rule and the objectives see the pay after the floor.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from gigbench.market.plugin import Plugin

__all__ = ["NoFloor", "PayRule", "apply_floor"]


class PayRule(Plugin):
    """Base class: :meth:`floor` per trip, in the fare's currency."""

    kind: ClassVar[str] = "pay_rule"

    def floor(self, fare: np.ndarray, trip_km: np.ndarray, trip_min: np.ndarray) -> np.ndarray:
        """The least pay each trip may give its worker."""
        raise NotImplementedError


class NoFloor(PayRule):
    """``none``: no floor."""

    name = "none"

    def floor(self, fare: np.ndarray, trip_km: np.ndarray, trip_min: np.ndarray) -> np.ndarray:
        """Zero."""
        return np.zeros(len(fare))


def apply_floor(money: dict[str, np.ndarray], floor: np.ndarray) -> dict[str, np.ndarray]:
    """A commission split with the worker's pay raised to ``floor`` (module docs); adds
    ``pay_topup``. The parts still sum to the fare."""
    topup = np.maximum(floor - money["worker_pay"], 0.0)
    from_commission = np.minimum(topup, np.maximum(money["commission"], 0.0))
    return {
        "commission": money["commission"] - from_commission,
        "fee": money["fee"] - (topup - from_commission),
        "worker_pay": money["worker_pay"] + topup,
        "pay_topup": topup,
    }
