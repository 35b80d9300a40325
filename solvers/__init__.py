"""gigbench's assignment solvers: one problem type, one solution type, one checker.

Solvers know nothing about gigs: they match the rows and columns of a weighted bipartite graph.
Names are imported on first use (PEP 562), so ``import solvers.registry`` (which the instance
generators use) loads neither the problem types nor scipy.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "SkipProblem": "solvers.base",
    "Solver": "solvers.base",
    "run": "solvers.base",
    "Problem": "solvers.problem",
    "ProblemError": "solvers.problem",
    "Solution": "solvers.problem",
    "Status": "solvers.problem",
    "UnknownNameError": "solvers.registry",
    "available_solvers": "solvers.registry",
    "get_solver": "solvers.registry",
    "register": "solvers.registry",
    "solver_class": "solvers.registry",
    "InvalidSolution": "solvers.validate",
    "validate": "solvers.validate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'solvers' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
