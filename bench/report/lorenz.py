"""Lorenz curves of earnings per online hour that agree with the report's Gini table: each run
counts the workers the fairness metrics count (:func:`gigbench.market.metrics.fairness_counted`,
over ``runs/<id>/workers.parquet``), its Gini is :func:`gigbench.market.metrics.gini`, and a
configuration's curve is its median seed's, the legend giving the median over seeds as the
table does."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from gigbench.market.metrics import fairness_counted, gini
from gigbench.report.data import Group, run_table
from gigbench.report.figures import Figures, _go
from gigbench.report.style import Palette, meta

__all__ = ["counted_pay", "lorenz", "lorenz_points", "median_curve"]


def _min_hours(group: Group) -> float:
    """``mode.fairness_min_hours`` as the configuration ran it (older rows: the default)."""
    value = group.config.get("mode.fairness_min_hours")
    if value is None:
        from gigbench.sim.config import SimulateConfig

        value = SimulateConfig.fairness_min_hours
    return float(value)


def counted_pay(group: Group, row: dict, results_dir: Path) -> np.ndarray | None:
    """The hourly pay of the workers the run's fairness metrics counted; None without a
    readable worker statement."""
    table = run_table(results_dir, row, "workers.parquet")
    if table is None or not {"hourly_pay", "online_hours"} <= set(table.column_names):
        return None

    def column(name: str) -> np.ndarray:
        return np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=float)

    hours = column("online_hours")
    # Statements written before days_online existed are one-day runs.
    days = column("days_online") if "days_online" in table.column_names else np.ones(len(hours))
    pay = column("hourly_pay")[fairness_counted(hours, days, _min_hours(group))]
    return pay if np.all(np.isfinite(pay)) and np.all(pay >= 0) else None


def lorenz_points(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve (population share, earnings share) of non-negative ``values``; the line of
    equal pay when they are all zero (the Gini's 0) or empty."""
    v = np.sort(np.asarray(values, dtype=float))
    if len(v) == 0 or v.sum() <= 0:
        return np.array([0.0, 1.0]), np.array([0.0, 1.0])
    pop = np.linspace(0.0, 1.0, len(v) + 1)
    return pop, np.concatenate([[0.0], np.cumsum(v) / v.sum()])


def median_curve(samples: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, float]:
    """The curve of the seed whose Gini is the median, and that median. With an even number
    of seeds the median is the mean of the middle two, and so is the curve: Gini = 1 - 2 x the
    area under the curve is linear in the curve."""
    ginis = np.array([gini(v) for v in samples])
    order = np.argsort(ginis, kind="stable")
    middle = order[(len(order) - 1) // 2 : len(order) // 2 + 1]
    curves = [lorenz_points(samples[i]) for i in middle]
    grid = np.unique(np.concatenate([pop for pop, _ in curves]))
    share = np.mean([np.interp(grid, pop, s) for pop, s in curves], axis=0)
    return grid, share, float(np.median(ginis))


def lorenz(groups: list[Group], results_dir: Path, palette: Palette | None = None) -> Figures:
    """Lorenz curves of ``hourly_pay``, one panel per solver, one curve per configuration."""
    go = _go()
    from plotly.subplots import make_subplots

    sim = [g for g in groups if g.mode == "simulate" and g.ok]
    palette = palette or Palette(groups)
    panels: dict[str, list[tuple[Group, list[np.ndarray]]]] = defaultdict(list)
    notes = []
    for g in sim:
        pays = [counted_pay(g, row, results_dir) for row in g.ok]
        found = [p for p in pays if p is not None]
        if found:
            panels[g.solver].append((g, found))
        if len(found) < len(pays):
            notes.append(
                f"{g.label or 'all runs'}: {len(pays) - len(found)} of {len(pays)} runs have no "
                "readable workers.parquet with hourly_pay (finite, >= 0) and online_hours: left "
                "out of its curve."
            )
    if not panels:
        return ([], ["No workers.parquet with hourly_pay: no Lorenz curves."]) if sim else ([], [])
    names = sorted(panels)
    cols = min(len(names), 3)
    rows = (len(names) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, shared_yaxes=True)
    for i, name in enumerate(names):
        r, c = i // cols + 1, i % cols + 1
        fig.add_trace(
            go.Scatter(
                x=[0, 1],
                y=[0, 1],
                mode="lines",
                line={"dash": "dash", "color": "black", "width": 1},
                name="equal pay",
                showlegend=i == 0,
                hoverinfo="skip",
            ),
            row=r,
            col=c,
        )
        for g, samples in panels[name]:
            pop, share, median = median_curve(samples)
            style = palette.of(g)
            text = g.label or "all runs"
            seeds = f", median of {len(samples)} seeds" if len(samples) > 1 else ""
            fig.add_trace(
                go.Scatter(
                    x=pop,
                    y=share,
                    mode="lines+markers",
                    line={"color": style.color, "dash": style.dash, "width": 1.6},
                    marker={"symbol": style.symbol, "size": 7, "maxdisplayed": 12},
                    name=f"{text} (Gini {median:.3f}{seeds})",
                    hovertemplate=f"{text}<br>lowest-paid %{{x:.0%}} earn %{{y:.1%}}"
                    "<extra></extra>",
                    meta=meta(g),
                ),
                row=r,
                col=c,
            )
    fig.update_layout(height=380 * rows + 60, margin={"t": 40})
    fig.update_xaxes(title_text="share of workers counted (lowest-paid first)", range=[0, 1])
    fig.update_yaxes(title_text="share of pay per online hour", range=[0, 1], col=1)
    return [("Lorenz curves of earnings per online hour (the median seed)", fig)], notes
