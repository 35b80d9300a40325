"""The suite's vocabulary: the plugin under test, a check, its outcome, and the suites by kind."""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gigbench.kinds import KINDS

__all__ = [
    "KINDS",
    "Check",
    "Failed",
    "Outcome",
    "Skipped",
    "Subject",
    "checks",
    "run_check",
    "run_suite",
]

# Kind -> the module holding its suite (a ``CHECKS`` list), imported when asked for.
_SUITES = {
    "solver": "gigbench.testing.solvers",
    "generator": "gigbench.testing.generators",
    "pricing": "gigbench.testing.pricing",
    "objective": "gigbench.testing.objectives",
    "reposition": "gigbench.testing.reposition",
    "supply": "gigbench.testing.supply",
    "pay_rule": "gigbench.testing.pay_rules",
    "market_kind": "gigbench.testing.market_kinds",
}


class Failed(AssertionError):
    """A check the plugin does not pass: what was expected and what was got."""

    def __init__(self, expected: str, got: str) -> None:
        super().__init__(f"expected {expected}, got {got}")
        self.expected = expected
        self.got = got


class Skipped(Exception):
    """A case outside what the plugin declares it handles (a solver's ``skip``, no duals)."""


@dataclass(frozen=True)
class Subject:
    """The plugin under test: its kind, its registered name, and the parameters it is built
    with (a generator's ``params``; a solver's or market plugin's keyword arguments)."""

    kind: str
    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def registry(self) -> Any:
        """The registry of the subject's kind."""
        return KINDS[self.kind].registry()

    def load(self) -> Any:
        """The registered object (a class; a generator's function)."""
        return self.registry().load(self.name)

    def build(self, **overrides: Any) -> Any:
        """A new instance with the subject's parameters (not for generators)."""
        return self.load()(**{**self.params, **overrides})

    def __str__(self) -> str:
        params = ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.name}[{params}]" if params else self.name


@dataclass(frozen=True)
class Check:
    """One check of a suite: its ``name``, the ``case`` it runs (may be empty) and the
    function that runs it on a subject (raising :class:`Failed` or :class:`Skipped`)."""

    name: str
    run: Callable[[Subject], None]
    case: str = ""

    @property
    def id(self) -> str:
        """``name[case]``, or ``name`` for a check without cases."""
        return f"{self.name}[{self.case}]" if self.case else self.name

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class Outcome:
    """What one check said of one subject: ``passed``, ``failed`` or ``skipped``, and why
    (``trace``: the traceback of an error the plugin raised)."""

    check: Check
    status: str
    message: str = ""
    trace: str = ""


def checks(kind: str) -> list[Check]:
    """The conformance suite of ``kind`` (a key of :data:`KINDS`)."""
    if kind not in _SUITES:
        raise KeyError(f"unknown kind {kind!r}; valid kinds are: {', '.join(_SUITES)}")
    return list(importlib.import_module(_SUITES[kind]).CHECKS)


def run_check(check: Check, subject: Subject) -> Outcome:
    """Run ``check`` on ``subject``; an error the plugin raises fails the check (with its type
    and message), as a wrong answer would."""
    try:
        check.run(subject)
    except Skipped as reason:
        return Outcome(check, "skipped", str(reason))
    except Failed as failure:
        return Outcome(check, "failed", str(failure))
    except Exception as exc:  # the plugin under test raised: that is its failure to report
        message = f"expected no error, got {type(exc).__name__}: {exc}"
        return Outcome(check, "failed", message, traceback.format_exc())
    return Outcome(check, "passed")


def run_suite(subject: Subject) -> list[Outcome]:
    """Every check of the subject's kind, run on it."""
    return [run_check(check, subject) for check in checks(subject.kind)]
