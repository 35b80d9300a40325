"""New York's minimum pay for high-volume for-hire drivers (TLC, Rules of the City of New York,
title 35, §59D-22): a per-trip floor of

    floor = per_mile * trip_miles + per_minute * trip_minutes

(non-wheelchair-accessible trips within the city; shared rides and out-of-town trips are not
modelled). The rates build in a utilisation assumption: $17.22/h over 60 minutes over a 58%
utilisation is the 2019 $0.495 a minute. Rates, from the TLC's driver pay rates page:

* ``nyc_tlc_2019``: $1.088 per mile, $0.495 per minute, sector-wide, effective 1 February 2019.
* ``nyc_tlc_2024``: $1.360 per mile, $0.583 per minute, effective 1 March 2024.

The TLC raised the floor again from 1 August 2025 (a 7.5-mile, 30-minute reference trip pays
$29.07, 5% above 2024), but the per-mile and per-minute rates of that amendment were not found
in a primary source, so it is not offered here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.market.pay_rule.base import PayRule

__all__ = ["NycTlc2019", "NycTlc2024"]

KM_PER_MILE = 1.609344


class _NycTlc(PayRule):
    """Per-mile plus per-minute floor."""

    per_mile: float
    per_minute: float

    def floor(self, fare: np.ndarray, trip_km: np.ndarray, trip_min: np.ndarray) -> np.ndarray:
        """``per_mile * miles + per_minute * minutes`` of each trip."""
        return self.per_mile * trip_km / KM_PER_MILE + self.per_minute * trip_min


class NycTlc2019(_NycTlc):
    """``nyc_tlc_2019``: $1.088 a mile plus $0.495 a minute (1 February 2019)."""

    name = "nyc_tlc_2019"
    per_mile, per_minute = 1.088, 0.495

    @dataclass(frozen=True)
    class Params:
        """No parameters: the rates are the rule's."""


class NycTlc2024(_NycTlc):
    """``nyc_tlc_2024``: $1.360 a mile plus $0.583 a minute (1 March 2024)."""

    name = "nyc_tlc_2024"
    per_mile, per_minute = 1.360, 0.583

    @dataclass(frozen=True)
    class Params:
        """No parameters: the rates are the rule's."""
