"""The MILP solver: every backend against hungarian, every side constraint against brute force,
status handling (infeasible, time limit, gap), missing backends, OR-Library optima and the
efficiency price of fairness. Every solve goes through ``gigbench.solvers.run`` (validated)."""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from gigbench.solvers import MissingBackendError, Problem, SkipProblem, Status, run
from gigbench.solvers._milp_model import Outcome, build_model
from gigbench.solvers.hungarian import Hungarian
from gigbench.solvers.milp import BACKENDS, Milp, _checked, price_of_fairness

REPO = Path(__file__).resolve().parents[2]

ALL = sorted(BACKENDS)
ORLIB = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "orlib"


def solve(problem: Problem, **params):
    """run() a Milp; skip the test when the backend declares the problem out of scope."""
    try:
        return run(Milp(**params), problem)
    except SkipProblem as reason:
        pytest.skip(str(reason))


def dense_edges(weights: np.ndarray, **kwargs) -> Problem:
    """A complete bipartite problem with side data (from_dense takes no edge_data)."""
    rows, cols = np.indices(weights.shape).reshape(2, -1)
    return Problem.from_edges(*weights.shape, rows, cols, weights.ravel(), **kwargs)


# --------------------------------------------------------------- plain assignment vs hungarian


def _plain_cases() -> dict[str, Problem]:
    rng = np.random.default_rng(4)
    forbidden = rng.integers(0, 50, (8, 8)).astype(float)
    forbidden[rng.random((8, 8)) < 0.4] = -np.inf
    cost = rng.integers(0, 50, (7, 9)).astype(float)
    cost[rng.random((7, 9)) < 0.3] = np.inf
    return {
        "square": Problem.from_dense(rng.integers(-10, 50, (9, 9))),
        "wide": Problem.from_dense(rng.integers(0, 50, (5, 11))),
        "tall": Problem.from_dense(rng.integers(0, 50, (11, 5))),
        "forbidden": Problem.from_dense(forbidden),
        "capacity": Problem.from_dense(rng.integers(0, 50, (4, 10)), row_capacity=[3, 0, 2, 4]),
        "full_min_wide": Problem.from_cost_matrix(cost),
        "full_min_tall": Problem.from_cost_matrix(cost.T.copy()),
        "cents": Problem.from_dense(np.round(rng.uniform(0, 30, (8, 8)), 2)),
    }


PLAIN = _plain_cases()


@pytest.mark.parametrize("lp", [True, False], ids=["lp", "mip"])
@pytest.mark.parametrize("case", sorted(PLAIN))
@pytest.mark.parametrize("backend", ALL)
def test_plain_matches_hungarian_with_duals(backend: str, case: str, lp: bool) -> None:
    problem = PLAIN[case]
    reference = run(Hungarian(), problem)
    solution = solve(problem, backend=backend, lp_when_tu=lp)
    assert solution.stats["relaxed"] == (lp and backend != "cpsat")
    assert solution.status == reference.status == Status.OPTIMAL
    assert solution.objective == pytest.approx(reference.objective, abs=1e-6)
    # run() has checked the LP duals: feasible, with no gap to the objective
    assert solution.row_dual is not None and solution.col_dual is not None


@pytest.mark.parametrize("backend", ALL)
def test_build_and_dual_seconds_are_parts_of_prepare_and_solve(backend: str) -> None:
    """The model's build is timed inside prepare() and the LP duals inside solve(): each part
    is positive and no longer than the whole that run() timed around it on the same clock."""
    solution = solve(PLAIN["square"], backend=backend)
    stats = solution.stats
    assert 0 < stats["build_seconds"] <= stats["prepare_seconds"]
    assert 0 < stats["dual_seconds"] <= stats["solve_seconds"]  # every backend gives LP duals


def _infeasible() -> Problem:
    cost = np.full((4, 4), np.inf)
    cost[:, 0] = 1.0
    cost[0, 1:] = 2.0  # three rows can only use column 0
    return Problem.from_cost_matrix(cost)


@pytest.mark.parametrize("backend", ALL)
def test_infeasible_full_problem(backend: str) -> None:
    solution = solve(_infeasible(), backend=backend)  # run() confirms no full matching exists
    assert solution.status == Status.INFEASIBLE and solution.n_matched == 0


def test_cpsat_skips_weights_it_cannot_scale() -> None:
    problem = Problem.from_dense(np.random.default_rng(0).uniform(0, 1, (4, 4)))
    reason = Milp(backend="cpsat").skip(problem)
    assert reason and "integer" in reason and "backend=highs" in reason
    assert Milp(backend="cpsat", cpsat_digits=6).skip(PLAIN["cents"]) is None


# --------------------------------------------------------------- side constraints: brute force


def matchings(problem: Problem) -> list[tuple[int, ...]]:
    """Every matching (edge ids) respecting row capacities and columns; for tiny problems."""
    rows, cols, cap = problem.edge_rows, problem.indices, problem.row_capacity
    out: list[tuple[int, ...]] = []

    def extend(e: int, chosen: list[int], row_use: list[int], col_used: set[int]) -> None:
        if e == problem.n_edges:
            if not problem.full or len(chosen) == problem.required_matches:
                out.append(tuple(chosen))
            return
        extend(e + 1, chosen, row_use, col_used)
        i, j = int(rows[e]), int(cols[e])
        if row_use[i] < cap[i] and j not in col_used:
            row_use[i] += 1
            extend(e + 1, [*chosen, e], row_use, col_used | {j})
            row_use[i] -= 1

    extend(0, [], [0] * problem.n_rows, set())
    return out


def batch(seed: int, shape=(4, 5), capacity=1, hours: bool = False) -> Problem:
    """A small gig batch: integer welfare, income paid per task, earnings so far, targets."""
    rng = np.random.default_rng(seed)
    n, m = shape
    row_data = {"earned": rng.integers(0, 15, n), "target": rng.integers(5, 25, n)}
    if hours:
        row_data["hours"] = rng.choice([0.5, 1.5, 2.0, 4.0], n)
    return dense_edges(
        rng.integers(-3, 20, shape),
        row_capacity=np.full(n, capacity),
        edge_data={"income": rng.integers(0, 12, n * m), "allowed": rng.random(n * m) < 0.75},
        row_data=row_data,
    )


def earned_by(problem: Problem, match: tuple[int, ...], per_hour: bool = False) -> np.ndarray:
    income = np.bincount(
        problem.edge_rows[list(match)],
        weights=problem.edge_data["income"][list(match)],
        minlength=problem.n_rows,
    )
    total = problem.row_data["earned"] + income
    return total / problem.row_data["hours"] if per_hour else total


def welfare(problem: Problem, match: tuple[int, ...]) -> float:
    return float(problem.weights[list(match)].sum())


SEEDS = [1, 2, 3]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("backend", ALL)
def test_skills_mask(backend: str, seed: int) -> None:
    problem = batch(seed, capacity=2)
    allowed = problem.edge_data["allowed"]
    best = max(welfare(problem, m) for m in matchings(problem) if all(allowed[list(m)]))
    solution = solve(problem, backend=backend)
    assert solution.objective == best
    assert solution.row_dual is None  # masked edges are a side constraint: no LP duals
    free = solve(problem, backend=backend, skills=False)
    assert free.objective == max(welfare(problem, m) for m in matchings(problem)) >= best


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("backend", ALL)
def test_income_floor(backend: str, seed: int) -> None:
    problem = batch(seed, capacity=2)
    penalty = 3.0

    def value(match):  # welfare minus the penalised shortfall below each worker's target
        short = np.maximum(problem.row_data["target"] - earned_by(problem, match), 0)
        return welfare(problem, match) - penalty * short.sum(), short.sum()

    feasible = [m for m in matchings(problem) if all(problem.edge_data["allowed"][list(m)])]
    best, _ = max(value(m) for m in feasible)
    solution = solve(problem, backend=backend, income_floor=True, floor_penalty=penalty)
    chosen = _edge_ids(problem, solution)
    assert solution.stats["model_objective"] == pytest.approx(best)
    assert value(chosen) == pytest.approx((best, solution.stats["slack_total"]))
    assert solution.row_dual is None


@pytest.mark.parametrize("backend", ALL)
def test_income_floor_scalar_and_missing_target(backend: str) -> None:
    problem = batch(5, capacity=2)
    floor = 12.0
    feasible = [m for m in matchings(problem) if all(problem.edge_data["allowed"][list(m)])]
    best = max(
        welfare(problem, m) - 1000 * np.maximum(floor - earned_by(problem, m), 0).sum()
        for m in feasible
    )
    solution = solve(problem, backend=backend, income_floor=True, floor=floor)
    assert solution.stats["model_objective"] == pytest.approx(best)
    bare = dense_edges(np.ones((2, 2), dtype=np.int64))
    with pytest.raises(ValueError, match=r"row_data\['target'\].*floor"):
        run(Milp(backend=backend, income_floor=True), bare)


@pytest.mark.parametrize("per_hour", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("backend", ALL)
def test_maxmin_lexicographic(backend: str, seed: int, per_hour: bool) -> None:
    problem = batch(seed, shape=(4, 6), hours=per_hour)
    feasible = [m for m in matchings(problem) if all(problem.edge_data["allowed"][list(m)])]
    lowest = {m: earned_by(problem, m, per_hour).min() for m in feasible}
    z_star = max(lowest.values())
    best = max(welfare(problem, m) for m in feasible if lowest[m] >= z_star - 1e-9)
    solution = solve(problem, backend=backend, objective="maxmin", per_hour=per_hour)
    assert solution.status == Status.OPTIMAL
    assert solution.stats["min_earnings"] == pytest.approx(z_star)
    assert solution.objective == pytest.approx(best)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("backend", ALL)
def test_maxmin_weighted(backend: str, seed: int) -> None:
    problem = batch(seed, shape=(4, 6))
    weight = 4.0
    feasible = [m for m in matchings(problem) if all(problem.edge_data["allowed"][list(m)])]
    best = max(welfare(problem, m) + weight * earned_by(problem, m).min() for m in feasible)
    solution = solve(
        problem, backend=backend, objective="maxmin", maxmin_mode="weighted", maxmin_weight=weight
    )
    assert solution.stats["model_objective"] == pytest.approx(best)
    chosen = _edge_ids(problem, solution)
    assert welfare(problem, chosen) + weight * solution.stats["min_earnings"] == pytest.approx(best)


@pytest.mark.parametrize("share", [0.25, 0.4, 2 / 3])
@pytest.mark.parametrize("backend", ALL)
def test_max_share(backend: str, share: float) -> None:
    problem = batch(7, shape=(3, 6), capacity=4)

    def within(match):  # nobody takes more than ceil(share * tasks matched)
        cap = math.ceil(Fraction(share).limit_denominator(10**6) * len(match))
        return np.bincount(problem.edge_rows[list(match)], minlength=3).max(initial=0) <= cap

    feasible = [m for m in matchings(problem) if all(problem.edge_data["allowed"][list(m)])]
    best = max(welfare(problem, m) for m in feasible if within(m))
    solution = solve(problem, backend=backend, max_share=share)
    assert solution.objective == best
    assert within(_edge_ids(problem, solution))
    if share == 0.25:  # the cap binds on this batch
        assert best < max(welfare(problem, m) for m in feasible)


def test_max_share_skips_full_problems() -> None:
    with pytest.raises(SkipProblem, match="share cap"):
        run(Milp(max_share=0.5), Problem.from_cost_matrix(np.ones((2, 2))))


def _edge_ids(problem: Problem, solution) -> tuple[int, ...]:
    keys = problem.edge_rows * problem.n_cols + problem.indices
    wanted = solution.row_ind * problem.n_cols + solution.col_ind
    return tuple(np.searchsorted(keys, wanted).tolist())


# --------------------------------------------------------------- status handling


def hard_instance() -> Problem:
    """Floors, a share cap and weighted max-min on a 60 x 60 b-matching: minutes to prove."""
    rng = np.random.default_rng(1)
    n = 60
    return dense_edges(
        rng.integers(0, 1000, (n, n)),
        row_capacity=np.full(n, 3),
        edge_data={"income": rng.integers(1, 50, n * n)},
        row_data={"target": np.full(n, 60)},
    )


@pytest.mark.parametrize("backend", ALL)
def test_time_limit_is_never_a_silent_optimal(backend: str) -> None:
    params = dict(income_floor=True, max_share=0.05, objective="maxmin", maxmin_mode="weighted")
    solution = solve(hard_instance(), backend=backend, time_limit=0.2, **params)
    assert solution.status in (Status.FEASIBLE, Status.TIME_LIMIT)
    if solution.status == Status.FEASIBLE:
        assert solution.bound is not None
        assert solution.bound >= solution.stats["model_objective"] - 1e-6
    else:
        assert solution.n_matched == 0


def test_gap_stop_is_feasible_not_optimal() -> None:
    model = build_model(PLAIN["square"], Milp.Params())
    values = np.zeros(model.n_vars)
    assert _checked(Outcome(Status.OPTIMAL, values, 10.0, 12.0), model).status == Status.FEASIBLE
    assert _checked(Outcome(Status.OPTIMAL, values, 10.0, 10.5), model).status == Status.OPTIMAL
    assert _checked(Outcome(Status.FEASIBLE, values, 10.0, 10.0), model).status == Status.OPTIMAL


def test_bad_params_say_what_is_valid() -> None:
    with pytest.raises(ValueError, match=r"backend: expected one of .*'highs'.*got 'gurobi'"):
        Milp(backend="gurobi")
    with pytest.raises(ValueError, match="max_share"):
        Milp(max_share=1.5)


MISSING = [
    ("highs", "highspy", "pip install highspy"),
    ("pulp_highs", "pulp", "pip install pulp"),
    ("pulp_highs", "highspy", "pip install highspy"),
    ("cbc", "pulp", 'pip install "pulp[cbc]"'),
    ("cpsat", "ortools.sat.python.cp_model", "pip install ortools"),
    ("ortools_lp", "ortools.linear_solver.pywraplp", "pip install ortools"),
]


@pytest.mark.parametrize("backend, module, fix", MISSING)
def test_missing_backend_names_the_fix(backend: str, module: str, fix: str, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(
        MissingBackendError, match=rf"'{backend}'.*{module}.*{fix}".replace("[", r"\[")
    ):
        run(Milp(backend=backend), PLAIN["square"])


def test_missing_cbc_executable(monkeypatch, tmp_path) -> None:
    import pulp

    # PuLP 3's bundled CBC, PuLP 4's from pulp[cbc] (cbcbox), and any cbc on PATH: none here
    monkeypatch.setattr(pulp, "PULP_CBC_CMD", None, raising=False)
    monkeypatch.setitem(sys.modules, "cbcbox", None)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        MissingBackendError, match=r"'cbc'.*CBC executable.*pip install \"pulp\[cbc\]\""
    ):
        run(Milp(backend="cbc"), PLAIN["square"])


def test_cli_missing_backend_is_one_line_exit_2(tmp_path) -> None:
    """A back end whose library is not installed is the user's to fix: one line, exit 2."""
    code = (
        "import sys; sys.modules['highspy'] = None; sys.argv[0] = 'gigbench'; "
        "from gigbench.harness.cli import main; main()"
    )
    small = ["instance.n_tasks=100", "instance.n_workers=10", "instance.horizon_h=1"]
    args = ["solver=milp", "solver.backend=pulp_highs", *small, f"results_dir={tmp_path}"]
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("gigbench: error: milp backend 'pulp_highs' needs")
    assert out.stderr.count("\n") == 1 and "pip install highspy" in out.stderr


@pytest.mark.parametrize("backend", ["pulp_highs", "highs"])
def test_highs_banner_stays_off_stdout(backend: str, tmp_path) -> None:
    """HiGHS prints a banner on file descriptor 1 when a process builds its first Highs(): a
    quiet back end (msg off, the default) keeps stdout for what the command prints."""
    pytest.importorskip("highspy")
    code = (
        "import numpy as np; from gigbench.solvers import Problem, run; "
        "from gigbench.solvers.milp import Milp; "
        "p = Problem.from_dense(np.array([[3.0, 1.0], [2.0, 4.0]])); "
        f"run(Milp(backend={backend!r}), p)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""


# --------------------------------------------------------------- OR-Library acceptance


def orlib_problem(name: str) -> Problem:
    if not ORLIB.is_dir():
        pytest.skip(f"OR-Library files not found at {ORLIB} (../shared/data beside the clone)")
    try:
        from gigbench.instances.orlib import read_orlib
    except ImportError:  # the reader lands separately; the dense format is simple enough
        with open(ORLIB / f"{name}.txt") as f:
            data = np.array(f.read().split(), dtype=np.int64)
        n = int(data[0])
        return Problem.from_cost_matrix(data[1 : 1 + n * n].reshape(n, n), name=name)
    instance = read_orlib(ORLIB / f"{name}.txt")
    return Problem.from_edges(
        instance.n, instance.n, instance.rows, instance.cols, instance.costs, sense="min", full=True
    )


@pytest.mark.parametrize("lp", [True, False], ids=["lp", "mip"])
@pytest.mark.parametrize(
    "name, optimum", [("assign100", 305), pytest.param("assign200", 475, marks=pytest.mark.slow)]
)
@pytest.mark.parametrize("backend", ALL)
def test_orlib_optimum(backend: str, name: str, optimum: int, lp: bool) -> None:
    solution = solve(orlib_problem(name), backend=backend, lp_when_tu=lp)  # default time limit
    assert solution.status == Status.OPTIMAL
    assert solution.objective == optimum


# --------------------------------------------------------------- price of fairness


@pytest.mark.parametrize("backend", ALL)
def test_price_of_fairness_on_a_seeded_batch(backend: str) -> None:
    rng = np.random.default_rng(4)
    n, m = 6, 8
    pay = rng.integers(1, 30, n * m)
    problem = dense_edges(
        pay.reshape(n, m),  # welfare = the pay itself
        edge_data={"income": pay},
        row_data={"earned": rng.integers(0, 40, n)},
    )
    out = price_of_fairness(problem, backend=backend)
    assert out["status_opt"] == out["status_maxmin"] == "OPTIMAL"
    assert out["welfare_maxmin"] <= out["welfare_opt"]
    assert out["min_earnings_maxmin"] >= out["min_earnings_opt"]
    # on this seed fairness has a strictly positive price and benefit (welfare 159 -> 157,
    # min earnings 38 -> 43); no welfare optimum reaches 43, so ties cannot hide the price
    assert out["price"] > 0 and out["min_earnings_maxmin"] > out["min_earnings_opt"]


def test_no_banner_on_stdout() -> None:
    """HiGHS prints a banner on the first Highs() of a process unless silenced."""
    code = (
        "import numpy as np; from solvers import Problem, get_solver, run; "
        "run(get_solver('milp'), Problem.from_dense(np.array([[3, 1], [2, 4]])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout == ""
