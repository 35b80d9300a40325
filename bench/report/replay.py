"""Figures for replayed trip records: simulated pay against the recorded pay of the same trips,
and a multi-day replay's figures day by day.

* Pay per trip-minute: ``worker_pay / trip_min`` of the served trips beside the record's
  ``observed_driver_pay / trip_min`` of the same trips (high-volume records carry driver pay),
  pooled over seeds and replayed days, one panel per configuration of the other keys.
* Days: each run of a ``replay_days`` sweep replays one day (``instance.day`` plus
  ``instance.day_offset``); one line per configuration of the other keys, a point per day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import numpy as np

from gigbench.report.data import Group, currency, describe, label_parts, run_table, varying_keys
from gigbench.report.figures import Figures, _go, stacked_lines
from gigbench.report.style import RECORD_COLOR, Palette, meta

__all__ = ["DAILY_METRICS", "daily", "pay_per_minute"]

# The row's metrics drawn day by day (named, defined and given units by the catalogue).
DAILY_METRICS = ("m_match_rate", "m_wait_p50_s", "m_hourly_pay_mean")


_DAY_KEYS = ("instance.day", "instance.day_offset")


def _replayed(groups: list[Group]) -> list[Group]:
    return [g for g in groups if g.ok and g.config.get("instance.name") == "replay"]


def _series(group: Group, keys: list[str]) -> tuple[str, str, str]:
    """(label, solver, the label without its solver) of ``group`` over ``keys``."""
    parts = label_parts(group, keys)
    rest = ", ".join(p for p in parts if not p.startswith("solver="))
    return ", ".join(parts) or "all runs", group.solver, rest


def pay_per_minute(
    groups: list[Group], results_dir: Path, palette: Palette | None = None
) -> Figures:
    """Histograms of simulated and recorded pay per trip-minute on the same served trips; the
    simulation in its configuration's colour, the record in grey."""
    go = _go()
    palette = palette or Palette(groups)
    replayed = _replayed(groups)
    keys = [k for k in varying_keys([g.config for g in replayed]) if k not in _DAY_KEYS]
    pooled: dict[tuple[str, str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    for g in replayed:  # the days of a replay_days sweep pooled into one panel
        simulated, recorded = pooled[_series(g, keys)]
        for row in g.ok:
            trips = run_table(results_dir, row, "trips.parquet")
            if trips is None or "observed_driver_pay" not in trips.column_names:
                continue
            frame = trips.select(["served", "worker_pay", "trip_min", "observed_driver_pay"])
            data = {c: frame.column(c).to_numpy(zero_copy_only=False) for c in frame.column_names}
            pay = np.asarray(data["worker_pay"], dtype=float)
            minutes = np.asarray(data["trip_min"], dtype=float)
            observed = np.asarray(data["observed_driver_pay"], dtype=float)
            keep = np.asarray(data["served"], dtype=bool) & np.isfinite(observed) & (minutes > 0)
            simulated.append(pay[keep] / minutes[keep])
            recorded.append(observed[keep] / minutes[keep])
    panels = [
        (series, np.concatenate(sim), np.concatenate(rec))
        for series, (sim, rec) in pooled.items()
        if sum(len(s) for s in sim)
    ]
    if not panels:
        return [], []
    figures = []
    for (text, solver, rest), simulated, recorded in panels:
        fig = go.Figure()
        top = float(np.percentile(np.concatenate([simulated, recorded]), 99))
        own = palette.style(solver, rest).color
        for name, values, color, about in (
            ("simulated", simulated, own, meta(solver=solver, label=text)),
            ("recorded", recorded, RECORD_COLOR, None),
        ):
            fig.add_trace(
                go.Histogram(
                    x=np.clip(values, 0, top),
                    name=f"{name} (median {np.median(values):.3g})",
                    opacity=0.6,
                    marker_color=color,
                    nbinsx=60,
                    meta=about,
                )
            )
        fig.update_layout(barmode="overlay", height=340, margin={"t": 40})
        fig.update_xaxes(title_text="driver pay per trip-minute")
        fig.update_yaxes(title_text="trips")
        figures.append((f"Pay per trip-minute, simulated and recorded: {text}", fig))
    return figures, []


def _day(config: dict) -> dt.date | None:
    day = config.get("instance.day")
    if not day:
        return None
    offset = int(config.get("instance.day_offset") or 0)
    return dt.date.fromisoformat(str(day)) + dt.timedelta(days=offset)


def daily(groups: list[Group], palette: Palette | None = None) -> Figures:
    """The replayed days' figures, one line per configuration of the keys other than the day."""
    palette = palette or Palette(groups)
    replayed = [g for g in _replayed(groups) if _day(g.config) is not None]
    if len({_day(g.config) for g in replayed}) < 2:
        return [], []
    others = [
        k for k in varying_keys([g.config for g in replayed])
        if k not in _DAY_KEYS
    ]  # fmt: skip
    lines: dict[tuple[str, str, str], list[tuple[dt.date, Group]]] = defaultdict(list)
    for g in replayed:
        lines[_series(g, others)].append((_day(g.config), g))
    panels, styles = {}, {}
    for (name, solver, rest), points in lines.items():
        points.sort(key=lambda p: p[0])
        days = [day.isoformat() for day, _ in points]
        panels[name] = [(days, [g.stat(m)[0] for _, g in points]) for m in DAILY_METRICS]
        styles[name] = (palette.style(solver, rest), meta(solver=solver, label=name))
    cur = currency(replayed)
    titles = [describe(m, cur) for m in DAILY_METRICS]
    fig = stacked_lines(titles, panels, height=260, styles=styles)
    return [("Replayed days", fig)], []
