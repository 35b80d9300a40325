"""Typed scenario metadata: where a scenario came from, and the market it describes.

:class:`ScenarioMeta` is built by every generator (the one metadata builder) and read by
everything that needs to know the market: its kind (``ride_hailing``, ``freelance`` or a
plugin's), its geography (a plane of ``width_km x height_km`` with reporting zones of
``zone_km``, or none: a market without places), the travel speed by hour (where things travel),
its currency, the tariff it charges (:class:`gigbench.instances.tariffs.Tariff`), whether the
tasks carry the fares riders paid (``fares="recorded"``: replayed trips), how its idle drivers
behave as calibrated (``idle_drivers``: ``wait`` where they dropped off, or ``seek_demand``) and,
for dated records, the calendar date of the horizon's first day. It describes the market and
never names a simulation policy: the simulation maps these facts to its own choices.

A scenario stores it as JSON (:meth:`ScenarioMeta.as_dict`): the keys of :data:`META_KEYS` plus
the generator's own notes (a replay's row report, its map projection). Older versions are
upgraded on reading (:func:`upgrade`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from gigbench.instances.tariffs import TARIFFS, Tariff
from gigbench.solvers.registry import need

__all__ = [
    "FARES",
    "IDLE_DRIVERS",
    "META_KEYS",
    "SCHEMA_VERSION",
    "Geography",
    "ScenarioError",
    "ScenarioMeta",
    "upgrade",
]

# Version 3: typed market metadata (module docs): ``geography`` (or null) replaces ``city`` (an
# empty dict for freelance), a market without places has no speeds, every scenario states
# ``market`` (its kind) and its ``tariff`` (with its name), and the policy names ``pricing`` and
# ``reposition`` became the facts ``fares`` and ``idle_drivers``; ``first_day`` dates replays.
# Version 2 added the observed_* task columns after observed_fare. Older files still load,
# upgraded (their hash checked under their own version's rules first).
SCHEMA_VERSION = 3
FARES = ("tariff", "recorded")
IDLE_DRIVERS = ("wait", "seek_demand")
META_KEYS = (
    "schema_version",
    "generator",
    "params",
    "seed",
    "content_hash",
    "horizon_s",
    "market",
    "currency",
    "tariff",
    "geography",
    "speed_kmh_by_hour",
    "fares",
    "idle_drivers",
    "first_day",
)
_OLD_META_KEYS = (
    "schema_version",
    "generator",
    "params",
    "seed",
    "content_hash",
    "horizon_s",
    "city",
    "speed_kmh_by_hour",
    "currency",
)


class ScenarioError(ValueError):
    """Bad scenario data or files: the message names the place, the expectation and the fix."""


@dataclass(frozen=True)
class Geography:
    """A plane ``[0, width_km] x [0, height_km]`` (km) with reporting zones of ``zone_km``."""

    width_km: float
    height_km: float
    zone_km: float


@dataclass(frozen=True)
class ScenarioMeta:
    """A scenario's metadata (module docs). ``params`` are the generator's, as given;
    ``notes`` are the generator's own records, stored beside the typed keys."""

    generator: str
    params: dict[str, Any]
    seed: int
    horizon_s: float
    market: str = "ride_hailing"
    currency: str = "USD"
    tariff: Tariff = TARIFFS["nyc_meter"]
    geography: Geography | None = None
    speed_kmh_by_hour: tuple[float, ...] | None = None
    fares: str = "tariff"
    idle_drivers: str = "wait"
    first_day: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)
    content_hash: str | None = None
    schema_version: int = SCHEMA_VERSION

    def speed_kmh(self, now: float) -> float:
        """Travel speed of the hour of the horizon ``now`` (s) falls in."""
        return float(self.speed_kmh_by_hour[int(now // 3600) % 24])

    def day(self, days: int) -> str:
        """The calendar date ``days`` after :attr:`first_day` (a dated scenario)."""
        return (date.fromisoformat(self.first_day) + timedelta(days=days)).isoformat()

    def as_dict(self) -> dict[str, Any]:
        """The JSON form a scenario stores (module docs)."""
        geography = self.geography
        speeds = self.speed_kmh_by_hour
        return {
            **self.notes,
            "schema_version": self.schema_version,
            "generator": self.generator,
            "params": self.params,
            "seed": self.seed,
            "content_hash": self.content_hash,
            "horizon_s": self.horizon_s,
            "market": self.market,
            "currency": self.currency,
            "tariff": self.tariff.as_dict(),
            "geography": None if geography is None else geography.__dict__.copy(),
            "speed_kmh_by_hour": None if speeds is None else list(speeds),
            "fares": self.fares,
            "idle_drivers": self.idle_drivers,
            "first_day": self.first_day,
        }

    @classmethod
    def from_dict(cls, meta: dict[str, Any], source: str = "scenario") -> ScenarioMeta:
        """The typed form of a stored metadata dict (of any readable version, upgraded), its
        values checked; a :class:`ScenarioError` names the key, the expectation and the fix."""
        if not isinstance(meta, dict):
            raise TypeError(f"{source}: meta: expected a dict, got {type(meta).__name__}")
        meta = upgrade(meta, source)
        where = f"{source}: meta"
        missing = [key for key in META_KEYS if key not in meta]
        if missing:
            raise ScenarioError(
                f"{where}: missing key(s) {', '.join(missing)}; expected all of "
                f"{', '.join(META_KEYS)} (content_hash may be None until with_hash())"
            )
        notes = {key: value for key, value in meta.items() if key not in META_KEYS}
        try:
            typed = cls(
                generator=meta["generator"],
                params=meta["params"],
                seed=meta["seed"],
                horizon_s=meta["horizon_s"],
                market=meta["market"],
                currency=meta["currency"],
                tariff=_tariff(meta["tariff"]),
                geography=_geography(meta["geography"]),
                speed_kmh_by_hour=_speeds(meta["speed_kmh_by_hour"]),
                fares=meta["fares"],
                idle_drivers=meta["idle_drivers"],
                first_day=meta["first_day"],
                notes=notes,
                content_hash=meta["content_hash"],
            )
            typed.check()
        except (ValueError, TypeError) as exc:
            raise ScenarioError(f"{where}: {exc}") from None
        return typed

    def check(self) -> None:
        """Raise ``ParamsError`` for a value out of range (module docs)."""
        horizon = self.horizon_s
        need(_number(horizon) and horizon > 0, "horizon_s", "a number of seconds > 0", horizon)
        need(isinstance(self.market, str) and bool(self.market), "market",
              "the name of a market kind (e.g. ride_hailing)", self.market)  # fmt: skip
        need(isinstance(self.currency, str) and bool(self.currency), "currency",
              "a currency code (e.g. USD)", self.currency)  # fmt: skip
        need(self.fares in FARES, "fares", f"one of {', '.join(FARES)}", self.fares)
        need(self.idle_drivers in IDLE_DRIVERS, "idle_drivers",
              f"one of {', '.join(IDLE_DRIVERS)}", self.idle_drivers)  # fmt: skip
        need((self.geography is None) == (self.speed_kmh_by_hour is None), "speed_kmh_by_hour",
              "24 speeds with a geography and null without one (nothing travels)",
              self.speed_kmh_by_hour)  # fmt: skip
        if self.first_day is not None:
            try:
                date.fromisoformat(self.first_day)
            except (TypeError, ValueError):
                need(False, "first_day", "a date YYYY-MM-DD or null", self.first_day)
        self.tariff.check()


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _tariff(figures: Any) -> Tariff:
    need(isinstance(figures, dict), "tariff", "a dict of a tariff's figures", figures)
    return Tariff.from_dict(figures)


def _geography(plane: Any) -> Geography | None:
    if plane is None:
        return None
    keys = ("width_km", "height_km", "zone_km")
    need(isinstance(plane, dict) and set(plane) == set(keys)
          and all(_number(plane[k]) and plane[k] > 0 for k in keys), "geography",
          "null or {width_km, height_km, zone_km}, each > 0", plane)  # fmt: skip
    return Geography(*(float(plane[k]) for k in keys))


def _speeds(speeds: Any) -> tuple[float, ...] | None:
    if speeds is None:
        return None
    need(isinstance(speeds, list | tuple) and len(speeds) == 24
          and all(_number(s) and s > 0 for s in speeds), "speed_kmh_by_hour",
          "24 speeds > 0 (km/h by hour of the horizon's day)", speeds)  # fmt: skip
    return tuple(float(s) for s in speeds)


def upgrade(meta: dict[str, Any], source: str = "scenario") -> dict[str, Any]:
    """Version 1 or 2 metadata in version 3's keys (module docs); version 3 as it is.

    What the old keys said is kept: ``city`` becomes ``geography`` (``{}``: none, and no
    speeds); the stated ``tariff`` keeps its figures (named when a named tariff has them); a
    scenario without one states the NYC meter that priced it; ``pricing="observed"`` becomes
    ``fares="recorded"``; ``reposition="demand"`` becomes ``idle_drivers="seek_demand"`` (any
    other policy named there, ``wait``); a replay of one day gets its ``first_day``.
    """
    version = meta.get("schema_version")
    if version == SCHEMA_VERSION:
        return meta
    if isinstance(version, bool) or version not in (1, 2):
        raise ScenarioError(
            f"{source}: unknown schema_version {version!r}; this gigbench reads versions 1, 2 "
            f"and {SCHEMA_VERSION}; upgrade gigbench or regenerate the scenario"
        )
    missing = [key for key in _OLD_META_KEYS if key not in meta]
    if missing:
        raise ScenarioError(
            f"{source}: meta: missing key(s) {', '.join(missing)}; a version {version} scenario "
            f"has all of {', '.join(_OLD_META_KEYS)}"
        )
    old = dict(meta)
    city = old.pop("city") or None
    stated = old.pop("tariff", None)
    params = old.get("params") or {}
    first_day = None
    if old.get("generator") == "replay" and params.get("day"):
        start = date.fromisoformat(params["day"]) + timedelta(days=int(params.get("day_offset", 0)))
        first_day = start.isoformat()
    return old | {
        "schema_version": SCHEMA_VERSION,
        "content_hash": None,  # the old hash covered other bytes: with_hash() recomputes it
        "market": old.get("market") or ("ride_hailing" if city else "freelance"),
        "tariff": _old_tariff(stated).as_dict(),
        "geography": city,
        "speed_kmh_by_hour": old["speed_kmh_by_hour"] if city else None,
        "fares": "recorded" if old.pop("pricing", None) == "observed" else "tariff",
        "idle_drivers": "seek_demand" if old.pop("reposition", None) == "demand" else "wait",
        "first_day": first_day,
    }


def _old_tariff(stated: Any) -> Tariff:
    """The tariff an old scenario was priced by: its stated figures, else the NYC meter."""
    if not stated:
        return TARIFFS["nyc_meter"]
    figures = dict(stated)
    basis = figures.pop("kind", "metered")
    if "cap" in figures:
        cap = float(figures.pop("cap"))
    elif figures.get("per_km_max") and figures.get("per_km"):
        cap = float(figures["per_km_max"]) / float(figures["per_km"])
    else:
        cap = 3.0
    per_km = float(figures.get("per_km", 0.0))
    min_fare = float(figures.get("min_fare", 0.0))
    tariff = Tariff(
        basis="metered" if basis == "metered" else "budget",
        base_fare=float(figures.get("base_fare", 0.0)),
        per_km=per_km,
        per_km_max=float(figures.get("per_km_max", per_km)),
        per_min=float(figures.get("per_min", 0.0)),
        min_fare=min_fare,
        min_fare_max=float(figures.get("min_fare_max", min_fare)),
        min_fare_km=float(figures.get("min_fare_km", 0.0)),
        surge_cap=cap,
        commission=float(figures.get("commission", 0.2)),
        fee=float(figures.get("fee", 0.0)),
    )
    return tariff.named()


def json_normal(meta: dict[str, Any], source: str) -> dict[str, Any]:
    """``meta`` through JSON (tuples as lists, no NaN): what a stored scenario reads back."""
    try:
        return json.loads(json.dumps(meta, sort_keys=True, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ScenarioError(
            f"{source}: meta: expected JSON-serialisable values without NaN, got {exc}; "
            "store plain numbers, strings, lists and dicts"
        ) from None
