"""The conformance suites can fail: a plugin that breaks one contract fails the check that
states it, with what was expected and what was got; ``gigbench-conformance`` prints that and
exits 1, and exits 2 for a kind or name it does not know."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from plugin_dist import write_distribution

from gigbench.testing import KINDS, Subject, checks, run_check

TESTS = Path(__file__).resolve().parents[1]
SMALL_CITY = {"n_tasks": 100, "n_workers": 10, "horizon_h": 1.0}

# (kind, registered name, target in tests/nonconforming.py, params, failing check, message)
BROKEN = [
    ("solver", "drops_one", "DropsOne", {}, "matches_brute_force[square]", "expected objective"),
    ("solver", "misnamed", "Misnamed", {}, "name", "expected name = 'misnamed'"),
    ("solver", "mutable_params", "MutableParams", {}, "params_schema", "got mutable"),
    ("pricing", "negative_fares", "NegativeFares", {}, "valid_quotes[city]", "finite and >= 0"),
    ("pricing", "dice", "Dice", {}, "deterministic", "the same for the same inputs"),
    ("pricing", "overcharge", "Overcharge", {}, "simulated_day[city]", "willingness to pay"),
    ("objective", "float_weights", "FloatWeights", {}, "integer_terms", "integer weights"),
    ("objective", "huge_weights", "HugeWeights", {}, "weights_leave_room", "max |weight|"),
    ("reposition", "out_of_town", "OutOfTown", {}, "valid_moves", "inside the"),
    ("reposition", "writes_the_view", "WritesTheView", {}, "inputs_untouched", "changed in place"),
    ("supply", "coin_toss", "CoinToss", {}, "reproducible", "the same for the same inputs"),
    ("pay_rule", "negative_floor", "NegativeFloor", {}, "valid_floors", "finite and >= 0"),
    ("generator", "global_rng", "generate_global", SMALL_CITY, "pure", "global random states"),
    ("generator", "unhashed", "generate_unhashed", SMALL_CITY, "scenario", "content_hash"),
]


@pytest.mark.parametrize(
    ("kind", "name", "target", "params", "check_id", "message"), BROKEN, ids=[b[1] for b in BROKEN]
)
def test_a_broken_contract_fails_its_check(kind, name, target, params, check_id, message) -> None:
    registry = KINDS[kind].registry()
    registry.register(name, f"nonconforming:{target}")
    try:
        (check,) = [c for c in checks(kind) if c.id == check_id]
        outcome = run_check(check, Subject(kind, name, params))
    finally:
        registry.unregister(name)
    assert outcome.status == "failed" and message in outcome.message, outcome


def conformance(*args: str, pythonpath: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "gigbench.testing", *args],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip


def test_the_command_passes_a_builtin_and_lists_its_checks() -> None:
    out = conformance("pay_rule", "commission_cap", "cap=0.1", "-v")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "pay_rule commission_cap[cap=0.1] (built into gigbench)" in out.stdout
    assert "passed  valid_floors" in out.stdout
    assert out.stdout.rstrip().splitlines()[-1].endswith("0 failed, 0 skipped")


def test_the_command_prints_each_failure_and_exits_1(tmp_path) -> None:
    entry = {"gigbench.solvers": {"drops_one": "nonconforming:DropsOne"}}
    write_distribution(tmp_path, "broken-solvers", entry)
    out = conformance(
        "solver", "drops_one", pythonpath=os.pathsep.join([str(tmp_path), str(TESTS)])
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert (
        "solver drops_one (broken-solvers 0.1, entry point drops_one = nonconforming:DropsOne)"
        in (out.stdout)
    )
    failed = [line for line in out.stdout.splitlines() if line.startswith("FAIL ")]
    assert "FAIL matches_brute_force[square]: expected objective " in "\n".join(failed)
    assert all(": expected " in line and ", got " in line for line in failed)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["solvers", "greedy"], "unknown kind 'solvers'; valid kinds are: solver, generator"),
        (["solver", "simplex"], "unknown solver 'simplex'; valid solver names are: auction"),
        (["solver", "greedy", "strategy"], "parameters: expected key=value, got 'strategy'"),
        (["pricing", "surge", "cap=0.5"], "parameters of pricing 'surge': pricing.cap: expected"),
        (["generator", "replay"], "parameters of generator 'replay': path: expected a TLC trip"),
    ],
)
def test_the_command_refuses_what_it_does_not_know_in_one_line(args, message) -> None:
    out = conformance(*args)
    assert out.returncode == 2 and out.stdout == "", out
    assert (
        out.stderr.startswith(f"gigbench-conformance: error: {message}")
        and out.stderr.count("\n") == 1
    ), out.stderr
