"""pytest-benchmark: the auction against OR-Tools, lapx and scipy on the targets' instances.

Run explicitly (see README.md):
    python -m pytest bench/perf/test_auction_peers.py -m perf --benchmark-enable -p no:cacheprovider

Every benchmark first asserts its objective equals the auction's (checked against the peers),
then times only the solve call: input building and the auction's prepare() are untimed.
``test_ratio`` gates on the ratio to the best reference peer measured in the same test, never
on a wall-clock number; targets not met when last measured are marked xfail (see README).
"""

from __future__ import annotations

import functools
import statistics
import time

import peers
import perf_cases
import pytest

from solvers import get_solver, run

pytestmark = pytest.mark.perf

TARGETS = {t.key: t for t in perf_cases.TARGETS}
# Last measured (README): these targets were not met; the gate still runs and reports.
NOT_MET = {
    "knn_square": "measured 1.3-1.45x OR-Tools, target 0.5x",
    "dense_rect": "measured 1.2-1.6x scipy, target 1.0x",
}


@functools.cache
def _case(key: str) -> perf_cases.Case:
    return TARGETS[key].build()


@functools.cache
def _optimum(key: str) -> int:
    solution = run(get_solver("auction"), _case(key).problem)  # validated, duals included
    return solution.objective


def _solver(key: str, name: str):
    problem = _case(key).problem
    if name == "auction":
        auction = get_solver("auction")
        auction.prepare(problem)
        return lambda: auction.solve().objective
    solve = peers.PEERS[name](problem)
    if solve is None:
        pytest.skip(f"{name} does not take {problem!r}")
    return solve


PAIRS = [(t.key, n) for t in perf_cases.TARGETS for n in ("auction", *t.peers)]
SLOW = {("knn_square", "lapmod"), ("knn_square", "scipy_sparse")}  # minutes per round


@pytest.mark.parametrize(("key", "name"), PAIRS, ids=[f"{k}-{n}" for k, n in PAIRS])
def test_solve(benchmark, key: str, name: str) -> None:
    solve = _solver(key, name)
    assert solve() == _optimum(key)
    benchmark.group = key
    rounds = 1 if (key, name) in SLOW else 3
    result = benchmark.pedantic(solve, rounds=rounds, iterations=1, warmup_rounds=0)
    assert result == _optimum(key)


def _median(solve, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        solve()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(k, marks=pytest.mark.xfail(reason=NOT_MET[k], strict=False))
        if k in NOT_MET
        else k
        for k in TARGETS
    ],
)
def test_ratio(key: str) -> None:
    target = TARGETS[key]
    fast_peers = [n for n in target.reference if (key, n) not in SLOW]
    auction = _median(_solver(key, "auction"))
    best = min(_median(_solver(key, n)) for n in fast_peers)
    assert auction / best <= target.ratio, f"{key}: {auction:.3f}s vs {best:.3f}s"


@pytest.mark.parametrize("form", sorted(perf_cases.BATCH))
def test_batch_run(benchmark, form: str) -> None:
    """The whole ``run`` (prepare, solve, validate) of a 200 x 2,000 batch. The < 1 ms target
    is an absolute number, so it is reported (README, auction_table.py), not gated here."""
    problem = perf_cases.BATCH[form]().problem
    solver = get_solver("auction")
    expected = run(get_solver("hungarian"), problem).objective
    assert run(solver, problem).objective == expected
    benchmark.group = "batch"
    solution = benchmark.pedantic(run, args=(solver, problem), rounds=200, warmup_rounds=5)
    assert solution.objective == expected
