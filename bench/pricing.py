"""Pricing policies and the commission split, formulas first.

* ``tariff``: fare = max(min_fare, base_fare + per_km * trip_km + per_min * trip_min).
* ``surge``: fare = tariff * m_z, with zone z's multiplier
  m_raw = clip(1 + sensitivity * (open_z / max(idle_z, 1) - 1), 1, cap) smoothed over batches,
  m_z(t) = (1 - smoothing) * m_z(t - interval) + smoothing * m_raw. The ``surge_capped`` config
  sets ``cap`` to the regulated ceiling (Indonesia: upper over lower per-km tariff).
* ``equilibrium``: the rider pays value - v_j, where v_j (the task's dual of the welfare
  maximising matching) is the rider's surplus at competitive-equilibrium prices (Shapley and
  Shubik 1971); needs a solver that returns duals.
* commission: worker pay = fare * (1 - commission - fee); platform revenue = fare * (commission
  + fee). Flat: fee = 0; Indonesia's schedule: commission 0.15 plus a 0.05 support fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from solvers.base import with_overrides

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
# "auto": the scenario's own commission and fee when it states them, else flat.
COMMISSION_PRESETS: dict[str, tuple[float, float]] = {
    "flat": (0.20, 0.0),
    "jakarta": (0.15, 0.05),
}


@dataclass(frozen=True)
class Tariff:
    """A regulated distance-and-time tariff with a minimum fare; or, with ``budget``, the
    client's posted budget is the fare (freelance marketplaces)."""

    base_fare: float
    per_km: float
    per_min: float
    min_fare: float
    budget: bool = False

    def components(
        self, trip_km: np.ndarray, trip_min: np.ndarray, value: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        """Base, distance, time and minimum-fare top-up parts of each fare; they sum to it."""
        if self.budget:
            zero = np.zeros(len(trip_km))
            return {
                "base": np.asarray(value, dtype=float),
                "distance": zero,
                "time": zero,
                "minimum_topup": zero,
            }
        base = np.full(len(trip_km), self.base_fare)
        distance = self.per_km * trip_km
        duration = self.per_min * trip_min
        metered = base + distance + duration
        return {
            "base": base,
            "distance": distance,
            "time": duration,
            "minimum_topup": np.maximum(self.min_fare - metered, 0.0),
        }

    def fare(self, trip_km: np.ndarray, trip_min: np.ndarray) -> np.ndarray:
        """The rider's fare for each trip (metered tariffs)."""
        metered = self.base_fare + self.per_km * trip_km + self.per_min * trip_min
        return np.maximum(self.min_fare, metered)


@dataclass(frozen=True)
class Commission:
    """Splits fares into worker pay and platform revenue."""

    rate: float
    fee: float = 0.0

    def __post_init__(self) -> None:
        if not (self.rate >= 0 and self.fee >= 0 and self.rate + self.fee < 1):
            raise ValueError(
                f"commission + fee: expected shares in [0, 1) summing below 1, got "
                f"{self.rate} + {self.fee}"
            )

    def split(self, fare: np.ndarray) -> dict[str, np.ndarray]:
        """``commission``, ``fee`` and ``worker_pay`` of each fare (they sum to the fare)."""
        commission = fare * self.rate
        fee = fare * self.fee
        return {"commission": commission, "fee": fee, "worker_pay": fare - commission - fee}


class PricingPolicy:
    """Base class: ``quote`` before matching, or ``settle`` after it from the duals."""

    name: ClassVar[str] = ""
    before_matching: ClassVar[bool] = True
    needs_duals: ClassVar[bool] = False

    @dataclass(frozen=True)
    class Params:
        """preset: a key of TARIFF_PRESETS or ``auto`` (the scenario's tariff if it has one,
        else nyc); commission: a key of COMMISSION_PRESETS or ``auto`` (the scenario's own
        commission and fee if stated, else flat 20%)."""

        preset: str = "auto"
        commission: str = "auto"

    def __init__(self, params: Any | None = None, **overrides: Any) -> None:
        self.params = with_overrides(self.Params, params, overrides, f"pricing {self.name!r}")
        if self.params.preset not in ("auto", *TARIFF_PRESETS):
            raise ValueError(
                f"pricing.preset: expected 'auto' or one of {sorted(TARIFF_PRESETS)}, "
                f"got {self.params.preset!r}"
            )
        if self.params.commission not in ("auto", *COMMISSION_PRESETS):
            raise ValueError(
                f"pricing.commission: expected 'auto' or one of {sorted(COMMISSION_PRESETS)}, "
                f"got {self.params.commission!r}"
            )
        self.commission = Commission(*COMMISSION_PRESETS["flat"])
        self.tariff = Tariff(**_tariff_fields(TARIFF_PRESETS["nyc"]))
        self.cap = TARIFF_PRESETS["nyc"]["cap"]

    def bind(self, scenario_meta: dict[str, Any], n_zones: int) -> None:
        """Pick the tariff for this scenario and reset any state."""
        preset = self.params.preset
        if preset == "auto":
            figures = scenario_meta.get("tariff") or TARIFF_PRESETS["nyc"]
        else:
            figures = TARIFF_PRESETS[preset]
        self.tariff = Tariff(**_tariff_fields(figures), budget=figures.get("kind") == "budget")
        # The regulated ceiling: the upper over the lower per-km tariff where one is published.
        if "cap" in figures:
            self.cap = float(figures["cap"])
        elif figures.get("per_km_max") and figures.get("per_km"):
            self.cap = float(figures["per_km_max"]) / float(figures["per_km"])
        else:
            self.cap = 3.0
        if self.params.commission == "auto":
            stated = scenario_meta.get("tariff") or {}
            rate, fee = COMMISSION_PRESETS["flat"]
            if "commission" in stated:
                rate, fee = float(stated["commission"]), float(stated.get("fee", 0.0))
            self.commission = Commission(rate, fee)
        else:
            self.commission = Commission(*COMMISSION_PRESETS[self.params.commission])

    def multiplier(
        self, now: float, task_zone: np.ndarray, worker_zone: np.ndarray, interval_s: float
    ) -> np.ndarray:
        """Per-task fare multiplier for this batch (1 for a plain tariff)."""
        return np.ones(len(task_zone))


def _tariff_fields(figures: dict[str, Any]) -> dict[str, float]:
    return {
        key: float(figures.get(key, 0.0)) for key in ("base_fare", "per_km", "per_min", "min_fare")
    }


class TariffPricing(PricingPolicy):
    """The regulated tariff, no surge."""

    name = "tariff"


class SurgePricing(PricingPolicy):
    """Tariff times a smoothed, capped zone multiplier from open requests over idle workers."""

    name = "surge"

    @dataclass(frozen=True)
    class Params:
        """sensitivity: multiplier slope per unit of excess demand ratio; smoothing: weight of
        the new batch in the moving average; cap: the highest multiplier, or with
        ``regulated_cap`` the preset's regulated ceiling; preset and commission as for
        ``tariff``."""

        preset: str = "auto"
        commission: str = "auto"
        sensitivity: float = 0.5
        smoothing: float = 0.3
        cap: float = 3.0
        regulated_cap: bool = False

    def bind(self, scenario_meta: dict[str, Any], n_zones: int) -> None:
        """Tariff as the base policy; the surge state starts at 1 in every zone."""
        super().bind(scenario_meta, n_zones)
        if not self.params.regulated_cap:
            self.cap = float(self.params.cap)
        if self.cap < 1 or not 0 < self.params.smoothing <= 1 or self.params.sensitivity < 0:
            raise ValueError(
                "surge: expected cap >= 1, smoothing in (0, 1] and sensitivity >= 0, got "
                f"{self.cap}, {self.params.smoothing}, {self.params.sensitivity}"
            )
        self.state = np.ones(max(n_zones, 1))

    def multiplier(
        self, now: float, task_zone: np.ndarray, worker_zone: np.ndarray, interval_s: float
    ) -> np.ndarray:
        """Update every zone's smoothed multiplier and return each task's."""
        n = len(self.state)
        demand = np.bincount(task_zone, minlength=n)[:n]
        supply = np.bincount(worker_zone, minlength=n)[:n]
        ratio = demand / np.maximum(supply, 1)
        raw = np.clip(1.0 + self.params.sensitivity * (ratio - 1.0), 1.0, self.cap)
        alpha = self.params.smoothing
        self.state = (1 - alpha) * self.state + alpha * raw
        return self.state[task_zone]


class EquilibriumPricing(PricingPolicy):
    """Competitive-equilibrium fares from the welfare matching's duals: value minus the
    rider's surplus."""

    name = "equilibrium"
    before_matching = False
    needs_duals = True


POLICIES: dict[str, type[PricingPolicy]] = {
    cls.name: cls for cls in (TariffPricing, SurgePricing, EquilibriumPricing)
}


def get_pricing(name: str, **params: Any) -> PricingPolicy:
    """The pricing policy ``name``; an unknown name lists the valid ones."""
    if name not in POLICIES:
        raise ValueError(f"unknown pricing {name!r}; valid policies are: {', '.join(POLICIES)}")
    return POLICIES[name](**params)
