"""The economics the simulation's stages plug in: fares and commission, pricing policies,
objectives, repositioning, supply, and the efficiency and fairness formulas.

Every pluggable kind is a registry of small classes (:mod:`gigbench.market.plugin`), each with a
frozen ``Params`` dataclass that is also its Hydra schema. Nothing here imports ``gigbench.sim`` or
the harness: plugins see plain arrays in small view objects and return plain arrays.
"""
