"""``gigbench-tlc-prepare-job``: one prepare job (a month, a file) per Hydra job.

The shell of ``configs/tlc/prepare.yaml``; the work is
:func:`gigbench.instances.tlc.prepare.prepare`.
With ``-m`` and a launcher (``hydra/launcher=slurm``, ``ray_cluster`` or ``joblib``) each month
becomes one job on the cluster; see the config file for the command.
"""

from __future__ import annotations

import sys

import hydra
from omegaconf import DictConfig, OmegaConf

from gigbench.instances.tlc.clean import Bounds
from gigbench.instances.tlc.params import ReplayError
from gigbench.instances.tlc.prepare import PrepareSettings, prepare, summarise
from gigbench.instances.tlc.read import Engine
from gigbench.resources import HYDRA_CONFIG_PATH

__all__ = ["main", "run_job"]


def run_job(cfg: DictConfig) -> int:
    """Prepare the input of one job; the exit code (0, or 2 when a file failed)."""
    bounds = OmegaConf.to_container(cfg.bounds)
    settings = PrepareSettings(
        out=cfg.out,
        zones=cfg.zones,
        zone_shapes=cfg.zone_shapes,
        max_zone_km=float(cfg.max_zone_km),
        bounds=Bounds(**{str(k): float(v) for k, v in bounds.items()}),
        engine=Engine(
            memory_mb=int(cfg.memory_mb), batch_rows=int(cfg.batch_rows), temp_dir=cfg.temp_dir
        ),
    )
    return summarise(prepare([str(cfg.input)], settings))


@hydra.main(config_path=HYDRA_CONFIG_PATH, config_name="tlc/prepare", version_base="1.3")
def _hydra_main(cfg: DictConfig) -> None:
    try:
        code = run_job(cfg)
    except (ReplayError, ValueError, TypeError) as exc:
        print(f"gigbench-tlc-prepare-job: error: {exc}", file=sys.stderr)
        sys.exit(2)
    if code:
        sys.exit(code)


def main() -> None:
    """Console entry point ``gigbench-tlc-prepare-job``."""
    _hydra_main()


if __name__ == "__main__":
    main()
