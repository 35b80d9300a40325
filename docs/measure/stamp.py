"""The line every docs/measure script prints first: when, at what commit, on what machine and at
what load it ran, so that a pasted table carries its own provenance (docs/measured/index.md)."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from gigbench.harness.rows import cpu_model

ROOT = Path(__file__).resolve().parents[2]


def _commit() -> str:
    """The short commit of the clone, with ``+dirty`` when tracked files changed; ``unknown``
    outside a git checkout."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def stamp() -> str:
    """``measured <UTC time>, commit <c>, <cpu> x <n> CPUs, load average <1, 5, 15 min>``."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{cpu_model()} x {os.cpu_count()} CPUs"
    return f"measured {when}, commit {_commit()}, {machine}, load average {load}"
