"""The metric catalogue: the keys every mode's runs put in their row are exactly the catalogue's,
and the docs' metric reference is the one the catalogue generates."""

from __future__ import annotations

from pathlib import Path

import pytest
from hydra import compose

from gigbench.harness.compose import register
from gigbench.harness.run import run as run_config
from gigbench.market.catalogue import CATALOGUE, SIMULATE, STATIC, markdown, metrics_in
from gigbench.resources import hydra_compose

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "metrics.md"
SMALL = ["instance.n_tasks=300", "instance.n_workers=40", "instance.horizon_h=2"]
RUNS = {
    "simulate, one day": (SIMULATE, SMALL),
    "simulate, two days": (SIMULATE, ["instance=nyc", "instance.n_tasks=300", "mode.days=2"]),
    "static, random": (STATIC, ["mode=static", "mode.sizes=[5,8]"]),
}


def _row(overrides: list[str], results_dir: Path) -> dict:
    register()
    with hydra_compose():
        cfg = compose(config_name="config", overrides=[*overrides, f"results_dir={results_dir}"])
    row = run_config(cfg)
    assert row is not None and row["status"] == "ok", row
    return row


@pytest.mark.parametrize("run", list(RUNS))
def test_row_metrics_are_the_catalogue(tmp_path, run) -> None:
    mode, overrides = RUNS[run]
    produced = {key[2:] for key in _row(overrides, tmp_path) if key.startswith("m_")}
    catalogued = {metric.name for metric in metrics_in(mode)}
    assert not produced - catalogued, f"{run}: metrics missing from the catalogue"
    assert not catalogued - produced, f"{run}: catalogued for {mode} but not produced"


def test_every_entry_belongs_to_a_mode_the_tests_run() -> None:
    names = [metric.name for metric in CATALOGUE]
    assert len(names) == len(set(names))
    tested = {mode for mode, _ in RUNS.values()}
    assert all(metric.modes and set(metric.modes) <= tested for metric in CATALOGUE)
    assert all(metric.definition and metric.counts and metric.unit for metric in CATALOGUE)


def test_metric_reference_page_is_generated_from_the_catalogue() -> None:
    committed = PAGE.read_text() if PAGE.is_file() else ""
    assert committed == markdown(), (
        "docs/reference/metrics.md differs from the catalogue's; regenerate it with: "
        "python docs/gen_metrics.py"
    )


def test_metric_reference_has_every_metric_under_its_section() -> None:
    section = None
    seen = {}
    for line in markdown().splitlines():
        if line.startswith("## "):
            section = line[3:].lower()
        elif line.startswith("| `"):
            seen[line.split("`")[1]] = section
    assert seen == {metric.name: metric.section.value for metric in CATALOGUE}
