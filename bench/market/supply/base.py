"""The supply contract and ``fixed`` supply.

A run's workers are a *pool* (:class:`Pool`): the scenario's workers, with their planned shifts
and reservation wages. At the start of each day a supply policy says when every worker of the
pool is online (:class:`Shifts`, seconds from the day's start; ``offline <= online`` means the
worker stays home that day). Within the day the simulation follows those shifts: a worker is
available from ``online`` until ``offline`` and finishes a trip that runs past ``offline``. At
the end of each day the policy sees what every worker earned (:class:`DayEarnings`) and may
learn from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from gigbench.market.plugin import Plugin

__all__ = ["DayEarnings", "FixedSupply", "Pool", "Shifts", "SupplyPolicy"]


@dataclass(frozen=True)
class Shifts:
    """Online and offline times (s from the day's start) of every worker in the pool."""

    online: np.ndarray
    offline: np.ndarray

    @property
    def hours(self) -> np.ndarray:
        """Each shift's length in hours (0 for a worker who stays home)."""
        return np.maximum(self.offline - self.online, 0.0) / 3600.0


@dataclass(frozen=True)
class Pool:
    """The workers a policy chooses from: their planned shifts (hours and placement), their
    reservation wages (currency per hour) and the scenario's seed (policies that draw use it
    with the day's index, so a run is reproducible)."""

    planned: Shifts
    wage: np.ndarray
    seed: int

    def __len__(self) -> int:
        return len(self.wage)


@dataclass(frozen=True)
class DayEarnings:
    """One closed day, per pool worker: online hours (until the last drop-off) and earnings
    after commission and vehicle costs (currency)."""

    hours: np.ndarray
    net: np.ndarray


class SupplyPolicy(Plugin):
    """Base class: ``bind`` once with the pool, ``day`` at the start of every day, ``learn``
    at its end."""

    kind: ClassVar[str] = "supply"

    def pool_size(self, fleet: int) -> int:
        """How many potential workers the policy needs for a scenario of ``fleet`` workers (the
        simulation draws the extra ones from the scenario's generator)."""
        return fleet

    def bind(self, pool: Pool) -> None:
        """Keep the pool."""
        self.pool = pool

    def day(self, index: int) -> Shifts:
        """Who works on day ``index`` (0 = the first)."""
        raise NotImplementedError

    def learn(self, index: int, earnings: DayEarnings) -> None:
        """See what day ``index`` paid (fixed supply does not react)."""

    def figures(self) -> dict[str, float]:
        """The policy's own figures for the day table (none by default)."""
        return {}


class FixedSupply(SupplyPolicy):
    """``fixed``: the scenario's shifts, the same every day."""

    name = "fixed"

    def day(self, index: int) -> Shifts:
        """The planned shifts."""
        return self.pool.planned
