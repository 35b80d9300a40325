"""The replayed window: which trips are in it, their times on the horizon, its length.

Three modes (see :class:`gigbench.instances.tlc.params.ReplayParams`):

- ``day`` set: ``[day + day_offset + start_hour, + hours)``; times are seconds from its start;
- ``fold_days``: every day overlaid on one, time of day in ``[start_hour, start_hour + hours)``;
- neither: everything, from midnight of the first trip's day; the horizon is rounded up to
  whole hours. Over more than ``max_days_unasked`` days this needs ``allow_long``: a month
  replayed as one horizon is rarely what a user meant (and takes minutes per policy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from gigbench.instances.tlc.params import ReplayError, ReplayParams
from gigbench.instances.tlc.records import NULL_TIME

__all__ = ["Window"]

_US_PER_S = 1_000_000
_US_PER_DAY = 86_400 * _US_PER_S


@dataclass(frozen=True)
class Window:
    """The window of a replay, from its params."""

    params: ReplayParams

    @property
    def span(self) -> tuple[datetime, datetime] | None:
        """``(start, end)`` of a day window, else None."""
        p = self.params
        if not p.day:
            return None
        start = datetime.fromisoformat(p.day) + timedelta(days=p.day_offset, hours=p.start_hour)
        return start, start + timedelta(hours=p.hours)

    def days(self) -> list[str] | None:
        """The calendar days (``YYYY-MM-DD``) a day window touches, else None (all days)."""
        span = self.span
        if span is None:
            return None
        first, last = span[0].date(), (span[1] - timedelta(microseconds=1)).date()
        return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]

    def outside(self, arrival: np.ndarray) -> np.ndarray:
        """Rows whose (non-null) arrival time is outside the window."""
        p = self.params
        has_time = arrival != NULL_TIME
        length = int(p.hours * 3600 * _US_PER_S)
        span = self.span
        if span is not None:
            rel = arrival - _micros(span[0])
        elif p.fold_days:
            rel = np.mod(arrival, _US_PER_DAY) - p.start_hour * 3600 * _US_PER_S
        else:
            return np.zeros(len(arrival), dtype=bool)
        return has_time & ((rel < 0) | (rel >= length))

    def place(self, arrival: np.ndarray, source: str) -> tuple[np.ndarray, float, int]:
        """(seconds from the horizon start, horizon seconds, origin in us) of kept trips."""
        p = self.params
        span = self.span
        if span is not None:
            origin = _micros(span[0])
            return (arrival - origin) / 1e6, p.hours * 3600.0, origin
        if p.fold_days:
            origin = p.start_hour * 3600 * _US_PER_S
            return (np.mod(arrival, _US_PER_DAY) - origin) / 1e6, p.hours * 3600.0, 0
        first = int(arrival.min())
        origin = first - first % _US_PER_DAY
        rel = arrival - origin
        days = (int(arrival.max()) - origin) / _US_PER_DAY
        if days > p.max_days_unasked and not p.allow_long:
            raise ReplayError(
                f"{source}: day='' over {days:.1f} days: expected at most "
                f"{p.max_days_unasked:g} days in one horizon, got the whole span; replay one "
                "day (instance.day=YYYY-MM-DD), overlay the days (instance.fold_days=true), or "
                "confirm with instance.allow_long=true"
            )
        horizon = max(3600.0, math.ceil((int(rel.max()) + 1) / 3.6e9) * 3600.0)
        return rel / 1e6, horizon, origin

    @property
    def first_hour(self) -> int:
        """The hour of day at which the horizon starts."""
        p = self.params
        return p.start_hour if (p.day or p.fold_days) else 0


def _micros(moment: datetime) -> int:
    return int(np.datetime64(moment, "us").astype(np.int64))
