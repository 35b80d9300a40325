"""What one run does, by mode: build the market and simulate it, or solve a problem set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
from omegaconf import DictConfig, OmegaConf

from bench.errors import ConfigError
from bench.sim import build_spec, check_config, simulate
from bench.sim.recording import read_recording
from bench.static import orlib_problems, random_problems, solve_all
from instances import generate
from solvers import Solver, get_solver


def build_solver(cfg: DictConfig) -> Solver:
    """The solver named by ``cfg.solver`` with its parameters."""
    params = {k: v for k, v in OmegaConf.to_container(cfg.solver).items() if k != "name"}
    return get_solver(cfg.solver.name, **params)


def check(cfg: DictConfig) -> None:
    """Build every part a run needs from ``cfg`` without running anything."""
    solver = build_solver(cfg)
    if cfg.mode.name == "simulate":
        from instances.generators import generator_params

        params = OmegaConf.to_container(cfg.instance)
        generator_params(cfg.instance.name)(
            **{k: v for k, v in params.items() if k not in ("name", "seed")}
        )
        check_config(cfg, solver)
        _require(
            0 <= cfg.instance.seed < 2**63,
            "instance.seed",
            "an integer in [0, 2**63)",
            cfg.instance.seed,
        )
    elif cfg.mode.name == "static":
        problems = cfg.mode.problems
        valid = ("orlib", "recording", "random")
        _require(problems in valid, "mode.problems", f"one of {valid}", problems)
        _require(cfg.mode.repeats >= 1, "mode.repeats", "at least 1", cfg.mode.repeats)
        _require(cfg.mode.seed >= 0, "mode.seed", "an integer >= 0", cfg.mode.seed)
        if problems == "random":
            sizes = list(cfg.mode.sizes)
            _require(min(sizes, default=0) >= 0, "mode.sizes", "sizes >= 0", sizes)


def _require(ok: bool, key: str, expected: str, got: Any) -> None:
    if not ok:
        raise ConfigError(f"{key}: expected {expected}, got {got!r}")


def execute(
    cfg: DictConfig, solver: Solver, run_dir: Path
) -> tuple[dict[str, float], dict[str, pa.Table]]:
    """Run ``cfg`` with ``solver``; return metrics and the tables to save beside the row."""
    if cfg.mode.name == "simulate":
        config: dict[str, Any] = OmegaConf.to_container(cfg.instance, resolve=True)
        params = {k: v for k, v in config.items() if k not in ("name", "seed")}
        scenario = generate(cfg.instance.name, params, seed=cfg.instance.seed)
        spec = build_spec(cfg, solver, scenario.meta)
        record_to = run_dir / "recording" if cfg.mode.record else None
        result = simulate(scenario, solver, spec, record_to=record_to)
        return result.metrics, result.tables
    if cfg.mode.name == "static":
        if cfg.mode.problems in ("orlib", "recording") and not cfg.mode.path:
            raise ConfigError(f"mode.problems={cfg.mode.problems} needs mode.path=<file or folder>")
        if cfg.mode.problems == "orlib":
            problems = orlib_problems(cfg.mode.path)
        elif cfg.mode.problems == "recording":
            problems = read_recording(cfg.mode.path)
        elif cfg.mode.problems == "random":
            problems = random_problems(list(cfg.mode.sizes), cfg.mode.seed)
        else:
            raise ConfigError(
                "mode.problems: expected 'orlib', 'recording' or 'random', got "
                f"{cfg.mode.problems!r}"
            )
        metrics, table = solve_all(solver, problems, cfg.mode.repeats)
        return metrics, {"problems": table}
    raise ConfigError(f"mode.name: expected 'simulate' or 'static', got {cfg.mode.name!r}")
