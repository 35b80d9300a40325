"""Hand Hydra what :func:`gigbench.harness.compose.plan_sweep` already composed.

Hydra's command-line path composes the whole config twice before a run starts: once in
``Hydra.get_mode`` only to read ``hydra.mode``, once more in ``Hydra.run``; the plan has
composed it already, to check it. Each composition costs about 0.25 s, a fifth of a small
run. Inside :func:`reusing`, ``get_mode`` answers from the plan, and ``Hydra.run``'s
composition of the same overrides is a copy of the plan's, which a test holds equal to what
Hydra composes itself. Only a single run's composition is handed over (a sweep's jobs compose
their own); hydra-core is pinned below 1.4, whose internals these are.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def reusing(mode: Any, overrides: list[str] | None, composed: Any) -> Iterator[None]:
    """Within the block, Hydra's ``get_mode`` returns ``mode`` and a RUN composition of
    exactly ``overrides`` returns a copy of ``composed`` (``None``: compose as usual)."""
    from hydra._internal.config_loader_impl import ConfigLoaderImpl
    from hydra._internal.hydra import Hydra
    from hydra.types import RunMode

    own_mode, own_load = Hydra.get_mode, ConfigLoaderImpl.load_configuration

    def get_mode(self, config_name, overrides):
        return mode

    def load_configuration(self, config_name, overrides, run_mode, *args, **kwargs):
        wanted = composed is not None and config_name == "config" and run_mode == RunMode.RUN
        if wanted and list(overrides) == reused:
            return copy.deepcopy(composed)  # Hydra.run writes into it (output dir, mode)
        return own_load(self, config_name, overrides, run_mode, *args, **kwargs)

    reused = list(overrides or [])
    Hydra.get_mode = get_mode
    ConfigLoaderImpl.load_configuration = load_configuration
    try:
        yield
    finally:
        Hydra.get_mode, ConfigLoaderImpl.load_configuration = own_mode, own_load
