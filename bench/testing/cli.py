"""``gigbench-conformance KIND NAME [key=value ...]``: the conformance suite of KIND on the
installed (or built-in) plugin NAME, built with the given parameters.

Prints each failed check (its case, what was expected, what was got) and a summary. Exit codes:
0 every check passed (or was skipped), 1 a check failed, 2 an unknown kind or name, a plugin
that cannot be loaded, or a malformed parameter (one line).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gigbench.testing.core import KINDS, Subject, run_check

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USER = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(
        prog="gigbench-conformance",
        description="Run the conformance suite of a plugin kind on one plugin.",
        epilog="e.g. gigbench-conformance solver first_fit; "
        "gigbench-conformance generator city n_tasks=500",
    )
    parser.add_argument("kind", help=f"one of: {', '.join(KINDS)}")
    parser.add_argument("name", help="the plugin's name (its entry point's name)")
    parser.add_argument(
        "params", nargs="*", metavar="key=value", help="parameters to build it with (YAML values)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list every check")
    parser.add_argument(
        "--traceback", action="store_true", help="print the traceback of an error a plugin raised"
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    """Console entry point of ``gigbench-conformance``."""
    args = build_parser().parse_args(argv)
    try:
        subject = _subject(args.kind, args.name, args.params)
        origin = _origin(subject)
    except _UserError as exc:
        print(f"gigbench-conformance: error: {exc}", file=sys.stderr)
        sys.exit(EXIT_USER)
    from gigbench.testing.core import checks

    print(f"gigbench-conformance: {args.kind} {subject} ({origin})")
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for check in checks(subject.kind):
        outcome = run_check(check, subject)
        counts[outcome.status] += 1
        if outcome.status == "failed":
            print(f"FAIL {check.id}: {outcome.message}")
            if args.traceback and outcome.trace:
                print(outcome.trace)
        elif args.verbose:
            why = f": {outcome.message}" if outcome.message else ""
            print(f"{outcome.status:<7} {check.id}{why}")
    total = sum(counts.values())
    print(
        f"{total} checks: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped"
    )
    sys.exit(EXIT_FAILED if counts["failed"] else EXIT_OK)


class _UserError(Exception):
    """A mistake on the command line, or a plugin that cannot be loaded."""


def _subject(kind: str, name: str, params: list[str]) -> Subject:
    """The subject the arguments name, loaded and built once, so that a broken plugin or a bad
    parameter is found now (one line), not as a failure of every check."""
    import typing

    from gigbench.solvers.registry import PluginError, UnknownNameError, checked

    if kind not in KINDS:
        raise _UserError(f"unknown kind {kind!r}; valid kinds are: {', '.join(KINDS)}")
    subject = Subject(kind, name, _params(params))
    try:
        plugin = subject.load()
    except (UnknownNameError, PluginError) as exc:
        raise _UserError(str(exc)) from None
    try:
        if kind == "generator":
            checked(typing.get_type_hints(plugin)["params"](**subject.params))
        else:
            subject.build()
    except (TypeError, ValueError) as exc:
        raise _UserError(f"parameters of {kind} {name!r}: {exc}") from None
    return subject


def _params(items: list[str]) -> dict[str, Any]:
    """``key=value`` items as a dict, the values parsed as YAML (``3`` an int, ``[1,2]`` a
    list), as a config override would be."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    malformed = [item for item in items if "=" not in item or item.startswith("=")]
    if malformed:
        raise _UserError(f"parameters: expected key=value, got {malformed[0]!r}; e.g. n_tasks=500")
    try:
        return OmegaConf.to_container(OmegaConf.from_dotlist(items))
    except OmegaConfBaseException as exc:
        raise _UserError(f"parameters: {str(exc).splitlines()[0]}") from None


def _origin(subject: Subject) -> str:
    """``built in`` or the plugin's distribution, version and entry point."""
    where = subject.registry().provenance(subject.name)
    if where is None:
        return "built into gigbench"
    return f"{where['distribution']} {where['version']}, entry point {where['entry_point']}"
