"""From a composed config to a simulation spec: settings, plugins and the resolved market.

Two entry points for the harness:

* :func:`check_config` (no scenario yet): builds every plugin from its group and checks the
  settings and how the parts fit (a pricing policy that needs the welfare objective or an
  exact solver; repositioning on a market without geography), so a mistake surfaces before any
  run starts. Every problem is a :class:`gigbench.errors.ConfigError` or an
  :class:`gigbench.solvers.registry.UnknownNameError`, with the key, what was expected and the fix.
* :func:`build_spec` (with the scenario): the same, plus ``market=auto`` resolved from the
  scenario's currency, ``reposition=auto`` from the scenario's drivers (``meta["reposition"]``:
  how the preset's drivers behave when idle, as calibrated) and ``pricing=auto`` from the
  scenario's market (``meta["pricing"]``: a replay's recorded fares; else the tariff).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from gigbench.errors import ConfigError
from gigbench.market.objective import OBJECTIVES, Objective
from gigbench.market.pay_rule import PAY_RULES, PayRule
from gigbench.market.pay_rule.base import apply_floor
from gigbench.market.plugin import build
from gigbench.market.pricing import PRICING, PricingPolicy
from gigbench.market.reposition import REPOSITIONING, Repositioning
from gigbench.market.supply import SUPPLY, SupplyPolicy
from gigbench.resources import config_tree
from gigbench.sim.days import check_days

__all__ = [
    "MARKET_FOR_CURRENCY",
    "MarketConfig",
    "Settings",
    "SimSpec",
    "SimulateConfig",
    "build_spec",
    "check_config",
    "resolve_market",
]


@dataclasses.dataclass
class MarketConfig:
    """The market's currency; each vehicle type's running cost per km (it decides whether a
    job pays) and fixed cost per online hour (licences, insurance, the phone: sunk once the
    shift starts, so it only lowers earnings after costs); the minimum wage fairness is
    measured against. Fares and commission are the ``pricing`` group's."""

    name: str = "nyc"
    currency: str = "USD"
    cost_per_km_car: float = 0.36
    cost_per_km_motorbike: float = 0.2
    cost_per_online_h_car: float = 0.0
    cost_per_online_h_motorbike: float = 0.0
    min_wage_per_h: float = 16.50


@dataclasses.dataclass
class SimulateConfig:
    """Closed-loop simulation: a batch every ``interval_s``; each open task sees its ``k``
    nearest idle workers within ``radius_km`` (straight line times ``detour``);
    ``zone_min_requests``: zones with fewer requests are left out of the zone service
    figures; ``fairness_min_hours``: workers online for less than this are left out of the pay
    fairness figures (an hourly rate over a few minutes online is noise); ``days``: how many days
    the run lasts, each with its own demand, the fleet carried over (:mod:`gigbench.sim.days`)."""

    name: str = "simulate"
    days: int = 1
    interval_s: float = 30.0
    k: int = 10
    radius_km: float = 3.0
    detour: float = 1.3
    zone_min_requests: int = 50
    fairness_min_hours: float = 1.0
    progress: bool = False
    record: bool = False


VEHICLES = ("car", "motorbike")


@dataclasses.dataclass(frozen=True)
class Settings:
    """What the stages read besides their plugins. ``cost_per_km`` and ``cost_per_online_h``
    map a vehicle type to its running cost per km and fixed cost per online hour (a single
    number: every vehicle alike; a worker with no vehicle type listed, a freelancer, pays
    none)."""

    interval_s: float = 30.0
    k: int = 10
    radius_km: float = 3.0
    detour: float = 1.3
    cost_per_km: Mapping[str, float] | float = 0.15
    cost_per_online_h: Mapping[str, float] | float = 0.0
    min_wage: float = 0.0
    zone_min_requests: int = 50
    fairness_min_hours: float = 1.0
    progress: bool = False
    days: int = 1

    def __post_init__(self) -> None:
        for name in ("cost_per_km", "cost_per_online_h"):
            value = getattr(self, name)
            if not isinstance(value, Mapping):
                object.__setattr__(self, name, dict.fromkeys(VEHICLES, value))


@dataclasses.dataclass
class SimSpec:
    """Everything a simulation runs with besides the scenario and the solver."""

    settings: Settings
    pricing: PricingPolicy
    objective: Objective
    reposition: Repositioning
    supply: SupplyPolicy
    pay_rule: PayRule
    market: dict[str, Any]

    def describe(self) -> dict[str, Any]:
        """What runs, as config nodes: every plugin's name and parameters (under their config
        keys) and the market, with the ``auto`` choices resolved."""

        def node(plugin: Any) -> dict[str, Any]:
            keys = {field: key for key, field in plugin.config_aliases.items()}
            params = dataclasses.asdict(plugin.params)
            return {"name": plugin.name, **{keys.get(k, k): v for k, v in params.items()}}

        plugins = ("pricing", "objective", "reposition", "supply", "pay_rule")
        return {name: node(getattr(self, name)) for name in plugins} | {"market": self.market}

    def payout(self, fare: Any, trip_km: Any, trip_min: Any) -> dict[str, Any]:
        """Each fare's ``commission``, ``fee``, ``worker_pay`` and ``pay_topup``: the pricing
        policy's commission split, with the pay rule's floor under the worker's pay."""
        money = self.pricing.commission.split(fare)
        return apply_floor(money, self.pay_rule.floor(fare, trip_km, trip_min))

    @classmethod
    def of(
        cls,
        settings: Settings | None = None,
        *,
        pricing: str | Mapping[str, Any] = "tariff",
        objective: str | Mapping[str, Any] = "welfare",
        reposition: str | Mapping[str, Any] = "none",
        supply: str | Mapping[str, Any] = "fixed",
        pay_rule: str | Mapping[str, Any] = "none",
        market: Mapping[str, Any] | None = None,
    ) -> SimSpec:
        """A spec from plugin names or ``{"name": ..., <params>}`` nodes (tests and scripts)."""

        def node(value: str | Mapping[str, Any]) -> Mapping[str, Any]:
            return {"name": value} if isinstance(value, str) else value

        return cls(
            settings or Settings(),
            build(PRICING, node(pricing)),
            build(OBJECTIVES, node(objective)),
            build(REPOSITIONING, node(reposition)),
            build(SUPPLY, node(supply)),
            build(PAY_RULES, node(pay_rule)),
            dict(market or {}),
        )


# market=auto picks the market of the instance's currency (configs/market/<name>.yaml).
MARKET_FOR_CURRENCY = {"USD": "nyc", "IDR": "jakarta"}


def resolve_market(market: Mapping[str, Any], currency: str | None) -> dict[str, Any]:
    """``market`` with ``auto`` replaced by the market of ``currency``; a named market in
    another currency than the instance's is refused."""
    market = dict(market)
    if market.get("name") == "auto":
        if currency not in MARKET_FOR_CURRENCY:
            raise ConfigError(
                f"market=auto knows the markets of {sorted(MARKET_FOR_CURRENCY)}, the instance "
                f"is priced in {currency!r}; pass market=<name> with its currency, cost and "
                "minimum wage"
            )
        from omegaconf import OmegaConf

        chosen = OmegaConf.to_container(
            OmegaConf.create(
                config_tree()
                .joinpath("market", f"{MARKET_FOR_CURRENCY[currency]}.yaml")
                .read_text(encoding="utf-8")
            )
        )
        chosen.pop("defaults", None)
        market |= chosen
    if currency and market.get("currency") and currency != market["currency"]:
        raise ConfigError(
            f"the instance is priced in {currency} but market {market['name']!r} in "
            f"{market['currency']}; choose a market in {currency} (e.g. market=jakarta for IDR, "
            "market=nyc for USD)"
        )
    return market


def _plain(cfg: Any) -> dict[str, Any]:
    if isinstance(cfg, Mapping) and not hasattr(cfg, "_metadata"):
        return dict(cfg)
    from omegaconf import OmegaConf

    return OmegaConf.to_container(cfg, resolve=True)


def _require(ok: bool, key: str, expected: str, got: Any) -> None:
    if not ok:
        raise ConfigError(f"{key}: expected {expected}, got {got!r}")


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def settings_of(mode: Mapping[str, Any], market: Mapping[str, Any]) -> Settings:
    """Checked settings from the ``mode`` and ``market`` groups."""
    _require(_finite(mode["interval_s"]) and mode["interval_s"] > 0, "mode.interval_s",
             "seconds > 0 between batches (e.g. 30)", mode["interval_s"])  # fmt: skip
    _require(mode["k"] >= 1, "mode.k", "at least 1 candidate worker per task (e.g. 10)", mode["k"])
    _require(_finite(mode["radius_km"]) and mode["radius_km"] > 0, "mode.radius_km",
             "a distance > 0 in km (e.g. 3)", mode["radius_km"])  # fmt: skip
    _require(_finite(mode["detour"]) and mode["detour"] >= 1, "mode.detour",
             "a road/straight-line factor >= 1 (e.g. 1.3)", mode["detour"])  # fmt: skip
    zone_min = mode.get("zone_min_requests", 50)
    _require(zone_min >= 1, "mode.zone_min_requests", "at least 1 request", zone_min)
    min_hours = mode.get("fairness_min_hours", 1.0)
    _require(_finite(min_hours) and min_hours >= 0, "mode.fairness_min_hours", "hours >= 0",
             min_hours)  # fmt: skip
    costs = {
        kind: {vehicle: market.get(f"{kind}_{vehicle}", 0.0) for vehicle in VEHICLES}
        for kind in ("cost_per_km", "cost_per_online_h")
    }
    for kind, per_vehicle in costs.items():
        for vehicle, cost in per_vehicle.items():
            key = f"market.{kind}_{vehicle}"
            _require(_finite(cost) and cost >= 0, key, "a cost >= 0", cost)
    wage = market.get("min_wage_per_h", 0.0)
    _require(_finite(wage) and wage >= 0, "market.min_wage_per_h", "an hourly wage >= 0", wage)
    return Settings(
        interval_s=float(mode["interval_s"]),
        k=int(mode["k"]),
        radius_km=float(mode["radius_km"]),
        detour=float(mode["detour"]),
        cost_per_km={v: float(c) for v, c in costs["cost_per_km"].items()},
        cost_per_online_h={v: float(c) for v, c in costs["cost_per_online_h"].items()},
        min_wage=float(wage),
        zone_min_requests=int(zone_min),
        fairness_min_hours=float(min_hours),
        progress=bool(mode.get("progress", False)),
        days=int(mode.get("days", 1)),
    )


def _fit(spec: SimSpec, solver: Any, instance: str, geographic: bool) -> None:
    """Refuse parts that do not fit together."""
    needed = spec.pricing.requires()
    if needed and spec.objective.name != needed:
        raise ConfigError(
            f"pricing={spec.pricing.name} prices the {needed} matching; got "
            f"objective={spec.objective.name}: use objective={needed}"
        )
    if spec.pricing.needs_duals() and not getattr(solver, "exact", False):
        raise ConfigError(
            f"pricing={spec.pricing.name} reads prices off a proven-optimal matching; solver "
            f"{getattr(solver, 'name', solver)!r} is not exact: use solver=hungarian, auction "
            "or milp"
        )
    if spec.reposition.moves_workers() and not geographic:
        raise ConfigError(
            f"reposition={spec.reposition.name}: instance {instance!r} has no geography "
            "(workers have no position to move); use reposition=none"
        )


def resolve_pricing(node: Mapping[str, Any], recorded: str | None) -> dict[str, Any]:
    """``pricing=auto`` replaced by the scenario's own market (``meta["pricing"]``: replayed
    trips at their recorded fares, ``observed``), else the regulated ``tariff``; its other keys
    (``preset``, ``commission``) go to the chosen policy. Any other choice as given."""
    node = dict(node)
    if node.get("name") == "auto":
        node["name"] = recorded or "tariff"
    return node


def resolve_reposition(node: Mapping[str, Any] | None, behaviour: str | None) -> dict[str, Any]:
    """``reposition=auto`` replaced by the behaviour the scenario's drivers were calibrated
    with (``meta["reposition"]``; none when the scenario states none); any other choice as
    given. A scenario's behaviour takes that policy's default parameters."""
    node = dict(node or {"name": "none"})
    if node.get("name") == "auto":
        return {"name": behaviour or "none"}
    return node


def check_config(cfg: Any, solver: Any) -> SimSpec:
    """Build and check the simulation parts of ``cfg`` before any scenario exists."""
    from gigbench.instances.generators import is_geographic

    plain = _plain(cfg)
    instance = plain["instance"]["name"]
    plain["pricing"] = resolve_pricing(plain["pricing"], None)
    spec = _spec(plain, plain["market"], resolve_reposition(plain.get("reposition"), None))
    _fit(spec, solver, instance, is_geographic(instance))
    check_days(plain["mode"].get("days", 1), plain["instance"])
    return spec


def build_spec(cfg: Any, solver: Any, scenario_meta: Mapping[str, Any]) -> SimSpec:
    """The spec a run uses: ``cfg`` checked, with ``market=auto`` and ``reposition=auto``
    resolved for the scenario."""
    plain = _plain(cfg)
    market = resolve_market(plain["market"], scenario_meta.get("currency"))
    reposition = resolve_reposition(plain.get("reposition"), scenario_meta.get("reposition"))
    plain["pricing"] = resolve_pricing(plain["pricing"], scenario_meta.get("pricing"))
    spec = _spec(plain, market, reposition)
    _fit(spec, solver, plain["instance"]["name"], bool(scenario_meta.get("city")))
    check_days(plain["mode"].get("days", 1), plain["instance"])
    return spec


def _spec(plain: dict[str, Any], market: Mapping[str, Any], reposition: dict) -> SimSpec:
    return SimSpec(
        settings_of(plain["mode"], market),
        build(PRICING, plain["pricing"]),
        build(OBJECTIVES, plain["objective"]),
        build(REPOSITIONING, reposition),
        build(SUPPLY, plain.get("supply") or {"name": "fixed"}),
        build(PAY_RULES, plain.get("pay_rule") or {"name": "none"}),
        dict(market),
    )
