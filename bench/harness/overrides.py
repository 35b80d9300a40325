"""What a command line may ask for, checked on its composition before anything runs.

* Only keys that a schema has: an unknown key is named with the nearest valid keys, and Hydra's
  ``+key=value`` (which would only add the typo to the config) is refused, never advised.
* A sweep experiment (one that sets ``hydra.sweeper.params``) only with ``-m``.
* A launcher whose Hydra plugin is installed; a missing one is named with the gigbench extra
  that installs it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any

from omegaconf import DictConfig, OmegaConf

from gigbench.errors import ConfigError

LAUNCHER_GROUP = "hydra/launcher"
_MISSING_LAUNCHER = re.compile(r"Could not find '" + LAUNCHER_GROUP + r"/(\w+)'")


def _paths(node: dict[str, Any], prefix: str = "") -> list[str]:
    """Every dotted key of ``node`` (nodes and leaves)."""
    found = []
    for key, child in node.items():
        path = f"{prefix}{key}"
        found.append(path)
        if isinstance(child, dict):
            found += _paths(child, f"{path}.")
    return found


def nearest_keys(key: str, cfg: DictConfig, n: int = 3) -> list[str]:
    """The config's keys nearest ``key``: those ending in the same name (``n_tasks`` ->
    ``instance.n_tasks``), else the closest spellings."""
    tree = OmegaConf.to_container(cfg, resolve=False)
    paths = [p for p in _paths(tree) if p != key and p.split(".")[0] != "hydra"]
    leaf = key.rsplit(".", 1)[-1]
    same = [p for p in paths if p.rsplit(".", 1)[-1] == leaf]
    if same:
        return same[:n]
    near = difflib.get_close_matches(key, paths, n)
    by_leaf = difflib.get_close_matches(leaf, {p.rsplit(".", 1)[-1] for p in paths}, n)
    near += [p for p in paths if p.rsplit(".", 1)[-1] in by_leaf and p not in near]
    return near[:n]


def unknown_key(override: str, cfg: DictConfig) -> ConfigError:
    """The one-line error for ``override`` setting a key that no schema of ``cfg`` has: the
    valid keys of its group when the group exists, else the nearest keys of the config."""
    key, _, value = override.lstrip("+~").partition("=")
    parent, _, leaf = key.rpartition(".")
    node = OmegaConf.select(cfg, parent) if parent else None
    if isinstance(node, DictConfig):
        valid = ", ".join(sorted(str(k) for k in node))
        option = node.get("name")
        where = f"{parent}={option}" if option else parent
        return ConfigError(
            f"{key}: no key {leaf!r} in {where}; valid keys: {valid} (e.g. {parent}.<key>=value)"
        )
    near = nearest_keys(key, cfg)
    if near:
        fix = f"nearest valid keys: {', '.join(near)} (e.g. {near[0]}={value})"
    else:
        fix = "gigbench --cfg job lists every key"
    return ConfigError(f"{override}: expected a key that the config has, got {key!r}; {fix}")


def check_added_keys(
    overrides: Sequence[Any], base: DictConfig, compose_without: Callable[[list[str]], DictConfig]
) -> None:
    """Refuse ``+key=value`` and ``++key=value`` for a key that no schema has (``base``: the
    config composed with them; ``compose_without(lines)``: composed without those lines)."""
    groups = set(base.hydra.runtime.choices)
    added = [
        o
        for o in overrides
        if (o.is_add() or o.is_force_add())
        and not o.key_or_group.startswith("hydra")
        and o.key_or_group not in groups
    ]
    if not added:
        return
    without = compose_without([o.input_line for o in added])
    for o in added:
        if OmegaConf.select(without, o.key_or_group, default=_ABSENT) is _ABSENT:
            raise unknown_key(o.input_line, without)


_ABSENT = object()


def check_sweep_has_m(
    args: Sequence[str],
    base: DictConfig,
    set_keys: Sequence[str],
    count: Callable[[dict[str, Any]], int],
) -> None:
    """Refuse a single run of a config that sweeps (``hydra.sweeper.params``) keys the command
    line does not set: it would run one point of the sweep and say nothing of the rest."""
    params = base.hydra.sweeper.get("params") or {}
    unset = [key for key in params if key not in set_keys]
    if not unset:
        return
    experiment = base.hydra.runtime.choices.get("experiment")
    name = f"+experiment={experiment}" if experiment else "hydra.sweeper.params"
    size = count({key: params[key] for key in unset})
    command = " ".join(["gigbench", "-m", *args])
    raise ConfigError(
        f"{name}: expected -m (it is a sweep of {size} runs over {', '.join(unset)}), got a "
        f"single run; add -m: {command}"
    )


def launcher_error(message: str, overrides: Sequence[str]) -> ConfigError | None:
    """The one-line error for a launcher whose plugin is not installed (None when ``message``
    is not about one): it names the extra of gigbench that installs the plugin."""
    match = _MISSING_LAUNCHER.search(message)
    if not match:
        return None
    missing = match.group(1)
    chosen = next(
        (o.lstrip("+~") for o in overrides if o.lstrip("+~").startswith(f"{LAUNCHER_GROUP}=")),
        f"{LAUNCHER_GROUP}={missing}",
    )
    plugin = f"hydra-{missing.split('_')[0]}-launcher"
    extra = _extra_installing(plugin)
    if extra is None:
        return None
    return ConfigError(
        f"{chosen}: expected an installed launcher plugin, got none for {missing!r} "
        f'({plugin} is not installed); install it with: pip install "gigbench[{extra}]"'
    )


def _extra_installing(distribution: str) -> str | None:
    """The extra of gigbench (other than ``test``) that requires ``distribution``."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    try:
        requires = metadata.requires("gigbench") or []
        extras = metadata.metadata("gigbench").get_all("Provides-Extra") or []
    except metadata.PackageNotFoundError:
        return None
    wanted = canonicalize_name(distribution)
    for extra in (e for e in extras if e != "test"):
        for line in requires:
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) != wanted or requirement.marker is None:
                continue
            if requirement.marker.evaluate({"extra": extra}):
                return extra
    return None
