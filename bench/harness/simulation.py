"""The harness's only contact with the simulation: settings, pricing, lambda, market, run.

Kept together and unchanged inside so that the simulation rewrite (``bench.sim``) replaces this
module with ``bench.sim.spec_from_config(cfg)`` and ``bench.sim.simulate(...)``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf, open_dict

import configs
from bench.errors import ConfigError
from bench.harness.outputs import RunOutput
from bench.objectives import get_objective
from bench.pricing import get_pricing
from bench.simulate import SimulationError, SimulationSettings, simulate
from solvers import Solver


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
    """Build every part a simulation needs from ``cfg`` without running anything."""
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
    folder = Path(configs.__file__).resolve().parent / "market"
    chosen = OmegaConf.load(folder / f"{MARKET_FOR_CURRENCY[currency]}.yaml")
    chosen.pop("defaults", None)
    resolved = cfg.copy()
    with open_dict(resolved):
        resolved.market = OmegaConf.merge(resolved.market, chosen)
    return resolved


def execute(cfg: DictConfig, solver: Solver, run_dir: Path) -> RunOutput:
    """Generate (or replay) the instance and simulate it with ``solver``."""
    from instances import generate

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
    return RunOutput(
        result.metrics,
        result.tables,
        resolved=OmegaConf.to_container(cfg, resolve=True),
        replay=_replay_counts(scenario.meta.get("replay")),
    )


def _replay_counts(report: dict[str, Any] | None) -> dict[str, int] | None:
    """Input, kept and dropped rows of a replayed trip log (None for generated instances)."""
    if not report:
        return None
    dropped = report.get("dropped") or {}
    return {
        "input_rows": int(report.get("input_rows", 0)),
        "kept_rows": int(report.get("kept_rows", 0)),
        "dropped_rows": int(sum(dropped.values())),
    }
