"""``freelance``: a skills marketplace (Upwork, Fiverr) without places.

A task is a job posting that needs one skill. Its candidates are its ``k`` cheapest idle
workers (by reservation wage) who hold the skill
(:func:`gigbench.market.kind.candidates.skill_candidates`); nobody travels (a job starts when it
is matched) and a worker stays where they are. Pricing zones are skills: a freelancer counts in
every skill they hold. Repositioning has nothing to move: a policy that moves workers is
refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gigbench.errors import ConfigError
from gigbench.market.context import QuoteView
from gigbench.market.kind.base import MarketKind, MoveView, PoolView
from gigbench.market.kind.candidates import Candidates, skill_candidates

__all__ = ["Freelance", "SkillZones"]

MIN_SKILL_ZONES = 63  # an int64 skill bitmask's bits: every skill a worker can hold


class Freelance(MarketKind):
    """Jobs matched by skill, with no geography."""

    name = "freelance"

    def fit(self, **plugins: Any) -> None:
        """Refuse repositioning that moves workers: there is nowhere to move them."""
        reposition = plugins.get("reposition")
        if reposition is not None and reposition.moves_workers():
            raise ConfigError(
                f"reposition={reposition.name}: {self._no_places('workers have no position')}"
                "; or use reposition=none"
            )

    def candidates(self, view: PoolView) -> Candidates:
        """Each task's ``k`` cheapest idle workers who hold its skill."""
        skill = self.context.skill[view.task]
        return skill_candidates(view.worker_skills, view.worker_wage, skill, view.k)

    def reach_minutes(self, km: np.ndarray, now: float) -> np.ndarray:
        """No time: a job starts when it is matched."""
        return np.zeros(len(km))

    def end_positions(self, view: MoveView) -> np.ndarray:
        """Where the workers were."""
        return view.worker_xy

    def zones(self, zone_km: float, key: str) -> SkillZones:
        """Skills (``zone_km`` has no meaning here)."""
        return SkillZones(self.context.skill)


class SkillZones:
    """Skills as zones: a task's zone is its skill (any-skill tasks count in skill 0); an idle
    worker counts in every skill they hold."""

    def __init__(self, skill: np.ndarray) -> None:
        self.task_zone = np.maximum(skill, 0).astype(np.int64)
        self.n_zones = max(int(self.task_zone.max(initial=0)) + 1, MIN_SKILL_ZONES)

    def idle(self, view: QuoteView) -> np.ndarray:
        """Idle workers per skill they hold."""
        skills = view.idle_skills.astype(np.int64)
        bits = (skills[:, None] >> np.arange(self.n_zones)[None, :]) & 1
        return bits.sum(axis=0)
