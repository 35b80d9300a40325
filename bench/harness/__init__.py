"""The harness: CLI shell, composition and checks, isolation and claims, rows, collect.

Floor: above ``bench.sim`` (reached through :mod:`bench.harness.simulation` only), below
``bench.report`` and ``bench.perf``. Modules here import heavy libraries (Hydra, pyarrow,
numba) inside functions, so ``gigbench --help`` stays cheap.
"""
