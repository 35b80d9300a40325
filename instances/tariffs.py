"""Published tariffs as data, and the one fare formula.

A ``metered`` tariff charges, for a trip of ``km`` road kilometres and ``minutes``,

    fare = max(s * min_fare, s * base_fare + s * per_km * km + s * per_min * minutes)

(``s``, the scale, is 1 unless a fare change is in force); a ``budget`` tariff (freelance
marketplaces) charges ``s`` times the client's posted budget (the task's ``value``). The parts
(:data:`FARE_PARTS`: base, distance, time, and the top-up to the minimum fare) sum to it.
``per_km_max`` and ``min_fare_max`` are the regulated upper bounds where one is published
(:meth:`Tariff.ceiling` charges them); ``surge_cap`` is the regulated ceiling of a multiplier
over the tariff (the upper over the lower per-km bound where both are published). ``commission``
and ``fee`` are the platform's published cut of every fare.

:data:`TARIFFS` holds every named tariff: a name means one tariff. A scenario states the
tariff its market charges (:class:`gigbench.instances.meta.ScenarioMeta`); the simulation reads
tariffs only from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np

from gigbench.solvers.registry import need

__all__ = ["BASES", "FARE_PARTS", "TARIFFS", "Tariff", "named"]

BASES = ("metered", "budget")
FARE_PARTS = ("base", "distance", "time", "minimum_topup")


@dataclass(frozen=True)
class Tariff:
    """A tariff (module docs); ``name`` is its key in :data:`TARIFFS`, or ``""`` for figures of
    a scenario's own that no named tariff has."""

    name: str = ""
    basis: str = "metered"
    base_fare: float = 0.0
    per_km: float = 0.0
    per_km_max: float = 0.0
    per_min: float = 0.0
    min_fare: float = 0.0
    min_fare_max: float = 0.0
    min_fare_km: float = 0.0  # the distance the minimum fare covers (min_fare / per_km)
    surge_cap: float = 3.0
    commission: float = 0.2
    fee: float = 0.0

    def check(self) -> None:
        """Reject an unknown basis, negative figures, upper bounds below the tariff, a surge
        cap below 1 and a cut outside [0, 1)."""
        need(self.basis in BASES, "tariff.basis", f"one of {', '.join(BASES)}", self.basis)
        for key in ("base_fare", "per_km", "per_min", "min_fare", "min_fare_km", "fee"):
            need(getattr(self, key) >= 0, f"tariff.{key}", ">= 0", getattr(self, key))
        need(self.per_km_max >= self.per_km, "tariff.per_km_max", ">= per_km", self.per_km_max)
        need(self.min_fare_max >= self.min_fare, "tariff.min_fare_max", ">= min_fare",
             self.min_fare_max)  # fmt: skip
        need(self.surge_cap >= 1, "tariff.surge_cap", ">= 1", self.surge_cap)
        need(0 <= self.commission + self.fee < 1, "tariff.commission",
             "commission + fee in [0, 1)", self.commission + self.fee)  # fmt: skip

    def parts(
        self, km: np.ndarray, minutes: np.ndarray, value: np.ndarray, scale: float = 1.0
    ) -> dict[str, np.ndarray]:
        """Base, distance, time and minimum-fare top-up of each fare (they sum to
        :meth:`fare`)."""
        n = len(km)
        zero = np.zeros(n)
        if self.basis == "budget":
            return {"base": scale * np.asarray(value, float), "distance": zero,
                    "time": zero.copy(), "minimum_topup": zero.copy()}  # fmt: skip
        base = np.full(n, scale * self.base_fare)
        distance = scale * self.per_km * km
        duration = scale * self.per_min * minutes
        metered = base + distance + duration
        topup = np.maximum(scale * self.min_fare, metered) - metered
        return {"base": base, "distance": distance, "time": duration, "minimum_topup": topup}

    def fare(
        self, km: np.ndarray, minutes: np.ndarray, value: np.ndarray, scale: float = 1.0
    ) -> np.ndarray:
        """Each trip's fare (module docs)."""
        if self.basis == "budget":
            return scale * np.asarray(value, float)
        metered = scale * self.base_fare + scale * self.per_km * km + scale * self.per_min * minutes
        return np.maximum(scale * self.min_fare, metered)

    def ceiling(self, km: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        """Each trip's fare at the regulated upper bounds (a metered tariff)."""
        return replace(self, per_km=self.per_km_max, min_fare=self.min_fare_max).fare(
            km, minutes, np.zeros(len(km))
        )

    def as_dict(self) -> dict[str, Any]:
        """The tariff as a scenario's metadata stores it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, figures: Mapping[str, Any]) -> Tariff:
        """The tariff :meth:`as_dict` stored; unknown keys are refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(figures) - known)
        need(not unknown, "tariff", f"the keys {', '.join(sorted(known))}", unknown)
        text = ("name", "basis")
        return cls(**{k: v if k in text else float(v) for k, v in figures.items()})

    def named(self) -> Tariff:
        """This tariff, named after the entry of :data:`TARIFFS` whose figures it has (or
        unnamed, ``""``, when none has them)."""
        figures = replace(self, name="")
        match = next((t.name for t in TARIFFS.values() if replace(t, name="") == figures), "")
        return replace(self, name=match)


def named(name: str) -> Tariff:
    """The tariff named ``name``; an unknown name lists the valid ones."""
    need(name in TARIFFS, "tariff", f"one of {', '.join(sorted(TARIFFS))}", name)
    return TARIFFS[name]


TARIFFS: dict[str, Tariff] = {
    tariff.name: tariff
    for tariff in (
        # TLC yellow taxi meter (2023): $3.00 flag drop and $0.70 per 1/5 mile; the meter's $0.70
        # per slow minute folded in as a blended $0.35/min. No regulated ceiling: a surge cap of
        # 3 (an assumption). Commission: a flat 20% (an assumption for an app platform). The
        # tariff of instance=city and of replayed trips priced by rule rather than as recorded.
        Tariff("nyc_meter", base_fare=3.0, per_km=2.175, per_km_max=2.175, per_min=0.35,
               min_fare=3.0, min_fare_max=3.0, surge_cap=3.0, commission=0.2),
        # instance=nyc: fitted to the March 2019 sample's metered fares (standard rate, least
        # squares): 2.05 USD + 1.16 USD/km + 0.36 USD/min, minimum 2.5; commission 25% (an
        # assumption for an app platform).
        Tariff("nyc", base_fare=2.05, per_km=1.16, per_km_max=1.16, per_min=0.36,
               min_fare=2.5, min_fare_max=2.5, surge_cap=1.0, commission=0.25),
        # instance=jakarta_ojol: Kemenhub KP 667/2022 zone II (Jabodetabek), Rp 2,550-2,800 per
        # km, minimum fare Rp 10,200-11,200 for the first 4 km; commission 15% plus a 5% support
        # fee (KP 1001/2022).
        Tariff("jakarta_ojol", per_km=2550.0, per_km_max=2800.0, min_fare=10200.0,
               min_fare_max=11200.0, min_fare_km=4.0, surge_cap=2800.0 / 2550.0,
               commission=0.15, fee=0.05),
        # instance=jakarta_car: SK.3244/AJ.801/DJPD/2017 zone I (PM 118/2018), Rp 3,500-6,000
        # per km; the minimum fare for the first 4 km at the same bounds (Rp 14,000-24,000, an
        # assumption); commission 15% plus a 5% fee as for motorbikes.
        Tariff("jakarta_car", per_km=3500.0, per_km_max=6000.0, min_fare=14000.0,
               min_fare_max=24000.0, min_fare_km=4.0, surge_cap=6000.0 / 3500.0,
               commission=0.15, fee=0.05),
        # instance=freelance: the client's posted budget; the platform's fee 20% (Fiverr;
        # Upwork's 10% is instance.commission=0.1, an unnamed tariff).
        Tariff("freelance_budget", basis="budget", surge_cap=3.0, commission=0.2),
    )
}  # fmt: skip
