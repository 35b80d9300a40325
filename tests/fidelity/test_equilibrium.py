"""Competitive-equilibrium prices: the Shapley-Shubik assignment game reproduced by every
exact solver, and the equilibrium properties of ``pricing=equilibrium`` on a batch."""

from __future__ import annotations

import numpy as np
import pytest
from market_fixtures import context as market_context

from gigbench.instances import Tariff
from gigbench.market.context import SettleView
from gigbench.market.plugin import build
from gigbench.market.pricing import PRICING
from gigbench.market.pricing.equilibrium import core_surplus
from gigbench.solvers import Problem, get_solver, run

# Shapley and Shubik, "The assignment game I: the core", IJGT 1 (1971), the three-house
# example: sellers' reservation values c and buyers' valuations h[buyer, house].
SELLER_VALUE = np.array([18, 15, 19])
BUYER_VALUE = np.array([[23, 22, 21], [26, 24, 22], [20, 21, 17]])
EXACT = ["hungarian", "auction", "milp"]


def house_game() -> Problem:
    """Rows are houses (sellers), columns buyers; a pair trades its surplus h - c >= 0."""
    gain = BUYER_VALUE.T - SELLER_VALUE[:, None]
    rows, cols = np.nonzero(gain >= 0)
    return Problem.from_edges(3, 3, rows, cols, gain[rows, cols].astype(np.int64))


@pytest.mark.parametrize("solver", EXACT)
@pytest.mark.parametrize(("core", "prices"), [("rider", [21, 20, 19]), ("worker", [23, 21, 20])])
def test_shapley_shubik_prices_from_every_exact_solver(solver, core, prices) -> None:
    """The buyer-optimal (rider) and seller-optimal (worker) core points of the paper."""
    problem = house_game()
    solution = run(get_solver(solver), problem)
    assert solution.objective == 16  # buyer 1 - house 3, buyer 2 - house 1, buyer 3 - house 2
    u, v = core_surplus(problem, solution.row_ind, solution.col_ind, core)
    assert (SELLER_VALUE + u).tolist() == prices
    assert u.sum() + v.sum() == 16


def batch(seed: int, n_workers: int = 7, n_tasks: int = 9, take: float = 0.2):
    """A random batch: workers' costs per task, riders' values, the commission ``take``."""
    rng = np.random.default_rng(seed)
    cost = rng.uniform(3.0, 15.0, size=(n_workers, n_tasks)).round(2)
    value = rng.uniform(5.0, 30.0, size=n_tasks).round(2)
    gain = np.round(100 * ((1 - take) * value[None, :] - cost)).astype(np.int64)
    rows, cols = np.nonzero(gain >= 0)
    problem = Problem.from_edges(n_workers, n_tasks, rows, cols, gain[rows, cols])
    return cost, value, problem


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("core", ["rider", "worker"])
def test_equilibrium_fares_are_envy_free_rational_and_clear_the_market(seed, core) -> None:
    take = 0.2
    cost, value, problem = batch(seed, take=take)
    n_workers, n_tasks = cost.shape
    context = market_context(
        np.zeros((n_tasks, 2)),
        value=value,
        trip_km=np.ones(n_tasks),
        trip_min=np.ones(n_tasks),
        tariff=Tariff(commission=take),
    )
    policy = build(PRICING, {"name": "equilibrium", "core": core})
    policy.bind(context)
    solution = run(get_solver("hungarian"), problem)
    rows, cols = solution.row_ind, solution.col_ind
    view = SettleView(0.0, cols, value[cols], cost[rows, cols], problem, solution)
    fare = policy.settle(view)
    pay = (1 - take) * fare
    cent = 0.01  # weights are whole cents
    # Individual rationality: workers paid at least their cost, riders charged at most value.
    assert (pay >= cost[rows, cols] - 1e-9).all()
    assert (fare <= value[cols] + cent).all()
    # Envy-freeness: no worker would rather serve another matched task at its fare.
    surplus = np.zeros(n_workers)
    surplus[rows] = pay - cost[rows, cols]
    price = np.full(n_tasks, np.inf)
    price[cols] = fare
    envy = (1 - take) * price[None, :] - cost - surplus[:, None]
    assert envy[:, cols].max() <= cent
    # Market clearing: an unmatched rider cannot pay any worker more than that worker gets.
    unmatched = np.setdiff1d(np.arange(n_tasks), cols)
    best_offer = (1 - take) * value[None, unmatched] - cost[:, unmatched] - surplus[:, None]
    assert best_offer.size == 0 or best_offer.max() <= cent
