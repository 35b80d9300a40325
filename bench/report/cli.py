"""``gigbench-report <results_dir> [--out DIR]``: a results folder as one HTML page.

Collects the rows first, then shows what the rows hold: simulations get the efficiency-fairness
Pareto plot, Lorenz curves and zone maps; static runs get solve time against size and the gap
to published optima; a mixed folder gets both. Then, per mode, one sortable table per section
of the metric catalogue, the failed runs and the environment. Defaults come from the rows
(``m_welfare`` and ``m_gini`` where a simulation measured them).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import defaultdict
from pathlib import Path

from gigbench.report import days, figures, lorenz, page, replay
from gigbench.report.data import (
    Group,
    better,
    concurrent,
    group_rows,
    load,
    metric_of,
    ordered_metrics,
)
from gigbench.report.figures import Figures
from gigbench.report.style import Palette

DEFAULT_EFFICIENCY = ("m_welfare", "m_match_rate")
DEFAULT_FAIRNESS = ("m_gini", "m_jain")


def _choose(flag: str, wanted: str | None, defaults: tuple[str, ...], found: list[str]):
    """The metric asked for (an error when the rows lack it), else the first default found."""
    if wanted is not None:
        if wanted not in found:
            raise ValueError(
                f"{flag}: no metric {wanted!r} in these results; choose one of {', '.join(found)}"
            )
        return wanted
    return next((m for m in defaults if m in found), None)


def build_report(
    results_dir: str | Path,
    out: str | Path | None = None,
    *,
    efficiency: str | None = None,
    fairness: str | None = None,
    zone_reference: str | None = None,
    collect_first: bool = True,
) -> Path:
    """Write ``index.html`` for ``results_dir`` into ``out``; return the page."""
    results_dir = Path(results_dir)
    out = Path(out) if out is not None else results_dir / "report"
    rows = load(results_dir, collect_first=collect_first)
    metrics = ordered_metrics(rows)
    efficiency = _choose("--efficiency", efficiency, DEFAULT_EFFICIENCY, metrics)
    fairness = _choose("--fairness", fairness, DEFAULT_FAIRNESS, metrics)
    if efficiency and fairness:
        figures.pareto_axes(efficiency, fairness)  # a metric better neither way: refused now
    out.mkdir(parents=True, exist_ok=True)
    groups = group_rows(rows)
    modes = {g.mode for g in groups}
    sections = [
        (title, page.figures_html(*found, caption))
        for title, found, caption in figure_sections(
            groups, results_dir, efficiency, fairness, zone_reference
        )
        if found[0] or title not in OPTIONAL
    ]
    for mode in sorted(modes):
        sections.append(
            (
                f"Metrics by configuration ({mode})",
                "<p class='caption'>Median over seeds, IQR below it (when there are several "
                "seeds), in the sections and order of the metric reference; each header gives "
                "which way the metric is better (\u2191 higher, \u2193 lower) and its unit, and "
                "its definition on hover. Click a header to sort.</p>"
                + page.metrics_tables(groups, mode),
            )
        )
    sections.append(("Failed runs", f"<div class='scroll'>{page.failures_table(groups)}</div>"))
    sections.append(("Environment", page.environment_table(rows)))
    status: dict[str, int] = defaultdict(int)
    for r in rows:
        status[str(r.get("status"))] += 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(status.items())) or "no rows"
    intro = (
        f"<p>Results: <code>{html.escape(str(results_dir.resolve()))}</code>: {len(rows)} runs "
        f"({summary}) in {len(groups)} configurations.</p>"
    )
    beside = sum(1 for r in rows if concurrent(r) > 1)
    if beside:
        intro += (
            f"<p class='note'>{beside} of {len(rows)} runs ran beside other runs on the same "
            "machine (env_concurrent_runs &gt; 1): their timings are not comparable with "
            "timings taken alone; their other metrics are.</p>"
        )
    index = out / "index.html"
    index.write_text(
        page.page(f"gigbench report: {results_dir}", intro, sections), encoding="utf-8"
    )
    return index


# Sections shown only where the rows hold something for them.
OPTIONAL = ("Replay: simulated and recorded pay", "Replay: day by day",
            "Multi-day runs: day by day")  # fmt: skip


def figure_sections(
    groups: list[Group],
    results_dir: Path,
    efficiency: str | None,
    fairness: str | None,
    zone_reference: str | None = None,
) -> list[tuple[str, Figures, str]]:
    """Every figure section of the report as ``(title, (figures, notes), caption)``, drawn with
    one :class:`gigbench.report.style.Palette` so that a configuration looks the same in all."""
    palette = Palette(groups)
    modes = {g.mode for g in groups}
    sections = []
    if "simulate" in modes:
        sections += _simulation_sections(
            groups, results_dir, efficiency, fairness, zone_reference, palette
        )
    if "static" in modes:
        sections += _static_sections(groups, results_dir, palette)
    return sections


def _code(text: str) -> str:
    """Catalogue text for a caption: escaped, its `names` as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _simulation_sections(groups, results_dir, efficiency, fairness, zone_reference, palette):
    sections = []
    if efficiency and fairness:
        sections.append(
            (
                "Efficiency against fairness",
                figures.pareto(groups, efficiency, fairness, palette),
                f"Each point is one configuration at the median over its seeds: x = "
                f"<code>{efficiency}</code> ({better(efficiency).value} is better), y = "
                f"<code>{fairness}</code> ({better(fairness).value} is better); hover a point "
                "for its configuration. Per solver, filled points are non-dominated (no other "
                "configuration of that solver is at least as good on both axes and better on "
                "one) and joined into its frontier; hollow points are dominated. Bars span the "
                "interquartile range. A configuration looks the same in every figure of this "
                "page: a colour per solver (per configuration when one solver ran), a marker "
                "per configuration of the other keys.",
            )
        )
    counted = metric_of("m_gini")
    sections.append(
        (
            "Who earns what: Lorenz curves",
            lorenz.lorenz(groups, results_dir, palette),
            "A point (p, s) on a curve: the lowest-paid share p of workers earn the share s "
            "of all pay per online hour. The diagonal is equal pay; the further a curve "
            "sags below it, the more unequal. Gini = 1 - 2 x the area under the curve. "
            "Workers counted as the fairness metrics count them: "
            f"{_code(counted.counts) if counted else 'every worker online'}. Each curve is its "
            "configuration's median seed by Gini (with an even number of seeds, the mean of "
            "the middle two), and the legend gives the median Gini over seeds, as the table "
            "below does.",
        )
    )
    sections += [
        (
            "Replay: simulated and recorded pay",
            replay.pay_per_minute(groups, results_dir, palette),
            "Pay per trip-minute of the served replayed trips: the simulation's worker pay beside "
            "the trip record's driver pay (high-volume records), clipped at the 99th percentile.",
        ),
        (
            "Replay: day by day",
            replay.daily(groups, palette),
            "One point per replayed day (instance.day plus instance.day_offset), at the median "
            "over seeds; one line per configuration of the other keys.",
        ),
        (
            "Multi-day runs: day by day",
            days.days(groups, results_dir, palette),
            "Runs of several days (mode.days): each day's figure at the median over seeds, one "
            "line per configuration. Net earnings are after commission and vehicle costs; the "
            "Gini is of each worker's pay to date over their online hours to date.",
        ),
        (
            "Service by zone",
            figures.zones(groups, results_dir, zone_reference),
            "Share of requests served by the zone where they start, for the reference "
            "configuration (--zone-reference, default the first); then each other "
            "configuration as its difference from it (blue: served more, red: fewer). "
            "Zones with fewer than 5 requests are blank.",
        ),
    ]
    return sections


def _static_sections(groups, results_dir, palette):
    return [
        (
            "Solve time against size",
            figures.solve_time(groups, results_dir, palette),
            "Static runs, log-log axes: a straight line of slope k means time grows like "
            "n^k. Only timings taken alone (env_concurrent_runs = 1) are fair.",
        ),
        (
            "Optimality",
            figures.optimality(groups, results_dir, palette),
            "Relative gap of each solver's objective to the published optimum, per problem "
            "(the worst over repeats and seeds); exact solvers must be at 0.",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    """Console entry point of ``gigbench-report``."""
    parser = argparse.ArgumentParser(
        prog="gigbench-report",
        description="Collect the rows of a results_dir and write an HTML report.",
    )
    parser.add_argument("results_dir", help="the results_dir of one or more sweeps")
    parser.add_argument("--out", help="output folder (default: <results_dir>/report)")
    parser.add_argument(
        "--efficiency",
        help="x axis of the Pareto plot, higher is better (default m_welfare; e.g. m_match_rate)",
    )
    parser.add_argument(
        "--fairness",
        help="y axis of the Pareto plot (default m_gini, lower is better; e.g. m_jain, "
        "m_hourly_pay_min, m_below_min_wage)",
    )
    parser.add_argument(
        "--zone-reference",
        help="the configuration zone maps are compared with, as key=value parts of its label "
        "(e.g. 'solver=hungarian, λ=0'); default: the first",
    )
    parser.add_argument("--no-collect", action="store_true", help="use results.parquet as it is")
    args = parser.parse_args(argv)
    try:
        index = build_report(
            args.results_dir,
            args.out,
            efficiency=args.efficiency,
            fairness=args.fairness,
            zone_reference=args.zone_reference,
            collect_first=not args.no_collect,
        )
    except (OSError, ValueError) as exc:  # OSError: missing folder, full or read-only disk
        print(f"gigbench-report: error: {exc}", file=sys.stderr)
        return 2
    print(f"gigbench-report: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
