"""Draw the market figures of docs/measured/ from an experiment's results (PNG, matplotlib's Agg).

    python docs/measure/market_plots.py pay_rule results/pay_rule docs/figures/pay_rule.png
    python docs/measure/market_plots.py wild_goose_chase results/wild_goose_chase \\
        docs/figures/wild_goose_chase.png
    python docs/measure/market_plots.py pareto results/pareto docs/figures/pareto.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from catalogued import col
from market_tables import counted_workers, rows, trips
from stamp import stamp


def pay_rule(folder: Path, out: Path) -> None:
    """Distribution of pay per online hour after vehicle costs, one curve per pay rule."""
    frame = rows(folder)
    frame["rule"] = frame["config_json"].map(lambda c: json.loads(c)["pay_rule"]["name"])
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for rule, group in frame.groupby("rule", sort=False):
        net = pd.concat(
            counted_workers(folder, row)["hourly_after_costs"] for _, row in group.iterrows()
        ).sort_values()
        ax.plot(net, np.arange(1, len(net) + 1) / len(net), label=rule)
    ax.axvline(17.22, color="grey", linestyle="--", linewidth=1)
    ax.text(17.6, 0.05, "$17.22 standard", color="grey")
    ax.set_xlabel("pay per online hour after vehicle costs (USD)")
    ax.set_ylabel("share of drivers at or below")
    ax.set_xlim(0, 45)
    ax.set_title("nyc preset, same demand: drivers' hourly earnings by pay rule (3 seeds)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def wild_goose_chase(folder: Path, out: Path) -> None:
    """Throughput and pickup minutes against the dispatch radius, one line per pricing."""
    frame = rows(folder)
    config = frame["config_json"].map(json.loads)
    frame["radius_km"] = config.map(lambda c: c["mode"]["radius_km"])
    frame["label"] = config.map(
        lambda c: "tariff" if c["pricing"]["name"] == "tariff"
        else f"surge (zones of {c['pricing']['zone_km']:g} km)"
    )  # fmt: skip
    frame["trips_per_hour"] = frame[col("match_rate")] * frame[col("requests")] / 24.0
    frame["pickup_min"] = frame["run_id"].map(
        lambda r: float(trips(folder, r).loc[lambda t: t["served"], "pickup_min"].mean())
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for label, group in frame.groupby("label"):
        group = group.sort_values("radius_km")
        left.plot(group["radius_km"], group["trips_per_hour"], marker="o", label=label)
        right.plot(group["radius_km"], group["pickup_min"], marker="o", label=label)
    radii = sorted(frame["radius_km"].unique())
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xticks(radii, [f"{r:g}" for r in radii])
        ax.minorticks_off()
        ax.set_xlabel("dispatch radius (km, log scale)")
    left.set_ylabel("trips served per hour")
    right.set_ylabel("mean pickup (minutes)")
    left.legend()
    fig.suptitle("Wild goose chase: nyc, scarce supply, first dispatch")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def pareto(folder: Path, out: Path) -> None:
    """Welfare against the Gini of hourly pay (left) and against the share of workers below the
    minimum wage (right), one line per solver through its fairness weights (medians over
    seeds, bars over the interquartile range of the y value)."""
    frame = rows(folder)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4))
    for ax, (metric, title) in zip(
        axes,
        ((col("gini"), "Gini of pay per online hour"),
         (col("below_min_wage"), "share below minimum wage, after costs")),
        strict=True,
    ):  # fmt: skip
        for solver, group in frame.groupby("solver"):
            by = group.groupby("objective_lambda")
            x = by[col("welfare")].median() / 1000
            y = by[metric].median()
            low, high = y - by[metric].quantile(0.25), by[metric].quantile(0.75) - y
            ax.errorbar(x, y, yerr=[low, high], marker="o", capsize=2, label=solver)
            if solver == "hungarian":
                for lam, xi, yi in zip(y.index, x, y, strict=True):
                    ax.annotate(f"λ={lam:g}", (xi, yi), textcoords="offset points",
                                xytext=(4, 4), fontsize=8)  # fmt: skip
        ax.set_xlabel("welfare of the day (thousand USD)")
        ax.set_ylabel(title)
    axes[0].legend()
    fig.suptitle("nyc preset: efficiency against fairness, solver x fairness weight λ (3 seeds)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    print(stamp())
    {"pay_rule": pay_rule, "wild_goose_chase": wild_goose_chase, "pareto": pareto}[sys.argv[1]](
        Path(sys.argv[2]), Path(sys.argv[3])
    )
