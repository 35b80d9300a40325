"""Errors by origin: the user's mistakes (one line, exit 2) and bugs (traceback, exit 1).

A user error is one of the library's documented error types (configuration, problem, scenario,
replay and OR-Library errors, unknown names, a solver back end that is not installed), or any
error raised while the config is checked (building the parts' parameters validates their
values) before anything runs. Everything raised later is a bug: its traceback goes to the run's
log and row. Running out of memory anywhere (numba loading its libraries included) is ``oom``.
"""

from __future__ import annotations

import re
import traceback

EXIT_BUG = 1
EXIT_USER = 2
EXIT_INTERRUPTED = 130

# What the C library and loaders say when an allocation or a mapping fails under RLIMIT_AS.
_OOM_TEXT = re.compile(
    r"Cannot allocate memory|failed to map segment|std::bad_alloc|out of memory|"
    r"Could not find/load shared object|ENOMEM",
    re.IGNORECASE,
)


class UserError(Exception):
    """A mistake in the command line, config or input files: one line, exit 2."""


def documented_errors() -> tuple[type[BaseException], ...]:
    """The error types the library documents as the user's to fix."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from gigbench.errors import ConfigError
    from gigbench.instances.orlib import OrlibFormatError
    from gigbench.instances.scenario import ScenarioError
    from gigbench.instances.tlc.params import ReplayError
    from gigbench.solvers.base import MissingBackendError
    from gigbench.solvers.problem import ProblemError
    from gigbench.solvers.registry import ParamsError, PluginError, UnknownNameError

    return (
        UserError,
        PluginError,
        ParamsError,
        ConfigError,
        ProblemError,
        MissingBackendError,
        UnknownNameError,
        ScenarioError,
        ReplayError,
        OrlibFormatError,
        HydraException,
        OmegaConfBaseException,
    )


def checking_errors() -> tuple[type[BaseException], ...]:
    """What checking a config may raise for a user's mistake: the documented errors, and the
    ``ValueError``, ``TypeError`` and ``KeyError`` of building the parts' parameters (which
    validates their values)."""
    return (*documented_errors(), ValueError, TypeError, KeyError)


def is_oom(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it came from) is an allocation that the limit refused."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MemoryError) or _OOM_TEXT.search(str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def where(exc: BaseException) -> str:
    """``file.py:line in function`` of the innermost frame of ``exc``."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "no traceback"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"


def error_line(exc: BaseException) -> str:
    """Hydra's multi-line messages folded into one line, with the cause that explains them."""
    parts = [str(exc)]
    cause = (str(exc.__cause__).splitlines() or [""])[0] if exc.__cause__ is not None else ""
    if cause and cause not in parts[0]:
        parts.append(cause)
    text = " ".join(line.strip() for part in parts for line in part.splitlines() if line.strip())
    text = re.sub(r"\s*Config search path:.*", "", text)
    text = re.sub(r"\s*Set the environment variable HYDRA_FULL_ERROR.*", "", text)
    text = re.sub(r"Available options in '([\w/]+)':(.*)", _options, text)
    return text.strip() or type(exc).__name__


def _options(match: re.Match) -> str:
    names = [n for n in match.group(2).split() if not n.endswith("_schema")]
    return f"available options in '{match.group(1)}': {', '.join(names)}"
