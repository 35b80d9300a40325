"""Robustness catalogue: bad inputs at every public entry point, one parametrised case each.

Every case feeds one wrong input (type, shape, NaN/inf, negative, empty, overflowing, truncated
or corrupt file, wrong header or encoding, out-of-order times) and asserts a clear error of the
documented type whose message names what was expected and what was got, or a documented,
counted repair. The manual's page docs/robustness.md tabulates these cases
together with the ones already in test_problem, test_scenario, test_orlib, test_replay,
test_app and test_collect.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fuzz import harness
from results_fixtures import write_run

from gigbench.harness.collect import collect
from gigbench.harness.collect import main as collect_main
from gigbench.harness.compose import plan_sweep
from gigbench.harness.failures import error_line
from gigbench.instances.orlib import OrlibFormatError, read_orlib
from gigbench.instances.scenario import ScenarioError, load_scenario, save_scenario
from gigbench.instances.tlc import ReplayError, ReplayParams, read_zones, replay
from gigbench.report.cli import main as report_main
from gigbench.solvers import Problem, ProblemError, UnknownNameError, get_solver, run

B62 = 2**62


@dataclass(frozen=True)
class Case:
    """One bad input: ``call(tmp_path)`` must raise ``error`` matching ``match``."""

    id: str
    call: Callable[[Path], object]
    error: type[BaseException]
    match: str


def _params(cases: list[Case]):
    return [pytest.param(c, id=c.id) for c in cases]


def _check(case: Case, tmp_path: Path) -> None:
    with pytest.raises(case.error, match=case.match) as info:
        case.call(tmp_path)
    assert "\n" not in str(info.value).strip(), "error messages are one line"


# --------------------------------------------------------------------------- Problem

PROBLEM_CASES = [
    Case("dense-3d", lambda _: Problem.from_dense(np.zeros((2, 2, 2))), ProblemError,
         r"expected a matrix \(2-D array\), got a 3-D array"),
    Case("dense-1d", lambda _: Problem.from_dense([1.0, 2.0]), ProblemError, "got a 1-D array"),
    Case("dense-nan", lambda _: Problem.from_dense([[1.0, np.nan]]), ProblemError,
         "expected finite numbers, got nan"),
    Case("dense-max-plus-inf", lambda _: Problem.from_dense([[1.0, np.inf]]), ProblemError,
         "expected finite numbers, got inf"),
    Case("cost-minus-inf", lambda _: Problem.from_cost_matrix([[1.0, -np.inf]]), ProblemError,
         "expected finite numbers, got -inf"),
    Case("dense-strings", lambda _: Problem.from_dense([["a", "b"]]), TypeError,
         "expected integer or float numbers, got dtype <U1"),
    Case("dense-objects", lambda _: Problem.from_dense(np.array([[1, None]], dtype=object)),
         TypeError, "expected integer or float numbers, got dtype object"),
    Case("dense-complex", lambda _: Problem.from_dense([[1 + 2j]]), TypeError, "complex128"),
    Case("int-weights-near-2**62", lambda _: Problem.from_dense([[B62, B62 - 1], [B62 - 1, 0]]),
         ProblemError, r"expected max\|w\| \* \(pairs a matching can hold = 2\) <= int64 max"),
    Case("int64-min-cost", lambda _: Problem.from_cost_matrix(np.array([[-(2**63), 1]])),
         ProblemError, "so that objectives cannot overflow"),
    Case("float-sum-overflows", lambda _: Problem.from_dense([[1e308, 0.0], [0.0, 1e308]]),
         ProblemError, r"<= float64 max .* got max\|w\| = 1e\+308"),
    Case("csr-indices-short", lambda _: Problem.from_csr(2, 2, [0, 1, 2], [0], [1.0, 2.0]),
         ProblemError, r"indices: expected indptr\[-1\] = 2 entries, got 1"),
    Case("csr-indptr-decreasing", lambda _: Problem.from_csr(2, 2, [0, 2, 1], [0, 1], [1, 2]),
         ProblemError, "non-decreasing"),
    Case("n-cols-float", lambda _: Problem.from_edges(1, np.float64(2), [0], [0], [1]), TypeError,
         "n_cols: expected a non-negative int, got float64"),
    Case("n-rows-bool", lambda _: Problem.from_edges(True, 1, [0], [0], [1]), TypeError,
         "n_rows: expected a non-negative int, got bool"),
    Case("edge-data-2d", lambda _: Problem.from_edges(1, 1, [0], [0], [1], edge_data={"x": [[1]]}),
         ProblemError, r"edge_data\['x'\]: expected a 1-D array"),
]  # fmt: skip


@pytest.mark.parametrize("case", _params(PROBLEM_CASES))
def test_problem_constructors(case: Case, tmp_path: Path) -> None:
    _check(case, tmp_path)


def test_problem_repairs_huge_capacity_to_n_cols() -> None:
    """Documented repair: a capacity above n_cols is the same problem with capacity n_cols (no
    overflowing sums, no giant unit-copy expansion)."""
    p = Problem.from_dense([[3, 2, 1], [1, 1, 5]], row_capacity=[2**62, 2**62])
    assert p.row_capacity.tolist() == [3, 3]
    for name in ("greedy", "hungarian", "milp", "auction"):
        assert run(get_solver(name), p).objective == 10, name  # 3 + 2 + 5


def test_problem_empty_inputs_are_valid() -> None:
    for p in (Problem.from_dense(np.zeros((0, 0))), Problem.from_edges(3, 0, [], [], [])):
        for name in ("greedy", "hungarian", "milp", "auction"):
            solution = run(get_solver(name), p)
            assert solution.n_matched == 0 and solution.objective == 0


# --------------------------------------------------------------------------- solver params

PARAM_CASES = [
    Case("unknown-solver", lambda _: get_solver("simplex"), UnknownNameError,
         "unknown solver 'simplex'; valid solver names are: .*hungarian"),
    Case("unknown-param", lambda _: get_solver("greedy", strateg="x"), TypeError,
         r"unknown parameter\(s\) \['strateg'\]; valid ones are \['strategy'\]"),
    Case("greedy-strategy", lambda _: get_solver("greedy", strategy="fast"), ValueError,
         "expected 'best_edge' or 'nearest', got 'fast'"),
    Case("hungarian-method", lambda _: get_solver("hungarian", method=3), ValueError,
         "expected 'auto', 'dense' or 'sparse', got 3"),
    Case("milp-negative-time", lambda _: get_solver("milp", time_limit=-1.0), ValueError,
         "expected time_limit > 0 .* got time_limit=-1.0"),
    Case("milp-nan-time", lambda _: get_solver("milp", time_limit=float("nan")), ValueError,
         "time_limit=nan"),
    Case("milp-gap-inf", lambda _: get_solver("milp", mip_gap=float("inf")), ValueError,
         "mip_gap=inf"),
    Case("milp-backend", lambda _: get_solver("milp", backend="gurobi"), ValueError,
         "backend: expected one of .*'highs'.* got 'gurobi'"),
    Case("milp-share-zero", lambda _: get_solver("milp", max_share=0.0), ValueError,
         r"max_share: expected a share in \(0, 1\], got 0.0"),
    Case("broadcast-offers", lambda _: get_solver("broadcast", offers=0), ValueError,
         "expected at least 1, got 0"),
    Case("auction-factor-1", lambda _: get_solver("auction", epsilon_factor=1), ValueError,
         "epsilon_factor: expected an int >= 2"),
    Case("auction-factor-float", lambda _: get_solver("auction", epsilon_factor=2.5), TypeError,
         "epsilon_factor: expected an int"),
    Case("auction-start-0", lambda _: get_solver("auction", epsilon_start=0.0), ValueError,
         r"epsilon_start: expected a fraction in \(0, 1\]"),
]  # fmt: skip


@pytest.mark.parametrize("case", _params(PARAM_CASES))
def test_solver_params(case: Case, tmp_path: Path) -> None:
    _check(case, tmp_path)


# --------------------------------------------------------------------------- huge weights


def _exact_best(weights: np.ndarray, sense: str) -> int:
    """Optimum of a square full problem with Python ints (no float, no wrap-around)."""
    n = weights.shape[0]
    totals = [sum(int(weights[i, p[i]]) for i in range(n)) for p in permutations(range(n))]
    return max(totals) if sense == "max" else min(totals)


HUGE = {
    # float64-inexact but int64-safe (3 x 2**60 < 2**63): exact solvers in float64 refuse
    "int-2**60": (2**60 + np.array([[5, 1, 0], [2, 7, 3], [4, 0, 6]]), "refuse-float64"),
    # at the auction's own limit: max|w| * (n + 1) = 2**52 * 4 / 4 ... just above it
    "int-2**51": (2**51 + np.array([[5, 1, 0], [2, 7, 3], [4, 0, 6]]), "refuse-float64"),
    # within every limit: every solver answers, exact ones the true optimum
    "int-2**40": (2**40 + np.array([[5, 1, 0], [2, 7, 3], [4, 0, 6]]), "solve"),
    "float-1e300": (1e300 * np.array([[0.5, 0.1, 0.0], [0.2, 0.7, 0.3], [0.4, 0.0, 0.6]]), "solve"),
}


@pytest.mark.parametrize("solver", ["greedy", "broadcast", "hungarian", "milp", "auction"])
@pytest.mark.parametrize("key", sorted(HUGE))
@pytest.mark.parametrize("form", ["max", "min-full"])
def test_huge_weights_solve_exactly_or_raise(solver: str, key: str, form: str) -> None:
    """Weights near the int64 limit: a correct answer or a clear ProblemError, never a silently
    wrong one. The auction scales by n + 1 and refuses max|w| * (n + 1) > 2**52 itself."""
    weights, expect = HUGE[key]
    problem = Problem.from_dense(weights) if form == "max" else Problem.from_cost_matrix(weights)
    if solver == "broadcast" and problem.full:
        pytest.skip("broadcast does not take full problems")
    exact = solver in ("hungarian", "milp", "auction")
    refuses = exact and (
        (expect == "refuse-float64" and solver != "auction")
        or (solver == "auction" and problem.is_integer and np.abs(weights).max() * 4 > 2**52)
    )
    if refuses:
        with pytest.raises(ProblemError, match=r"expected integer weights with max\|w\|"):
            run(get_solver(solver), problem)
        return
    solution = run(get_solver(solver), problem)  # validated: feasible, objective recomputed
    if not problem.is_integer:
        return
    sense = "max" if form == "max" else "min"
    best = _exact_best(weights, sense)
    assert isinstance(solution.objective, int)
    assert solution.objective == sum(
        int(weights[r, c]) for r, c in zip(solution.row_ind, solution.col_ind, strict=True)
    )
    if exact:
        assert solution.objective == best
    else:
        assert (solution.objective <= best) if sense == "max" else (solution.objective >= best)


def test_huge_weights_rejected_at_the_problem_for_every_solver() -> None:
    """Weights near 2**62 on a 2 x 2 problem: the objective (two of them) would wrap int64."""
    with pytest.raises(ProblemError, match="objectives cannot overflow"):
        Problem.from_dense(np.array([[B62, B62 - 1], [B62 - 1, B62 - 3]]))


# --------------------------------------------------------------------------- scenario files


@pytest.fixture
def scenario_dir(tmp_path: Path) -> Path:
    return save_scenario(harness._scenario(), tmp_path / "scn")


def _edit_table(file: Path, change) -> None:
    table = pq.read_table(file)
    meta = table.schema.metadata
    pq.write_table(change(table.replace_schema_metadata(None)).replace_schema_metadata(meta), file)


def _set_column(name: str, values) -> Callable:
    def change(table: pa.Table) -> pa.Table:
        i = table.column_names.index(name)
        return table.set_column(i, name, pa.array(values))

    return change


SCENARIO_EDITS = {
    "truncated-half": (lambda d: (d / "tasks.parquet").write_bytes(
        (d / "tasks.parquet").read_bytes()[: len((d / "tasks.parquet").read_bytes()) // 2]),
        r"tasks\.parquet: expected a readable Parquet file.*truncated or corrupt"),
    "zero-bytes": (lambda d: (d / "workers.parquet").write_bytes(b""),
                   r"workers\.parquet: expected a readable Parquet file"),
    "magic-only": (lambda d: (d / "tasks.parquet").write_bytes(b"PAR1" + b"\0" * 64 + b"PAR1"),
                   "expected a readable Parquet file"),
    "file-is-a-folder": (lambda d: ((d / "tasks.parquet").unlink(),
                                    (d / "tasks.parquet").mkdir()), "missing file"),
    "meta-not-object": (lambda d: _edit_meta_raw(d / "tasks.parquet", b"[1, 2]"),
                        "expected a JSON object as metadata"),
    "meta-bad-json": (lambda d: _edit_meta_raw(d / "tasks.parquet", b"{\xff"),
                      "expected JSON metadata .* got invalid JSON"),
    "zone-overflows-int32": (lambda d: _edit_table(d / "tasks.parquet", _set_column(
        "origin_zone", np.array([0, 2**40, 1], dtype=np.int64))),
        r"'origin_zone': expected int32, got int64 which does not convert losslessly"),
    "negative-patience": (lambda d: _edit_table(d / "tasks.parquet", _set_column(
        "patience_s", [300.0, -1.0, 300.0])), r"'patience_s': expected values >= 0, got -1.0"),
    "inf-request-time": (lambda d: _edit_table(d / "tasks.parquet", _set_column(
        "request_time", [0.0, 10.0, np.inf])), r"'request_time': expected finite numbers, got inf"),
    "times-out-of-order": (lambda d: _edit_table(d / "tasks.parquet", _set_column(
        "request_time", [0.0, 500.0, 100.0])), r"'request_time': expected ascending order"),
    "negative-wage": (lambda d: _edit_table(d / "workers.parquet", _set_column(
        "reservation_wage", [-3.0, 12.0])), r"'reservation_wage': expected values >= 0"),
    "timestamps-not-seconds": (lambda d: _edit_table(d / "workers.parquet", _set_column(
        "online_time", pa.array([0, 1], pa.timestamp("s")))),
        r"'online_time': expected double, got timestamp\[m?s\]"),
}  # fmt: skip


def _edit_meta_raw(file: Path, blob: bytes) -> None:
    table = pq.read_table(file)
    pq.write_table(table.replace_schema_metadata({b"gigbench": blob}), file)


@pytest.mark.parametrize("key", sorted(SCENARIO_EDITS))
def test_scenario_files(scenario_dir: Path, key: str) -> None:
    edit, match = SCENARIO_EDITS[key]
    edit(scenario_dir)
    with pytest.raises(ScenarioError, match=match) as info:
        load_scenario(scenario_dir, verify=False)
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- trip logs

ZONES = "LocationID,lon,lat\n161,-73.978,40.758\n237,-73.966,40.769\n236,-73.957,40.781\n"


def _replay(tmp: Path, name: str, data: bytes, zones: str = ZONES, **kw):
    (tmp / "zones.csv").write_text(zones)
    (tmp / name).write_bytes(data)
    params = ReplayParams(
        path=str(tmp / name), zones=str(tmp / "zones.csv"), supply="ratio", n_workers=2, **kw
    )
    return replay(params, seed=0)


CSV = harness.replay_csv_seed()
HEADER, _, BODY = CSV.partition(b"\n")

REPLAY_CASES = [
    Case("csv-semicolons", lambda t: _replay(t, "t.csv", CSV.replace(b",", b";")), ReplayError,
         "missing the pickup column: expected tpep_pickup_datetime or"),
    Case("csv-empty-file", lambda t: _replay(t, "t.csv", b""), ReplayError,
         "got columns none"),
    Case("csv-header-only", lambda t: _replay(t, "t.csv", HEADER + b"\n"), ReplayError,
         "expected trips in the file, got none usable out of 0 rows"),
    Case("csv-utf16-bom", lambda t: _replay(t, "t.csv", CSV.decode().encode("utf-16")),
         ReplayError, "expected UTF-8 text, got undecodable bytes"),
    Case("csv-latin1-header", lambda t: _replay(t, "t.csv", CSV.decode().replace(
        "fare_amount", "fare_amount_\xe9").encode("latin-1")), ReplayError,
        "expected UTF-8 text, got undecodable bytes in the header"),
    Case("csv-bad-timestamp", lambda t: _replay(t, "t.csv", HEADER + b"\nyesterday,now,1,2,3,4\n"),
         ReplayError, "none usable out of 1 rows .dropped: unparseable_tpep_pickup_datetime 1"),
    Case("csv-gzip-corrupt", lambda t: _replay(t, "t.csv.gz", gzip.compress(CSV)[:40]),
         ReplayError, "expected gzip-compressed CSV .* corrupt or truncated"),
    Case("csv-swapped-times", lambda t: _replay(t, "t.csv", HEADER.replace(
        b"tpep_pickup", b"tpep_XX").replace(b"tpep_dropoff", b"tpep_pickup").replace(
        b"tpep_XX", b"tpep_dropoff") + b"\n" + BODY), ReplayError,
        "timestamps out of order: expected tpep_dropoff_datetime after tpep_pickup_datetime"),
    Case("parquet-truncated", lambda t: _replay(
        t, "t.parquet", harness.replay_parquet_seed()[:300]), ReplayError,
        "expected a Parquet file, got unreadable data"),
    Case("parquet-duplicate-columns", lambda t: _replay(t, "t.parquet", _dup_columns()),
         ReplayError, "duplicate column names"),
    Case("parquet-date-not-timestamp", lambda t: _replay(t, "t.parquet", _date_column()),
         ReplayError, r"column 'lpep_pickup_datetime': expected timestamps .* got date32"),
    Case("zones-missing-lat", lambda t: _replay(t, "t.csv", CSV, zones="LocationID,lon\n1,2\n"),
         ReplayError, "zone table: missing column.*lat; expected LocationID, lon, lat"),
    Case("zones-lat-out-of-range", lambda t: _replay(
        t, "t.csv", CSV, zones="LocationID,lon,lat\n161,-73.9,95.0\n"), ReplayError,
        r"lat in \[-90, 90\], got 161, -73.9, 95.0"),
    Case("zones-duplicate-ids", lambda t: _replay(
        t, "t.csv", CSV, zones="LocationID,lon,lat\n161,-73.9,40.7\n161,-73.8,40.6\n"),
        ReplayError, r"one row per LocationID, got duplicates \[161\]"),
    Case("zones-empty", lambda t: _replay(t, "t.csv", CSV, zones="LocationID,lon,lat\n"),
         ReplayError, "expected at least one zone, got none"),
]  # fmt: skip


def _dup_columns() -> bytes:
    table = pq.read_table(io.BytesIO(harness.replay_parquet_seed()))
    table = table.append_column("fare_amount", table.column("fare_amount"))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _date_column() -> bytes:
    table = pq.read_table(io.BytesIO(harness.replay_parquet_seed()))
    i = table.column_names.index("lpep_pickup_datetime")
    table = table.set_column(i, "lpep_pickup_datetime", table.column(i).cast(pa.date32()))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


@pytest.mark.parametrize("case", _params(REPLAY_CASES))
def test_trip_logs(case: Case, tmp_path: Path) -> None:
    _check(case, tmp_path)


def _csv_with(rows: list[str]) -> bytes:
    return HEADER + b"\n" + BODY + "\n".join(rows).encode() + b"\n"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,161,237,1.0,inf", "null_field",
                     id="fare-inf"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,161,237,nan,7", "null_field",
                     id="miles-nan"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,1e300,237,1.0,7", "unknown_zone",
                     id="zone-1e300"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,161.5,237,1.0,7", "unknown_zone",
                     id="zone-fraction"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 09:10:00,161,237,1.0,7",
                     "dropoff_before_pickup", id="dropoff-before-pickup"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:00:00,161,237,1.0,7", "zero_duration",
                     id="zero-duration"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:00:00.001,161,237,1.0,7",
                     "implausible_speed", id="one-millisecond-trip"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,161,237,1.0,1e12", "implausible_fare",
                     id="fare-1e12"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,161,237,abc,7",
                     "unparseable_trip_distance", id="miles-text"),
        pytest.param("99999999999999999999,2024-01-15 10:10:00,161,237,1.0,7",
                     "unparseable_tpep_pickup_datetime", id="time-digits"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,161,237,1.0,7,extra",
                     "malformed_too_many_columns", id="extra-cell"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,161,237,-1.0,7",
                     "non_positive_distance", id="negative-distance"),
        pytest.param("2024-01-15 10:00:00,2024-01-15 10:10:00,161,237,1.0,-7", "negative_fare",
                     id="negative-fare"),
        pytest.param("2024-01-16 10:00:00,2024-01-16 10:10:00,161,237,1.0,7", "outside_window",
                     id="next-day"),
        pytest.param("2024-01-15 10:00:00,,161,237,1.0,7", "null_time", id="null-dropoff"),
    ],
)  # fmt: skip
def test_trip_log_rows_are_dropped_and_counted(tmp_path: Path, row: str, reason: str) -> None:
    """Documented repair: a bad row is dropped and counted under its reason; the rest stays."""
    scenario, report = _replay(tmp_path, "t.csv", _csv_with([row]), day="2024-01-15")
    assert report.dropped[reason] == 1 and report.dropped_rows == 1
    assert report.kept_rows == 24 == scenario.n_tasks
    report.check()


def test_trip_log_undecodable_cell_drops_its_line(tmp_path: Path) -> None:
    """Documented repair: a Latin-1 byte in a cell drops that line as malformed, not the file."""
    _, report = _replay(tmp_path, "t.csv", CSV + "caf\xe9,x,1,2,3,4\n".encode("latin-1"))
    assert report.kept_rows == 24 and report.dropped == {"malformed_invalid_encoding": 1}
    report.check()


def test_trip_log_out_of_order_rows_are_sorted(tmp_path: Path) -> None:
    """Documented repair: rows in any order come out sorted by request time; nothing dropped."""
    lines = BODY.strip().split(b"\n")
    data = HEADER + b"\n" + b"\n".join(lines[::-1]) + b"\n"
    scenario, report = _replay(tmp_path, "t.csv", data)
    times = scenario.tasks.column("request_time").to_numpy()
    assert report.kept_rows == 24 and np.all(np.diff(times) >= 0)


def test_trip_log_utf8_bom_header_is_accepted(tmp_path: Path) -> None:
    """Documented repair: a UTF-8 byte-order mark (Excel's CSV export) is ignored."""
    _, report = _replay(tmp_path, "t.csv", b"\xef\xbb\xbf" + CSV)
    assert report.kept_rows == 24


# --------------------------------------------------------------------------- OR-Library

ORLIB_CASES = [
    Case("folder", lambda t: read_orlib(t), OrlibFormatError,
         "expected an OR-Library file, got a folder"),
    Case("utf16", lambda t: read_orlib(_write(t, "assign2.txt", "2\n1 2 3 4\n".encode("utf-16"))),
         OrlibFormatError, "expected whitespace separated 64-bit integers"),
    Case("nan-cost", lambda t: read_orlib(_write(t, "assign2.txt", b"2\n1 nan 3 4\n")),
         OrlibFormatError, "got 'nan' at line 2"),
    Case("huge-n", lambda t: read_orlib(_write(t, "assign2.txt", b"99999999999\n1 2 3 4\n")),
         OrlibFormatError, r"expected n \* n = 9999999999800000000001 costs"),
    Case("sparse-index-int64-min", lambda t: read_orlib(_write(
        t, "assignp2.txt", b"2\n-9223372036854775808 1 3\n")), OrlibFormatError,
        "expected 1-based indices i, j in 1..2"),
    Case("binary-junk", lambda t: read_orlib(_write(t, "assign2.txt", b"\x00\xff\xfe\x01")),
         OrlibFormatError, "64-bit integers, got"),
]  # fmt: skip


def _write(tmp: Path, name: str, data: bytes) -> Path:
    (tmp / name).write_bytes(data)
    return tmp / name


@pytest.mark.parametrize("case", _params(ORLIB_CASES))
def test_orlib_files(case: Case, tmp_path: Path) -> None:
    _check(case, tmp_path)


def test_orlib_costs_near_2_62_fail_at_the_problem(tmp_path: Path) -> None:
    """Every published format reads; costs whose sum overflows int64 stop at Problem."""
    inst = read_orlib(_write(tmp_path, "assign2.txt", f"2\n{B62} 1 1 {B62}\n".encode()))
    with pytest.raises(ProblemError, match="objectives cannot overflow"):
        Problem.from_edges(2, 2, inst.rows, inst.cols, inst.costs, sense="min", full=True)


# --------------------------------------------------------------------------- Hydra overrides

OVERRIDE_CASES = [
    ("horizon-negative", "instance.horizon_h=-1", "horizon_h: expected > 0 hours, got -1.0"),
    ("horizon-nan", "instance.horizon_h=nan", "horizon_h: expected a finite number, got nan"),
    ("horizon-inf", "instance.horizon_h=inf", "horizon_h: expected a finite number, got inf"),
    ("interval-zero", "mode.interval_s=0", "mode.interval_s: expected seconds > 0"),
    ("interval-negative", "mode.interval_s=-30", "mode.interval_s: expected seconds > 0"),
    ("k-negative", "mode.k=-1", "mode.k: expected at least 1 candidate worker"),
    ("radius-nan", "mode.radius_km=nan", "mode.radius_km: expected a distance > 0 in km .*got nan"),
    ("detour-below-1", "mode.detour=0.5", "mode.detour: expected a road/straight-line factor >= 1"),
    ("min-wage-negative", "market.min_wage_per_h=-5", "min_wage_per_h: expected an hourly wage"),
    ("seed-negative", "instance.seed=-1", r"instance.seed: expected an integer in \[0, 2\*\*63\)"),
    ("seed-float", "instance.seed=1.5", "could not be converted to Integer"),
    ("n-tasks-float", "instance.n_tasks=1e6", "could not be converted to Integer"),
    ("timeout-text", "run.timeout_s=abc", "'abc' of type 'str' could not be converted to Float"),
    ("milp-time-negative", "solver=milp solver.time_limit=-1", "expected time_limit > 0"),
    ("milp-gap-inf", "solver=milp solver.mip_gap=inf", "mip_gap=inf"),
    ("static-size-negative", "mode=static mode.sizes=[-3]", r"mode.sizes: expected sizes >= 0"),
    ("static-repeats-zero", "mode=static mode.repeats=0", "mode.repeats: expected at least 1"),
    ("static-problems-typo", "mode=static mode.problems=orlibs", "mode.problems: expected one of"),
    ("sweep-one-bad-value", "-m mode.interval_s=30,0", "mode.interval_s: expected seconds > 0"),
    ("replay-without-path", "instance=replay", "path: expected a TLC trip file"),
]


@pytest.mark.parametrize(("override", "message"), [pytest.param(o, m, id=i) for i, o, m in
                                                    OVERRIDE_CASES])  # fmt: skip
def test_hydra_overrides(override: str, message: str) -> None:
    with pytest.raises(Exception) as info:
        plan_sweep(override.split())
    line = error_line(info.value)
    assert "\n" not in line
    assert re.search(message, line), line


# --------------------------------------------------------------------------- results datasets


def _row(rid: str, **extra: object) -> dict:
    config = json.dumps({"solver": {"name": "greedy"}})
    return {"run_id": rid, "status": "ok", "message": "", "mode": "simulate", "m_welfare": 1.0,
            "m_gini": 0.2, "config_json": config, **extra}  # fmt: skip


def _raw_row(results: Path, name: str, row: dict) -> None:
    (results / "rows").mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist([row]), results / "rows" / name)


RESULT_DIRS: dict[str, Callable[[Path], None]] = {
    "empty-folder": lambda d: None,
    "rows-folder-empty": lambda d: (d / "rows").mkdir(),
    "only-corrupt-rows": lambda d: ((d / "rows").mkdir(), (d / "rows" / "x.parquet").write_bytes(
        b"PAR1 broken")),
    "zero-byte-row": lambda d: (write_run(d, _row("a")), (d / "rows" / "b.parquet").write_bytes(
        b"")),
    "mismatched-columns": lambda d: (write_run(d, _row("a")), _raw_row(d, "b.parquet", {
        "run_id": "b", "status": 3, "m_welfare": "x", "other": [1, 2]})),
    "nested-vs-scalar": lambda d: (write_run(d, _row("a", seed=1)), write_run(d, _row(
        "b", seed={"k": 1}))),
    "row-without-run-id": lambda d: _raw_row(d, "z.parquet", {"status": "ok", "mode": "simulate",
                                                              "m_welfare": 1.0, "m_gini": 0.1}),
    "config-json-not-object": lambda d: write_run(d, _row("a", config_json="[1, 2]")),
    "config-json-invalid": lambda d: write_run(d, _row("a", config_json="{oops")),
    "corrupt-run-table": lambda d: (write_run(d, _row("a")), (d / "runs" / "a").mkdir(
        parents=True), (d / "runs" / "a" / "workers.parquet").write_bytes(b"bad")),
    "temp-file-debris": lambda d: (write_run(d, _row("a")), (d / "rows" / ".b.parquet.1.tmp")
                                   .write_bytes(b"PAR1 half")),
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(RESULT_DIRS))
def test_results_datasets_collect_and_report(tmp_path: Path, key: str, capsys) -> None:
    """Documented repair: unreadable rows are skipped with a warning, mismatched columns unified
    (nested values as JSON text); the report shows what it can. Exit 0, no traceback."""
    results = tmp_path / "res"
    results.mkdir()
    RESULT_DIRS[key](results)
    with pytest.warns() if key in ("only-corrupt-rows", "zero-byte-row") else _nothing():
        assert collect_main([str(results)]) == 0
    with pytest.warns() if key in ("only-corrupt-rows", "zero-byte-row") else _nothing():
        assert report_main([str(results), "--out", str(tmp_path / "report")]) == 0
    assert (tmp_path / "report" / "index.html").is_file()
    err = capsys.readouterr().err
    assert "Traceback" not in err


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(lambda t: [str(t / "missing")], "does not exist", id="collect-missing"),
        pytest.param(lambda t: [str(_file(t))], "is a file, not a folder", id="collect-a-file"),
    ],
)
def test_collect_cli_errors(tmp_path: Path, args, message: str, capsys) -> None:
    assert collect_main(args(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("gigbench-collect: error: ") and message in err
    assert err.count("\n") == 1


def _file(tmp: Path) -> Path:
    (tmp / "f.txt").write_text("x")
    return tmp / "f.txt"


def test_report_cli_missing_folder_and_metric(tmp_path: Path, capsys) -> None:
    assert report_main([str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    write_run(tmp_path, _row("a"))
    assert report_main([str(tmp_path), "--fairness", "m_nope"]) == 2
    assert "--fairness: no metric 'm_nope'" in capsys.readouterr().err


def test_collect_reads_back_nested_values_as_json(tmp_path: Path) -> None:
    write_run(tmp_path, _row("a", seed=1))
    write_run(tmp_path, _row("b", seed={"k": 1}))
    write_run(tmp_path, _row("c", seed=[1, 2]))
    table = pq.read_table(collect(tmp_path))
    assert table.column("seed").to_pylist() == ["1", '{"k": 1}', "[1, 2]"]


def test_zones_file_reader_rejects_utf16(tmp_path: Path) -> None:
    path = tmp_path / "z.csv"
    path.write_bytes(ZONES.encode("utf-16"))
    with pytest.raises(ReplayError, match="expected UTF-8 text"):
        read_zones(path)
