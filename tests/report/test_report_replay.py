"""The report's replay sections: recorded against simulated pay, and a replay day by day."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from gigbench.report import replay
from gigbench.report.data import Group


def group(tmp_path, run_id: str, day_offset: int, pay: list[float], observed: list[float]):
    """One replayed day: a trips table with four served trips of 10 minutes."""
    folder = tmp_path / "runs" / run_id
    folder.mkdir(parents=True)
    trips = pa.table({
        "served": [True, True, True, False],
        "worker_pay": [*pay, None],
        "trip_min": [10.0, 10.0, 10.0, None],
        "observed_driver_pay": [*observed, 12.0],
    })  # fmt: skip
    pq.write_table(trips, folder / "trips.parquet")
    config = {"instance.name": "replay", "instance.day": "2024-01-10",
              "instance.day_offset": day_offset, "solver.name": "hungarian"}  # fmt: skip
    row = {"run_id": run_id, "status": "ok", "m_match_rate": 0.5 + day_offset / 10,
           "m_wait_p50_s": 100.0, "m_hourly_pay_mean": 20.0}  # fmt: skip
    return Group("simulate", config, [row])


def test_pay_per_minute_pools_the_days_and_pairs_the_same_trips(tmp_path) -> None:
    groups = [
        group(tmp_path, "a", 0, [10.0, 20.0, 30.0], [9.0, 18.0, 27.0]),
        group(tmp_path, "b", 1, [12.0, 22.0, 32.0], [10.0, 20.0, 30.0]),
    ]
    figures, notes = replay.pay_per_minute(groups, tmp_path)
    assert len(figures) == 1 and notes == []  # two days, one configuration: one panel
    simulated, recorded = figures[0][1].data
    # Per trip-minute, six served trips each; the unserved trip's recorded pay is left out.
    assert len(simulated.x) == len(recorded.x) == 6
    assert sorted(np.asarray(recorded.x))[:3] == pytest.approx([0.9, 1.0, 1.8])
    assert "median 2.1" in simulated.name and "median 1.9" in recorded.name


def test_daily_plots_one_point_per_day_and_needs_two_days(tmp_path) -> None:
    one = [group(tmp_path, "a", 0, [1.0, 1.0, 1.0], [1.0, 1.0, 1.0])]
    assert replay.daily(one) == ([], [])
    days = [*one, group(tmp_path, "b", 2, [1.0, 1.0, 1.0], [1.0, 1.0, 1.0])]
    figures, _ = replay.daily(days)
    served = figures[0][1].data[0]
    assert list(served.x) == ["2024-01-10", "2024-01-12"]
    assert list(served.y) == pytest.approx([0.5, 0.7])


def test_no_recorded_pay_no_section(tmp_path) -> None:
    plain = group(tmp_path, "a", 0, [1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    plain.config["instance.name"] = "nyc"
    assert replay.pay_per_minute([plain], tmp_path) == ([], [])
