"""``gigbench-report <results_dir> [--out DIR]``: a results dataset as an HTML page with plots.

Collects the rows first (:mod:`bench.collect`), then writes ``index.html`` and PNG figures:

* the efficiency-fairness Pareto frontier per solver (``--efficiency``, default ``m_welfare``,
  higher is better; ``--fairness``, default ``m_gini``, lower is better), one point per
  configuration at the median over seeds, non-dominated points filled;
* Lorenz curves of earnings per online hour (``runs/<run_id>/workers.parquet``, column
  ``hourly_pay``), seeds pooled, one panel per solver;
* solve time against problem size on log axes (static runs: ``runs/<run_id>/problems.parquet``);
* per-zone service maps where runs saved ``trips.parquet`` (``origin_zone``, ``served``) and
  the instance is a grid of ``zone_km`` cells (skipped with a note otherwise);
* sortable tables: per configuration (the config minus its seeds), the median and the
  interquartile range (IQR) of every metric over seeds; then the failed runs and the
  environment the rows were measured in.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bench.collect import RESULTS_FILE, collect

SEED_KEYS = ("instance.seed", "mode.seed")
# metrics where less is better (the rest: more is better)
LOWER_IS_BETTER = {
    "m_gini",
    "m_below_min_wage",
    "m_zone_service_gap",
    "m_group_hourly_gap",
    "m_abandonment",
    "m_wait_p50_s",
    "m_wait_p90_s",
    "m_pickup_km_mean",
    "m_solve_s_per_batch",
    "m_solve_s_total",
    "m_solve_s_median",
    "m_edge_s_per_batch",
    "m_edge_s_total",
    "m_max_gap_to_optimum",
    "m_declined",
    "m_offers_refused",
}
_UNITS = {
    "m_welfare": "total welfare: rider value minus worker cost ({cur})",
    "m_match_rate": "match rate (share of requests served)",
    "m_platform_revenue": "platform revenue ({cur})",
    "m_worker_pay": "total worker pay ({cur})",
    "m_gross_fares": "gross fares ({cur})",
    "m_utilisation": "utilisation (busy / online hours)",
    "m_gini": "Gini of earnings per online hour (0 = equal)",
    "m_jain": "Jain index of earnings per online hour (1 = equal)",
    "m_min_hourly": "lowest earnings per online hour ({cur}/h)",
    "m_p10_hourly": "10th percentile of earnings per online hour ({cur}/h)",
    "m_below_min_wage": "share of workers below the minimum wage",
    "m_zone_service_gap": "service-rate gap between zones",
    "m_group_hourly_gap": "hourly-pay gap between worker groups ({cur}/h)",
    "m_wait_p50_s": "median rider wait (s)",
    "m_wait_p90_s": "90th percentile rider wait (s)",
}
_SHORT = {
    "solver.name": "solver",
    "objective.name": "objective",
    "objective.lambda": "\u03bb",
    "pricing.name": "pricing",
}
_NAMED = ("solver", "objective", "pricing", "instance", "market", "mode")  # groups with a name
_ORDER = ("solver.name", "objective.name", "objective.lambda", "pricing.name")


@dataclass
class Group:
    """The runs of one configuration that differ only in their seeds."""

    mode: str
    config: dict[str, Any]  # flattened config minus seeds
    runs: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""

    @property
    def ok(self) -> list[dict[str, Any]]:
        """The runs that finished."""
        return [r for r in self.runs if r.get("status") == "ok"]

    def values(self, metric: str) -> np.ndarray:
        """The finite values of ``metric`` over the finished runs."""
        vals = [r.get(metric) for r in self.ok]
        arr = np.array([v for v in vals if isinstance(v, int | float)], dtype=float)
        return arr[np.isfinite(arr)]

    def stat(self, metric: str) -> tuple[float, float, float]:
        """(median, 25th, 75th percentile) of ``metric`` over seeds; NaNs when none."""
        v = self.values(metric)
        if len(v) == 0:
            return (math.nan, math.nan, math.nan)
        q25, med, q75 = np.percentile(v, [25, 50, 75])
        return float(med), float(q25), float(q75)


def flatten(config: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; lists become JSON text."""
    flat: dict[str, Any] = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= flatten(value, f"{name}.")
        elif isinstance(value, list):
            flat[name] = json.dumps(value)
        else:
            flat[name] = value
    return flat


def run_config_of(row: dict[str, Any]) -> dict[str, Any]:
    """The flattened config of a row, without seeds, ``run.*`` and ``results_dir``."""
    try:
        config = json.loads(row.get("config_json") or "{}")
    except (json.JSONDecodeError, TypeError):
        config = {}
    if not isinstance(config, dict):  # a hand-edited or foreign row: no config to group by
        config = {}
    flat = flatten(config)
    return {
        k: v
        for k, v in flat.items()
        if k not in SEED_KEYS and k != "results_dir" and not k.startswith("run.")
    }


def group_rows(rows: list[dict[str, Any]]) -> list[Group]:
    """Group rows by (mode, config minus seeds); label each group by the keys that vary."""
    groups: dict[tuple[str, str], Group] = {}
    for row in rows:
        config = run_config_of(row)
        mode = str(row.get("mode") or config.get("mode.name") or "?")
        key = (mode, json.dumps(config, sort_keys=True, default=str))
        groups.setdefault(key, Group(mode, config)).runs.append(row)
    result = list(groups.values())
    for mode in {g.mode for g in result}:
        mine = [g for g in result if g.mode == mode]
        keys = varying_keys([g.config for g in mine])
        for g in mine:
            g.label = _label(g, keys)
    return sorted(result, key=lambda g: (g.mode, g.label))


def _label(group: Group, keys: list[str]) -> str:
    """``solver=greedy, λ=0.5``: the given keys that this group has."""
    return ", ".join(
        f"{_SHORT.get(k, k.removeprefix('solver.'))}={group.config[k]}"
        for k in keys
        if k in group.config
    )


def varying_keys(configs: list[dict[str, Any]]) -> list[str]:
    """The config keys whose values differ between ``configs`` (solver, objective, lambda and
    pricing first)."""
    keys = set().union(*configs) if configs else set()
    varying = set()
    for k in keys:
        head = k.split(".")[0]
        if head in _NAMED and k != f"{head}.name":
            # a parameter of one solver (objective, pricing) varies only among its runs
            by_name: dict[str, set[str]] = defaultdict(set)
            for c in configs:
                if k in c:
                    by_name[str(c.get(f"{head}.name"))].add(json.dumps(c[k], default=str))
            if any(len(values) > 1 for values in by_name.values()):
                varying.add(k)
        elif len({json.dumps(c.get(k), default=str) for c in configs}) > 1:
            varying.add(k)
    if len(configs) > 1:
        varying.add("solver.name")
    first = [k for k in _ORDER if k in varying]
    return first + sorted(varying - set(first))


def load(results_dir: Path, *, collect_first: bool = True) -> list[dict[str, Any]]:
    """The rows of ``results_dir`` (collected first unless told not to)."""
    path = collect(results_dir) if collect_first else Path(results_dir) / RESULTS_FILE
    return pq.read_table(path).to_pylist()


# ---------------------------------------------------------------- figures


def _currency(groups: list[Group]) -> str:
    found = {g.config.get("market.currency") for g in groups} - {None}
    return found.pop() if len(found) == 1 else "currency units"


def _axis_label(metric: str, currency: str) -> str:
    return _UNITS.get(metric, metric.removeprefix("m_")).format(cur=currency)


def _run_table(results_dir: Path, row: dict[str, Any], name: str) -> pa.Table | None:
    """``runs/<run_id>/<name>`` of a row, or None when the row has no run id or the file is
    missing or unreadable (a report shows what it can; ``gigbench-collect`` warns likewise)."""
    rid = row.get("run_id")
    if not isinstance(rid, str) or not rid:
        return None
    path = results_dir / "runs" / rid / name
    if not path.is_file():
        return None
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowInvalid):
        return None


def pareto_figures(
    groups: list[Group], out: Path, efficiency: str, fairness: str
) -> tuple[list[Path], list[str]]:
    """One Pareto plot per scenario (the simulated configs that differ in more than solver,
    objective and pricing); returns the figures and notes."""
    from bench.report_plots import Point, pareto_plot

    sim = [g for g in groups if g.mode == "simulate" and g.ok]
    if not sim:
        return [], ["No finished simulation runs: no Pareto plot."]
    keys = varying_keys([g.config for g in sim])
    scenario_keys = [k for k in keys if k.split(".")[0] not in ("solver", "objective", "pricing")]
    scenarios: dict[str, list[Group]] = defaultdict(list)
    for g in sim:
        scenarios[" ".join(f"{k}={g.config.get(k)}" for k in scenario_keys)].append(g)
    label_keys = [k for k in keys if k not in scenario_keys and k != "solver.name"]
    paths, notes = [], []
    currency = _currency(sim)
    for i, (scenario, members) in enumerate(sorted(scenarios.items())[:8]):
        points = []
        for g in members:
            x, x25, x75 = g.stat(efficiency)
            y, y25, y75 = g.stat(fairness)
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            label = _label(g, label_keys)
            points.append(
                Point(
                    str(g.config.get("solver.name")),
                    label,
                    x,
                    y,
                    (x - x25, x75 - x),
                    (y - y25, y75 - y),
                    len(g.ok),
                )
            )
        if not points:
            notes.append(f"No run has both {efficiency} and {fairness}: no Pareto plot.")
            continue
        seeds = sorted({len(g.ok) for g in members})
        title = (
            f"Efficiency against fairness{': ' + scenario if scenario else ''}\n"
            f"median over {'/'.join(map(str, seeds))} seed(s); bars: interquartile range"
        )
        paths.append(
            pareto_plot(
                points,
                out / f"pareto_{i + 1}.png",
                xlabel=_axis_label(efficiency, currency),
                ylabel=_axis_label(fairness, currency),
                y_lower_better=fairness in LOWER_IS_BETTER,
                title=title,
            )
        )
    return paths, notes


def lorenz_figures(
    groups: list[Group], results_dir: Path, out: Path
) -> tuple[list[Path], list[str]]:
    """Lorenz curves of ``hourly_pay`` per solver panel, one curve per configuration."""
    from bench.report_plots import lorenz_plot

    sim = [g for g in groups if g.mode == "simulate" and g.ok]
    keys = varying_keys([g.config for g in sim])
    other = [k for k in keys if k != "solver.name"]
    panels: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for g in sim:
        pay = []
        for row in g.ok:
            table = _run_table(results_dir, row, "workers.parquet")
            if table is None or "hourly_pay" not in table.column_names:
                continue
            values = table.column("hourly_pay").to_numpy(zero_copy_only=False)
            if "online_hours" in table.column_names:
                values = values[table.column("online_hours").to_numpy(zero_copy_only=False) > 0]
            pay.append(values)
        if pay:
            label = _label(g, other)
            panels[str(g.config.get("solver.name"))][label or "all runs"] = np.concatenate(pay)
    if not panels:
        return [], ["No workers.parquet with hourly_pay: no Lorenz curves."]
    paths = []
    items = sorted(panels.items())
    for i in range(0, len(items), 6):
        paths.append(
            lorenz_plot(
                dict(items[i : i + 6]),
                out / f"lorenz_{i // 6 + 1}.png",
                earnings="earnings per online hour",
                title="Lorenz curves of earnings per online hour (seeds pooled)",
            )
        )
    return paths, []


def timing_figures(
    groups: list[Group], results_dir: Path, out: Path, rows: list[dict[str, Any]]
) -> tuple[list[Path], list[str]]:
    """Solve seconds against ``n_rows`` per solver over every static problem solved."""
    from bench.report_plots import timing_plot

    samples: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    parallel = False
    for g in groups:
        if g.mode != "static":
            continue
        for row in g.ok:
            table = _run_table(results_dir, row, "problems.parquet")
            if table is None or not {"n_rows", "solve_seconds"} <= set(table.column_names):
                continue
            parallel |= str(row.get("env_n_jobs", "1")) not in ("1", "", "None")
            for rec in table.select(["n_rows", "solve_seconds"]).to_pylist():
                n, s = rec["n_rows"], rec["solve_seconds"]
                if n and s is not None and math.isfinite(s) and s > 0:
                    samples[str(g.config.get("solver.name"))][int(n)].append(float(s))
    if not samples:
        return [], ["No static runs with problems.parquet: no solve-time plot."]
    series = {}
    for solver, by_size in samples.items():
        sizes = np.array(sorted(by_size))
        stats = np.array([np.percentile(by_size[n], [50, 25, 75]) for n in sizes])
        series[solver] = (sizes, stats[:, 0], stats[:, 1], stats[:, 2])
    note = "some timings ran beside other jobs (n_jobs > 1)" if parallel else ""
    path = timing_plot(
        series,
        out / "solve_time.png",
        title="Solve time against problem size (median over problems of that size; band: IQR)",
        note=note,
    )
    return [path], []


def zone_figures(groups: list[Group], results_dir: Path, out: Path) -> tuple[list[Path], list[str]]:
    """Per-zone share of requests served, per configuration (seeds pooled)."""
    from bench.report_plots import ZoneGrid, zone_map_plot

    maps: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    grid = None
    no_grid = False
    for g in groups:
        if g.mode != "simulate" or not g.ok:
            continue
        zone_km = g.config.get("instance.zone_km")
        width = g.config.get("instance.width_km", g.config.get("instance.size_km"))
        height = g.config.get("instance.height_km", g.config.get("instance.size_km"))
        tables = [
            t
            for t in (_run_table(results_dir, row, "trips.parquet") for row in g.ok)
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
            zone = t.column("origin_zone").to_numpy(zero_copy_only=False).astype(np.int64)
            ok = t.column("served").to_numpy(zero_copy_only=False).astype(bool)
            inside = (zone >= 0) & (zone < size)
            requests += np.bincount(zone[inside], minlength=size)
            served += np.bincount(zone[inside], weights=ok[inside], minlength=size)
        maps[g.label or "all runs"] = (requests, served)
    notes = []
    if no_grid:
        notes.append("Some runs have no grid of zones (instance.zone_km): no service map for them.")
    if not maps:
        return [], [*notes, "No trips.parquet with origin_zone and served: no service maps."]
    items = list(maps.items())
    paths = [
        zone_map_plot(
            dict(items[i : i + 9]),
            grid,
            out / f"zones_{i // 9 + 1}.png",
            title="Share of requests served by zone of origin (seeds pooled)",
        )
        for i in range(0, len(items), 9)
    ]
    if len(items) > 9:
        notes.append(f"Service maps: {len(items)} configurations over {len(paths)} figures.")
    return paths, notes


# ---------------------------------------------------------------- HTML


def _fmt(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "&ndash;"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3e}"
    return f"{value:.4g}"


def _num(value: float) -> str:
    return repr(float(value)) if value is not None and math.isfinite(value) else ""


def metrics_table(groups: list[Group], mode: str) -> str:
    """A sortable table: one line per configuration, median and IQR of each metric."""
    mine = [g for g in groups if g.mode == mode]
    if not mine:
        return ""
    keys = varying_keys([g.config for g in mine])
    metrics = sorted({k for g in mine for r in g.ok for k in r if k.startswith("m_")})
    metrics = [m for m in metrics if any(len(g.values(m)) for g in mine)]
    head = [*(_SHORT.get(k, k) for k in keys), "runs", "ok", *(m[2:] for m in metrics)]
    lines = [
        "<table class='sortable'><thead><tr>"
        + "".join(f"<th>{html.escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
    ]
    for g in mine:
        cells = []
        for k in keys:
            v = g.config.get(k, "-")
            number = isinstance(v, int | float) and not isinstance(v, bool)
            data = f" data-v='{_num(v)}'" if number else ""  # text cells sort as text
            cells.append(f"<td{data}>{html.escape(str(v))}</td>")
        cells.append(f"<td data-v='{len(g.runs)}'>{len(g.runs)}</td>")
        cells.append(f"<td data-v='{len(g.ok)}'>{len(g.ok)}</td>")
        for m in metrics:
            med, q25, q75 = g.stat(m)
            iqr = q75 - q25
            if abs(iqr) <= 1e-9 * max(1.0, abs(med)):
                iqr = 0.0  # rounding noise of equal values
            spread = f"<span class='iqr'>IQR {_fmt(iqr)}</span>" if len(g.values(m)) > 1 else ""
            cells.append(f"<td data-v='{_num(med)}'>{_fmt(med)}{spread}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def failures_table(groups: list[Group]) -> str:
    """The runs that did not finish, with their status and message."""
    failed = [(g, r) for g in groups for r in g.runs if r.get("status") != "ok"]
    if not failed:
        return "<p>Every run finished.</p>"
    lines = [
        "<table class='sortable'><thead><tr><th>status</th><th>configuration</th><th>seed</th>"
        "<th>run_id</th><th>message</th></tr></thead><tbody>"
    ]
    for g, r in failed:
        lines.append(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(v))}</td>"
                for v in (
                    r.get("status"),
                    g.label,
                    r.get("seed"),
                    r.get("run_id"),
                    r.get("message"),
                )
            )
            + "</tr>"
        )
    lines.append("</tbody></table>")
    return "\n".join(lines)


def environment_table(rows: list[dict[str, Any]]) -> str:
    """Each environment column with the distinct values found and how many rows have each."""
    keys = sorted({k for r in rows for k in r if k.startswith("env_")})
    lines = ["<table><thead><tr><th>setting</th><th>values (rows)</th></tr></thead><tbody>"]
    for k in keys:
        counts: dict[str, int] = defaultdict(int)
        for r in rows:
            counts[str(r.get(k, ""))] += 1
        text = "; ".join(f"{v or '(unset)'} ({n})" for v, n in sorted(counts.items()))
        lines.append(f"<tr><td>{html.escape(k[4:])}</td><td>{html.escape(text)}</td></tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1250px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
p.note { color: #8a4b00; } p.caption { color: #555; font-size: 0.9em; max-width: 60em; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.8em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; white-space: nowrap; }
th { background: #f3f3f3; position: sticky; top: 0; }
table.sortable th { cursor: pointer; } th.asc::after { content: " \\25B2"; }
th.desc::after { content: " \\25BC"; }
td:first-child, th:first-child { text-align: left; }
.iqr { display: block; color: #888; font-size: 0.85em; }
"""

_JS = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var asc = !th.classList.contains("asc");
      table.querySelectorAll("th").forEach(function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(asc ? "asc" : "desc");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[col], v = cell.getAttribute("data-v");
        if (v !== null && v !== "") { return [0, parseFloat(v)]; }
        return v === "" ? [2, ""] : [1, cell.textContent];
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x[0] !== y[0]) { return x[0] - y[0]; }
        var c = x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""


def _figures_html(paths: list[Path], notes: list[str], caption: str) -> str:
    parts = [f"<p class='caption'>{caption}</p>"] if paths else []
    parts += [f"<img src='{p.name}' alt='{p.stem}'>" for p in paths]
    parts += [f"<p class='note'>{html.escape(n)}</p>" for n in notes]
    return "\n".join(parts)


def build_report(
    results_dir: str | Path,
    out: str | Path | None = None,
    *,
    efficiency: str = "m_welfare",
    fairness: str = "m_gini",
    collect_first: bool = True,
) -> Path:
    """Write ``index.html`` and its figures for ``results_dir`` into ``out``; return the page."""
    results_dir = Path(results_dir)
    out = Path(out) if out is not None else results_dir / "report"
    rows = load(results_dir, collect_first=collect_first)
    out.mkdir(parents=True, exist_ok=True)
    metrics = sorted({k for r in rows for k in r if k.startswith("m_")})
    for flag, metric in (("--efficiency", efficiency), ("--fairness", fairness)):
        if metrics and metric not in metrics:
            raise ValueError(
                f"{flag}: no metric {metric!r} in these results; choose one of {', '.join(metrics)}"
            )
    groups = group_rows(rows)
    status: dict[str, int] = defaultdict(int)
    for r in rows:
        status[str(r.get("status"))] += 1
    pareto, pareto_notes = pareto_figures(groups, out, efficiency, fairness)
    lorenz, lorenz_notes = lorenz_figures(groups, results_dir, out)
    timing, timing_notes = timing_figures(groups, results_dir, out, rows)
    zones, zone_notes = zone_figures(groups, results_dir, out)
    better = "lower" if fairness in LOWER_IS_BETTER else "higher"
    sections = [
        (
            "Efficiency against fairness",
            _figures_html(
                pareto,
                pareto_notes,
                f"Each point is one configuration at the median over its seeds: x = "
                f"<code>{efficiency}</code> (higher is better), y = <code>{fairness}</code> "
                f"({better} is better). Per solver, filled points are non-dominated (no other "
                "configuration of that solver is at least as good on both axes and better on "
                "one) and joined into its frontier; hollow points are dominated. Bars span the "
                "interquartile range over seeds.",
            ),
        ),
        (
            "Who earns what: Lorenz curves",
            _figures_html(
                lorenz,
                lorenz_notes,
                "A point (p, s) on a curve: the lowest-paid share p of workers earn the share s "
                "of all pay per online hour. The diagonal is equal pay; the further a curve "
                "sags below it, the more unequal. Gini = 1 - 2 x the area under the curve.",
            ),
        ),
        (
            "Solve time against size",
            _figures_html(
                timing,
                timing_notes,
                "Static runs, log-log axes: a straight line of slope k means time grows like "
                "n^k. Only runs with n_jobs = 1 (one job at a time) are fair timings.",
            ),
        ),
        (
            "Service by zone",
            _figures_html(
                zones,
                zone_notes,
                "Share of requests served by the zone where they start; grey zones had too few "
                "requests to say. Red areas are where the platform leaves riders unserved.",
            ),
        ),
    ]
    tables = []
    for mode in sorted({g.mode for g in groups}):
        tables.append(
            (
                f"Metrics by configuration ({mode})",
                "<p class='caption'>Median over seeds, IQR below it (when there are several "
                "seeds). Click a column header to sort.</p><div class='scroll'>"
                + metrics_table(groups, mode)
                + "</div>",
            )
        )
    tables.append(("Failed runs", f"<div class='scroll'>{failures_table(groups)}</div>"))
    tables.append(("Environment", environment_table(rows)))
    summary = ", ".join(f"{n} {s}" for s, n in sorted(status.items())) or "no rows"
    body = "\n".join(
        f"<h2>{html.escape(title)}</h2>\n{content}" for title, content in sections + tables
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>gigbench report: {html.escape(str(results_dir))}</title>
<style>{_CSS}</style></head><body>
<h1>gigbench report</h1>
<p>Results: <code>{html.escape(str(results_dir.resolve()))}</code>: {len(rows)} runs ({summary})
in {len(groups)} configurations.</p>
{body}
<script>{_JS}</script>
</body></html>
"""
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def main(argv: list[str] | None = None) -> int:
    """Console entry point of ``gigbench-report``."""
    parser = argparse.ArgumentParser(
        prog="gigbench-report",
        description="Collect the rows of a results_dir and write an HTML report with plots.",
    )
    parser.add_argument("results_dir", help="the results_dir of one or more sweeps")
    parser.add_argument("--out", help="output folder (default: <results_dir>/report)")
    parser.add_argument(
        "--efficiency",
        default="m_welfare",
        help="x axis of the Pareto plot, higher is better (default m_welfare; e.g. m_match_rate)",
    )
    parser.add_argument(
        "--fairness",
        default="m_gini",
        help="y axis of the Pareto plot (default m_gini, lower is better; e.g. m_jain, "
        "m_min_hourly, m_below_min_wage)",
    )
    parser.add_argument("--no-collect", action="store_true", help="use results.parquet as it is")
    args = parser.parse_args(argv)
    try:
        index = build_report(
            args.results_dir,
            args.out,
            efficiency=args.efficiency,
            fairness=args.fairness,
            collect_first=not args.no_collect,
        )
    except (OSError, ValueError) as exc:  # OSError: missing folder, full or read-only disk
        print(f"gigbench-report: error: {exc}", file=sys.stderr)
        return 2
    print(f"gigbench-report: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
