"""The speed gate's history: one JSON line per run, and a plot of ratio / baseline per commit.

The history is not committed: ratios are specific to a machine, and a shared file would mix
machines and conflict on every merge. Each machine (CI included) appends to its own copy,
outside the working tree: ``$GIGBENCH_PERF_HISTORY`` if set, else
``$XDG_CACHE_HOME/gigbench/perf-history.jsonl`` (``~/.cache/...``).
Each record carries the commit, the dirty flag and the machine, so the plot can be read
honestly. The committed reference is ``baseline.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["append", "default_path", "load", "machine", "plot", "record"]


def default_path() -> Path:
    """``$GIGBENCH_PERF_HISTORY``, else ``$XDG_CACHE_HOME/gigbench/perf-history.jsonl``."""
    if os.environ.get("GIGBENCH_PERF_HISTORY"):
        return Path(os.environ["GIGBENCH_PERF_HISTORY"])
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "gigbench" / "perf-history.jsonl"


def machine() -> dict[str, Any]:
    """Commit, dirty flag and what the ratios depend on: CPU, cores, library versions."""
    import platform

    from gigbench.harness.rows import environment

    env = environment()
    return {
        "commit": env.get("git_commit", ""),
        "dirty": bool(env.get("git_dirty")),
        "host": platform.node(),
        "cpu": env.get("cpu_model", ""),
        "cores": os.cpu_count(),
        "python": env.get("python", ""),
        "numpy": env.get("version_numpy", ""),
        "scipy": env.get("version_scipy", ""),
        "numba": env.get("version_numba", ""),
    }


def record(**fields: Any) -> dict[str, Any]:
    """One history record: the time, :func:`machine` and the run's ``fields``."""
    env = machine()
    return {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": env.pop("commit"),
        "dirty": env.pop("dirty"),
        "machine": env,
        **fields,
    }


def append(path: Path, entry: dict[str, Any]) -> None:
    """Append one record as a JSON line (creating the folder and file if needed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as out:
        out.write(json.dumps(entry, sort_keys=True) + "\n")


def load(path: Path) -> list[dict[str, Any]]:
    """Every record of ``path`` (none if the file does not exist); bad lines are skipped."""
    path = Path(path)
    if not path.is_file():
        return []
    records = []
    for line in path.read_text().splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def plot(
    records: list[dict[str, Any]],
    baseline: dict[str, float],
    out: Path | None = None,
    threshold: float | None = None,
) -> Path:
    """One panel per solver: ratio / baseline of each case per run, in run order, labelled by
    short commit (``+`` = dirty tree); the gate's threshold dashed, failed runs marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out) if out else default_path().with_suffix(".png")
    keys = sorted({k for r in records for k in r.get("ratios", {}) if k in baseline})
    solvers = sorted({k.split("/", 1)[1] for k in keys})
    cases = sorted({k.split("/", 1)[0] for k in keys})
    if not solvers:
        raise ValueError("no history record has a ratio with a baseline to compare with")
    fig, axes = plt.subplots(
        len(solvers), 1, figsize=(max(8, 0.25 * len(records) + 4), 2.4 * len(solvers) + 1),
        sharex=True, sharey=True, squeeze=False,
    )  # fmt: skip
    x = list(range(len(records)))
    labels = [r.get("commit", "")[:7] + ("+" if r.get("dirty") else "") for r in records]
    colours = {c: f"C{i}" for i, c in enumerate(cases)}
    for ax, solver in zip(axes[:, 0], solvers, strict=True):
        for case in cases:
            key = f"{case}/{solver}"
            if key not in baseline:
                continue
            ys = [r.get("ratios", {}).get(key) for r in records]
            ys = [y / baseline[key] if y is not None else float("nan") for y in ys]
            ax.plot(x, ys, marker="o", ms=3, lw=1, color=colours[case], label=case)
            bad = [i for i, r in enumerate(records) if key in r.get("failed", [])]
            ax.plot(bad, [ys[i] for i in bad], "x", color="red", ms=9, mew=2)
        limit = threshold or max((r.get("threshold", 0) for r in records), default=0) or None
        ax.axhline(1.0, color="grey", lw=0.8)
        if limit:
            ax.axhline(limit, color="red", ls="--", lw=1, label=f"gate ({limit:g}x)")
        ax.set_yscale("log", base=2)
        ax.set_yticks([0.5, 0.75, 1, 1.5, 2, 3], ["0.5", "0.75", "1", "1.5", "2", "3"])
        ax.minorticks_off()
        ax.set_ylabel(f"{solver}\nratio / baseline")
        ax.grid(True, which="both", alpha=0.3)
    axes[0, 0].legend(fontsize=7, ncol=3, loc="upper left")
    axes[0, 0].set_title(
        "speed gate history: (solve s / scipy s) / baseline ratio; red x = gate failure"
    )
    axes[-1, 0].set_xticks(x, labels, rotation=90, fontsize=7)
    axes[-1, 0].set_xlabel("run (commit, oldest first; + = uncommitted changes)")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
