"""Isolation: a run in a child process forked from the job, under limits it enforces itself.

The child is forked by :mod:`multiprocessing` (it starts with everything the job has imported:
no second import of numba, pyarrow or the solver; the job imports once and forks each of its
runs), gets its own session (one process group to kill, spared the terminal's Ctrl-C), dies
with its parent (``prctl(PR_SET_PDEATHSIG, SIGKILL)``), limits its address space to
``run.memory_gb`` beyond what it inherited (``RLIMIT_AS``), ends itself with ``SIGALRM`` shortly
after ``run.timeout_s`` even when nobody waits for it, and writes its temporary files to a
folder of its own, removed when it ends. Its outcome comes back through a pipe, its tracebacks
and fatal-signal traces go to the run's log.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import json
import multiprocessing
import os
import select
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gigbench.harness.failures import documented_errors, is_oom, where

_PR_SET_PDEATHSIG = 1
_OWN_TIMEOUT_GRACE_S = 5.0  # the parent kills at timeout_s; the child's own alarm is a backstop


@dataclass
class Outcome:
    """What a run ended with: its status, and its output or what went wrong."""

    status: str
    message: str = ""
    traceback: str = ""
    user_error: bool = False
    payload: dict[str, Any] = field(default_factory=dict)


def outcome_of(exc: BaseException, memory_gb: float) -> Outcome:
    """Classify what ``run`` raised: out of memory, the user's mistake, or a bug."""
    if is_oom(exc):
        limit = f"run.memory_gb={memory_gb:g}" if memory_gb and memory_gb > 0 else "the machine's"
        return Outcome(
            "oom",
            f"out of memory: the run needed more than {limit} GiB "
            f"({type(exc).__name__}: {str(exc)[:200]}); raise run.memory_gb",
            traceback="".join(traceback.format_exception(exc)),
        )
    if isinstance(exc, documented_errors()):
        return Outcome("error", str(exc), user_error=True)
    return Outcome(
        "error",
        f"{type(exc).__name__}: {exc} [{where(exc)}]",
        traceback="".join(traceback.format_exception(exc)),
    )


@contextlib.contextmanager
def own_temp_folder() -> Iterator[Path]:
    """A temporary folder of the run's own, made the process's default (``tempfile`` and
    ``TMPDIR``) within the block and removed after it, whatever the run left there."""
    folder = Path(tempfile.mkdtemp(prefix="gigbench-run-"))
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir, os.environ["TMPDIR"] = str(folder), str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
        shutil.rmtree(folder, ignore_errors=True)


def run_inline(work: Callable[[], dict[str, Any]], memory_gb: float) -> Outcome:
    """Run ``work`` in this process (``run.isolate=false``): no limits, same outcomes."""
    try:
        with own_temp_folder():
            return Outcome("ok", payload=work())
    except Exception as exc:
        return outcome_of(exc, memory_gb)


def run_forked(
    work: Callable[[], dict[str, Any]],
    *,
    timeout_s: float,
    memory_gb: float,
    log: Path,
    heartbeat: Callable[[], None] = lambda: None,
    beat_s: float = 5.0,
) -> Outcome:
    """Run ``work`` in a forked child under the limits; its outcome, or how it died.
    ``heartbeat`` is called every ``beat_s`` seconds while the child runs."""
    log.parent.mkdir(parents=True, exist_ok=True)
    read_end, write_end = os.pipe()
    temp = tempfile.mkdtemp(prefix="gigbench-run-")
    sys.stdout.flush()
    sys.stderr.flush()
    # A Ctrl-C during the fork must neither unwind multiprocessing half-way (a child forked but
    # not yet known to its Process object is never killed, and interpreter exit then joins it:
    # the sweep hangs on a run that ignores Ctrl-C) nor be lost. Blocking SIGINT in this thread
    # is not enough, since any thread without the block (Arrow's, numba's) takes a signal sent
    # to the process; so the fork runs under a handler that only notes the Ctrl-C, raised once
    # the child is known and can be killed.
    interrupted: list[int] = []
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    handler = _note_ctrl_c(interrupted)
    child = multiprocessing.get_context("fork").Process(
        target=_child,
        args=(work, write_end, read_end, os.getpid(), timeout_s, memory_gb, log, temp, mask),
        name="gigbench-run",
    )
    try:
        child.start()
    except BaseException:
        _restore_ctrl_c(handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(read_end)
        os.close(write_end)
        shutil.rmtree(temp, ignore_errors=True)
        raise
    timed_out = True  # until the child is heard from; an interrupt kills it too
    try:
        _restore_ctrl_c(handler)
        os.close(write_end)
        deadline = time.monotonic() + timeout_s if timeout_s > 0 else None
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a held Ctrl-C is raised here
        if interrupted:
            raise KeyboardInterrupt
        data, timed_out = _read_until(read_end, deadline, heartbeat, beat_s)
    finally:
        os.close(read_end)
        if timed_out:
            _kill_group(child.pid)
        child.join()
        exitcode = child.exitcode
        child.close()
        shutil.rmtree(temp, ignore_errors=True)
    if timed_out:
        return Outcome("timeout", f"no result after {timeout_s:g} s (run.timeout_s); killed")
    if data:
        return Outcome(**json.loads(data))
    return _died(exitcode, timeout_s, memory_gb, log)


def _note_ctrl_c(interrupted: list[int]) -> Any:
    """Note Ctrl-C in ``interrupted`` instead of raising it; the handler it replaced. Only the
    main thread can set handlers, and only it runs them: elsewhere (a threaded launcher) there
    is nothing to hold."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.signal(signal.SIGINT, lambda signum, frame: interrupted.append(signum))
    return signal.default_int_handler if previous is None else previous  # None: set outside Python


def _restore_ctrl_c(handler: Any) -> None:
    """Put back the Ctrl-C handler :func:`_note_ctrl_c` replaced."""
    if handler is not None:
        signal.signal(signal.SIGINT, handler)


def _read_until(
    fd: int, deadline: float | None, heartbeat: Callable[[], None], beat_s: float
) -> tuple[bytes, bool]:
    """Everything the child writes to ``fd`` until it closes it, calling ``heartbeat`` every
    ``beat_s`` seconds meanwhile; (data, timed out)."""
    chunks = []
    beat = time.monotonic() + beat_s
    while True:
        now = time.monotonic()
        if now >= beat:
            heartbeat()
            beat = now + beat_s
        wait = beat - now if deadline is None else min(beat - now, deadline - now)
        ready, _, _ = select.select([fd], [], [], max(0.0, wait))
        if not ready:
            if deadline is not None and time.monotonic() >= deadline:
                return b"".join(chunks), True
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _kill_group(pid: int) -> None:
    """SIGKILL the child's process group (its own subprocesses too)."""
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
            return
        except (ProcessLookupError, PermissionError):
            continue


def _died(exitcode: int | None, timeout_s: float, memory_gb: float, log: Path) -> Outcome:
    """The outcome of a child that ended without reporting (``exitcode``: ``-signal`` when a
    signal ended it)."""
    detail = _fatal_where(log)
    if exitcode is not None and exitcode < 0:
        sig = signal.Signals(-exitcode)
        if sig == signal.SIGALRM:
            return Outcome("timeout", f"no result after {timeout_s:g} s (run.timeout_s); ended")
        if sig == signal.SIGKILL:
            return Outcome(
                "oom",
                f"killed by SIGKILL: out of memory (run.memory_gb={memory_gb:g}, or the "
                f"system's limit) {detail}".strip(),
            )
        return Outcome("error", f"crashed with {sig.name} {detail}".strip())
    return Outcome("error", f"exited with code {exitcode} {detail}".strip())


def _fatal_where(log: Path) -> str:
    """Where a fatal signal hit (faulthandler's innermost frame in the log), else ''."""
    try:
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    lines = [line for line in lines if line]
    for i, line in enumerate(lines[:-1]):
        if line.endswith("(most recent call first):"):
            return f"at {lines[i + 1]}"
    return ""


def _die_with(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the alarm below still ends the child
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        raise SystemExit(1)


def _address_space() -> int:
    """Bytes of address space this process holds now (0 where /proc is absent)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _limit_memory(memory_gb: float) -> None:
    """Allow the run ``memory_gb`` GiB of address space beyond what it inherited: the job's
    imports are not the run's memory, and some launchers' workers (Ray's map their object
    store) start with gigabytes of address space reserved."""
    if not memory_gb or memory_gb <= 0:
        return
    import resource

    limit = _address_space() + int(memory_gb * 2**30)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(
    work: Callable[[], dict[str, Any]],
    fd: int,
    parent_fd: int,
    parent: int,
    timeout_s: float,
    memory_gb: float,
    log: Path,
    temp: str,
    mask: set[signal.Signals],
) -> None:
    """The child's whole life: limits, the work, the outcome down the pipe. Its exit code
    (0, or 3 when the outcome could not be sent) is :mod:`multiprocessing`'s to give."""
    # Ctrl-C is the parent's to handle; ignored before it is unblocked, or a Ctrl-C sent to the
    # group in this instant would unwind the parent's code in the child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    os.close(parent_fd)
    try:
        os.setsid()
        _die_with(parent)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        if timeout_s > 0:
            signal.setitimer(signal.ITIMER_REAL, timeout_s + _OWN_TIMEOUT_GRACE_S)
        tempfile.tempdir = os.environ["TMPDIR"] = temp
        log_file = open(log, "a")  # noqa: SIM115 (open for the process's whole life)
        faulthandler.enable(file=log_file)
        _limit_memory(memory_gb)
        try:
            outcome = Outcome("ok", payload=work())
        except BaseException as exc:
            outcome = outcome_of(exc, memory_gb)
            if outcome.traceback:
                log_file.write(outcome.traceback)
                log_file.flush()
        view = memoryview(json.dumps(outcome.__dict__, default=str).encode())
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        raise SystemExit(3) from None
