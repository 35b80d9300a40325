"""Candidate edges: k nearest within the radius, road distance = straight line x detour."""

from __future__ import annotations

import numpy as np
import pytest

from bench.sim.candidates import nearest_workers


def test_k_nearest_within_radius() -> None:
    workers = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0]])
    tasks = np.array([[0.1, 0.0]])
    cand = nearest_workers(workers, tasks, k=3, radius_km=2.6, detour=2.0)
    # Radius 2.6 km of road = 1.3 km straight: workers 0 and 1 only.
    assert sorted(cand.worker.tolist()) == [0, 1]
    assert np.allclose(sorted(cand.pickup_km), [0.2, 1.8])


def test_empty_sides_and_bad_parameters() -> None:
    assert len(nearest_workers(np.zeros((0, 2)), np.ones((3, 2)), 5, 1.0)) == 0
    assert len(nearest_workers(np.ones((3, 2)), np.zeros((0, 2)), 5, 1.0)) == 0
    with pytest.raises(ValueError, match="k: expected at least 1"):
        nearest_workers(np.ones((3, 2)), np.ones((3, 2)), 0, 1.0)
    with pytest.raises(ValueError, match="positive"):
        nearest_workers(np.ones((3, 2)), np.ones((3, 2)), 1, -1.0)


def test_matches_brute_force() -> None:
    rng = np.random.default_rng(2)
    workers, tasks = rng.uniform(0, 10, (200, 2)), rng.uniform(0, 10, (30, 2))
    cand = nearest_workers(workers, tasks, k=5, radius_km=3.0)
    dist = np.linalg.norm(tasks[:, None] - workers[None], axis=2)
    for t in range(30):
        expected = [w for w in np.argsort(dist[t])[:5] if dist[t, w] <= 3.0]
        assert sorted(cand.worker[cand.task == t].tolist()) == sorted(expected)
