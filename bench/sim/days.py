"""The calendar of a multi-day run (``mode.days``): each day's demand and the pool of workers.

* Day 0 is the scenario itself, so a one-day run is unchanged.
* Day ``d > 0`` of a synthetic instance: the same generator and parameters with the seed
  :func:`day_seed` ``(seed, d)``; the same demand process, a new draw of requests. Only its
  tasks are used: the workers stay the run's pool.
* Day ``d > 0`` of a replay: the window ``[instance.day + d days + start_hour, + hours)``,
  successive calendar days (``instance.day`` must name the first; ``hours <= 24``). A replay
  that has fewer days than asked is a :class:`gigbench.errors.ConfigError`, raised before day 0
  runs (the last day is replayed first as a probe).
* The pool: a supply policy may ask for more potential workers than the scenario has
  (:meth:`gigbench.market.supply.SupplyPolicy.pool_size`); the extra ones are drawn by the
  scenario's own generator and parameters (``n_workers`` = the number missing, seed
  :func:`pool_seed`), so they follow the same shift plan, start positions and reservation
  wages, and are appended after the scenario's own workers (ids continue).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from gigbench.errors import ConfigError
from gigbench.instances import Scenario, generate
from gigbench.instances.generators import generator_params

__all__ = ["check_days", "day_scenario", "day_seed", "pool_scenario", "pool_seed"]

REPLAY = "replay"  # the generator whose days are calendar days


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


def check_days(days: Any, instance: Mapping[str, Any]) -> None:
    """Refuse ``mode.days`` below 1, and more than one day of an instance that cannot have
    them (a city drawn from its seed; a replay of the whole file, folded days, or windows
    longer than a day)."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ConfigError(
            f"mode.days: expected a whole number of days >= 1 (e.g. 30), got {days!r}"
        )
    name = instance["name"]
    if days == 1:
        return
    if not getattr(generator_params(name), "same_city_any_seed", True):
        raise ConfigError(
            f"mode.days={days}: instance={name} draws its geography from the seed, so a new "
            "seed per day would be another city; use a preset with a fixed city (instance=nyc, "
            "jakarta_ojol, jakarta_car) or mode.days=1"
        )
    if name == REPLAY and not instance.get("day"):
        raise ConfigError(
            f"mode.days={days}: a replay of the whole file (or of folded days) is one horizon; "
            "set instance.day=YYYY-MM-DD, the first of the successive days to replay"
        )
    if name == REPLAY and float(instance.get("hours", 24.0)) > 24.0:
        raise ConfigError(
            f"mode.days={days}: instance.hours={instance['hours']} would make successive "
            "days overlap; use instance.hours <= 24"
        )


def day_scenario(scenario: Scenario, day: int) -> Scenario:
    """The scenario of day ``day`` (module docs); its tasks are the day's demand."""
    if day == 0:
        return scenario
    meta = scenario.meta
    name, params = meta["generator"], dict(meta["params"])
    if name == REPLAY:
        first = date.fromisoformat(params["day"])
        params["day"] = (first + timedelta(days=day)).isoformat()
        try:
            return generate(name, params, day_seed(meta["seed"], day))
        except ValueError:
            raise ConfigError(
                f"mode.days: day {day} of the replay ({params['day']}) has no usable trips in "
                f"{params['path']}; the data covers fewer days from {first.isoformat()} than "
                "asked: lower mode.days or choose an earlier instance.day"
            ) from None
    return generate(name, params, day_seed(meta["seed"], day))


def pool_scenario(scenario: Scenario, size: int) -> Scenario:
    """The scenario with ``size`` workers: its own, then extra ones from its generator."""
    have = scenario.workers.num_rows
    if size <= have:
        return scenario
    meta = scenario.meta
    params = dict(meta["params"]) | {"n_workers": size - have}
    extra = generate(meta["generator"], params, pool_seed(meta["seed"])).workers
    ids = pa.array(np.arange(have, size, dtype=np.int64))
    extra = extra.set_column(extra.schema.get_field_index("worker_id"), "worker_id", ids)
    workers = pa.concat_tables([scenario.workers, extra.cast(scenario.workers.schema)])
    return Scenario(scenario.tasks, workers, meta | {"content_hash": None})
