"""The one place that owns numba for gigbench's kernels: its jit options and the array types of
the kernels' signatures.

A kernel module is imported by its solver's ``prepare()`` (never at package import: listing
or configuring solvers loads neither numba nor scipy). Its entry points, the functions Python
calls, carry explicit signatures (:func:`jit` with arguments), so numba compiles them once
when the module is first imported, or loads them from its cache (``cache=True``: the
``__pycache__`` folder beside the module, or ``NUMBA_CACHE_DIR``). A timed ``solve()`` thus
never compiles and never runs interpreted code. Every array argument is declared read-only
(:func:`readonly`): numba passes writable arrays to a read-only parameter, while a
signature per mutability would compile every kernel twice. Helpers the entry points call are
marked :func:`jit` without arguments and compiled for the types their callers pass.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType
from typing import Any

__all__ = ["inline", "jit", "load", "readonly", "uses_kernels"]

_imported: list[str] = []  # kernel modules imported so far


def readonly(dtype: str) -> Any:
    """numba's type of a read-only, C-contiguous 1-D array of ``dtype`` ("int64", ...)."""
    from numba import types

    return types.Array(getattr(types, dtype), 1, "C", readonly=True)


def jit(*signatures: Any) -> Any:
    """Compile a kernel with numba: ``@jit(signature, ...)`` for those signatures at once (an
    entry point), bare ``@jit`` for the types its callers pass (a helper).

    cache=True: a fresh process loads compiled kernels instead of compiling them again; no
    fastmath: results reproducible.
    """
    import numba

    def decorate(fn: Callable, lazy: bool) -> Callable:
        if fn.__module__ not in _imported:
            _imported.append(fn.__module__)
        if lazy:
            return numba.njit(cache=True, nogil=True)(fn)
        return numba.njit(list(signatures), cache=True, nogil=True)(fn)

    if len(signatures) == 1 and isinstance(signatures[0], FunctionType):
        return decorate(signatures[0], lazy=True)
    return lambda fn: decorate(fn, lazy=False)


def inline(fn: Callable) -> Callable:
    """A helper numba inlines into its callers before compiling them (``inline="always"``).

    For the per-bid helpers that take the auction's model, a tuple of some 20 arrays: called,
    each call takes and releases a reference to every array it reads, which made a bid on the
    sparse path 2-2.5x slower (knn_20k: 4.2-4.4 s against 1.7-2.2 s inlined, the same 1.49
    million bids; interleaved, load 5). Inlining costs about a sixth more compile time.
    """
    import numba

    if fn.__module__ not in _imported:
        _imported.append(fn.__module__)
    return numba.njit(inline="always", cache=True, nogil=True)(fn)


def uses_kernels() -> bool:
    """Whether any kernel module has been imported (hungarian, milp: none)."""
    return bool(_imported)


def load() -> None:
    """Nothing left to load: kernels compile (or load from numba's cache) when their module is
    imported, in the solver's ``prepare()``. Kept for harness code that calls it before a
    timed run."""
