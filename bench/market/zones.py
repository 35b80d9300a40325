"""Grids of zones over a market's plane, for pricing and repositioning.

A grid of ``zone_km`` squares over ``[0, width_km] x [0, height_km]`` (the scenario's
geography), numbered row by row from
the origin: ``zone = floor(y / zone_km) * n_cols + floor(x / zone_km)`` (points on the far edges
belong to the last row or column). Each policy keeps its own grid (``pricing.zone_km``,
``reposition.zone_km``), independent of the instance's reporting zones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from gigbench.errors import ConfigError
from gigbench.instances.meta import Geography

__all__ = ["ZoneGrid"]


@dataclass(frozen=True)
class ZoneGrid:
    """A ``zone_km`` grid over a ``width_km x height_km`` city."""

    width_km: float
    height_km: float
    zone_km: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.zone_km) and self.zone_km > 0):
            raise ConfigError(f"zone_km: expected a zone side > 0 km (e.g. 2), got {self.zone_km}")

    @classmethod
    def over(cls, plane: Geography, zone_km: float, key: str) -> ZoneGrid:
        """The grid over a scenario's plane; ``key`` names the setting in errors."""
        if not (math.isfinite(zone_km) and zone_km > 0):
            raise ConfigError(f"{key}: expected a zone side > 0 km (e.g. 2), got {zone_km}")
        return cls(float(plane.width_km), float(plane.height_km), float(zone_km))

    @property
    def n_cols(self) -> int:
        """Zones per row."""
        return max(1, math.ceil(self.width_km / self.zone_km - 1e-9))

    @property
    def n_rows(self) -> int:
        """Rows of zones."""
        return max(1, math.ceil(self.height_km / self.zone_km - 1e-9))

    @property
    def n_zones(self) -> int:
        """Number of zones."""
        return self.n_cols * self.n_rows

    def of(self, xy: np.ndarray) -> np.ndarray:
        """Zone of each ``(x, y)`` row (km); points outside are clamped to the edge zones."""
        col = np.clip((xy[:, 0] / self.zone_km).astype(np.int64), 0, self.n_cols - 1)
        row = np.clip((xy[:, 1] / self.zone_km).astype(np.int64), 0, self.n_rows - 1)
        return row * self.n_cols + col

    @cached_property
    def centres(self) -> np.ndarray:
        """``(n_zones, 2)`` zone centres (km), clipped to the city."""
        col, row = np.arange(self.n_zones) % self.n_cols, np.arange(self.n_zones) // self.n_cols
        x = np.minimum((col + 0.5) * self.zone_km, self.width_km)
        y = np.minimum((row + 0.5) * self.zone_km, self.height_km)
        return np.column_stack([x, y])
