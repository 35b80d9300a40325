"""The harness: failures become rows, errors by origin, claims, orphans, interrupts, reruns.

Sweeps run as real ``gigbench`` commands in subprocesses, with the faulty solvers of
``tests/plugins/faulty_solvers.py`` installed as entry points (that folder on ``PYTHONPATH``
holds their ``.dist-info``).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hydra import compose
from omegaconf import OmegaConf

from gigbench.harness.compose import register, run_options
from gigbench.io import run_id
from gigbench.resources import config_options, config_tree, hydra_compose

REPO = Path(__file__).resolve().parents[2]
PLUGIN_DIR = REPO / "tests" / "plugins"

TINY = ["instance.n_tasks=200", "instance.n_workers=20", "instance.horizon_h=1"]


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, HYDRA_FULL_ERROR="")
    env.pop("GIGBENCH_DEBUG", None)
    env["PYTHONPATH"] = str(PLUGIN_DIR)
    return env | extra


def gigbench(args: list[str], cwd: Path, timeout: float = 300, **env: str):
    """Run ``gigbench`` with the faulty solvers available."""
    return subprocess.run(
        [sys.executable, "-m", "gigbench.harness", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(**env),
        timeout=timeout,
    )


def _as_foreground_job() -> None:
    """Ctrl-C at its default, as a terminal's foreground job has it: a test runner started in
    the background (``nohup ... &``, a CI service) passes SIGINT on ignored, and gigbench, as
    any program, keeps an ignored Ctrl-C ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(args: list[str], cwd: Path, **env: str) -> subprocess.Popen:
    """Start ``gigbench`` in its own process group (as a shell starts a job)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gigbench.harness", *args],
        cwd=cwd,
        preexec_fn=_as_foreground_job,
        env=_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def rows(results: Path) -> dict[str, dict]:
    """run_id -> row of every row file under ``results``."""
    out = {}
    for path in sorted((results / "rows").glob("*.parquet")):
        row = pq.read_table(path).to_pylist()[0]
        out[row["run_id"]] = row
    return out


def ledger(results: Path) -> list[dict]:
    """Every outcome every sweep recorded in ``results``."""
    return [
        json.loads(line)
        for path in (results / "sweeps").glob("*.jsonl")
        for line in path.read_text().splitlines()
    ]


def wait_for(predicate, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"no {what} after {timeout} s"
        time.sleep(0.05)


def test_run_id_ignores_how_and_where_a_run_runs() -> None:
    register()
    with hydra_compose():
        a = compose(config_name="config", overrides=["results_dir=a"])
        b = compose(
            config_name="config", overrides=["results_dir=b", "run.timeout_s=5", "run.redo=true"]
        )
        c = compose(config_name="config", overrides=["instance.seed=1"])
    ids = [run_id(OmegaConf.to_container(cfg, resolve=True)) for cfg in (a, b, c)]
    assert ids[0] == ids[1] != ids[2]
    assert run_options(b).timeout_s == 5 and run_options(b).redo
    assert run_options(OmegaConf.create({})).isolate  # defaults without a run node


@pytest.mark.slow
def test_failures_become_rows_and_the_sweep_goes_on(tmp_path) -> None:
    results = tmp_path / "res"
    args = [
        "-m",
        "solver=greedy,crash,hang,bloat,abort",
        *TINY,
        "run.timeout_s=8",
        "run.memory_gb=3",
        f"results_dir={results}",
    ]
    before = datetime.now(UTC)
    # Seven hours east of UTC: a local time stored as if it were UTC would fall outside the sweep.
    # A register of runs of its own: other gigbench runs on the host would count as concurrent.
    out = gigbench(args, tmp_path, TZ="WIB-7", GIGBENCH_ACTIVE_DIR=str(tmp_path / "active"))
    after = datetime.now(UTC)
    assert out.returncode == 1, out.stderr  # runs failed: documented exit 1
    found = {row["solver"]: row for row in rows(results).values()}
    assert set(found) == {"greedy", "crash", "hang", "bloat", "abort"}
    assert found["greedy"]["status"] == "ok" and found["greedy"]["m_match_rate"] > 0
    assert found["crash"]["status"] == "error"
    assert "RuntimeError: deliberate crash" in found["crash"]["message"]
    assert "Traceback (most recent call last)" in found["crash"]["traceback"]
    assert found["hang"]["status"] == "timeout" and "8 s" in found["hang"]["message"]
    assert found["bloat"]["status"] == "oom" and "run.memory_gb=3" in found["bloat"]["message"]
    assert found["abort"]["status"] == "error" and "SIGABRT" in found["abort"]["message"]
    assert "at File" in found["abort"]["message"]  # the frame the signal hit, from the log
    for row in found.values():
        assert row["env_launcher"] == "basic" and row["env_concurrent_runs"] == 1
        # every row, a failure's too, says when its run started and ended, in UTC
        assert row["config_json"] and before <= row["started_at"] <= row["finished_at"] <= after
    # the summary and a line per run, each with its swept key
    assert "[2/5] solver=crash error: RuntimeError: deliberate crash" in out.stderr
    assert "[1/5] solver=greedy ok" in out.stdout
    assert "sweep of 5 runs" in out.stdout and "failed         4" in out.stdout

    # the same sweep again: every run has a row, nothing reruns or is rewritten
    mtimes = {p: p.stat().st_mtime_ns for p in (results / "rows").glob("*.parquet")}
    again = gigbench(args, tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("skipped: its row exists") == 5
    assert {p: p.stat().st_mtime_ns for p in (results / "rows").glob("*.parquet")} == mtimes


def test_a_bug_is_a_row_with_its_traceback_and_exit_1(tmp_path) -> None:
    """A ValueError subclass raised by a solver's bug is not the user's mistake."""
    out = gigbench(["solver=buggy", *TINY, f"results_dir={tmp_path}"], tmp_path)
    assert out.returncode == 1, out.stderr
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("gigbench: run ") and "error: NotOptimalError: deliberate bug" in line
    (row,) = rows(tmp_path).values()
    assert row["status"] == "error" and "raise NotOptimalError" in row["traceback"]
    assert f"traceback in {row['log']}" in line
    assert "NotOptimalError: deliberate bug" in Path(row["log"]).read_text()
    skip = gigbench(["solver=buggy", *TINY, f"results_dir={tmp_path}"], tmp_path)
    assert skip.returncode == 0 and "skipped" in skip.stdout  # run.retry_failed=true reruns it


@pytest.mark.slow
def test_memory_limit_while_a_library_loads_is_oom(tmp_path) -> None:
    """The job loads numba's kernels before it forks a run, so a library that loads in the run
    itself stands in for it: the limit refuses to map the shared object ("failed to map segment
    from shared object"), which is an ``oom`` row, not a bug."""
    out = gigbench(
        ["solver=late_load", *TINY, "run.memory_gb=0.05", f"results_dir={tmp_path}"], tmp_path
    )
    assert out.returncode == 1, out.stderr
    (row,) = rows(tmp_path).values()
    assert row["status"] == "oom" and "run.memory_gb=0.05" in row["message"], row["message"]
    assert "failed to map segment from shared object" in row["message"]


@pytest.mark.slow
def test_killed_sweep_resumes_with_only_the_missing_runs(tmp_path) -> None:
    results = tmp_path / "res"
    args = ["-m", "solver=greedy", "instance.seed=0,1,2,3", *TINY, f"results_dir={results}"]
    proc = start(args, tmp_path)
    try:
        wait_for(lambda: list((results / "rows").glob("*.parquet")), "row")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    first = {p.name: p.stat().st_mtime_ns for p in (results / "rows").glob("*.parquet")}
    assert 1 <= len(first) < 4

    out = gigbench(args, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("skipped: its row exists") == len(first)
    final = rows(results)
    assert len(final) == 4 and all(row["status"] == "ok" for row in final.values())
    for name, mtime in first.items():
        assert (results / "rows" / name).stat().st_mtime_ns == mtime, f"{name} was rewritten"


def _descendants(pid: int) -> set[int]:
    """Every live process whose ancestry leads to ``pid``, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _text(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[:100_000]
    except OSError:
        return ""


def _session(sid: int) -> set[int]:
    """Live processes whose session or process group is ``sid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and sid in (int(fields[2]), int(fields[3])):
                found.add(int(entry.name))
    return found


@pytest.mark.slow
def test_kill_9_of_the_parent_leaves_no_orphan_and_no_temporary_folder(tmp_path) -> None:
    """The running child dies with its parent (PR_SET_PDEATHSIG) and writes no row later."""
    tmp = Path(tempfile.gettempdir())
    before = set(tmp.iterdir())
    results = tmp_path / "res"
    proc = start(["-m", "solver=hang", "instance.seed=0,1", *TINY, f"results_dir={results}"],
                 tmp_path)  # fmt: skip
    try:
        wait_for(lambda: list((results / "claims").glob("*.json")), "claim")
        wait_for(lambda: _descendants(proc.pid), "child process")
        children = _descendants(proc.pid)
        time.sleep(1.0)
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, as `kill -9 <pid>` would
        proc.communicate()
    deadline = time.monotonic() + 10
    while any(_session(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = {pid for pid in children if Path(f"/proc/{pid}").exists() and _session(pid)}
    assert not alive, f"orphans still running 10 s after kill -9 of the parent: {alive}"
    # Other programs come and go in /tmp meanwhile: a folder of this sweep's would name its
    # results folder in the files it holds.
    new = [p for p in set(tmp.iterdir()) - before if p.is_dir()]
    ours = [p for p in new if any(str(results) in _text(f) for f in p.rglob("*") if f.is_file())]
    assert not ours, f"temporary folders left behind: {ours}"
    assert not list((results / "rows").glob("*.parquet"))  # the killed run wrote nothing


@pytest.mark.slow
def test_two_identical_sweeps_started_together_compute_each_run_once(tmp_path) -> None:
    results = tmp_path / "res"
    args = ["-m", "solver=greedy", "instance.seed=0,1,2,3", *TINY, f"results_dir={results}"]
    first, second = start(args, tmp_path), start(args, tmp_path)
    outs = [proc.communicate(timeout=300) for proc in (first, second)]
    assert first.returncode == second.returncode == 0, outs
    computed = [e["run_id"] for e in ledger(results) if e["status"] != "skipped"]
    assert sorted(computed) == sorted(set(computed)) and len(computed) == 4
    assert len(rows(results)) == 4 and not list((results / "claims").glob("*"))
    said = outs[0][0] + outs[1][0]
    assert said.count("is being computed by") + said.count("its row exists") == 4


@pytest.mark.slow
def test_a_stale_claim_is_taken_over(tmp_path) -> None:
    results = tmp_path / "res"
    config = ["solver=greedy", *TINY, f"results_dir={results}"]
    register()
    with hydra_compose():
        rid = run_id(OmegaConf.to_container(compose(config_name="config", overrides=config)))
    claims = results / "claims"
    claims.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    import socket

    claim = {"host": socket.gethostname(), "pid": int(dead), "started": 0, "token": "x"}
    (claims / f"{rid}.json").write_text(json.dumps(claim))
    out = gigbench(config, tmp_path)
    assert out.returncode == 0, out.stderr
    assert rows(results)[rid]["status"] == "ok"


@pytest.mark.slow
def test_ctrl_c_is_one_line_exit_130(tmp_path) -> None:
    results = tmp_path / "res"
    proc = start(["-m", "solver=greedy,hang", *TINY, f"results_dir={results}"], tmp_path,
                 PYTHONFAULTHANDLER="1")  # fmt: skip
    wait_for(lambda: list((results / "rows").glob("*.parquet")), "first row")
    # The second run's claim: the first run holds its own a moment after its row is written.
    first = {p.stem for p in (results / "rows").glob("*.parquet")}
    second = lambda: [p for p in (results / "claims").glob("*.json") if p.stem not in first]  # noqa: E731
    wait_for(second, "second run's claim")
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: where each thread of it was
        try:
            _, err = proc.communicate(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):  # SIGABRT has ended it, as a rule
                os.killpg(proc.pid, signal.SIGKILL)  # its runs die with it (they ask the kernel)
            proc.communicate()
        pytest.fail(f"the sweep still ran 60 s after Ctrl-C; its threads then:\n{err[-6000:]}")
    assert proc.returncode == 130, err
    assert err == "gigbench: interrupted: 1 of 2 runs done; run the same command again to finish\n"
    assert not _session(proc.pid)


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder nobody can write, even root (a read-only tmpfs)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("where", ["read-only", "a-file", "proc"])
def test_a_results_dir_that_cannot_take_rows_is_one_line_before_any_run(
    tmp_path, where, request
) -> None:
    if where == "read-only":
        target = request.getfixturevalue("read_only_dir") / "results"
    elif where == "a-file":
        target = tmp_path / "results.txt"
        target.write_text("not a folder")
    else:
        target = Path("/proc/self/results")
    started = time.monotonic()
    out = gigbench(["-m", "solver=greedy,hungarian", *TINY, f"results_dir={target}"], tmp_path)
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and out.stderr.startswith(
        f"gigbench: error: results_dir={target}: expected a folder this process can write"
    ), out.stderr
    assert "ok" not in out.stdout and time.monotonic() - started < 60


def test_unknown_solver_key_lists_the_valid_keys(tmp_path) -> None:
    out = gigbench(["solver=greedy", "solver.strateg=nearest"], tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "solver.strateg: no key 'strateg' in solver=greedy; valid keys: name, strategy" in (
        out.stderr
    )
    assert "+solver" not in out.stderr


EXPERIMENTS = config_options("experiment")


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_experiment_files_compose_with_their_sweep(name) -> None:
    text = config_tree().joinpath("experiment", f"{name}.yaml").read_text()
    assert text.startswith("# @package _global_\n")
    assert f"gigbench -m +experiment={name}" in text  # the header is the command that runs it
    register()
    with hydra_compose():
        cfg = compose(
            config_name="config", overrides=[f"+experiment={name}"], return_hydra_config=True
        )
        params = OmegaConf.to_container(cfg.hydra.sweeper.params)
        assert params and cfg.results_dir == f"results/{name}"
        solvers = set(config_options("solver"))
        for key, values in params.items():
            choices = _split(values)
            if "." in key:  # a value, not a config group: its type is checked once
                choices = choices[-1:]
            for value in choices:
                if key == "solver" and value not in solvers:
                    continue  # a solver another change adds (its config is not here yet)
                compose(config_name="config", overrides=[f"+experiment={name}", f"{key}={value}"])


def _split(values: str) -> list[str]:
    """Hydra's choice sweep ``a,b,[1,2]`` into its values."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    override = OverridesParser.create().parse_override(f"k={values}")
    return list(override.sweep_string_iterator())
