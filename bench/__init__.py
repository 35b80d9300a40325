"""gigbench's harness: economics (pricing, objectives), simulation, metrics, runs and reports."""
