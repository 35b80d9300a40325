"""What one run does, by mode: build the market and simulate it, or solve a problem set."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pyarrow as pa
from omegaconf import DictConfig, OmegaConf, open_dict

from bench.errors import ConfigError
from bench.objectives import get_objective
from bench.pricing import get_pricing
from bench.recording import read_recording
from bench.simulate import SimulationError, SimulationSettings, simulate
from bench.static import orlib_problems, random_problems, solve_all
from instances import generate
from solvers import Solver, get_solver


def build_solver(cfg: DictConfig) -> Solver:
    """The solver named by ``cfg.solver`` with its parameters."""
    params = {k: v for k, v in OmegaConf.to_container(cfg.solver).items() if k != "name"}
    return get_solver(cfg.solver.name, **params)


def build_pricing(cfg: DictConfig):
    """The pricing policy named by ``cfg.pricing`` with its parameters."""
    params = {k: v for k, v in OmegaConf.to_container(cfg.pricing).items() if k != "name"}
    return get_pricing(cfg.pricing.name, **params)


def objective_lambda(cfg: DictConfig) -> float:
    """The fairness weight lambda of the objective (0 when the objective has none)."""
    get_objective(cfg.objective.name)
    lam = cfg.objective.get("lambda", 0.0)
    if isinstance(lam, bool) or not isinstance(lam, int | float) or lam < 0:
        raise ConfigError(f"objective.lambda: expected a number >= 0, got {lam!r}")
    return float(lam)


def _require(ok: bool, key: str, expected: str, got: Any) -> None:
    if not ok:
        raise ConfigError(f"{key}: expected {expected}, got {got!r}")


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def settings(cfg: DictConfig) -> SimulationSettings:
    """Simulation settings from the mode, market and objective groups."""
    mode, market = cfg.mode, cfg.market
    _require(
        _finite(mode.interval_s) and mode.interval_s > 0,
        "mode.interval_s",
        "seconds > 0 between batches (e.g. 30)",
        mode.interval_s,
    )
    _require(mode.k >= 1, "mode.k", "at least 1 candidate worker per task (e.g. 10)", mode.k)
    _require(
        _finite(mode.radius_km) and mode.radius_km > 0,
        "mode.radius_km",
        "a distance > 0 in km (e.g. 3)",
        mode.radius_km,
    )
    _require(
        _finite(mode.detour) and mode.detour >= 1,
        "mode.detour",
        "a road/straight-line factor >= 1 (e.g. 1.3)",
        mode.detour,
    )
    _require(
        _finite(market.cost_per_km) and market.cost_per_km >= 0,
        "market.cost_per_km",
        "a cost >= 0",
        market.cost_per_km,
    )
    _require(
        _finite(market.min_wage_per_h) and market.min_wage_per_h >= 0,
        "market.min_wage_per_h",
        "an hourly wage >= 0",
        market.min_wage_per_h,
    )
    return SimulationSettings(
        interval_s=cfg.mode.interval_s,
        k=cfg.mode.k,
        radius_km=cfg.mode.radius_km,
        detour=cfg.mode.detour,
        cost_per_km=cfg.market.cost_per_km,
        min_wage=cfg.market.min_wage_per_h,
        lam=objective_lambda(cfg),
        progress=cfg.mode.progress,
    )


def check(cfg: DictConfig) -> None:
    """Build every part a run needs from ``cfg`` without running anything."""
    build_solver(cfg)
    if cfg.mode.name == "simulate":
        from instances.generators import generator_params

        params = OmegaConf.to_container(cfg.instance)
        generator_params(cfg.instance.name)(
            **{k: v for k, v in params.items() if k not in ("name", "seed")}
        )
        build_pricing(cfg)
        settings(cfg)
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


# market=auto picks the market of the instance's currency (configs/market/<name>.yaml).
MARKET_FOR_CURRENCY = {"USD": "nyc", "IDR": "jakarta"}


def market_for(cfg: DictConfig, currency: str | None) -> DictConfig:
    """``cfg`` with ``market=auto`` replaced by the market of ``currency``."""
    if cfg.market.name != "auto":
        return cfg
    if currency not in MARKET_FOR_CURRENCY:
        raise ConfigError(
            f"market=auto knows the markets of {sorted(MARKET_FOR_CURRENCY)}, the instance is "
            f"priced in {currency!r}; pass market=<name> with its currency, cost and minimum wage"
        )
    folder = Path(__file__).resolve().parents[1] / "configs" / "market"
    chosen = OmegaConf.load(folder / f"{MARKET_FOR_CURRENCY[currency]}.yaml")
    chosen.pop("defaults", None)
    resolved = cfg.copy()
    with open_dict(resolved):
        resolved.market = OmegaConf.merge(resolved.market, chosen)
    return resolved


def execute(
    cfg: DictConfig, solver: Solver, run_dir: Path
) -> tuple[dict[str, float], dict[str, pa.Table]]:
    """Run ``cfg`` with ``solver``; return metrics and the tables to save beside the row."""
    if cfg.mode.name == "simulate":
        config: dict[str, Any] = OmegaConf.to_container(cfg.instance, resolve=True)
        params = {k: v for k, v in config.items() if k not in ("name", "seed")}
        scenario = generate(cfg.instance.name, params, seed=cfg.instance.seed)
        currency = scenario.meta.get("currency")
        cfg = market_for(cfg, currency)
        if currency and cfg.market.currency and currency != cfg.market.currency:
            raise ConfigError(
                f"instance {cfg.instance.name!r} is priced in {currency} but market "
                f"{cfg.market.name!r} in {cfg.market.currency}; choose a market in {currency} "
                "(e.g. market=jakarta for IDR, market=nyc for USD)"
            )
        try:
            result = simulate(
                scenario,
                solver,
                cfg.objective.name,
                build_pricing(cfg),
                settings(cfg),
                record_to=run_dir / "recording" if cfg.mode.record else None,
            )
        except SimulationError as exc:
            raise ConfigError(str(exc)) from None
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
