"""``gigbench-perf``: the quality gate (exact) and the speed gate (robust) over every solver.

    gigbench-perf quality                 # objectives and match counts == expected.json
    gigbench-perf speed --short           # ratios to scipy vs baseline.json (what CI runs)
    gigbench-perf speed                   # every case, more repeats
    gigbench-perf update-expected         # re-solve and rewrite expected.json (deliberate)
    gigbench-perf update-baseline         # re-measure and rewrite baseline.json (deliberate)
    gigbench-perf update-baseline --baseline my-baseline.json   # from an installed gigbench
    gigbench-perf history [--out PNG]     # plot the history file: ratio / baseline per commit
    gigbench-perf false-alarms --runs 10  # unchanged code: how often `speed --short` fails

**Quality** (exact): every registered solver solves every case of :mod:`gigbench.perf.cases`
through :func:`gigbench.solvers.run` (validated); its objective, match count and status must equal
``expected.json``, and every exact solver's objective must equal the optimum scipy finds on
the same problems. A solver not yet in ``expected.json`` is still held to the optimum if it is
exact (``--strict`` also fails on the missing entry).

**Speed** (robust): no wall-clock number is gated. For each (case, solver), ``repeats``
interleaved pairs (solver, scipy reference, solver, reference, ...) are timed; the ratio is the
median over the pairs of solver seconds / reference seconds, so a machine that is slower or
busier for a while slows both sides of a pair. A ratio fails when it exceeds its baseline
times ``THRESHOLD``; failures are re-measured once and fail only if the re-run is over too.
Only ``solve()`` is timed (``prepare()`` is not, per the solver contract), and the reference
input is built untimed too.

The gates read ``expected.json`` and ``baseline.json`` shipped in ``gigbench.perf`` unless
``--expected`` / ``--baseline`` name other files. The ``update-*`` commands rewrite the shipped
files only when gigbench runs from a source checkout (an editable install of a clone: the
files are then the ones under version control, and the diff is the review); an installed
gigbench's own files are never rewritten, so there the output must be named explicitly.

Exit codes: 0 pass, 1 gate failure (one line per failing case/solver), 2 bad usage.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from gigbench.io import write_text_atomic
from gigbench.perf import cases as case_mod
from gigbench.perf import history
from gigbench.perf.peers import scipy_reference
from gigbench.resources import source_checkout
from gigbench.solvers import Status, available_solvers, get_solver, run, solver_class
from gigbench.solvers._stdout import quiet_stdout

EXPECTED = case_mod.data_file("expected.json")
BASELINE = case_mod.data_file("baseline.json")
THRESHOLD = 1.5  # fail when ratio > baseline * THRESHOLD (docs/performance.md: "Why 1.5x")
SHORT_REPEATS = 7
FULL_REPEATS = 15
BASELINE_RUNS = 3  # update-baseline: median of this many full measurements per ratio
MIN_SAMPLE_S = 0.05  # a timed sample repeats a fast solve until it lasts about this long
MAX_LOOPS = 200
PROG = "gigbench-perf"

Key = tuple[str, str]  # (case, solver)


class UsageError(Exception):
    """A user's mistake on the command line or a missing input file (exit code 2)."""


# ------------------------------------------------------------------ pure gate logic
@dataclass(frozen=True)
class Result:
    """One solver on one case: objective and matches summed over the case's problems."""

    objective: float | int
    matched: int
    status: str

    def as_dict(self) -> dict[str, Any]:
        """JSON form (``expected.json``)."""
        return {"objective": self.objective, "matched": self.matched, "status": self.status}


@dataclass
class QualityReport:
    """Failure lines and informational notes of one quality gate run."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_quality(
    case: str,
    expected: dict[str, Any] | None,
    fingerprint: str,
    optimum: float | int,
    results: dict[str, Result | str],
    exact: Callable[[str], bool],
    *,
    strict: bool = False,
) -> QualityReport:
    """Compare one case's ``results`` (solver -> Result, or an error/skip message string
    starting with ``skip:``) with its ``expected`` entry; pure, so unit tests feed it numbers."""
    report = QualityReport()
    if expected is None:
        line = f"{case}: not in expected.json; run `{PROG} update-expected` if the case is new"
        (report.failures if strict else report.notes).append(line)
        expected = {"solvers": {}, "skipped": {}}
    elif expected.get("fingerprint") != fingerprint:
        report.failures.append(
            f"{case}: instance changed (fingerprint {expected.get('fingerprint')} -> "
            f"{fingerprint}): its generator changed; run `{PROG} update-expected` if deliberate"
        )
        return report
    elif expected.get("optimum") != optimum:
        report.failures.append(
            f"{case}: scipy's optimum expected {expected.get('optimum')}, got {optimum}"
        )
    stored = expected.get("solvers", {})
    for solver, result in sorted(results.items()):
        want = stored.get(solver)
        if isinstance(result, str):
            if result.startswith("skip:"):
                if want is not None:
                    report.failures.append(
                        f"{case}/{solver}: expected objective {want['objective']}, got a skip "
                        f"({result[5:].strip()})"
                    )
                continue
            report.failures.append(f"{case}/{solver}: {result}")
            continue
        wrong = []
        if want is not None:
            wrong = [
                f"{key} expected {want[key]}, got {getattr(result, key)}"
                for key in ("objective", "matched", "status")
                if want[key] != getattr(result, key)
            ]
        if exact(solver) and result.objective != optimum:
            wrong.append(
                f"exact solver's objective {result.objective} != optimum {optimum} (scipy)"
            )
        if wrong:
            report.failures.append(f"{case}/{solver}: " + "; ".join(wrong))
        elif want is None:
            line = (
                f"{case}/{solver}: not in expected.json (objective {result.objective}, "
                f"{result.matched} matched); run `{PROG} update-expected` to record it"
            )
            (report.failures if strict else report.notes).append(line)
    for solver in sorted(set(stored) - set(results)):
        report.failures.append(
            f"{case}/{solver}: expected objective {stored[solver]['objective']}, but the solver "
            "is no longer registered"
        )
    return report


def median_ratio(solver_seconds: Iterable[float], reference_seconds: Iterable[float]) -> float:
    """Median over interleaved pairs of solver time / reference time."""
    pairs = list(zip(solver_seconds, reference_seconds, strict=True))
    if not pairs:
        raise ValueError("median_ratio: expected at least one (solver, reference) pair, got 0")
    return statistics.median(s / max(r, 1e-9) for s, r in pairs)


def over(ratio: float, baseline: float, threshold: float) -> bool:
    """True when ``ratio`` is a regression: above ``baseline * threshold``."""
    return ratio > baseline * threshold


@dataclass
class SpeedReport:
    """Ratios of a speed gate run (after any re-run), failure lines and notes."""

    ratios: dict[Key, float]
    first: dict[Key, float]
    rerun: list[Key] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def speed_gate(
    keys: list[Key],
    measure: Callable[[list[Key]], dict[Key, float]],
    baseline: dict[str, float],
    threshold: float = THRESHOLD,
) -> SpeedReport:
    """Measure ``keys``; re-measure the ones over ``baseline * threshold`` once; report the
    ones over both times. ``measure`` maps keys to ratios (unit tests pass fakes)."""
    first = measure(keys)
    ratios = dict(first)
    suspects = [
        k for k in keys if _key(k) in baseline and over(first[k], baseline[_key(k)], threshold)
    ]
    if suspects:
        again = measure(suspects)
        ratios.update(again)
    report = SpeedReport(ratios=ratios, first=first, rerun=suspects)
    for k in keys:
        case, solver = k
        if _key(k) not in baseline:
            report.notes.append(
                f"{case}/{solver}: ratio {ratios[k]:.3f}, no baseline yet (new solver or case); "
                f"run `{PROG} update-baseline` to gate it"
            )
            continue
        base, limit = baseline[_key(k)], baseline[_key(k)] * threshold
        if k in suspects and over(ratios[k], base, threshold):
            report.failures.append(
                f"{case}/{solver}: ratio to scipy {first[k]:.3f}, re-run {ratios[k]:.3f} > "
                f"baseline {base:.3f} x {threshold:g} = {limit:.3f} "
                f"({ratios[k] / base:.2f}x slower)"
            )
        elif ratios[k] < base / threshold:
            report.notes.append(
                f"{case}/{solver}: ratio {ratios[k]:.3f} is {base / ratios[k]:.2f}x below "
                f"baseline {base:.3f}; if that is a real speed-up, run `{PROG} update-baseline`"
            )
    return report


def _key(k: Key) -> str:
    return f"{k[0]}/{k[1]}"


# ------------------------------------------------------------------ solving and timing
def skip_reason(solver: str, case: case_mod.Case, *, timed: bool = False) -> str | None:
    """Why ``solver`` is left out on ``case``: its own ``skip()``, or (``timed``) too slow to
    time repeatedly; else None."""
    slow = case_mod.too_slow(solver, case) if timed else None
    if slow:
        return slow
    instance = get_solver(solver)
    for problem in case.problems:
        reason = instance.skip(problem)
        if reason:
            return reason
    return None


def solve_case(solver: str, case: case_mod.Case) -> Result | str:
    """Solve every problem of ``case`` with a fresh ``solver`` through :func:`gigbench.solvers.run`
    (validated): the summed Result, or ``"skip: reason"``, or an error line."""
    try:
        reason = skip_reason(solver, case)
        if reason:
            return f"skip: {reason}"
        objective, matched, statuses = 0, 0, set()
        with quiet_stdout():
            for problem in case.problems:
                solution = run(get_solver(solver), problem)
                if solution.status not in (Status.OPTIMAL, Status.FEASIBLE):
                    return f"status {solution.status} on {problem!r}"
                objective += solution.objective
                matched += solution.n_matched
                statuses.add(str(solution.status))
    except Exception as exc:  # a broken solver is a gate failure, not a crash of the gate
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return f"error {type(exc).__name__}: {first}"
    return Result(objective, matched, "/".join(sorted(statuses)))


def optimum(case: case_mod.Case) -> float | int:
    """The case's optimum by scipy (the reference the speed gate times)."""
    return sum(scipy_reference(p, case.reference)() for p in case.problems)


def _time_solver(solver: str, case: case_mod.Case, loops: int) -> float:
    """Seconds of ``solve()`` per pass over the case's problems, averaged over ``loops``
    passes; every solve gets a fresh instance, prepared (untimed) before the clock starts."""
    instances = []
    for _ in range(loops):
        for problem in case.problems:
            instance = get_solver(solver)
            instance.prepare(problem)
            instances.append(instance)
    gc.disable()
    try:
        t0 = time.perf_counter()
        for instance in instances:
            instance.solve()
        return (time.perf_counter() - t0) / loops
    finally:
        gc.enable()


def _time_reference(calls: list[Callable[[], Any]], loops: int) -> float:
    """Seconds of scipy per pass over the case's problems, averaged over ``loops`` passes."""
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in range(loops):
            for call in calls:
                call()
        return (time.perf_counter() - t0) / loops
    finally:
        gc.enable()


def _loops(seconds: float) -> int:
    """Passes per sample so that a sample lasts about MIN_SAMPLE_S (timeit's autorange)."""
    return max(1, min(MAX_LOOPS, math.ceil(MIN_SAMPLE_S / max(seconds, 1e-6))))


def measure(keys: list[Key], repeats: int) -> dict[Key, float]:
    """Ratios for ``keys``: a warm-up that also sizes the samples, then ``repeats``
    interleaved (solver, reference) pairs; the median of the per-pair ratios."""
    ratios = {}
    with quiet_stdout():
        for case_name, solver in keys:
            case = case_mod.get_case(case_name)
            calls = [scipy_reference(p, case.reference) for p in case.problems]
            gc.collect()
            n_solver = _loops(_time_solver(solver, case, 1))  # warm-up: imports, JIT, caches
            n_reference = _loops(_time_reference(calls, 1))
            solver_s, reference_s = [], []
            for _ in range(repeats):
                solver_s.append(_time_solver(solver, case, n_solver))
                reference_s.append(_time_reference(calls, n_reference))
            ratios[(case_name, solver)] = median_ratio(solver_s, reference_s)
    return ratios


# ------------------------------------------------------------------ files
def load_json(path: Path | Traversable, what: str, fix: str) -> dict[str, Any]:
    """Read ``path`` or raise :class:`UsageError` naming the command that writes it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist: {what}; {fix}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not valid JSON ({exc}); {fix}") from None


def output_path(given: Path | None, shipped: Traversable, option: str) -> Path:
    """Where an ``update-*`` command writes: ``given``, else the ``shipped`` file when
    gigbench runs from a source checkout; an installed gigbench's files are never rewritten."""
    if given is not None:
        return given
    if source_checkout() is not None and isinstance(shipped, Path):
        return shipped
    raise UsageError(
        f"expected {option} <file>: gigbench is installed, not run from a source checkout, "
        f"and its own {shipped.name} is not rewritten; pass {option} <file> to write there, "
        f"then the same {option} to the gates that read it"
    )


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as sorted, indented JSON (diffs stay readable) through a rename."""
    write_text_atomic(json.dumps(data, indent=2, sort_keys=True) + "\n", path)


# ------------------------------------------------------------------ commands
def _select(values: list[str] | None, valid: Iterable[str], what: str) -> list[str]:
    valid = list(valid)
    if not values:
        return valid
    unknown = [v for v in values if v not in valid]
    if unknown:
        raise UsageError(
            f"unknown {what} {', '.join(unknown)}; valid {what}s are: {', '.join(valid)}"
        )
    return values


def _is_exact(solver: str) -> bool:
    return bool(solver_class(solver).exact)


def _solve_all(case_names: list[str], solvers: list[str]) -> dict[str, dict[str, Any]]:
    out = {}
    for name in case_names:
        case = case_mod.get_case(name)
        results = {}
        for solver in solvers:
            started = time.perf_counter()
            results[solver] = solve_case(solver, case)
            shown = results[solver]
            shown = (
                shown if isinstance(shown, str) else f"{shown.objective} ({shown.matched} matched)"
            )
            print(f"  {name}/{solver}: {shown} [{time.perf_counter() - started:.1f} s]", flush=True)
        out[name] = {
            "fingerprint": case_mod.fingerprint(case),
            "optimum": optimum(case),
            "results": results,
        }
    return out


def cmd_quality(args: argparse.Namespace) -> int:
    """The quality gate."""
    expected = load_json(
        args.expected or EXPECTED, "no expected values", f"run `{PROG} update-expected`"
    )
    case_names = _select(args.cases, case_mod.CASES, "case")
    solvers = _select(args.solvers, available_solvers(), "solver")
    print(f"{PROG} quality: {len(case_names)} cases x {len(solvers)} solvers", flush=True)
    failures, notes = [], []
    for name, got in _solve_all(case_names, solvers).items():
        want = expected["cases"].get(name)
        if want is not None and args.solvers:
            want = {**want, "solvers": {s: v for s, v in want["solvers"].items() if s in solvers}}
        report = check_quality(
            name,
            want,
            got["fingerprint"],
            got["optimum"],
            got["results"],
            _is_exact,
            strict=args.strict,
        )
        failures += report.failures
        notes += report.notes
    for line in notes:
        print(f"note: {line}")
    for line in failures:
        print(f"FAIL {line}")
    print(f"{PROG} quality: {'FAIL' if failures else 'pass'} ({len(failures)} failures)")
    return 1 if failures else 0


def cmd_update_expected(args: argparse.Namespace) -> int:
    """Re-solve every case with every solver and rewrite expected.json."""
    out = output_path(args.expected, EXPECTED, "--expected")
    solvers = available_solvers()
    data: dict[str, Any] = {
        "generated_by": f"{PROG} update-expected",
        "note": "exact objectives and match counts; any change fails the quality gate",
        "cases": {},
    }
    problems = []
    for name, got in _solve_all(list(case_mod.CASES), solvers).items():
        entry = {
            "fingerprint": got["fingerprint"],
            "optimum": got["optimum"],
            "solvers": {},
            "skipped": {},
        }
        for solver, result in got["results"].items():
            if isinstance(result, str) and result.startswith("skip:"):
                entry["skipped"][solver] = result[5:].strip()
            elif isinstance(result, str):
                problems.append(f"{name}/{solver}: {result}")
            elif _is_exact(solver) and result.objective != got["optimum"]:
                problems.append(
                    f"{name}/{solver}: exact solver's objective {result.objective} != optimum "
                    f"{got['optimum']}: fix the solver, do not record a wrong optimum"
                )
            else:
                entry["solvers"][solver] = result.as_dict()
        data["cases"][name] = entry
    if problems:
        for line in problems:
            print(f"FAIL {line}")
        print(f"{PROG} update-expected: not written ({len(problems)} failures)")
        return 1
    write_json(out, data)
    print(f"{PROG} update-expected: wrote {out}")
    return 0


def _speed_keys(case_names: list[str], solvers: list[str]) -> tuple[list[Key], list[str]]:
    keys, skipped = [], []
    for name in case_names:
        case = case_mod.get_case(name)
        for solver in solvers:
            reason = skip_reason(solver, case, timed=True)
            if reason:
                skipped.append(f"{name}/{solver}: skipped ({reason})")
            else:
                keys.append((name, solver))
    return keys, skipped


def cmd_speed(args: argparse.Namespace) -> int:
    """The speed gate; appends one record to the history file."""
    started = time.perf_counter()
    baseline = _baseline(args)
    case_names = _select(args.cases, case_mod.CASES, "case")
    solvers = _select(args.solvers, available_solvers(), "solver")
    repeats = args.repeats or (SHORT_REPEATS if args.short else FULL_REPEATS)
    if repeats < 1 or args.threshold <= 1.0:
        raise UsageError(
            f"expected --repeats >= 1 and --threshold > 1, got {repeats} and {args.threshold}"
        )
    keys, skipped = _speed_keys(case_names, solvers)
    cpu = history.machine()["cpu"]
    if baseline.get("machine", {}).get("cpu") not in (None, cpu):
        skipped.append(
            f"baseline taken on {baseline['machine']['cpu']!r}, this is {cpu!r}: ratios move "
            f"between CPUs; run `{PROG} update-baseline` on the CI machine"
        )
    print(
        f"{PROG} speed: {len(keys)} case/solver pairs, {repeats} interleaved repeats, "
        f"threshold {args.threshold:g}x baseline",
        flush=True,
    )
    report = speed_gate(keys, lambda ks: measure(ks, repeats), baseline["ratios"], args.threshold)
    for k in keys:
        base = baseline["ratios"].get(_key(k))
        shown = f"baseline {base:.3f}" if base is not None else "no baseline"
        rerun = f" (first {report.first[k]:.3f}, re-run)" if k in report.rerun else ""
        print(f"  {_key(k)}: ratio {report.ratios[k]:.3f}{rerun}, {shown}")
    for line in skipped + report.notes:
        print(f"note: {line}")
    for line in report.failures:
        print(f"FAIL {line}")
    seconds = time.perf_counter() - started
    if not args.no_history:
        record = history.record(
            mode="short" if args.short else "full",
            ratios={_key(k): r for k, r in report.ratios.items()},
            first={_key(k): report.first[k] for k in report.rerun},
            failed=[line.split(":", 1)[0] for line in report.failures],
            threshold=args.threshold,
            repeats=repeats,
            seconds=seconds,
        )
        history.append(args.history, record)
    verdict = "FAIL" if report.failures else "pass"
    print(f"{PROG} speed: {verdict} ({len(report.failures)} failures, {seconds:.0f} s)")
    return 1 if report.failures else 0


def cmd_update_baseline(args: argparse.Namespace) -> int:
    """Measure every pair ``--runs`` times at full repeats; store the median ratios."""
    out = output_path(args.baseline, BASELINE, "--baseline")
    keys, skipped = _speed_keys(list(case_mod.CASES), available_solvers())
    runs = []
    for i in range(args.runs):
        print(f"{PROG} update-baseline: measurement {i + 1}/{args.runs}", flush=True)
        runs.append(measure(keys, args.repeats))
    ratios = {_key(k): round(statistics.median(r[k] for r in runs), 4) for k in keys}
    spread = {_key(k): round(max(r[k] for r in runs) / min(r[k] for r in runs), 3) for k in keys}
    env = history.machine()
    data = {
        "generated_by": f"{PROG} update-baseline --runs {args.runs} --repeats {args.repeats}",
        "note": "solve seconds / scipy seconds, median over interleaved pairs; machine-specific",
        "commit": env.pop("commit"),
        "machine": env,
        "ratios": ratios,
        "spread": spread,
        "skipped": skipped,
    }
    write_json(out, data)
    for k in keys:
        print(f"  {_key(k)}: {ratios[_key(k)]:.3f} (max/min over runs {spread[_key(k)]:.2f})")
    print(f"{PROG} update-baseline: wrote {out}")
    return 0


def cmd_false_alarms(args: argparse.Namespace) -> int:
    """Run the short speed gate ``--runs`` times on unchanged code and count failing runs."""
    baseline = _baseline(args)
    keys, _ = _speed_keys(list(case_mod.CASES), available_solvers())
    failed_runs, worst = 0, 0.0
    for i in range(args.runs):
        started, before = time.perf_counter(), os.getloadavg()
        report = speed_gate(
            keys, lambda ks: measure(ks, SHORT_REPEATS), baseline["ratios"], args.threshold
        )
        worst = max(
            [worst]
            + [
                report.ratios[k] / baseline["ratios"][_key(k)]
                for k in keys
                if _key(k) in baseline["ratios"]
            ]
        )
        failed_runs += bool(report.failures)
        load = ", ".join(f"{x:.2f}" for x in before)
        print(
            f"  run {i + 1}/{args.runs}: {len(report.failures)} failures, {len(report.rerun)} "
            f"re-run, {time.perf_counter() - started:.0f} s, load average {load}",
            flush=True,
        )
        for line in report.failures:
            print(f"    {line}")
    print(
        f"{PROG} false-alarms: {failed_runs} of {args.runs} unchanged runs failed; largest "
        f"ratio / baseline after re-runs {worst:.2f} (threshold {args.threshold:g})"
    )
    return 1 if failed_runs else 0


def cmd_history(args: argparse.Namespace) -> int:
    """Plot the history file."""
    records = history.load(args.history)
    if not records:
        raise UsageError(f"{args.history} holds no runs yet; run `{PROG} speed` first")
    baseline = _baseline(args)
    out = history.plot(records, baseline["ratios"], args.out or args.history.with_suffix(".png"))
    print(f"{PROG} history: {len(records)} runs -> {out}")
    return 0


def _baseline(args: argparse.Namespace) -> dict[str, Any]:
    return load_json(
        args.baseline or BASELINE, "no baseline ratios", f"run `{PROG} update-baseline`"
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit code 2 (STYLE.md point 6)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The command line (also used by the tests)."""
    parser = _Parser(prog=PROG, description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--cases", nargs="+", help=f"subset of: {', '.join(case_mod.CASES)}")
        p.add_argument("--solvers", nargs="+", help="subset of the registered solvers")

    q = sub.add_parser("quality", help="objectives and match counts == expected.json")
    common(q)
    q.add_argument("--strict", action="store_true", help="fail on solvers/cases not recorded")
    q.add_argument("--expected", type=Path, help="default: the shipped expected.json")
    q.set_defaults(func=cmd_quality)

    s = sub.add_parser("speed", help="ratios to scipy against baseline.json")
    common(s)
    s.add_argument(
        "--short",
        action="store_true",
        help=f"CI: {SHORT_REPEATS} repeats instead of {FULL_REPEATS}",
    )
    s.add_argument(
        "--repeats", type=int, help=f"pairs per ratio ({SHORT_REPEATS} short, {FULL_REPEATS} full)"
    )
    s.add_argument("--threshold", type=float, default=THRESHOLD)
    s.add_argument("--baseline", type=Path, help="default: the shipped baseline.json")
    s.add_argument("--history", type=Path, default=history.default_path())
    s.add_argument("--no-history", action="store_true", help="do not append to the history")
    s.set_defaults(func=cmd_speed)

    e = sub.add_parser("update-expected", help="rewrite expected.json (deliberately)")
    e.add_argument(
        "--expected", type=Path, help="output (default in a source checkout: its expected.json)"
    )
    e.set_defaults(func=cmd_update_expected)

    b = sub.add_parser("update-baseline", help="rewrite baseline.json (deliberately)")
    b.add_argument("--runs", type=int, default=BASELINE_RUNS)
    b.add_argument("--repeats", type=int, default=FULL_REPEATS)
    b.add_argument(
        "--baseline", type=Path, help="output (default in a source checkout: its baseline.json)"
    )
    b.set_defaults(func=cmd_update_baseline)

    f = sub.add_parser("false-alarms", help="count failing `speed --short` runs, code unchanged")
    f.add_argument("--runs", type=int, default=10)
    f.add_argument("--threshold", type=float, default=THRESHOLD)
    f.add_argument("--baseline", type=Path, help="default: the shipped baseline.json")
    f.set_defaults(func=cmd_false_alarms)

    h = sub.add_parser("history", help="plot ratio / baseline against commit")
    h.add_argument("--history", type=Path, default=history.default_path())
    h.add_argument("--baseline", type=Path, help="default: the shipped baseline.json")
    h.add_argument("--out", type=Path, default=None, help="PNG path (default: beside the history)")
    h.set_defaults(func=cmd_history)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Console entry point of ``gigbench-perf``."""
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
