"""Simulation speed for docs/measured/speed.md: the default day and the 500,000-request day
(repositioning off and on), interleaved rounds, medians, the load of each round.

    python docs/measure/sim_speed.py 3            # rounds (default 3)
    python docs/measure/sim_speed.py 5 default    # only the default day

Wall is the whole ``gigbench`` command (start-up, the day's generation, writing the row and
the run's tables); the stage seconds are the run's own ``stage_s_*`` columns. "Outside" is
the wall time less candidate building (candidates, acceptance, weights) and matching: the
bookkeeping with start-up and writing counted, per batch.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
from catalogued import col
from stamp import stamp  # the script's own folder is on sys.path

BIG = ["instance.n_tasks=500000", "instance.n_workers=25000", "instance.size_km=20",
       "solver=auction"]  # fmt: skip
COMMANDS = {
    "default": [],
    "500k none": [*BIG, "reposition=none"],
    "500k rebalance": [*BIG, "reposition=rebalance"],
}
EDGE_STAGES = ("candidates", "acceptance", "weigh")


def measure(args: list[str], folder: Path) -> dict[str, float]:
    """One run of ``gigbench args``: its wall time and the row's stage seconds."""
    started = time.perf_counter()
    out = subprocess.run(
        ["gigbench", *args, f"results_dir={folder}", "run.redo=true"],
        cwd=folder.parent, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"gigbench {' '.join(args)} failed: {out.stderr[-500:]}")
    row = pq.ParquetFile(next((folder / "rows").glob("*.parquet"))).read().to_pylist()[0]
    stages = {k[len("m_stage_s_") :]: v for k, v in row.items() if k.startswith("m_stage_s_")}
    edge = sum(stages.get(k, 0.0) for k in EDGE_STAGES)
    match = stages["match"]
    other = sum(v for k, v in stages.items() if k not in (*EDGE_STAGES, "match"))
    batches = row[col("batches")]
    return {
        "wall": wall,
        "stages": sum(stages.values()),
        "edge": edge,
        "match": match,
        "solve": row[col("solve_s_total")],
        "other_stages": other,
        "other_ms_per_batch": 1000 * other / batches,
        "outside": wall - edge - match,
        "outside_ms_per_batch": 1000 * (wall - edge - match) / batches,
        **{f"stage {k}": v for k, v in stages.items()},
    }


def main(rounds: int, names: list[str]) -> None:
    print(stamp())
    tmp = Path(tempfile.mkdtemp(prefix="simspeed"))
    results: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    loads = []
    for _ in range(rounds):
        loads.append(os.getloadavg())
        for name in names:
            results[name].append(measure(COMMANDS[name], tmp / name.replace(" ", "_")))
    loads.append(os.getloadavg())
    for name, runs in results.items():
        print(f"== {name} ({len(runs)} rounds): median (min-max)")
        for key in runs[0]:
            values = [r[key] for r in runs]
            print(f"  {key:24s} {statistics.median(values):8.3f} "
                  f"({min(values):.3f}-{max(values):.3f})")  # fmt: skip
    rounded = [tuple(round(x, 2) for x in load) for load in loads]
    print("load averages (1, 5, 15 min) per round:", rounded)


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 3,
        [" ".join(sys.argv[2:])] if len(sys.argv) > 2 else list(COMMANDS),
    )
