"""The supply contract and ``fixed`` supply.

At the start of each day a supply policy says when every worker of the scenario's pool is
online (:class:`Shifts`, seconds from the day's start; ``offline <= online`` means the worker
stays home that day). Within the day the simulation follows those shifts: a worker is
available from ``online`` until ``offline`` and finishes a trip that runs past ``offline``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from bench.market.plugin import Plugin

__all__ = ["FixedSupply", "Shifts", "SupplyPolicy"]


@dataclass(frozen=True)
class Shifts:
    """Online and offline times (s from the day's start) of every worker in the pool."""

    online: np.ndarray
    offline: np.ndarray


class SupplyPolicy(Plugin):
    """Base class: ``bind`` once with the pool's planned shifts, ``day`` every day."""

    kind: ClassVar[str] = "supply"

    def bind(self, planned: Shifts) -> None:
        """Keep the scenario's planned shifts."""
        self.planned = planned

    def day(self, index: int) -> Shifts:
        """Who works on day ``index`` (0 = the first)."""
        raise NotImplementedError


class FixedSupply(SupplyPolicy):
    """``fixed``: the scenario's shifts, the same every day."""

    name = "fixed"

    def day(self, index: int) -> Shifts:
        """The planned shifts."""
        return self.planned
