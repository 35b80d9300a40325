"""Plugins for gigbench from outside: a first-fit solver, a per-km fare, a driver-surplus
objective and a uniform city generator, each declared as an entry point in pyproject.toml."""
