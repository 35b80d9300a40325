"""Elastic supply against theory: the zero-profit steady state of Tom Slee's ridehail model, and
the re-equilibration after a fare rise that Hall, Horton and Knoepfle measured at Uber.

Default suite: a reduced market, the calibrated nyc preset at 3,000 requests a day (a seventh of
its size), a batch every 10 minutes, the ``elastic`` defaults (a pool 4 times the fleet), 20
days, +10% fares from day 6 against a twin run without the change. The twins share every day's
demand and every participation draw (common random numbers), so a day's luck cancels out of
their ratio; until the drivers react (the day of the change itself) the shocked twin is fixed
supply. The last test (marked slow) runs the ``fare_shock`` experiment at full size.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hydra import compose

from gigbench.harness.compose import register
from gigbench.harness.modes import build_solver
from gigbench.instances import generate
from gigbench.resources import hydra_compose
from gigbench.sim import SimSpec, build_spec, simulate
from gigbench.sim.config import Settings
from gigbench.solvers import get_solver

MARKET = {"n_tasks": 3000}
WARM, DAYS, CHANGE = 4, 20, 6  # steady from day WARM; +10% fares from day CHANGE
SETTINGS = Settings(
    interval_s=600.0,
    cost_per_km={"car": 0.36},  # the nyc market (configs/market/nyc.yaml)
    cost_per_online_h={"car": 3.0},
    min_wage=16.5,
)


def _run(supply: str, days: int, change: int | None):
    """``supply`` over ``days`` days, +10% fares from day ``change`` (None: never)."""
    scenario = generate("nyc", MARKET, 0)
    settings = Settings(**(SETTINGS.__dict__ | {"days": days}))
    fares = {"name": "tariff", "fare_multiplier": 1.0 if change is None else 1.1,
             "fare_change_day": change or 0}  # fmt: skip
    spec = SimSpec.of(settings, supply=supply, pricing=fares, reposition="demand")
    result = simulate(scenario, get_solver("hungarian"), spec)
    return spec, result.tables["days"].to_pandas().set_index("day")


@pytest.fixture(scope="module")
def elastic():
    return _run("elastic", DAYS, None), _run("elastic", DAYS, CHANGE)


def softplus(x: float) -> float:
    """``log(1 + exp(x))`` without overflow."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def zero_profit_gap(spec, days, window) -> tuple[float, float, float]:
    """``(E - w_m, logit edge term, standard error)`` over the days in ``window``.

    ``E``: the fleet's net earnings per online hour (mean of the days); ``w_m``: the marginal
    driver's reservation wage, the ``n``-th lowest in the pool with ``n`` the mean number of
    drivers online. Zero profit says ``E = w_m``. With a logit of scale ``beta`` and wages
    spread evenly over ``[a, b]``, the expected number at work is ``N / (b - a)`` times
    ``(softplus(beta (E - a)) - softplus(beta (E - b))) / beta``, so ``w_m`` falls short of
    ``E`` by the edge term ``(softplus(-beta (E - a)) - softplus(-beta (b - E))) / beta``
    (drivers just above the bottom wage who stay home, barely offset by drivers near the top
    who work). The standard error adds the sampling error of the ``n``-th of ``N`` uniform
    wages, ``(b - a) sqrt(p (1 - p) / N)``, and that of the mean of the days' earnings."""
    wage = spec.supply.pool.wage
    low, high = float(wage.min()), float(wage.max())
    beta = spec.supply.params.beta
    steady = days.loc[list(window)]
    earnings = float(steady["net_per_hour"].mean())
    online = float(steady["workers_online"].mean())
    marginal = float(np.sort(wage)[round(online) - 1])
    edge = (softplus(-beta * (earnings - low)) - softplus(-beta * (high - earnings))) / beta
    share = online / len(wage)
    se_wage = (high - low) * math.sqrt(share * (1 - share) / len(wage))
    spread = float(steady["net_per_hour"].std(ddof=1)) if len(steady) > 1 else 0.0
    return earnings - marginal, edge, math.hypot(se_wage, spread / math.sqrt(len(steady)))


def test_steady_state_meets_the_zero_profit_condition(elastic) -> None:
    """Slee's zero-profit condition, ``U = net earnings per busy hour x busy share -
    reservation wage = 0`` for the marginal driver: over the steady days the fleet's net hourly
    earnings ``E`` (= busy share x net earnings per busy hour) equal the marginal driver's
    reservation wage ``w_m``, up to the logit's edge term, within 3 standard errors (see
    :func:`zero_profit_gap`). On day 0, before any driver has learned what the market pays,
    the same figures are far outside that band (the check can fail)."""
    (spec, days), _ = elastic
    steady = range(WARM, DAYS)
    gap, edge, se = zero_profit_gap(spec, days, steady)
    earnings = days.loc[steady, "net_per_hour"].mean()
    assert abs(gap - edge) <= 3 * se, (gap, edge, se)
    assert 3 * se < 0.1 * earnings  # the band is narrow enough to mean something
    # The busy share meets the condition: u = (w_m + edge) / (net earnings per busy hour).
    per_busy_hour = (days["net_per_hour"] / days["utilisation"]).loc[steady].mean()
    predicted = (earnings - gap + edge) / per_busy_hour
    busy = days.loc[steady, "utilisation"].mean()
    assert busy == pytest.approx(predicted, abs=3 * se / per_busy_hour)
    first_gap, first_edge, _ = zero_profit_gap(spec, days, [0])
    assert abs(first_gap - first_edge) > 3 * se


def test_elastic_supply_competes_a_fare_rise_away(elastic) -> None:
    """+10% fares against the twin without them: on the day of the change (the same drivers
    in both runs: fixed supply) net earnings per online hour rise by more than 5%; then drivers
    enter, utilisation falls, and by the last 5 days less than half of the rise is left."""
    (_, base), (_, shock) = elastic
    assert (shock.loc[CHANGE, "workers_online"] == base.loc[CHANGE, "workers_online"]).all()
    fixed_gain = shock.loc[CHANGE, "net_per_hour"] / base.loc[CHANGE, "net_per_hour"] - 1
    end = range(DAYS - 5, DAYS)
    ratio = shock.loc[end] / base.loc[end]
    elastic_gain = ratio["net_per_hour"].mean() - 1
    assert fixed_gain > 0.05, fixed_gain
    assert elastic_gain < 0.5 * fixed_gain, (elastic_gain, fixed_gain)
    assert ratio["workers_online"].mean() > 1.03
    assert (shock.loc[end, "utilisation"] - base.loc[end, "utilisation"]).mean() < -0.01


@pytest.mark.slow
def test_fare_shock_experiment_returns_within_two_percent(tmp_path) -> None:
    """The ``fare_shock`` experiment at full size (nyc, 30 days, +10% from day 10): with
    elastic supply net earnings per online hour over the last 5 days are within 2% of the 5
    days before the change while utilisation falls; with fixed supply they stay up (> +5%)."""
    figures = {}
    register()
    for supply in ("fixed", "elastic"):
        with hydra_compose():
            cfg = compose(
                config_name="config",
                overrides=["+experiment=fare_shock", f"supply={supply}", f"results_dir={tmp_path}"],
            )
        solver = build_solver(cfg)
        params = {k: v for k, v in dict(cfg.instance).items() if k not in ("name", "seed")}
        scenario = generate("nyc", params, cfg.instance.seed)
        result = simulate(scenario, solver, build_spec(cfg, solver, scenario.meta))
        days = result.tables["days"].to_pandas().set_index("day")
        change = cfg.pricing.fare_change_day
        before = days.loc[range(change - 5, change)]
        after = days.loc[range(len(days) - 5, len(days))]
        figures[supply] = (
            after["net_per_hour"].mean() / before["net_per_hour"].mean() - 1,
            after["utilisation"].mean() - before["utilisation"].mean(),
        )
    assert figures["fixed"][0] > 0.05, figures
    assert abs(figures["elastic"][0]) <= 0.02, figures
    assert figures["elastic"][1] < 0, figures
