"""The config schemas, cached: registering them imports every solver, generator and pricing
policy (scipy, pyarrow.dataset, pandas: seconds); a cache of their fields makes
``gigbench --cfg job`` cheap.

The cache (``~/.cache/gigbench/schemas-<key>.json``, or ``$XDG_CACHE_HOME``) is keyed on the
size and modification time of every source file of ``solvers``, ``instances`` and ``bench``
and of the plugin modules named in ``GIGBENCH_PLUGINS``: any edit rebuilds it from
:func:`gigbench.schemas.register_schemas`, the one place that knows the schemas.
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
    root = Path(__file__).resolve().parents[2]
    stamps = []
    for package in ("solvers", "instances", "bench", "configs"):
        for path in sorted((root / package).rglob("*.py")):
            stat = path.stat()
            stamps.append(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}")
    plugins = os.environ.get("GIGBENCH_PLUGINS", "")
    stamps.append(plugins)
    for item in plugins.split(","):
        module = item.partition("=")[2].partition(":")[0].strip()
        if module and "." not in module:  # a dotted name's spec imports its parents
            spec = importlib.util.find_spec(module)
            if spec is not None and spec.origin and os.path.isfile(spec.origin):
                stat = os.stat(spec.origin)
                stamps.append(f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}")
    key = hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "gigbench" / f"schemas-{key}.json"


def register_schemas() -> None:
    """Store every schema in Hydra's ConfigStore, from the cache when it is current."""
    path = _cache_file()
    try:
        entries = json.loads(path.read_text())
        schemas = [_rebuild(entry) for entry in entries]
    except (OSError, ValueError, KeyError, TypeError, NameError, SyntaxError):
        from gigbench.schemas import register_schemas as register_from_source

        register_from_source()
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
