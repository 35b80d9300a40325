"""Where gigbench's own files are: the config tree, its groups, and the source checkout if any.

Bottom floor: imports nothing from ``gigbench``. The config tree is the package
``gigbench.configs``, read through :mod:`importlib.resources`, so a wheel, an editable install
and a checkout find the same files whatever the current folder is. Every reader goes through
here: files with :func:`config_tree`, Hydra's ``@hydra.main`` with :data:`HYDRA_CONFIG_PATH`,
Hydra's compose API with :func:`hydra_compose`.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

__all__ = [
    "CONFIG_PACKAGE",
    "HYDRA_CONFIG_PATH",
    "config_groups",
    "config_options",
    "config_tree",
    "hydra_compose",
    "main_defaults",
    "source_checkout",
]

CONFIG_PACKAGE = "gigbench.configs"
HYDRA_CONFIG_PATH = f"pkg://{CONFIG_PACKAGE}"  # Hydra's documented form for a package's configs
MAIN_CONFIG = "config"


def config_tree() -> Traversable:
    """The root of the config tree (``config.yaml`` and one folder per group)."""
    return files(CONFIG_PACKAGE)


def hydra_compose() -> AbstractContextManager[Any]:
    """Hydra's compose API initialised on the config tree:
    ``with hydra_compose(): cfg = compose(config_name="config", overrides=[...])``."""
    from hydra import initialize_config_module

    return initialize_config_module(config_module=CONFIG_PACKAGE, version_base="1.3")


def main_defaults() -> dict[str, str]:
    """The main config's defaults list as group -> default option (Hydra's own groups left out),
    read as text: ``--help`` stays instant, without importing Hydra."""
    text = config_tree().joinpath(f"{MAIN_CONFIG}.yaml").read_text(encoding="utf-8")
    return dict(re.findall(r"^\s+- (\w+): (\w+)", text, re.M))


def config_options(*group: str) -> list[str]:
    """The options of a config group (the ``.yaml`` files of its folder), sorted; e.g.
    ``config_options("solver")``, ``config_options("hydra", "launcher")``."""
    folder = config_tree().joinpath(*group)
    if not folder.is_dir():
        return []
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".yaml")
    )


def config_groups() -> dict[str, list[str]]:
    """The groups of the main config with their options, plus ``experiment`` (selected with
    ``+experiment=``); folders that hold no option of the main config are not groups."""
    return {group: config_options(group) for group in [*main_defaults(), "experiment"]}


def source_checkout() -> Path | None:
    """The root of the source checkout gigbench runs from (an editable install of a clone), or
    None when it runs from an installed wheel. Files that belong in version control (the perf
    gate's expected values and baseline) are written back there, never into site-packages."""
    package = files("gigbench")
    if not isinstance(package, Path):
        return None
    root = package.resolve().parent
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file() or not (root / CONFIG_PACKAGE.split(".")[1]).is_dir():
        return None
    return root if re.search(r'^name = "gigbench"$', pyproject.read_text(), re.M) else None
