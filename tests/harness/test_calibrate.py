"""gigbench-calibrate: one row per target, an exit code that says whether all held, one line
for a mistake. (The targets themselves are tested in tests/fidelity/test_calibration.py.)"""

from __future__ import annotations

import re

import pytest

from gigbench.harness.calibrate import main
from gigbench.instances.calibration import TARGETS, calibrated_presets

SMALL = {"nyc": 1500, "jakarta_ojol": 1500, "jakarta_car": 1000, "freelance": 300}


@pytest.mark.parametrize("preset", calibrated_presets())
def test_every_target_gets_a_row_and_the_exit_code_follows_them(preset, capsys) -> None:
    # Six hours of a small day: the machinery, not the market (see the fidelity suite).
    argv = [preset, "--n-tasks", str(SMALL[preset]), "--seed", "1"]
    code = main([*argv, "--set", "instance.horizon_h=6"])
    out = capsys.readouterr().out
    verdicts = re.findall(r"\s(pass|MISS)\s+\[\d+\]$", out, flags=re.MULTILINE)
    assert len(verdicts) == len(TARGETS[preset])
    missed = verdicts.count("MISS")
    assert code == (1 if missed else 0)
    held = len(verdicts) - missed
    assert f"{held} of {len(verdicts)} targets hold" in out
    # Every source is printed as a numbered note under the table.
    for target in TARGETS[preset]:
        assert target.source in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["paris"], "preset: expected one of"),
        (["nyc", "--set", "instance.n_task=5"], "instance.n_task"),
        (["nyc", "--set", "pay_rule=nyc_tlc_2030"], "pay_rule"),
        (["nyc", "--set", "pay_rule=commission_cap", "--set", "pay_rule.cap=1.5"],
         r"pay_rule\.cap: expected a share in \[0, 1\)"),
    ],
)  # fmt: skip
def test_mistakes_are_one_line_and_exit_2(argv, message, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("gigbench-calibrate: error:")
    assert re.search(message, err)


def test_the_targets_count_the_workers_the_fairness_metrics_count() -> None:
    """One rule (fairness_counted): a worker online 3 h over 2 days averages 1.5 h a day, under
    a 2-hour minimum, so neither the metrics nor the calibration targets count them."""
    import pyarrow as pa

    from gigbench.harness.calibrate import Measured

    workers = pa.table(
        {
            "worker": [0, 1, 2, 3],
            "online_hours": [3.0, 5.0, 0.0, 2.0],
            "days_online": [2, 2, 0, 1],
        }
    )
    day = Measured(scenario=None, metrics={}, tables={"workers": workers}, min_hours=2.0)
    assert day.workers()["worker"].tolist() == [1, 3]
