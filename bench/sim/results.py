"""The figures of a day or a run (:mod:`gigbench.sim.horizon` composes them into the row, the
day table, the trip log, the worker statement and the batch log).

Efficiency (all over the horizon): ``requests``; ``match_rate``, ``abandonment``, ``declined``
(shares of requests); ``offers_refused`` (share of candidate pairs); ``welfare`` (sum of value
minus worker cost of served trips), ``gross_fares``, ``platform_revenue``, ``worker_pay``,
``driver_pay_share``; ``wait_p50_s``/``wait_p90_s`` (request to pickup); ``pickup_km_mean``;
``utilisation`` = busy job-hours / (online hours x capacity); ``passenger_utilisation`` = hours
with a rider / (online hours x capacity); ``cruise_km_share`` = cruising km / all km driven;
``surge_share`` (served trips whose fare is above 1.05 x the tariff); ``paid_below_cost``
(served trips whose pay is below the worker's cost); ``pay_topup`` (what the platform paid to
bring pay up to the pay rule's floor) and ``topped_up_share`` (served trips it topped up).

Fairness: :func:`gigbench.market.metrics.fairness` over workers online at least
``mode.fairness_min_hours`` a day on the days they were online,
:func:`gigbench.market.metrics.zone_service` over origin zones,
``group_hourly_gap``.

Timing: ``batches`` and ``batches_solved``, ``solve_s_*`` (the solver's ``solve()`` alone),
``prepare_s_total``, ``validate_s_total``, ``edge_s_total`` (candidates, acceptance and
weights) and ``stage_s_<stage>`` for every stage of :data:`gigbench.sim.state.STAGES` (0 for a
stage that never ran, so that every run has the same columns).

Each figure's definition, unit and section: :mod:`gigbench.market.catalogue`.

Replays of records with driver pay: ``pay_per_trip_min``, ``observed_pay_per_trip_min``, their
ratio and ``observed_pay_trips`` (:func:`gigbench.market.metrics.observed_pay`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from gigbench.market.metrics import (
    fairness,
    fairness_counted,
    group_gap,
    observed_pay,
    percentile,
    zone_service,
)
from gigbench.sim.state import STAGES, SimState

__all__ = [
    "SimulationResult",
    "efficiency",
    "pay_fairness",
    "recorded_pay",
    "timing",
    "worker_statement",
]

EDGE_STAGES = ("candidates", "acceptance", "weigh")


@dataclass
class SimulationResult:
    """Run-level metrics plus the tables saved beside the run's row."""

    metrics: dict[str, float]
    tables: dict[str, pa.Table] = field(default_factory=dict)


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else float("nan")


def efficiency(state: SimState) -> dict[str, float]:
    """Efficiency figures (module docs)."""
    log, tasks, fleet = state.log, state.tasks, state.fleet
    served = log.served
    n = float(len(served))
    v = log.values
    gross = float(v["fare"][served].sum())
    pay = float(v["worker_pay"][served].sum())
    wait = v["matched_at"][served] + 60.0 * v["pickup_min"][served] - tasks.request[served]
    capacity_hours = fleet.online_hours() * fleet.capacity
    driven = fleet.km.sum() + fleet.cruise_km.sum()
    outcome = {name: float(np.mean(log.outcome == i)) if n else float("nan")
               for i, name in enumerate(("open", "served", "declined", "abandoned"))}  # fmt: skip
    return {
        "requests": n,
        "match_rate": outcome["served"],
        "abandonment": outcome["abandoned"],
        "declined": outcome["declined"],
        "offers_refused": _share(state.offers["refused"], state.offers["made"]),
        "welfare": float(v["welfare"][served].sum()),
        "gross_fares": gross,
        "platform_revenue": gross - pay,
        "worker_pay": pay,
        "driver_pay_share": _share(pay, gross),
        "wait_p50_s": percentile(wait, 50),
        "wait_p90_s": percentile(wait, 90),
        "pickup_km_mean": float(v["pickup_km"][served].mean()) if served.any() else float("nan"),
        "utilisation": _share(fleet.busy_s.sum() / 3600.0, capacity_hours.sum()),
        "passenger_utilisation": _share(fleet.ride_s.sum() / 3600.0, capacity_hours.sum()),
        "cruise_km_share": _share(float(fleet.cruise_km.sum()), float(driven)),
        "surge_share": float(np.mean(log.multiplier[served] > 1.05)) if served.any() else 0.0,
        "paid_below_cost": float(np.mean(v["worker_pay"][served] < v["worker_cost"][served] - 1e-9))
        if served.any()
        else 0.0,
        "pay_topup": float(v["pay_topup"][served].sum()),
        "topped_up_share": float(np.mean(v["pay_topup"][served] > 0)) if served.any() else 0.0,
    }


def recorded_pay(state: SimState) -> dict[str, float]:
    """Simulated against recorded pay per trip-minute
    (:func:`gigbench.market.metrics.observed_pay`)"""
    tasks, log = state.tasks, state.log
    recorded = tasks.observed.get("observed_driver_pay", np.full(len(tasks), np.nan))
    return observed_pay(log.values["worker_pay"], recorded, tasks.minutes, log.served)


def worker_statement(state: SimState) -> pa.Table:
    """The per-worker statement: hours, trips, fares, commission, pay, costs, hourly wages."""
    fleet, s = state.fleet, state.settings
    hours = fleet.online_hours()
    costs = fleet.cost_per_km * (fleet.km + fleet.cruise_km) + fleet.cost_per_online_h * hours

    def per_hour(amount: np.ndarray) -> np.ndarray:
        return np.divide(amount, hours, out=np.zeros(len(fleet)), where=hours > 0)

    after_costs = per_hour(fleet.pay - costs)
    return pa.table(
        {
            "worker_id": fleet.ids,
            "group": fleet.group.astype(str),
            "vehicle": fleet.vehicle.astype(str),
            "online_hours": hours,
            "days_online": fleet.days_online(),
            "busy_hours": fleet.busy_s / 3600.0,
            "ride_hours": fleet.ride_s / 3600.0,
            "trips": fleet.trips,
            "gross_fares": fleet.gross,
            "commission": fleet.commission,
            "net_pay": fleet.pay,
            "hourly_pay": per_hour(fleet.pay),
            "km": fleet.km,
            "cruise_km": fleet.cruise_km,
            "cruise_cost": fleet.cost_per_km * fleet.cruise_km,
            "vehicle_costs": costs,
            "hourly_after_costs": after_costs,
            "min_wage": np.full(len(fleet), s.min_wage),
            "below_min_wage": after_costs < s.min_wage,
        }
    )


def pay_fairness(state: SimState, statement: pa.Table) -> dict[str, float]:
    """Fairness of hourly pay over the workers :func:`gigbench.market.metrics.fairness_counted`
    counts (the report's Lorenz curves count the same), of service over zones, and the gap
    between worker groups."""
    online = fairness_counted(
        statement.column("online_hours").to_numpy(),
        statement.column("days_online").to_numpy(),
        state.settings.fairness_min_hours,
    )
    pay = statement.column("hourly_pay").to_numpy()[online]
    net = statement.column("hourly_after_costs").to_numpy()[online]
    s = state.settings
    return (
        fairness(pay, net, s.min_wage)
        | zone_service(state.tasks.zone, state.log.served, s.zone_min_requests)
        | {"group_hourly_gap": group_gap(state.fleet.group[online], pay)}
    )


def timing(state: SimState) -> dict[str, float]:
    """Batches and seconds by stage (module docs)."""
    sec = state.seconds
    solved = float(np.count_nonzero(state.batches["edges"]))
    figures = {
        "batches": float(len(state.times)),
        "batches_solved": solved,
        "solve_s_total": sec["solver_solve"],
        "solve_s_per_batch": sec["solver_solve"] / solved if solved else 0.0,
        "prepare_s_total": sec["solver_prepare"],
        "validate_s_total": sec["solver_validate"],
        "edge_s_total": sum(sec[name] for name in EDGE_STAGES),
    }
    return figures | {f"stage_s_{name}": sec.get(name, 0.0) for name in STAGES}
