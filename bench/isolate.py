"""The sweep harness around one run: skip what is done, isolate, limit, record failures.

Every run of ``gigbench`` goes through :func:`run_harnessed`:

* **Skip.** A run whose row ``results_dir/rows/<run_id>.parquet`` exists is not run again
  (``run.redo=true`` reruns it; ``run.retry_failed=true`` reruns only rows whose status is not
  ``ok``). The run id hashes the config without the ``run`` node and ``results_dir``
  (:func:`bench.results.run_id`), so changing a limit or the launcher keeps the id.
* **Isolate.** With ``run.isolate=true`` (the default) the work runs in a child process,
  ``python -m bench.isolate <spec.json>``, in its own session, with an address-space limit of
  ``run.memory_gb`` (``RLIMIT_AS``, inherited by the solver's own subprocesses) and a
  wall-clock limit of ``run.timeout_s`` enforced by the parent, which kills the child's whole
  process group.
* **Record.** A child that raises, runs out of memory, is killed by a signal or runs out of
  time becomes a row with status ``error``, ``oom`` or ``timeout`` and the reason in
  ``message``; the sweep goes on. Outside a sweep the command then exits 1 (2 for a user's
  mistake, which writes no row).

Plugins: ``GIGBENCH_PLUGINS="name=module:Class,..."`` registers extra solvers at import of
``bench.app`` in every process (children inherit the environment), each with a config option
``solver=<name>`` built from its ``Params``.
"""

from __future__ import annotations

import codecs
import dataclasses
import faulthandler
import importlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from bench.results import environment, run_id, write_run

PLUGINS_ENV = "GIGBENCH_PLUGINS"
LAUNCHER_ENV = "GIGBENCH_LAUNCHER"
N_JOBS_ENV = "GIGBENCH_N_JOBS"
FAILED = ("error", "oom", "timeout")


@dataclasses.dataclass
class RunConfig:
    """How the harness runs one configuration; not part of the run's identity.

    timeout_s: wall-clock seconds for the whole run, child start-up included (<= 0: none).
    memory_gb: address-space limit of the child process in GiB (<= 0: none).
    isolate: run in a child process; the limits need it (false: in-process, for debugging).
    redo: rerun even when a row exists. retry_failed: rerun runs whose row is not ``ok``.
    """

    timeout_s: float = 600.0
    memory_gb: float = 8.0
    isolate: bool = True
    redo: bool = False
    retry_failed: bool = False


class RunFailed(RuntimeError):
    """A single (not swept) run that ended in error, oom or timeout; its row is written."""


@dataclasses.dataclass
class Outcome:
    """What the child process reported, or what the parent saw of it."""

    status: str
    message: str = ""
    run_id: str | None = None
    user_error: bool = False
    seconds: float = 0.0


def register_harness() -> None:
    """Register the ``run`` schema and the solvers named in ``GIGBENCH_PLUGINS`` (idempotent)."""
    from solvers import register

    store = ConfigStore.instance()
    store.store(group="run", name="run_schema", node=RunConfig)
    for name, target in plugin_solvers(os.environ.get(PLUGINS_ENV, "")):
        register(name, target, replace=True)
        node = {"defaults": [f"{name}_schema", "_self_"], "name": name}
        store.store(group="solver", name=name, node=node)


def plugin_solvers(spec: str) -> list[tuple[str, str]]:
    """Parse ``"name=module:Class,name2=module:Class2"`` into (name, target) pairs."""
    pairs = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, eq, target = item.partition("=")
        if not eq or not name.strip() or ":" not in target:
            raise ValueError(
                f"{PLUGINS_ENV}: expected 'name=module:Class' items separated by commas, "
                f"got {item!r}"
            )
        pairs.append((name.strip(), target.strip()))
    return pairs


def run_options(cfg: DictConfig) -> RunConfig:
    """The ``run`` node of ``cfg`` (defaults when the config has none)."""
    node = cfg.get("run")
    if node is None:
        return RunConfig()
    known = {f.name for f in dataclasses.fields(RunConfig)}
    return RunConfig(**{k: v for k, v in OmegaConf.to_container(node).items() if k in known})


def launcher_info() -> tuple[str, int]:
    """The Hydra launcher running this job and how many jobs it runs at once (1 outside
    Hydra and for the basic launcher; joblib's ``n_jobs`` resolved against the CPU count)."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        return "none", 1
    hc = HydraConfig.get()
    name = str(hc.runtime.choices.get("hydra/launcher") or "basic")
    launcher = hc.get("launcher") or {}
    n_jobs = 1
    for key in ("n_jobs", "array_parallelism", "tasks_per_node"):
        value = launcher.get(key)
        if isinstance(value, int):
            n_jobs = value
            break
    if n_jobs < 0:  # joblib: -1 = all CPUs, -2 = all but one
        n_jobs = max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return name, n_jobs


def in_sweep() -> bool:
    """True inside a Hydra multirun job (failures are then rows, not exit codes)."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    return HydraConfig.initialized() and HydraConfig.get().mode == RunMode.MULTIRUN


def existing_row(results_dir: Path, rid: str) -> dict[str, Any] | None:
    """The row already written for ``rid``, or None (an unreadable file counts as none)."""
    path = results_dir / "rows" / f"{rid}.parquet"
    if not path.is_file():
        return None
    try:
        rows = pq.read_table(path).to_pylist()
    except (OSError, ValueError):
        return None
    return rows[0] if rows else None


def run_harnessed(
    cfg: DictConfig,
    target: str = "bench.app:run_config",
    user_errors: Sequence[type[BaseException]] = (),
) -> dict[str, Any]:
    """Run ``cfg`` through ``target`` (a ``"module:function"`` of a config that writes and
    returns the row) under the harness: skip, isolate, limit, record; return the row."""
    opts = run_options(cfg)
    config = OmegaConf.to_container(cfg, resolve=True)
    rid = run_id(config)
    results_dir = Path(cfg.results_dir)
    name, n_jobs = launcher_info()
    os.environ[LAUNCHER_ENV], os.environ[N_JOBS_ENV] = name, str(n_jobs)

    old = existing_row(results_dir, rid)
    if old is not None and not opts.redo and not (opts.retry_failed and old["status"] != "ok"):
        print(
            f"gigbench: run {rid} skipped: its row exists (status {old['status']}) in "
            f"{results_dir / 'rows'}; run.redo=true reruns it"
        )
        return old
    if not opts.isolate:
        return _resolve(target)(cfg)

    outcome = run_child(config, target, opts, user_errors)
    if outcome.status == "ok":
        row = existing_row(results_dir, outcome.run_id or rid)
        if row is None:
            outcome = Outcome("error", f"the run ended without writing its row {rid}")
        else:
            return row
    if outcome.user_error and not in_sweep():
        raise ValueError(outcome.message)
    row = failure_row(cfg, config, rid, outcome)
    try:
        path = write_run(results_dir, row)
    except OSError as exc:  # a full or read-only disk: say so in one line, end the sweep
        raise RunFailed(
            f"run {rid} {outcome.status}: {outcome.message}; its row could not be written "
            f"either: {exc}"
        ) from exc
    print(
        f"gigbench: run {rid} {outcome.status}: {outcome.message} (row written to {path})",
        file=sys.stderr,
    )
    if not in_sweep():
        raise RunFailed(f"run {rid} {outcome.status}: {outcome.message}")
    return row


def failure_row(
    cfg: DictConfig, config: dict[str, Any], rid: str, outcome: Outcome
) -> dict[str, Any]:
    """The row of a run that did not finish: the same identifying columns as a finished run's
    row (from the config), the status and message, no metrics."""
    row: dict[str, Any] = {
        "run_id": rid,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": outcome.status,
        "message": outcome.message,
        "mode": _get(cfg, "mode.name"),
        "solver": _get(cfg, "solver.name"),
        "instance": _get(cfg, "instance.name"),
        "seed": int(_get(cfg, "instance.seed", 0)),
        "objective": _get(cfg, "objective.name"),
        "config_json": json.dumps(config, sort_keys=True),
        "wall_seconds": outcome.seconds,
    }
    if _get(cfg, "pricing.name") is not None:
        row["pricing"] = _get(cfg, "pricing.name")
    if _get(cfg, "objective") is not None:
        row["lambda"] = float(_get(cfg, "objective.lambda", 0.0) or 0.0)
    row |= {f"env_{key}": value for key, value in environment().items()}
    return row


def _get(cfg: DictConfig, key: str, default: Any = None) -> Any:
    return OmegaConf.select(cfg, key, default=default)


def _resolve(target: str) -> Callable[[DictConfig], dict[str, Any]]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def run_child(
    config: dict[str, Any],
    target: str,
    opts: RunConfig,
    user_errors: Sequence[type[BaseException]] = (),
) -> Outcome:
    """Run ``target(config)`` in a child process under the limits of ``opts``."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gigbench-run-") as tmp:
        spec_path, outcome_path = Path(tmp) / "spec.json", Path(tmp) / "outcome.json"
        spec = {
            "config": config,
            "target": target,
            "memory_gb": opts.memory_gb,
            "outcome": str(outcome_path),
            "user_errors": [t.__name__ for t in user_errors],  # matched by class name
        }
        spec_path.write_text(json.dumps(spec))
        child = _Forked(spec_path, target) if _can_fork() else _Spawned(spec_path)
        timeout = opts.timeout_s if opts.timeout_s > 0 else None
        try:
            code = child.wait(timeout)
        finally:
            child.stop()
        seconds = time.perf_counter() - started
        if code is None:
            message = f"no result after {opts.timeout_s:g} s (run.timeout_s); killed"
            return Outcome("timeout", message, seconds=seconds)
        if outcome_path.is_file():
            outcome = Outcome(**json.loads(outcome_path.read_text()))
            outcome.seconds = seconds
            return outcome
        detail = child.detail()
    if code < 0:
        sig = signal.Signals(-code).name
        if -code == signal.SIGKILL:
            message = f"killed by {sig} (out of memory?) {detail}".strip()
            return Outcome("oom", message, seconds=seconds)
        return Outcome("error", f"crashed with {sig} {detail}".strip(), seconds=seconds)
    return Outcome("error", f"exited with code {code} {detail}".strip(), seconds=seconds)


def _can_fork() -> bool:
    """Fork children from a server that has the code loaded (fast start), where possible:
    POSIX, not from a daemonic process (multiprocessing forbids its children) and not where
    another library replaced multiprocessing's start method (joblib's loky workers)."""
    return (
        "forkserver" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
        and multiprocessing.get_start_method(allow_none=True) in (None, "fork", "forkserver")
    )


class _Forked:
    """A child forked from multiprocessing's fork server, which imports the target's module
    once per sweep process, so each run starts in milliseconds, not seconds."""

    _context = None

    def __init__(self, spec_path: Path, target: str) -> None:
        if _Forked._context is None:
            _Forked._context = multiprocessing.get_context("forkserver")
            _Forked._context.set_forkserver_preload([target.partition(":")[0]])
        self.crash_log = spec_path.with_name("crash.log")
        self.proc = _Forked._context.Process(
            target=_forked_main, args=(str(spec_path), str(self.crash_log)), daemon=False
        )
        self.proc.start()

    def wait(self, timeout: float | None) -> int | None:
        self.proc.join(timeout)
        return self.proc.exitcode

    def stop(self) -> None:
        if self.proc.exitcode is None:
            _kill_group(self.proc.pid, self.proc.kill)
        self.proc.join()
        self.proc.close()

    def detail(self) -> str:
        text = self.crash_log.read_text(errors="replace") if self.crash_log.is_file() else ""
        return _fatal_where(text)


class _Spawned:
    """A child started as ``python -m bench.isolate <spec>`` (where forking is not possible);
    its stderr is copied to ours as it comes and its tail kept."""

    def __init__(self, spec_path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.isolate", str(spec_path)],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # own process group: killed whole, spared the terminal's ^C
        )
        self.tail = _Tee(self.proc.stderr)

    def wait(self, timeout: float | None) -> int | None:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            _kill_group(self.proc.pid, self.proc.kill)
        self.proc.wait()
        self.tail.join()

    def detail(self) -> str:
        return self.tail.text()


def _kill_group(pid: int, kill: Callable[[], None]) -> None:
    """SIGKILL the child's process group (its solver's subprocesses too), else the child."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        kill()


class _Tee:
    """Copy the child's stderr to ours as it comes (progress bars stay live); keep its tail."""

    def __init__(self, stream, keep: int = 20000) -> None:
        self._stream, self._keep, self._tail = stream, keep, ""
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := os.read(self._stream.fileno(), 65536):
            text = decoder.decode(chunk)
            self._tail = (self._tail + text)[-self._keep :]
            try:
                sys.stderr.write(text)
                sys.stderr.flush()
            except (OSError, ValueError):
                pass

    def join(self) -> None:
        self._thread.join(timeout=5)
        self._stream.close()

    def text(self) -> str:
        """See :func:`_fatal_where`."""
        return _fatal_where(self._tail)


def _fatal_where(text: str) -> str:
    """Where a fatal signal hit (faulthandler's innermost frame), else the last lines of
    ``text``, folded into one line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines[:-1]):
        if line.endswith("(most recent call first):"):
            return f"at {lines[i + 1]}"
    return ("stderr: " + " | ".join(line[:200] for line in lines[-3:])) if lines else ""


def _forked_main(spec_path: str, crash_log: str) -> None:
    """The forked child: its own session (one process group to kill), fatal-signal traces
    to ``crash_log``, then :func:`_child_main`."""
    os.setsid()
    with open(crash_log, "w") as log:
        faulthandler.enable(file=log)
        _child_main(spec_path, fault_handler=False)


def _child_main(spec_path: str, fault_handler: bool = True) -> int:
    """The child side: limit memory, run the target, report the outcome as JSON."""
    spec = json.loads(Path(spec_path).read_text())
    if fault_handler:
        faulthandler.enable()
    _limit_memory(spec["memory_gb"])
    started = time.perf_counter()
    outcome: dict[str, Any]
    try:
        row = _resolve(spec["target"])(OmegaConf.create(spec["config"]))
        outcome = {"status": "ok", "run_id": row.get("run_id")}
    except MemoryError as exc:
        outcome = {"status": "oom", "message": f"MemoryError {exc} (run.memory_gb)".strip()}
    except BaseException as exc:  # everything the run raised becomes its row
        is_user = any(c.__name__ in spec["user_errors"] for c in type(exc).__mro__)
        outcome = {
            "status": "error",
            "message": str(exc) if is_user else f"{type(exc).__name__}: {exc} [{_where(exc)}]",
            "user_error": is_user,
        }
        if not is_user:
            traceback.print_exc()
    outcome["seconds"] = time.perf_counter() - started
    tmp = spec["outcome"] + ".tmp"
    Path(tmp).write_text(json.dumps(outcome))
    os.replace(tmp, spec["outcome"])
    return 0


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "no traceback"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


def _limit_memory(memory_gb: float) -> None:
    if not memory_gb or memory_gb <= 0:
        return
    try:
        import resource
    except ImportError:  # not on this platform: run without the limit
        return
    limit = int(memory_gb * 2**30)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1]))
