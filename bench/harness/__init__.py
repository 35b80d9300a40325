"""The harness: CLI shell, composition and checks, isolation and claims, rows, collect.

Floor: above ``gigbench.sim`` (reached through :mod:`gigbench.harness.simulation` only), below
``gigbench.report`` and ``gigbench.perf``. Modules here import heavy libraries (Hydra, pyarrow,
numba) inside functions, so ``gigbench --help`` stays cheap.
"""
