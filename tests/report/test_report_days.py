"""The report's multi-day section: each day's figures from days.parquet, one line per
configuration at the median over seeds."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hydra import compose

from gigbench.harness.compose import register
from gigbench.harness.run import run
from gigbench.report import days
from gigbench.report.cli import build_report
from gigbench.report.data import Group
from gigbench.resources import hydra_compose


def _group(tmp_path, supply: str, runs: dict[str, list[float]]) -> Group:
    """One configuration; each run a days table whose net earnings per hour are given."""
    rows = []
    for run_id, net in runs.items():
        folder = tmp_path / "runs" / run_id
        folder.mkdir(parents=True)
        n = len(net)
        table = pa.table({
            "day": list(range(n)), "net_per_hour": net, "utilisation": [0.5] * n,
            "workers_online": [100.0] * n, "gini_to_date": [0.1] * n,
        })  # fmt: skip
        pq.write_table(table, folder / "days.parquet")
        rows.append({"run_id": run_id, "status": "ok"})
    return Group("simulate", {"supply.name": supply}, rows, label=f"supply={supply}")


def test_one_line_per_configuration_at_the_median_over_seeds(tmp_path) -> None:
    fixed = _group(tmp_path, "fixed", {"a": [10.0, 11.0, 11.0], "b": [12.0, 13.0, 15.0]})
    elastic = _group(tmp_path, "elastic", {"c": [9.0, 10.0, 9.0]})
    figures, _ = days.days([fixed, elastic], tmp_path)
    ((_, fig),) = figures
    net = [trace for trace in fig.data if trace.xaxis == "x"]
    by_name = {trace.name: trace for trace in net}
    assert set(by_name) == {"supply=fixed", "supply=elastic"}
    assert list(by_name["supply=fixed"].x) == [0, 1, 2]
    assert list(by_name["supply=fixed"].y) == pytest.approx([11.0, 12.0, 13.0])
    assert list(by_name["supply=elastic"].y) == pytest.approx([9.0, 10.0, 9.0])
    assert len(fig.data) == 2 * len(days.DAY_METRICS)


def test_one_day_runs_have_no_section(tmp_path) -> None:
    assert days.days([_group(tmp_path, "fixed", {"a": [10.0]})], tmp_path) == ([], [])


def test_a_multi_day_sweep_gets_the_section_in_its_report(tmp_path) -> None:
    register()
    small = ["instance=nyc", "instance.n_tasks=300", "instance.horizon_h=4",
             "mode.interval_s=300", "mode.days=2", f"results_dir={tmp_path}"]  # fmt: skip
    for supply in ("fixed", "elastic"):
        with hydra_compose():
            cfg = compose(config_name="config", overrides=[*small, f"supply={supply}"])
        assert run(cfg)["status"] == "ok"
    html = build_report(tmp_path).read_text()
    assert "Multi-day runs: day by day" in html
    assert "supply=elastic" in html and "supply=fixed" in html
