"""Minimum-pay rules (``pay_rule=``): a floor under each trip's worker pay, paid by the platform.

* ``none``: pay is the fare less commission and fees.
* ``nyc_tlc_2019``, ``nyc_tlc_2024``: New York's minimum per-trip pay for high-volume for-hire
  drivers, per mile and per minute of the trip.
* ``commission_cap``: the platform keeps at most ``cap`` of the fare (Indonesia: 15% + 5%).
"""

from __future__ import annotations

from gigbench.market.pay_rule.base import PayRule
from gigbench.market.plugin import plugin_check
from gigbench.solvers.registry import Registry

__all__ = ["PAY_RULES", "PayRule"]

PAY_RULES: Registry[type[PayRule]] = Registry(
    "pay_rule",
    {
        "none": "gigbench.market.pay_rule.base:NoFloor",
        "nyc_tlc_2019": "gigbench.market.pay_rule.nyc_tlc:NycTlc2019",
        "nyc_tlc_2024": "gigbench.market.pay_rule.nyc_tlc:NycTlc2024",
        "commission_cap": "gigbench.market.pay_rule.commission_cap:CommissionCap",
    },
    check=plugin_check(PayRule),
    group="gigbench.pay_rules",
)
