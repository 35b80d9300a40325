"""Conformance suites: the checks every plugin of a kind passes, built-in or installed.

One suite per kind (``solver``, ``generator``, ``pricing``, ``objective``, ``reposition``,
``supply``, ``pay_rule``, ``market_kind``): a list of :class:`Check`, each run on a
:class:`Subject` (a plugin by name, and the parameters to build it with). A check returns when
the plugin conforms and raises :class:`Failed` (what was expected, what was got) or
:class:`Skipped` (the case is outside what the plugin declares it handles).
``gigbench-conformance KIND NAME`` runs a suite on any installed plugin
(:mod:`gigbench.testing.cli`); gigbench's own tests run the same suites over every registered
plugin, so the built-ins pass exactly what an outside plugin must.

Plain Python (no pytest at run time). The top floor: it uses the simulation, the market,
``instances`` and ``solvers``; nothing in gigbench imports it.

>>> from gigbench.testing import Subject, run_suite
>>> outcomes = run_suite(Subject("pay_rule", "commission_cap"))
>>> all(o.status != "failed" for o in outcomes)
True
"""

from gigbench.testing.core import (
    KINDS,
    Check,
    Failed,
    Outcome,
    Skipped,
    Subject,
    checks,
    run_check,
    run_suite,
)

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
