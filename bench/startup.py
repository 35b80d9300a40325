"""What the ``gigbench`` command does to start fast: pandas deferred, the garbage collector
paused while start-up builds its long-lived objects. For the command's process only: a library
user's process is left alone.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

__all__ = ["defer_pandas", "pause_collector", "resume_collector"]

_PAUSED = [False]  # paused by pause_collector (not by someone else, whose choice stands)


class _PandasAbsent:
    """An import finder that reports pandas as not installed, while it is on ``sys.meta_path``."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas":
            raise ModuleNotFoundError("pandas deferred by gigbench", name="pandas")


def defer_pandas() -> None:
    """Spare this process pandas' import (0.45 s, a sixth of a small run) until something
    needs pandas. pyarrow imports pandas on its first conversion of anything (``pa.array``,
    ``to_numpy``, ``Table.from_pylist``), only to ask whether the input is a pandas object,
    and gigbench never hands it one. Here pyarrow asks while pandas looks absent, and keeps
    that answer for such questions; a call that needs pandas (``to_pandas``) imports it then
    as usual. The one difference: until such a call, pyarrow converts a pandas object a
    plugin passes it as a plain sequence (same values; a categorical becomes its values). For
    the ``gigbench`` command only: a library user's process is left alone."""
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    absent = _PandasAbsent()
    sys.meta_path.insert(0, absent)
    try:
        pa.array([0])  # pyarrow's one look for pandas
    finally:
        sys.meta_path.remove(absent)


def pause_collector() -> None:
    """Stop the cyclic garbage collector while start-up imports and composes: that makes a
    million long-lived objects and little garbage, and the collector's full passes over them
    cost a run 0.15-0.2 s."""
    if gc.isenabled():
        gc.disable()
        _PAUSED[0] = True


def resume_collector() -> None:
    """Undo :func:`pause_collector` (only its pause; idempotent), freezing what start-up made so
    that no later pass visits it. Called once the first run's config is composed and checked,
    so that a sweep's plan composes its other points with the collector on (its garbage would
    otherwise pile up: 500 MB more for a 10,800-run sweep's 307 values)."""
    if _PAUSED[0]:
        _PAUSED[0] = False
        gc.freeze()
        gc.enable()
