"""HiGHS through highspy: the whole model is passed in one call (``passModel``, CSR rows).

Also solves the assignment LP relaxation for duals (:func:`lp_duals`), for every backend.
highspy is imported inside functions only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from gigbench.solvers._milp_model import LinearModel, Outcome, require
from gigbench.solvers._stdout import quiet_stdout
from gigbench.solvers.problem import Problem, Status

_INSTALL = "pip install highspy"
_BANNER = [True]  # emptied once the first Highs() of the process has printed it (silenced)


def _highs(params: Any, backend: str = "highs") -> tuple[Any, Any]:
    """A silent Highs object with the threads option set, and the highspy module.

    The object is highspy's compiled class without its Python subclass when highspy has one
    (``highspy._core._Highs``): the subclass adds only the modelling and callback layers,
    unused here, and its constructor builds a callback object per callback type, 20-60 us of
    the 66-110 us a ``Highs()`` costs, as much again as the solve of a simulated batch's
    model takes to load. Every method called here belongs to the compiled class.
    """
    highspy = require("highspy", backend, _INSTALL)
    new = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)
    if _BANNER:
        with quiet_stdout():  # the first Highs() of a process prints a banner before any option
            h = new()
        _BANNER.clear()
    else:
        h = new()
    h.setOptionValue("output_flag", bool(params.msg))
    if params.threads:
        h.setOptionValue("threads", int(params.threads))
    h.setOptionValue("random_seed", 0)
    return h, highspy


def _pass(h: Any, highspy: Any, model: LinearModel, mip: bool) -> None:
    """Load ``max cost.y s.t. row_lower <= A y <= row_upper`` in bulk (row-wise matrix), as
    arrays in one call (filling a HighsLp attribute by attribute cost more than the call).
    ``a_start`` is one entry per row (no final count); integrality is one per variable."""
    a, inf = model.matrix, highspy.kHighsInf
    row_lower = np.where(np.isfinite(model.row_lower), model.row_lower, -inf)
    row_upper = np.where(np.isfinite(model.row_upper), model.row_upper, inf)
    integer = model.integer if mip else np.zeros(model.n_vars, dtype=bool)  # 1: kInteger
    status = h.passModel(
        model.n_vars, a.shape[0], a.nnz, int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMaximize), 0.0, model.cost, model.lower, model.upper, row_lower,
        row_upper, a.indptr[:-1].astype(np.int32), a.indices.astype(np.int32, copy=False),
        a.data, integer.astype(np.int32),
    )  # fmt: skip
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"highspy passModel: expected kOk, got {status}")


class HighsBackend:
    """The model held in a ``highspy.Highs`` object; re-solves change costs and bounds only."""

    def __init__(self, model: LinearModel, params: Any) -> None:
        self.h, self.highspy = _highs(params)
        self.params, self.mip = params, bool(model.integer.any())
        if not self.mip:  # an LP (lp_when_tu): simplex ends on a vertex, integral here
            self.h.setOptionValue("solver", "simplex")
        _pass(self.h, self.highspy, model, mip=True)

    def solve(self, cost: np.ndarray, lower: np.ndarray, time_limit: float) -> Outcome:
        """Solve with the given objective and lower bounds; map HiGHS' status to ours."""
        h, hs = self.h, self.highspy
        idx = np.arange(len(cost), dtype=np.int32)
        h.changeColsCost(len(cost), idx, cost)
        upper = np.asarray(h.getLp().col_upper_)
        h.changeColsBounds(len(cost), idx, lower, upper)
        h.setOptionValue("time_limit", max(float(time_limit), 1e-3))
        h.setOptionValue("mip_rel_gap", float(self.params.mip_gap))
        h.run()
        model_status, info = h.getModelStatus(), h.getInfo()
        has_point = info.primal_solution_status == 2  # kSolutionStatusFeasible
        values = np.asarray(h.getSolution().col_value) if has_point else None
        objective = info.objective_function_value if has_point else None
        stopped = {
            hs.HighsModelStatus.kTimeLimit,
            hs.HighsModelStatus.kIterationLimit,
            hs.HighsModelStatus.kInterrupt,
            hs.HighsModelStatus.kSolutionLimit,
            hs.HighsModelStatus.kMemoryLimit,
        }
        bound = info.mip_dual_bound if np.isfinite(info.mip_dual_bound) and self.mip else None
        if model_status == hs.HighsModelStatus.kOptimal:
            return Outcome(
                Status.OPTIMAL, values, objective, bound if bound is not None else objective
            )
        if model_status in (
            hs.HighsModelStatus.kInfeasible,
            hs.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return Outcome(Status.INFEASIBLE)
        if model_status in stopped:
            status = Status.FEASIBLE if has_point else Status.TIME_LIMIT
            return Outcome(status, values, objective, bound, str(model_status))
        return Outcome(Status.ERROR, message=f"HiGHS model status {model_status}")


def lp_duals(problem: Problem, model: LinearModel, params: Any, backend: str):
    """Duals of the assignment LP relaxation in max form: (u, v) with u_i + v_j >= gain_ij.

    ``model`` must be the plain model (capacity rows, then column rows). HiGHS solves
    ``max gain.x, x >= 0``; its row duals (>= 0 on a <= row of a maximisation) are then the
    utilities u (rows) and prices v (columns); equality rows give free duals.
    """
    h, hs = _highs(params, backend)
    # x_e <= 1 is implied by the rows; left as a bound, it would carry part of the dual
    model = replace(model, upper=np.where(model.integer, np.inf, model.upper))
    _pass(h, hs, model, mip=False)
    h.setOptionValue("time_limit", max(float(params.time_limit), 1e-3))
    h.run()
    if h.getModelStatus() != hs.HighsModelStatus.kOptimal:
        return None, None
    duals = np.asarray(h.getSolution().row_dual, dtype=np.float64)
    return duals[: problem.n_rows], duals[problem.n_rows : problem.n_rows + problem.n_cols]
