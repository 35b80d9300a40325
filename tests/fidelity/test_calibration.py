"""Every preset against its calibration targets (instances/calibration.py), each target a test
whose docstring is its public source (or says it is an assumption).

The default run simulates each preset at a reduced size, the smallest at which its market is
still as thick as at full size for these figures (nyc: 15,000 requests; jakarta_ojol: 10,000;
jakarta_car: 6,000; freelance: its default 2,000); ``-m slow`` runs the full default sizes.
"""

from __future__ import annotations

import functools

import pytest

from gigbench.harness.calibrate import measure, simulate_preset
from gigbench.instances.calibration import TARGETS, Target

REDUCED = {"nyc": 15000, "jakarta_ojol": 10000, "jakarta_car": 6000, "freelance": None}


@functools.cache
def day(preset: str, n_tasks: int | None):
    """One simulated day per preset and size, shared by its targets' tests."""
    overrides = [] if n_tasks is None else [f"instance.n_tasks={n_tasks}"]
    return simulate_preset(preset, overrides)


def cases(sizes: dict[str, int | None]) -> list:
    return [
        pytest.param(preset, size, target, id=f"{preset}-{target.key}")
        for preset, size in sizes.items()
        for target in TARGETS[preset]
    ]


def check(preset: str, n_tasks: int | None, target: Target) -> None:
    value = measure(day(preset, n_tasks), target)
    assert target.holds(value), (
        f"{preset} {target.label}: measured {value:.4g}, expected [{target.low:g}, "
        f"{target.high:g}] ({'source' if target.sourced else 'assumption'}: {target.source})"
    )


@pytest.mark.parametrize(("preset", "n_tasks", "target"), cases(REDUCED))
def test_target_at_reduced_size(preset: str, n_tasks: int | None, target: Target) -> None:
    """The preset reproduces the target's published figure within its band; the source is in
    the failure message and in instances/calibration.py."""
    check(preset, n_tasks, target)


@pytest.mark.slow
@pytest.mark.parametrize(("preset", "n_tasks", "target"), cases(dict.fromkeys(REDUCED)))
def test_target_at_full_size(preset: str, n_tasks: int | None, target: Target) -> None:
    """The same at the preset's default size (what gigbench-calibrate checks)."""
    check(preset, n_tasks, target)
