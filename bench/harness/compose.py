"""Composition and checks, once, before anything runs: every value of every swept key.

:func:`plan_sweep` composes the config for the first point of a sweep and for each other value
of each swept key (beside the first values of the others), builds every part a run needs, and
returns what the sweep is: its swept keys, its size, its results folders. A typo anywhere in a
sweep is found without composing the whole product; so are the mistakes of
:mod:`gigbench.harness.overrides` (a key no schema has, a sweep experiment without ``-m``, a
launcher whose plugin is missing).
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

from gigbench.errors import ConfigError
from gigbench.resources import config_tree, hydra_compose


@dataclasses.dataclass
class RunConfig:
    """How the harness runs one configuration; not part of the run's identity.

    timeout_s: wall-clock seconds for the whole run, child start-up included (<= 0: none).
    memory_gb: address-space limit of the run's process in GiB (<= 0: none).
    isolate: run in a child process; the limits need it (false: in-process, for debugging).
    redo: rerun even when a row exists. retry_failed: rerun runs whose row is not ``ok``.
    stale_claim_s: a claim whose heartbeat is older than this is taken over (another host's;
    on this host a claim is stale as soon as its process is gone).
    """

    timeout_s: float = 600.0
    memory_gb: float = 8.0
    isolate: bool = True
    redo: bool = False
    retry_failed: bool = False
    stale_claim_s: float = 120.0


@dataclasses.dataclass
class SweepPlan:
    """What a command line asks for: its swept keys and how many runs."""

    swept: list[str]
    size: int
    results_dirs: list[str]
    multirun: bool


def register() -> None:
    """Store every schema (run, modes, markets, solvers, generators, pricing, ...) in Hydra's
    ConfigStore, built from their dataclasses, and a config option for every installed plugin;
    register gigbench's sweeper with Hydra (idempotent)."""
    from hydra.core.config_store import ConfigStore
    from hydra.core.plugins import Plugins

    from gigbench.schemas import register_schemas
    from hydra_plugins.gigbench_sweeper import GigbenchSweeper

    # Hydra's scan of hydra_plugins misses an editable install's; register() is its public
    # way to add a plugin class (a no-op when the scan found it).
    Plugins.instance().register(GigbenchSweeper)
    store = ConfigStore.instance()
    store.store(group="run", name="run_schema", node=RunConfig)
    register_schemas()  # a plugin that cannot load gets no schema; choosing it raises its error
    register_plugin_options(store)


def register_plugin_options(store) -> None:
    """The option ``<group>/<name>`` of every installed plugin: its schema (generated from its
    ``Params``) and its name, so it needs no YAML file. A plugin that could not be loaded gets
    its name alone: choosing it raises its error when the config is checked."""
    from gigbench.kinds import KINDS
    from gigbench.solvers.registry import entry_points_of, origin

    for kind in KINDS.values():
        group = kind.config_group
        for entry in entry_points_of(kind.entry_group):
            if config_tree().joinpath(group, f"{entry.name}.yaml").is_file():
                raise ConfigError(
                    f"{kind.name} {entry.name!r} of {origin(entry)} has the name of gigbench's "
                    f"config option {group}={entry.name}; rename the entry point"
                )
            schema = f"{entry.name}_schema"
            known = f"{schema}.yaml" in store.repo.get(group, {})
            node = {"name": entry.name}
            if known:
                node = {"defaults": [schema, "_self_"], **node}
            store.store(group=group, name=entry.name, node=node)


def run_options(cfg) -> RunConfig:
    """The ``run`` node of ``cfg`` (defaults when the config has none)."""
    from omegaconf import OmegaConf

    node = cfg.get("run")
    if node is None:
        return RunConfig()
    known = {f.name for f in dataclasses.fields(RunConfig)}
    return RunConfig(**{k: v for k, v in OmegaConf.to_container(node).items() if k in known})


def _choices(overrides: list[str]) -> dict[str, list[str]]:
    """Each override key with every value its sweep takes, as ``key=value`` strings."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    choices: dict[str, list[str]] = {}
    for override in OverridesParser.create().parse_overrides(overrides):
        if override.key_or_group.startswith("hydra"):
            continue
        prefix = override.input_line.split(override.key_or_group, 1)[0]
        values = (
            list(override.sweep_string_iterator())
            if override.is_sweep_override()
            else [override.get_value_element_as_str()]
        )
        choices[override.key_or_group] = [f"{prefix}{override.key_or_group}={v}" for v in values]
    return choices


def plan_sweep(args: list[str], *, check: bool = True) -> SweepPlan:
    """Compose (and with ``check``, build the parts of: :func:`gigbench.harness.modes.build`)
    every value of every swept key."""
    from hydra import compose

    from gigbench.harness.modes import build
    from gigbench.harness.overrides import check_sweep_has_m

    register()
    overrides = [a for a in args if not a.startswith("-") and "=" in a]
    multirun = any(a in ("-m", "--multirun") for a in args)
    choices = _choices(overrides)
    single = not multirun and all(len(values) == 1 for values in choices.values())
    with hydra_compose():
        first = [values[0] for values in choices.values()]
        base = _base(compose, overrides, choices, single)
        if multirun:
            sweep = base.hydra.sweeper.get("params") or {}
            # The command line wins over an experiment's sweep of the same key.
            choices |= _choices([f"{k}={v}" for k, v in sweep.items() if k not in choices])
        else:
            check_sweep_has_m(args, base, list(choices), _sweep_size)
        base_point = [values[0] for values in choices.values()]
        points = [
            [*base_point[:i], value, *base_point[i + 1 :]]
            for i, values in enumerate(choices.values())
            for value in values[1:]
        ]
        # The first point is usually the base itself: one composition fewer.
        anchor = _without_hydra(base) if base_point == first else _compose(compose, base_point)
        groups = set(base.hydra.runtime.choices)
        results_dirs: list[str] = []
        for cfg in _configs(compose, anchor, base_point, points, groups):
            if str(cfg.results_dir) not in results_dirs:
                results_dirs.append(str(cfg.results_dir))
            if check:
                build(cfg)
    swept = [key for key, values in choices.items() if len(values) > 1]
    size = math.prod(len(values) for values in choices.values()) if multirun else 1
    return SweepPlan(swept, size, results_dirs, multirun)


def _configs(compose, anchor, base_point: list[str], points: list[list[str]], groups: set[str]):
    """The config of the base point (``anchor``), then of each other point: a point that
    changes a plain value (not a config group) is ``anchor`` with that value set as Hydra sets
    it (``OmegaConf.update``, after the defaults are merged); one that changes a group is
    composed (Hydra then reads other files)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.override_parser.types import OverrideType

    yield anchor
    parse = OverridesParser.create().parse_overrides
    for point in points:
        changed = [new for new, old in zip(point, base_point, strict=True) if new != old]
        if not changed:  # a value the sweep repeats
            yield anchor
            continue
        (override,) = parse(changed)
        plain = override.type == OverrideType.CHANGE and override.package is None
        if plain and override.key_or_group not in groups:
            yield _with_value(anchor, override)
        else:
            yield _compose(compose, point)


def _with_value(cfg, override):
    """A copy of ``cfg`` with the plain value ``override`` set, and Hydra's errors for it."""
    import copy

    from hydra.errors import ConfigCompositionException
    from omegaconf import OmegaConf
    from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException

    from gigbench.harness.overrides import unknown_key

    changed = copy.deepcopy(cfg)
    try:
        OmegaConf.update(changed, override.key_or_group, override.value(), merge=True)
    except (ConfigAttributeError, ConfigKeyError):
        raise unknown_key(override.input_line, cfg) from None
    except OmegaConfBaseException as exc:
        raise ConfigCompositionException(f"Error merging override {override.input_line}") from exc
    return changed


def _base(compose, overrides: list[str], choices: dict[str, list[str]], single: bool):
    """The command line's first point composed with its hydra node, every key it sets or adds
    checked. A single run's is composed from the whole command line plus the mode Hydra adds,
    as Hydra's run composes it. A sweep's takes the first value of each key and the hydra keys
    that are not swept (the launcher among them)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from gigbench.harness.overrides import check_added_keys

    parse = OverridesParser.create().parse_overrides
    if single:
        lines = [*overrides, "hydra.mode=RUN"]
    else:
        hydra_keys = [
            o.input_line
            for o in parse(overrides)
            if o.key_or_group.startswith("hydra") and not o.is_sweep_override()
        ]
        lines = [values[0] for values in choices.values()] + hydra_keys
    base = _compose(compose, lines, return_hydra_config=True)
    check_added_keys(
        parse(lines), base, lambda added: _compose(compose, [o for o in lines if o not in added])
    )
    return base


def check_keys(args: list[str]) -> None:
    """Check the keys a command line sets, as :func:`plan_sweep` does, composing only its
    first point (for Hydra's own flags: ``--cfg``, ``--info``)."""
    from hydra import compose

    register()
    overrides = [a for a in args if not a.startswith("-") and "=" in a]
    choices = _choices(overrides)
    single = all(len(values) == 1 for values in choices.values())
    with hydra_compose():
        _base(compose, overrides, choices, single)


def _sweep_size(params: dict[str, Any]) -> int:
    """How many runs a sweeper's ``params`` (key -> ``"a,b,c"``) make."""
    values = _choices([f"{key}={value}" for key, value in params.items()])
    return math.prod(len(v) for v in values.values())


def _without_hydra(cfg):
    """``cfg`` as :func:`hydra.compose` returns it without ``return_hydra_config`` (its nodes'
    types kept, so that a value set later is checked as in a composition)."""
    import copy

    from omegaconf import open_dict

    without = copy.deepcopy(cfg)
    with open_dict(without):
        del without["hydra"]
    return without


def _compose(compose, point: list[str], **kwargs):
    """``compose`` with one line for what Hydra says in many: an unknown key named with the
    valid keys nearest it (Hydra's own message advises a ``+`` that would only add the typo),
    a launcher whose plugin is missing named with the extra that installs it."""
    from hydra.errors import ConfigCompositionException, MissingConfigException

    from gigbench.harness.overrides import launcher_error, unknown_key

    try:
        return compose(config_name="config", overrides=point, **kwargs)
    except MissingConfigException as exc:
        launcher = launcher_error(str(exc), point)
        if launcher is None:
            raise
        raise launcher from None
    except ConfigCompositionException as exc:
        match = re.search(r"Could not override '([\w.]+)'", str(exc))
        if not match or match.group(1).startswith("hydra"):
            raise
        key = match.group(1)
        given = next(o for o in point if o.lstrip("+~").startswith(f"{key}="))
        node = compose(config_name="config", overrides=[o for o in point if o != given])
        _load_chosen_plugin(node, key.rpartition(".")[0])  # a broken plugin's error comes first
        raise unknown_key(given, node) from None


def _load_chosen_plugin(cfg, group: str) -> None:
    """Load the installed plugin ``cfg`` chooses in ``group`` (its error, if it cannot load)."""
    from omegaconf import OmegaConf

    from gigbench.kinds import kind_of_group

    kind = kind_of_group(group)
    name = OmegaConf.select(cfg, f"{group}.name") if kind is not None else None
    if isinstance(name, str) and name in kind.registry().plugins():
        kind.registry().load(name)
