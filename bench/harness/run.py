"""One run: :func:`run` (``cfg`` -> its row), the task Hydra's entry point calls for every job.

* **Skip** a run whose row exists (``run.redo=true`` reruns it, ``run.retry_failed=true``
  reruns failed ones; a single run prints the row's figures, saying they were not recomputed)
  or that another live process has claimed (:mod:`gigbench.harness.claims`).
* **Build** its parts once, in the job's process: the solver and the mode
  (:func:`gigbench.harness.modes.build`), which checks the config; then prepare a built-in
  solver on the mode's problem in miniature, so that every run this process forks starts warm
  (a sweep's job imports once and forks each of its runs).
* **Isolate** the run in a forked child under ``run.timeout_s`` and ``run.memory_gb``, with a
  temporary folder of its own (:mod:`gigbench.harness.child`), or in-process with
  ``run.isolate=false``.
* **Record** one row whatever happened (:func:`gigbench.harness.rows.make_row`): ``ok``, ``error``
  (with the traceback in the row and the run's log), ``oom`` or ``timeout``; a user's mistake
  found only now is a row in a sweep and one line (exit 2) in a single run. A single run's
  summary: :mod:`gigbench.harness.summary`.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf, open_dict

from gigbench.harness import rows
from gigbench.harness.child import Outcome, outcome_of, run_forked, run_inline
from gigbench.harness.claims import Claim, Holder
from gigbench.harness.compose import RunConfig, run_options
from gigbench.harness.concurrency import ActiveRun
from gigbench.harness.failures import EXIT_BUG, UserError, checking_errors, error_line
from gigbench.harness.modes import Mode, build
from gigbench.harness.rows import Row
from gigbench.harness.summary import print_summary
from gigbench.harness.sweep import Sweep
from gigbench.io import run_id
from gigbench.kinds import plugin_provenance

log = logging.getLogger("gigbench")


@dataclass
class Job:
    """Where this job runs: its launcher, the runs that launcher starts at once, its place in
    the sweep and the overrides that make it this run."""

    launcher: str = "none"
    launcher_jobs: int = 1
    number: int = 0
    multirun: bool = False
    overrides: tuple[str, ...] = ()
    sweep: Sweep | None = None
    choices: dict[str, str] = field(default_factory=dict)  # group -> option, as chosen

    @classmethod
    def current(cls) -> Job:
        """This job, as Hydra and ``GIGBENCH_SWEEP`` describe it."""
        from hydra.core.hydra_config import HydraConfig
        from hydra.types import RunMode

        if not HydraConfig.initialized():
            return cls(sweep=Sweep.current())
        hc = HydraConfig.get()
        name = str(hc.runtime.choices.get("hydra/launcher") or "basic")
        launcher = hc.get("launcher") or {}
        jobs = 1
        for key in ("n_jobs", "array_parallelism", "tasks_per_node"):
            if isinstance(launcher.get(key), int):
                jobs = launcher.get(key)
                break
        if jobs < 0:  # joblib: -1 = all CPUs, -2 = all but one
            jobs = max(1, (os.cpu_count() or 1) + 1 + jobs)
        multirun = hc.mode == RunMode.MULTIRUN
        number = int(hc.job.get("num") or 0) if multirun else 0
        choices = {
            group: str(option)
            for group, option in hc.runtime.choices.items()
            if option is not None and not group.startswith("hydra")
        }
        overrides = tuple(hc.overrides.task)
        return cls(name, jobs, number, multirun, overrides, Sweep.current(), choices)

    def label(self) -> str:
        """``solver=auction objective.lambda=0.5``: the swept keys of this run (every
        override when the sweep is not known)."""
        swept = set(self.sweep.swept) if self.sweep and self.multirun else None
        keep = [
            o for o in self.overrides if swept is None or o.split("=", 1)[0].lstrip("+~") in swept
        ]
        return " ".join(keep) if keep else "(defaults)"

    def prefix(self) -> str:
        """``[3/25]`` in a sweep, ``''`` for a single run."""
        if not self.multirun:
            return ""
        size = self.sweep.size if self.sweep else "?"
        return f"[{self.number + 1}/{size}] "


def run(cfg: DictConfig) -> Row | None:
    """Run ``cfg`` under the harness: its row, or the row it already had; None when another
    live process is computing it."""
    job = Job.current()
    opts = run_options(cfg)
    config = OmegaConf.to_container(cfg, resolve=True)
    plugins = plugin_provenance(config)
    rid = run_id(config, plugins)
    results_dir = Path(cfg.results_dir)
    head = f"{job.prefix()}{job.label()}" if job.multirun else f"gigbench: run {rid}"

    old = rows.read_row(results_dir, rid)
    if old is not None and not opts.redo and not (opts.retry_failed and old["status"] != "ok"):
        _skip_existing(job, results_dir, rid, head, old)
        return old
    claim = Claim.take(results_dir, rid, opts.stale_claim_s)
    if isinstance(claim, Holder):
        _say(job, results_dir, rid, "skipped", 0.0, f"{head} skipped: run {rid} is being "
             f"computed by {claim}; run the command again when it is done")  # fmt: skip
        return None
    try:
        row, outcome = _run_claimed(cfg, config, rid, results_dir, opts, job, claim, plugins)
    finally:
        claim.release()
    seconds = row["wall_seconds"]
    if outcome.status == "ok":
        line = f"{head} ok {seconds:.1f} s"
    else:
        line = f"{head} {outcome.status}: {outcome.message}"
        if outcome.traceback:
            line += f" (traceback in {rows.log_path(results_dir, rid)})"
    _say(job, results_dir, rid, outcome.status, seconds, line)
    if not job.multirun:
        if outcome.status == "ok":
            print_summary(row, results_dir, job.choices, job.overrides)
        else:
            sys.exit(EXIT_BUG)
    return row


def _skip_existing(job: Job, results_dir: Path, rid: str, head: str, old: Row) -> None:
    """A run whose row exists: one line; a single run's figures, read from that row."""
    status = old["status"]
    if job.multirun or status != "ok":
        why = f": {old['message']}" if status != "ok" and old.get("message") else ""
        fix = "run.retry_failed=true" if status != "ok" else "run.redo=true"
        _say(job, results_dir, rid, "skipped", 0.0, f"{head} skipped: its row exists "
             f"(status {status}{why}, run {rid}); {fix} reruns it")  # fmt: skip
        return
    _say(job, results_dir, rid, "skipped", 0.0,
         f"{head} skipped: its row exists; not recomputed, its figures follow")  # fmt: skip
    print_summary(old, results_dir, job.choices, job.overrides, recomputed=False)


def _run_claimed(
    cfg: DictConfig,
    config: dict[str, Any],
    rid: str,
    results_dir: Path,
    opts: RunConfig,
    job: Job,
    claim: Claim,
    plugins: dict[str, Any],
) -> tuple[Row, Outcome]:
    """Build, run and record the claimed ``cfg`` (with the ``plugins`` it chose); (row,
    outcome)."""
    log_file = rows.log_path(results_dir, rid)
    if cfg.mode.get("progress") and job.launcher not in ("basic", "none"):
        # Parallel jobs' progress bars would overwrite one another on one terminal; each run
        # prints its own line when it ends instead.
        cfg = cfg.copy()
        with open_dict(cfg):
            cfg.mode.progress = False
    started = datetime.now(UTC)
    active = ActiveRun()
    try:
        outcome = _outcome(cfg, results_dir, rid, opts, claim, log_file)
    finally:
        concurrent = active.finish()
    finished = datetime.now(UTC)
    if outcome.user_error and not job.multirun:
        raise UserError(outcome.message)
    if outcome.traceback and not opts.isolate:  # a forked child writes its own
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "a") as f:
            f.write(outcome.traceback)
    payload = outcome.payload
    row = rows.make_row(
        payload.get("resolved") or config,
        rid,
        outcome.status,
        started_at=started,
        finished_at=finished,
        message=outcome.message,
        traceback=outcome.traceback,
        log=str(log_file) if log_file.is_file() else None,
        metrics=payload.get("metrics"),
        replay=payload.get("replay"),
        env=rows.environment(job.launcher, job.launcher_jobs, concurrent),
        plugins=plugins,
    )
    try:
        rows.write_row(results_dir, row)
    except OSError as exc:  # a full or read-only disk: one line, the sweep cannot go on
        raise UserError(f"run {rid} {outcome.status}; its row could not be written: {exc}") from exc
    return row.to_pylist()[0], outcome


def _outcome(
    cfg: DictConfig, results_dir: Path, rid: str, opts: RunConfig, claim: Claim, log_file: Path
) -> Outcome:
    """Build the run's parts, warm its solver and run it; what it ended with."""
    try:
        mode = build(cfg)
    except Exception as exc:
        if not isinstance(exc, checking_errors()):
            return outcome_of(exc, opts.memory_gb)
        return Outcome("error", error_line(exc), user_error=True)
    try:
        warm_up(mode)
    except Exception as exc:  # a built-in's bug: the run's row says so
        return outcome_of(exc, opts.memory_gb)
    work = lambda: _work(mode, results_dir, rid)  # noqa: E731
    if not opts.isolate:
        claim.start_heartbeat()
        return run_inline(work, opts.memory_gb)
    return run_forked(
        work,
        timeout_s=opts.timeout_s,
        memory_gb=opts.memory_gb,
        log=log_file,
        heartbeat=claim.touch,
        beat_s=claim.beat_s,
    )


def warm_up(mode: Mode) -> None:
    """Import, in this process, what the runs it forks need: Arrow's writers
    (:func:`gigbench.harness.rows.load_arrow`) and, for a built-in solver, what it solves the
    mode's problem in miniature with (its ``prepare``). An installed solver's ``prepare`` runs
    only in the isolated child: one that hangs or crashes must not take the job."""
    rows.load_arrow()
    if type(mode.solver).__module__.startswith("gigbench.solvers."):
        mode.solver.prepare(mode.warm_problem())


def _work(mode: Mode, results_dir: Path, rid: str) -> dict[str, Any]:
    """The run itself (in the child): execute, save the tables; the row's payload."""
    output = mode.execute(rows.run_dir(results_dir, rid))
    rows.write_tables(results_dir, rid, output.tables)
    return {"metrics": output.metrics, "resolved": output.resolved, "replay": output.replay}


def _say(job: Job, results_dir: Path, rid: str, status: str, seconds: float, line: str) -> None:
    """Record the outcome in the sweep's ledger; one line on the console and in Hydra's log,
    with an estimate of what remains."""
    if job.sweep is not None and job.multirun:
        job.sweep.record(
            results_dir, {"num": job.number, "run_id": rid, "status": status, "seconds": seconds}
        )
        estimate = job.sweep.estimate(job.launcher_jobs)
        line = f"{line}; {estimate}" if estimate else line
    (log.info if status in ("ok", "skipped") else log.error)(line)
