"""``python -m bench.harness`` is ``gigbench``."""

from bench.harness.cli import main

main()
