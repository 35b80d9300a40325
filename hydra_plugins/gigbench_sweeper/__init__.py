"""gigbench's Hydra sweeper (``hydra/sweeper=gigbench``, gigbench's default): Hydra's basic
sweep without its second composition of every job.

Hydra finds its plugins in the ``hydra_plugins`` namespace, so this module lives there (the
one name gigbench installs beside ``gigbench``). It sweeps as Hydra's basic sweeper does: the
cartesian product of the command line's values and ``hydra.sweeper.params``, in order, in
batches of ``max_batch_size`` jobs, each batch handed to the chosen launcher. It does not
compose every job's config before launching the batch, as the basic sweeper does to find a
mistake early: the ``gigbench`` command has checked every value of every swept key before
Hydra starts (:func:`gigbench.harness.compose.plan_sweep`), and the launcher composes each
job's config when it runs it; that second composition cost every run of a sweep 0.15-0.2 s.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf


@dataclass
class GigbenchSweeperConf:
    """The sweeper's config: the basic sweeper's keys."""

    _target_: str = "hydra_plugins.gigbench_sweeper.GigbenchSweeper"
    max_batch_size: int | None = None
    params: dict[str, str] | None = None


ConfigStore.instance().store(
    group="hydra/sweeper", name="gigbench", node=GigbenchSweeperConf, provider="gigbench"
)


class GigbenchSweeper(Sweeper):
    """Every combination of the swept values, launched in batches."""

    def __init__(self, max_batch_size: int | None = None, params: dict[str, str] | None = None):
        super().__init__()
        self.max_batch_size = max_batch_size
        self.params = params or {}
        self.hydra_context: HydraContext | None = None
        self.config: DictConfig | None = None
        self.launcher = None

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        """Keep the context and instantiate the chosen launcher."""
        from hydra.core.plugins import Plugins

        self.hydra_context, self.config = hydra_context, config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config
        )

    def sweep(self, arguments: list[str]) -> Any:
        """Launch every job, batch by batch; the launcher's results."""
        jobs = self.jobs([*(f"{k}={v}" for k, v in self.params.items()), *arguments])
        sweep_dir = Path(self.config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        size = self.max_batch_size if self.max_batch_size and self.max_batch_size > 0 else None
        size = size or max(1, len(jobs))
        returns = []
        for start in range(0, len(jobs), size):
            results = self.launcher.launch(jobs[start : start + size], initial_job_idx=start)
            for result in results:
                _ = result.return_value  # raises a job's failure, as the basic sweeper does
            returns.append(results)
        return returns

    def jobs(self, lines: list[str]) -> list[list[str]]:
        """The overrides of every job: the product of each key's values, the first key
        slowest; a later line for a key replaces an earlier one."""
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        values: dict[str, list[str]] = {}
        for override in parser.parse_overrides(lines):
            key = override.get_key_element()
            if not override.is_sweep_override():
                values[key] = [f"{key}={override.get_value_element_as_str()}"]
            elif override.is_discrete_sweep():
                values[key] = [f"{key}={v}" for v in override.sweep_string_iterator()]
            else:
                raise HydraException(
                    f"{override.input_line}: expected a list of values (a,b,c or range), got a "
                    f"{override.value_type.name} sweep, which hydra/sweeper=gigbench cannot "
                    "enumerate"
                )
        return [list(job) for job in itertools.product(*values.values())]
