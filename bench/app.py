"""The ``gigbench`` command: a Hydra app around :func:`run_config`.

``run_config`` is a plain function of a composed config (tests call it through
``hydra.compose``); ``main`` checks every override of every sweep point before anything runs, so
a typo or an unknown option ends in one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import hydra
from omegaconf import DictConfig, OmegaConf

import configs
from bench.execute import ConfigError, build_solver, check, execute
from bench.isolate import RunFailed, register_harness, run_harnessed
from bench.results import environment, run_id, write_run
from bench.schemas import register_schemas

CONFIG_DIR = str(Path(configs.__file__).resolve().parent)
register_harness()  # the run schema, and solvers named in GIGBENCH_PLUGINS
register_schemas()


class UserError(Exception):
    """A mistake in the command line, config or input files: shown as one line, exit 2."""


def run_config(cfg: DictConfig) -> dict[str, Any]:
    """Run one configuration end to end; write and return its results row."""
    started = time.perf_counter()
    config = OmegaConf.to_container(cfg, resolve=True)
    solver = build_solver(cfg)
    metrics, tables = execute(cfg, solver, Path(cfg.results_dir) / "runs" / run_id(config))
    row = {
        "run_id": run_id(config),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": "ok",
        "message": "",
        "mode": cfg.mode.name,
        "solver": cfg.solver.name,
        "instance": cfg.instance.name,
        "seed": int(cfg.instance.seed),
        "objective": cfg.objective.name,
        "pricing": cfg.pricing.name,
        "lambda": float(cfg.objective.get("lambda", 0.0)),
        "config_json": json.dumps(config, sort_keys=True),
        "wall_seconds": time.perf_counter() - started,
    }
    row |= {f"m_{key}": float(value) for key, value in metrics.items()}
    row |= {f"env_{key}": value for key, value in environment().items()}
    path = write_run(Path(cfg.results_dir), row, tables)
    _print_summary(row, path)
    return row


_FAIRNESS = {
    "gini",
    "jain",
    "min_hourly",
    "p10_hourly",
    "below_min_wage",
    "zone_service_gap",
    "group_hourly_gap",
}
_TIMING = {
    "batches",
    "solve_s_per_batch",
    "solve_s_total",
    "edge_s_per_batch",
    "edge_s_total",
    "solve_s_median",
}


def _print_summary(row: dict[str, Any], path: Path) -> None:
    print(
        f"gigbench {row['mode']}: solver={row['solver']} objective={row['objective']} "
        f"pricing={row['pricing']} instance={row['instance']} seed={row['seed']}"
    )
    metrics = {k[2:]: v for k, v in row.items() if k.startswith("m_")}
    sections = {
        "efficiency": [k for k in metrics if k not in _FAIRNESS | _TIMING],
        "fairness (earnings per online hour)": [k for k in metrics if k in _FAIRNESS],
        "timing (seconds)": [k for k in metrics if k in _TIMING],
    }
    for title, keys in sections.items():
        if keys:
            print(f"  {title}")
            for key in keys:
                print(f"    {key:<22} {metrics[key]:>14.4g}")
    print(f"  row written to {path}")


def _user_errors() -> tuple[type[BaseException], ...]:
    return (
        UserError,
        ConfigError,
        ValueError,
        TypeError,
        KeyError,
        FileNotFoundError,
        PermissionError,
    )


def error_line(exc: BaseException) -> str:
    """Hydra's multi-line messages folded into one line, with the cause that explains them."""
    parts = [str(exc)]
    if exc.__cause__ is not None and str(exc.__cause__) not in parts[0]:
        parts.append(str(exc.__cause__).splitlines()[0])
    text = " ".join(line.strip() for part in parts for line in part.splitlines() if line.strip())
    text = re.sub(r"\s*Config search path:.*", "", text)
    text = re.sub(r"\s*Set the environment variable HYDRA_FULL_ERROR.*", "", text)
    text = re.sub(r"Available options in '([\w/]+)':(.*)", _options, text)
    return text.strip() or type(exc).__name__


def _options(match: re.Match) -> str:
    names = [n for n in match.group(2).split() if not n.endswith("_schema")]
    return f"available options in '{match.group(1)}': {', '.join(names)}"


def fail(exc: BaseException) -> None:
    """Print one line for a user's mistake and exit 2 (GIGBENCH_DEBUG=1 re-raises)."""
    if os.environ.get("GIGBENCH_DEBUG"):
        raise exc
    print(f"gigbench: error: {error_line(exc)}", file=sys.stderr)
    sys.exit(2)


@hydra.main(config_path=CONFIG_DIR, config_name="config", version_base="1.3")
def _hydra_main(cfg: DictConfig) -> None:
    try:
        run_harnessed(cfg, "bench.app:run_config", _user_errors())
    except _user_errors() as exc:
        fail(exc)
    except RunFailed as exc:  # recorded as a row; one line and exit 1, like any failed command
        print(f"gigbench: {exc}", file=sys.stderr)
        sys.exit(1)


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


def check_overrides(args: list[str]) -> None:
    """Compose the config for every point of the sweep the overrides (and an experiment's own
    sweeper params) describe and build its parts, so mistakes surface before any run starts."""
    from hydra import compose, initialize_config_dir

    overrides = [a for a in args if not a.startswith("-") and "=" in a]
    choices = _choices(overrides)
    with initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"):
        first = [values[0] for values in choices.values()]
        base = compose(config_name="config", overrides=first, return_hydra_config=True)
        sweep = base.hydra.sweeper.get("params") or {}
        # The command line wins over an experiment's sweep of the same key.
        extra = [f"{k}={v}" for k, v in sweep.items() if k not in choices]
        choices |= _choices(extra)
        # Every value of every key, each beside the first value of the others: a typo anywhere
        # is caught without composing the whole product of a large sweep.
        base_point = [values[0] for values in choices.values()]
        points = [base_point] + [
            [*base_point[:i], value, *base_point[i + 1 :]]
            for i, values in enumerate(choices.values())
            for value in values[1:]
        ]
        for point in points:
            check(compose(config_name="config", overrides=point))


def main() -> None:
    """Console entry point of ``gigbench``."""
    args = sys.argv[1:]
    if not any(a in ("--help", "-h", "--hydra-help", "--info", "-i") for a in args):
        try:
            check_overrides(args)
        except Exception as exc:  # every composition error is the user's to fix
            fail(exc)
    _hydra_main()


if __name__ == "__main__":
    main()
