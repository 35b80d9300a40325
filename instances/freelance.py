"""``freelance``: a skills marketplace (Upwork, Fiverr) with no geography.

The model (every number is a :class:`FreelanceParams` field; sources in docs/instances.md):

* No geography: the scenario's ``geography`` and speeds are null (nothing travels); every x/y
  column is 0.0, zones 0, lon/lat NaN, ``distance_km`` 0. The market kind is ``freelance``.
* Postings: ``Poisson(n_tasks)`` over the horizon, with density
  ``hourly_profile[h % 24] * (1 + rush_ramp * ramp(h))`` (the ride presets' triangular ramp
  around ``rush_hours``); ``n_tasks`` is the expected count at ``rush_ramp = 0``.
* Skills ``0 .. n_skills - 1`` have Zipf popularity ``1 / (rank + 1) ** skill_zipf``. A job's
  skill is, with probability ``hotspot_share``, one of the ``n_hot_skills`` most popular ones
  (uniformly), otherwise drawn from the popularity: ``hotspot_share`` concentrates demand as
  the ride presets' hotspots concentrate origins.
* Job size: ``hours ~ LogNormal(ln job_hours_median, job_hours_sigma)``;
  ``duration_min = 60 * hours`` (expected working minutes).
* Budget (``value``): ``hours * client_rate_per_h * M``, ``M`` a mean-one lognormal of
  ``budget_sigma``. Deadline: ``patience_s = 3600 * LogNormal(ln deadline_h_median,
  deadline_sigma)``, the time from posting to the deadline.
* Workers: ``n_workers``, or when 0, ``round(supply_ratio * job hours / (mean capacity *
  mean shift hours))``, so ``supply_ratio`` is concurrent-job-hours online per job-hour
  posted. Each worker holds ``U{skills_per_worker}`` distinct skills drawn by popularity
  (``skills`` bitmask, bit ``s`` = skill ``s``), an hourly rate ``reservation_wage ~
  LogNormal(ln rate_median_per_h, rate_sigma)`` and ``capacity ~ U{capacity}`` concurrent
  jobs (>= 2 by default). Shifts (online hours on the platform) as in the ride presets.
* Fares: the client's posted budget (a ``budget`` tariff); the platform's fee ``commission``
  (Fiverr 20%, the named ``freelance_budget`` tariff; Upwork 10%).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pyarrow as pa

from gigbench.instances._params import Checker, coerce_fields
from gigbench.instances._tables import (
    fleet_size,
    groups,
    mean_one_lognormal,
    ramped_request_times,
    streams,
    task_table,
    worker_table,
)
from gigbench.instances._tables import shifts as draw_shifts
from gigbench.instances.meta import ScenarioMeta
from gigbench.instances.scenario import Scenario
from gigbench.instances.tariffs import Tariff
from gigbench.solvers.registry import checked

__all__ = ["FreelanceParams", "generate_freelance", "skill_popularity"]

# Postings by hour (a global platform: a broad working-day peak, never empty at night).
FREELANCE_HOURLY: tuple[float, ...] = (
    0.45, 0.40, 0.40, 0.45, 0.55, 0.65, 0.80, 0.95, 1.15, 1.35, 1.45, 1.40,
    1.25, 1.30, 1.45, 1.50, 1.40, 1.25, 1.10, 1.00, 0.90, 0.80, 0.65, 0.55,
)  # fmt: skip


@dataclass(frozen=True)
class FreelanceParams:
    """Parameters of :func:`generate_freelance`; also the Hydra schema of ``instance=freelance``.

    Units: hours (``_h``), currency per hour (``_per_h``), shares in [0, 1].
    """

    # The market kind of its scenarios, known before one is generated (a config is checked
    # before any run starts): candidates by skill, nothing travels.
    market_kind: ClassVar[str] = "freelance"

    horizon_h: float = 24.0
    n_tasks: int = 2000  # expected postings at rush_ramp = 0
    n_workers: int = 0  # 0 = derived from supply_ratio
    supply_ratio: float = 1.5  # concurrent-job-hours online per job-hour posted
    rush_ramp: float = 0.0  # extra postings at each peak, share of the base
    rush_hours: tuple[float, ...] = (10.0, 15.0)
    rush_width_h: float = 2.0
    hotspot_share: float = 0.3  # share of jobs in the n_hot_skills most popular skills
    n_hot_skills: int = 2
    hourly_profile: tuple[float, ...] = FREELANCE_HOURLY
    n_skills: int = 12  # at most 62 (int64 bitmask)
    skill_zipf: float = 1.0  # popularity exponent
    skills_per_worker: tuple[int, ...] = (1, 4)  # (min, max), inclusive
    job_hours_median: float = 3.0
    job_hours_sigma: float = 0.9
    client_rate_per_h: float = 40.0  # budget per expected hour, mean (assumption)
    budget_sigma: float = 0.5
    deadline_h_median: float = 24.0
    deadline_sigma: float = 0.7
    rate_median_per_h: float = 25.0  # workers' hourly rate (reservation wage), median
    rate_sigma: float = 0.5
    capacity: tuple[int, ...] = (2, 5)  # concurrent jobs (min, max), inclusive
    shift_hours: tuple[float, ...] = (4.0, 12.0)
    commission: float = 0.2  # platform fee on the budget: 0.1 (Upwork) or 0.2 (Fiverr)
    group_labels: tuple[str, ...] = ("A", "B")
    group_shares: tuple[float, ...] = (0.5, 0.5)
    currency: str = "USD"

    def __post_init__(self) -> None:
        coerce_fields(self)

    def check(self) -> None:
        """Reject a value out of range (the field, what was expected, what was got, the fix)."""
        need = Checker(self)
        need.positive("horizon_h", "job_hours_median", "deadline_h_median", "rush_width_h")
        need.positive("rate_median_per_h", "supply_ratio")
        need.non_negative("n_tasks", "n_workers", "rush_ramp", "skill_zipf", "job_hours_sigma")
        need.non_negative("client_rate_per_h", "budget_sigma", "deadline_sigma", "rate_sigma")
        need.share("hotspot_share")
        need(1 <= self.n_skills <= 62, "n_skills", "in [1, 62] (an int64 bitmask)", "e.g. 12")
        need(0 <= self.n_hot_skills <= self.n_skills, "n_hot_skills", "in [0, n_skills]", "e.g. 2")
        need.profile("hourly_profile")
        need(
            len(self.skills_per_worker) == 2
            and 1 <= self.skills_per_worker[0] <= self.skills_per_worker[1] <= self.n_skills,
            "skills_per_worker",
            "(min, max) with 1 <= min <= max <= n_skills",
            "e.g. [1, 4]",
        )
        need(
            len(self.capacity) == 2 and 1 <= self.capacity[0] <= self.capacity[1],
            "capacity",
            "(min, max) concurrent jobs with 1 <= min <= max",
            "e.g. [2, 5]",
        )
        need.shift_hours()
        need(0 <= self.commission < 1, "commission", "a fee in [0, 1)", "0.1 or 0.2")
        need.groups()
        need(bool(self.currency), "currency", "a currency code", 'e.g. "USD"')


def skill_popularity(params: FreelanceParams) -> np.ndarray:
    """Zipf popularity of skills ``0 .. n_skills - 1`` (sums to 1)."""
    weights = 1.0 / np.arange(1, params.n_skills + 1) ** params.skill_zipf
    return weights / weights.sum()


def _tasks(rng: np.random.Generator, p: FreelanceParams) -> pa.Table:
    times = ramped_request_times(rng, p)
    n = len(times)
    popularity = skill_popularity(p)
    skill = rng.choice(p.n_skills, size=n, p=popularity)
    if p.n_hot_skills:
        hot = rng.random(n) < p.hotspot_share
        skill[hot] = rng.integers(0, p.n_hot_skills, size=int(hot.sum()))
    hours = rng.lognormal(math.log(p.job_hours_median), p.job_hours_sigma, size=n)
    budget = hours * p.client_rate_per_h * mean_one_lognormal(rng, p.budget_sigma, n)
    deadline_s = 3600.0 * rng.lognormal(math.log(p.deadline_h_median), p.deadline_sigma, size=n)
    zero, flat = np.zeros(n), np.zeros((n, 2))
    zone = np.zeros(n, dtype=np.int32)
    return task_table(
        times,
        flat,
        flat,
        zone,
        zone,
        zero,
        60.0 * hours,
        budget,
        deadline_s,
        skill=skill.astype(np.int32),
    )


def _skill_masks(rng: np.random.Generator, n: int, p: FreelanceParams) -> np.ndarray:
    popularity = skill_popularity(p)
    low, high = p.skills_per_worker
    count = rng.integers(low, high + 1, size=n)
    # Weighted sampling without replacement: the k smallest Exp(1) / weight keys (Efraimidis).
    keys = rng.exponential(size=(n, p.n_skills)) / popularity
    order = np.argsort(keys, axis=1)
    masks = np.zeros(n, dtype=np.int64)
    for j in range(high):
        take = count > j
        masks[take] |= np.left_shift(np.int64(1), order[take, j].astype(np.int64))
    return masks


def _workers(rng: np.random.Generator, p: FreelanceParams, job_hours: float) -> pa.Table:
    mean_capacity = 0.5 * (p.capacity[0] + p.capacity[1])
    n = fleet_size(
        p.n_workers,
        p.supply_ratio,
        job_hours / mean_capacity,
        p.shift_hours,
        p.hourly_profile,
        p.horizon_h,
    )
    online, offline = draw_shifts(rng, n, p.shift_hours, p.hourly_profile, p.horizon_h)
    skills = _skill_masks(rng, n, p)
    wage = rng.lognormal(math.log(p.rate_median_per_h), p.rate_sigma, size=n)
    capacity = rng.integers(p.capacity[0], p.capacity[1] + 1, size=n).astype(np.int32)
    group = groups(rng, n, p.group_labels, p.group_shares)
    start = np.zeros((n, 2))
    return worker_table(
        online, offline, start, wage, group, skills=skills, capacity=capacity, vehicle="none"
    )


def generate_freelance(params: FreelanceParams, seed: int) -> Scenario:
    """A freelance-marketplace scenario; a pure function of ``(params, seed)``."""
    if not isinstance(params, FreelanceParams):
        raise TypeError(
            f"params: expected a FreelanceParams, got {type(params).__name__}; build one with "
            "FreelanceParams(**values) or call "
            "gigbench.instances.generate('freelance', values, seed)"
        )
    checked(params)
    rng_tasks, rng_workers = streams(seed, 2)
    tasks = _tasks(rng_tasks, params)
    job_hours = float(np.sum(tasks.column("duration_min").to_numpy())) / 60.0
    workers = _workers(rng_workers, params, job_hours)
    tariff = Tariff(basis="budget", surge_cap=3.0, commission=params.commission).named()
    meta = ScenarioMeta(
        generator="freelance",
        params=dataclasses.asdict(params),
        seed=int(seed),
        horizon_s=params.horizon_h * 3600.0,
        market="freelance",
        currency=params.currency,
        tariff=tariff,
    )
    return Scenario(tasks, workers, meta).with_hash()
