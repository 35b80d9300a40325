"""The trip-record schemas this package reads: which column plays which role, per source.

Column names are matched case-insensitively; the first candidate present wins.

================  =========================================================================
role              accepted names (service that uses them)
================  =========================================================================
pickup            ``tpep_pickup_datetime`` (yellow 2015+), ``lpep_pickup_datetime`` (green),
                  ``pickup_datetime`` (yellow 2010-2014, FHV, HVFHV),
                  ``Trip_Pickup_DateTime`` (yellow 2009), ``trip_start_timestamp`` (Chicago)
dropoff           the same with ``dropoff`` / ``Trip_Dropoff_DateTime`` /
                  ``trip_end_timestamp``
request           ``request_datetime`` (HVFHV only)
on_scene          ``on_scene_datetime`` (HVFHV only; null on Lyft trips)
pu, do            ``PULocationID`` / ``DOLocationID`` (TLC zones, from mid-2016),
                  ``pickup_community_area`` / ``dropoff_community_area`` (Chicago)
pu_lon ... do_lat ``pickup_longitude`` ... (yellow and green before mid-2016), ``Start_Lon`` ...
                  (yellow 2009), ``pickup_centroid_longitude`` ... (Chicago)
miles             ``trip_distance``, ``trip_miles``, ``Trip_Distance``
fare              ``fare_amount``, ``base_passenger_fare``, ``Fare_Amt``, ``fare``
tips              ``tip_amount``, ``tips``, ``Tip_Amt``, ``tip``
driver_pay        ``driver_pay`` (HVFHV only)
seconds           ``trip_seconds`` (Chicago: its timestamps are rounded to 15 minutes, its
                  trip seconds are not, so the drop-off is pick-up + ``trip_seconds``)
================  =========================================================================

Names are compared lower-cased with runs of spaces as ``_``, so the Chicago portal's CSV
download (``Trip Start Timestamp``) and its API names (``trip_start_timestamp``) both work.

Every other column of the TLC and Chicago data dictionaries listed in :data:`CHECKED` is
parsed too (numbers, ``Y``/``N`` flags, ``true``/``false``): a cell that does not parse drops
its row as ``unparseable_<column>``, whichever column it is in. Unknown columns are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gigbench.instances.tlc.params import ReplayError

__all__ = ["CHECKED", "ROLES", "Layout", "normal_name", "resolve"]

ROLES: dict[str, tuple[str, ...]] = {
    "pickup": (
        "tpep_pickup_datetime",
        "lpep_pickup_datetime",
        "pickup_datetime",
        "trip_pickup_datetime",
        "trip_start_timestamp",
    ),
    "dropoff": (
        "tpep_dropoff_datetime",
        "lpep_dropoff_datetime",
        "dropoff_datetime",
        "trip_dropoff_datetime",
        "trip_end_timestamp",
    ),
    "request": ("request_datetime",),
    "on_scene": ("on_scene_datetime",),
    "pu": ("pulocationid", "pickup_community_area"),
    "do": ("dolocationid", "dropoff_community_area"),
    "pu_lon": ("pickup_longitude", "start_lon", "pickup_centroid_longitude"),
    "pu_lat": ("pickup_latitude", "start_lat", "pickup_centroid_latitude"),
    "do_lon": ("dropoff_longitude", "end_lon", "dropoff_centroid_longitude"),
    "do_lat": ("dropoff_latitude", "end_lat", "dropoff_centroid_latitude"),
    "miles": ("trip_distance", "trip_miles"),
    "fare": ("fare_amount", "base_passenger_fare", "fare_amt", "fare"),
    "tips": ("tip_amount", "tips", "tip_amt", "tip"),
    "driver_pay": ("driver_pay",),
    "seconds": ("trip_seconds",),
}
TIME_ROLES = ("pickup", "dropoff", "request", "on_scene")
_REQUIRED = ("pickup", "dropoff", "miles", "fare")
_POINTS = ("pu_lon", "pu_lat", "do_lon", "do_lat")

# Other dictionary columns, parsed for robustness only: name -> kind.
CHECKED: dict[str, str] = {
    **dict.fromkeys(
        (
            "vendorid",
            "passenger_count",
            "ratecodeid",
            "rate_code",
            "payment_type",
            "extra",
            "surcharge",
            "mta_tax",
            "tolls_amount",
            "tolls_amt",
            "improvement_surcharge",
            "total_amount",
            "total_amt",
            "congestion_surcharge",
            "airport_fee",
            "cbd_congestion_fee",
            "ehail_fee",
            "trip_type",
            "trip_time",
            "tolls",
            "bcf",
            "sales_tax",
            "additional_charges",
            "trip_total",
            "trips_pooled",
            "pickup_census_tract",
            "dropoff_census_tract",
        ),
        "number",
    ),
    **dict.fromkeys(
        (
            "store_and_fwd_flag",
            "shared_request_flag",
            "shared_match_flag",
            "access_a_ride_flag",
            "wav_request_flag",
            "wav_match_flag",
        ),
        "flag",
    ),
    "shared_trip_authorized": "bool",
}


@dataclass(frozen=True)
class Layout:
    """One file's columns: role -> column name, checked column -> kind, and its service."""

    service: str
    roles: dict[str, str]
    checked: dict[str, str]

    @property
    def time_column(self) -> str:
        """The column that places a trip in time: the request where recorded, else pick-up."""
        return self.roles.get("request", self.roles["pickup"])

    @property
    def has_zones(self) -> bool:
        """Zone ids in the file (otherwise points, mapped to zones)."""
        return "pu" in self.roles and "do" in self.roles


def normal_name(name: str) -> str:
    """A column name as matched: lower case, runs of spaces as ``_``."""
    return re.sub(r"\s+", "_", name.strip().lower())


def _service(roles: dict[str, str]) -> str:
    pickup = normal_name(roles["pickup"])
    if pickup == "trip_start_timestamp":
        return "chicago_tnp"
    if "request" in roles:
        return "fhvhv"
    if pickup.startswith("lpep"):
        return "green"
    return "yellow"


def resolve(file: Path, names: list[str]) -> Layout:
    """The layout of a file with columns ``names``; a missing role raises a ReplayError."""
    lower: dict[str, str] = {}
    for name in names:
        lower.setdefault(normal_name(name), name)
    roles = {}
    for role, candidates in ROLES.items():
        found = [lower[c] for c in candidates if c in lower]
        if found:
            roles[role] = found[0]
    for role in _REQUIRED:
        if role not in roles:
            want = " or ".join(ROLES[role])
            raise ReplayError(
                f"{file}: missing the {role} column: expected {want} (TLC yellow, green or "
                f"high-volume FHV, or Chicago TNP trip records), got columns "
                f"{', '.join(names) or 'none'}; pass an unmodified trip file (FHV files "
                "without trip distance and fare cannot be replayed)"
            )
    has_points = all(role in roles for role in _POINTS)
    if not (("pu" in roles and "do" in roles) or has_points):
        raise ReplayError(
            f"{file}: missing the pu column: expected pulocationid and dolocationid (or "
            "pickup_longitude, pickup_latitude, dropoff_longitude, dropoff_latitude before "
            f"mid-2016), got columns {', '.join(names)}; pass an unmodified TLC trip file"
        )
    checked = {lower[c]: kind for c, kind in CHECKED.items() if c in lower}
    return Layout(service=_service(roles), roles=roles, checked=checked)
