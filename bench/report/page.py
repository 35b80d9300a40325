"""The report's page: one self-contained HTML file (plotly.js embedded once, no network)
with the figures of :mod:`gigbench.report.figures` and sortable tables."""

from __future__ import annotations

import html
import math
from collections import defaultdict
from typing import Any

from gigbench.report.data import (
    ARROWS,
    SHORT,
    Group,
    by_section,
    currency,
    metric_of,
    ordered_metrics,
    varying_keys,
)


def _fmt(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "&ndash;"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3e}"
    return f"{value:.4g}"


def _num(value: float) -> str:
    return repr(float(value)) if value is not None and math.isfinite(value) else ""


def metrics_tables(groups: list[Group], mode: str) -> str:
    """Sortable tables, one per catalogue section (efficiency, fairness, management, timing,
    then metrics the catalogue does not know): one line per configuration, the median and IQR
    of each metric, headed by its name, which way it is better and its unit; its definition and
    who it counts on hover."""
    mine = [g for g in groups if g.mode == mode]
    if not mine:
        return ""
    metrics = [m for m in ordered_metrics([r for g in mine for r in g.ok])
               if any(len(g.values(m)) for g in mine)]  # fmt: skip
    cur = currency(mine)
    parts = []
    for section, columns in by_section(metrics):
        parts.append(f"<h3>{html.escape(section.capitalize())}</h3>")
        parts.append(f"<div class='scroll'>{_table(mine, columns, cur)}</div>")
    return "\n".join(parts)


def _header(column: str, cur: str | None) -> str:
    """A metric's header cell: name, arrow and unit; definition and who is counted on hover."""
    metric = metric_of(column)
    if metric is None:
        return f"<th>{html.escape(column[2:])}</th>"
    arrow = ARROWS[metric.better]
    hover = f"{metric.definition}; counts {metric.counts}"
    return (
        f"<th title='{html.escape(hover, quote=True)}'>{html.escape(metric.name)} {arrow}"
        f"<span class='unit'>{html.escape(metric.unit_in(cur))}</span></th>"
    )


def _table(mine: list[Group], metrics: list[str], cur: str | None) -> str:
    keys = varying_keys([g.config for g in mine])
    head = [*(f"<th>{html.escape(SHORT.get(k, k))}</th>" for k in keys), "<th>runs</th>",
            "<th>ok</th>", *(_header(m, cur) for m in metrics)]  # fmt: skip
    lines = ["<table class='sortable'><thead><tr>" + "".join(head) + "</tr></thead><tbody>"]
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
        values = (r.get("status"), g.label, r.get("seed"), r.get("run_id"), r.get("message"))
        lines.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in values) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def environment_table(rows: list[dict[str, Any]]) -> str:
    """Each environment column with the distinct values found and how many rows have each."""
    keys = sorted({k for r in rows for k in r if k.startswith("env_")})
    lines = ["<table><thead><tr><th>setting</th><th>values (rows)</th></tr></thead><tbody>"]
    for k in keys:
        counts: dict[str, int] = defaultdict(int)
        for r in rows:
            value = r.get(k)
            counts["" if value is None else str(value)] += 1
        text = "; ".join(f"{v or '(unset)'} ({n})" for v, n in sorted(counts.items()))
        lines.append(f"<tr><td>{html.escape(k[4:])}</td><td>{html.escape(text)}</td></tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1250px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
p.note { color: #8a4b00; } p.caption { color: #555; font-size: 0.9em; max-width: 60em; }
h3 { font-size: 1em; margin: 1.2em 0 0.3em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.8em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; white-space: nowrap; }
th { background: #f3f3f3; position: sticky; top: 0; }
table.sortable th { cursor: pointer; } th.asc::after { content: " \\25B2"; }
th.desc::after { content: " \\25BC"; }
td:first-child, th:first-child { text-align: left; }
.iqr, .unit { display: block; color: #888; font-size: 0.85em; }
th .unit { font-weight: normal; }
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


# Errors on the page are kept where a test (or a curious reader) can find them.
_TRAP = """
window.addEventListener("error", function (e) {
  var root = document.documentElement;
  root.setAttribute("data-errors", (root.getAttribute("data-errors") || "") + e.message + ";");
});
"""


def figures_html(figures: list[tuple[str, Any]], notes: list[str], caption: str) -> str:
    """Figures as plotly divs (the page loads plotly.js once), then the notes."""
    parts = [f"<p class='caption'>{caption}</p>"] if figures else []
    for title, fig in figures:
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(
            fig.to_html(full_html=False, include_plotlyjs=False, config={"responsive": True})
        )
    parts += [f"<p class='note'>{html.escape(n)}</p>" for n in notes]
    return "\n".join(parts)


def page(title: str, intro: str, sections: list[tuple[str, str]]) -> str:
    """The whole HTML page, plotly.js inlined."""
    from plotly.offline import get_plotlyjs

    body = "\n".join(f"<h2>{html.escape(t)}</h2>\n{content}" for t, content in sections)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<script>{_TRAP}</script>
<script>{get_plotlyjs()}</script>
<style>{_CSS}</style></head><body>
<h1>gigbench report</h1>
{intro}
{body}
<script>{_JS}</script>
</body></html>
"""
