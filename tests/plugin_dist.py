"""Distributions made on the spot, for tests: a folder holding modules and a
``NAME-VERSION.dist-info/`` with ``METADATA`` and ``entry_points.txt`` is, to
``importlib.metadata``, an installed distribution once the folder is on ``sys.path`` (or
``PYTHONPATH``): its entry points are found exactly as pip-installed ones are, without touching
the shared environment.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "gigbench-example"


def write_distribution(
    folder: Path,
    name: str,
    entry_points: dict[str, dict[str, str]],
    version: str = "0.1",
    modules: dict[str, str] | None = None,
) -> Path:
    """Make ``folder`` hold the distribution ``name`` with ``entry_points`` (group -> entry
    name -> ``module:attribute``) and ``modules`` (module name -> source); ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    sections = [
        f"[{group}]\n" + "".join(f"{entry} = {target}\n" for entry, target in entries.items())
        for group, entries in entry_points.items()
    ]
    (info / "entry_points.txt").write_text("\n".join(sections))
    for module, source in (modules or {}).items():
        (folder / f"{module}.py").write_text(source)
    return folder


def example_entry_points() -> dict[str, dict[str, str]]:
    """The entry points the example package declares in its pyproject.toml."""
    project = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())["project"]
    return project["entry-points"]


def example_as_distribution(folder: Path) -> list[Path]:
    """The example package's source, unbuilt, as a distribution: the folders to put on
    ``sys.path`` (its ``src`` and a ``dist-info`` beside it in ``folder``)."""
    write_distribution(folder, "gigbench-example", example_entry_points(), "0.1.0")
    return [folder, EXAMPLE / "src"]
