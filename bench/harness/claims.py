"""Claims: a run about to start owns ``results_dir/claims/<run_id>.json`` until its row is
written, so concurrent sweeps into one results folder never compute a run twice.

The file is created exclusively (``O_CREAT | O_EXCL``) and holds the host, pid and start time;
its modification time is the heartbeat, touched every few seconds while the run lives. A claim
is live while its heartbeat is fresh and, on this host, its process exists; a stale claim (a
dead pid here, or a heartbeat older than ``run.stale_claim_s``) is taken over, under a second
exclusive file so that two sweeps never both take over the same claim.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gigbench.io import FILE_MODE

HOST = socket.gethostname()


@dataclass
class Holder:
    """Who holds a live claim."""

    host: str
    pid: int
    started: float

    def __str__(self) -> str:
        since = time.strftime("%H:%M:%S", time.localtime(self.started))
        return f"{self.host} pid {self.pid} since {since}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _read(path: Path) -> tuple[dict[str, Any] | None, float | None]:
    """The claim's content (None while half-written) and its heartbeat (None when gone)."""
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None, None
    try:
        info = json.loads(path.read_text())
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError):
        return None, mtime
    return (info if isinstance(info, dict) else None), mtime


def _live(info: dict[str, Any] | None, heartbeat: float, stale_s: float) -> bool:
    if time.time() - heartbeat > stale_s:
        return False
    if info is None:  # being written right now
        return True
    if info.get("host") == HOST:
        return _alive(int(info.get("pid", -1)))
    return True


class Claim:
    """An exclusive claim on one run; :meth:`release` when the row is written."""

    def __init__(self, path: Path, token: str, stale_s: float) -> None:
        self.path, self.token = path, token
        self._beat = max(0.5, min(10.0, stale_s / 4))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def take(cls, results_dir: Path, rid: str, stale_s: float) -> Claim | Holder:
        """Claim ``rid``, or say who holds its live claim."""
        folder = Path(results_dir) / "claims"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{rid}.json"
        token = uuid.uuid4().hex
        for _ in range(5):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
            except FileExistsError:
                info, heartbeat = _read(path)
                if heartbeat is None:
                    continue  # released meanwhile: try again
                if _live(info, heartbeat, stale_s):
                    info = info or {}
                    return Holder(info.get("host", "?"), info.get("pid", -1), heartbeat)
                if not _take_over(path, info, stale_s):
                    return Holder("?", -1, heartbeat)  # another sweep is taking it over
                continue
            record = {"host": HOST, "pid": os.getpid(), "started": time.time(), "token": token}
            with os.fdopen(fd, "w") as f:
                json.dump(record, f)
            return cls(path, token, stale_s)
        info, heartbeat = _read(path)
        return Holder((info or {}).get("host", "?"), (info or {}).get("pid", -1), heartbeat or 0)

    @property
    def beat_s(self) -> float:
        """Seconds between heartbeats."""
        return self._beat

    def touch(self) -> None:
        """One heartbeat: the claim's modification time is now."""
        with contextlib.suppress(OSError):  # a claim folder gone: the row still gets written
            os.utime(self.path)

    def start_heartbeat(self) -> None:
        """Touch the claim every :attr:`beat_s` seconds from a thread, until :meth:`release`
        (for a run in this process; a forked run's parent touches it while it waits)."""

        def beat() -> None:
            while not self._stop.wait(self._beat):
                self.touch()

        self._thread = threading.Thread(target=beat, name="gigbench-claim", daemon=True)
        self._thread.start()

    def release(self) -> None:
        """Stop the heartbeat and remove the claim if it is still ours."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        info, _ = _read(self.path)
        if info is not None and info.get("token") == self.token:
            self.path.unlink(missing_ok=True)


def _take_over(path: Path, seen: dict[str, Any] | None, stale_s: float) -> bool:
    """Remove the stale claim ``path`` if nobody else is taking it over; True if removed."""
    lock = path.with_suffix(".takeover")
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        try:
            if time.time() - lock.stat().st_mtime > stale_s:
                lock.unlink(missing_ok=True)  # a taker that died mid-takeover
        except FileNotFoundError:
            pass
        return False
    os.close(fd)
    try:
        info, heartbeat = _read(path)
        if heartbeat is None:
            return True
        same = (info or {}).get("token") == (seen or {}).get("token")
        if same and not _live(info, heartbeat, stale_s):
            path.unlink(missing_ok=True)
            return True
        return False
    finally:
        lock.unlink(missing_ok=True)
