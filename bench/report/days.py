"""Figures for multi-day runs (``mode.days > 1``): each day's figures from the runs'
``days.parquet``, one line per configuration (median over seeds, day by day).

This is what the ``fare_shock`` and ``fairness_over_days`` experiments are read from: net
earnings per online hour, utilisation, drivers online and the Gini of pay to date, against the
day.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from gigbench.report.data import Group, run_table
from gigbench.report.figures import Figures, stacked_lines

__all__ = ["DAY_METRICS", "days"]

DAY_METRICS = (
    ("net_per_hour", "net earnings per online hour (after commission and vehicle costs)"),
    ("utilisation", "utilisation (busy time over online time)"),
    ("workers_online", "workers online"),
    ("gini_to_date", "Gini of pay per online hour to date"),
)


def _day_tables(group: Group, results_dir: Path) -> list[dict[str, np.ndarray]]:
    """The group's per-day tables with more than one day, as columns of floats."""
    tables = []
    for row in group.ok:
        table = run_table(results_dir, row, "days.parquet")
        if table is None or table.num_rows < 2:
            continue
        names = ["day", *(m for m, _ in DAY_METRICS if m in table.column_names)]
        tables.append(
            {n: np.asarray(table.column(n).to_numpy(zero_copy_only=False), float) for n in names}
        )
    return tables


def _median_by_day(tables: list[dict[str, np.ndarray]], metric: str) -> tuple[list, list]:
    by_day: dict[int, list[float]] = defaultdict(list)
    for table in tables:
        if metric in table:
            for day, value in zip(table["day"], table[metric], strict=True):
                if np.isfinite(value):
                    by_day[int(day)].append(float(value))
    days = sorted(by_day)
    return days, [float(np.median(by_day[d])) for d in days]


def days(groups: list[Group], results_dir: Path) -> Figures:
    """One panel per figure in :data:`DAY_METRICS`, one line per configuration."""
    lines = {g.label or "all runs": t for g in groups if (t := _day_tables(g, results_dir))}
    if not lines:
        return [], []
    panels = {
        name: [_median_by_day(tables, metric) for metric, _ in DAY_METRICS]
        for name, tables in lines.items()
    }
    fig = stacked_lines([title for _, title in DAY_METRICS], panels, height=230)
    fig.update_xaxes(title_text="day", row=len(DAY_METRICS), col=1)
    return [("Day by day", fig)], []
