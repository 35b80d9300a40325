"""Supply policies: fixed shifts, and elastic participation (MaaSSim's logit and learning rule)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gigbench.market.plugin import build
from gigbench.market.supply import SUPPLY, DayEarnings, Pool, Shifts
from gigbench.market.supply.elastic import ElasticSupply, participation
from gigbench.solvers.registry import ParamsError

ONLINE = np.array([0.0, 3600.0, 7200.0, 0.0])
OFFLINE = np.array([8 * 3600.0, 9 * 3600.0, 10 * 3600.0, 4 * 3600.0])
WAGE = np.array([10.0, 14.0, 18.0, 22.0])


def _pool(seed: int = 7) -> Pool:
    return Pool(Shifts(ONLINE, OFFLINE), WAGE, seed)


def _elastic(**params) -> ElasticSupply:
    policy = build(SUPPLY, {"name": "elastic", **params})
    policy.bind(_pool())
    return policy


def test_fixed_supply_is_the_plan_every_day() -> None:
    policy = build(SUPPLY, {"name": "fixed"})
    policy.bind(_pool())
    for day in (0, 5):
        shifts = policy.day(day)
        assert np.array_equal(shifts.online, ONLINE) and np.array_equal(shifts.offline, OFFLINE)
    policy.learn(0, DayEarnings(np.ones(4), np.ones(4)))  # nothing to learn
    assert np.array_equal(policy.day(1).online, ONLINE)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("beta", 0.0, "supply.beta: expected a participation scale > 0"),
        ("beta", -1.0, "supply.beta: expected a participation scale > 0"),
        ("beta", math.nan, "supply.beta: expected a participation scale > 0"),
        ("omega", 0, "supply.omega: expected a whole number of days >= 1"),
        ("initial", -0.5, "supply.initial: expected a multiple >= 0"),
        ("pool_ratio", 0.5, "supply.pool_ratio: expected potential drivers per fleet worker >= 1"),
        ("hearsay", 1.5, "supply.hearsay: expected a weight in [0, 1]"),
    ],
)
def test_elastic_rejects_bad_parameters(key, value, message) -> None:
    with pytest.raises(ParamsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        build(SUPPLY, {"name": "elastic", key: value})


def test_participation_is_the_binary_logit() -> None:
    # MaaSSim D2D_driver_out: exp(b E) / (exp(b E) + exp(b w)), written out as the oracle.
    beta, expected = 0.7, np.array([5.0, 14.0, 14.0, 30.0])
    maassim = [math.exp(beta * e) / (math.exp(beta * e) + math.exp(beta * w))
               for e, w in zip(expected, WAGE, strict=True)]  # fmt: skip
    assert participation(beta, expected, WAGE) == pytest.approx(maassim, rel=1e-12)
    # Far tails stay finite (no overflow warning): 0 and 1.
    assert participation(1.0, np.array([-1e6, 1e6]), np.zeros(2)).tolist() == [0.0, 1.0]


def test_new_drivers_expect_the_mean_reservation_wage() -> None:
    policy = _elastic(initial=1.0)
    assert policy.expected == pytest.approx(np.full(4, WAGE.mean()))
    assert _elastic(initial=0.5).expected == pytest.approx(np.full(4, 0.5 * WAGE.mean()))


def test_learning_follows_maassim_weights() -> None:
    """Driver 0 works every day: MaaSSim's kappa = 1/(worked_days + 1) below omega worked days
    (today included), 1/omega after; on a fixed 8-hour day its hourly expectation is MaaSSim's
    daily one over 8 hours. Drivers 1-3 stay home and, with hearsay 0, learn nothing."""
    omega = 3
    policy = _elastic(omega=omega, hearsay=0.0)
    prior = WAGE.mean()
    daily = [80.0, 160.0, 40.0, 120.0, 200.0]
    oracle = prior * 8.0  # MaaSSim's expected_income, per day
    for day, income in enumerate(daily):
        worked_days = day + 1
        experienced = worked_days >= omega
        kappa = experienced / omega + (1 - experienced) / (worked_days + 1)
        oracle = (1 - kappa) * oracle + kappa * income
        policy.learn(day, DayEarnings(np.array([8.0, 0, 0, 0]), np.array([income, 0, 0, 0])))
        assert policy.expected[0] == pytest.approx(oracle / 8.0, rel=1e-12)
    assert policy.expected[1:] == pytest.approx(np.full(3, prior))


def test_drivers_at_home_hear_the_market() -> None:
    policy = _elastic(hearsay=0.25)
    prior = WAGE.mean()
    # Driver 0 worked 5 h for 100 net, driver 1 worked 5 h for 50: the market paid 150/10 h.
    policy.learn(0, DayEarnings(np.array([5.0, 5.0, 0, 0]), np.array([100.0, 50.0, 0, 0])))
    assert policy.expected[2:] == pytest.approx(np.full(2, 0.75 * prior + 0.25 * 15.0))


def test_participation_draws_are_seeded_by_seed_and_day() -> None:
    policy = _elastic()
    first, again = policy.day(3), policy.day(3)
    assert np.array_equal(first.online, again.online)
    days = np.array([policy.day(d).hours > 0 for d in range(200)])
    # Each driver works on about P_i of the days (binomial, 200 draws: 4 sigma is <= 0.15).
    chance = participation(0.7, np.full(4, WAGE.mean()), WAGE)
    assert np.abs(days.mean(axis=0) - chance).max() < 0.15
    other = ElasticSupply()
    other.bind(_pool(seed=8))
    assert any(not np.array_equal(policy.day(d).online, other.day(d).online) for d in range(5))


def test_workers_work_their_planned_shift_or_stay_home() -> None:
    policy = _elastic(beta=50.0)  # nearly deterministic: E = 16 against wages 10, 14, 18, 22
    shifts = policy.day(0)
    assert np.array_equal(shifts.hours > 0, [True, True, False, False])
    works = shifts.hours > 0
    assert np.array_equal(shifts.online[works], ONLINE[works])
    assert np.array_equal(shifts.offline[works], OFFLINE[works])


def test_pool_size_follows_pool_ratio() -> None:
    assert ElasticSupply(pool_ratio=2.5).pool_size(100) == 250
    assert build(SUPPLY, {"name": "fixed"}).pool_size(100) == 100
