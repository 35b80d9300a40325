"""The auction's peers and the one scipy reference, behind one interface.

``PEERS[name](problem)`` builds the peer's own input (untimed) and returns a zero-argument
callable that solves (timed) and returns the objective in the problem's own sense, or None
when the peer does not take the problem's shape. Both forms are handled: scipy's full
min-cost form, and the platform's max form (unmatched allowed), which peers that need a
perfect matching (OR-Tools, lapmod) get padded the way LAPJVsp pads (a dummy per node of the
other side, transposed edges at cost 0) and dense lapx solvers get with ``cost_limit=0``
(leaving a pair unmatched costs nothing). Optional peers are listed only when installed
(``pip install -e ".[peers]"``), and :data:`MISSING` says why each absent one is absent:
lapx (``lapjv``, ``lapjvx``, ``lapjvh``, ``lapmod``); gatagat's ``lap`` (``lap_lapjv``,
``lap_lapmod``), which installs the same import name ``lap`` as lapx, so one environment holds
one of the two (``pip install lap`` replaces lapx); src-d's ``lapjv`` (``srcd_lapjv``: square
dense matrices only, float32 inside); and ``lapsolver`` (``lapsolver``: dense), whose last
release (1.1.0, 2020) bundles a pybind11 that no longer builds on Python 3.11.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from collections.abc import Callable

import numpy as np

from gigbench.solvers import Problem

Solve = Callable[[], float | int]


def _provider(module: str) -> str | None:
    """The installed distribution that provides the import name ``module``, or None."""
    if importlib.util.find_spec(module) is None:
        return None
    return (importlib.metadata.packages_distributions().get(module) or [module])[0]


_LAP = _provider("lap")  # "lapx" or "lap" (gatagat's): the same import name
MISSING = {
    "lapx": None if _LAP == "lapx" else "lapx is not installed (pip install -e '.[peers]')",
    "lap": None
    if _LAP == "lap"
    else "gatagat's lap is not installed (pip install lap; it "
    "replaces lapx, which installs the same import name)",
    "lapjv": None if _provider("lapjv") else "src-d's lapjv is not installed (pip install lapjv)",
    "lapsolver": None
    if _provider("lapsolver")
    else "lapsolver is not installed (its 1.1.0 sdist does not build on Python 3.11+)",
}
LAPX_MISSING = MISSING["lapx"]
DENSE_LIMIT = 25_000_000  # cells: dense peers are not given larger matrices


def _number(value: float, problem: Problem) -> float | int:
    return int(np.rint(value)) if problem.is_integer else float(value)


def unit_rows(problem: Problem) -> Problem | None:
    """``problem`` with its capacity-0 rows' edges dropped (then every capacity is 1), or
    None when some row's capacity is above 1 (no peer here takes those)."""
    capacity = problem.row_capacity
    if problem.has_unit_capacity:
        return problem
    if len(capacity) and capacity.max() > 1:
        return None
    keep = capacity[problem.edge_rows] == 1
    return Problem.from_edges(
        problem.n_rows, problem.n_cols, problem.edge_rows[keep], problem.indices[keep],
        problem.weights[keep], sense=problem.sense, full=problem.full, name=problem.name,
    )  # fmt: skip


def scipy_reference(problem: Problem, kind: str) -> Solve:
    """scipy on ``problem`` (input built here, untimed): ``lsa`` is ``linear_sum_assignment``
    on the dense matrix, ``sparse`` is ``min_weight_full_bipartite_matching`` (LAPJVsp).

    The one scipy reference of the perf suite: the speed gate's denominator and the scipy
    peers. Row capacities 0 or 1 only.
    """
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    unit = unit_rows(problem)
    if unit is None:
        raise ValueError(f"{problem!r}: the scipy reference needs row capacities 0 or 1")
    problem = unit
    gains = problem.gains.astype(np.float64)
    sign = 1 if problem.sense == "max" else -1
    if kind == "lsa":
        if problem.full:
            matrix = problem.to_dense(fill=np.inf if problem.sense == "min" else -np.inf)
        else:  # unmatched allowed: a non-positive pair is worth as much as no pair
            matrix = np.zeros((problem.n_rows, problem.n_cols))
            matrix[problem.edge_rows, problem.indices] = np.maximum(gains, 0.0)
        maximize = problem.sense == "max" or not problem.full
        scale = 1 if problem.full else sign

        def solve_dense() -> float | int:
            rows, cols = linear_sum_assignment(matrix, maximize=maximize)
            return _number(scale * matrix[rows, cols].sum(), problem)

        return solve_dense
    if kind != "sparse":
        raise ValueError(f"reference: expected 'lsa' or 'sparse', got {kind!r}")
    # LAPJVsp drops explicit zeros: costs are shifted to >= 1 (a full matching of the smaller
    # side adds the same constant whatever it picks); the max form gets one private dummy
    # column per row at the shift (the value of staying unmatched).
    shift = (gains.max() if len(gains) else 0.0) + 1.0
    rows, cols, costs = problem.edge_rows, problem.indices, shift - gains
    width = problem.n_cols
    if not problem.full:
        keep = gains > 0
        dummy = np.arange(problem.n_rows)
        rows = np.concatenate([rows[keep], dummy])
        cols = np.concatenate([cols[keep], problem.n_cols + dummy])
        costs = np.concatenate([costs[keep], np.full(problem.n_rows, shift)])
        width += problem.n_rows
    graph = csr_matrix((costs, (rows, cols)), shape=(problem.n_rows, width))

    def solve_sparse() -> float | int:
        if graph.nnz == 0:
            return _number(0.0, problem)
        r, c = min_weight_full_bipartite_matching(graph)
        chosen = np.asarray(graph[r, c]).ravel()
        chosen = chosen[chosen < shift] if not problem.full else chosen
        return _number(sign * (shift * len(chosen) - chosen.sum()), problem)

    return solve_sparse


def _min_costs(problem: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges as a minimisation: scipy's form as is; the max form's useful edges negated."""
    if problem.full:
        sign = 1 if problem.sense == "min" else -1
        return problem.edge_rows, problem.indices, sign * problem.weights
    keep = problem.gains > 0
    return problem.edge_rows[keep], problem.indices[keep], -problem.gains[keep]


def _square_arcs(problem: Problem) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """A square, perfect-matching form of any problem (LAPJVsp's padding).

    The left side gets one dummy per column (cost 0 to that column: the column stays
    unmatched) and the right side one dummy per row, joined to the first dummies by the
    transposed edges at cost 0, so a matching of the smaller side extends to a perfect one at
    the same cost. In the max form a row may stay unmatched too (an arc to its own dummy). A
    full square problem is passed as is.
    """
    rows, cols, cost = _min_costs(problem)
    n_r, n_c = problem.n_rows, problem.n_cols
    if problem.full and n_r == n_c:
        return n_r, rows, cols, cost
    if problem.full and n_r > n_c:  # the side that must be matched goes on the left
        rows, cols, n_r, n_c = cols, rows, n_c, n_r
    zeros = np.zeros(n_c + len(cost), dtype=cost.dtype)
    left = [rows, n_r + np.arange(n_c), n_r + cols]
    right = [cols, np.arange(n_c), n_c + rows]
    weight = [cost, zeros]
    if not problem.full:
        left.append(np.arange(n_r))
        right.append(n_c + np.arange(n_r))
        weight.append(np.zeros(n_r, dtype=cost.dtype))
    return n_r + n_c, np.concatenate(left), np.concatenate(right), np.concatenate(weight)


def ortools_lsa(problem: Problem) -> Solve | None:
    """OR-Tools' SimpleLinearSumAssignment (Goldberg-Kennedy cost scaling push-relabel; needs
    a perfect matching, so everything but a full square problem is padded)."""
    from ortools.graph.python import linear_sum_assignment as lsa

    problem = unit_rows(problem)
    if problem is None:
        return None
    n, left, right, cost = _square_arcs(problem)
    sign = -1 if problem.sense == "max" else 1
    solver = lsa.SimpleLinearSumAssignment()
    if n:
        # Arcs are copied in untimed; every solve() builds its own graph from them.
        solver.add_arcs_with_cost(
            left.astype(np.int32), right.astype(np.int32), cost.astype(np.int64)
        )

    def solve() -> float | int:
        if n == 0:
            return 0
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise RuntimeError(f"OR-Tools returned status {status} on {problem!r}")
        return sign * int(solver.optimal_cost())

    return solve


def _lap_dense(problem: Problem) -> tuple[np.ndarray, dict] | None:
    """lapx's dense input: the min-cost matrix (inf = forbidden) and keyword arguments."""
    problem = unit_rows(problem)
    if problem is None or problem.n_rows * problem.n_cols > DENSE_LIMIT:
        return None
    if problem.n_rows == 0 or problem.n_cols == 0:
        return None
    rows, cols, cost = _min_costs(problem)
    matrix = np.full((problem.n_rows, problem.n_cols), np.inf)
    matrix[rows, cols] = cost
    if problem.full:
        if len(cost) != problem.n_rows * problem.n_cols:
            return None  # lapx's dense solvers need every pair in the full form
        return matrix, {"extend_cost": problem.n_rows != problem.n_cols}
    return matrix, {"cost_limit": 0.0}


def _lapx(function: str) -> Callable[[Problem], Solve | None]:
    """A dense lapx solver (lapjv, lapjvx, lapjvh) as a peer."""

    def setup(problem: Problem) -> Solve | None:
        import lap

        unit = unit_rows(problem)
        if unit is not None and not unit.n_edges and not unit.required_matches:
            return lambda: _number(0.0, problem)  # lapx rejects empty matrices: nothing to do
        given = _lap_dense(problem)
        if given is None:
            return None
        matrix, kwargs = given
        solver = getattr(lap, function)
        sign = -1 if problem.sense == "max" else 1

        def solve() -> float | int:
            out = solver(matrix, **kwargs)
            if function == "lapjv":  # (cost, x, y): x[i] is row i's column or -1
                x = out[1]
                rows = np.flatnonzero(x >= 0)
                cols = x[rows]
            else:  # (cost, rows, cols)
                rows, cols = out[1], out[2]
            picked = matrix[rows, cols]
            return _number(sign * picked[np.isfinite(picked)].sum(), problem)

        return solve

    setup.__doc__ = f"lapx's {function} (dense Jonker-Volgenant)."
    return setup


def srcd_lapjv(problem: Problem) -> Solve | None:
    """src-d's lapjv (dense Jonker-Volgenant, square full problems only)."""
    from lapjv import lapjv

    given = _lap_dense(problem)
    if given is None or not problem.full or problem.n_rows != problem.n_cols:
        return None
    matrix = given[0]
    sign = -1 if problem.sense == "max" else 1

    def solve() -> float | int:
        rows = lapjv(matrix)[0]
        return _number(sign * matrix[np.arange(len(rows)), rows].sum(), problem)

    return solve


def lapsolver_dense(problem: Problem) -> Solve | None:
    """lapsolver's solve_dense (dense shortest augmenting paths; inf = forbidden)."""
    from lapsolver import solve_dense

    given = _lap_dense(problem)
    if given is None or not problem.full:
        return None
    matrix = given[0]
    sign = -1 if problem.sense == "max" else 1

    def solve() -> float | int:
        rows, cols = solve_dense(matrix)
        return _number(sign * matrix[rows, cols].sum(), problem)

    return solve


def lap_lapmod(problem: Problem) -> Solve | None:
    """lapx's lapmod (sparse Jonker-Volgenant; square only, so everything else is padded)."""
    import lap

    problem = unit_rows(problem)
    if problem is None:
        return None
    n, left, right, cost = _square_arcs(problem)
    if n == 0:
        return None
    order = np.lexsort((right, left))
    ii = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(left, minlength=n), out=ii[1:])
    kk = right[order].astype(np.int32)
    # lapmod wants non-negative costs: a perfect matching has n arcs, so a common shift adds
    # exactly n * shift to its cost.
    shift = min(0.0, float(cost.min()))
    cc = cost[order].astype(np.float64) - shift
    sign = -1 if problem.sense == "max" else 1

    def solve() -> float | int:
        total, _, _ = lap.lapmod(n, cc, ii, kk)
        return _number(sign * (total + n * shift), problem)

    return solve


PEERS: dict[str, Callable[[Problem], Solve | None]] = {
    "ortools": ortools_lsa,
    "scipy_lsa": lambda problem: (
        scipy_reference(problem, "lsa") if problem.n_rows * problem.n_cols <= DENSE_LIMIT else None
    ),
    "scipy_sparse": lambda problem: scipy_reference(problem, "sparse"),
}
if MISSING["lapx"] is None:
    PEERS |= {
        "lapjv": _lapx("lapjv"),
        "lapjvx": _lapx("lapjvx"),
        "lapjvh": _lapx("lapjvh"),
        "lapmod": lap_lapmod,
    }
if MISSING["lap"] is None:
    PEERS |= {"lap_lapjv": _lapx("lapjv"), "lap_lapmod": lap_lapmod}
if MISSING["lapjv"] is None:
    PEERS["srcd_lapjv"] = srcd_lapjv
if MISSING["lapsolver"] is None:
    PEERS["lapsolver"] = lapsolver_dense
LAPX_PEERS = ("lapjv", "lapjvx", "lapjvh", "lapmod")
