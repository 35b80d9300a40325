"""The auction against its peers, measured in one run: median seconds and ratios.

    python -m gigbench.perf.auction_table                       # every peer case
    python -m gigbench.perf.auction_table --only rect_500x5000 nyc_day --repeats 7
    python -m gigbench.perf.auction_table --prepare             # prepare/solve of every solver
    python -m gigbench.perf.auction_table --startup             # a fresh process's first solve

Each row: median seconds of the auction's ``solve()``, of the checker's validation of its
answer (:func:`gigbench.solvers.validate`, with its share of the solve) and the status the
answer claims, then of every peer's solve over
interleaved rounds (auction, peer 1, peer 2, ..., auction, ...: load drifting on a shared
machine hits every solver alike), summed over the case's problems, and the ratio to the best
peer. Nothing is timed before every solver's objective has been checked equal to the
auction's validated optimum, and it is checked again after timing. The auction's
``prepare()`` is untimed, as is each peer's input building. A solver 10x slower than the
fastest in the first round is not repeated; a peer whose objective differs from the optimum
(src-d's lapjv computes in float32) is named, not timed. Prints Markdown with the load averages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from gigbench.perf import cases, peers
from gigbench.solvers import available_solvers, get_solver, run, validate


def load() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def auction_solver(case: cases.Case) -> tuple[Callable[[], float | int], float | int]:
    """The auction prepared on every problem of ``case`` (untimed) and the validated optimum."""
    optimum = sum(run(get_solver("auction"), p).objective for p in case.problems)
    prepared = []
    for problem in case.problems:
        solver = get_solver("auction")
        solver.prepare(problem)
        prepared.append(solver)
    return (lambda: sum(s.solve().objective for s in prepared)), optimum


def certificate(case: cases.Case, repeats: int = 3) -> tuple[float, set[str]]:
    """Median seconds of :func:`gigbench.solvers.validate` over the auction's solutions of
    ``case`` (summed over its problems), and the statuses they carry."""
    solutions = [get_solver("auction") for _ in case.problems]
    for solver, problem in zip(solutions, case.problems, strict=True):
        solver.prepare(problem)
    answers = [solver.solve() for solver in solutions]
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for problem, solution in zip(case.problems, answers, strict=True):
            validate(problem, solution)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), {str(a.status) for a in answers}


def peer_solvers(case: cases.Case) -> dict[str, Callable[[], float | int]]:
    """Every peer that takes every problem of ``case``, inputs built (untimed)."""
    out = {}
    for name, setup in peers.PEERS.items():
        calls = [setup(p) for p in case.problems]
        if all(call is not None for call in calls):
            out[name] = lambda calls=calls: sum(call() for call in calls)
    return out


def interleaved(solvers: dict, repeats: int) -> tuple[dict, dict]:
    """Median seconds per solver over interleaved rounds, and the number of rounds each ran."""
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


def measure(name: str, repeats: int, skip: tuple[str, ...] = ()) -> dict:
    """Seconds of the auction and of each peer on one case, objectives checked around it."""
    case = cases.get_case(name)
    auction, optimum = auction_solver(case)
    solvers = {"auction": auction} | {n: s for n, s in peer_solvers(case).items() if n not in skip}
    wrong = {}
    for label, solve in list(solvers.items()):
        got = solve()
        if label == "auction":
            assert got == optimum, f"{name}: the auction found {got}, then {optimum}"
        elif got != optimum:  # an inexact peer (float32 inside) is reported, not timed
            wrong[label] = got
            del solvers[label]
    seconds, runs = interleaved(solvers, repeats)
    for label, solve in solvers.items():
        assert solve() == optimum, f"{name}: {label} changed its answer after timing"
    others = {n: s for n, s in seconds.items() if n != "auction"}
    best = min(others, key=others.get)
    validate_s, statuses = certificate(case)
    return {
        "case": case, "seconds": seconds, "runs": runs, "best": best, "wrong": wrong,
        "ratio": seconds["auction"] / others[best], "load": load(), "validate": validate_s,
        "status": "/".join(sorted(statuses)),
    }  # fmt: skip


def prepare_shares(names: list[str], repeats: int = 3) -> list[tuple[str, str, float, float]]:
    """(case, solver, prepare s, solve s) for every solver on every case: medians of
    ``repeats`` runs of prepare() and solve() over the case's problems."""
    out = []
    for name in names:
        case = cases.get_case(name)
        for solver in available_solvers():
            instance = get_solver(solver)
            if any(instance.skip(p) for p in case.problems):
                continue
            if solver == "milp" and max(p.n_edges for p in case.problems) > 200_000:
                continue  # minutes per solve: see MILP.md
            prep, solve = [], []
            for _ in range(repeats):
                instances = [get_solver(solver) for _ in case.problems]
                t0 = time.perf_counter()
                for inst, problem in zip(instances, case.problems, strict=True):
                    inst.prepare(problem)
                t1 = time.perf_counter()
                for inst in instances:
                    inst.solve()
                t2 = time.perf_counter()
                prep.append(t1 - t0)
                solve.append(t2 - t1)
            out.append((name, solver, statistics.median(prep), statistics.median(solve)))
    return out


FRESH = """
import time
start = time.perf_counter()
import numpy as np
from gigbench.solvers import Problem, get_solver, run
problem = Problem.from_dense(np.arange(12).reshape(3, 4))
run(get_solver("auction"), problem)
print(time.perf_counter() - start)
"""


def fresh_process_seconds() -> tuple[float, float]:
    """Wall seconds of a new interpreter to its first validated auction solve (warm cache),
    and the in-process part (imports + first solve)."""
    subprocess.run([sys.executable, "-c", FRESH], check=True, capture_output=True)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", FRESH], check=True, capture_output=True, text=True)
    return time.perf_counter() - start, float(out.stdout)


def main(argv: list[str] | None = None) -> None:
    """Print the Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="peer cases to run")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip", nargs="*", default=[], help="peers to leave out")
    parser.add_argument("--prepare", action="store_true", help="prepare/solve of every solver")
    parser.add_argument("--startup", action="store_true", help="fresh process to first solve")
    args = parser.parse_args(argv)
    absent = "; ".join(reason for reason in peers.MISSING.values() if reason) or "none"
    print(f"load average at start: {load()}; peers not installed: {absent}\n")
    if args.prepare:
        print("| case | solver | prepare s | solve s | prepare / solve |\n|---|---|---|---|---|")
        names = list(cases.CASES) + list(args.only or cases.PEER_CASES)
        for name, solver, prep, solve in prepare_shares(names):
            print(f"| {name} | {solver} | {prep:.4f} | {solve:.4f} | {prep / solve:.2f} |")
        return
    if args.startup:
        wall, inside = fresh_process_seconds()
        print(f"fresh process, warm numba cache: {wall:.2f} s wall to the first validated solve "
              f"({inside:.2f} s after interpreter start-up); load {load()}")  # fmt: skip
        return
    print(
        "| case | shape | auction s | validate s (of solve) | status | peers s (rounds) | "
        "best peer | ratio | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.only or cases.PEER_CASES:
        row = measure(name, args.repeats, tuple(args.skip))
        text = ", ".join(
            f"{n} {s:.4f} ({row['runs'][n]})" for n, s in row["seconds"].items() if n != "auction"
        )
        text += "".join(f", {n} wrong ({got})" for n, got in row["wrong"].items())
        solve = row["seconds"]["auction"]
        print(
            f"| {name} | {row['case'].shape} | {solve:.4f} | {row['validate']:.4f} "
            f"({row['validate'] / solve:.0%}) | {row['status']} | {text} | {row['best']} | "
            f"{row['ratio']:.2f}x | {row['load']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
