"""What one run hands back to the harness, whatever its mode."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunOutput:
    """Metrics and per-run tables of a finished run, the config that really ran (``market``
    resolved) and the instance's replay counts (input, kept, dropped rows) when it has any."""

    metrics: dict[str, float]
    tables: dict[str, Any] = field(default_factory=dict)  # name -> pyarrow.Table
    resolved: dict[str, Any] | None = None
    replay: dict[str, int] | None = None
