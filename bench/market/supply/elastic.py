"""``elastic``: drivers who decide each day whether to work, from what working has paid them.

The pool is ``pool_ratio`` times the scenario's fleet (the simulation draws the extra potential
drivers from the scenario's own generator, so they share its shift plan, start positions and
reservation wages). Driver ``i`` has a reservation wage ``w_i`` (currency per hour, the
workers table's ``reservation_wage``), a planned shift (hours and placement, as the scenario's
shift generator drew it) and an expectation ``E_i`` of their earnings per online hour net of
commission and vehicle costs. Each day, independently:

    P_i = 1 / (1 + exp(-beta * (E_i - w_i)))      works today with probability P_i

(a binary logit, MaaSSim's ``D2D_driver_out`` with ``particip.probabilistic``: utilities
``beta * E_i`` to work against ``beta * w_i`` not to). A driver who works drives their planned
shift. At the end of a day a driver who worked learns from it by exponential smoothing
(MaaSSim's ``d2d_supply.D2D_veh_exp``, branch ``dev``, by A. de Ruijter):

    kappa = 1 / min(n + 1, omega)                   n = days worked so far, today included
    Y_i  <- (1 - kappa) Y_i + kappa * net_i         net earnings of the day (currency)
    H_i  <- (1 - kappa) H_i + kappa * hours_i       online hours of the day
    E_i   = Y_i / H_i

so the first ``omega - 1`` days are averaged with the prior and after that each new day weighs
``1 / omega``. A driver who stays home hears what the market paid instead:

    E_i  <- (1 - hearsay) E_i + hearsay * M          M = the day's net earnings of all drivers
                                                       who worked over their online hours
    (kept as Y_i = E_i H_i with H_i unchanged)

``hearsay = 0`` is MaaSSim's rule (a driver at home learns nothing: one bad day then keeps a
low-wage driver away for months, and a fare rise never reaches the drivers who could enter);
MaaSSim's own registration step gives drivers outside the market the registered drivers'
average expectation, and ``hearsay`` is that channel per day (gigbench's assumption, default
0.2 = ``1 / omega``).

MaaSSim smooths daily income against a daily reservation wage; gigbench states both per online
hour (Tom Slee's ``ridehail`` compares earnings per unit time with a reservation wage
per unit time). Smoothing income and hours apart and dividing is exactly MaaSSim's smoothing
of daily income, per hour, for a driver whose days have the same length, and stays sane when a
day's hours vary (a shift lasts until its last drop-off).

New drivers expect ``initial * mean(w)`` per hour over their planned hours (MaaSSim:
``init_inc_ratio = 1`` times the mean reservation wage), so on day 0 about half the pool works
(twice the scenario's fleet at ``pool_ratio = 4``) and the first days are a warm-up.

Units and defaults. ``beta`` is per currency unit per hour. MaaSSim's default is 0.1 per EUR of
*daily* income; a day of ``h`` hours turns an hourly gap ``d`` into a daily gap ``h d``, so the
same taste is ``beta = 0.1 h`` per EUR/h: 0.7 for a 7-hour day, the default (USD; the nyc
preset's planned shifts average 4.4 hours, for which it would be 0.44). ``beta`` sets how
sharply drivers answer a day's news, not where the steady state lies (below). In rupiah the
scale is smaller by the exchange rate (about 1e-4 per IDR/h for the Jakarta presets).
``omega = 5`` is MaaSSim's default.

Steady state: with reservation wages spread evenly over ``[a, b]`` and expectations inside it,
the expected number of drivers at work equals the number whose reservation wage lies below the
expected earnings ``E`` (the logistic's tails cancel, up to an edge term of order
``log(1 + exp(-beta (E - a))) / beta``), so the marginal driver's reservation wage equals the
expected net hourly earnings: the zero-profit condition of Slee's ridehail model,
``U = price (1 - commission) busy_share - reservation_wage = 0``.

Pool size. A fare rise raises earnings ``E`` until drivers enter. With wages even on
``[a, b]`` the supply's elasticity at the margin is ``E / (E - a)`` (larger when the pool is
large enough to push ``E`` toward ``a``), and if the market's earnings fall with the number of
drivers with elasticity ``eta`` (about -1 on the calibrated nyc preset, whose vehicle costs per
online hour are fixed), a rise of ``g`` in earnings at fixed supply leaves about
``g / (1 + |eta| E / (E - a))`` in the long run. ``pool_ratio = 4`` puts 28-30% of the pool at
work on the nyc preset and leaves about 1% of a +10% fare's +10% in earnings: the
nearly complete re-equilibration Hall, Horton and Knoepfle measured (NBER w30883). A pool of
twice the fleet leaves about 3%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gigbench.market.supply.base import DayEarnings, Pool, Shifts, SupplyPolicy
from gigbench.solvers.registry import need

__all__ = ["ElasticSupply", "participation"]

# Salt of the participation draws' seed, so they never share a stream with the demand of a day.
_STREAM = 0x5_0B_B1_E5


def participation(beta: float, expected: np.ndarray, wage: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-beta (expected - wage)))``, computed without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * beta * (expected - wage)))


class ElasticSupply(SupplyPolicy):
    """Daily logit participation on smoothed net hourly earnings (module docs)."""

    name = "elastic"

    @dataclass(frozen=True)
    class Params:
        """beta: participation scale, per currency unit per hour (> 0); omega: days after
        which each new day weighs ``1/omega`` in the expectation (>= 1); initial: new drivers'
        expected net hourly earnings as a multiple of the pool's mean reservation wage (>= 0);
        pool_ratio: potential drivers per worker of the scenario's fleet (>= 1); hearsay: the
        weight a driver at home gives the market's net hourly earnings of the day, in [0, 1]."""

        beta: float = 0.7
        omega: int = 5
        initial: float = 1.0
        pool_ratio: float = 4.0
        hearsay: float = 0.2

        def check(self) -> None:
            """Reject a scale that is not positive, a window below a day, a negative prior or
            a pool smaller than the fleet."""
            beta, omega, hearsay = self.beta, self.omega, self.hearsay
            whole = isinstance(omega, int) and not isinstance(omega, bool)
            bad = {
                "supply.beta": (
                    _finite(beta) and beta > 0,
                    "a participation scale > 0 per currency unit per hour (e.g. 0.7 for USD; "
                    "0 would make every driver toss a coin whatever the pay)",
                    beta,
                ),
                "supply.omega": (
                    whole and omega >= 1,
                    "a whole number of days >= 1 (e.g. 5)",
                    omega,
                ),
                "supply.initial": (
                    _finite(self.initial) and self.initial >= 0,
                    "a multiple >= 0 of the mean reservation wage (e.g. 1)",
                    self.initial,
                ),
                "supply.pool_ratio": (
                    _finite(self.pool_ratio) and self.pool_ratio >= 1,
                    "potential drivers per fleet worker >= 1 (e.g. 2)",
                    self.pool_ratio,
                ),
                "supply.hearsay": (
                    _finite(hearsay) and 0 <= hearsay <= 1,
                    "a weight in [0, 1] (0 = drivers at home learn nothing)",
                    hearsay,
                ),
            }
            for key, (ok, expected, got) in bad.items():
                need(ok, key, expected, got)

    def pool_size(self, fleet: int) -> int:
        """``pool_ratio`` times the fleet."""
        return max(fleet, round(self.params.pool_ratio * fleet))

    def bind(self, pool: Pool) -> None:
        """Every driver starts with the prior: ``initial * mean(w)`` over their planned hours."""
        super().bind(pool)
        prior = self.params.initial * float(np.mean(pool.wage)) if len(pool) else 0.0
        self.hours = pool.planned.hours.copy()
        self.income = prior * self.hours
        self.worked = np.zeros(len(pool), dtype=np.int64)

    @property
    def expected(self) -> np.ndarray:
        """Each driver's expected net earnings per online hour."""
        prior = self.params.initial * float(np.mean(self.pool.wage))
        out = np.full(len(self.hours), prior)
        return np.divide(self.income, self.hours, out=out, where=self.hours > 0)

    def day(self, index: int) -> Shifts:
        """Each driver works their planned shift with probability ``P_i`` (module docs); the
        draws are seeded by the scenario's seed and the day."""
        chance = participation(self.params.beta, self.expected, self.pool.wage)
        rng = np.random.default_rng([self.pool.seed, index, _STREAM])
        works = rng.random(len(chance)) < chance
        planned = self.pool.planned
        return Shifts(np.where(works, planned.online, 0.0), np.where(works, planned.offline, 0.0))

    def learn(self, index: int, earnings: DayEarnings) -> None:
        """Drivers who worked smooth the day's net earnings and hours into their expectation;
        those at home move it toward the market's (module docs)."""
        worked = earnings.hours > 0
        self.worked += worked
        kappa = np.where(worked, 1.0 / np.minimum(self.worked + 1, self.params.omega), 0.0)
        total = float(earnings.hours.sum())
        if total > 0 and self.params.hearsay > 0:
            market = float(earnings.net.sum()) / total
            heard = (1.0 - self.params.hearsay) * self.expected + self.params.hearsay * market
            self.income = np.where(worked, self.income, heard * self.hours)
        self.income = (1.0 - kappa) * self.income + kappa * earnings.net
        self.hours = (1.0 - kappa) * self.hours + kappa * earnings.hours

    def figures(self) -> dict[str, float]:
        """The pool's mean expectation and mean participation probability for the next day."""
        expected = self.expected
        chance = participation(self.params.beta, expected, self.pool.wage)
        return {"expected_net_mean": float(expected.mean()), "participation": float(chance.mean())}


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
