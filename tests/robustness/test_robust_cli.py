"""Bad inputs through the real ``gigbench`` command: one line on stderr starting
``gigbench: error:``, exit code 2, no traceback (the three runs go in parallel)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES = {
    "interval-zero": (["mode.interval_s=0"], "mode.interval_s: expected seconds > 0"),
    "orlib-utf16": (
        ["mode=static", "mode.problems=orlib", "mode.path={tmp}/assign2.txt"],
        "assign2.txt: expected whitespace separated 64-bit integers",
    ),
    "orlib-costs-overflow-int64": (
        ["mode=static", "mode.problems=orlib", "mode.path={tmp}/assign3.txt"],
        "objectives cannot overflow",
    ),
    "replay-corrupt-gzip": (
        ["instance=replay", "instance.path={tmp}/trips.csv.gz", "instance.zones={tmp}/z.csv"],
        "expected gzip-compressed CSV",
    ),
}


def test_cli_bad_inputs_are_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "assign2.txt").write_bytes("2\n1 2 3 4\n".encode("utf-16"))
    big = 2**62
    (tmp_path / "assign3.txt").write_text(f"3\n{big} 1 1\n1 {big} 1\n1 1 {big}\n")
    (tmp_path / "trips.csv.gz").write_bytes(gzip.compress(b"tpep_pickup_datetime,x\n" * 50)[:30])
    (tmp_path / "z.csv").write_text("LocationID,lon,lat\n1,-73.9,40.7\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), HYDRA_FULL_ERROR="")
    env.pop("GIGBENCH_DEBUG", None)
    procs = {}
    for name, (args, _) in CASES.items():
        argv = [a.format(tmp=tmp_path) for a in args] + [f"results_dir={tmp_path}/res_{name}"]
        procs[name] = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from gigbench.harness.cli import main; "
                "sys.argv[0] = 'gigbench'; main()",
                *argv,
            ],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 2, (name, err[-1500:])
        assert err.startswith("gigbench: error: "), (name, err)
        assert err.count("\n") == 1 and "Traceback" not in err, (name, err)
        assert CASES[name][1] in err, (name, err)
