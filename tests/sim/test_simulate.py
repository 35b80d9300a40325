"""The closed loop on hand-built markets: acceptance, busy time, abandonment, pricing, logs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from market_fixtures import market, task_rows, worker_rows
from over_seeds import describe, falls, rises_by_sign

from gigbench.errors import ConfigError
from gigbench.instances import generate
from gigbench.sim import SimSpec, build_spec, simulate
from gigbench.sim.config import Settings
from gigbench.sim.match import TIE_RANGE, WEIGHT_ROOM, tie_range_for, unique_optimum
from gigbench.sim.recording import read_recording
from gigbench.solvers import get_solver, run

SETTINGS = Settings(interval_s=30.0, k=5, radius_km=5.0, detour=1.0, cost_per_km=0.2)


def _sim(
    scenario,
    solver="hungarian",
    objective="welfare",
    pricing="tariff",
    solver_params=None,
    lam=None,
    reposition="none",
    **kw,
):
    settings = Settings(**(SETTINGS.__dict__ | kw))
    chosen = get_solver(solver, **(solver_params or {}))
    if lam is not None:
        objective = {"name": objective, "lambda": lam}
    spec = SimSpec.of(settings, pricing=pricing, objective=objective, reposition=reposition)
    return simulate(scenario, chosen, spec)


def _config(solver="hungarian", objective="welfare", pricing="tariff", reposition="none",
            instance="city") -> dict:  # fmt: skip
    return {
        "instance": {"name": instance},
        "mode": {"interval_s": 30.0, "k": 10, "radius_km": 3.0, "detour": 1.3},
        "market": {
            "name": "nyc",
            "currency": "USD",
            "cost_per_km_car": 0.36,
            "min_wage_per_h": 16.5,
        },
        "pricing": {"name": pricing},
        "objective": {"name": objective},
        "reposition": {"name": reposition},
    }


def test_one_trip_is_priced_paid_and_logged() -> None:
    scenario = market(task_rows(request_time=[10.0]), worker_rows(start_x=[1.5]))
    result = _sim(scenario)
    trips = result.tables["trips"].to_pylist()[0]
    assert trips["served"] and trips["worker_id"] == 0 and trips["matched_at"] == 30.0
    # Pickup 1.5 km at 30 km/h = 3 minutes.
    assert trips["pickup_min"] == pytest.approx(3.0)
    parts = sum(trips[f"fare_{p}"] for p in ("base", "distance", "time", "minimum_topup"))
    assert trips["fare"] == pytest.approx(parts)  # no surge: multiplier 1
    assert trips["worker_pay"] == pytest.approx(0.8 * trips["fare"])
    statement = result.tables["workers"].to_pylist()[0]
    assert statement["trips"] == 1 and statement["net_pay"] == pytest.approx(trips["worker_pay"])
    assert statement["hourly_pay"] == pytest.approx(trips["worker_pay"] / 2.0)
    assert result.metrics["match_rate"] == 1.0
    assert result.metrics["wait_p50_s"] == pytest.approx(20.0 + 180.0)


def test_rider_and_worker_acceptance() -> None:
    cheap_rider = market(task_rows(value=[1.0]), worker_rows(start_x=[0.5]))
    result = _sim(cheap_rider)
    assert result.metrics["match_rate"] == 0.0 and result.metrics["declined"] == 1.0
    picky_worker = market(task_rows(value=[500.0]), worker_rows(reservation_wage=[500.0]))
    result = _sim(picky_worker)
    assert result.metrics["match_rate"] == 0.0 and result.metrics["offers_refused"] == 1.0


def test_busy_worker_serves_the_next_task_after_the_drop_off() -> None:
    # One worker; two tasks at t=0 from the same spot. Trip: 10 min; pickup 0.
    scenario = market(
        task_rows(request_time=[0.0, 0.0], patience_s=[3600.0, 3600.0]), worker_rows(start_x=[0.0])
    )
    trips = _sim(scenario).tables["trips"].to_pandas().sort_values("matched_at")
    first, second = trips.iloc[0], trips.iloc[1]
    assert first["matched_at"] == 30.0
    # Free at 30 + 600 s, at the drop-off 3 km away: next batch at 630 s or later.
    assert second["matched_at"] >= 630.0 and second["pickup_km"] == pytest.approx(3.0)


def test_impatient_rider_abandons() -> None:
    scenario = market(task_rows(patience_s=[10.0], origin_x=[9.0]), worker_rows(start_x=[0.0]))
    result = _sim(scenario)
    assert result.metrics["abandonment"] == 1.0 and result.metrics["match_rate"] == 0.0


def test_capacity_lets_a_freelancer_take_two_jobs_at_once() -> None:
    scenario = market(
        task_rows(skill=[2, 2, 1]),
        worker_rows(capacity=[2], skills=[0b100]),
        city=False,
    )
    result = _sim(scenario)
    trips = result.tables["trips"].to_pandas()
    assert trips["served"].tolist() == [True, True, False]  # the skill-1 task has no worker
    assert (trips.loc[trips.served, "matched_at"] == 30.0).all()


def test_equilibrium_fares_are_within_value_and_need_duals() -> None:
    rng = np.random.default_rng(0)
    scenario = market(
        task_rows(
            request_time=np.sort(rng.uniform(0, 600, 8).round()), origin_x=rng.uniform(0, 3, 8)
        ),
        worker_rows(start_x=rng.uniform(0, 3, 4)),
    )
    result = _sim(scenario, pricing="equilibrium")
    trips = result.tables["trips"].to_pandas()
    served = trips[trips.served]
    assert len(served) > 0
    assert (served["fare"] <= 50.0 + 1e-9).all()
    assert (served["worker_pay"] >= served["worker_cost"] - 1e-9).all()
    meta = scenario.info
    with pytest.raises(ConfigError, match="solver 'greedy' is not exact"):
        build_spec(_config(solver="greedy", pricing="equilibrium"), get_solver("greedy"), meta)
    with pytest.raises(ConfigError, match="use objective=welfare"):
        build_spec(
            _config(objective="pickup", pricing="equilibrium"), get_solver("hungarian"), meta
        )


def test_surge_raises_fares_where_requests_outnumber_workers() -> None:
    scenario = market(
        task_rows(request_time=np.zeros(6), value=np.full(6, 500.0)), worker_rows(start_x=[0.1])
    )
    trips = _sim(scenario, pricing="surge").tables["trips"].to_pandas()
    assert trips.loc[trips.served, "surge_multiplier"].max() > 1.0


def _figures(runs: list[dict], *names: str) -> list[list[float]]:
    return [[metrics[name] for metrics in runs] for name in names]


def test_raising_lambda_lowers_gini_and_welfare_does_not_rise() -> None:
    """Fairness-weighted welfare at lambda = 2 against lambda = 0 on the same demand, six seeds:
    the Gini of hourly pay falls and so does welfare (95% intervals of the mean paired
    difference, tests/over_seeds.py)."""
    params = {"n_tasks": 3000, "n_workers": 200, "horizon_h": 4.0}
    runs: dict[float, list[dict]] = {0.0: [], 2.0: []}
    for seed in range(6):
        scenario = generate("city", params, seed=seed)
        for lam, found in runs.items():
            result = _sim(scenario, objective="fair", lam=lam, radius_km=3.0, detour=1.3, k=10)
            found.append(result.metrics)
    (gini_0, welfare_0), (gini_2, welfare_2) = (_figures(runs[lam], "gini", "welfare")
                                                for lam in (0.0, 2.0))  # fmt: skip
    assert falls(gini_2, gini_0), describe("gini", gini_2, gini_0)
    assert falls(welfare_2, welfare_0), describe("welfare", welfare_2, welfare_0)


def test_recording_replays_the_same_problems(tmp_path) -> None:
    scenario = generate("city", {"n_tasks": 400, "n_workers": 40, "horizon_h": 1.0}, seed=1)
    result = simulate(
        scenario, get_solver("hungarian"), SimSpec.of(SETTINGS), record_to=tmp_path / "rec"
    )
    problems = [p for p, _ in read_recording(tmp_path / "rec")]
    # Batches without a candidate edge never reach the solver, so they are not recorded.
    assert len(problems) == result.metrics["batches_solved"] < result.metrics["batches"]
    matched = sum(run(get_solver("hungarian"), p).n_matched for p in problems)
    assert matched == round(result.metrics["match_rate"] * result.metrics["requests"])


@pytest.mark.slow  # ten days; test_milp.py holds the per-batch claim in the default run
def test_price_of_fairness_on_a_seeded_city() -> None:
    """Exact max-min hourly earnings per batch (milp) against the welfare optimum (hungarian) on
    the same demand, five seeds: the lowest hourly pay rises on every seed (a sign test: the
    welfare optimum leaves some worker at zero on some seeds, too wide a spread for an interval)
    and earnings spread less (95% interval of the mean paired difference). The 10th percentile
    is not what max-min targets (on one seed it rose under one tie-break hash and fell 1.6%
    under the next): not asserted."""
    mode = {"radius_km": 3.0, "detour": 1.3, "k": 10}
    fair = {"objective": "maxmin", "per_hour": True}
    welfare, maxmin = [], []
    for seed in range(5):
        scenario = generate("city", {"n_tasks": 3000, "n_workers": 350, "horizon_h": 4.0}, seed)
        welfare.append(_sim(scenario, **mode).metrics)
        maxmin.append(_sim(scenario, solver="milp", solver_params=fair, **mode).metrics)
    (low_w, gini_w), (low_m, gini_m) = (_figures(runs, "hourly_pay_min", "gini")
                                        for runs in (welfare, maxmin))  # fmt: skip
    assert rises_by_sign(low_m, low_w), describe("hourly_pay_min", low_m, low_w)
    assert falls(gini_m, gini_w), describe("gini", gini_m, gini_w)


# --------------------------------------------------------------------------- tie-breaking


@pytest.mark.parametrize(
    ("w_max", "pairs", "nodes"),
    [(0, 0, 0), (20_000, 33, 250), (20_000, 385, 2_150), (3 * 10**6, 2_000, 12_000), (2**40, 1, 1)],
)
def test_tie_range_is_the_largest_power_of_two_within_the_room(w_max, pairs, nodes) -> None:
    def fits(r: int) -> bool:
        return (w_max + 1) * r * max(pairs, 1) * (nodes + 2) <= WEIGHT_ROOM

    r = tie_range_for(w_max, pairs, nodes)
    assert r & (r - 1) == 0 and 1 <= r <= TIE_RANGE
    assert r == 1 or fits(r)
    assert r == TIE_RANGE or not fits(2 * r)


def test_tied_matchings_get_one_optimum_that_is_an_optimum_of_the_ties() -> None:
    # 4 workers x 4 tasks of equal weight: all 24 perfect matchings tie on the objective.
    rows, cols = np.divmod(np.arange(16), 4)
    weights, scale = unique_optimum(
        np.full(16, 700, dtype=np.int64), np.arange(10, 14)[rows], np.arange(50, 54)[cols], 4, 8
    )
    totals = sorted(
        sum(int(weights[4 * r + c]) for r, c in enumerate(perm))
        for perm in itertools.permutations(range(4))
    )
    assert totals[-1] > totals[-2]  # one matching wins
    assert totals[-1] // scale == 4 * 700  # and the tie-break never adds a unit of the objective


def test_a_swap_of_two_pairs_stays_tied_about_once_in_tie_range() -> None:
    # Oracle: for a hash of the pair, two matchings that differ by swapping the tasks of two
    # workers tie on the noise with probability about 1 / R (R = TIE_RANGE here).
    rng = np.random.default_rng(0)
    n = 200_000
    a, b = rng.choice(30_000, (2, n), replace=True)
    x, y = rng.choice(600_000, (2, n), replace=True)
    keep = (a != b) & (x != y)
    a, b, x, y = a[keep], b[keep], x[keep], y[keep]

    def noise(w, t):
        weights, _ = unique_optimum(np.zeros(len(w), dtype=np.int64), w, t, 1, 2)
        return weights

    tied = noise(a, x) + noise(b, y) == noise(a, y) + noise(b, x)
    expected = len(a) / TIE_RANGE  # about 3
    assert tied.sum() <= 4 * expected  # the per-id XOR hash this replaced tied about 2,000
