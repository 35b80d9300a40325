"""The report's figures, interactive (plotly; the page embeds plotly.js once, no network).

Each function takes the grouped data and returns ``(figures, notes)``: figures as
``(title, plotly Figure)``, notes saying what could not be drawn and why.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gigbench.report.data import (
    LOWER_IS_BETTER,
    Group,
    axis_label,
    concurrent,
    currency,
    label,
    run_table,
    varying_keys,
)

COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x")
Figures = tuple[list[tuple[str, object]], list[str]]


def non_dominated(xs: Sequence[float], ys: Sequence[float], y_lower_better: bool) -> list[bool]:
    """Which points no other point beats: x higher is better; y lower (or higher) is better."""
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float) * (1.0 if y_lower_better else -1.0)
    keep = []
    for i in range(len(x)):
        better_or_equal = (x >= x[i]) & (y <= y[i])
        strictly = (x > x[i]) | (y < y[i])
        keep.append(not bool(np.any(better_or_equal & strictly)))
    return keep


def lorenz_points(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Lorenz curve (population share, earnings share) of non-negative ``values``, and the
    Gini coefficient: 1 - 2 x the area under the curve."""
    v = np.sort(np.clip(np.asarray(values, dtype=float), 0.0, None))
    v = v[np.isfinite(v)]
    if len(v) == 0 or v.sum() <= 0:
        return np.array([0.0, 1.0]), np.array([0.0, 1.0]), float("nan")
    pop = np.linspace(0.0, 1.0, len(v) + 1)
    share = np.concatenate([[0.0], np.cumsum(v) / v.sum()])
    gini = 1.0 - 2.0 * float(np.sum((share[1:] + share[:-1]) / 2.0 * np.diff(pop)))
    return pop, share, gini


def _go():
    import plotly.graph_objects as go

    return go


def stacked_lines(titles: Sequence[str], lines: dict[str, list[tuple[list, list]]], height: int):
    """One panel per title, stacked on a shared x axis; ``lines`` maps a line's name to its
    ``(x, y)`` in each panel, one colour per line across the panels."""
    go = _go()
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=len(titles), cols=1, shared_xaxes=True, subplot_titles=list(titles))
    for k, (name, panels) in enumerate(sorted(lines.items())):
        for r, (x, y) in enumerate(panels, start=1):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines+markers",
                    name=name,
                    legendgroup=name,
                    showlegend=r == 1,
                    line={"color": COLORS[k % len(COLORS)]},
                ),
                row=r,
                col=1,
            )
    fig.update_layout(height=height * len(titles) + 60, margin={"t": 40})
    return fig


def pareto(groups: list[Group], efficiency: str, fairness: str) -> Figures:
    """One Pareto plot per scenario (simulated configurations that differ in more than solver,
    objective and pricing); hover shows a point's configuration keys."""
    go = _go()
    sim = [g for g in groups if g.mode == "simulate" and g.ok]
    if not sim:
        return [], []
    keys = varying_keys([g.config for g in sim])
    scenario_keys = [k for k in keys if k.split(".")[0] not in ("solver", "objective", "pricing")]
    scenarios: dict[str, list[Group]] = defaultdict(list)
    for g in sim:
        scenarios[" ".join(f"{k}={g.config.get(k)}" for k in scenario_keys)].append(g)
    cur = currency(sim)
    lower = fairness in LOWER_IS_BETTER
    figures, notes = [], []
    for scenario, members in sorted(scenarios.items())[:8]:
        fig = go.Figure()
        solvers = sorted({g.solver for g in members})
        drawn = 0
        for k, solver in enumerate(solvers):
            mine = [g for g in members if g.solver == solver]
            stats = [(g, g.stat(efficiency), g.stat(fairness)) for g in mine]
            stats = [(g, x, y) for g, x, y in stats if math.isfinite(x[0]) and math.isfinite(y[0])]
            if not stats:
                continue
            drawn += 1
            flags = non_dominated([x[0] for _, x, _ in stats], [y[0] for _, _, y in stats], lower)
            color, symbol = COLORS[k % len(COLORS)], SYMBOLS[k % len(SYMBOLS)]
            fig.add_trace(
                go.Scatter(
                    x=[x[0] for _, x, _ in stats],
                    y=[y[0] for _, _, y in stats],
                    mode="markers",
                    name=solver,
                    legendgroup=solver,
                    marker={
                        "color": color,
                        "size": max(14 - 2 * k, 7),
                        "symbol": [symbol if f else f"{symbol}-open" for f in flags],
                        "line": {"width": 2, "color": color},
                    },
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "color": color,
                        "thickness": 1,
                        "array": [x[2] - x[0] for _, x, _ in stats],
                        "arrayminus": [x[0] - x[1] for _, x, _ in stats],
                    },
                    error_y={
                        "type": "data",
                        "symmetric": False,
                        "color": color,
                        "thickness": 1,
                        "array": [y[2] - y[0] for _, _, y in stats],
                        "arrayminus": [y[0] - y[1] for _, _, y in stats],
                    },
                    customdata=[[g.label, len(g.ok), g.keys_text()] for g, _, _ in stats],
                    hovertemplate="<b>%{customdata[0]}</b><br>x=%{x:.4g}, y=%{y:.4g}, "
                    "%{customdata[1]} seed(s)<br><br>%{customdata[2]}<extra></extra>",
                )
            )
            front = sorted((x[0], y[0]) for (_, x, y), f in zip(stats, flags, strict=True) if f)
            fig.add_trace(
                go.Scatter(
                    x=[p[0] for p in front],
                    y=[p[1] for p in front],
                    mode="lines",
                    line={"color": color, "width": 2},
                    name=f"{solver}: frontier ({len(front)} of {len(stats)})",
                    legendgroup=solver,
                    hoverinfo="skip",
                )
            )
        if not drawn:
            notes.append(f"No run has both {efficiency} and {fairness}: no Pareto plot.")
            continue
        better = "lower" if lower else "higher"
        fig.update_layout(
            xaxis_title=f"{axis_label(efficiency, cur)} (higher is better \u2192)",
            yaxis_title=f"{axis_label(fairness, cur)} ({better} is better)",
            height=520,
            margin={"t": 30},
        )
        seeds = sorted({len(g.ok) for g in members})
        title = "Efficiency against fairness" + (f": {scenario}" if scenario else "")
        figures.append((f"{title} (median over {'/'.join(map(str, seeds))} seed(s))", fig))
    return figures, notes


def lorenz(groups: list[Group], results_dir: Path) -> Figures:
    """Lorenz curves of ``hourly_pay``, one panel per solver, one curve per configuration."""
    go = _go()
    from plotly.subplots import make_subplots

    sim = [g for g in groups if g.mode == "simulate" and g.ok]
    if not sim:
        return [], []
    other = [k for k in varying_keys([g.config for g in sim]) if k != "solver.name"]
    panels: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for g in sim:
        pay = []
        for row in g.ok:
            table = run_table(results_dir, row, "workers.parquet")
            if table is None or "hourly_pay" not in table.column_names:
                continue
            values = table.column("hourly_pay").to_numpy(zero_copy_only=False).astype(float)
            if "online_hours" in table.column_names:
                hours = table.column("online_hours").to_numpy(zero_copy_only=False)
                values = values[np.asarray(hours, dtype=float) > 0]
            pay.append(values)
        if pay:
            panels[g.solver][label(g, other) or "all runs"] = np.concatenate(pay)
    if not panels:
        return [], ["No workers.parquet with hourly_pay: no Lorenz curves."]
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
        curves = panels[name]
        for k, (text, values) in enumerate(curves.items()):
            pop, share, gini = lorenz_points(values)
            fig.add_trace(
                go.Scatter(
                    x=pop,
                    y=share,
                    mode="lines",
                    line={"color": COLORS[k % len(COLORS)], "width": 1.6},
                    name=f"{name}: {text} (Gini {gini:.3f})",
                    hovertemplate=f"{name}, {text}<br>lowest-paid %{{x:.0%}} earn "
                    "%{y:.1%}<extra></extra>",
                ),
                row=r,
                col=c,
            )
    fig.update_layout(height=380 * rows + 60, margin={"t": 40})
    fig.update_xaxes(title_text="share of workers (lowest-paid first)", range=[0, 1])
    fig.update_yaxes(title_text="share of pay per online hour", range=[0, 1], col=1)
    return [("Lorenz curves of earnings per online hour (seeds pooled)", fig)], []


def solve_time(groups: list[Group], results_dir: Path) -> Figures:
    """Solve seconds against ``n_rows`` per solver over every static problem solved; points
    timed beside other runs (``env_concurrent_runs > 1``) are flagged."""
    go = _go()
    samples: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    beside: dict[str, set[int]] = defaultdict(set)
    for g in groups:
        if g.mode != "static":
            continue
        for row in g.ok:
            table = run_table(results_dir, row, "problems.parquet")
            if table is None or not {"n_rows", "solve_seconds"} <= set(table.column_names):
                continue
            for rec in table.select(["n_rows", "solve_seconds"]).to_pylist():
                n, s = rec["n_rows"], rec["solve_seconds"]
                if n and s is not None and math.isfinite(s) and s > 0:
                    samples[g.solver][int(n)].append(float(s))
                    if concurrent(row) > 1:
                        beside[g.solver].add(int(n))
    if not samples:
        return [], ["No static runs with problems.parquet: no solve-time plot."]
    fig = go.Figure()
    for k, (solver, by_size) in enumerate(sorted(samples.items())):
        color = COLORS[k % len(COLORS)]
        sizes = sorted(by_size)
        stats = np.array([np.percentile(by_size[n], [50, 25, 75]) for n in sizes])
        if len(sizes) > 1:
            fig.add_trace(
                go.Scatter(
                    x=sizes + sizes[::-1],
                    y=list(stats[:, 2]) + list(stats[::-1, 1]),
                    fill="toself",
                    fillcolor=color,
                    opacity=0.15,
                    line={"width": 0},
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=solver,
                )
            )
        flagged = [n in beside[solver] for n in sizes]
        fig.add_trace(
            go.Scatter(
                x=sizes,
                y=stats[:, 0],
                mode="lines+markers",
                name=solver,
                legendgroup=solver,
                line={"color": color},
                marker={"symbol": ["x" if f else "circle" for f in flagged], "size": 9},
                customdata=[["timed beside other runs" if f else "timed alone"] for f in flagged],
                hovertemplate=f"{solver}: n=%{{x}}, median %{{y:.3g}} s, %{{customdata[0]}}"
                "<extra></extra>",
            )
        )
    fig.update_xaxes(type="log", title_text="problem size n (rows of the cost matrix)")
    fig.update_yaxes(type="log", title_text="solve time per problem (s)")
    fig.update_layout(height=480, margin={"t": 30})
    notes = []
    if any(beside.values()):
        notes.append(
            "Some timings (marked x) were taken beside other runs on the same machine "
            "(env_concurrent_runs > 1): compare only timings taken alone."
        )
    return [("Solve time against size (median; band: interquartile range)", fig)], notes


def optimality(groups: list[Group], results_dir: Path) -> Figures:
    """Gap to the published optimum per problem and solver (static runs with optima)."""
    go = _go()
    gaps: dict[str, dict[str, float]] = defaultdict(dict)
    for g in groups:
        if g.mode != "static":
            continue
        for row in g.ok:
            table = run_table(results_dir, row, "problems.parquet")
            if table is None or not {"problem", "gap_to_optimum"} <= set(table.column_names):
                continue
            for rec in table.select(["problem", "gap_to_optimum"]).to_pylist():
                gap = rec["gap_to_optimum"]
                if gap is not None and math.isfinite(gap):
                    gaps[g.solver][rec["problem"]] = max(gap, gaps[g.solver].get(rec["problem"], 0))
    if not gaps:
        return [], []
    fig = go.Figure()
    for k, (solver, by_problem) in enumerate(sorted(gaps.items())):
        names = sorted(by_problem, key=lambda p: (len(p), p))
        fig.add_trace(
            go.Bar(
                x=names,
                y=[by_problem[p] for p in names],
                name=solver,
                marker_color=COLORS[k % len(COLORS)],
            )
        )
    fig.update_layout(
        barmode="group",
        height=380,
        margin={"t": 30},
        yaxis_title="relative gap to the published optimum (0 = optimal)",
    )
    return [("Gap to the published optimum", fig)], []


@dataclass(frozen=True)
class ZoneGrid:
    """Zones numbered row by row over a ``width_km`` x ``height_km`` rectangle."""

    width_km: float
    height_km: float
    zone_km: float

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of the grid."""
        return (
            int(np.ceil(self.height_km / self.zone_km - 1e-9)),
            int(np.ceil(self.width_km / self.zone_km - 1e-9)),
        )


def _served_share(groups: list[Group], results_dir: Path):
    """Per configuration on one grid: requests and served requests per zone (seeds pooled)."""
    maps: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    grid, no_grid = None, False
    for g in groups:
        if g.mode != "simulate" or not g.ok:
            continue
        zone_km = g.config.get("instance.zone_km")
        width = g.config.get("instance.width_km", g.config.get("instance.size_km"))
        height = g.config.get("instance.height_km", g.config.get("instance.size_km"))
        tables = [
            t
            for t in (run_table(results_dir, row, "trips.parquet") for row in g.ok)
            if t is not None and {"origin_zone", "served"} <= set(t.column_names)
        ]
        if not tables:
            continue
        if not (zone_km and width and height):
            no_grid = True
            continue
        this = ZoneGrid(float(width), float(height), float(zone_km))
        if grid is not None and this != grid:
            continue  # one geometry per figure: the first one found
        grid = this
        size = this.shape[0] * this.shape[1]
        requests, served = np.zeros(size), np.zeros(size)
        for t in tables:
            zone = np.asarray(t.column("origin_zone").to_numpy(zero_copy_only=False), np.int64)
            ok = np.asarray(t.column("served").to_numpy(zero_copy_only=False), bool)
            inside = (zone >= 0) & (zone < size)
            requests += np.bincount(zone[inside], minlength=size)
            served += np.bincount(zone[inside], weights=ok[inside], minlength=size)
        maps[g.label or "all runs"] = (requests, served)
    return maps, grid, no_grid


def zones(
    groups: list[Group], results_dir: Path, reference: str | None = None, min_requests: int = 5
) -> Figures:
    """The reference configuration's share of requests served by zone of origin, and each
    other configuration as its difference from the reference (a menu picks which)."""
    go = _go()
    maps, grid, no_grid = _served_share(groups, results_dir)
    notes = []
    if no_grid:
        notes.append("Some runs have no grid of zones (instance.zone_km): no service map for them.")
    if not maps:
        return [], notes
    names = list(maps)
    ref = _pick_reference(names, reference, notes)
    n_rows, n_cols = grid.shape

    def rate(name: str) -> np.ndarray:
        req, srv = maps[name]
        share = np.where(req >= min_requests, srv / np.maximum(req, 1), np.nan)
        return share.reshape(n_rows, n_cols)

    base = rate(ref)
    x = (np.arange(n_cols) + 0.5) * grid.zone_km
    y = (np.arange(n_rows) + 0.5) * grid.zone_km
    fig = go.Figure(
        go.Heatmap(
            z=base,
            x=x,
            y=y,
            colorscale="RdYlGn",
            zmin=0,
            zmax=1,
            colorbar={"title": "served"},
            hovertemplate="x %{x:.1f} km, y %{y:.1f} km: %{z:.0%} served<extra></extra>",
        )
    )
    figures = [(f"Share of requests served by zone of origin: {ref} (the reference)", fig)]
    others = [n for n in names if n != ref]
    if others:
        diffs = {n: rate(n) - base for n in others}
        span = max(0.05, float(np.nanmax(np.abs(np.stack(list(diffs.values()))), initial=0)))
        first = others[0]
        diff = go.Figure(
            go.Heatmap(
                z=diffs[first],
                x=x,
                y=y,
                colorscale="RdBu",
                zmid=0,
                zmin=-span,
                zmax=span,
                colorbar={"title": "\u0394 served"},
                hovertemplate="x %{x:.1f} km, y %{y:.1f} km: %{z:+.1%} against the "
                "reference<extra></extra>",
            )
        )
        diff.update_layout(
            updatemenus=[
                {
                    "buttons": [
                        {"label": n, "method": "restyle", "args": [{"z": [diffs[n]]}]}
                        for n in others
                    ],
                    "x": 0,
                    "xanchor": "left",
                    "y": 1.15,
                    "yanchor": "top",
                }
            ],
        )
        figures.append(
            (f"Difference from the reference ({len(others)} configurations: pick one)", diff)
        )
    for _, f in figures:
        f.update_layout(height=520, margin={"t": 60})
        f.update_xaxes(title_text="x (km)", constrain="domain")
        f.update_yaxes(title_text="y (km)", scaleanchor="x")
    return figures, notes


def _pick_reference(names: list[str], wanted: str | None, notes: list[str]) -> str:
    """The configuration whose label contains every ``key=value`` of ``wanted``; else the
    first one."""
    if wanted:
        parts = [p.strip() for p in wanted.split(",") if p.strip()]
        for name in names:
            if all(p in name for p in parts):
                return name
        notes.append(f"--zone-reference {wanted!r} matches no configuration; using {names[0]!r}.")
    return names[0]
