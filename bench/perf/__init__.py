"""Benchmarks against peers and the CI performance gates (``gigbench-perf``)."""

import os

# Every perf figure is of compiled kernels: the interpreted path that spares small runs numba's
# load (gigbench.solvers._jit) would time the interpreter on the first small problems of a case.
os.environ.setdefault("GIGBENCH_JIT", "always")
