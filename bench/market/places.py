"""The markets a run is measured in (``market=``): currency, what a vehicle costs its worker,
and the minimum wage pay fairness is measured against, by place, as data.

:data:`MARKETS` is the one source of these figures: ``configs/market/<name>.yaml`` chooses one
(its config node is registered from here, :func:`gigbench.schemas.register_schemas`), and
``market=auto`` picks the one in the scenario's currency (:mod:`gigbench.sim.auto`).
"""

from __future__ import annotations

import dataclasses

__all__ = ["MARKETS", "MarketConfig", "market_of_currency"]


@dataclasses.dataclass
class MarketConfig:
    """A market: its ``currency``; each vehicle type's running cost per km (it decides whether
    a job pays) and fixed cost per online hour (licences, insurance, the phone: sunk once the
    shift starts, so it only lowers earnings after costs); the minimum wage fairness is
    measured against. Fares and commission are the ``pricing`` group's. A figure left out is 0
    (no such cost, no minimum wage)."""

    name: str = ""
    currency: str = ""
    cost_per_km_car: float = 0.0
    cost_per_km_motorbike: float = 0.0
    cost_per_online_h_car: float = 0.0
    cost_per_online_h_motorbike: float = 0.0
    min_wage_per_h: float = 0.0


MARKETS: dict[str, MarketConfig] = {
    market.name: market
    for market in (
        # New York: USD. Car running cost: the IRS business standard mileage rate for 2019,
        # $0.58 a mile ($0.360 a km; fuel, maintenance, insurance and depreciation), IRS release
        # of 17 Dec 2018. Fixed cost per online hour: $3.00, an assumption for the for-hire
        # costs the mileage rate leaves out (TLC licence, commercial insurance, base fees), set
        # so that vehicle expenses per online hour come to the $8.54 allowance of Parrott and
        # Reich's standard ($25.76 - $17.22). Motorbikes are not a ride-hailing vehicle in New
        # York: the same figures are placeholders. Minimum wage: New York State's for New York
        # City employers, $16.50 from 1 January 2025.
        MarketConfig(
            name="nyc",
            currency="USD",
            cost_per_km_car=0.360,
            cost_per_km_motorbike=0.360,
            cost_per_online_h_car=3.0,
            cost_per_online_h_motorbike=3.0,
            min_wage_per_h=16.50,
        ),
        # Jakarta: IDR. Running cost per km: fuel at Rp 10,000 a litre of Pertalite (from 3 Sep
        # 2022) over 51 km a litre for a scooter (Honda BeAT, real-traffic test) = Rp 196/km,
        # and over 14.2 km a litre for a small car in Jakarta traffic (Honda Brio) = Rp 704/km;
        # maintenance, tyres and depreciation are an assumption (+ about Rp 100/km motorbike,
        # + Rp 300/km car). Minimum wage: UMP DKI Jakarta 2025, Rp 5,396,761 a month over 173
        # hours (PP 35/2021 Art. 32).
        MarketConfig(
            name="jakarta",
            currency="IDR",
            cost_per_km_car=1000.0,
            cost_per_km_motorbike=300.0,
            min_wage_per_h=31195.0,
        ),
    )
}


def market_of_currency(currency: str) -> str | None:
    """The name of the market in ``currency`` (None when no market is priced in it)."""
    return next((name for name, m in MARKETS.items() if m.currency == currency), None)
