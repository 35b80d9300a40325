"""The tariff a pricing policy applies and the commission that splits its fares, formulas first.

* tariff: the scenario's own (:class:`gigbench.instances.tariffs.Tariff`, the one fare
  formula: ``fare = scale * max(min_fare, base_fare + per_km * trip_km + per_min * trip_min)``,
  or ``scale`` times the client's posted budget); ``scale`` is 1 unless a fare change is in
  force (``pricing.fare_multiplier`` from ``pricing.fare_change_day`` on). Tariffs are the
  instance's data, read only through the scenario: ``pricing.preset=auto`` is the scenario's
  tariff, and a tariff's name (``pricing.preset=nyc``) is accepted only when it names that same
  tariff (a name means one tariff).
* commission: ``worker_pay = fare * (1 - commission - fee)``; the platform keeps
  ``fare * (commission + fee)``. ``pricing.commission=auto`` is the scenario's tariff's own
  commission and fee; ``flat`` a flat 20%; ``jakarta`` Indonesia's schedule, 15% plus a 5%
  support fee (KP 1001/2022).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.errors import ConfigError
from gigbench.instances.tariffs import TARIFFS, Tariff
from gigbench.solvers.registry import need

__all__ = ["COMMISSION_PRESETS", "Commission", "check_presets", "resolve"]

COMMISSION_PRESETS: dict[str, tuple[float, float]] = {
    "flat": (0.20, 0.0),
    "jakarta": (0.15, 0.05),
}


@dataclass(frozen=True)
class Commission:
    """Splits fares into worker pay and platform revenue."""

    rate: float
    fee: float = 0.0

    def check(self) -> None:
        """Reject shares that are negative or leave the worker nothing."""
        need(self.rate >= 0 and self.fee >= 0 and self.rate + self.fee < 1, "commission + fee",
             "shares in [0, 1) summing below 1", (self.rate, self.fee))  # fmt: skip

    @property
    def take(self) -> float:
        """The platform's total share of a fare."""
        return self.rate + self.fee

    def split(self, fare: np.ndarray) -> dict[str, np.ndarray]:
        """``commission``, ``fee`` and ``worker_pay`` of each fare (they sum to the fare)."""
        commission = fare * self.rate
        fee = fare * self.fee
        return {"commission": commission, "fee": fee, "worker_pay": fare - commission - fee}


def check_presets(preset: str, commission: str) -> None:
    """Reject a tariff name no tariff has, and an unknown commission preset."""
    need(preset in ("auto", *TARIFFS), "pricing.preset",
         f"'auto' (the instance's own tariff) or one of {sorted(TARIFFS)}", preset)  # fmt: skip
    need(commission in ("auto", *COMMISSION_PRESETS), "pricing.commission",
         f"'auto' or one of {sorted(COMMISSION_PRESETS)}", commission)  # fmt: skip


def resolve(preset: str, commission: str, tariff: Tariff) -> tuple[Tariff, Commission]:
    """The tariff and commission a pricing policy applies to a scenario whose tariff is
    ``tariff`` (module docs)."""
    check_presets(preset, commission)
    if preset not in ("auto", tariff.name):
        own = f"its own tariff {tariff.name!r}" if tariff.name else "a tariff of its own figures"
        raise ConfigError(
            f"pricing.preset={preset}: the instance charges {own}, not {preset!r} (a tariff is "
            "the instance's: a name means one tariff); use pricing.preset=auto, or an instance "
            f"whose tariff is {preset!r}"
        )
    if commission == "auto":
        return tariff, Commission(tariff.commission, tariff.fee)
    return tariff, Commission(*COMMISSION_PRESETS[commission])
