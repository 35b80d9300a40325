"""Print the calibration tables of docs/measured/calibration.md: every preset's targets with
the measured value.

    python docs/measure/calibration_tables.py [preset ...]

Runs each preset's default day in this process (as ``gigbench-calibrate`` does) and prints one
Markdown table per preset: target, band, measured, pass or MISS, and the source (or, for an
assumption, why).
"""

from __future__ import annotations

import sys

from stamp import stamp  # the script's own folder is on sys.path

from gigbench.harness.calibrate import calibrate
from gigbench.instances.calibration import calibrated_presets


def table(preset: str) -> str:
    """The Markdown table of ``preset``."""
    lines = [
        f"`{preset}` (default size, seed 0):",
        "",
        "| target | band | measured | | source |",
        "|---|---|---|---|---|",
    ]
    for target, value in calibrate(preset, ["instance.seed=0"]):
        unit = f" {target.unit}" if target.unit else ""
        verdict = "pass" if target.holds(value) else "**MISS**"
        source = target.source if target.sourced else f"*assumption:* {target.source}"
        lines.append(
            f"| {target.label} | {target.low:g}-{target.high:g}{unit} | {value:.4g} | {verdict} "
            f"| {source} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(stamp(), end="\n\n")
    for name in sys.argv[1:] or calibrated_presets():
        print(table(name), end="\n\n")
