"""What the harness costs beyond the runs' own work, for docs/measured/speed.md: interleaved
rounds, medians, the load of each round. Each COMMAND is a ``gigbench`` executable (a venv's
``bin/gigbench``; default: the one on PATH), so two checkouts can be compared round by round.

    python docs/measure/harness_cost.py sweep --launcher basic --runs 100 --rounds 3 [COMMAND ...]
    python docs/measure/harness_cost.py sweep --launcher joblib --jobs 2 [COMMAND ...]
    python docs/measure/harness_cost.py day --rounds 5 [COMMAND ...]

``sweep``: one command sweeping ``instance.seed`` over ``--runs`` 100-request days. A run's own
work is its row's ``wall_seconds`` (from just before its child is forked to its result: the
instance, the simulation and its tables); the fixed cost a run is the rest of the launcher's
worker time, ``(command wall x jobs - sum of the runs' wall_seconds) / runs``: the interpreter,
imports, Hydra's composition of each job, claims, rows, the ledger and the exit. ``day``: the
whole ``gigbench`` command of the default day (the config's defaults), wall time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
from stamp import stamp  # the script's own folder is on sys.path

DAY_100 = ["instance.n_tasks=100", "instance.n_workers=10"]


def sweep_once(command: str, folder: Path, runs: int, launcher: str, jobs: int) -> float:
    """One sweep of ``runs`` 100-request days into a fresh ``folder``; fixed seconds a run."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    seeds = ",".join(str(seed) for seed in range(runs))
    args = [command, "-m", f"instance.seed={seeds}", *DAY_100, f"results_dir={folder}/res",
            f"hydra.sweep.dir={folder}/hydra"]  # fmt: skip
    if launcher == "joblib":
        args += ["hydra/launcher=joblib", f"hydra.launcher.n_jobs={jobs}"]
    started = time.perf_counter()
    out = subprocess.run(args, cwd=folder, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"{command} failed: {out.stderr[-1000:]}")
    own = 0.0
    for path in (folder / "res" / "rows").glob("*.parquet"):
        own += pq.read_table(path, columns=["wall_seconds"]).column(0)[0].as_py()
    return (wall * (jobs if launcher == "joblib" else 1) - own) / runs


def day_once(command: str, folder: Path) -> float:
    """The default day, recomputed: the whole command's wall seconds."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    out = subprocess.run([command, f"results_dir={folder}/res", "run.redo=true"], cwd=folder,
                         capture_output=True, text=True)  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"{command} failed: {out.stderr[-1000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["sweep", "day"])
    parser.add_argument("commands", nargs="*", default=["gigbench"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--launcher", choices=["basic", "joblib"], default="basic")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_intermixed_args()
    print(stamp())
    tmp = Path(tempfile.mkdtemp(prefix="harnesscost"))
    results: dict[str, list[float]] = {c: [] for c in args.commands}
    loads = []
    for _ in range(args.rounds):
        loads.append(os.getloadavg())
        for i, command in enumerate(args.commands):
            if args.what == "sweep":
                value = sweep_once(command, tmp / str(i), args.runs, args.launcher, args.jobs)
            else:
                value = day_once(command, tmp / str(i))
            results[command].append(value)
            print(f"  {command}: {value:.3f} s", flush=True)
    loads.append(os.getloadavg())
    what = (
        f"fixed cost a run, {args.runs}-run sweep, {args.launcher}"
        + (f" n_jobs={args.jobs}" if args.launcher == "joblib" else "")
        if args.what == "sweep"
        else "default day, whole command"
    )
    print(what)
    for command, values in results.items():
        print(f"  {command}: median {statistics.median(values):.3f} s "
              f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} rounds)")  # fmt: skip
    print("load averages (1, 5, 15 min) per round:",
          [tuple(round(x, 2) for x in load) for load in loads])  # fmt: skip
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
