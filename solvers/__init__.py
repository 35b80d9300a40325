"""gigbench's assignment solvers: one problem type, one solution type, one checker.

Solvers know nothing about gigs: they match the rows and columns of a weighted bipartite graph.
Importing the package loads numpy only (scipy, numba and ortools load when a solver or the
checker needs them), so ``instances`` can use the generic registry (``gigbench.solvers.registry``).
"""

from gigbench.solvers.base import MissingBackendError, SkipProblem, Solver, run
from gigbench.solvers.problem import Problem, ProblemError, Solution, Status
from gigbench.solvers.registry import (
    UnknownNameError,
    available_solvers,
    get_solver,
    register,
    solver_class,
)
from gigbench.solvers.validate import InvalidSolution, validate

__all__ = [
    "InvalidSolution",
    "MissingBackendError",
    "Problem",
    "ProblemError",
    "SkipProblem",
    "Solution",
    "Solver",
    "Status",
    "UnknownNameError",
    "available_solvers",
    "get_solver",
    "register",
    "run",
    "solver_class",
    "validate",
]
