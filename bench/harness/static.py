"""Static mode: solve a fixed set of problems with one solver; speed and optimality.

Sources: OR-Library files (published optima checked), seeded random dense cost matrices, or
the batches a simulation recorded (``mode.record=true``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
from omegaconf import DictConfig

from gigbench.errors import ConfigError
from gigbench.harness.modes import RunOutput
from gigbench.instances import read_orlib
from gigbench.instances.orlib import ORLIB_URL, verify_published
from gigbench.solvers import Problem, SkipProblem, Solver, run

PROBLEM_SETS = ("orlib", "recording", "random")
RECORDING_FILES = ("batches.parquet", "edges.parquet", "capacity.parquet")


def _require(ok: bool, key: str, expected: str, got) -> None:
    if not ok:
        raise ConfigError(f"{key}: expected {expected}, got {got!r}")


class Static:
    """``mode=static``: solve ``cfg.mode``'s problem set with one solver."""

    def __init__(self, cfg: DictConfig, solver: Solver) -> None:
        mode = self.mode = cfg.mode
        self.solver = solver
        _require(
            mode.problems in PROBLEM_SETS, "mode.problems", f"one of {PROBLEM_SETS}", mode.problems
        )
        _require(mode.repeats >= 1, "mode.repeats", "at least 1", mode.repeats)
        _require(mode.seed >= 0, "mode.seed", "an integer >= 0", mode.seed)
        if mode.problems == "random":
            sizes = list(mode.sizes)
            _require(min(sizes, default=0) >= 0, "mode.sizes", "sizes >= 0", sizes)
        elif mode.problems == "orlib":
            for file in orlib_files(mode.path):
                verify_published(file)
        elif not mode.path:
            raise ConfigError(f"mode.problems={mode.problems} needs mode.path=<file or folder>")
        elif not Path(mode.path).exists():
            raise ConfigError(
                f"mode.path: expected an existing folder recorded with mode.record=true, got "
                f"{mode.path!r}"
            )
        elif mode.problems == "recording":
            missing = [n for n in RECORDING_FILES if not (Path(mode.path) / n).is_file()]
            _require(not missing, "mode.path", "a batch recording (mode.record=true)", mode.path)

    def warm_problem(self) -> Problem:
        """A complete 2 x 2 problem: the problem sets are mostly dense."""
        return Problem.from_dense(np.array([[3, 1], [2, 4]], dtype=np.int64))

    def execute(self, run_dir: Path) -> RunOutput:
        """Solve the problem set."""
        mode = self.mode
        if mode.problems == "orlib":
            problems = orlib_problems(mode.path)
        elif mode.problems == "recording":
            from gigbench.sim.recording import read_recording

            problems = read_recording(mode.path)
        else:
            problems = random_problems(list(mode.sizes), mode.seed)
        metrics, table = solve_all(self.solver, problems, mode.repeats)
        return RunOutput(metrics, {"problems": table})


def orlib_files(path: str | Path | None) -> list[Path]:
    """The OR-Library file ``path`` or the ``assign*.txt`` files of the folder ``path``; a
    :class:`ConfigError` saying where to get them when there are none."""
    fix = f"download the assign*.txt files from {ORLIB_URL} and pass mode.path=<their folder>"
    if not path:
        raise ConfigError(f"mode.path: expected OR-Library's files (not shipped), got none; {fix}")
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"mode.path: expected OR-Library's files, got {path} (missing); {fix}")
    files = sorted(path.glob("assign*.txt"), key=_natural) if path.is_dir() else [path]
    if not files:
        raise ConfigError(f"mode.path: expected assign*.txt files in {path}, got none; {fix}")
    return files


def orlib_problems(path: str | Path) -> Iterator[tuple[Problem, float | None]]:
    """(problem, published optimum) for an OR-Library file or every file in a folder."""
    for file in orlib_files(path):
        inst = read_orlib(file)
        problem = Problem.from_edges(
            inst.n, inst.n, inst.rows, inst.cols, inst.costs, sense="min", full=True, name=inst.name
        )
        yield problem, inst.optimum


def random_problems(sizes: list[int], seed: int) -> Iterator[tuple[Problem, float | None]]:
    """Dense square min-cost problems with integer costs in [0, 1000), one per size."""
    rng = np.random.default_rng(seed)
    for n in sizes:
        if n < 0:
            raise ConfigError(f"mode.sizes: expected non-negative sizes, got {n}")
        cost = rng.integers(0, 1000, (n, n))
        yield Problem.from_cost_matrix(cost, name=f"random{n}"), None


def _natural(path: Path) -> tuple[str, int]:
    digits = "".join(ch for ch in path.stem if ch.isdigit())
    return (path.stem.rstrip("0123456789"), int(digits or 0))


def solve_all(
    solver: Solver, problems: Iterator[tuple[Problem, float | None]], repeats: int = 1
) -> tuple[dict[str, float], pa.Table]:
    """Solve every problem ``repeats`` times; median solve seconds; optimum gaps."""
    records = []
    for problem, optimum in problems:
        try:
            solutions = [run(solver, problem) for _ in range(max(1, repeats))]
        except SkipProblem as reason:
            records.append({"problem": problem.name, "status": "SKIPPED", "message": str(reason)})
            continue
        best = solutions[0]
        seconds = float(np.median([s.stats["solve_seconds"] for s in solutions]))
        gap = (
            abs(best.objective - optimum) / max(abs(optimum), 1e-12)
            if optimum is not None
            else float("nan")
        )
        records.append(
            {
                "problem": problem.name,
                "n_rows": problem.n_rows,
                "n_cols": problem.n_cols,
                "n_edges": problem.n_edges,
                "status": str(best.status),
                "objective": float(best.objective),
                "published_optimum": float("nan") if optimum is None else float(optimum),
                "gap_to_optimum": gap,
                "solve_seconds": seconds,
                "message": "",
            }
        )
    table = pa.Table.from_pylist(records)
    solved = [r for r in records if r["status"] != "SKIPPED"]
    gaps = np.array([r["gap_to_optimum"] for r in solved], dtype=float)
    metrics = {
        "problems": float(len(records)),
        "skipped": float(len(records) - len(solved)),
        "optimal_share": float(np.mean([r["status"] == "OPTIMAL" for r in solved]))
        if solved
        else float("nan"),
        "max_gap_to_optimum": float(np.nanmax(gaps)) if np.isfinite(gaps).any() else float("nan"),
        "solve_s_total": float(sum(r["solve_seconds"] for r in solved)),
        "solve_s_median": float(np.median([r["solve_seconds"] for r in solved]))
        if solved
        else float("nan"),
    }
    return metrics, table
