"""gigbench-report: figures and tables from a results dataset (synthetic rows, no runs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from results_fixtures import write_run

from gigbench.market.metrics import gini
from gigbench.report.cli import build_report, main
from gigbench.report.data import Group, group_rows, ordered_metrics, varying_keys
from gigbench.report.figures import non_dominated
from gigbench.report.lorenz import lorenz_points, median_curve
from gigbench.report.style import Palette

ROOT = Path(__file__).resolve().parents[2]


def _config(solver: str, lam: float, seed: int, mode: str = "simulate", size: int = 0) -> dict:
    config = {
        "solver": {"name": solver} | ({"strategy": "best_edge"} if solver == "greedy" else {}),
        "objective": {"name": "fair", "lambda": lam},
        "instance": {"name": "city", "seed": seed, "size_km": 4.0, "zone_km": 1.0},
        "market": {"name": "nyc", "currency": "USD"},
        "mode": {"name": mode} | ({"sizes": [size], "seed": seed} if mode == "static" else {}),
        "run": {"timeout_s": 600},
        "results_dir": "somewhere",
    }
    return config


def _write(tmp_path, rid: str, config: dict, status: str = "ok", **metrics) -> None:
    row = {
        "run_id": rid,
        "status": status,
        "message": "" if status == "ok" else "no result after 600 s",
        "mode": config["mode"]["name"],
        "solver": config["solver"]["name"],
        "seed": config["instance"]["seed"],
        "config_json": json.dumps(config),
        "env_n_jobs": "1",
        "env_launcher": "basic",
    } | {f"m_{k}": v for k, v in metrics.items()}
    tables = {}
    rng = np.random.default_rng(len(rid))
    if status == "ok" and config["mode"]["name"] == "simulate":
        pay = rng.gamma(2.0 + config["objective"]["lambda"], 10.0, 30)
        tables["workers"] = pa.table({"hourly_pay": pay, "online_hours": np.ones(30)})
        zones = rng.integers(0, 16, 200)
        tables["trips"] = pa.table({"origin_zone": zones, "served": rng.random(200) < 0.8})
    if status == "ok" and config["mode"]["name"] == "static":
        n = config["mode"]["sizes"][0]
        tables["problems"] = pa.table(
            {"n_rows": [n], "solve_seconds": [1e-6 * n**2 * (2 if row["solver"] == "a" else 1)]}
        )
    write_run(tmp_path, row, tables)


@pytest.fixture
def results(tmp_path):
    for solver in ("greedy", "hungarian"):
        for lam in (0.0, 0.5, 2.0):
            for seed in (0, 1, 2):
                rid = f"{solver}-{lam}-{seed}"
                welfare = 100 + 10 * seed - 5 * lam + (20 if solver == "hungarian" else 0)
                gini = 0.4 - 0.05 * lam + 0.01 * seed
                _write(tmp_path, rid, _config(solver, lam, seed), welfare=welfare, gini=gini)
    _write(tmp_path, "hang", _config("hang", 0.0, 0), status="timeout")
    for solver in ("a", "b"):
        for size in (10, 100, 1000):
            _write(tmp_path, f"s-{solver}-{size}", _config(solver, 0, 0, "static", size))
    return tmp_path


def test_report_has_every_section(results) -> None:
    index = build_report(results, results / "out")
    page = index.read_text()
    for title in ("Efficiency against fairness", "Lorenz curves", "Solve time against size",
                  "Service by zone", "Difference from the reference"):  # fmt: skip
        assert title in page, title
    assert page.count("Plotly.newPlot") >= 5  # pareto, lorenz, solve time, zones and difference
    assert "https://" not in page.split("</script>", 2)[-1]  # no network: plotly.js is inline
    assert "no result after 600 s" in page and "table.sortable" in page
    assert "IQR" in page and "&lambda;" not in page and "\u03bb" in page
    # 6 simulated configurations, 6 static ones, one failed
    assert page.count("<tr>") >= 6 + 6 + 1
    assert (results / "results.parquet").is_file()


def test_metric_table_is_in_the_metric_reference_order() -> None:
    """The report's metric columns come in the order docs/reference/metrics.md lists them
    (efficiency, fairness, timing: the catalogue's order); metrics the reference does not list
    come last, by name."""
    reference = re.findall(
        r"^\| `(\w+)` \|", (ROOT / "docs/reference/metrics.md").read_text(), re.M
    )
    assert len(reference) > 20
    rows = [{f"m_{name}": 1.0 for name in reversed(reference)} | {"m_zzz": 1.0, "m_aaa": 1.0}]
    assert ordered_metrics(rows) == [f"m_{name}" for name in reference] + ["m_aaa", "m_zzz"]


def test_a_static_folder_gets_its_sections_only(tmp_path) -> None:
    for solver in ("a", "b"):
        for size in (10, 100):
            _write(tmp_path, f"s-{solver}-{size}", _config(solver, 0, 0, "static", size))
    page = build_report(tmp_path).read_text()  # no m_welfare: no error, no Pareto section
    assert "Solve time against size" in page and "Efficiency against fairness" not in page


def test_labels_never_collide() -> None:
    rows = [
        {"run_id": f"r{i}", "status": "ok", "mode": "simulate",
         "config_json": json.dumps({"solver": {"name": "greedy"}, "objective": {"name": "fair",
                                    "lambda": lam}, "pricing": {"name": p}})}
        for i, (lam, p) in enumerate([(0.5, "tariff"), (0.5, "surge"), (1, "tariff")])
    ]  # fmt: skip
    labels = [g.label for g in group_rows(rows)]
    assert len(set(labels)) == 3, labels


def test_groups_are_configs_minus_seeds(results) -> None:
    import pyarrow.parquet as pq

    from gigbench.harness.collect import collect

    rows = pq.read_table(collect(results)).to_pylist()
    groups = group_rows(rows)
    sim = [g for g in groups if g.mode == "simulate"]
    assert len(sim) == 7  # 2 solvers x 3 lambdas, and the timed-out one
    greedy = next(g for g in sim if g.label == "solver=greedy, \u03bb=0.5")
    assert len(greedy.ok) == 3
    median, q25, q75 = greedy.stat("m_welfare")
    assert median == pytest.approx(107.5) and q75 - q25 == pytest.approx(10.0)


def test_varying_keys_ignore_other_solvers_parameters() -> None:
    a = {"solver.name": "greedy", "solver.strategy": "best_edge", "x": 1}
    b = {"solver.name": "hungarian", "x": 1}
    c = {"solver.name": "greedy", "solver.strategy": "nearest", "x": 1}
    assert varying_keys([a, b]) == ["solver.name"]
    assert varying_keys([a, b, c]) == ["solver.name", "solver.strategy"]


def test_non_dominated() -> None:
    xs, ys = [1, 2, 3, 2, 3], [0.1, 0.2, 0.5, 0.3, 0.4]
    assert non_dominated(xs, ys, y_lower_better=True) == [True, True, False, False, True]
    assert non_dominated(xs, ys, y_lower_better=False) == [False, False, True, False, False]


def _area_gini(pop: np.ndarray, share: np.ndarray) -> float:
    return 1.0 - 2.0 * float(np.trapezoid(share, pop))


def test_lorenz_curve_is_the_median_seed_and_its_area_is_the_metrics_gini() -> None:
    """The drawn curve's Gini (1 - 2 x its area) is the median over seeds of
    gigbench.market.metrics.gini, for odd and even numbers of seeds."""
    rng = np.random.default_rng(0)
    for seeds in (1, 2, 3, 4):
        samples = [rng.gamma(2.0, 10.0, rng.integers(5, 40)) for _ in range(seeds)]
        pop, share, median = median_curve(samples)
        assert median == pytest.approx(float(np.median([gini(s) for s in samples])), abs=1e-15)
        assert _area_gini(pop, share) == pytest.approx(median, abs=1e-12), seeds
    pop, share = lorenz_points(np.array([0, 0, 0, 1.0]))
    assert _area_gini(pop, share) == pytest.approx(0.75) and share[-1] == 1.0 and pop[-1] == 1.0
    assert _area_gini(*lorenz_points(np.zeros(4))) == 0.0 == gini(np.zeros(4))


def test_cli_errors(results, capsys) -> None:
    assert main([str(results), "--fairness", "m_gni"]) == 2
    assert "m_gini" in capsys.readouterr().err
    assert main([str(results / "nothing")]) == 2


def test_colour_is_the_solver_unless_one_solver_ran() -> None:
    fixed, elastic = (
        Group("simulate", {"solver.name": "hungarian", "supply.name": s}, rest=f"supply={s}")
        for s in ("fixed", "elastic")
    )
    alone = Palette([fixed, elastic])
    assert alone.of(fixed).color != alone.of(elastic).color
    assert alone.of(fixed).symbol != alone.of(elastic).symbol
    greedy = Group("simulate", {"solver.name": "greedy"})
    mixed = Palette([fixed, elastic, greedy])
    assert mixed.of(fixed).color == mixed.of(elastic).color != mixed.of(greedy).color
    assert mixed.of(fixed).symbol != mixed.of(elastic).symbol
