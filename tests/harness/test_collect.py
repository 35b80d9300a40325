"""gigbench-collect: rows merged into one file, idempotent, tolerant of debris and drift."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from results_fixtures import write_run

from gigbench.harness.collect import collect, main


def _row(rid: str, **extra) -> dict:
    return {"run_id": rid, "status": "ok", "message": "", **extra}


def test_collect_unifies_columns_and_types(tmp_path) -> None:
    write_run(tmp_path, _row("b", m_x=1.5, m_new=2.0))
    write_run(tmp_path, _row("a", m_x=1))  # int where the other row has a float
    write_run(tmp_path, _row("c", status="timeout", message="killed", m_x=None))
    write_run(tmp_path, _row("d", seed="text"))  # a type that cannot be promoted
    write_run(tmp_path, _row("e", seed=3))
    table = pq.read_table(collect(tmp_path))
    assert table.column("run_id").to_pylist() == ["a", "b", "c", "d", "e"]
    assert table.schema.field("m_x").type == pa.float64()
    assert table.column("m_x").to_pylist() == [1.0, 1.5, None, None, None]
    assert table.column("m_new").to_pylist() == [None, 2.0, None, None, None]
    assert table.column("seed").to_pylist() == [None, None, None, "text", "3"]


def test_collect_is_idempotent_and_ignores_debris(tmp_path) -> None:
    write_run(tmp_path, _row("a", m_x=1.0))
    rows = tmp_path / "rows"
    (rows / ".b.parquet.1234.tmp").write_bytes(b"PAR1 half a file")  # a run killed mid-write
    (rows / ".c.parquet").write_bytes(b"")
    first = collect(tmp_path).read_bytes()
    assert collect(tmp_path).read_bytes() == first
    assert pq.read_table(tmp_path / "results.parquet").num_rows == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.parquet", "rows"]


def test_collect_warns_about_a_corrupt_row_and_keeps_the_rest(tmp_path) -> None:
    write_run(tmp_path, _row("a"))
    (tmp_path / "rows" / "zz.parquet").write_bytes(b"not parquet")
    with pytest.warns(UserWarning, match="zz.parquet"):
        path = collect(tmp_path)
    assert pq.read_table(path).column("run_id").to_pylist() == ["a"]


def test_cli(tmp_path, capsys) -> None:
    write_run(tmp_path, _row("a"))
    assert main([str(tmp_path)]) == 0
    assert "1 rows" in capsys.readouterr().out
    assert main([str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_empty_results_dir(tmp_path: Path) -> None:
    assert pq.read_table(collect(tmp_path)).num_rows == 0


def test_harness_rows_are_read_from_their_footer_copy(tmp_path) -> None:
    """The footer's JSON copy and the decoded row are the same row, types included."""
    from datetime import UTC, datetime

    from gigbench.harness.rows import footer_copy, make_row, write_row

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    config = {"solver": {"name": "greedy"}, "objective": {"name": "fair", "lambda": 0.5},
              "instance": {"name": "city", "seed": 3}, "market": {"name": "nyc"}}  # fmt: skip
    for rid, status, metrics in (("a", "ok", {"gini": 0.2, "gap": float("nan")}),
                                 ("b", "timeout", None)):  # fmt: skip
        write_row(tmp_path, make_row(config, rid, status, started_at=now, finished_at=now,
                                     metrics=metrics))  # fmt: skip
    assert footer_copy(tmp_path / "rows" / "a.parquet") is not None
    merged = pq.read_table(collect(tmp_path))
    decoded = pa.concat_tables(
        [pq.read_table(p) for p in sorted((tmp_path / "rows").glob("*.parquet"))],
        promote_options="permissive",
    )
    assert merged.to_pylist() == decoded.select(merged.column_names).to_pylist()
    assert merged.schema.field("finished_at").type == pa.timestamp("us", tz="UTC")
    assert merged.column("m_gap").to_pylist() == [None, None]  # NaN stored as null
    assert merged.column("objective_lambda").to_pylist() == [0.5, 0.5]
    assert oct((tmp_path / "rows" / "a.parquet").stat().st_mode & 0o777) == "0o644"


def test_run_tables_store_nan_as_null_and_keep_the_rest() -> None:
    from gigbench.harness.rows import with_run_id

    table = pa.table(
        {
            "x": pa.chunked_array([[1.5, float("nan")], [None, 3.0]]),
            "f32": pa.array([float("nan"), 2.0, 1.0, 0.0], type=pa.float32()),
            "n": [1, 2, 3, 4],
        }
    )
    out = with_run_id(table, "r1")
    assert out.column_names == ["run_id", "x", "f32", "n"]
    assert out.column("x").to_pylist() == [1.5, None, None, 3.0]
    assert out.column("f32").to_pylist() == [None, 2.0, 1.0, 0.0]
    assert out.schema.field("f32").type == pa.float32()
    assert out.column("n").to_pylist() == [1, 2, 3, 4]
