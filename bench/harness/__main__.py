"""``python -m gigbench.harness`` is ``gigbench``."""

from gigbench.harness.cli import main

main()
