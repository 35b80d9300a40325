"""The performance gates' logic (bench/perf/gate.py) on synthetic numbers: fast, no timing.

The quality gate is also run end to end on one small fixed case with a deliberately
suboptimal exact solver registered through ``gigbench.solvers.register``: it must exit 1 and say
why.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import gigbench.solvers
from gigbench.perf import cases, gate, history, peers
from gigbench.solvers import Problem, Solution, Status, get_solver, run
from gigbench.solvers.hungarian import Hungarian


class DropLast(Hungarian):
    """Hungarian that forgets its last pair: suboptimal, yet claims to be exact."""

    name = "drop_last"

    def solve(self) -> Solution:
        """The optimal matching minus one pair, still labelled OPTIMAL."""
        best = super().solve()
        keep = max(len(best.row_ind) - 1, 0)
        return Solution.from_pairs(
            self.problem, best.row_ind[:keep], best.col_ind[:keep], Status.OPTIMAL
        )


@pytest.fixture()
def drop_last():
    gigbench.solvers.register("drop_last", "test_gate:DropLast")
    yield "drop_last"
    gigbench.solvers.registry.unregister("drop_last")


def _exact(name: str) -> bool:
    return name in ("hungarian", "auction")


EXPECTED = {
    "fingerprint": "abc",
    "optimum": 100,
    "solvers": {
        "hungarian": {"objective": 100, "matched": 10, "status": "OPTIMAL"},
        "greedy": {"objective": 90, "matched": 9, "status": "FEASIBLE"},
    },
    "skipped": {},
}
GOOD = {
    "hungarian": gate.Result(100, 10, "OPTIMAL"),
    "greedy": gate.Result(90, 9, "FEASIBLE"),
}


# ------------------------------------------------------------------ quality gate
def test_quality_passes_on_equal_values():
    report = gate.check_quality("c", EXPECTED, "abc", 100, GOOD, _exact)
    assert report.failures == [] and report.notes == []


@pytest.mark.parametrize(
    ("solver", "changed", "message"),
    [
        ("greedy", gate.Result(91, 9, "FEASIBLE"), "c/greedy: objective expected 90, got 91"),
        ("greedy", gate.Result(90, 8, "FEASIBLE"), "c/greedy: matched expected 9, got 8"),
        ("hungarian", gate.Result(100, 10, "FEASIBLE"), "status expected OPTIMAL, got FEASIBLE"),
        ("hungarian", gate.Result(99, 9, "OPTIMAL"), "objective 99 != optimum 100"),
        ("hungarian", "error RuntimeError: boom", "c/hungarian: error RuntimeError: boom"),
        ("greedy", "skip: cannot", "expected objective 90, got a skip (cannot)"),
    ],
)
def test_quality_fails_on_any_change(solver, changed, message):
    report = gate.check_quality("c", EXPECTED, "abc", 100, GOOD | {solver: changed}, _exact)
    assert any(message in line for line in report.failures), report.failures


def test_a_heuristic_that_improves_still_fails():
    """Exact equality: even a better heuristic objective is a change to be recorded."""
    better = GOOD | {"greedy": gate.Result(95, 9, "FEASIBLE")}
    assert gate.check_quality("c", EXPECTED, "abc", 100, better, _exact).failures


def test_changed_instance_is_reported_once_as_such():
    report = gate.check_quality("c", EXPECTED, "zzz", 7, {}, _exact)
    assert len(report.failures) == 1
    assert "instance changed (fingerprint abc -> zzz)" in report.failures[0]


def test_changed_optimum_fails():
    report = gate.check_quality("c", EXPECTED, "abc", 101, GOOD, _exact)
    assert any("scipy's optimum expected 100, got 101" in f for f in report.failures)


def test_a_new_exact_solver_joins_and_is_held_to_the_optimum():
    new = GOOD | {"auction": gate.Result(100, 10, "OPTIMAL")}
    report = gate.check_quality("c", EXPECTED, "abc", 100, new, _exact)
    assert report.failures == []
    assert any("c/auction: not in expected.json" in n for n in report.notes)
    wrong = GOOD | {"auction": gate.Result(98, 10, "OPTIMAL")}
    report = gate.check_quality("c", EXPECTED, "abc", 100, wrong, _exact)
    assert any(
        "c/auction: exact solver's objective 98 != optimum 100" in f for f in report.failures
    )
    strict = gate.check_quality("c", EXPECTED, "abc", 100, new, _exact, strict=True)
    assert any("not in expected.json" in f for f in strict.failures)


def test_a_recorded_solver_that_disappears_fails():
    report = gate.check_quality("c", EXPECTED, "abc", 100, {"hungarian": GOOD["hungarian"]}, _exact)
    assert any("c/greedy" in f and "no longer registered" in f for f in report.failures)


def test_quality_cli_fails_a_suboptimal_exact_solver(drop_last, capsys):
    code = gate.main(
        ["quality", "--cases", "dispatch_surplus", "--solvers", "hungarian", drop_last]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL dispatch_surplus/drop_last: exact solver's objective" in out
    assert "dispatch_surplus/hungarian" not in "".join(
        line for line in out.splitlines() if line.startswith("FAIL")
    )


def test_quality_cli_passes_hungarian_on_a_recorded_case(capsys):
    assert gate.main(["quality", "--cases", "dispatch_surplus", "--solvers", "hungarian"]) == 0
    assert "quality: pass" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["speeed"],
        ["quality", "--cases", "nope"],
        ["quality", "--solvers", "simplex"],
        ["speed", "--repeats", "x"],
        ["speed", "--threshold", "0.9", "--cases", "dispatch_surplus", "--no-history"],
    ],
)
def test_bad_usage_exits_2_with_one_line(argv, capsys):
    assert gate.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gigbench-perf: error:")


def test_missing_baseline_is_a_usage_error(tmp_path, capsys):
    argv = ["speed", "--baseline", str(tmp_path / "none.json"), "--no-history"]
    assert gate.main(argv) == 2
    assert "update-baseline" in capsys.readouterr().err


# ------------------------------------------------------------------ speed gate
BASE = {"a/x": 1.0, "a/y": 2.0, "b/x": 0.5}
KEYS = [("a", "x"), ("a", "y"), ("b", "x")]


class FakeClock:
    """A measure() that returns scripted ratios, one dict per call, and records the calls."""

    def __init__(self, *rounds: dict[tuple[str, str], float]) -> None:
        self.rounds = list(rounds)
        self.calls: list[list[tuple[str, str]]] = []

    def __call__(self, keys):
        self.calls.append(list(keys))
        values = self.rounds.pop(0)
        return {k: values[k] for k in keys}


def test_speed_passes_within_threshold():
    clock = FakeClock({("a", "x"): 1.4, ("a", "y"): 2.9, ("b", "x"): 0.6})
    report = gate.speed_gate(KEYS, clock, BASE, 1.5)
    assert report.failures == [] and len(clock.calls) == 1


def test_speed_fails_a_persistent_slowdown_after_one_rerun():
    slow = {("a", "x"): 2.0, ("a", "y"): 2.0, ("b", "x"): 0.5}
    clock = FakeClock(slow, slow)
    report = gate.speed_gate(KEYS, clock, BASE, 1.5)
    assert clock.calls[1] == [("a", "x")]  # only the suspect is re-measured
    assert report.failures == [
        "a/x: ratio to scipy 2.000, re-run 2.000 > baseline 1.000 x 1.5 = 1.500 (2.00x slower)"
    ]


def test_speed_forgives_a_one_off_spike():
    spike = {("a", "x"): 1.0, ("a", "y"): 5.0, ("b", "x"): 0.5}
    clock = FakeClock(spike, {("a", "y"): 2.1})
    report = gate.speed_gate(KEYS, clock, BASE, 1.5)
    assert report.failures == [] and report.rerun == [("a", "y")]
    assert report.ratios[("a", "y")] == 2.1 and report.first[("a", "y")] == 5.0


def test_speed_notes_new_pairs_and_speed_ups_without_failing():
    keys = [*KEYS, ("c", "z")]
    clock = FakeClock({("a", "x"): 0.5, ("a", "y"): 2.0, ("b", "x"): 0.5, ("c", "z"): 9.0})
    report = gate.speed_gate(keys, clock, BASE, 1.5)
    assert report.failures == []
    assert any(n.startswith("c/z: ratio 9.000, no baseline yet") for n in report.notes)
    assert any(n.startswith("a/x: ratio 0.500 is 2.00x below baseline") for n in report.notes)


def test_median_ratio_pairs_solver_and_reference():
    assert gate.median_ratio([2.0, 4.0, 100.0], [1.0, 2.0, 1.0]) == 2.0
    with pytest.raises(ValueError, match="at least one"):
        gate.median_ratio([], [])


# ------------------------------------------------------------------ scipy references
def _tiny(kind: str) -> Problem:
    rng = np.random.default_rng(3)
    weights = rng.integers(-20, 100, (6, 9))
    if kind == "max":
        return Problem.from_dense(weights)
    if kind == "min_full":
        return Problem.from_cost_matrix(weights)
    if kind == "min_full_tall":
        return Problem.from_cost_matrix(weights.T)
    rows, cols = np.nonzero(rng.random((6, 9)) < 0.5)
    return Problem.from_edges(6, 9, rows, cols, weights[rows, cols])


@pytest.mark.parametrize("kind", ["max", "min_full", "min_full_tall", "sparse_max"])
@pytest.mark.parametrize("reference", ["lsa", "sparse"])
def test_reference_finds_the_optimum(kind, reference):
    problem = _tiny(kind)
    assert peers.scipy_reference(problem, reference)() == run(Hungarian(), problem).objective


@pytest.mark.parametrize("kind", ["max", "min_full", "min_full_tall", "sparse_max", "idle_rows"])
@pytest.mark.parametrize("peer", ["ortools", "scipy_lsa", "scipy_sparse", *peers.LAPX_PEERS])
def test_every_peer_finds_the_optimum(kind, peer):
    """Each peer on each form (padding, cost_limit, capacity-0 rows) against hungarian."""
    if peer not in peers.PEERS:
        pytest.skip(f"{peer}: {peers.LAPX_MISSING}")
    if kind == "idle_rows":  # busy workers: capacity 0, as in the simulation's batches
        base = _tiny("sparse_max")
        problem = Problem.from_edges(
            base.n_rows, base.n_cols, base.edge_rows, base.indices, base.weights,
            row_capacity=np.arange(base.n_rows) % 2,
        )  # fmt: skip
    else:
        problem = _tiny(kind)
    solve = peers.PEERS[peer](problem)
    if solve is None:
        pytest.skip(f"{peer} does not take {problem!r}")
    assert solve() == run(Hungarian(), problem).objective


def test_case_fingerprints_are_stable_and_sensitive():
    case = cases.get_case("dispatch_surplus")
    assert cases.fingerprint(case) == cases.fingerprint(cases.dispatch_surplus())
    assert cases.fingerprint(case) != cases.fingerprint(cases.dispatch_surplus(seed=99))


def test_expected_file_covers_every_case_and_agrees_with_itself():
    data = json.loads(gate.EXPECTED.read_text())
    assert sorted(data["cases"]) == sorted(cases.CASES)
    for name, entry in data["cases"].items():
        for solver, values in entry["solvers"].items():
            if gigbench.solvers.solver_class(solver).exact:
                assert values["objective"] == entry["optimum"], (name, solver)


def test_broadcast_is_deterministic_per_fresh_instance():
    problem = cases.get_case("dispatch_surplus").problems[0]
    first = run(get_solver("broadcast"), problem).objective
    assert run(get_solver("broadcast"), problem).objective == first


# ------------------------------------------------------------------ history
def test_history_round_trip_and_plot(tmp_path):
    path = tmp_path / "h.jsonl"
    for i, slow in enumerate([1.0, 1.1, 2.2]):
        history.append(
            path,
            {
                "commit": f"{i:040d}",
                "dirty": i == 2,
                "ratios": {"a/x": slow, "b/x": 0.5},
                "failed": ["a/x"] if slow > 1.5 else [],
                "threshold": 1.5,
            },
        )
    with path.open("a") as out:
        out.write("not json\n")
    records = history.load(path)
    assert [r["ratios"]["a/x"] for r in records] == [1.0, 1.1, 2.2]
    out = history.plot(records, {"a/x": 1.0, "b/x": 0.5}, tmp_path / "h.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert history.load(tmp_path / "missing.jsonl") == []


def test_history_command_needs_runs(tmp_path, capsys):
    assert gate.main(["history", "--history", str(tmp_path / "none.jsonl")]) == 2
    assert "holds no runs yet" in capsys.readouterr().err
