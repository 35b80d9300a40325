"""The one place that owns numba's jit options for gigbench's kernels."""

from __future__ import annotations

import numba

# cache=True: a fresh process reuses compiled kernels; no fastmath, so results are reproducible.
jit = numba.njit(cache=True, nogil=True)
