"""From a composed config to a simulation spec: settings, plugins and the resolved market.

Two entry points for the harness:

* :func:`check_config` (no scenario yet): builds every plugin from its group and checks the
  settings and how the parts fit (a pricing policy that needs the welfare objective or an
  exact solver; a plugin the instance's market kind cannot run, such as repositioning on a
  market without places), so a mistake surfaces before any run starts. Every problem is a
  ``ValueError`` (:class:`gigbench.errors.ConfigError`, or a parameter's
  :class:`gigbench.solvers.registry.ParamsError`) or an
  :class:`gigbench.solvers.registry.UnknownNameError`, with the key, what was expected and the fix.
* :func:`build_spec` (with the scenario): the same, with ``market=auto``, ``pricing=auto`` and
  ``reposition=auto`` resolved from the scenario's typed metadata (:mod:`gigbench.sim.auto`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, ClassVar

from gigbench.errors import ConfigError
from gigbench.instances.generators import market_kind_of
from gigbench.instances.meta import ScenarioMeta
from gigbench.market.kind import MARKET_KINDS, MarketKind
from gigbench.market.objective import OBJECTIVES, Objective
from gigbench.market.pay_rule import PAY_RULES, PayRule
from gigbench.market.pay_rule.base import apply_floor
from gigbench.market.places import MarketConfig
from gigbench.market.plugin import build
from gigbench.market.pricing import PRICING, PricingPolicy
from gigbench.market.reposition import REPOSITIONING, Repositioning
from gigbench.market.supply import SUPPLY, SupplyPolicy
from gigbench.sim.auto import resolve_auto
from gigbench.sim.days import check_days
from gigbench.solvers.registry import checked, need

__all__ = [
    "Settings",
    "SimSpec",
    "SimulateConfig",
    "build_spec",
    "check_config",
    "settings_of",
]


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
    """What the stages read besides their plugins: the ``mode`` group's figures (defaults:
    :class:`SimulateConfig`'s) and the market's. ``cost_per_km`` and ``cost_per_online_h`` map
    a vehicle type to its running cost per km and fixed cost per online hour (a single number:
    every vehicle alike; a worker with no vehicle type listed, a freelancer, pays none);
    ``min_wage`` is the hourly minimum pay fairness is measured against (defaults:
    :class:`gigbench.market.places.MarketConfig`'s, a market with no costs and no minimum)."""

    interval_s: float = SimulateConfig.interval_s
    k: int = SimulateConfig.k
    radius_km: float = SimulateConfig.radius_km
    detour: float = SimulateConfig.detour
    cost_per_km: Mapping[str, float] | float = MarketConfig.cost_per_km_car
    cost_per_online_h: Mapping[str, float] | float = MarketConfig.cost_per_online_h_car
    min_wage: float = MarketConfig.min_wage_per_h
    zone_min_requests: int = SimulateConfig.zone_min_requests
    fairness_min_hours: float = SimulateConfig.fairness_min_hours
    progress: bool = SimulateConfig.progress
    days: int = SimulateConfig.days

    def __post_init__(self) -> None:
        for name in ("cost_per_km", "cost_per_online_h"):
            value = getattr(self, name)
            if not isinstance(value, Mapping):
                object.__setattr__(self, name, dict.fromkeys(VEHICLES, value))

    def check(self) -> None:
        """Reject a value out of range, named by its config key."""
        need(_finite(self.interval_s) and self.interval_s > 0, "mode.interval_s",
             "seconds > 0 between batches (e.g. 30)", self.interval_s)  # fmt: skip
        need(_whole(self.k) and self.k >= 1, "mode.k",
             "at least 1 candidate worker per task (e.g. 10)", self.k)  # fmt: skip
        need(_finite(self.radius_km) and self.radius_km > 0, "mode.radius_km",
             "a distance > 0 in km (e.g. 3)", self.radius_km)  # fmt: skip
        need(_finite(self.detour) and self.detour >= 1, "mode.detour",
             "a road/straight-line factor >= 1 (e.g. 1.3)", self.detour)  # fmt: skip
        need(_whole(self.zone_min_requests) and self.zone_min_requests >= 1,
             "mode.zone_min_requests", "at least 1 request", self.zone_min_requests)  # fmt: skip
        need(_finite(self.fairness_min_hours) and self.fairness_min_hours >= 0,
             "mode.fairness_min_hours", "hours >= 0", self.fairness_min_hours)  # fmt: skip
        for kind in ("cost_per_km", "cost_per_online_h"):
            for vehicle, cost in getattr(self, kind).items():
                need(_finite(cost) and cost >= 0, f"market.{kind}_{vehicle}", "a cost >= 0", cost)
        need(_finite(self.min_wage) and self.min_wage >= 0, "market.min_wage_per_h",
             "an hourly wage >= 0", self.min_wage)  # fmt: skip


@dataclasses.dataclass
class SimSpec:
    """Everything a simulation runs with besides the scenario and the solver."""

    PLUGINS: ClassVar[tuple[str, ...]] = ("pricing", "objective", "reposition", "supply",
                                           "pay_rule")  # fmt: skip

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

        return {name: node(getattr(self, name)) for name in self.PLUGINS} | {"market": self.market}

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


def _plain(cfg: Any) -> dict[str, Any]:
    if isinstance(cfg, Mapping) and not hasattr(cfg, "_metadata"):
        return dict(cfg)
    from omegaconf import OmegaConf

    return OmegaConf.to_container(cfg, resolve=True)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def settings_of(mode: Mapping[str, Any], market: Mapping[str, Any]) -> Settings:
    """Checked settings from the ``mode`` and ``market`` groups (a key a group leaves out takes
    :class:`Settings`' default)."""
    given = {key: mode[key] for key in _MODE_KEYS if key in mode}
    if "min_wage_per_h" in market:
        given["min_wage"] = market["min_wage_per_h"]
    for kind in ("cost_per_km", "cost_per_online_h"):
        per_vehicle = {v: market[f"{kind}_{v}"] for v in VEHICLES if f"{kind}_{v}" in market}
        if per_vehicle:
            given[kind] = dict.fromkeys(VEHICLES, getattr(Settings, kind)) | per_vehicle
    settings = checked(Settings(**given))
    return dataclasses.replace(
        settings,
        interval_s=float(settings.interval_s),
        radius_km=float(settings.radius_km),
        detour=float(settings.detour),
        cost_per_km={v: float(c) for v, c in settings.cost_per_km.items()},
        cost_per_online_h={v: float(c) for v, c in settings.cost_per_online_h.items()},
        min_wage=float(settings.min_wage),
        fairness_min_hours=float(settings.fairness_min_hours),
        progress=bool(settings.progress),
    )


_MODE_KEYS = ("interval_s", "k", "radius_km", "detour", "zone_min_requests",
              "fairness_min_hours", "progress", "days")  # fmt: skip


def _fit(spec: SimSpec, solver: Any, kind: MarketKind) -> None:
    """Refuse parts that do not fit together, or that the market kind cannot run."""
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
    kind.fit(**{name: getattr(spec, name) for name in SimSpec.PLUGINS})


def check_config(cfg: Any, solver: Any) -> SimSpec:
    """Build and check the simulation parts of ``cfg`` before any scenario exists."""
    plain = resolve_auto(_plain(cfg), None)
    spec = _spec(plain)
    _fit(spec, solver, build(MARKET_KINDS, {"name": market_kind_of(plain["instance"]["name"])}))
    check_days(plain["mode"].get("days", 1), plain["instance"])
    return spec


def build_spec(cfg: Any, solver: Any, scenario_meta: ScenarioMeta | Mapping[str, Any]) -> SimSpec:
    """The spec a run uses: ``cfg`` checked, with the ``auto`` choices resolved for the
    scenario (``scenario.info``, or its stored ``scenario.meta``)."""
    info = scenario_meta
    if not isinstance(info, ScenarioMeta):
        info = ScenarioMeta.from_dict(dict(info))
    plain = resolve_auto(_plain(cfg), info)
    spec = _spec(plain)
    _fit(spec, solver, build(MARKET_KINDS, {"name": info.market}))
    check_days(plain["mode"].get("days", 1), plain["instance"])
    return spec


def _spec(plain: dict[str, Any]) -> SimSpec:
    return SimSpec(
        settings_of(plain["mode"], plain["market"]),
        build(PRICING, plain["pricing"]),
        build(OBJECTIVES, plain["objective"]),
        build(REPOSITIONING, plain["reposition"]),
        build(SUPPLY, plain.get("supply") or {"name": "fixed"}),
        build(PAY_RULES, plain.get("pay_rule") or {"name": "none"}),
        dict(plain["market"]),
    )
