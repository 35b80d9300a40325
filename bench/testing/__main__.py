"""``python -m gigbench.testing KIND NAME``: the same as ``gigbench-conformance KIND NAME``."""

from gigbench.testing.cli import main

main()
