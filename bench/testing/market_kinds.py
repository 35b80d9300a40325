"""The market-kind suite (:class:`gigbench.market.kind.MarketKind`).

A kind is bound to the day of each small market (:data:`gigbench.testing.market.MARKETS`: a
city with a geography, a freelance market without), relabelled as a market of that kind; it
may refuse one of them with a :class:`gigbench.errors.ConfigError` (a kind that needs places
refuses the freelance day), never both. On a day it binds to, batch after batch: its candidate
edges are parallel integer arrays naming workers and tasks of the batch, each pair at most
once, at most ``k`` per task, with finite distances >= 0; the minutes to reach a job are
finite and >= 0, one per edge; the positions after a job are finite, one per matched pair; its
pricing zones (if it has any) hold every task; two fresh kinds fed the same batches answer
the same; it writes none of the arrays it is handed; a day of that market keeps its books
(:func:`gigbench.testing.market.expect_sound_day`).
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from gigbench.errors import ConfigError
from gigbench.instances import Scenario
from gigbench.market.kind import MarketKind, MoveView, PoolView
from gigbench.sim import SimSpec, simulate
from gigbench.solvers import get_solver
from gigbench.testing.common import CLASS_CHECKS, expect_same_arrays, expect_untouched, snapshot
from gigbench.testing.core import Check, Failed, Skipped, Subject
from gigbench.testing.market import MARKETS, SETTINGS, context_of, expect_sound_day, scenario

__all__ = ["CHECKS", "relabelled", "views"]


@functools.cache
def relabelled(market: str, kind: str) -> Scenario:
    """The day of ``market`` as a market of ``kind``."""
    day = scenario(market)
    return Scenario(day.tasks, day.workers, dataclasses.replace(day.info, market=kind))


def _bound(subject: Subject, market: str) -> MarketKind:
    """The subject bound to ``market``'s day (Skipped when it refuses that market)."""
    kind = subject.build()
    try:
        ctx = context_of(relabelled(market, subject.name), 0, SETTINGS.interval_s)
        kind.bind(dataclasses.replace(ctx, kind=kind))
    except ConfigError as exc:
        raise Skipped(f"refuses the {market} day: {exc}") from None
    return kind


def views(market: str) -> list[PoolView]:
    """Eight batches of ``market``'s day: open tasks (a random subset, sometimes none) and idle
    workers drawn from its fleet (anywhere on its plane; sometimes none)."""
    rng = np.random.default_rng(17)
    day = scenario(market)
    plane = day.info.geography
    size = np.zeros(2) if plane is None else np.array([plane.width_km, plane.height_km])
    skills = day.workers.column("skills").to_numpy()
    wages = day.workers.column("reservation_wage").to_numpy()
    out = []
    for number in range(8):
        n_open = 0 if number == 2 else int(rng.integers(1, min(day.n_tasks, 25) + 1))
        n_idle = 0 if number in (2, 5) else int(rng.integers(1, 12))
        task = np.sort(rng.choice(day.n_tasks, size=n_open, replace=False)).astype(np.int64)
        pick = rng.integers(0, len(skills), size=n_idle)
        xy = rng.uniform(0.0, 1.0, (n_idle, 2)) * size
        out.append(PoolView(60.0 * (number + 1), task, xy, skills[pick], wages[pick],
                            SETTINGS.k, SETTINGS.radius_km, SETTINGS.detour))  # fmt: skip
    return out


def _answers(kind: MarketKind, view: PoolView) -> tuple:
    cand = kind.candidates(view)
    reach = kind.reach_minutes(np.asarray(cand.pickup_km, float), view.now)
    matched = np.arange(min(len(view.task), len(view.worker_xy)))
    moved = MoveView(view.now, view.task[matched], view.worker_xy[matched])
    return cand, reach, kind.end_positions(moved), len(matched)


def _binds_somewhere(subject: Subject) -> None:
    """It binds to at least one of the two days (a kind of market must serve some market)."""
    refused = []
    for market in MARKETS:
        try:
            _bound(subject, market)
        except Skipped as reason:
            refused.append(str(reason))
    if len(refused) == len(MARKETS):
        raise Failed("a day it binds to (city or freelance)", "; ".join(refused))


def _valid_answers(market: str):
    def check(subject: Subject) -> None:
        kind = _bound(subject, market)
        for number, view in enumerate(views(market)):
            cand, reach, ends, n_matched = _answers(kind, view)
            worker, task = np.asarray(cand.worker), np.asarray(cand.task)
            km = np.asarray(cand.pickup_km)
            n_idle, n_open = len(view.worker_xy), len(view.task)
            where = f"in batch {number}"
            if not (worker.shape == task.shape == km.shape and worker.ndim == 1):
                raise Failed(f"parallel 1-d worker, task and pickup_km arrays {where}",
                             f"{worker.shape}, {task.shape}, {km.shape}")  # fmt: skip
            if len(worker) and (worker.dtype.kind not in "iu" or task.dtype.kind not in "iu"):
                raise Failed("integer positions of workers and tasks", f"{worker.dtype}")
            if ((worker < 0) | (worker >= n_idle)).any() or ((task < 0) | (task >= n_open)).any():
                raise Failed(f"workers in [0, {n_idle}) and tasks in [0, {n_open}) {where}",
                             f"{worker}, {task}")  # fmt: skip
            if len(np.unique(worker * max(n_open, 1) + task)) != len(worker):
                raise Failed(f"each (worker, task) pair at most once {where}", "a repeated pair")
            if len(task) and np.bincount(task).max() > view.k:
                raise Failed(f"at most k={view.k} candidates per task {where}",
                             str(np.bincount(task).max()))  # fmt: skip
            if not (np.isfinite(km).all() and (km >= 0).all()):
                raise Failed(f"pickup distances finite and >= 0 {where}", str(km))
            if np.shape(reach) != km.shape or not (np.isfinite(reach).all() and (reach >= 0).all()):
                raise Failed(f"one finite time >= 0 to reach each job {where}", str(reach))
            if np.shape(ends) != (n_matched, 2) or not np.isfinite(ends).all():
                raise Failed(f"({n_matched}, 2) finite positions after the jobs {where}",
                             str(np.shape(ends)))  # fmt: skip

    check.__doc__ = f"Its answers on the {market!r} day are well formed."
    return check


def _zones(market: str):
    def check(subject: Subject) -> None:
        kind = _bound(subject, market)
        try:
            zones = kind.zones(2.0, "pricing.zone_km")
        except ConfigError as exc:
            raise Skipped(f"no pricing zones on the {market} day: {exc}") from None
        n, day = zones.n_zones, scenario(market)
        zone = np.asarray(zones.task_zone)
        if zone.shape != (day.n_tasks,) or ((zone < 0) | (zone >= n)).any():
            raise Failed(f"a zone in [0, {n}) for each of the {day.n_tasks} tasks", str(zone))

    check.__doc__ = f"Its pricing zones on the {market!r} day hold every task."
    return check


def _deterministic(market: str):
    def check(subject: Subject) -> None:
        first, second = _bound(subject, market), _bound(subject, market)
        for view in views(market):
            a, b = _answers(first, view), _answers(second, view)
            expect_same_arrays("candidate workers", a[0].worker, b[0].worker)
            expect_same_arrays("candidate tasks", a[0].task, b[0].task)
            expect_same_arrays("times to reach a job", a[1], b[1])
            expect_same_arrays("positions after a job", a[2], b[2])

    check.__doc__ = f"Two fresh kinds answer the {market!r} day's batches alike."
    return check


def _inputs_untouched(market: str):
    def check(subject: Subject) -> None:
        kind = _bound(subject, market)
        batches = views(market)
        before = snapshot(kind.context, *batches)
        for view in batches:
            _answers(kind, view)
        expect_untouched(before, kind.context, *batches)

    check.__doc__ = f"Answering the {market!r} day writes none of its inputs."
    return check


def _simulated_day(market: str):
    def check(subject: Subject) -> None:
        _bound(subject, market)  # Skipped when the kind refuses this market
        day = relabelled(market, subject.name)
        expect_sound_day(simulate(day, get_solver("hungarian"), SimSpec.of(SETTINGS)))

    check.__doc__ = f"A {market!r} day as a market of this kind keeps its books."
    return check


CHECKS = [
    *CLASS_CHECKS,
    Check("binds_somewhere", _binds_somewhere),
    *(Check("valid_answers", _valid_answers(m), m) for m in MARKETS),
    *(Check("zones", _zones(m), m) for m in MARKETS),
    *(Check("deterministic", _deterministic(m), m) for m in MARKETS),
    *(Check("inputs_untouched", _inputs_untouched(m), m) for m in MARKETS),
    *(Check("simulated_day", _simulated_day(m), m) for m in MARKETS),
]
