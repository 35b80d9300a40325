"""Plugins that break one contract each, for the tests of the conformance suites: each must
fail the check named in ``tests/conformance/test_conformance_catches.py`` (and a suite that
lets one pass is a suite that cannot fail)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from gigbench.instances import Scenario, generate
from gigbench.instances.city import CityParams
from gigbench.market.objective import Objective
from gigbench.market.pay_rule import PayRule
from gigbench.market.pricing import PricingPolicy, Quote
from gigbench.market.reposition import Moves, Repositioning
from gigbench.market.supply import SupplyPolicy
from gigbench.solvers import Solution, Solver, Status, get_solver, run


class DropsOne(Solver):
    """Claims to be exact, and leaves out the last pair of hungarian's optimum."""

    name = "drops_one"
    exact = True

    def solve(self) -> Solution:
        """Hungarian's pairs but the last."""
        best = run(get_solver("hungarian"), self.problem)
        rows, cols = best.row_ind[:-1], best.col_ind[:-1]
        return Solution.from_pairs(self.problem, rows, cols, Status.OPTIMAL)


class Misnamed(DropsOne):
    """Registered under another name than its own."""

    name = "not_its_name"


class MutableParams(DropsOne):
    """Its parameters can be changed after the fact."""

    name = "mutable_params"

    @dataclass
    class Params:
        """tries: how often."""

        tries: int = 1


class NegativeFares(PricingPolicy):
    """Quotes the tariff with a minus sign."""

    name = "negative_fares"

    def quote(self, view) -> Quote:
        """Minus the tariff."""
        return Quote(-self.base_fare[view.task], np.ones(len(view.task)))


class Dice(PricingPolicy):
    """Multiplies the tariff by an unseeded random factor."""

    name = "dice"

    def quote(self, view) -> Quote:
        """The tariff times a factor in [1, 2) from fresh entropy."""
        factor = np.random.default_rng().uniform(1.0, 2.0, len(view.task))
        return Quote(self.base_fare[view.task] * factor, factor)


class Overcharge(PricingPolicy):
    """Quotes the tariff, then charges twice the rider's willingness to pay."""

    name = "overcharge"

    def settle(self, view) -> np.ndarray:
        """Twice each matched rider's value."""
        return 2.0 * self.context.value[view.task]


class FloatWeights(Objective):
    """Weighs in currency units, as floats."""

    name = "float_weights"

    def weigh(self, ctx):
        """The surplus as a float."""
        return {"surplus": ctx.value - ctx.worker_cost}


class HugeWeights(Objective):
    """Weighs in nano-cents: no room left for the matching's tie-break."""

    name = "huge_weights"

    def weigh(self, ctx):
        """The surplus times 10**11."""
        return {"surplus": np.round(1e11 * (ctx.value - ctx.worker_cost)).astype(np.int64)}


class OutOfTown(Repositioning):
    """Sends every idle worker to a point outside the city."""

    name = "out_of_town"

    def decide(self, view) -> Moves:
        """Everyone to (-5, -5)."""
        n = len(view.xy)
        return Moves(np.arange(n), np.full((n, 2), -5.0))


class WritesTheView(Repositioning):
    """Moves nobody, but rounds the idle workers' positions in place."""

    name = "writes_the_view"

    def decide(self, view) -> Moves:
        """Round ``view.xy`` (not its to write) and stay."""
        np.round(view.xy, out=view.xy)
        return Moves.none()


class CoinToss(SupplyPolicy):
    """Each worker works a day on an unseeded coin toss."""

    name = "coin_toss"

    def day(self, index: int):
        """The plan for those the coin picks; the others stay home."""
        works = np.random.default_rng().random(len(self.pool)) < 0.5
        planned = self.pool.planned
        return dataclasses.replace(planned, offline=np.where(works, planned.offline, 0.0))


class NegativeFloor(PayRule):
    """A floor below zero."""

    name = "negative_floor"

    def floor(self, fare, trip_km, trip_min) -> np.ndarray:
        """Minus the fare."""
        return -fare


def generate_global(params: CityParams, seed: int) -> Scenario:
    """A city whose seed comes from the global random state."""
    return generate("city", dataclasses.asdict(params), int(np.random.randint(0, 2**31)))  # noqa: NPY002


def generate_unhashed(params: CityParams, seed: int) -> Scenario:
    """A city returned without its content hash."""
    made = generate("city", dataclasses.asdict(params), seed)
    return Scenario(made.tasks, made.workers, {**made.meta, "content_hash": None})
