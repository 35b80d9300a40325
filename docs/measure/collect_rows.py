"""Time ``gigbench-collect`` on N row files written by the harness's own ``make_row``.

python docs/measure/collect_rows.py /tmp/rows10k 10000
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stamp import stamp  # the script's own folder is on sys.path

from gigbench.harness.rows import environment, make_row, write_row
from gigbench.market.catalogue import SIMULATE, metrics_in

METRICS = [metric.name for metric in metrics_in(SIMULATE)]  # a simulation's row, as catalogued


def write_rows(folder: Path, n: int) -> None:
    """``n`` rows like a pareto sweep's (a failed run in 50, a null metric in 7)."""
    rng, env, start = random.Random(0), environment("basic", 1, 1), datetime.now(UTC)
    for i in range(n):
        config = {"solver": {"name": rng.choice(["greedy", "hungarian", "auction"])},
                  "objective": {"name": "fair", "lambda": rng.choice([0, 0.5, 1])},
                  "instance": {"name": "city", "seed": i}, "market": {"name": "nyc"},
                  "mode": {"name": "simulate"}, "pricing": {"name": "tariff"}}  # fmt: skip
        metrics = {m: rng.random() for m in METRICS}
        if i % 7 == 0:  # too few requests per zone
            metrics["zone_service_gini"] = float("nan")
        status = "ok" if i % 50 else "timeout"
        write_row(folder, make_row(config, f"{i:016x}", status, started_at=start,
                                   finished_at=start + timedelta(seconds=3), env=env,
                                   metrics=metrics if status == "ok" else None))  # fmt: skip


def main(folder: Path, n: int) -> None:
    if not (folder / "rows").is_dir():
        write_rows(folder, n)
    print(stamp())
    started = time.perf_counter()
    subprocess.run(["gigbench-collect", str(folder)], check=True)
    print(f"gigbench-collect: {time.perf_counter() - started:.1f} s;", "load after:",
          os.getloadavg())  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10000)
