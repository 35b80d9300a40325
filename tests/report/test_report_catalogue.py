"""The report's metrics are the catalogue's: each metric under its catalogue section, in its
order, with its unit and better direction; a metric added to the catalogue appears; and no
metric name in the report or the docs/measure scripts is one the catalogue lacks."""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from results_fixtures import write_run

from gigbench.market import catalogue
from gigbench.market.catalogue import CATALOGUE, SIMULATE, Better, Metric, Section, metrics_in
from gigbench.report import cli, days, replay
from gigbench.report.cli import build_report, main
from gigbench.report.data import ARROWS, group_rows, load
from gigbench.report.figures import pareto

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*(ROOT / "bench" / "report").glob("*.py"), *(ROOT / "docs" / "measure").glob("*.py")]
TIPS = Metric("tips", Section.FAIRNESS, "currency/h", Better.LOWER, "tips per online hour",
              "served trips")  # fmt: skip


def _write(results: Path, **metrics: float) -> None:
    for seed in (0, 1):
        config = {"solver": {"name": "greedy"}, "instance": {"name": "city", "seed": seed},
                  "market": {"currency": "USD"}, "mode": {"name": "simulate"}}  # fmt: skip
        row = {"run_id": f"r{seed}", "status": "ok", "mode": "simulate", "solver": "greedy",
               "config_json": json.dumps(config)}  # fmt: skip
        write_run(results, row | {f"m_{k}": v + seed for k, v in metrics.items()})


def _table(page: str, section: str) -> str:
    """The metric table under a section's heading."""
    start = page.index(f"<h3>{section}</h3>")
    return page[start : page.index("</table>", start)]


def _header(metric: Metric) -> str:
    return f">{metric.name} {ARROWS[metric.better]}<span class='unit'>{metric.unit_in('USD')}<"


def test_every_metric_under_its_section_with_its_unit_and_arrow_in_catalogue_order(
    tmp_path,
) -> None:
    _write(tmp_path, **{m.name: 1.0 for m in CATALOGUE})
    page = build_report(tmp_path).read_text()
    for section in Section:
        mine = [m for m in CATALOGUE if m.section is section]
        if not mine:
            assert f"<h3>{section.value.capitalize()}</h3>" not in page
            continue
        table = _table(page, section.value.capitalize())
        places = [table.find(_header(m)) for m in mine]
        assert -1 not in places, [m.name for m, p in zip(mine, places, strict=True) if p < 0]
        assert places == sorted(places), section
    assert "<h3>Not in the metric catalogue</h3>" not in page


def test_a_metric_added_to_the_catalogue_appears(tmp_path, monkeypatch, capsys) -> None:
    _write(tmp_path, welfare=100.0, gini=0.2, tips=3.0)
    before = build_report(tmp_path).read_text()
    assert "tips" in _table(before, "Not in the metric catalogue")
    assert main([str(tmp_path), "--fairness", "m_tips"]) == 2  # no better direction known
    assert "'m_tips', which is not in the catalogue" in capsys.readouterr().err

    monkeypatch.setattr(catalogue, "CATALOGUE", (*CATALOGUE, TIPS))
    after = build_report(tmp_path).read_text()
    assert "Not in the metric catalogue" not in after
    assert _header(TIPS) in _table(after, "Fairness")
    assert main([str(tmp_path), "--fairness", "m_tips"]) == 0
    ((_, fig),), _ = pareto(group_rows(load(tmp_path)), "m_welfare", "m_tips")
    assert fig.layout.yaxis.title.text == "tips (USD/h) (lower is better \u2193)"


def test_a_pareto_axis_better_neither_way_is_refused(tmp_path, capsys) -> None:
    _write(tmp_path, welfare=100.0, gini=0.2, requests=50.0)
    assert main([str(tmp_path), "--efficiency", "m_requests"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'m_requests', which is better neither way" in err


def _literals(path: Path) -> list[str]:
    return [n.value for n in ast.walk(ast.parse(path.read_text()))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]  # fmt: skip


def _named(path: Path) -> list[str]:
    """The names the docs/measure scripts pass to ``col`` and ``day_col``."""
    return [n.args[0].value for n in ast.walk(ast.parse(path.read_text()))
            if isinstance(n, ast.Call) and getattr(n.func, "id", "") in ("col", "day_col")
            and n.args and isinstance(n.args[0], ast.Constant)]  # fmt: skip


def test_no_metric_name_the_catalogue_lacks() -> None:
    """Every ``m_*`` column named in the report or a docs/measure script, every name the
    scripts look up, and every metric the report's figures select, is catalogued (a prefix
    such as ``m_stage_s_`` of one)."""
    names = {m.name for m in CATALOGUE}
    looked_up = 0
    for path in SOURCES:
        for text in _literals(path):
            if re.fullmatch(r"m_[a-z0-9_]+", text):
                name = text[2:]
                known = name in names or (name.endswith("_") and any(
                    n.startswith(name) for n in names))  # fmt: skip
                assert known, f"{path.name}: {text!r} is not in the metric catalogue"
        for name in _named(path):
            assert name in names, f"{path.name}: {name!r} is not in the metric catalogue"
            looked_up += 1
    assert looked_up > 20  # the scripts' tables name their metrics through the catalogue
    chosen = [*cli.DEFAULT_EFFICIENCY, *cli.DEFAULT_FAIRNESS, *replay.DAILY_METRICS]
    chosen += [f"m_{m.removesuffix(days.TO_DATE)}" for m in days.DAY_METRICS]
    assert {c.removeprefix("m_") for c in chosen} <= names


def test_no_list_of_metrics_in_the_report() -> None:
    """No literal collection in bench/report names more than four catalogued metrics: the
    order, units and directions of metrics live in the catalogue only."""
    names = {m.name for m in CATALOGUE}
    for path in (ROOT / "bench" / "report").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
                items = node.keys if isinstance(node, ast.Dict) else node.elts
                found = [i.value.removeprefix("m_") for i in items
                         if isinstance(i, ast.Constant) and isinstance(i.value, str)]  # fmt: skip
                assert len(set(found) & names) <= 4, (path.name, node.lineno, found)


def test_collect_rows_writes_a_simulations_catalogued_metrics(tmp_path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "measure"))
    collect_rows = importlib.import_module("collect_rows")
    collect_rows.write_rows(tmp_path, 8)
    columns = set()
    for path in (tmp_path / "rows").glob("*.parquet"):
        columns |= {c[2:] for c in pq.read_schema(path).names if c.startswith("m_")}
    assert columns == {m.name for m in metrics_in(SIMULATE)}


@pytest.mark.parametrize("name", ["zone_service_gap", "edge_s_per_batch"])
def test_the_measure_scripts_refuse_a_name_the_catalogue_lacks(name, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "measure"))
    catalogued = importlib.import_module("catalogued")
    assert catalogued.col("gini") == "m_gini"
    with pytest.raises(KeyError, match=name):
        catalogued.col(name)
