"""A single run's summary on the console: a header with the options as the user chose them, then
each metric of the row under its catalogue section (:mod:`gigbench.market.catalogue`), with its
unit."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from gigbench.harness import rows
from gigbench.market.catalogue import CATALOGUE, Section, lookup

# What names a run of each mode in the header (beside every key the user set).
_SIMULATE_KEYS = ("instance", "solver", "objective", "pricing", "instance.seed")
_STATIC_KEYS = {
    "random": ("solver", "mode.problems", "mode.sizes", "mode.seed"),
    "orlib": ("solver", "mode.problems", "mode.path"),
    "recording": ("solver", "mode.problems", "mode.path"),
}
UNCATALOGUED = "not in the metric catalogue"


def _config(row: Mapping[str, Any]) -> dict[str, Any]:
    """The config that ran, as the row records it."""
    try:
        config = json.loads(row.get("config_json") or "{}")
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


def _key(override: str) -> str:
    return override.split("=", 1)[0].lstrip("+~")


def header(
    row: Mapping[str, Any], choices: Mapping[str, str], overrides: Sequence[str] = ()
) -> str:
    """``gigbench simulate: instance=city solver=hungarian ... pricing=surge_capped``: the
    options of the run's groups as chosen (an ``auto`` choice with what it resolved to), its
    seed, then every other key the user set, as given."""
    config = OmegaConf.create(_config(row))
    mode = row.get("mode") or "?"
    if mode == "static":
        keys = _STATIC_KEYS.get(str(OmegaConf.select(config, "mode.problems")), ("solver",))
    else:
        keys = _SIMULATE_KEYS
    shown = []
    for key in keys:
        if "." in key:
            value = OmegaConf.select(config, key)
            shown.append(f"{key}={_plain(value)}")
            continue
        ran = OmegaConf.select(config, f"{key}.name")
        chosen = choices.get(key) or ran
        resolved = f" ({ran})" if chosen == "auto" and ran not in (None, "auto") else ""
        shown.append(f"{key}={chosen}{resolved}")
    rest = [o for o in overrides if _key(o) not in (*keys, "mode")]  # the mode leads the line
    return f"gigbench {mode}: " + " ".join([*shown, *rest])


def _plain(value: Any) -> str:
    if OmegaConf.is_config(value):
        return json.dumps(OmegaConf.to_container(value)).replace(" ", "")
    return str(value)


def sections(row: Mapping[str, Any]) -> dict[str, list[str]]:
    """The row's metric names (without ``m_``) by section title, in catalogue order; a metric
    the catalogue does not know goes last, under :data:`UNCATALOGUED`."""
    present = {k[2:] for k in row if k.startswith("m_")}
    grouped: dict[str, list[str]] = {}
    for section in Section:
        names = [m.name for m in CATALOGUE if m.section is section and m.name in present]
        if names:
            grouped[section.value] = names
    unknown = sorted(name for name in present if lookup(name) is None)
    if unknown:
        grouped[UNCATALOGUED] = unknown
    return grouped


def print_summary(
    row: Mapping[str, Any],
    results_dir: Path,
    choices: Mapping[str, str] | None = None,
    overrides: Sequence[str] = (),
    recomputed: bool = True,
) -> None:
    """Print a single run's header and metrics, each under its section with its unit."""
    print(header(row, choices or {}, overrides))
    currency = OmegaConf.select(OmegaConf.create(_config(row)), "market.currency") or None
    for title, names in sections(row).items():
        print(f"  {title}")
        for name in names:
            value = row[f"m_{name}"]
            metric = lookup(name)
            unit = metric.unit_in(currency) if metric else ""
            number = value if value is not None else float("nan")
            print(f"    {name:<27} {number:>12.4g}  {unit}".rstrip())
    path = rows.row_path(results_dir, row["run_id"])
    if recomputed:
        print(f"  row written to {path}")
    else:
        print(f"  row read from {path}: not recomputed (run.redo=true recomputes it)")
