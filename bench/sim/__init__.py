"""The simulation: one state advanced batch by batch through stages (one module each).

Imports ``gigbench.market`` (the plugins), ``instances`` and ``solvers``; never the harness.
The harness calls :func:`check_config` before runs start, then :func:`build_spec` and
:func:`simulate` for each run.
"""

from gigbench.sim.config import SimSpec, build_spec, check_config
from gigbench.sim.loop import simulate
from gigbench.sim.results import SimulationResult

__all__ = ["SimSpec", "SimulationResult", "build_spec", "check_config", "simulate"]
