"""A report of a real small mixed sweep (simulated days over solver x fairness weight x seeds,
a two-day run, static problems) agrees with itself: every Lorenz legend's Gini is its
configuration's Gini in the table, and a configuration has one colour and one marker in every
figure."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hydra import compose

from gigbench.harness.compose import register
from gigbench.harness.run import run
from gigbench.market.metrics import gini
from gigbench.report.cli import build_report, figure_sections
from gigbench.report.data import group_rows, load, run_table
from gigbench.resources import hydra_compose

SMALL = ["instance=nyc", "objective=fair", "instance.n_tasks=150", "instance.horizon_h=2"]
SEEDS = {0: (0, 1, 2), 1: (0, 1)}  # odd and even numbers of seeds: λ -> seeds


def _run(overrides: list[str], results: Path) -> None:
    with hydra_compose():
        cfg = compose(config_name="config", overrides=[*overrides, f"results_dir={results}"])
    row = run(cfg)
    assert row is not None and row["status"] == "ok", row


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    register()
    for solver in ("greedy", "hungarian"):
        for lam, seeds in SEEDS.items():
            for seed in seeds:
                _run([*SMALL, f"solver={solver}", f"objective.lambda={lam}",
                      f"instance.seed={seed}"], folder)  # fmt: skip
        _run([*SMALL, f"solver={solver}", "objective.lambda=0", "mode.days=2"], folder)
        for size in (10, 30):
            _run(["mode=static", f"mode.sizes=[{size}]", f"solver={solver}"], folder)
    return folder


@pytest.fixture(scope="module")
def sections(results):
    groups = group_rows(load(results))
    return groups, figure_sections(groups, results, "m_welfare", "m_gini")


def _figures(sections, title: str):
    (found,) = [figs for t, (figs, _), _ in sections if t == title]
    return found


def test_every_lorenz_legend_gives_the_tables_gini(results, sections) -> None:
    groups, found = sections
    ((_, fig),) = _figures(found, "Who earns what: Lorenz curves")
    legends = {t.meta["configuration"]: t.name for t in fig.data if t.meta}
    simulated = [g for g in groups if g.mode == "simulate"]
    assert set(legends) == {g.label for g in simulated} and len(legends) == 6
    page = build_report(results, results / "report").read_text()
    for g in simulated:
        median = g.stat("m_gini")[0]
        (shown,) = re.findall(r"\(Gini (\d\.\d{3})", legends[g.label])
        assert shown == f"{median:.3f}", (g.label, legends[g.label], median)
        assert f"(Gini {shown}" in page
        assert f"<td data-v='{median!r}'>" in page  # the same median is the table's cell


def test_the_rule_of_who_is_counted_matters_here(results, sections) -> None:
    """Counting every worker online at all, as the curves once did, would change the Gini of
    some run: the agreement above is not an accident of the data."""
    groups, _ = sections
    differ = 0
    for g in groups:
        for row in g.ok if g.mode == "simulate" else ():
            table = run_table(results, row, "workers.parquet")
            hours = table.column("online_hours").to_numpy()
            everyone = gini(table.column("hourly_pay").to_numpy()[hours > 0])
            differ += f"{everyone:.3f}" != f"{row['m_gini']:.3f}"
    assert differ > 0


def _style(trace) -> tuple[str | None, str | None, str | None]:
    """(colour, marker without its hollow variant, dash) of a trace; None where it has none."""
    marker = getattr(trace, "marker", None)
    line = getattr(trace, "line", None)
    color = (line.color if line is not None else None) or (marker.color if marker else None)
    symbols = getattr(marker, "symbol", None) if marker is not None else None
    if isinstance(symbols, tuple | list):
        assert len({s.removesuffix("-open") for s in symbols}) == 1, symbols
        symbols = symbols[0]
    symbol = symbols.removesuffix("-open") if isinstance(symbols, str) else None
    return color, symbol, line.dash if line is not None else None


def test_a_configuration_looks_the_same_in_every_figure(sections) -> None:
    _, found = sections
    seen: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    where: dict[str, set[str]] = defaultdict(set)
    solver_colors: dict[str, set[str]] = defaultdict(set)
    figures = [(t, fig) for _, (figs, _), _ in found for t, fig in figs]
    for title, fig in figures:
        styles_here = {}
        for trace in fig.data:
            if not trace.meta:
                continue
            color, symbol, dash = _style(trace)
            solver_colors[trace.meta["solver"]].add(color)
            name = trace.meta.get("configuration")
            if name is None:
                continue  # a solver's frontier: its colour is checked above
            where[name].add(title)
            for kind, value in (("color", color), ("symbol", symbol), ("dash", dash)):
                if value is not None:
                    seen[name][kind].add(value)
            styles_here.setdefault(name, (color, symbol, dash))
        # within a figure, two configurations never look alike
        assert len(set(styles_here.values())) == len(styles_here), (title, styles_here)
    assert {s: len(c) for s, c in solver_colors.items()} == {"greedy": 1, "hungarian": 1}
    assert solver_colors["greedy"] != solver_colors["hungarian"]
    for name, kinds in seen.items():
        assert all(len(values) == 1 for values in kinds.values()), (name, dict(kinds))
    # the two-day runs are drawn in the Pareto plot, the Lorenz curves and the day-by-day lines
    two_days = [n for n in where if "mode.days=2" in n]
    assert two_days and all(len(where[n]) >= 3 for n in two_days), dict(where)
    assert any("Day by day" in t for t, _ in figures)


def test_the_median_seed_is_drawn(results, sections) -> None:
    """With three seeds the curve is the middle seed's own curve, point for point."""
    groups, found = sections
    ((_, fig),) = _figures(found, "Who earns what: Lorenz curves")
    g = next(g for g in groups if g.mode == "simulate" and len(g.ok) == 3)
    curve = next(t for t in fig.data if t.meta and t.meta["configuration"] == g.label)
    median = g.stat("m_gini")[0]
    row = next(r for r in g.ok if r["m_gini"] == median)
    table = run_table(results, row, "workers.parquet")
    hours = table.column("online_hours").to_numpy()
    min_hours = json.loads(row["config_json"])["mode"]["fairness_min_hours"]
    days = np.maximum(table.column("days_online").to_numpy(), 1)
    counted = (hours > 0) & (hours >= min_hours * days)  # the metric reference's rule
    pay = np.sort(table.column("hourly_pay").to_numpy()[counted])
    assert len(curve.x) == len(pay) + 1
    assert np.allclose(curve.y[1:], np.cumsum(pay) / pay.sum())
