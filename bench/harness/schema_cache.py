"""The config schemas, cached: registering them imports every solver, generator and pricing
policy (scipy, pyarrow.dataset, pandas: seconds); a cache of their fields makes
``gigbench --cfg job`` cheap.

The cache (``~/.cache/gigbench/schemas-<key>.json``, or ``$XDG_CACHE_HOME``) is keyed on the
size and modification time of every source file of gigbench's packages and of every installed
plugin's package, and on the plugins' entry points and versions: any edit or install rebuilds
it from :func:`gigbench.schemas.register_schemas`, the one place that knows the schemas. While
an installed plugin cannot be loaded nothing is cached, so that fixing it (or installing what
it imports) is seen at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
import typing
from pathlib import Path
from typing import Any

_NOT_CACHED = ("hydra", "run")  # Hydra's own groups; the harness's run schema (always stored)
_TYPES: dict[str, Any] = {
    "int": int, "float": float, "str": str, "bool": bool, "list": list, "tuple": tuple,
    "dict": dict, "Optional": typing.Optional, "Union": typing.Union, "Any": typing.Any,
    "NoneType": type(None), "List": typing.List, "Tuple": typing.Tuple, "Dict": typing.Dict,  # noqa: UP006
}  # fmt: skip


def _cache_file() -> Path:
    stamps = []
    for package in ("gigbench", "gigbench.solvers", "gigbench.instances", "gigbench.configs"):
        spec = importlib.util.find_spec(package)  # imports the parent (gigbench) alone
        for root in spec.submodule_search_locations if spec else ():
            stamps += _stamps(sorted(Path(root).rglob("*.py")))
    stamps += _plugin_stamps()
    key = hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "gigbench" / f"schemas-{key}.json"


def _stamps(paths: list[Path]) -> list[str]:
    stamps = []
    for path in paths:
        stat = path.stat()
        stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


def _plugin_stamps() -> list[str]:
    """Every installed plugin's entry point, distribution and version, and its sources' sizes
    and times."""
    from gigbench.kinds import KINDS
    from gigbench.solvers.registry import entry_points_of, source_files

    stamps = []
    for kind in KINDS.values():
        for entry in entry_points_of(kind.entry_group):
            dist = entry.dist
            stamps.append(f"{entry.group}:{entry.name}={entry.value}:{dist.name}:{dist.version}")
            stamps += _stamps(source_files(entry.module))
    return stamps


def register_schemas() -> None:
    """Store every schema in Hydra's ConfigStore, from the cache when it is current."""
    path = _cache_file()
    try:
        entries = json.loads(path.read_text())
        schemas = [_rebuild(entry) for entry in entries]
    except (OSError, ValueError, KeyError, TypeError, NameError, SyntaxError):
        from gigbench.schemas import register_schemas as register_from_source

        if register_from_source():  # a plugin that cannot load: nothing to trust yet
            return
        entries = describe()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entries))
        os.replace(tmp, path)
        return
    from hydra.core.config_store import ConfigStore

    store = ConfigStore.instance()
    for entry, schema in zip(entries, schemas, strict=True):
        store.store(group=entry["group"], name=entry["name"], node=schema)


def describe() -> list[dict[str, Any]]:
    """Every schema in the ConfigStore: group, name, class name, fields with types, defaults."""
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    entries = []
    repo = ConfigStore.instance().repo
    for group in sorted(g for g in repo if g not in _NOT_CACHED and isinstance(repo[g], dict)):
        for file, node in sorted(repo[group].items()):
            if not file.endswith("_schema.yaml") or isinstance(node, dict):
                continue
            cls = OmegaConf.get_type(node.node)
            if not dataclasses.is_dataclass(cls):
                continue
            hints = typing.get_type_hints(cls)
            values = OmegaConf.to_container(node.node)
            entries.append(
                {
                    "group": group,
                    "name": file.removesuffix(".yaml"),
                    "class": cls.__name__,
                    "fields": [
                        [f.name, _type_name(hints[f.name]), values[f.name]]
                        for f in dataclasses.fields(cls)
                    ],
                }
            )
    return entries


def _type_name(hint: Any) -> str:
    if isinstance(hint, type):
        return hint.__name__
    return repr(hint).replace("typing.", "")


def _rebuild(entry: dict[str, Any]) -> type:
    """The dataclass an entry describes."""
    fields = []
    for name, type_name, default in entry["fields"]:
        kind = eval(type_name, {"__builtins__": {}}, _TYPES)
        if isinstance(default, list | dict):
            spec = dataclasses.field(default_factory=lambda value=default: json.loads(
                json.dumps(value)))  # fmt: skip
        else:
            spec = dataclasses.field(default=default)
        fields.append((name, kind, spec))
    return dataclasses.make_dataclass(entry["class"], fields)
