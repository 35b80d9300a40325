"""Trip-log replay: NYC TLC (yellow, green, high-volume FHV, every era) and Chicago TNP records.

Owns reading raw trip files (:mod:`.read`, :mod:`.sources`), cleaning with a fate for every
row (:mod:`.clean`, :mod:`.report`), zones (:mod:`.zones`), the replayed window
(:mod:`.window`), the synthetic fleet (:mod:`.supply`), the day-partitioned dataset
(:mod:`.dataset`, :mod:`.prepare`) and the assembly into a Scenario (:mod:`.replay`).
Imports only ``instances`` (never ``bench`` or ``solvers``).
"""

from gigbench.instances.tlc.clean import Bounds
from gigbench.instances.tlc.params import ReplayError, ReplayParams
from gigbench.instances.tlc.replay import generate_replay, replay
from gigbench.instances.tlc.report import RowReport
from gigbench.instances.tlc.zones import ZoneTable, read_zones

__all__ = [
    "Bounds",
    "ReplayError",
    "ReplayParams",
    "RowReport",
    "ZoneTable",
    "generate_replay",
    "read_zones",
    "replay",
]
