"""``gigbench-instance-plot``: a preset's hourly demand curve and trip-length distribution, as PNG.

    gigbench-instance-plot nyc --out demand_nyc.png
    gigbench-instance-plot jakarta_ojol --out ojol.png --set rush_ramp=1.0 --seed 3
    gigbench-instance-plot replay --out r.png --set path=trips.csv --set zones=zones.csv

Left panel: requests per hour of the horizon (bars) and, for ride-hailing, the speed profile
(line, right axis). Right panel: the histogram of trip distance (km) with its median, or for
the freelance market (no geography) of job size (expected hours).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from gigbench.instances.generators import UnknownNameError, available_generators, generate
from gigbench.instances.scenario import Scenario

__all__ = ["main", "plot_scenario"]


def plot_scenario(scenario: Scenario, out: str | Path, title: str | None = None) -> Path:
    """Write the two-panel figure of ``scenario`` to the PNG ``out``; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tasks = scenario.tasks
    times = tasks.column("request_time").to_numpy()
    horizon_h = int(np.ceil(scenario.meta["horizon_s"] / 3600.0))
    counts = np.bincount((times // 3600).astype(np.int64), minlength=horizon_h)[:horizon_h]
    freelance = scenario.meta.get("market") == "freelance"
    currency = scenario.meta.get("currency", "")
    name = scenario.meta.get("generator", "scenario")

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6), constrained_layout=True)
    hours = np.arange(horizon_h)
    left.bar(hours + 0.5, counts, width=0.9, color="#4C72B0", label="requests")
    left.set_xlabel("hour of the horizon (from 00:00)")
    left.set_ylabel("requests per hour")
    left.set_xlim(0, horizon_h)
    left.set_xticks(range(0, horizon_h + 1, 3 if horizon_h <= 48 else 24))
    left.grid(axis="y", alpha=0.3)
    low, high = int(np.argmin(counts)), int(np.argmax(counts))
    left.set_title(f"Demand by hour (lowest {low:02d}:00, highest {high:02d}:00)")
    if not freelance:
        speeds = np.asarray(scenario.meta["speed_kmh_by_hour"])[hours % 24]
        twin = left.twinx()
        twin.step(
            np.append(hours, horizon_h),
            np.append(speeds, speeds[-1]),
            where="post",
            color="#DD8452",
            linewidth=2,
            label="speed",
        )
        twin.set_ylabel("travel speed (km/h)", color="#DD8452")
        twin.set_ylim(0, speeds.max() * 1.3)
        twin.tick_params(axis="y", colors="#DD8452")

    if freelance:
        values = tasks.column("duration_min").to_numpy() / 60.0
        label, unit = "job size", "expected hours"
    else:
        values = tasks.column("distance_km").to_numpy()
        label, unit = "trip length", "km"
    if values.size:
        top = float(np.quantile(values, 0.99))
        right.hist(values[values <= top], bins=60, color="#55A868")
        median = float(np.median(values))
        right.axvline(median, color="black", linestyle="--", linewidth=1.5)
        right.annotate(
            f"median {median:.2f} {unit}",
            xy=(median, 0.93),
            xycoords=("data", "axes fraction"),
            xytext=(6, 0),
            textcoords="offset points",
        )
    right.set_xlabel(f"{label} ({unit}; top 1% not shown)")
    right.set_ylabel("tasks")
    right.set_title(f"Distribution of {label}")
    right.grid(axis="y", alpha=0.3)
    heading = title or (
        f"{name}: {scenario.n_tasks:,} requests, {scenario.n_workers:,} workers, "
        f"seed {scenario.meta.get('seed')}" + (f", {currency}" if currency else "")
    )
    fig.suptitle(heading, fontsize=13)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def _value(text: str) -> Any:
    import yaml

    return yaml.safe_load(text)


def main(argv: list[str] | None = None) -> int:
    """Console entry point of ``gigbench-instance-plot``."""
    parser = argparse.ArgumentParser(
        prog="gigbench-instance-plot",
        description="Plot a generator's hourly demand and trip-length distribution to PNG.",
    )
    parser.add_argument("preset", help=f"one of: {', '.join(available_generators())}")
    parser.add_argument("--out", help="PNG file (default demand_<preset>.png)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-tasks", type=int, help="expected requests (default: the preset's)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any generator parameter, e.g. --set rush_ramp=1.0",
    )
    args = parser.parse_args(argv)
    params: dict[str, Any] = {}
    try:
        for item in args.set:
            key, sep, text = item.partition("=")
            if not sep or not key:
                raise ValueError(f"--set: expected KEY=VALUE, got {item!r}")
            params[key.strip()] = _value(text)
        if args.n_tasks is not None:
            params["n_tasks"] = args.n_tasks
        scenario = generate(args.preset, params, args.seed)
        out = plot_scenario(scenario, args.out or f"demand_{args.preset}.png")
    except (UnknownNameError, ValueError, TypeError, OSError) as exc:
        print(f"gigbench-instance-plot: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
