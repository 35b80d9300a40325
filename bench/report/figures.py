"""The report's figures, interactive (plotly; the page embeds plotly.js once, no network).

Each function takes the grouped data (and the report's :class:`gigbench.report.style.Palette`,
so that a configuration looks the same in every figure) and returns ``(figures, notes)``:
figures as ``(title, plotly Figure)``, notes saying what could not be drawn and why. Axis
titles and which way an axis is better come from the metric catalogue.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gigbench.market.catalogue import Better
from gigbench.report.data import (
    ARROWS,
    Group,
    axis_label,
    better,
    concurrent,
    currency,
    metric_of,
    run_table,
    varying_keys,
)
from gigbench.report.style import Palette, Style, meta

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


def _go():
    import plotly.graph_objects as go

    return go


def stacked_lines(
    titles: Sequence[str],
    lines: dict[str, list[tuple[list, list]]],
    height: int,
    styles: dict[str, tuple[Style, dict]],
):
    """One panel per title, stacked on a shared x axis; ``lines`` maps a line's name to its
    ``(x, y)`` in each panel, ``styles`` to its style and trace ``meta`` (the same in every
    panel)."""
    go = _go()
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=len(titles), cols=1, shared_xaxes=True, subplot_titles=list(titles))
    for name, panels in sorted(lines.items()):
        style, about = styles[name]
        for r, (x, y) in enumerate(panels, start=1):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines+markers",
                    name=name,
                    legendgroup=name,
                    showlegend=r == 1,
                    line={"color": style.color, "dash": style.dash},
                    marker={"symbol": style.symbol, "size": 8},
                    meta=about,
                ),
                row=r,
                col=1,
            )
    fig.update_layout(height=height * len(titles) + 60, margin={"t": 40})
    return fig


def pareto_axes(efficiency: str, fairness: str) -> tuple[Better, Better]:
    """Which way each axis is better, from the catalogue; a ValueError (the user's to fix) for
    a metric that is better neither way or that the catalogue does not know."""
    ways = []
    for flag, column in (("--efficiency", efficiency), ("--fairness", fairness)):
        way = better(column)
        if way is Better.NONE:
            why = "is better neither way" if metric_of(column) else "is not in the catalogue"
            raise ValueError(
                f"{flag}: expected a metric that is better one way (higher or lower), got "
                f"{column!r}, which {why}; choose one whose 'better' is higher or lower in "
                "the metric reference (docs/reference/metrics.md)"
            )
        ways.append(way)
    return ways[0], ways[1]


def _arrow(way: Better) -> str:
    return f"{way.value} is better {ARROWS[way]}"


def pareto(
    groups: list[Group], efficiency: str, fairness: str, palette: Palette | None = None
) -> Figures:
    """One Pareto plot per scenario (simulated configurations that differ in more than solver,
    objective and pricing): a point per configuration in its style, each solver's frontier;
    hover shows a point's configuration keys."""
    go = _go()
    sim = [g for g in groups if g.mode == "simulate" and g.ok]
    if not sim:
        return [], []
    palette = palette or Palette(groups)
    x_way, y_way = pareto_axes(efficiency, fairness)
    keys = varying_keys([g.config for g in sim])
    scenario_keys = [k for k in keys if k.split(".")[0] not in ("solver", "objective", "pricing")]
    scenarios: dict[str, list[Group]] = defaultdict(list)
    for g in sim:
        scenarios[" ".join(f"{k}={g.config.get(k)}" for k in scenario_keys)].append(g)
    cur = currency(sim)
    figures, notes = [], []
    for scenario, members in sorted(scenarios.items())[:8]:
        fig = go.Figure()
        drawn = 0
        for solver in sorted({g.solver for g in members}):
            stats = [(g, g.stat(efficiency), g.stat(fairness)) for g in members
                     if g.solver == solver]  # fmt: skip
            stats = [(g, x, y) for g, x, y in stats if math.isfinite(x[0]) and math.isfinite(y[0])]
            if not stats:
                continue
            drawn += 1
            flags = non_dominated(
                [x[0] * (1 if x_way is Better.HIGHER else -1) for _, x, _ in stats],
                [y[0] for _, _, y in stats],
                y_lower_better=y_way is Better.LOWER,
            )
            for (g, x, y), front in zip(stats, flags, strict=True):
                fig.add_trace(_point(go, g, x, y, front, palette.of(g)))
            front = sorted((x[0], y[0]) for (_, x, y), f in zip(stats, flags, strict=True) if f)
            fig.add_trace(
                go.Scatter(
                    x=[p[0] for p in front],
                    y=[p[1] for p in front],
                    mode="lines",
                    line={"color": palette.style(solver).color, "width": 2},
                    name=f"{solver}: frontier ({len(front)} of {len(stats)})",
                    legendgroup=solver,
                    hoverinfo="skip",
                    meta={"solver": solver},
                )
            )
        if not drawn:
            notes.append(f"No run has both {efficiency} and {fairness}: no Pareto plot.")
            continue
        fig.update_layout(
            xaxis_title=f"{axis_label(efficiency, cur)} ({_arrow(x_way)})",
            yaxis_title=f"{axis_label(fairness, cur)} ({_arrow(y_way)})",
            height=520,
            margin={"t": 30},
        )
        seeds = sorted({len(g.ok) for g in members})
        title = "Efficiency against fairness" + (f": {scenario}" if scenario else "")
        figures.append((f"{title} (median over {'/'.join(map(str, seeds))} seed(s))", fig))
    return figures, notes


def _point(go, g: Group, x: tuple, y: tuple, front: bool, style: Style):
    """One configuration's point at its medians, bars over the interquartile ranges; filled
    when no other configuration of its solver beats it."""
    bars = {"type": "data", "symmetric": False, "color": style.color, "thickness": 1}
    return go.Scatter(
        x=[x[0]],
        y=[y[0]],
        mode="markers",
        name=g.label or g.solver,
        legendgroup=g.solver,
        marker={
            "color": style.color,
            "size": style.size,
            "symbol": style.symbol if front else f"{style.symbol}-open",
            "line": {"width": 2, "color": style.color},
        },
        error_x=bars | {"array": [x[2] - x[0]], "arrayminus": [x[0] - x[1]]},
        error_y=bars | {"array": [y[2] - y[0]], "arrayminus": [y[0] - y[1]]},
        customdata=[[g.label, len(g.ok), g.keys_text()]],
        hovertemplate="<b>%{customdata[0]}</b><br>x=%{x:.4g}, y=%{y:.4g}, "
        "%{customdata[1]} seed(s)<br><br>%{customdata[2]}<extra></extra>",
        meta=meta(g),
    )


def solve_time(groups: list[Group], results_dir: Path, palette: Palette | None = None) -> Figures:
    """Solve seconds against ``n_rows``, a line per solver over every static problem solved;
    points timed beside other runs (``env_concurrent_runs > 1``) are hollow."""
    go = _go()
    palette = palette or Palette(groups)
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
    for solver, by_size in sorted(samples.items()):
        style = palette.style(solver)
        color = style.color
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
                line={"color": color, "dash": style.dash},
                marker={
                    "symbol": [f"{style.symbol}-open" if f else style.symbol for f in flagged],
                    "size": 9,
                },
                meta=meta(solver=solver, label=f"solver={solver}"),
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
            "Some timings (hollow markers) were taken beside other runs on the same machine "
            "(env_concurrent_runs > 1): compare only timings taken alone."
        )
    return [("Solve time against size (median; band: interquartile range)", fig)], notes


def optimality(groups: list[Group], results_dir: Path, palette: Palette | None = None) -> Figures:
    """Gap to the published optimum per problem and solver (static runs with optima)."""
    go = _go()
    palette = palette or Palette(groups)
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
    for solver, by_problem in sorted(gaps.items()):
        names = sorted(by_problem, key=lambda p: (len(p), p))
        fig.add_trace(
            go.Bar(
                x=names,
                y=[by_problem[p] for p in names],
                name=solver,
                marker_color=palette.style(solver).color,
                meta=meta(solver=solver, label=f"solver={solver}"),
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
