"""Shared fixtures: where the real public data lives, and a skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Problems the simulation builds with Problem.from_trusted_edges are fully checked in tests.
os.environ.setdefault("GIGBENCH_CHECK_PROBLEMS", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the clone; tests using it skip on a bare clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"real data not found at {SHARED_DATA} (CI provides ../shared beside the clone)"
        )
    return SHARED_DATA
