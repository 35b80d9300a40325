"""The sweep as the user sees it: a line per run with its swept keys, an estimate, a summary.

The ``gigbench`` process plans the sweep (size, swept keys) and hands it to every job through
``GIGBENCH_SWEEP`` (inherited by joblib, submitit and local Ray workers; passed to a Ray cluster
through its ``runtime_env``). Each job appends its outcome to a ledger,
``<results_dir>/sweeps/<sweep id>.jsonl``, from which it estimates what remains and the parent
prints the summary at the end.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SWEEP_ENV = "GIGBENCH_SWEEP"


@dataclass
class Sweep:
    """One command's sweep: its id, size, swept keys, start time and results folders."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    size: int = 1
    swept: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    results_dirs: list[str] = field(default_factory=list)

    def export(self) -> None:
        """Hand the sweep to every job started from this process."""
        os.environ[SWEEP_ENV] = json.dumps(self.__dict__)

    @classmethod
    def current(cls) -> Sweep | None:
        """The sweep this job belongs to (None outside ``gigbench``'s own process tree)."""
        text = os.environ.get(SWEEP_ENV)
        if not text:
            return None
        try:
            return cls(**json.loads(text))
        except (TypeError, ValueError):
            return None

    def ledger(self, results_dir: str | Path) -> Path:
        """The ledger of this sweep in ``results_dir``."""
        return Path(results_dir) / "sweeps" / f"{self.id}.jsonl"

    def record(self, results_dir: str | Path, entry: dict[str, Any]) -> None:
        """Append one run's outcome (one ``write`` of one line: whole even among writers)."""
        path = self.ledger(results_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(entry) + "\n").encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def entries(self) -> list[dict[str, Any]]:
        """Every outcome recorded so far, in every results folder of the sweep."""
        found = []
        for folder in self.results_dirs:
            try:
                lines = self.ledger(folder).read_text().splitlines()
            except OSError:
                continue
            for line in lines:
                try:
                    found.append(json.loads(line))
                except ValueError:
                    continue
        return found

    def estimate(self, parallel: int) -> str:
        """``about 4 min left``: the mean time of the runs computed so far times those left,
        shared among ``parallel`` runs at once."""
        done = self.entries()
        timed = [e["seconds"] for e in done if e.get("status") != "skipped"]
        left = self.size - len(done)
        if left <= 0 or not timed:
            return ""
        return f"about {_duration(sum(timed) / len(timed) * left / max(1, parallel))} left"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def summary(sweep: Sweep) -> tuple[str, int]:
    """The end-of-sweep table and how many runs failed."""
    entries = sweep.entries()
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    failed = sum(n for status, n in counts.items() if status not in ("ok", "skipped"))
    wall = time.time() - sweep.started
    lines = [
        f"gigbench: sweep of {sweep.size} runs in {_duration(wall)}",
        f"  {'ok':<10}{counts.get('ok', 0):>6}",
        f"  {'failed':<10}{failed:>6}"
        + (
            "  ("
            + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in ("ok", "skipped"))
            + ")"
            if failed
            else ""
        ),
        f"  {'skipped':<10}{counts.get('skipped', 0):>6}",
    ]
    missing = sweep.size - len(entries)
    if missing > 0:
        lines.append(f"  {'not run':<10}{missing:>6}")
    for folder in sweep.results_dirs:
        lines.append(f"  rows in {Path(folder) / 'rows'}; gigbench-report {folder}")
    return "\n".join(lines), failed + max(missing, 0)


def done_count(sweep: Sweep | None) -> int:
    """How many runs of ``sweep`` have ended (0 without a sweep)."""
    return len(sweep.entries()) if sweep else 0
