"""Print the README's market tables from the rows and trip logs of an experiment's results.

    python docs/measure/market_tables.py reposition results/reposition
    python docs/measure/market_tables.py equilibrium results/equilibrium
    python docs/measure/market_tables.py surge results/surge

Medians over seeds; figures from ``results/rows/*.parquet`` and ``runs/<run_id>/trips.parquet``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

MIDTOWN_KM = (10.0, 15.0)  # the nyc preset's first hotspot (instances/presets.py)
RUSH_HOURS = (7, 8, 9, 17, 18, 19)  # within the nyc preset's ramps around 08:00 and 18:00


def markdown(table: pd.DataFrame | pd.Series) -> str:
    """A table as Markdown (pandas' to_markdown needs an extra package)."""
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    head = [str(frame.index.name or "")] + [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for index, values in frame.iterrows():
        cells = [str(index)] + [f"{v:.4g}" if isinstance(v, float) else str(v) for v in values]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


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
        "m_match_rate": "served",
        "m_wait_p50_s": "wait p50 s",
        "m_utilisation": "utilisation",
        "m_passenger_utilisation": "with rider",
        "m_cruise_km_share": "cruise km share",
        "m_below_min_wage": "below min wage",
        "midtown": "served <= 3 km of Midtown",
        "outskirts": "served > 10 km out",
    }
    table = frame.groupby("reposition")[list(columns)].median().rename(columns=columns)
    print(markdown(table.loc[["none", "demand", "rebalance"]]))


def equilibrium(folder: Path) -> None:
    """Gross fares and trips paid below cost by solver and core point."""
    frame = rows(folder)
    frame["paid_below_cost"] = frame["m_paid_below_cost"]
    table = frame.pivot_table(index="solver", columns="core", values="m_gross_fares")
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
    columns = ["m_match_rate", "m_wait_p50_s", "m_surge_share", "rush_surged", "m_gross_fares"]
    print(markdown(frame.groupby("pricing")[columns].median()))


if __name__ == "__main__":
    {"reposition": reposition, "equilibrium": equilibrium, "surge": surge}[sys.argv[1]](
        Path(sys.argv[2])
    )
