"""gigbench's market data: scenarios (task requests and worker shifts), generators, file formats.

``instances`` never imports ``bench``; from ``solvers`` it takes only the generic lazy
registry (``gigbench.solvers.registry``). It only describes demand and supply.
"""

from gigbench.instances.city import CityParams, generate_city
from gigbench.instances.generators import UnknownNameError, available_generators, generate
from gigbench.instances.meta import Geography, ScenarioMeta
from gigbench.instances.orlib import OrlibFormatError, OrlibInstance, read_orlib
from gigbench.instances.scenario import (
    SCHEMA_VERSION,
    TASK_SCHEMA,
    WORKER_SCHEMA,
    Scenario,
    ScenarioError,
    load_scenario,
    save_scenario,
    validate_tables,
)
from gigbench.instances.tariffs import TARIFFS, Tariff

__all__ = [
    "SCHEMA_VERSION",
    "TARIFFS",
    "TASK_SCHEMA",
    "WORKER_SCHEMA",
    "CityParams",
    "Geography",
    "OrlibFormatError",
    "OrlibInstance",
    "Scenario",
    "ScenarioError",
    "ScenarioMeta",
    "Tariff",
    "UnknownNameError",
    "available_generators",
    "generate",
    "generate_city",
    "load_scenario",
    "read_orlib",
    "save_scenario",
    "validate_tables",
]
