"""How many runs really ran at once on this host: measured from their recorded intervals.

Every run registers ``<tmp>/gigbench-active/<pid>-<start_ns>.json`` (``GIGBENCH_ACTIVE_DIR``
elsewhere) when it starts and writes
its end there when it stops. At the end of a run the harness counts, over the run's own
interval, the largest number of registered runs alive at the same moment (itself included),
whatever launcher or sweep started them: that is ``env_concurrent_runs``, and timings are only
comparable where it is 1.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path

from gigbench.io import write_text_atomic

FOLDER = Path(
    os.environ.get("GIGBENCH_ACTIVE_DIR") or Path(tempfile.gettempdir()) / "gigbench-active"
)
_KEEP_S = 86400.0  # a finished interval no live run can overlap any more goes after a day


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ActiveRun:
    """This run's entry in the host's register of runs."""

    def __init__(self) -> None:
        self.start = time.time()
        self.path = FOLDER / f"{os.getpid()}-{time.time_ns()}.json"
        try:
            FOLDER.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(PermissionError):
                os.chmod(FOLDER, 0o1777)  # every user's runs compete for the same CPUs
            self._write(None)
            self.registered = True
        except OSError:  # a full or read-only /tmp: the count is unknown, the run goes on
            self.registered = False

    def _write(self, end: float | None) -> None:
        record = {"pid": os.getpid(), "start": self.start, "end": end}
        write_text_atomic(json.dumps(record), self.path)

    def finish(self) -> int | None:
        """Record the end; return the most runs of this host alive at once during this one
        (None when the register could not be written)."""
        end = time.time()
        try:
            if not self.registered:
                return None
            self._write(end)
        except OSError:
            return None
        events = []
        for start, stop in _intervals(end, self.start):
            lo, hi = max(start, self.start), min(stop, end)
            if lo <= hi:
                events += [(lo, 1), (hi, -1)]
        events.sort(key=lambda e: (e[0], -e[1]))  # starts before ends at the same instant
        most = running = 0
        for _, step in events:
            running += step
            most = max(most, running)
        return max(most, 1)


def _intervals(now: float, since: float) -> list[tuple[float, float]]:
    """(start, end) of every registered run; a live run ends now, a dead one at its last
    write. A finished run that ended before ``since`` (the asking run's start) and before
    every live run started can overlap no run that is alive or yet to come: its record is
    removed, so the register holds about as many records as runs alive at once (it once kept
    a day's: 1,500 files read by every run, 0.2 s)."""
    records = []
    for path in FOLDER.glob("*.json"):
        try:
            record = json.loads(path.read_text())
            mtime = path.stat().st_mtime
        except (OSError, ValueError):
            continue
        end, live = record.get("end"), False
        if end is None:
            live = _alive(int(record.get("pid", -1)))
            end = now if live else mtime
        records.append((path, float(record["start"]), float(end), live))
    oldest = min([since, *(start for _, start, _, live in records if live)])
    found = []
    for path, start, end, live in records:
        if not live and (end < oldest or now - end > _KEEP_S):
            path.unlink(missing_ok=True)
        else:
            found.append((start, end))
    return found
