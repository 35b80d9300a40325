"""Print the market tables of docs/measured/ from the rows and trip logs of an experiment's results.

    python docs/measure/market_tables.py reposition results/reposition
    python docs/measure/market_tables.py equilibrium results/equilibrium
    python docs/measure/market_tables.py surge results/surge
    python docs/measure/market_tables.py wild_goose_chase results/wild_goose_chase
    python docs/measure/market_tables.py pay_rule results/pay_rule
    python docs/measure/market_tables.py pareto results/pareto
    python docs/measure/market_tables.py pricing results/pricing

Medians over seeds; figures from ``results/rows/*.parquet`` and ``runs/<run_id>/trips.parquet``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from catalogued import col
from stamp import stamp  # the script's own folder is on sys.path

from gigbench.market.metrics import fairness_counted

MIDTOWN_KM = (10.0, 15.0)  # the nyc preset's first hotspot (instances/presets.py)
RUSH_HOURS = (7, 8, 9, 17, 18, 19)  # within the nyc preset's ramps around 08:00 and 18:00


def markdown(table: pd.DataFrame | pd.Series) -> str:
    """A table as Markdown (pandas' to_markdown needs an extra package). Each level of a
    MultiIndex is a column of its own, so the separator row always has one cell per header."""
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    names = [str(name or "") for name in frame.index.names]
    head = names + [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for index, values in frame.iterrows():
        keys = index if isinstance(index, tuple) else (index,)
        cells = [_cell(k) for k in keys] + [_cell(v) for v in values]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: object) -> str:
    """A table cell: floats to 4 significant digits."""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def rows(folder: Path) -> pd.DataFrame:
    """Every ok row of the folder, with its resolved choices as columns."""
    frame = pd.concat([pd.read_parquet(p) for p in sorted((folder / "rows").glob("*.parquet"))])
    frame = frame[frame["status"] == "ok"].reset_index(drop=True)
    config = frame["config_json"].map(json.loads)
    frame["reposition"] = config.map(lambda c: c.get("reposition", {}).get("name", "none"))
    frame["core"] = config.map(lambda c: c["pricing"].get("core", ""))
    return frame


def trips(folder: Path, run_id: str) -> pd.DataFrame:
    """One run's trip log."""
    return pd.read_parquet(folder / "runs" / run_id / "trips.parquet")


def counted_workers(folder: Path, row: pd.Series) -> pd.DataFrame:
    """One run's worker statement, only the workers its fairness metrics count (the run's
    ``mode.fairness_min_hours``)."""
    workers = pd.read_parquet(folder / "runs" / row["run_id"] / "workers.parquet")
    min_hours = json.loads(row["config_json"])["mode"]["fairness_min_hours"]
    counted = fairness_counted(workers["online_hours"], workers["days_online"], min_hours)
    return workers[counted]


def served_by_distance(log: pd.DataFrame) -> tuple[float, float]:
    """Served share of requests starting within 3 km of Midtown, and more than 10 km out."""
    km = np.hypot(log["origin_x"] - MIDTOWN_KM[0], log["origin_y"] - MIDTOWN_KM[1])
    return float(log.loc[km <= 3, "served"].mean()), float(log.loc[km > 10, "served"].mean())


def reposition(folder: Path) -> None:
    """Served share, wait, utilisation, cruising, pay and the Midtown/outskirts split."""
    frame = rows(folder)
    split = frame["run_id"].map(lambda r: served_by_distance(trips(folder, r)))
    frame["midtown"], frame["outskirts"] = zip(*split, strict=True)
    columns = {
        col("match_rate"): "served",
        col("wait_p50_s"): "wait p50 s",
        col("utilisation"): "utilisation",
        col("passenger_utilisation"): "with rider",
        col("cruise_km_share"): "cruise km share",
        col("below_min_wage"): "below min wage",
        "midtown": "served <= 3 km of Midtown",
        "outskirts": "served > 10 km out",
    }
    table = frame.groupby("reposition")[list(columns)].median().rename(columns=columns)
    print(markdown(table.loc[["none", "demand", "rebalance"]]))


def equilibrium(folder: Path) -> None:
    """Gross fares and trips paid below cost by solver and core point."""
    frame = rows(folder)
    frame["paid_below_cost"] = frame[col("paid_below_cost")]
    table = frame.pivot_table(index="solver", columns="core", values=col("gross_fares"))
    print(markdown(table))
    spread = (table.max() - table.min()) / table.min()
    print("\nspread of gross fares across solvers (max - min) / min:")
    print(markdown(spread.map(lambda x: f"{100 * x:.3f}%")))
    print(f"\ntrips paid below cost, all runs: {frame['paid_below_cost'].max():.4f}")


def surge(folder: Path) -> None:
    """Share of rush-hour trips with a multiplier above 1.05, and the row figures."""
    frame = rows(folder)

    def rush_share(run_id: str) -> float:
        log = trips(folder, run_id)
        served = log[log["served"]]
        hour = (served["request_time"] // 3600).astype(int) % 24
        rush = served[hour.isin(RUSH_HOURS)]
        return float((rush["surge_multiplier"] > 1.05).mean())

    frame["rush_surged"] = frame["run_id"].map(rush_share)
    columns = [
        col("match_rate"),
        col("wait_p50_s"),
        col("surge_share"),
        "rush_surged",
        col("gross_fares"),
    ]
    print(markdown(frame.groupby("pricing")[columns].median()))


def wild_goose_chase(folder: Path) -> None:
    """Throughput (served trips per hour) and pickup minutes by dispatch radius and pricing."""
    frame = rows(folder)
    config = frame["config_json"].map(json.loads)
    frame["radius_km"] = config.map(lambda c: c["mode"]["radius_km"])
    frame["pricing"] = config.map(
        lambda c: "tariff" if c["pricing"]["name"] == "tariff"
        else f"surge, {c['pricing']['zone_km']:g} km zones"
    )  # fmt: skip
    hours = config.map(lambda c: c["instance"].get("horizon_h", 24.0))
    frame["trips_per_hour"] = frame[col("match_rate")] * frame[col("requests")] / hours
    frame["pickup_min"] = frame["run_id"].map(
        lambda r: float(trips(folder, r).loc[lambda t: t["served"], "pickup_min"].mean())
    )
    for value in ("trips_per_hour", "pickup_min", col("match_rate"), col("declined")):
        table = frame.pivot_table(index="radius_km", columns="pricing", values=value)
        print(f"\n{value}:")
        print(markdown(table))


def pay_rule(folder: Path) -> None:
    """Workers, riders and the platform under each pay rule, and trips paid below the floor."""
    frame = rows(folder)
    frame["pay_rule"] = frame["config_json"].map(lambda c: json.loads(c)["pay_rule"]["name"])
    rates = {"nyc_tlc_2019": (1.088, 0.495), "nyc_tlc_2024": (1.360, 0.583)}

    def per_run(row: pd.Series) -> pd.Series:
        workers = counted_workers(folder, row)
        log = trips(folder, row["run_id"])
        served = log[log["served"]]
        per_mile, per_minute = rates.get(row["pay_rule"], (0.0, 0.0))
        floor = per_mile * served["trip_km"] / 1.609344 + per_minute * served["trip_min"]
        return pd.Series(
            {
                "below_17.22": float((workers["hourly_after_costs"] < 17.22).mean()),
                "net_median": float(workers["hourly_after_costs"].median()),
                "below_floor": int((served["worker_pay"] < floor - 1e-9).sum()),
            }
        )

    extra = frame.apply(per_run, axis=1)
    frame = pd.concat([frame, extra], axis=1)
    columns = {
        "below_17.22": "drivers below $17.22/h net",
        "net_median": "median net $/h",
        col("passenger_utilisation"): "utilisation",
        col("match_rate"): "served",
        col("wait_p50_s"): "wait p50 s",
        col("gross_fares"): "fares (riders)",
        col("worker_pay"): "worker pay",
        col("platform_revenue"): "platform revenue",
        col("pay_topup"): "top-ups",
        col("topped_up_share"): "trips topped up",
        "below_floor": "trips below floor",
    }
    table = frame.groupby("pay_rule")[list(columns)].median().rename(columns=columns)
    print(markdown(table.loc[["none", "nyc_tlc_2019", "nyc_tlc_2024"]]))


def pareto(folder: Path) -> None:
    """Efficiency against pay fairness by solver and fairness weight (medians over seeds)."""
    frame = rows(folder)
    frame["solve_ms"] = 1000 * frame[col("solve_s_total")] / frame[col("batches_solved")]
    columns = {
        col("welfare"): "welfare",
        col("match_rate"): "served",
        col("wait_p50_s"): "wait p50 s",
        col("gini"): "Gini",
        col("hourly_net_mean"): "net/h",
        col("hourly_net_p10"): "net/h p10",
        col("below_min_wage"): "below min wage",
        "solve_ms": "solve ms",
    }
    groups = frame.groupby(["solver", "objective_lambda"])
    table = groups[list(columns)].median().rename(columns=columns)
    gini = groups[col("gini")]
    table["Gini IQR"] = [
        f"{a:.3f}-{b:.3f}" for a, b in zip(gini.quantile(0.25), gini.quantile(0.75), strict=True)
    ]
    table.index = table.index.set_names(["solver", "lambda"])
    print(markdown(table))
    print(f"\nruns: {len(frame)}, seeds: {sorted(frame['seed'].unique())}")


def pricing(folder: Path) -> None:
    """Riders, workers and the platform under each pricing policy, and how far the exact
    solvers' gross fares are apart on the same demand."""
    frame = rows(folder)
    columns = {
        col("match_rate"): "served",
        col("declined"): "declined",
        col("abandonment"): "abandoned",
        col("wait_p50_s"): "wait p50 s",
        col("welfare"): "welfare",
        col("gross_fares"): "fares (riders)",
        col("worker_pay"): "worker pay",
        col("hourly_net_mean"): "net/h",
        col("hourly_net_p10"): "net/h p10",
        col("below_min_wage"): "below min wage",
        col("gini"): "Gini",
        col("passenger_utilisation"): "with rider",
        col("paid_below_cost"): "paid below cost",
    }
    table = frame.groupby("pricing")[list(columns)].median().rename(columns=columns)
    print(markdown(table.loc[[p for p in ("tariff", "surge", "equilibrium") if p in table.index]]))
    fares = frame.pivot_table(
        index=["pricing", "seed"], columns="solver", values=col("gross_fares")
    )
    spread = (fares.max(axis=1) - fares.min(axis=1)) / fares.min(axis=1)
    print("\nspread of gross fares across exact solvers, (max - min) / min, per seed:")
    print(markdown(spread.map(lambda x: f"{100 * x:.3f}%").rename("spread")))


if __name__ == "__main__":
    tables = {
        "pay_rule": pay_rule,
        "reposition": reposition,
        "equilibrium": equilibrium,
        "surge": surge,
        "wild_goose_chase": wild_goose_chase,
        "pareto": pareto,
        "pricing": pricing,
    }
    print(stamp(), end="\n\n")
    tables[sys.argv[1]](Path(sys.argv[2]))
