"""Check gigbench's import floors (the import-linter contracts in pyproject.toml) on the package
as it installs.

import-linter reads a package from one folder, but the source maps solvers/, instances/ and
configs/ into ``gigbench`` from beside bench/ (pyproject's package-dir): this lays the package
out as a wheel holds it, in a temporary folder, and runs ``lint-imports`` on that copy.

    python tests/import_floors.py      # what .ci/run runs; exits with lint-imports' code
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lay_out(dest: Path, root: Path = ROOT) -> Path:
    """Copy the source into ``dest`` as the installed package: each package-dir folder of
    ``root``'s pyproject.toml at its module path (``gigbench.solvers`` -> gigbench/solvers)."""
    mapping = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    # Parents first, so that gigbench/ exists before gigbench/solvers/ is copied into it.
    for name, folder in sorted(mapping["package-dir"].items(), key=lambda item: item[0]):
        shutil.copytree(
            root / folder,
            dest.joinpath(*name.split(".")),
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    return dest


def lint(tree: Path, root: Path = ROOT) -> subprocess.CompletedProcess:
    """``lint-imports`` with the contracts of ``root``'s pyproject.toml (read from the current
    folder) on the package laid out in ``tree``."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=root,
        env=dict(os.environ, PYTHONPATH=str(tree.resolve())),
        capture_output=True,
        text=True,
        timeout=300,
    )


def main() -> int:
    """Lay the package out in a temporary folder, lint it, print the report; its exit code."""
    with tempfile.TemporaryDirectory(prefix="gigbench-floors-") as folder:
        out = lint(lay_out(Path(folder)))
    print(out.stdout, end="")
    print(out.stderr, end="", file=sys.stderr)
    return out.returncode


if __name__ == "__main__":
    sys.exit(main())
