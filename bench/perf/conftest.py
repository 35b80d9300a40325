"""bench/perf is a pytest directory, not a package: its helpers import by file name."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
