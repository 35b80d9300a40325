"""The auction against its peers, measured in one run: median seconds and ratios.

    python bench/perf/auction_table.py                 # every target (about 15 minutes)
    python bench/perf/auction_table.py --only dispatch dense_rect batch --repeats 7

Each row: median solve seconds of the auction and of every peer over interleaved rounds (the
auction's prepare(), which builds its arrays and loads the JIT, is untimed, as is each peer's
input building) and the ratio to the best reference peer. Objectives are checked equal before
anything is timed. A solver 10x slower than the fastest in the first round is not repeated.
Then the batch target (the whole ``solvers.run``, validation included) and the time a fresh
process with a warm numba cache takes to its first solve. Prints Markdown.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers
import perf_cases

from solvers import get_solver, run

REPO = Path(__file__).resolve().parents[2]


def _interleaved(solvers: dict, repeats: int) -> tuple[dict, dict]:
    """Median seconds per solver, rounds interleaved so that load drifting on a shared
    machine hits every solver alike; a solver 10x slower than the fastest after the first
    round is not repeated."""
    times: dict[str, list[float]] = {name: [] for name in solvers}
    for round_ in range(repeats):
        fastest = min((t[0] for t in times.values() if t), default=float("inf"))
        for name, solve in solvers.items():
            if round_ and times[name][0] > 10 * fastest:
                continue
            start = time.perf_counter()
            solve()
            times[name].append(time.perf_counter() - start)
    return (
        {name: statistics.median(t) for name, t in times.items()},
        {name: len(t) for name, t in times.items()},
    )


def measure(target: perf_cases.Target, repeats: int) -> dict:
    """Seconds of the auction and of each peer on one target, objectives checked first."""
    case = target.build()
    auction = get_solver("auction")
    auction.prepare(case.problem)
    expected = auction.solve().objective
    solvers = {"auction": lambda: auction.solve().objective}
    for name in target.peers:
        solve = peers.PEERS[name](case.problem)
        if solve is not None:
            solvers[name] = solve
    for name, solve in solvers.items():
        if name != "auction":
            got = solve()
            assert got == expected, f"{case.name}: {name} found {got}, auction {expected}"
    seconds, runs = _interleaved(solvers, repeats)
    reference = min(seconds[n] for n in target.reference if n in seconds)
    best_ref = min((n for n in target.reference if n in seconds), key=seconds.get)
    return {
        "case": case,
        "seconds": seconds,
        "runs": runs,
        "best": best_ref,
        "ratio": seconds["auction"] / reference,
    }


def batch_ms(form: str, repeats: int = 300) -> tuple[float, float]:
    """Median milliseconds of the whole ``run`` (prepare, solve, validate) and of solve()."""
    problem = perf_cases.BATCH[form]().problem
    solver = get_solver("auction")
    run(solver, problem)  # warm: imports and JIT cache loads are a process's one-off cost
    whole, solve_only = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        solution = run(solver, problem)
        whole.append(time.perf_counter() - start)
        solve_only.append(solution.stats["solve_seconds"])
    return 1e3 * statistics.median(whole), 1e3 * statistics.median(solve_only)


FRESH = """
import time
start = time.perf_counter()
import numpy as np
from solvers import Problem, get_solver, run
problem = Problem.from_dense(np.arange(12).reshape(3, 4))
run(get_solver("auction"), problem)
print(time.perf_counter() - start)
"""


def fresh_process_seconds() -> tuple[float, float]:
    """Wall seconds of a new interpreter to its first validated auction solve (warm cache),
    and the in-process part (imports + first solve)."""
    subprocess.run([sys.executable, "-c", FRESH], cwd=REPO, check=True, capture_output=True)
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", FRESH], cwd=REPO, check=True, capture_output=True, text=True
    )
    return time.perf_counter() - start, float(out.stdout)


def main(argv: list[str] | None = None) -> None:
    """Print the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="target keys to run")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    targets = [t for t in perf_cases.TARGETS if args.only is None or t.key in args.only]
    print("| case | shape | auction s | peers s (runs) | best ref. | ratio | target | met |")
    print("|---|---|---|---|---|---|---|---|")
    for target in targets:
        row = measure(target, args.repeats)
        peer_text = ", ".join(
            f"{n} {s:.3f} ({row['runs'][n]})" for n, s in row["seconds"].items() if n != "auction"
        )
        met = "yes" if row["ratio"] <= target.ratio else "no"
        print(
            f"| {target.key} | {row['case'].shape} | {row['seconds']['auction']:.3f} | "
            f"{peer_text} | {row['best']} | {row['ratio']:.2f}x | <= {target.ratio}x | {met} |",
            flush=True,
        )
    if args.only is None or "batch" in args.only:
        print("\n| batch 200 tasks x 2,000 workers, k=20 | run() ms (median) | solve() ms |")
        print("|---|---|---|")
        for form in perf_cases.BATCH:
            whole, solve = batch_ms(form)
            print(f"| {form} form | {whole:.3f} | {solve:.3f} |")
        wall, inside = fresh_process_seconds()
        print(f"\nfresh process, warm numba cache: {wall:.2f} s wall to the first solve "
              f"({inside:.2f} s after interpreter start-up)")  # fmt: skip


if __name__ == "__main__":
    main()
