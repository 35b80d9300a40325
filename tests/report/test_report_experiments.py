"""``gigbench-report`` on real (reduced) runs of the shipped experiments and on a mixed
folder, each page opened in headless Chromium: no console error, every plot drawn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from browser import open_page

from gigbench.harness.collect import collect
from gigbench.report.cli import main as report_main

pytestmark = pytest.mark.slow  # real sweeps of five experiments and a browser: minutes

ROOT = Path(__file__).resolve().parents[2]
ORLIB = ROOT.parent / "shared" / "data" / "orlib" / "assign100.txt"
SMALL_DAY = ["instance.n_tasks=100", "instance.n_workers=12", "instance.horizon_h=1"]
EXPERIMENTS = {
    "scaling": ["solver=greedy,hungarian", "mode.sizes=[10],[30]", "mode.seed=0"],
    "orlib": ["solver=greedy,hungarian", f"mode.path={ORLIB}", "mode.repeats=1"],
    "pareto": ["solver=greedy,hungarian", "objective.lambda=0,1", "instance.seed=0,1",
               *SMALL_DAY],
    "pricing": ["pricing=tariff,equilibrium", "solver=hungarian", "instance.seed=0",
                *SMALL_DAY],
}  # fmt: skip


def gigbench(args: list[str], cwd: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gigbench.harness", "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """Each experiment's results folder, and a mixed one (static and simulated runs)."""
    work = tmp_path_factory.mktemp("experiments")
    found = {}
    for name, args in EXPERIMENTS.items():
        if name == "orlib" and not ORLIB.is_file():
            continue
        found[name] = work / name
        gigbench([f"+experiment={name}", *args, f"results_dir={found[name]}"], work)
    found["mixed"] = work / "mixed"
    gigbench(["+experiment=pareto", *EXPERIMENTS["pareto"][:2], "instance.seed=0", *SMALL_DAY,
              f"results_dir={found['mixed']}"], work)  # fmt: skip
    gigbench(["+experiment=scaling", *EXPERIMENTS["scaling"], f"results_dir={found['mixed']}"],
             work)  # fmt: skip
    return found


SECTIONS = {
    "scaling": ["Solve time against size"],
    "orlib": ["Solve time against size", "Gap to the published optimum"],
    "pareto": ["Efficiency against fairness", "Lorenz curves", "Difference from the reference"],
    "pricing": ["Efficiency against fairness", "Lorenz curves"],
    "mixed": ["Efficiency against fairness", "Solve time against size"],
}


@pytest.mark.parametrize("name", list(SECTIONS))
def test_report_opens_in_a_browser_without_errors(folders, name, tmp_path) -> None:
    if name not in folders:
        pytest.skip(f"OR-Library data not found at {ORLIB} (CI has ../shared beside the clone)")
    results = folders[name]
    assert report_main([str(results), "--out", str(tmp_path)]) == 0
    index = tmp_path / "index.html"
    source = index.read_text()
    for title in SECTIONS[name]:
        assert title in source, title
    opened = open_page(index, tmp_path / "page.png")
    assert opened.errors == "" and opened.console == [], (opened.errors, opened.console)
    figures = source.count('class="plotly-graph-div"')
    assert figures >= len(SECTIONS[name]) and opened.rendered_plots() == figures
    assert (tmp_path / "page.png").stat().st_size > 20_000  # a drawn page, not a blank one


def test_engines_agree_on_medians_per_solver(folders) -> None:
    """pandas, polars and DuckDB read results.parquet alike: nulls (not NaN) for absent values,
    typed columns, the same medians per solver."""
    duckdb = pytest.importorskip("duckdb")
    pl = pytest.importorskip("polars")
    path = collect(folders["pareto"])
    table = pq.read_table(path)
    assert str(table.schema.field("finished_at").type).startswith("timestamp")
    assert str(table.schema.field("env_git_dirty").type) == "bool"
    assert "objective_lambda" in table.column_names and "lambda" not in table.column_names
    for metric in ("m_gini", "m_welfare", "m_wait_p50_s"):
        pandas = table.to_pandas().groupby("solver")[metric].median().to_dict()
        frame = pl.read_parquet(path).group_by("solver").agg(pl.col(metric).median())
        polars = dict(frame.rows())
        query = f"select solver, median({metric}) from '{path}' group by solver"
        duck = dict(duckdb.sql(query).fetchall())
        assert set(pandas) == set(polars) == set(duck) == {"greedy", "hungarian"}
        for solver, value in pandas.items():
            assert value == pytest.approx(polars[solver]) == pytest.approx(duck[solver]), metric
    trips_path = next(folders["pareto"].glob("runs/*/trips.parquet"))
    trips = pq.read_table(trips_path)
    assert trips.column_names[0] == "run_id"
    unserved = trips.column("pickup_min")  # no pickup for an unserved request: null, not NaN
    assert unserved.null_count > 0 and not pc.any(pc.is_nan(unserved)).as_py()
    ((mean,),) = duckdb.sql(f"select avg(pickup_min) from '{trips_path}'").fetchall()
    assert mean == pytest.approx(pc.mean(unserved).as_py()) and mean == mean
