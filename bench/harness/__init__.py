"""The harness: CLI shell, composition and checks, isolation and claims, rows, collect.

Floor: above ``bench.sim`` (today ``bench.simulate`` through :mod:`bench.harness.simulation`,
the one module that knows the simulation's settings), below ``bench.report`` and
``bench.perf``. Modules here import heavy libraries (Hydra, pyarrow, numba) inside functions,
so ``gigbench --help`` stays cheap.
"""
