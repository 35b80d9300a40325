"""The calendar of a multi-day run (``mode.days``): each day's demand and the pool of workers.

* Day 0 is the scenario itself, so a one-day run is unchanged.
* Day ``d > 0`` of drawn demand: the same generator and parameters with the seed
  :func:`day_seed` ``(seed, d)``; the same demand process, a new draw of requests. Only its
  tasks are used: the workers stay the run's pool.
* Day ``d > 0`` of dated records (a generator whose params have ``later(days)``, the params of
  the window that many calendar days on: a replay): the generator with ``later(d)``, so
  successive calendar days; ``later`` refuses what has no successive days (a replay of the
  whole file, windows longer than a day). Data that has fewer days than asked is a
  :class:`gigbench.errors.ConfigError`, raised before day 0 runs (the last day is made first as
  a probe).
* The pool: a supply policy may ask for more potential workers than the scenario has
  (:meth:`gigbench.market.supply.SupplyPolicy.pool_size`); the extra ones are drawn by the
  scenario's own generator and parameters (``n_workers`` = the number missing, seed
  :func:`pool_seed`), so they follow the same shift plan, start positions and reservation
  wages, and are appended after the scenario's own workers (ids continue).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from gigbench.errors import ConfigError
from gigbench.instances import Scenario, generate
from gigbench.instances.generators import generator_params

__all__ = ["check_days", "dated", "day_scenario", "day_seed", "pool_scenario", "pool_seed"]


def _derived(seed: int, *key: int) -> int:
    """A seed in [0, 2**63) derived from ``seed`` and ``key`` (numpy's SeedSequence hash)."""
    state = np.random.SeedSequence([int(seed), *key]).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def day_seed(seed: int, day: int) -> int:
    """The instance seed on day 0; on day ``d > 0`` a seed derived from ``(seed, d)``."""
    return int(seed) if day == 0 else _derived(seed, day, 0)


def pool_seed(seed: int) -> int:
    """The seed of the extra potential workers (never a day's seed)."""
    return _derived(seed, 0, 1)


def dated(name: str) -> bool:
    """Whether generator ``name``'s days are calendar days of records (module docs)."""
    return callable(getattr(generator_params(name), "later", None))


def check_days(days: Any, instance: Mapping[str, Any]) -> None:
    """Refuse ``mode.days`` below 1, and more than one day of an instance that cannot have
    them (a city drawn from its seed; dated records whose params refuse successive days)."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ConfigError(
            f"mode.days: expected a whole number of days >= 1 (e.g. 30), got {days!r}"
        )
    name = instance["name"]
    if days == 1:
        return
    params_cls = generator_params(name)
    if not getattr(params_cls, "same_city_any_seed", True):
        raise ConfigError(
            f"mode.days={days}: instance={name} draws its geography from the seed, so a new "
            "seed per day would be another city; use a preset with a fixed city (instance=nyc, "
            "jakarta_ojol, jakarta_car) or mode.days=1"
        )
    if dated(name):
        params = params_cls(**{k: v for k, v in instance.items() if k not in ("name", "seed")})
        try:
            params.later(days - 1)
        except ValueError as exc:
            raise ConfigError(f"mode.days={days}: {exc}") from None


def day_scenario(scenario: Scenario, day: int) -> Scenario:
    """The scenario of day ``day`` (module docs); its tasks are the day's demand."""
    if day == 0:
        return scenario
    info = scenario.info
    name, params, seed = info.generator, dict(info.params), day_seed(info.seed, day)
    if not dated(name):
        return generate(name, params, seed)
    later = generator_params(name)(**params).later(day)
    try:
        return generate(name, dataclasses.asdict(later), seed)
    except ValueError as exc:
        first = (str(exc).splitlines() or [""])[0]
        raise ConfigError(
            f"mode.days: day {day} of {name} ({info.day(day) if info.first_day else day}) "
            f"cannot be made: {first}; the data covers fewer days than asked: lower mode.days "
            "or start on an earlier day"
        ) from None


def pool_scenario(scenario: Scenario, size: int) -> Scenario:
    """The scenario with ``size`` workers: its own, then extra ones from its generator."""
    have = scenario.workers.num_rows
    if size <= have:
        return scenario
    info = scenario.info
    params = dict(info.params) | {"n_workers": size - have}
    extra = generate(info.generator, params, pool_seed(info.seed)).workers
    ids = pa.array(np.arange(have, size, dtype=np.int64))
    extra = extra.set_column(extra.schema.get_field_index("worker_id"), "worker_id", ids)
    workers = pa.concat_tables([scenario.workers, extra.cast(scenario.workers.schema)])
    return Scenario(scenario.tasks, workers, dataclasses.replace(info, content_hash=None))
