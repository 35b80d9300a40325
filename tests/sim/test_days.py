"""Multi-day runs: the calendar, the pool, the fare change, per-day figures and determinism."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hydra import compose
from market_fixtures import context as market_context

from gigbench.errors import ConfigError
from gigbench.harness.compose import register
from gigbench.harness.run import run
from gigbench.instances import generate
from gigbench.market.context import MarketContext
from gigbench.market.plugin import build
from gigbench.market.pricing import PRICING
from gigbench.market.supply.elastic import ElasticSupply
from gigbench.resources import hydra_compose
from gigbench.sim import SimSpec, check_config, simulate
from gigbench.sim.config import Settings
from gigbench.sim.days import day_scenario, day_seed, pool_scenario
from gigbench.sim.fleet import Fleet
from gigbench.solvers import get_solver
from gigbench.solvers.registry import ParamsError

ROOT = Path(__file__).resolve().parents[2]
# A small night market: 6 hours of the nyc preset, a batch every 2 minutes (a day in ~0.3 s).
SMALL = {"n_tasks": 600, "horizon_h": 6.0}
SETTINGS = Settings(interval_s=120.0, cost_per_km=0.25, min_wage=16.5, fairness_min_hours=1.0)
CLI_SMALL = [
    "instance=nyc",
    "instance.n_tasks=600",
    "instance.horizon_h=6",
    "mode.interval_s=120",
    "mode.days=3",
    "supply=elastic",
]


def _same(a, b) -> bool:
    """Tables with the same columns and values, NaN equal to NaN (Table.equals says no)."""
    return a.column_names == b.column_names and a.to_pandas().equals(b.to_pandas())


def _settings(days: int) -> Settings:
    return Settings(**(SETTINGS.__dict__ | {"days": days}))


def _run(days: int, supply="fixed", pricing="tariff", objective="welfare", seed=0):
    scenario = generate("nyc", SMALL, seed)
    spec = SimSpec.of(_settings(days), supply=supply, pricing=pricing, objective=objective)
    return simulate(scenario, get_solver("hungarian"), spec)


def _config(days=2, instance=None, supply="fixed") -> dict:
    return {
        "instance": instance or {"name": "nyc"},
        "mode": {"interval_s": 60.0, "k": 10, "radius_km": 3.0, "detour": 1.3, "days": days},
        "market": {"name": "nyc", "currency": "USD", "cost_per_km": 0.25, "min_wage_per_h": 16.5},
        "pricing": {"name": "tariff"},
        "objective": {"name": "welfare"},
        "supply": {"name": supply},
    }


# --------------------------------------------------------------------------- the calendar


def test_day_zero_is_the_scenario_and_later_days_redraw_the_demand() -> None:
    scenario = generate("nyc", SMALL, 4)
    assert day_scenario(scenario, 0) is scenario
    assert day_seed(4, 0) == 4 and day_seed(4, 1) != day_seed(4, 2)
    day2 = day_scenario(scenario, 2)
    assert _same(day2.tasks, generate("nyc", SMALL, day_seed(4, 2)).tasks)
    assert not _same(day2.tasks, scenario.tasks)
    assert day2.meta["params"] == scenario.meta["params"]


def test_pool_keeps_the_fleet_and_draws_the_rest_from_the_generator() -> None:
    scenario = generate("nyc", SMALL, 1)
    n = scenario.workers.num_rows
    pool = pool_scenario(scenario, 2 * n)
    assert pool.workers.num_rows == 2 * n
    assert _same(pool.workers.slice(0, n), scenario.workers)
    assert pool.workers.column("worker_id").to_pylist() == list(range(2 * n))
    low, high = scenario.meta["params"]["reservation_wage_per_h"]
    wage = pool.workers.column("reservation_wage").to_numpy()
    assert low <= wage.min() and wage.max() <= high
    assert _same(pool.tasks, scenario.tasks)
    assert pool_scenario(scenario, n) is scenario


@pytest.mark.parametrize(
    ("days", "instance", "message"),
    [
        (0, None, "mode.days: expected a whole number of days >= 1"),
        (2, {"name": "city"}, "instance=city draws its geography from the seed"),
        (2, {"name": "replay", "day": ""}, "set instance.day=YYYY-MM-DD"),
        (2, {"name": "replay", "day": "2024-01-02", "hours": 48.0}, "use instance.hours <= 24"),
    ],
)
def test_days_that_cannot_be_run_are_config_errors(days, instance, message) -> None:
    with pytest.raises(ConfigError, match=message):
        check_config(_config(days, instance), get_solver("greedy"))


def test_closing_a_day_adds_its_hours_to_the_fair_objectives_lag() -> None:
    """Amortised fairness: after a closed day, a worker's pay per hour so far counts the pay
    and the online hours of every day (Sühr et al.)."""
    scenario = generate("nyc", SMALL, 0)
    fleet = Fleet(scenario.workers, 6 * 3600.0)
    n = len(fleet)
    fleet.start_day(np.zeros(n), np.full(n, 4 * 3600.0))
    fleet.pay[:] = 60.0
    fleet.close_day()
    assert fleet.hours == pytest.approx(np.full(n, 4.0))
    assert fleet.online_hours() == pytest.approx(np.full(n, 4.0))  # nobody online after closing
    fleet.start_day(np.zeros(n), np.full(n, 2 * 3600.0))
    # One hour into day 2 with no new pay: 60 over 4 + 1 hours.
    assert fleet.hourly_so_far(3600.0, np.arange(n)) == pytest.approx(np.full(n, 12.0))


# --------------------------------------------------------------------------- fare change


def _context(day: int) -> MarketContext:
    km, minutes = np.array([2.0, 10.0]), np.array([8.0, 25.0])
    return market_context(np.zeros((2, 2)), trip_km=km, trip_min=minutes, day=day)


@pytest.mark.parametrize("name", ["tariff", "surge"])
def test_fare_multiplier_scales_the_tariff_from_its_day_on(name) -> None:
    plain = build(PRICING, {"name": name})
    plain.bind(_context(0))
    policy = build(PRICING, {"name": name, "fare_multiplier": 1.1, "fare_change_day": 3})
    for day, scale in ((0, 1.0), (2, 1.0), (3, 1.1), (9, 1.1)):
        policy.bind(_context(day))
        assert policy.base_fare == pytest.approx(scale * plain.base_fare, rel=1e-12)
        parts = policy.tariff_parts()
        assert sum(parts.values()) == pytest.approx(policy.base_fare, rel=1e-12)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"fare_multiplier": 0.0}, "pricing.fare_multiplier: expected a factor > 0"),
        ({"fare_change_day": -1}, "pricing.fare_change_day: expected the day"),
        ({"name": "equilibrium", "fare_multiplier": 1.1}, "nothing to scale"),
    ],
)
def test_bad_fare_changes_are_config_errors(params, message) -> None:
    with pytest.raises(ParamsError, match=message):
        build(PRICING, {"name": "tariff"} | params)


# --------------------------------------------------------------------------- figures


def test_one_day_table_is_the_row() -> None:
    result = _run(1)
    (day,) = result.tables["days"].to_pylist()
    for key in ("requests", "match_rate", "utilisation", "gini", "hourly_net_mean", "welfare"):
        assert day[key] == pytest.approx(result.metrics[key], rel=1e-12), key
    assert day["gini_to_date"] == pytest.approx(result.metrics["gini"], rel=1e-12)
    assert result.metrics["days"] == 1.0


def test_multi_day_row_sums_its_days() -> None:
    result = _run(3, supply="elastic")
    days = result.tables["days"].to_pandas()
    metrics = result.metrics
    assert days["day"].tolist() == [0, 1, 2]
    assert days["requests"].sum() == metrics["requests"]
    assert days["online_hours"].sum() == pytest.approx(metrics["online_hours"], rel=1e-12)
    served = (days["match_rate"] * days["requests"]).sum()
    assert served == pytest.approx(metrics["match_rate"] * metrics["requests"], rel=1e-9)
    # Pay fairness over the run is the to-date figure of the last day.
    assert days["gini_to_date"].iloc[-1] == pytest.approx(metrics["gini"], rel=1e-12)
    trips = result.tables["trips"]
    assert trips.num_rows == metrics["requests"]
    assert sorted(set(trips.column("day").to_pylist())) == [0, 1, 2]
    statement = result.tables["workers"]
    fleet = generate("nyc", SMALL, 0).workers.num_rows
    assert statement.num_rows == ElasticSupply().pool_size(fleet) > fleet  # the pool
    assert statement.column("online_hours").to_numpy().sum() == pytest.approx(
        metrics["online_hours"], rel=1e-12
    )


def test_day_zero_of_a_long_run_is_the_one_day_run() -> None:
    one = _run(1).tables["days"]
    first = _run(3).tables["days"].slice(0, 1)
    assert _same(first, one)


def test_same_seed_same_days_in_process() -> None:
    first = _run(3, supply="elastic", objective={"name": "fair", "lambda": 1.0})
    second = _run(3, supply="elastic", objective={"name": "fair", "lambda": 1.0})
    assert _same(first.tables["days"], second.tables["days"])
    other = _run(3, supply="elastic", objective={"name": "fair", "lambda": 1.0}, seed=1)
    assert not _same(other.tables["days"], first.tables["days"])


def test_same_seed_same_days_through_the_cli(tmp_path) -> None:
    """The per-day table is identical in-process (hydra.compose) and through the gigbench
    command in a subprocess."""
    register()
    with hydra_compose():
        cfg = compose(config_name="config", overrides=[*CLI_SMALL, f"results_dir={tmp_path}/a"])
    row = run(cfg)
    inside = pq.read_table(tmp_path / "a" / "runs" / row["run_id"] / "days.parquet")
    assert inside.num_rows == 3
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("GIGBENCH_DEBUG", None)
    command = "import sys; from gigbench.harness.cli import main; sys.argv[0] = 'gigbench'; main()"
    done = subprocess.run(
        [sys.executable, "-c", command, *CLI_SMALL, f"results_dir={tmp_path}/b"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    outside = pq.read_table(tmp_path / "b" / "runs" / row["run_id"] / "days.parquet")
    assert _same(outside, inside)


# --------------------------------------------------------------------------- bad inputs at the CLI


def _replay_files(folder: Path) -> tuple[Path, Path]:
    """A synthetic month of HVFHV trips (January 2024, 20,000 rows) and a zone table for its
    263 zones (a grid of centroids around Manhattan)."""
    from gigbench.instances.tlc_synth import write_fhvhv

    trips = write_fhvhv(folder / "fhvhv_tripdata_2024-01.parquet", rows=20_000, seed=1)
    grid = [(i, -74.02 + 0.01 * (i % 16), 40.60 + 0.01 * (i // 16)) for i in range(1, 264)]
    zones = folder / "zones.csv"
    zones.write_text("LocationID,lon,lat\n" + "".join(f"{i},{x},{y}\n" for i, x, y in grid))
    return trips, zones


def test_replay_days_are_successive_calendar_days(tmp_path) -> None:
    trips, zones = _replay_files(tmp_path)
    params = {"path": str(trips), "zones": str(zones), "day": "2024-01-15"}
    first = generate("replay", params, 3)
    second = day_scenario(first, 1)
    assert second.meta["params"]["day"] == "2024-01-16"
    assert _same(
        second.tasks, generate("replay", params | {"day": "2024-01-16"}, day_seed(3, 1)).tasks
    )


def test_bad_days_inputs_are_one_line_exit_2(tmp_path) -> None:
    """``mode.days=0``, a participation scale of 0, and an elastic replay asked for more days
    than its data has: one line on stderr, exit code 2, no traceback (in parallel)."""
    trips, zones = _replay_files(tmp_path)
    replay = [
        "instance=replay",
        f"instance.path={trips}",
        f"instance.zones={zones}",
        "instance.day=2024-01-29",
        "mode.days=5",
        "supply=elastic",
        "mode.interval_s=600",
    ]
    cases = {
        "days": (["mode.days=0"], "mode.days: expected a whole number of days >= 1"),
        "beta": (["supply=elastic", "supply.beta=0"], "supply.beta: expected a participation"),
        # The last day is replayed first, so a short replay fails before day 0 runs.
        "replay": (replay, "day 4 of replay (2024-02-02) cannot be made"),
    }
    env = dict(os.environ, PYTHONPATH=str(ROOT), HYDRA_FULL_ERROR="")
    env.pop("GIGBENCH_DEBUG", None)
    command = "import sys; from gigbench.harness.cli import main; sys.argv[0] = 'gigbench'; main()"
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-c", command, *args, f"results_dir={tmp_path}/{name}"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name, (args, _) in cases.items()
    }
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 2, (name, err[-1500:])
        assert err.startswith("gigbench: error: ") and err.count("\n") == 1, (name, err)
        assert "Traceback" not in err and cases[name][1] in err, (name, err)


def test_pay_fairness_counts_workers_by_hours_per_day_online() -> None:
    """A worker online half an hour a day for 3 days (1.5 h in all) stays out of the pay
    fairness figures, as on a single day; one online 5 hours a day is in."""
    from types import SimpleNamespace

    import pyarrow as pa

    from gigbench.sim.results import pay_fairness

    statement = pa.table(
        {
            "online_hours": [10.0, 1.5],
            "days_online": [2, 3],
            "hourly_pay": [20.0, 2.0],
            "hourly_after_costs": [15.0, 1.0],
        }
    )
    state = SimpleNamespace(
        settings=Settings(fairness_min_hours=1.0),
        tasks=SimpleNamespace(zone=np.zeros(0, dtype=np.int64)),
        log=SimpleNamespace(served=np.zeros(0, dtype=bool)),
        fleet=SimpleNamespace(group=np.array(["A", "B"], dtype=object)),
    )
    figures = pay_fairness(state, statement)
    assert figures["hourly_pay_mean"] == 20.0 and figures["gini"] == 0.0
