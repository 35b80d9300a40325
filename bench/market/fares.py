"""One fare formula and one commission split, formulas first.

* tariff: ``fare = scale * max(min_fare, base_fare + per_km * trip_km + per_min * trip_min)``;
  a ``budget`` tariff (freelance) charges ``scale`` times the client's posted budget. ``scale``
  is 1 unless a fare change is in force (``pricing.fare_multiplier`` from
  ``pricing.fare_change_day`` on).
* commission: ``worker_pay = fare * (1 - commission - fee)``; the platform keeps
  ``fare * (commission + fee)``. Flat: fee = 0; Indonesia's schedule: commission 0.15 plus a
  0.05 support fee.

``pricing.preset=auto`` takes the scenario's own tariff (``meta["tariff"]``), else the NYC
meter; ``pricing.commission=auto`` the scenario's own commission and fee, else flat 20%.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gigbench.errors import ConfigError

__all__ = [
    "COMMISSION_PRESETS",
    "TARIFF_PRESETS",
    "Commission",
    "Tariff",
    "check_presets",
    "resolve",
]

# Published tariffs. nyc: TLC yellow taxi meter (2023), $3.00 flag drop and $0.70 per 1/5 mile;
# the meter's $0.70 per slow minute is folded in as a blended $0.35/min.
# jakarta_ojol: Kemenhub KP 667/2022 for Jabodetabek, Rp 2,550-2,800 per km, minimum fare for
# the first 4 km; jakarta_car: Rp 3,500-6,000 per km (SK.3244/2017, PM 118/2018). The lower
# bound is the tariff, upper over lower the regulated cap of surge_capped.
TARIFF_PRESETS: dict[str, dict[str, float]] = {
    "nyc": {"base_fare": 3.0, "per_km": 2.175, "per_min": 0.35, "min_fare": 3.0, "cap": 3.0},
    "jakarta_ojol": {
        "base_fare": 0.0,
        "per_km": 2550.0,
        "per_min": 0.0,
        "min_fare": 10200.0,
        "cap": 2800.0 / 2550.0,
    },
    "jakarta_car": {
        "base_fare": 0.0,
        "per_km": 3500.0,
        "per_min": 0.0,
        "min_fare": 14000.0,
        "cap": 6000.0 / 3500.0,
    },
}
COMMISSION_PRESETS: dict[str, tuple[float, float]] = {
    "flat": (0.20, 0.0),
    "jakarta": (0.15, 0.05),
}
FARE_PARTS = ("base", "distance", "time", "minimum_topup")


@dataclass(frozen=True)
class Tariff:
    """A regulated distance-and-time tariff with a minimum fare; or, with ``budget``, the
    client's posted budget is the fare (freelance marketplaces). ``cap`` is the regulated
    ceiling over the tariff (upper over lower per-km bound) where one is published; ``scale``
    multiplies every part (a fare change)."""

    base_fare: float
    per_km: float
    per_min: float
    min_fare: float
    budget: bool = False
    cap: float = 3.0
    scale: float = 1.0

    def components(
        self, trip_km: np.ndarray, trip_min: np.ndarray, value: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Base, distance, time and minimum-fare top-up parts of each fare; they sum to it."""
        zero = np.zeros(len(trip_km))
        k = self.scale
        if self.budget:
            return {"base": k * np.asarray(value, float), "distance": zero, "time": zero,
                    "minimum_topup": zero.copy()}  # fmt: skip
        base = np.full(len(trip_km), k * self.base_fare)
        distance = k * self.per_km * trip_km
        duration = k * self.per_min * trip_min
        topup = np.maximum(k * self.min_fare - (base + distance + duration), 0.0)
        return {"base": base, "distance": distance, "time": duration, "minimum_topup": topup}

    def fare(self, trip_km: np.ndarray, trip_min: np.ndarray, value: np.ndarray) -> np.ndarray:
        """The rider's fare for each trip: the sum of :meth:`components`."""
        return sum(self.components(trip_km, trip_min, value).values())


@dataclass(frozen=True)
class Commission:
    """Splits fares into worker pay and platform revenue."""

    rate: float
    fee: float = 0.0

    def __post_init__(self) -> None:
        if not (self.rate >= 0 and self.fee >= 0 and self.rate + self.fee < 1):
            raise ConfigError(
                f"commission + fee: expected shares in [0, 1) summing below 1, got "
                f"{self.rate} + {self.fee}"
            )

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
    """Reject an unknown tariff or commission preset."""
    if preset not in ("auto", *TARIFF_PRESETS):
        raise ConfigError(
            f"pricing.preset: expected 'auto' or one of {sorted(TARIFF_PRESETS)}, got {preset!r}"
        )
    if commission not in ("auto", *COMMISSION_PRESETS):
        raise ConfigError(
            f"pricing.commission: expected 'auto' or one of {sorted(COMMISSION_PRESETS)}, "
            f"got {commission!r}"
        )


def resolve(preset: str, commission: str, meta: dict[str, Any]) -> tuple[Tariff, Commission]:
    """The tariff and commission a pricing policy applies to a scenario (see module docs)."""
    check_presets(preset, commission)
    stated = meta.get("tariff") or {}
    figures = (stated or TARIFF_PRESETS["nyc"]) if preset == "auto" else TARIFF_PRESETS[preset]
    if "cap" in figures:
        cap = float(figures["cap"])
    elif figures.get("per_km_max") and figures.get("per_km"):
        cap = float(figures["per_km_max"]) / float(figures["per_km"])
    else:
        cap = 3.0
    tariff = Tariff(
        *(float(figures.get(key, 0.0)) for key in ("base_fare", "per_km", "per_min", "min_fare")),
        budget=figures.get("kind") == "budget",
        cap=cap,
    )
    if commission != "auto":
        return tariff, Commission(*COMMISSION_PRESETS[commission])
    if "commission" in stated:
        return tariff, Commission(float(stated["commission"]), float(stated.get("fee", 0.0)))
    return tariff, Commission(*COMMISSION_PRESETS["flat"])
