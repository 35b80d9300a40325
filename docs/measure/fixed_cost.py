"""Fixed cost of small gigbench runs: interleaved rounds, medians, the load of each round.

python docs/measure/fixed_cost.py 3        # rounds (default 5)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

from stamp import stamp  # the script's own folder is on sys.path

SWEEP = ["gigbench", "-m", "mode=static", "mode.sizes=[5]", "mode.seed=0,1,2,3,4,5,6,7",
         "solver=greedy", "run.redo=true"]  # fmt: skip
DAY = ["gigbench", "instance.n_tasks=100", "instance.n_workers=10", "run.redo=true"]


def main(rounds: int) -> None:
    print(stamp())
    tmp = tempfile.mkdtemp(prefix="fixedcost")
    cases = {
        "python -c pass": ["python", "-c", "pass"],
        "gigbench --help": ["gigbench", "--help"],
        "gigbench --cfg job": ["gigbench", "--cfg", "job"],
        "100-request day, auction": [*DAY, "solver=auction", f"results_dir={tmp}/day"],
        "100-request day, hungarian": [*DAY, "solver=hungarian", f"results_dir={tmp}/day"],
        "8 tiny static runs, forked": [*SWEEP, f"results_dir={tmp}/fork"],
        "8 tiny static runs, in-process": [*SWEEP, f"results_dir={tmp}/in", "run.isolate=false"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    loads = []
    for _ in range(rounds):
        loads.append(os.getloadavg())
        for name, command in cases.items():
            started = time.perf_counter()
            out = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
            times[name].append(time.perf_counter() - started)
            if out.returncode != 0:
                raise SystemExit(f"{name} failed: {out.stderr[-500:]}")
    loads.append(os.getloadavg())
    for name, values in times.items():
        print(f"{name:<34} median {statistics.median(values):6.2f} s "
              f"(min {min(values):.2f}, max {max(values):.2f})")  # fmt: skip
    rounded = [tuple(round(x, 2) for x in load) for load in loads]
    print("load averages (1, 5, 15 min) per round:", rounded)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
