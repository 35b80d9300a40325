"""The repositioning suite (:class:`gigbench.market.reposition.Repositioning`).

Bound to a city day, a policy decides batch after batch which idle workers move where: each
worker at most once, by its position in the batch's view, to a finite point inside the city;
none at all when ``moves_workers()`` says it never moves anyone; the same batches give the same
moves in a fresh policy; it writes none of the arrays it is handed. A day with it keeps its
books. (A market without places refuses a policy that moves workers, so the suite asks only
that ``none``-like policies run there.)
"""

from __future__ import annotations

import numpy as np

from gigbench.market.reposition import IdleView
from gigbench.testing.common import CLASS_CHECKS, expect_same_arrays, expect_untouched, snapshot
from gigbench.testing.core import Check, Failed, Skipped, Subject
from gigbench.testing.market import context, expect_sound_day, scenario, simulate_with

__all__ = ["CHECKS", "views"]


def views() -> list[IdleView]:
    """Twelve batches of the city day: idle workers anywhere (some already moving, some idle
    for long), requests arriving (sometimes none); the first and one later batch empty."""
    rng = np.random.default_rng(13)
    plane = scenario("city").info.geography
    size = np.array([plane.width_km, plane.height_km])
    out = []
    for number in range(12):
        n = 0 if number in (0, 7) else int(rng.integers(1, 15))
        moving = rng.random(n) < 0.3
        target = np.where(moving[:, None], rng.uniform(0, 1, (n, 2)) * size, np.nan)
        arrivals = rng.uniform(0, 1, (int(rng.integers(0, 20)), 2)) * size
        idle_s = rng.exponential(600.0, n)
        xy = rng.uniform(0, 1, (n, 2)) * size
        out.append(IdleView(60.0 * (number + 1), xy, idle_s, moving, target, arrivals))
    return out


def _decide_all(subject: Subject) -> list:
    policy = subject.build()
    policy.bind(context("city"))
    return [policy.decide(view) for view in views()]


def _valid_moves(subject: Subject) -> None:
    """Moves name distinct workers of the view and send them to finite points of the city."""
    plane = scenario("city").info.geography
    size = np.array([plane.width_km, plane.height_km])
    policy = subject.build()
    policy.bind(context("city"))
    for number, view in enumerate(views()):
        moves = policy.decide(view)
        worker, target = np.asarray(moves.worker), np.asarray(moves.target_xy)
        n = len(view.xy)
        if worker.dtype.kind not in "iu" or ((worker < 0) | (worker >= n)).any():
            raise Failed(f"worker positions in [0, {n}) in batch {number}", str(worker))
        if len(np.unique(worker)) != len(worker):
            raise Failed(f"each worker moved at most once in batch {number}", str(worker))
        if target.shape != (len(worker), 2):
            raise Failed(f"targets of shape ({len(worker)}, 2)", str(target.shape))
        inside = np.isfinite(target).all() and ((target >= 0) & (target <= size + 1e-9)).all()
        if not inside:
            raise Failed(f"targets inside the {size[0]} x {size[1]} km city", str(target))
        if len(worker) and not policy.moves_workers():
            raise Failed("no moves (moves_workers() is False)", f"{len(worker)} moves")


def _deterministic(subject: Subject) -> None:
    """Two fresh policies fed the same batches move the same workers to the same points."""
    for first, second in zip(_decide_all(subject), _decide_all(subject), strict=True):
        expect_same_arrays("moved workers", first.worker, second.worker)
        expect_same_arrays("targets", first.target_xy, second.target_xy)


def _inputs_untouched(subject: Subject) -> None:
    """Binding and deciding write none of the context's or the views' arrays."""
    ctx, batches = context("city"), views()
    before = snapshot(ctx, *batches)
    policy = subject.build()
    policy.bind(ctx)
    for view in batches:
        policy.decide(view)
    expect_untouched(before, ctx, *batches)


def _simulated_day(market: str):
    def check(subject: Subject) -> None:
        if market == "freelance" and subject.build().moves_workers():
            raise Skipped("moves workers: refused on a market without places")
        expect_sound_day(simulate_with(subject, market))

    check.__doc__ = f"A {market!r} day with the policy keeps its books."
    return check


CHECKS = [
    *CLASS_CHECKS,
    Check("valid_moves", _valid_moves),
    Check("deterministic", _deterministic),
    Check("inputs_untouched", _inputs_untouched),
    *(Check("simulated_day", _simulated_day(m), m) for m in ("city", "freelance")),
]
