"""Logging of the harness into Hydra's log files (``configs/hydra/job_logging/gigbench.yaml``)."""

from __future__ import annotations

import logging


class Below(logging.Filter):
    """Let through records below ``level`` (the console's stdout; stderr takes the rest)."""

    def __init__(self, level: str = "WARNING") -> None:
        super().__init__()
        self.level = logging.getLevelName(level)

    def filter(self, record: logging.LogRecord) -> bool:
        """True for records below the level."""
        return record.levelno < self.level
