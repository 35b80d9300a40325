"""The manual's generated and tabulated parts match the code: the configuration reference is
what ``docs/reference/generate_config.py`` writes today, every column a run writes is on the
results page, and the ``docs/measure`` tables are well-formed Markdown."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]


def _module(path: Path):
    """Import a script of docs/ by its path (its own folder on sys.path, as when it runs)."""
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def test_config_reference_is_current() -> None:
    generator = _module(ROOT / "docs" / "reference" / "generate_config.py")
    page = (ROOT / "docs" / "reference" / "config.md").read_text()
    assert page == generator.page(), (
        "docs/reference/config.md is stale: run python docs/reference/generate_config.py"
    )


def test_config_reference_has_every_group_and_option() -> None:
    page = (ROOT / "docs" / "reference" / "config.md").read_text()
    for folder in sorted(p for p in (ROOT / "configs").iterdir() if p.is_dir()):
        if folder.name in ("hydra", "tlc", "__pycache__"):
            continue
        for option in folder.glob("*.yaml"):
            assert f"`{option.stem}`" in page, f"{folder.name}={option.stem} is not listed"


def test_market_tables_separator_has_a_cell_per_header() -> None:
    tables = _module(ROOT / "docs" / "measure" / "market_tables.py")
    frame = pd.DataFrame(
        {"welfare": [1.0, 2.0], "Gini IQR": ["0.1-0.2", "0.3-0.4"]},
        index=pd.MultiIndex.from_tuples([("greedy", 0.0), ("hungarian", 0.5)],
                                        names=["solver", "lambda"]),
    )  # fmt: skip
    lines = tables.markdown(frame).splitlines()
    assert lines[0] == "| solver | lambda | welfare | Gini IQR |"
    assert {line.count("|") for line in lines} == {5}, lines


def _documented(page: str) -> set[str]:
    return set(re.findall(r"`([\w<>]+)`", (ROOT / "docs" / page).read_text()))


def _covered(column: str, names: set[str]) -> bool:
    """A column is documented by name or by a pattern such as ``weight_<term>``."""
    patterns = [re.escape(n.split("<")[0]) + r"[\w-]+" for n in names if "<" in n]
    return column in names or any(re.fullmatch(p, column) for p in patterns)


def test_every_column_a_run_writes_is_on_the_results_page(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gigbench.harness", "solver=greedy", "instance.n_tasks=100",
         "instance.n_workers=10", "instance.horizon_h=1", f"results_dir={tmp_path}"],
        capture_output=True, text=True, timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    names = _documented("results.md")
    metrics = _documented("reference/metrics.md")  # a day's figures are the run's metrics
    row = next((tmp_path / "rows").glob("*.parquet"))
    tables = [row, *sorted(next((tmp_path / "runs").iterdir()).glob("*.parquet"))]
    assert {t.stem for t in tables[1:]} >= {"trips", "workers", "batches"}
    missing = [
        f"{table.name}: {column}"
        for table in tables
        for column in pq.read_schema(table).names
        if not _covered(column, names | (metrics if table.stem == "days" else set()))
    ]
    assert not missing, f"columns written but not on docs/results.md: {missing}"
