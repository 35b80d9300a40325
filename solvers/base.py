"""The solver contract and the one timed entry point, :func:`run`.

A solver is one class with a frozen ``Params`` dataclass (also its Hydra schema), a ``name``,
``skip(problem)`` for what it cannot handle, an untimed ``prepare(problem)`` (model building,
JIT warm-up) and a timed ``solve()``. Solver modules import only numpy, scipy and the standard
library at top level, so listing and configuring solvers never loads ortools or numba.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any, ClassVar

from gigbench.solvers.problem import Problem, Solution, Status
from gigbench.solvers.registry import checked
from gigbench.solvers.validate import validate

__all__ = ["MissingBackendError", "SkipProblem", "Solver", "run", "with_overrides"]


def with_overrides(params_cls: type, params: Any | None, overrides: dict[str, Any], owner: str):
    """``params`` (or the defaults) with ``overrides`` applied, then checked.

    Unknown keys raise a TypeError listing the valid ones; a ``check()`` method on the params
    dataclass rejects bad values. Shared by solvers and by every other plugin with ``Params``.
    """
    params = params if params is not None else params_cls()
    if overrides:
        known = {f.name for f in dataclasses.fields(params_cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(
                f"{owner} got unknown parameter(s) {unknown}; "
                f"valid ones are {sorted(known) or 'none'}"
            )
        params = dataclasses.replace(params, **overrides)
    return checked(params)


class SkipProblem(Exception):
    """Raised by :func:`run` when the solver declares it cannot handle the problem."""


class MissingBackendError(ImportError):
    """A solver's chosen library or executable is not installed; the message names the fix."""


class Solver:
    """Base class: subclasses set ``name``, ``Params``, ``exact`` and ``yields_duals``."""

    name: ClassVar[str] = ""
    exact: ClassVar[bool] = False
    yields_duals: ClassVar[bool] = False

    @dataclasses.dataclass(frozen=True)
    class Params:
        """No parameters."""

    def __init__(self, params: Any | None = None, **overrides: Any) -> None:
        self.params = with_overrides(self.Params, params, overrides, f"solver {self.name!r}")
        self.problem: Problem | None = None

    def skip(self, problem: Problem) -> str | None:
        """A reason this solver cannot handle ``problem``, or None."""
        return None

    def prepare(self, problem: Problem) -> None:
        """Untimed set-up; the default just stores the problem."""
        self.problem = problem

    def solve(self) -> Solution:
        """Timed work: solve the problem given to :meth:`prepare`."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params})"


def run(solver: Solver, problem: Problem, *, check: bool = True) -> Solution:
    """Prepare, solve, validate; each timed on its own clock into ``solution.stats``.

    ``prepare_seconds`` (problem building, JIT loading), ``solve_seconds`` (``solve()`` alone:
    the figure every benchmark and simulation reports) and ``validate_seconds`` (the
    independent check). Raises :class:`SkipProblem` when the solver declares the problem out
    of its scope.
    """
    reason = solver.skip(problem)
    if reason:
        raise SkipProblem(f"{solver.name} skips {problem!r}: {reason}")
    t0 = time.perf_counter()
    solver.prepare(problem)
    t1 = time.perf_counter()
    solution = solver.solve()
    t2 = time.perf_counter()
    # The harness's clock is the one that counts: the whole solve() call, whatever the solver
    # reports about its own back end.
    solution.stats["prepare_seconds"] = t1 - t0
    solution.stats["solve_seconds"] = t2 - t1
    if check and solution.status != Status.ERROR:
        report = validate(problem, solution)
        if report.dual_bound is not None:
            solution.stats.setdefault("dual_bound", report.dual_bound)
    solution.stats["validate_seconds"] = time.perf_counter() - t2
    return solution
