"""Benchmarks against peers and the CI performance gates (``gigbench-perf``)."""
