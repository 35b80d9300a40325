"""The error types ``bench`` documents as the user's to fix (bottom floor: imports nothing).

The CLI shows these as one line with exit code 2; anything else raised during a run is a bug
and keeps its traceback.
"""

from __future__ import annotations

__all__ = ["ConfigError"]


class ConfigError(ValueError):
    """A config whose parts do not fit together, or a value out of range; the message says
    what was expected, what was got and how to fix it."""
