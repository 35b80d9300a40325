"""pytest-benchmark: the auction against OR-Tools, lapx and scipy on every peer case.

Run explicitly (see bench/perf/README.md; the 100,000-node case alone takes minutes per slow peer):
    python -m pytest bench/perf/test_auction_peers.py -m perf --benchmark-enable -p no:cacheprovider

Every benchmark asserts its objective equals the auction's validated optimum before and after
timing, then times only the solve (the auction's prepare() and each peer's input building are
untimed). ``test_ratio`` gates on the auction's median over the best peer's, measured
interleaved in the same test, never on a wall-clock number. lapx's peers skip with the reason
when lapx is not installed.
"""

from __future__ import annotations

import functools

import pytest

from gigbench.perf import auction_table, cases, peers

pytestmark = pytest.mark.perf

# Peers that take minutes per round on the largest graphs: timed once, left out of ratios.
SLOW = {("knn_100k", "lapmod"), ("knn_100k", "scipy_sparse"), ("knn_50k", "scipy_sparse")}
ALL_PEERS = ("ortools", "scipy_lsa", "scipy_sparse", *peers.LAPX_PEERS)


@functools.cache
def _auction(name: str):
    return auction_table.auction_solver(cases.get_case(name))


def _solver(name: str, solver: str):
    if solver == "auction":
        return _auction(name)[0]
    if solver in peers.LAPX_PEERS and peers.LAPX_MISSING:
        pytest.skip(f"{solver}: {peers.LAPX_MISSING}")
    calls = [peers.PEERS[solver](p) for p in cases.get_case(name).problems]
    if any(call is None for call in calls):
        pytest.skip(f"{solver} does not take the problems of {name}")
    return lambda: sum(call() for call in calls)


PAIRS = [(c, s) for c in cases.PEER_CASES for s in ("auction", *ALL_PEERS)]


@pytest.mark.parametrize(("name", "solver"), PAIRS, ids=[f"{c}-{s}" for c, s in PAIRS])
def test_solve(benchmark, name: str, solver: str) -> None:
    solve = _solver(name, solver)
    optimum = _auction(name)[1]
    assert solve() == optimum
    benchmark.group = name
    rounds = 1 if (name, solver) in SLOW else 3
    result = benchmark.pedantic(solve, rounds=rounds, iterations=1, warmup_rounds=0)
    assert result == optimum


@pytest.mark.parametrize("name", cases.PEER_CASES)
def test_ratio(name: str) -> None:
    """The auction's median is at most the best peer's (ratio <= 1.0), in the same run."""
    skip = tuple(s for c, s in SLOW if c == name)
    row = auction_table.measure(name, repeats=3, skip=skip)
    assert row["ratio"] <= 1.0, (
        f"{name}: auction {row['seconds']['auction']:.4f} s, {row['best']} "
        f"{row['seconds'][row['best']]:.4f} s (ratio {row['ratio']:.2f}, load {row['load']})"
    )
