"""The ``gigbench`` command: a Hydra app around :func:`run_config`.

``run_config`` is a plain function of a composed config (tests call it through
``hydra.compose``); ``main`` checks every override of every sweep point before anything runs, so
a typo or an unknown option ends in one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import itertools
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
from bench.pricing import Tariff
from bench.results import environment, run_id, write_run
from bench.schemas import register_schemas
from bench.simulate import simulate
from bench.static import orlib_problems, random_problems, solve_all
from instances import generate
from solvers import get_solver

CONFIG_DIR = str(Path(configs.__file__).resolve().parent)
register_schemas()


class UserError(Exception):
    """A mistake in the command line, config or input files: shown as one line, exit 2."""


def build_solver(cfg: DictConfig):
    """The solver named by ``cfg.solver`` with its parameters."""
    params = {k: v for k, v in OmegaConf.to_container(cfg.solver).items() if k != "name"}
    return get_solver(cfg.solver.name, **params)


def run_config(cfg: DictConfig) -> dict[str, Any]:
    """Run one configuration end to end; write and return its results row."""
    started = time.perf_counter()
    config = OmegaConf.to_container(cfg, resolve=True)
    solver = build_solver(cfg)
    tables = {}
    if cfg.mode.name == "simulate":
        instance = {k: v for k, v in config["instance"].items() if k not in ("name", "seed")}
        scenario = generate(cfg.instance.name, instance, seed=cfg.instance.seed)
        market = cfg.market
        tariff = Tariff(
            market.base_fare, market.per_km, market.per_min, market.min_fare, market.commission
        )
        result = simulate(
            scenario,
            solver,
            cfg.objective.name,
            tariff,
            interval_s=cfg.mode.interval_s,
            k=cfg.mode.k,
            radius_km=cfg.mode.radius_km,
            detour=cfg.mode.detour,
            cost_per_km=market.cost_per_km,
            min_wage=market.min_wage_per_h,
            progress=cfg.mode.progress,
        )
        metrics = result.metrics
        tables = {"batches": result.batches, "workers": result.workers}
    elif cfg.mode.name == "static":
        if cfg.mode.problems == "orlib":
            if not cfg.mode.path:
                raise UserError("mode.problems=orlib needs mode.path=<file or folder>")
            problems = orlib_problems(cfg.mode.path)
        elif cfg.mode.problems == "random":
            problems = random_problems(list(cfg.mode.sizes), cfg.mode.seed)
        else:
            raise UserError(
                f"mode.problems: expected 'orlib' or 'random', got {cfg.mode.problems!r}"
            )
        metrics, table = solve_all(solver, problems, cfg.mode.repeats)
        tables = {"problems": table}
    else:
        raise UserError(f"mode.name: expected 'simulate' or 'static', got {cfg.mode.name!r}")
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
        "config_json": json.dumps(config, sort_keys=True),
        "wall_seconds": time.perf_counter() - started,
    }
    row |= {f"m_{key}": float(value) for key, value in metrics.items()}
    row |= {f"env_{key}": value for key, value in environment().items()}
    path = write_run(Path(cfg.results_dir), row, tables)
    _print_summary(row, path)
    return row


def _print_summary(row: dict[str, Any], path: Path) -> None:
    print(
        f"gigbench {row['mode']}: solver={row['solver']} objective={row['objective']} "
        f"instance={row['instance']} seed={row['seed']}"
    )
    for key, value in row.items():
        if key.startswith("m_"):
            print(f"  {key[2:]:<22} {value:>14.4g}")
    print(f"  row written to {path}")


def _user_errors() -> tuple[type[BaseException], ...]:
    return (UserError, ValueError, TypeError, KeyError, FileNotFoundError, PermissionError)


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
        run_config(cfg)
    except _user_errors() as exc:
        fail(exc)


def check_overrides(args: list[str]) -> None:
    """Compose the config for every point of the sweep the overrides describe and build its
    solver and instance parameters, so mistakes surface before any run starts."""
    from hydra import compose, initialize_config_dir
    from hydra.core.override_parser.overrides_parser import OverridesParser

    overrides = [a for a in args if not a.startswith("-") and "=" in a]
    parsed = OverridesParser.create().parse_overrides(overrides)
    choices = []
    for override in parsed:
        if override.key_or_group.startswith("hydra"):
            continue
        prefix = override.input_line.split(override.key_or_group, 1)[0]
        values = (
            list(override.sweep_string_iterator())
            if override.is_sweep_override()
            else [override.get_value_element_as_str()]
        )
        choices.append([f"{prefix}{override.key_or_group}={v}" for v in values])
    with initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"):
        for point in itertools.islice(itertools.product(*choices), 1000):
            cfg = compose(config_name="config", overrides=list(point))
            build_solver(cfg)
            if cfg.mode.name == "simulate":
                from instances.generators import generator_params

                params = OmegaConf.to_container(cfg.instance)
                generator_params(cfg.instance.name)(
                    **{k: v for k, v in params.items() if k not in ("name", "seed")}
                )


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
