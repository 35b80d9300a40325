"""Print the multi-day tables of docs/measured/multi-day.md and draw their figures from an
experiment's results.

    python docs/measure/supply_days.py fare_shock results/fare_shock
    python docs/measure/supply_days.py fairness_over_days results/fairness_over_days

Reads ``rows/*.parquet`` and each run's ``runs/<run_id>/days.parquet``; writes
``docs/figures/<experiment>.png`` (``--out`` to choose another file).

Fare shock: the pre-shock level of a figure is its mean over the ``PRE_DAYS`` days before the
change. Net earnings per online hour are read as a trailing ``SMOOTH_DAYS``-day mean (a single
day's figure moves by a few percent on its own): "first within 2%" is the first day after the
change whose trailing mean lies within ``TOLERANCE`` of the pre-shock level, "within 2% from"
the first day from which it stays within it to the end of the run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from catalogued import day_col
from market_tables import markdown  # the script's own folder is on sys.path
from stamp import stamp

# days.parquet columns, by their catalogue names
NET, UTILISATION = day_col("net_per_hour"), day_col("utilisation")
ONLINE, SERVED = day_col("workers_online"), day_col("match_rate")
GINI_TO_DATE = day_col("gini", to_date=True)
PRE_DAYS = 5
SMOOTH_DAYS = 5
TOLERANCE = 0.02
HORIZONS = (1, 7, 30)
OUT = Path(__file__).resolve().parents[1] / "figures"


def runs(folder: Path) -> list[tuple[dict, pd.DataFrame]]:
    """Each ok run's resolved config and its day table, in run-id order."""
    found = []
    for path in sorted((folder / "rows").glob("*.parquet")):
        row = pd.read_parquet(path).iloc[0]
        if row["status"] != "ok":
            continue
        days = pd.read_parquet(folder / "runs" / row["run_id"] / "days.parquet")
        found.append((json.loads(row["config_json"]), days))
    if not found:
        raise SystemExit(f"{folder}: no ok rows with a days.parquet; run the experiment first")
    return found


def recovery_days(days: pd.DataFrame, change: int, pre: float) -> tuple[int | None, int | None]:
    """The first day within the tolerance, and the day from which it stays within (module
    docs); None where there is none."""
    smooth = days[NET].rolling(SMOOTH_DAYS, min_periods=1).mean()
    after = days["day"] >= change + SMOOTH_DAYS - 1  # windows wholly after the change
    inside = ((smooth / pre - 1.0).abs() <= TOLERANCE) & after
    first = days.loc[inside, "day"]
    for day in first:
        if inside[days["day"] >= day].all():
            return int(first.iloc[0]), int(day)
    return (int(first.iloc[0]) if len(first) else None), None


def fare_shock(folder: Path, out: Path) -> None:
    """Per supply: pre-shock level, the first days after the change, the end, the recovery."""
    series, summary = {}, []
    for config, days in runs(folder):
        name = config["supply"]["name"]
        change = int(config["pricing"]["fare_change_day"])
        before = days[(days["day"] >= change - PRE_DAYS) & (days["day"] < change)]
        after = days[days["day"] >= days["day"].max() - PRE_DAYS + 1]
        pre = float(before[NET].mean())
        summary.append(
            {
                "supply": name,
                "net/h before": pre,
                "net/h day of change": float(days[NET][days["day"] == change].iloc[0]),
                "net/h last 5 days": float(after[NET].mean()),
                "change": f"{after[NET].mean() / pre - 1:+.1%}",
                "utilisation before": float(before[UTILISATION].mean()),
                "utilisation last 5 days": float(after[UTILISATION].mean()),
                "drivers before": float(before[ONLINE].mean()),
                "drivers last 5 days": float(after[ONLINE].mean()),
                "served before": float(before[SERVED].mean()),
                "served last 5 days": float(after[SERVED].mean()),
                "first within 2% (day)": recovery_days(days, change, pre)[0],
                "within 2% from (day)": recovery_days(days, change, pre)[1],
            }
        )
        series[name] = (days, change, pre)
    print(markdown(pd.DataFrame(summary).set_index("supply").T))
    figure, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    panels = ((NET, "net earnings per online hour"), (UTILISATION, "utilisation"),
              (ONLINE, "drivers online"))  # fmt: skip
    for ax, (column, title) in zip(axes, panels, strict=True):
        for name, (days, _, pre) in sorted(series.items()):
            shown = days[days["day"] >= 1]  # day 0: every elastic driver at the prior
            ax.plot(shown["day"], shown[column], marker="o", markersize=3, label=f"supply={name}")
            if column == NET:
                ax.axhspan(pre * (1 - TOLERANCE), pre * (1 + TOLERANCE), alpha=0.12,
                           color=ax.lines[-1].get_color())  # fmt: skip
        ax.axvline(change - 0.5, color="grey", linestyle="--", linewidth=1)
        ax.set_title(title)
        ax.set_xlabel("day")
    axes[0].legend()
    figure.suptitle("+10% fares from the dashed line on (bands: pre-shock level +-2%; from day 1)")
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    print(f"\nfigure: {out}")


def fairness_over_days(folder: Path, out: Path) -> None:
    """The Gini of earnings to date per online hour to date, by policy and horizon."""
    table, series = {}, {}
    for config, days in runs(folder):
        objective = config["objective"]
        label = objective["name"]
        if "lambda" in objective:
            label += f" (lambda={objective['lambda']:g})"
        series[label] = days
        gini = days.set_index("day")[GINI_TO_DATE]
        table[label] = {f"{h} days": float(gini[h - 1]) for h in HORIZONS if h - 1 in gini.index}
    print(markdown(pd.DataFrame(table).T.rename_axis("objective")))
    figure, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    panels = ((GINI_TO_DATE, "Gini of hourly earnings to date"),
              (NET, "net earnings per online hour (day)"),
              (UTILISATION, "utilisation (day)"))  # fmt: skip
    for ax, (column, title) in zip(axes, panels, strict=True):
        for label, days in sorted(series.items()):
            x = days["day"] + 1 if column == GINI_TO_DATE else days["day"]
            ax.plot(x, days[column], marker="o", markersize=3, label=label)
        ax.set_title(title)
        ax.set_xlabel("horizon (days)" if column == GINI_TO_DATE else "day")
    axes[0].legend()
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    print(f"\nfigure: {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("experiment", choices=("fare_shock", "fairness_over_days"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or OUT / f"{args.experiment}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    print(stamp(), end="\n\n")
    {"fare_shock": fare_shock, "fairness_over_days": fairness_over_days}[args.experiment](
        args.folder, out
    )


if __name__ == "__main__":
    main()
