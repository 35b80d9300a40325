"""Candidate edges: k nearest within the radius, road distance = straight line x detour."""

from __future__ import annotations

import numpy as np
import pytest

from gigbench.market.kind.candidates import nearest_workers


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


@pytest.mark.parametrize("seed", range(6))
def test_distance_table_gives_the_kd_trees_candidates(monkeypatch, seed) -> None:
    """Small batches use a table of distances, large ones a KD-tree: on the same batch both
    give the same edges and pickup distances to the last bit, exact ties (workers on a grid)
    and a radius equal to a realised distance included."""
    import gigbench.market.kind.candidates as candidates

    rng = np.random.default_rng(seed)
    n_workers, n_tasks, k = 60, 12, 4
    if seed % 2:  # a grid: many workers at exactly equal distances
        workers = rng.integers(0, 4, (n_workers, 2)) * 0.5
        tasks = rng.integers(0, 4, (n_tasks, 2)) * 0.5
    else:
        workers, tasks = rng.uniform(0, 5, (n_workers, 2)), rng.uniform(0, 5, (n_tasks, 2))
    dx, dy = tasks[0, 0] - workers[3, 0], tasks[0, 1] - workers[3, 1]
    radius = float(np.sqrt(dx * dx + dy * dy)) * 2.0  # worker 3 on the boundary (x 2, / 2: exact)
    assert n_workers * n_tasks <= candidates.TABLE_PAIRS
    table = nearest_workers(workers, tasks, k, radius, detour=2.0)
    monkeypatch.setattr(candidates, "TABLE_PAIRS", 0)
    tree = nearest_workers(workers, tasks, k, radius, detour=2.0)

    def edges(c):
        return sorted(zip(c.task.tolist(), c.worker.tolist(), c.pickup_km.tolist(), strict=True))

    assert edges(table) == edges(tree) and len(table) > 0


def test_a_tie_for_the_kth_nearest_is_left_to_the_kd_tree() -> None:
    """Workers 1 and 2 stand at the same point: which of them is the task's 2nd nearest is the
    tree's call, so the table declines the batch; without the tie it answers."""
    from gigbench.market.kind.candidates import _nearest_by_table

    task = np.array([[0.0, 0.0]])
    tied = np.array([[0.5, 0.0], [1.0, 1.0], [1.0, 1.0], [3.0, 0.0]])
    assert _nearest_by_table(tied, task, 2, 5.0) is None
    assert _nearest_by_table(tied, task, 3, 5.0) is not None  # both tied workers are in
    assert _nearest_by_table(tied, task, 2, 1.0) is not None  # the tie lies outside the bound
    _, idx, found = _nearest_by_table(tied[[0, 1, 3]], task, 2, 5.0)
    assert idx.tolist() == [[0, 1]] and found.all()


def test_a_worker_exactly_at_the_radius_is_treated_as_the_kd_tree_treats_it(monkeypatch) -> None:
    import gigbench.market.kind.candidates as candidates

    workers, tasks = np.array([[3.0, 4.0], [0.0, 1.0]]), np.array([[0.0, 0.0]])
    table = nearest_workers(workers, tasks, k=2, radius_km=5.0)
    monkeypatch.setattr(candidates, "TABLE_PAIRS", 0)
    tree = nearest_workers(workers, tasks, k=2, radius_km=5.0)
    assert table.worker.tolist() == tree.worker.tolist() == [1]  # 5 km away: outside
