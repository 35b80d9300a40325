"""Faults and determinism: a full or read-only disk, a run killed mid-write, two writers of one
results directory, and byte-identical instances and metrics across runs and launchers."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from results_fixtures import write_run

import gigbench.io as bio
from gigbench.harness.collect import collect, row_files
from gigbench.harness.collect import main as collect_main
from gigbench.instances import generate
from gigbench.instances.scenario import load_scenario, save_scenario

ROOT = Path(__file__).resolve().parents[2]


def _row(rid: str, **extra) -> dict:
    return {"run_id": rid, "status": "ok", "message": "", "m_x": 1.0, **extra}


# --------------------------------------------------------------------------- disk faults


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS], ids=["full-disk", "read-only"])
@pytest.mark.parametrize("where", ["rename", "write"])
def test_full_or_read_only_disk_leaves_no_partial_row(tmp_path, monkeypatch, code, where):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    if where == "rename":
        monkeypatch.setattr(bio.os, "replace", fail)
    else:
        monkeypatch.setattr(pq, "write_table", fail)
    with pytest.raises(OSError, match=r"cannot write .*\.parquet: .*nothing was written") as info:
        write_run(tmp_path, _row("a"), {"batches": pa.table({"x": [1]})})
    assert info.value.errno == code
    assert "\n" not in str(info.value)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == [], leftovers  # no row, no table, no temporary file


def test_collect_on_a_full_disk_is_one_line_exit_2(tmp_path, monkeypatch, capsys):
    write_run(tmp_path, _row("a"))
    monkeypatch.setattr(
        bio.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full"))
    )
    assert collect_main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("gigbench-collect: error: [Errno 28] cannot write") and err.count("\n") == 1
    )
    assert not (tmp_path / "results.parquet").exists()


def test_a_disk_that_fills_during_a_run_is_one_line(tmp_path, monkeypatch):
    """The folder was writable when the sweep started (checked before the first run); the disk
    fills during the run: the run's tables and row cannot be written, and the harness says so
    in one line (the CLI prints it and exits 2) instead of a traceback."""
    from hydra import compose

    from gigbench.harness.compose import register
    from gigbench.harness.failures import UserError
    from gigbench.harness.run import run
    from gigbench.resources import hydra_compose

    register()
    with hydra_compose():
        cfg = compose(
            config_name="config",
            overrides=["mode=static", "mode.sizes=[5]", "solver=greedy", f"results_dir={tmp_path}"],
        )
    monkeypatch.setattr(
        bio.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full"))
    )
    match = r"run \w+ error; its row could not be written: .*No space left"
    with pytest.raises(UserError, match=match):
        run(cfg)
    assert not list(tmp_path.rglob("*.parquet"))


# --------------------------------------------------------------------------- kill and race

WRITER = textwrap.dedent(
    """
    import sys
    import pyarrow as pa
    from results_fixtures import write_run
    results, rid, tag, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    big = pa.table({"x": list(range(200_000))})
    print("ready", flush=True)
    for i in range(n):
        row = {"run_id": rid if rid != "-" else f"{tag}{i}", "status": "ok", "writer": tag,
               "i": i, "payload": "y" * 50_000}
        write_run(__import__("pathlib").Path(results), row, {"big": big})
    """
)


def _writer(results_dir: Path, rid: str, tag: str, n: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(results_dir), rid, tag, str(n)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")])),
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _finish(proc: subprocess.Popen) -> int:
    proc.communicate(timeout=120)
    return proc.returncode


def _complete(path: Path) -> dict:
    rows = pq.read_table(path).to_pylist()
    assert len(rows) == 1 and rows[0]["payload"] == "y" * 50_000
    return rows[0]


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5])
def test_killed_mid_write_leaves_only_complete_rows(tmp_path, delay):
    proc = _writer(tmp_path, "-", "k", 1000)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    rows = row_files(tmp_path)
    for path in rows:
        _complete(path)  # every row file that exists is whole
    table = pq.read_table(collect(tmp_path))  # debris (.tmp files) is ignored
    assert table.num_rows == len(rows)


def test_two_writers_of_one_run_id_end_with_one_complete_row(tmp_path):
    first, second = _writer(tmp_path, "same", "A", 15), _writer(tmp_path, "same", "B", 15)
    assert _finish(first) == 0 and _finish(second) == 0
    files = sorted(p.name for p in (tmp_path / "rows").iterdir())
    assert files == ["same.parquet"]  # one row file, no temporary debris
    assert _complete(tmp_path / "rows" / "same.parquet")["writer"] in ("A", "B")
    assert pq.read_table(collect(tmp_path)).num_rows == 1


def test_two_sweeps_into_one_results_dir_keep_every_row_once(tmp_path):
    first, second = _writer(tmp_path, "-", "A", 10), _writer(tmp_path, "-", "B", 10)
    assert _finish(first) == 0 and _finish(second) == 0
    table = pq.read_table(collect(tmp_path))
    assert sorted(table.column("run_id").to_pylist()) == sorted(
        [f"A{i}" for i in range(10)] + [f"B{i}" for i in range(10)]
    )


# --------------------------------------------------------------------------- determinism

CITY = {"n_tasks": 300, "n_workers": 30, "horizon_h": 1.0}


def test_same_params_and_seed_give_byte_identical_instances(tmp_path):
    a, b = generate("city", CITY, seed=7), generate("city", CITY, seed=7)
    assert a.compute_hash() == b.compute_hash()
    save_scenario(a, tmp_path / "a")
    save_scenario(b, tmp_path / "b")
    for name in ("tasks.parquet", "workers.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert load_scenario(tmp_path / "a").meta["content_hash"] == a.with_hash().meta["content_hash"]
    assert generate("city", CITY, seed=8).compute_hash() != a.compute_hash()
