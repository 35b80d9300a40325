"""The one place that owns numba for gigbench's kernels: when it loads, and its jit options.

A kernel is a plain Python function marked ``@jit``; its module is handed to a solver by
:func:`kernels`, which compiles every marked function with numba only when that pays. Loading
numba and its compiled kernels costs a process about 1.5 s (the import 0.5 s, its first compiled
call 1 s, even from the cache), more than all the solving of a small run: the batches of a
100-request day solve interpreted in 8 ms. So kernels run interpreted (the same code, on numpy
scalars) while numba is not loaded, the problem is small and the interpreted work so far stays
under a budget worth about that load; past it, numba loads once (the rule of ski rental: rent
until the rent paid equals the price, then buy, never paying more than twice the best choice).
A harness that expects a large run calls :func:`load` up front, so no timed solve of it runs
interpreted. ``GIGBENCH_JIT=always`` or ``never`` overrides the rule (tests check both paths
give the same answers; ``never`` is for debugging a kernel with pdb).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = [
    "INTERPRET_BUDGET", "INTERPRET_MAX", "is_loaded", "jit", "kernels", "load", "uses_kernels",
]  # fmt: skip

# Work units: rows + columns + edges of a problem. Interpreted, a unit of a simulated batch
# costs about 6 us (the recorded nyc day: 1.6 ms a batch of 219 + 32 + 7), so the budget is
# about one numba load (1.5 s); a problem above INTERPRET_MAX (~30 ms interpreted) loads numba.
INTERPRET_BUDGET = 250_000
INTERPRET_MAX = 5_000
MODES = ("auto", "always", "never")

_marked: dict[str, list[str]] = {}  # module name -> its @jit functions, in definition order
_state = {"loaded": False, "interpreted": 0}


def _njit():
    import numba

    # cache=True: a fresh process reuses compiled kernels; no fastmath: results reproducible
    # (and equal to the interpreted code's).
    return numba.njit(cache=True, nogil=True)


def jit(fn: Callable) -> Callable:
    """Mark ``fn`` as a kernel: compiled with the others of its module when numba loads."""
    if _state["loaded"]:
        return _njit()(fn)
    _marked.setdefault(fn.__module__, []).append(fn.__name__)
    return fn


def uses_kernels() -> bool:
    """Whether any kernel module has been imported (hungarian, milp: none; numba need not load)."""
    return bool(_marked) or _state["loaded"]


def is_loaded() -> bool:
    """Whether numba is loaded and every kernel module imported so far is compiled."""
    return _state["loaded"]


def load() -> None:
    """Load numba and compile (or load from its cache, lazily per signature) every kernel."""
    if _state["loaded"]:
        return
    decorate = _njit()
    for module_name, names in _marked.items():
        module = sys.modules[module_name]
        # All of a module's globals are swapped before any compiles: numba resolves a kernel's
        # calls to other kernels through the module's globals when it compiles the caller.
        for name in names:
            setattr(module, name, decorate(getattr(module, name)))
    _state["loaded"] = True


def mode() -> str:
    """``GIGBENCH_JIT``: auto (default), always or never."""
    value = os.environ.get("GIGBENCH_JIT", "auto") or "auto"
    if value not in MODES:
        raise ValueError(f"GIGBENCH_JIT: expected one of {MODES}, got {value!r}; unset it")
    return value


def kernels(module: ModuleType, problem: Any) -> ModuleType:
    """``module``, compiled first if ``problem`` (a :class:`gigbench.solvers.Problem`) is better
    solved
    so; its work units are its rows + columns + edges."""
    if not _state["loaded"]:
        work = problem.n_rows + problem.n_cols + problem.n_edges
        chosen = mode()
        over = work > INTERPRET_MAX or _state["interpreted"] + work > INTERPRET_BUDGET
        if chosen == "always" or (chosen == "auto" and over):
            load()
        else:
            _state["interpreted"] += work
    return module
