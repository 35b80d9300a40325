"""Scale check of the TLC replay: one day out of a month of 20 million high-volume FHV trips.

    python -m gigbench.perf.replay_scale [--rows 20000000] [--day 2024-01-15]
        [--file /tmp/gigbench/fhvhv_tripdata_2024-01.parquet] [--zones nyc]

Writes the synthetic month with ``gigbench-tlc-synth`` if the file is missing (timed), then
replays one day in a fresh subprocess and reports its wall seconds and peak resident memory
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``). Targets: under 20 s and under 4 GB.
``--zones``: ``nyc`` (the zone table gigbench ships, the default) or a ``LocationID,lon,lat``
CSV.
The exit code is 1 when a target is missed. The file stays under /tmp: never commit it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

TARGET_S, TARGET_GB = 20.0, 4.0

_CHILD = """
import json, sys, time
started = time.perf_counter()
from gigbench.instances.tlc import ReplayParams, replay
scenario, report = replay(ReplayParams(path=sys.argv[1], zones=sys.argv[2], day=sys.argv[3]), 0)
print(json.dumps({"seconds": time.perf_counter() - started, "tasks": scenario.n_tasks,
                  "workers": scenario.n_workers, "report": report.as_dict()}))
"""


def main(argv: list[str] | None = None) -> int:
    """Generate if needed, replay one day in a subprocess, print and check the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--file", default="/tmp/gigbench/fhvhv_tripdata_2024-01.parquet")
    parser.add_argument("--day", default="2024-01-15")
    parser.add_argument("--zones", default="nyc")
    args = parser.parse_args(argv)
    path = Path(args.file)
    if not path.is_file():
        from gigbench.instances.tlc_synth import write_fhvhv

        started = time.perf_counter()
        write_fhvhv(path, args.rows, month=args.day[:7])
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s -> {path}")
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), args.zones, args.day],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2  # KiB on Linux
    result = json.loads(out.stdout.strip().splitlines()[-1])
    report = result["report"]
    print(
        f"replay of {args.day}: {report['input_rows']:,} input rows, {report['kept_rows']:,} kept "
        f"({result['tasks']:,} tasks, {result['workers']:,} workers)"
    )
    print(
        f"  replay {result['seconds']:.2f} s (process wall {wall:.2f} s), peak RSS {peak_gb:.2f} GB"
    )
    ok = wall < TARGET_S and peak_gb < TARGET_GB
    print(f"  targets < {TARGET_S:g} s and < {TARGET_GB:g} GB: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
