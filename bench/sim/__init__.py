"""The simulation: one state advanced batch by batch through stages (one module each).

Imports ``bench.market`` (the plugins), ``instances`` and ``solvers``; never the harness.
The harness calls :func:`check_config` before runs start, then :func:`build_spec` and
:func:`simulate` for each run.
"""

from bench.sim.config import SimSpec, build_spec, check_config
from bench.sim.loop import simulate
from bench.sim.results import SimulationResult

__all__ = ["SimSpec", "SimulationResult", "build_spec", "check_config", "simulate"]
