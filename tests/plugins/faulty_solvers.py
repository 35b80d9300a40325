"""Solvers that fail on purpose, for the harness tests only (never registered by the package).

This folder is a distribution as ``importlib.metadata`` finds one: the module beside
``gigbench_test_plugins-0.1.dist-info/``, whose ``entry_points.txt`` declares each solver in
``gigbench.solvers``. A process with this folder on ``PYTHONPATH`` has them, as if installed
(``solver=crash``); the test process itself does not. Each behaves like a solver until
``solve()``, where it fails in its own way.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

import numpy as np

from gigbench.solvers import Solution, Solver


class Crash(Solver):
    """Raises a RuntimeError on its first solve: a bug in a solver."""

    name = "crash"
    exact = False

    @dataclass(frozen=True)
    class Params:
        """message: the text of the error raised."""

        message: str = "deliberate crash"

    def solve(self) -> Solution:
        """Raise instead of solving."""
        raise RuntimeError(self.params.message)


class Hang(Solver):
    """Never returns: a solver stuck in a loop."""

    name = "hang"
    exact = False

    @dataclass(frozen=True)
    class Params:
        """No parameters."""

    def solve(self) -> Solution:
        """Sleep forever."""
        while True:
            time.sleep(1.0)


class Bloat(Solver):
    """Allocates far more memory than it needs: a solver that runs out of memory."""

    name = "bloat"
    exact = False

    @dataclass(frozen=True)
    class Params:
        """gigabytes: how much to allocate and touch."""

        gigabytes: float = 64.0

    def solve(self) -> Solution:
        """Allocate ``gigabytes`` of float64 and fill it."""
        block = np.ones(int(self.params.gigabytes * 2**30 / 8))
        raise AssertionError(f"allocated {block.nbytes} bytes: no memory limit in force")


class LateLoad(Solver):
    """Loads a large native library (DuckDB, about 50 MB of shared object) on its first solve,
    as a solver whose JIT or extension loads only in the run's child would: the harness's job
    loads the built-in solvers' numba kernels before forking, so this is where a memory limit
    meets a library that is still to load."""

    name = "late_load"
    exact = False

    def solve(self) -> Solution:
        """Import DuckDB, then match nothing."""
        import duckdb  # noqa: F401  (the import is the point)

        raise AssertionError("DuckDB loaded: no memory limit in force")


class Abort(Solver):
    """Dies from a signal, as a native extension that segfaults would."""

    name = "abort"
    exact = False

    @dataclass(frozen=True)
    class Params:
        """No parameters."""

    def solve(self) -> Solution:
        """Kill this process with SIGABRT."""
        os.kill(os.getpid(), signal.SIGABRT)
        time.sleep(10.0)
        raise AssertionError("still alive after SIGABRT")


class Buggy(Solver):
    """Raises a ``ValueError`` subclass from deep inside: a bug, even though its type is one a
    user's mistake could have (the harness classifies errors by origin, not by type)."""

    name = "buggy"
    exact = False

    @dataclass(frozen=True)
    class Params:
        """No parameters."""

    def solve(self) -> Solution:
        """Claim a non-optimal solution was optimal, as a broken dual check would."""
        from gigbench.solvers.duals import NotOptimalError

        raise NotOptimalError("deliberate bug: duals do not certify the matching")
