"""Figures for multi-day runs (``mode.days > 1``): each day's figures from the runs'
``days.parquet``, one line per configuration (median over seeds, day by day).

This is what the ``fare_shock`` and ``fairness_over_days`` experiments are read from: net
earnings per online hour, utilisation, drivers online and the Gini of pay to date, against the
day. Panels are named, defined and given units by the metric catalogue.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from gigbench.report.data import Group, currency, describe, run_table
from gigbench.report.figures import Figures, stacked_lines
from gigbench.report.style import Palette, meta

__all__ = ["DAY_METRICS", "TO_DATE", "days"]

TO_DATE = "_to_date"  # days.parquet's figure over earnings and hours from day 0 to that day
# The days.parquet columns drawn: catalogue names, or a catalogue name and TO_DATE.
DAY_METRICS = ("net_per_hour", "utilisation", "workers_online", f"gini{TO_DATE}")


def title(column: str, cur: str | None) -> str:
    """A panel's title: the catalogue's name, unit and definition of the column's metric."""
    name = column.removesuffix(TO_DATE)
    return describe(f"m_{name}", cur) + (" (to date)" if column != name else "")


def _day_tables(group: Group, results_dir: Path) -> list[dict[str, np.ndarray]]:
    """The group's per-day tables with more than one day, as columns of floats."""
    tables = []
    for row in group.ok:
        table = run_table(results_dir, row, "days.parquet")
        if table is None or table.num_rows < 2:
            continue
        names = ["day", *(m for m in DAY_METRICS if m in table.column_names)]
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


def days(groups: list[Group], results_dir: Path, palette: Palette | None = None) -> Figures:
    """One panel per figure in :data:`DAY_METRICS`, one line per configuration."""
    palette = palette or Palette(groups)
    found = [(g, t) for g in groups if (t := _day_tables(g, results_dir))]
    if not found:
        return [], []
    panels = {
        g.label or "all runs": [_median_by_day(tables, metric) for metric in DAY_METRICS]
        for g, tables in found
    }
    styles = {g.label or "all runs": (palette.of(g), meta(g)) for g, _ in found}
    cur = currency([g for g, _ in found])
    titles = [title(metric, cur) for metric in DAY_METRICS]
    fig = stacked_lines(titles, panels, height=230, styles=styles)
    fig.update_xaxes(title_text="day", row=len(DAY_METRICS), col=1)
    return [("Day by day", fig)], []
