"""pytest-benchmark suite: every registered solver on every fixed case, and scipy beside it.

Not collected by the default ``pytest`` (testpaths is ``tests/``), and every test carries the
``perf`` marker. Run it with timing switched on (addopts disables it)::

    pytest bench/perf -m perf --benchmark-enable --benchmark-group-by=param:case_name
    pytest bench/perf -m perf --benchmark-enable --benchmark-save=mine   # keep the JSON

Each benchmark first solves the case through :func:`gigbench.solvers.run` (validated) and asserts
the
objective against ``expected.json`` (and, for exact solvers, scipy's optimum) before any timing.
Only ``solve()`` is timed: ``prepare()`` runs in pytest-benchmark's untimed ``setup``. The
gating is done by ``gigbench-perf speed`` (ratios to scipy in the same run); these tables are
for reading.
"""

from __future__ import annotations

import json

import pytest

from gigbench.perf import cases, gate
from gigbench.perf.peers import scipy_reference
from gigbench.solvers import available_solvers, get_solver, solver_class

pytestmark = pytest.mark.perf

EXPECTED = json.loads(gate.EXPECTED.read_text())["cases"] if gate.EXPECTED.is_file() else {}
ROUNDS = 15


def _prepared(solver: str, case: cases.Case):
    instances = []
    for problem in case.problems:
        instance = get_solver(solver)
        instance.prepare(problem)
        instances.append(instance)
    return (instances,), {}


def _solve_all(instances) -> None:
    for instance in instances:
        instance.solve()


@pytest.mark.parametrize("case_name", cases.CASES)
@pytest.mark.parametrize("solver", available_solvers())
def test_solver(benchmark, solver: str, case_name: str) -> None:
    case = cases.get_case(case_name)
    reason = gate.skip_reason(solver, case, timed=True)
    if reason:
        pytest.skip(f"{solver} on {case_name}: {reason}")
    result = gate.solve_case(solver, case)
    assert isinstance(result, gate.Result), result
    want = EXPECTED.get(case_name, {}).get("solvers", {}).get(solver)
    if want is not None:
        assert (result.objective, result.matched) == (want["objective"], want["matched"])
    if solver_class(solver).exact:
        assert result.objective == gate.optimum(case)
    benchmark.group = case_name
    benchmark.extra_info.update(objective=result.objective, matched=result.matched)
    benchmark.pedantic(
        _solve_all, setup=lambda: _prepared(solver, case), rounds=ROUNDS, warmup_rounds=1
    )


@pytest.mark.parametrize("case_name", cases.CASES)
def test_scipy_reference(benchmark, case_name: str) -> None:
    case = cases.get_case(case_name)
    calls = [scipy_reference(p, case.reference) for p in case.problems]
    optimum = sum(call() for call in calls)
    if case_name in EXPECTED:
        assert optimum == EXPECTED[case_name]["optimum"]
    benchmark.group = case_name
    benchmark.extra_info.update(objective=optimum)
    benchmark.pedantic(lambda: [call() for call in calls], rounds=ROUNDS, warmup_rounds=1)
