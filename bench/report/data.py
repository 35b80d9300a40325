"""The report's data: rows grouped into configurations (the config minus its seeds), labels
that tell configurations apart, metrics in the README's order with units from the market.

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

SEED_KEYS = ("instance.seed", "mode.seed")
# The README's metric tables, in order: efficiency, fairness, timing; then static mode's.
METRIC_ORDER = (
    "requests", "match_rate", "abandonment", "declined", "offers_refused", "welfare",
    "gross_fares", "platform_revenue", "worker_pay", "driver_pay_share", "wait_p50_s",
    "wait_p90_s", "pickup_km_mean", "utilisation", "passenger_utilisation", "cruise_km_share",
    "surge_share", "paid_below_cost", "pay_topup", "topped_up_share",
    "gini", "jain", "hourly_pay_mean", "hourly_pay_p10", "hourly_pay_min", "hourly_net_mean",
    "hourly_net_p10", "hourly_net_min", "below_min_wage", "zone_worst_served",
    "zone_service_gini", "group_hourly_gap", "workers_online", "net_per_hour",
    "batches", "solve_s_per_batch", "solve_s_total", "edge_s_per_batch", "edge_s_total",
    "problems", "skipped", "optimal_share", "max_gap_to_optimum", "solve_s_median",
)  # fmt: skip
# metrics where less is better (the rest: more is better)
LOWER_IS_BETTER = {
    "m_gini", "m_below_min_wage", "m_zone_service_gini", "m_group_hourly_gap", "m_abandonment",
    "m_paid_below_cost",
    "m_wait_p50_s", "m_wait_p90_s", "m_pickup_km_mean", "m_solve_s_per_batch", "m_solve_s_total",
    "m_solve_s_median", "m_edge_s_per_batch", "m_edge_s_total", "m_max_gap_to_optimum",
    "m_declined", "m_offers_refused",
}  # fmt: skip
UNITS = {
    "m_welfare": "total welfare: rider value minus worker cost ({cur})",
    "m_match_rate": "match rate (share of requests served)",
    "m_platform_revenue": "platform revenue ({cur})",
    "m_worker_pay": "total worker pay ({cur})",
    "m_gross_fares": "gross fares ({cur})",
    "m_utilisation": "utilisation (busy / online hours)",
    "m_gini": "Gini of earnings per online hour (0 = equal)",
    "m_jain": "Jain index of earnings per online hour (1 = equal)",
    "m_hourly_pay_min": "lowest earnings per online hour ({cur}/h)",
    "m_hourly_pay_p10": "10th percentile of earnings per online hour ({cur}/h)",
    "m_hourly_net_mean": "mean earnings per online hour after vehicle costs ({cur}/h)",
    "m_hourly_net_p10": "10th percentile of earnings per online hour after costs ({cur}/h)",
    "m_below_min_wage": "share of workers below the minimum wage",
    "m_zone_worst_served": "served share of the worst-served zone",
    "m_zone_service_gini": "Gini of served shares over zones",
    "m_group_hourly_gap": "hourly-pay gap between worker groups ({cur}/h)",
    "m_wait_p50_s": "median rider wait (s)",
    "m_wait_p90_s": "90th percentile rider wait (s)",
}
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
        for g in mine:
            g.label = label(g, keys)
        _distinct_labels(mine)
    return sorted(result, key=lambda g: (g.mode, g.label))


def _distinct_labels(groups: list[Group]) -> None:
    """Where labels collide, add every key in which the colliding configurations differ."""
    by_label: dict[str, list[Group]] = defaultdict(list)
    for g in groups:
        by_label[g.label].append(g)
    for same in by_label.values():
        if len(same) < 2:
            continue
        keys = sorted({k for g in same for k in g.config})
        differ = [k for k in keys if len({json.dumps(g.config.get(k)) for g in same}) > 1]
        for i, g in enumerate(same):
            extra = ", ".join(f"{k}={g.config.get(k)}" for k in differ) or f"#{i + 1}"
            g.label = f"{g.label}, {extra}" if g.label else extra


def label(group: Group, keys: list[str]) -> str:
    """``solver=greedy, λ=0.5``: the given keys that this group has."""
    return ", ".join(
        f"{SHORT.get(k, k.removeprefix('solver.'))}={group.config[k]}"
        for k in keys
        if k in group.config
    )


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


def ordered_metrics(rows: list[dict[str, Any]]) -> list[str]:
    """The ``m_*`` columns of ``rows`` in the README's order; unknown ones after, by name."""
    found = {k for r in rows for k in r if k.startswith("m_")}
    known = [f"m_{m}" for m in METRIC_ORDER if f"m_{m}" in found]
    return known + sorted(found - set(known))


def currency(groups: list[Group]) -> str:
    """The currency of the markets that ran (the resolved market), else ``currency units``."""
    found = {g.config.get("market.currency") for g in groups} - {None, ""}
    return found.pop() if len(found) == 1 else "currency units"


def axis_label(metric: str, cur: str) -> str:
    """A metric's name with its unit."""
    return UNITS.get(metric, metric.removeprefix("m_")).format(cur=cur)


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
