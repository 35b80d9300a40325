"""gigbench's own files, found alike from any folder: the config tree and its groups, the zone
tables and perf files it ships, where the perf commands write, and the data it does not ship
(OR-Library, TLC trips) named by an option with one line saying where to get it."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
from hydra import compose

from gigbench.harness.compose import register
from gigbench.instances.tlc import ReplayError, ReplayParams, read_zones, replay
from gigbench.instances.tlc.zones import PSEUDO_ZONES, shipped_zones
from gigbench.instances.tlc_synth import write_fhvhv
from gigbench.perf import cases, gate
from gigbench.resources import config_groups, hydra_compose, source_checkout

ROOT = Path(__file__).resolve().parents[2]
MAIN_GROUPS = {"instance", "solver", "objective", "pricing", "reposition", "supply", "pay_rule",
               "mode", "market", "run"}  # fmt: skip


def _gigbench(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GIGBENCH_DEBUG", "PYTHONPATH")}
    return subprocess.run(
        [sys.executable, "-m", "gigbench.harness", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip


def test_config_groups_are_the_main_configs_groups(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    groups = config_groups()
    assert set(groups) == MAIN_GROUPS | {"experiment"}  # not tlc, hydra or __pycache__
    assert "hungarian" in groups["solver"] and "orlib" in groups["experiment"]
    assert "replay_schema" not in groups["instance"]  # a schema, not a file


def test_help_lists_the_real_groups_only(tmp_path) -> None:
    out = _gigbench(["--help"], tmp_path)
    assert out.returncode == 0, out.stderr
    block = out.stdout.split("config groups", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert {line.split()[0] for line in block} == MAIN_GROUPS


def test_the_nyc_zone_tables_are_shipped(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # nothing relative to a clone
    zones = read_zones("nyc")
    assert zones.n_zones == 263 and zones.ids.min() == 1 and zones.ids.max() == 263
    assert not zones.known(np.array(PSEUDO_ZONES)).any()
    lookup = files("gigbench.instances.tlc").joinpath("data", "taxi_zone_lookup.csv").read_text()
    assert len(lookup.splitlines()) == 266 and '265,"N/A","Outside of NYC","N/A"' in lookup
    with pytest.raises(ReplayError, match=r"expected a shipped table \(nyc\) or a CSV file"):
        shipped_zones("chicago")


def test_replay_defaults_to_the_shipped_zones_from_any_folder(tmp_path, monkeypatch) -> None:
    """The issue's case: from another folder, with an absolute instance.path."""
    trips = write_fhvhv(tmp_path / "trips" / "fhvhv.parquet", 3000, "2024-01", defect_rate=0.0)
    work = tmp_path / "elsewhere"
    work.mkdir()
    monkeypatch.chdir(work)
    register()
    with hydra_compose():
        cfg = compose(config_name="config", overrides=["instance=replay"])
    assert cfg.instance.zones == "nyc"
    params = ReplayParams(path=str(trips), zones=cfg.instance.zones, day="2024-01-15")
    scenario, report = replay(params, seed=0)
    assert report.kept_rows > 0 and scenario.n_tasks == report.kept_rows


def test_perf_files_are_package_resources(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    expected = gate.load_json(gate.EXPECTED, "expected values", "fix")
    assert set(expected["cases"]) == set(cases.CASES)
    assert gate.load_json(gate.BASELINE, "baseline", "fix")["ratios"]
    assert len(cases.get_case("nyc_day").problems) == 2880  # the shipped recording


def test_perf_updates_write_to_the_checkout_or_where_told(tmp_path) -> None:
    """From a checkout (this editable install) the shipped files are the ones under version
    control; an explicit path wins. The installed case is refused:
    tests/packaging/test_packaging.py."""
    assert source_checkout() == ROOT
    assert gate.output_path(None, gate.EXPECTED, "--expected") == ROOT / "bench/perf/expected.json"
    given = tmp_path / "mine.json"
    assert gate.output_path(given, gate.BASELINE, "--baseline") == given


def test_orlib_without_its_files_says_where_to_get_them(tmp_path) -> None:
    out = _gigbench(["-m", "+experiment=orlib", f"results_dir={tmp_path}/r"], tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "mode.path=<their folder>" in out.stderr
    assert "http://people.brunel.ac.uk/~mastjjb/jeb/orlib/assigninfo.html" in out.stderr


def test_orlib_file_with_another_checksum_is_named_before_any_run(tmp_path) -> None:
    folder = tmp_path / "orlib"
    folder.mkdir()
    (folder / "assign100.txt").write_text("100\n" + " ".join(["7"] * 10_000) + "\n")
    out = _gigbench(["-m", "+experiment=orlib", f"mode.path={folder}", "solver=greedy",
                     f"results_dir={tmp_path}/r"], tmp_path)  # fmt: skip
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "assign100.txt: expected OR-Library's assign100 (sha256 " in out.stderr
    assert not (tmp_path / "r").exists()  # refused before anything ran


def test_the_real_orlib_files_pass_the_check(shared_data, tmp_path) -> None:
    out = _gigbench(["mode=static", "mode.problems=orlib", "solver=hungarian",
                     f"mode.path={shared_data / 'orlib' / 'assign100.txt'}",
                     f"results_dir={tmp_path}/r"], tmp_path)  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]


def test_a_replay_without_trips_says_where_to_get_them(tmp_path) -> None:
    out = _gigbench(["instance=replay", "solver=greedy", f"results_dir={tmp_path}/r"], tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "instance.path=<file>" in out.stderr and "tlc-trip-record-data" in out.stderr
