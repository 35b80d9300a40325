"""The simulate mode: a closed-loop day (or several) of one instance with one solver.

The harness's only contact with the simulation (``gigbench.sim``): the config is checked when
the mode is built (no instance generated yet); the run generates or replays the instance, builds
the simulation's plugins for it (the ``auto`` choices resolved from its metadata) and simulates.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from omegaconf import DictConfig, OmegaConf

from gigbench.errors import ConfigError
from gigbench.harness.modes import RunOutput
from gigbench.solvers import Problem, Solver

if TYPE_CHECKING:
    from gigbench.instances import Scenario
    from gigbench.sim import SimSpec, SimulationResult


class Simulate:
    """``mode=simulate``: generate (or replay) ``cfg.instance`` and simulate it."""

    def __init__(self, cfg: DictConfig, solver: Solver) -> None:
        from gigbench.instances.generators import generator_params
        from gigbench.sim import check_config
        from gigbench.solvers.registry import checked

        self.cfg, self.solver = cfg, solver
        instance = OmegaConf.to_container(cfg.instance, resolve=True)
        self.generator = cfg.instance.name
        self.seed = cfg.instance.seed
        self.params = {k: v for k, v in instance.items() if k not in ("name", "seed")}
        checked(generator_params(self.generator)(**self.params))
        check_config(cfg, solver)
        if not 0 <= self.seed < 2**63:
            raise ConfigError(f"instance.seed: expected an integer in [0, 2**63), got {self.seed}")

    def warm_problem(self) -> Problem:
        """A batch in miniature."""
        from gigbench.sim.match import miniature

        return miniature()

    def simulate(self, record_to: Path | None = None) -> tuple[Scenario, SimSpec, SimulationResult]:
        """Generate (or replay) the instance, build the simulation's plugins for it and
        simulate it; ``record_to``: a folder for the batches' problems."""
        from gigbench.instances import generate
        from gigbench.sim import build_spec, simulate

        scenario = generate(self.generator, self.params, seed=self.seed)
        spec = build_spec(self.cfg, self.solver, scenario.meta)
        return scenario, spec, simulate(scenario, self.solver, spec, record_to=record_to)

    def execute(self, run_dir: Path) -> RunOutput:
        """Simulate; the metrics, the tables and the config that ran."""
        record_to = run_dir / "recording" if self.cfg.mode.record else None
        scenario, spec, result = self.simulate(record_to)
        resolved = OmegaConf.to_container(self.cfg, resolve=True)
        resolved |= spec.describe()  # what ran: market, pricing and reposition "auto" resolved
        return RunOutput(
            result.metrics,
            result.tables,
            resolved=resolved,
            replay=_replay_counts(scenario.meta.get("replay")),
        )


def _replay_counts(report: dict[str, Any] | None) -> dict[str, int] | None:
    """Input, kept and dropped rows of a replayed trip log (None for generated instances)."""
    if not report:
        return None
    dropped = report.get("dropped") or {}
    return {
        "input_rows": int(report.get("input_rows", 0)),
        "kept_rows": int(report.get("kept_rows", 0)),
        "dropped_rows": int(sum(dropped.values())),
    }
