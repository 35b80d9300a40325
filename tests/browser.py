"""Open a page in headless Chromium (Debian's ``chromium``): its DOM after scripts ran, the
console messages it logged, and a screenshot."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Opened:
    """What the browser made of a page."""

    dom: str
    console: list[str]
    errors: str

    def rendered_plots(self) -> int:
        """Plotly figures that drew themselves."""
        return self.dom.count('class="plot-container plotly"')


def chromium() -> str:
    """The browser's path; skip the test where it is not installed."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("headless Chromium not installed (.ci/run installs Debian's chromium)")
    return path


def open_page(page: Path, screenshot: Path) -> Opened:
    """Load ``page`` headless, let its scripts run, keep the DOM, the console and a shot."""
    base = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000"]  # fmt: skip
    dump = subprocess.run(
        [*base, "--dump-dom", page.resolve().as_uri()], capture_output=True, text=True, timeout=180
    )
    assert dump.returncode == 0, dump.stderr[-2000:]
    shot = subprocess.run(
        [*base, "--window-size=1300,2400", f"--screenshot={screenshot}", page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    console = [line for line in dump.stderr.splitlines() if ":CONSOLE" in line]
    match = re.search(r'<html[^>]*data-errors="([^"]*)"', dump.stdout)
    return Opened(dump.stdout, console, match.group(1) if match else "")
