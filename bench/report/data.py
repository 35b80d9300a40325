"""The report's data: rows grouped into configurations (the config minus its seeds), labels
that tell configurations apart, and what the metric catalogue (:mod:`gigbench.market.catalogue`)
says of each ``m_*`` column: its section, order, unit (in the market's currency) and which way
it is better. The report keeps no list of metrics of its own.

What a results folder holds decides what its report shows: static runs get solve time and
optimality, simulations the Pareto, Lorenz and zone sections, a mixed folder both.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gigbench.harness.summary import UNCATALOGUED
from gigbench.market import catalogue
from gigbench.market.catalogue import Better, Metric

SEED_KEYS = ("instance.seed", "mode.seed")
ARROWS = {Better.HIGHER: "\u2191", Better.LOWER: "\u2193", Better.NONE: ""}
SHORT = {
    "solver.name": "solver",
    "objective.name": "objective",
    "objective.lambda": "\u03bb",
    "pricing.name": "pricing",
    "market.name": "market",
    "reposition.name": "reposition",
    "supply.name": "supply",
    "pay_rule.name": "pay_rule",
}
_NAMED = ("solver", "objective", "pricing", "instance", "market", "mode", "reposition", "supply",
          "pay_rule")  # fmt: skip  # groups with a name
_ORDER = ("solver.name", "objective.name", "objective.lambda", "pricing.name")


@dataclass
class Group:
    """The runs of one configuration that differ only in their seeds."""

    mode: str
    config: dict[str, Any]  # flattened config minus seeds
    runs: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""
    rest: str = ""  # the label without its solver: what the report's markers tell apart

    @property
    def ok(self) -> list[dict[str, Any]]:
        """The runs that finished."""
        return [r for r in self.runs if r.get("status") == "ok"]

    @property
    def solver(self) -> str:
        """The solver's name."""
        return str(self.config.get("solver.name") or self.runs[0].get("solver") or "?")

    def values(self, metric: str) -> np.ndarray:
        """The finite values of ``metric`` over the finished runs."""
        vals = [r.get(metric) for r in self.ok]
        arr = np.array(
            [v for v in vals if isinstance(v, int | float) and not isinstance(v, bool)],
            dtype=float,
        )
        return arr[np.isfinite(arr)]

    def stat(self, metric: str) -> tuple[float, float, float]:
        """(median, 25th, 75th percentile) of ``metric`` over seeds; NaNs when none."""
        v = self.values(metric)
        if len(v) == 0:
            return (math.nan, math.nan, math.nan)
        q25, med, q75 = np.percentile(v, [25, 50, 75])
        return float(med), float(q25), float(q75)

    def keys_text(self) -> str:
        """Every key of the configuration, one per line (the Pareto plot's hover)."""
        return "<br>".join(f"{k}={v}" for k, v in sorted(self.config.items()))


def flatten(config: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; lists become JSON text."""
    flat: dict[str, Any] = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= flatten(value, f"{name}.")
        elif isinstance(value, list):
            flat[name] = json.dumps(value)
        else:
            flat[name] = value
    return flat


def run_config_of(row: dict[str, Any]) -> dict[str, Any]:
    """The flattened config of a row, without seeds, ``run.*`` and ``results_dir``."""
    try:
        config = json.loads(row.get("config_json") or "{}")
    except (json.JSONDecodeError, TypeError):
        config = {}
    if not isinstance(config, dict):  # a hand-edited or foreign row: no config to group by
        config = {}
    flat = flatten(config)
    return {
        k: v
        for k, v in flat.items()
        if k not in SEED_KEYS and k != "results_dir" and not k.startswith("run.")
    }


def group_rows(rows: list[dict[str, Any]]) -> list[Group]:
    """Group rows by (mode, config minus seeds); label each group by the keys that vary, and
    by more keys where two labels would read the same."""
    groups: dict[tuple[str, str], Group] = {}
    for row in rows:
        config = run_config_of(row)
        mode = str(row.get("mode") or config.get("mode.name") or "?")
        key = (mode, json.dumps(config, sort_keys=True, default=str))
        groups.setdefault(key, Group(mode, config)).runs.append(row)
    result = list(groups.values())
    for mode in {g.mode for g in result}:
        mine = [g for g in result if g.mode == mode]
        keys = varying_keys([g.config for g in mine])
        parts = {id(g): label_parts(g, keys) for g in mine}
        _distinct_labels(mine, parts)
        for g in mine:
            g.label = ", ".join(parts[id(g)])
            g.rest = ", ".join(p for p in parts[id(g)] if not p.startswith("solver="))
    return sorted(result, key=lambda g: (g.mode, g.label))


def _distinct_labels(groups: list[Group], parts: dict[int, list[str]]) -> None:
    """Where labels collide, add every key in which the colliding configurations differ."""
    by_label: dict[str, list[Group]] = defaultdict(list)
    for g in groups:
        by_label[", ".join(parts[id(g)])].append(g)
    for same in by_label.values():
        if len(same) < 2:
            continue
        keys = sorted({k for g in same for k in g.config})
        differ = [k for k in keys if len({json.dumps(g.config.get(k)) for g in same}) > 1]
        for i, g in enumerate(same):
            parts[id(g)] += [f"{k}={g.config.get(k)}" for k in differ] or [f"#{i + 1}"]


def label_parts(group: Group, keys: list[str]) -> list[str]:
    """``["solver=greedy", "λ=0.5"]``: the given keys that this group has."""
    return [
        f"{SHORT.get(k, k.removeprefix('solver.'))}={group.config[k]}"
        for k in keys
        if k in group.config
    ]


def varying_keys(configs: list[dict[str, Any]]) -> list[str]:
    """The config keys whose values differ between ``configs`` (solver, objective, lambda and
    pricing first)."""
    keys = set().union(*configs) if configs else set()
    varying = set()
    for k in keys:
        head = k.split(".")[0]
        if head in _NAMED and k != f"{head}.name":
            # a parameter of one solver (objective, pricing) varies only among its runs
            by_name: dict[str, set[str]] = defaultdict(set)
            for c in configs:
                if k in c:
                    by_name[str(c.get(f"{head}.name"))].add(json.dumps(c[k], default=str))
            if any(len(values) > 1 for values in by_name.values()):
                varying.add(k)
        elif len({json.dumps(c.get(k), default=str) for c in configs}) > 1:
            varying.add(k)
    if len(configs) > 1:
        varying.add("solver.name")
    first = [k for k in _ORDER if k in varying]
    return first + sorted(varying - set(first))


def catalogued() -> dict[str, Metric]:
    """The metric catalogue by name, read when called (a plugin's or a test's additions
    included)."""
    return {metric.name: metric for metric in catalogue.CATALOGUE}


def metric_of(column: str) -> Metric | None:
    """The catalogue's entry for an ``m_<name>`` column, or None."""
    return catalogued().get(column.removeprefix("m_")) if column.startswith("m_") else None


def ordered_metrics(rows: list[dict[str, Any]]) -> list[str]:
    """The ``m_*`` columns of ``rows`` in the catalogue's order; unknown ones after, by name."""
    found = {k for r in rows for k in r if k.startswith("m_")}
    known = [f"m_{m}" for m in catalogued() if f"m_{m}" in found]
    return known + sorted(found - set(known))


def by_section(columns: list[str]) -> list[tuple[str, list[str]]]:
    """``columns`` under their catalogue section (catalogue order), then those the catalogue
    does not know under :data:`UNCATALOGUED`."""
    known = catalogued()
    sections = []
    for section in catalogue.Section:
        mine = [f"m_{m.name}" for m in known.values() if m.section is section]
        if chosen := [c for c in mine if c in columns]:
            sections.append((section.value, chosen))
    if unknown := sorted(c for c in columns if metric_of(c) is None):
        sections.append((UNCATALOGUED, unknown))
    return sections


def better(column: str) -> Better:
    """Which way ``column`` improves (``Better.NONE`` for one the catalogue does not know)."""
    metric = metric_of(column)
    return metric.better if metric else Better.NONE


def unit(column: str, cur: str | None) -> str:
    """The column's unit, the market's currency spelt out; empty when uncatalogued."""
    metric = metric_of(column)
    return metric.unit_in(cur) if metric else ""


def currency(groups: list[Group]) -> str | None:
    """The currency of the markets that ran (the resolved market) when they agree, else None."""
    found = {g.config.get("market.currency") for g in groups} - {None, ""}
    return found.pop() if len(found) == 1 else None


def axis_label(column: str, cur: str | None) -> str:
    """``welfare (USD)``: a metric's name with its unit from the catalogue."""
    name, text = column.removeprefix("m_"), unit(column, cur or "currency units")
    return f"{name} ({text})" if text else name


def describe(column: str, cur: str | None) -> str:
    """``net_per_hour (USD/h): all worker pay minus vehicle costs / all online hours``."""
    metric = metric_of(column)
    text = axis_label(column, cur)
    return f"{text}: {metric.definition}" if metric else text


def concurrent(row: dict[str, Any]) -> int:
    """How many runs ran at once beside this one (measured; older rows: the launcher's jobs)."""
    for key in ("env_concurrent_runs", "env_n_jobs"):
        value = row.get(key)
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    return 1


def run_table(results_dir: Path, row: dict[str, Any], name: str):
    """``runs/<run_id>/<name>`` of a row, or None when the row has no run id or the file is
    missing or unreadable (a report shows what it can; ``gigbench-collect`` warns likewise)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rid = row.get("run_id")
    if not isinstance(rid, str) or not rid:
        return None
    path = results_dir / "runs" / rid / name
    if not path.is_file():
        return None
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowInvalid):
        return None


def load(results_dir: Path, *, collect_first: bool = True) -> list[dict[str, Any]]:
    """The rows of ``results_dir`` (collected first unless told not to)."""
    import pyarrow.parquet as pq

    from gigbench.harness.collect import RESULTS_FILE, collect

    path = collect(results_dir) if collect_first else Path(results_dir) / RESULTS_FILE
    return pq.read_table(path).to_pylist()
