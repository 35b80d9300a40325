"""``gigbench-calibrate <preset>``: simulate a preset's day and check it against its targets.

The day runs with the default configuration of ``gigbench instance=<preset>`` (composed by
Hydra, so the same defaults), the targets are :data:`gigbench.instances.calibration.TARGETS`. The
command
prints one row per target (measured value, band, pass or MISS, source) and exits 0 when every
target holds, 1 when one is missed, 2 for a mistake in the command (an unknown preset or key).

    gigbench-calibrate nyc
    gigbench-calibrate jakarta_ojol --n-tasks 5000 --seed 3
    gigbench-calibrate nyc --set instance.supply_ratio=1.4 --set mode.radius_km=4
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from gigbench.errors import ConfigError
from gigbench.instances.calibration import Target, calibrated_presets, targets_of
from gigbench.market.metrics import fairness_counted

__all__ = ["Measured", "calibrate", "main", "measure"]

KM_PER_MILE = 1.609344


@dataclass
class Measured:
    """A simulated day: its scenario, metrics and tables, and the settings it ran with."""

    scenario: Any
    metrics: dict[str, float]
    tables: dict[str, Any]
    min_hours: float

    def workers(self) -> Any:
        """The worker statement of the workers the pay-fairness metrics count
        (:func:`gigbench.market.metrics.fairness_counted`: one rule for both)."""
        statement = self.tables["workers"].to_pandas()
        counted = fairness_counted(
            statement["online_hours"].to_numpy(), statement["days_online"].to_numpy(),
            self.min_hours,
        )  # fmt: skip
        return statement[counted]


def _column(scenario: Any, name: str) -> np.ndarray:
    return scenario.tasks.column(name).to_numpy()


def _fare_in_band(day: Measured) -> float:
    tariff = day.scenario.meta.get("tariff") or {}
    trips = day.tables["trips"].to_pandas()
    served = trips[trips["served"]]
    if served.empty or not tariff:
        return float("nan")
    km, minutes = served["trip_km"], served["trip_min"]
    metered = tariff["base_fare"] + tariff["per_min"] * minutes
    low = np.maximum(tariff["min_fare"], metered + tariff["per_km"] * km)
    high = np.maximum(tariff["min_fare_max"], metered + tariff["per_km_max"] * km)
    fare = served["fare"]
    return float(np.mean((fare >= low * (1 - 1e-9)) & (fare <= high * (1 + 1e-9))))


MEASURES: dict[str, Callable[[Measured, Target], float]] = {
    "trip_miles_median": lambda d, t: float(
        np.median(_column(d.scenario, "distance_km")) / KM_PER_MILE
    ),
    "trip_minutes_median": lambda d, t: float(np.median(_column(d.scenario, "duration_min"))),
    "passenger_utilisation": lambda d, t: d.metrics["passenger_utilisation"],
    "utilisation": lambda d, t: d.metrics["utilisation"],
    "offers_refused": lambda d, t: d.metrics["offers_refused"],
    "served_of_booked": lambda d, t: d.metrics["match_rate"] / (1.0 - d.metrics["declined"]),
    "wait_p50_min": lambda d, t: d.metrics["wait_p50_s"] / 60.0,
    "below_hourly_net": lambda d, t: float(
        np.mean(d.workers()["hourly_after_costs"] < t.threshold)
    ),
    "hourly_net_median": lambda d, t: float(np.median(d.workers()["hourly_after_costs"])),
    "hourly_pay_median": lambda d, t: float(np.median(d.workers()["hourly_pay"])),
    "online_hours_mean": lambda d, t: float(np.mean(d.workers()["online_hours"])),
    "costs_per_online_h": lambda d, t: float(
        np.mean(d.workers()["vehicle_costs"] / d.workers()["online_hours"])
    ),
    "fare_in_band": lambda d, t: _fare_in_band(d),
    "platform_take": lambda d, t: 1.0 - d.metrics["driver_pay_share"],
}


def measure(day: Measured, target: Target) -> float:
    """The value of ``target``'s quantity on a simulated day."""
    return float(MEASURES[target.key](day, target))


def simulate_preset(preset: str, overrides: list[str]) -> Measured:
    """Compose ``gigbench instance=<preset> <overrides>`` and simulate it in this process."""
    from hydra import compose

    from gigbench.harness.compose import register
    from gigbench.harness.modes import build
    from gigbench.resources import hydra_compose

    register()
    with hydra_compose():
        cfg = compose(config_name="config", overrides=[f"instance={preset}", *overrides])
    scenario, spec, result = build(cfg).simulate()
    return Measured(scenario, result.metrics, result.tables, spec.settings.fairness_min_hours)


def calibrate(preset: str, overrides: list[str]) -> list[tuple[Target, float]]:
    """Every target of ``preset`` with its measured value."""
    targets = targets_of(preset)
    day = simulate_preset(preset, overrides)
    return [(target, measure(day, target)) for target in targets]


def _table(rows: list[tuple[Target, float]]) -> str:
    """The targets with measured values; sources as numbered notes below the table."""
    lines = [f"{'target':<52} {'measured':>10} {'band':>20}  result  note"]
    notes: list[str] = []
    for target, value in rows:
        label = f"{target.label} ({target.unit})" if target.unit else target.label
        band = f"[{target.low:g}, {target.high:g}]"
        verdict = "pass" if target.holds(value) else "MISS"
        note = ("" if target.sourced else "assumption: ") + target.source
        if note not in notes:
            notes.append(note)
        lines.append(
            f"{label:<52} {value:>10.4g} {band:>20}  {verdict:<6}  [{notes.index(note) + 1}]"
        )
    return "\n".join(lines + [f"[{i}] {note}" for i, note in enumerate(notes, 1)])


def main(argv: list[str] | None = None) -> int:
    """Console entry point of ``gigbench-calibrate``."""
    parser = argparse.ArgumentParser(prog="gigbench-calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("preset", help=f"one of: {', '.join(calibrated_presets())}")
    parser.add_argument("--n-tasks", type=int, help="expected requests (default: the preset's)")
    parser.add_argument("--seed", type=int, default=0, help="instance seed (default 0)")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE",
        help="any gigbench override, e.g. instance.supply_ratio=1.4 (repeatable)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    overrides = [f"instance.seed={args.seed}", *args.set]
    if args.n_tasks is not None:
        overrides.append(f"instance.n_tasks={args.n_tasks}")
    try:
        if args.preset not in calibrated_presets():
            raise ConfigError(
                f"preset: expected one of {calibrated_presets()}, got {args.preset!r}; "
                "calibration targets exist for these presets only"
            )
        rows = calibrate(args.preset, overrides)
    except Exception as exc:  # a user's mistake is one line, a bug re-raises
        from gigbench.harness.failures import documented_errors, error_line

        if not isinstance(exc, documented_errors()):
            raise
        print(f"gigbench-calibrate: error: {error_line(exc)}", file=sys.stderr)
        return 2
    print(f"gigbench-calibrate {args.preset}: {' '.join(overrides)}")
    print(_table(rows))
    missed = sum(not target.holds(value) for target, value in rows)
    summary = f"{len(rows) - missed} of {len(rows)} targets hold"
    print(summary + (f"; {missed} missed" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
