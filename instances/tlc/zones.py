"""Zones and the km plane: the zone table, its projection, and mapping recorded points to zones.

A zone table is a ``LocationID, lon, lat`` CSV (one point per zone), or the name of one that
gigbench ships (:data:`SHIPPED_ZONES`: ``nyc``, the TLC's zones, see ``data/README.md``). It
is projected to a
local km plane: equirectangular around the table's mean latitude, origin ``margin_km``
south-west of the westernmost and southernmost zone. Sources that carry points but no zone
table (Chicago's TNP trips) get the same plane around their own points (:meth:`Plane.around`).

Pre-2016 yellow and green files carry longitude and latitude instead of zone ids. Two methods
map them (the method is recorded in the row report):

- ``polygon``: point-in-polygon against zone shapes (a GeoJSON ``FeatureCollection`` in
  WGS84 whose features carry ``LocationID``; convert the TLC shapefile with
  ``ogr2ogr -t_srs EPSG:4326 taxi_zones.geojson taxi_zones.shp``), with shapely's STRtree;
- ``centroid``: the nearest zone point, when no shapes are given.

A point in no polygon, or farther than ``max_zone_km`` from every zone point, is outside
every zone: its row is dropped as ``outside_zones`` and counted. Points at (0, 0), common in
the old files, and NaN points are ``null_point``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from dataclasses import dataclass
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np

from gigbench.instances.tlc.params import ReplayError

__all__ = [
    "KM_PER_DEG_LAT",
    "PSEUDO_ZONES",
    "SHIPPED_ZONES",
    "Plane",
    "ZoneMapper",
    "ZoneTable",
    "csv_header",
    "read_zone_shapes",
    "read_zones",
    "shipped_zones",
]

KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_EQUATOR = 111.320
PSEUDO_ZONES = (264, 265)  # "Unknown" and "Outside of NYC" in the TLC zone lookup
# Zone tables shipped in data/ (name -> file); data/README.md gives their source and terms.
SHIPPED_ZONES = {"nyc": "taxi_zone_centroids.csv"}


@dataclass(frozen=True)
class Plane:
    """An equirectangular km plane: ``x = (lon - lon0) * kx``, ``y = (lat - lat0) * ky``."""

    lon0: float
    lat0: float
    kx: float  # km per degree of longitude at the reference latitude
    width_km: float
    height_km: float

    @staticmethod
    def around(lon: np.ndarray, lat: np.ndarray, margin_km: float) -> Plane:
        """The plane whose origin is ``margin_km`` south-west of the points' bounding box."""
        kx = KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(float(np.mean(lat))))
        lon0 = float(np.min(lon)) - margin_km / kx
        lat0 = float(np.min(lat)) - margin_km / KM_PER_DEG_LAT
        return Plane(
            lon0=lon0,
            lat0=lat0,
            kx=kx,
            width_km=(float(np.max(lon)) - lon0) * kx + margin_km,
            height_km=(float(np.max(lat)) - lat0) * KM_PER_DEG_LAT + margin_km,
        )

    def xy(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Degrees to plane km."""
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * KM_PER_DEG_LAT

    def lon_lat(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Plane km back to degrees."""
        return self.lon0 + x / self.kx, self.lat0 + y / KM_PER_DEG_LAT

    def meta(self) -> dict[str, float]:
        """The reference stored in ``meta["projection"]``."""
        return {
            "lon0": self.lon0,
            "lat0": self.lat0,
            "km_per_deg_lon": self.kx,
            "km_per_deg_lat": KM_PER_DEG_LAT,
        }


@dataclass(frozen=True)
class ZoneTable:
    """Zone points on a km plane. ``x[id]``, ``y[id]`` are NaN for unknown ids."""

    path: str
    ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    x: np.ndarray
    y: np.ndarray
    plane: Plane

    @property
    def n_zones(self) -> int:
        """Zones in the table."""
        return len(self.ids)

    def known(self, ids: np.ndarray) -> np.ndarray:
        """Which ids have a point (pseudo-zones 264/265 never do)."""
        ok = (ids >= 0) & (ids < len(self.x))
        ok[ok] = ~np.isnan(self.x[ids[ok]])
        return ok & ~np.isin(ids, PSEUDO_ZONES)


def csv_header(file: Path, what: str) -> list[str]:
    """The header of a UTF-8 CSV; undecodable bytes raise a ReplayError naming the fix."""
    try:
        with open(file, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise ReplayError(f"{file}: cannot read the {what} ({exc}); check the path") from None
    if file.suffix == ".gz" or head[:2] == b"\x1f\x8b":
        import gzip
        import zlib

        try:
            with gzip.open(file, "rb") as handle:
                head = handle.read(1 << 16)
        except (OSError, EOFError, zlib.error) as exc:
            raise ReplayError(
                f"{file}: {what}: expected gzip-compressed CSV (the file starts like gzip), got "
                f"a corrupt or truncated stream ({exc or type(exc).__name__}); download it again"
            ) from None
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReplayError(
            f"{file}: {what}: expected UTF-8 text, got undecodable bytes in the header "
            f"({exc.reason} at byte {exc.start}); re-encode it, e.g. "
            f"iconv -f UTF-16 -t UTF-8 (or -f LATIN1), or convert it to Parquet"
        ) from None
    if "\x00" in text:
        raise ReplayError(
            f"{file}: {what}: expected a UTF-8 CSV, got NUL bytes (UTF-16 or a binary file); "
            "re-encode it with iconv -f UTF-16 -t UTF-8 or pass the Parquet file itself"
        )
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:  # e.g. a bare carriage return inside the header line
        raise ReplayError(
            f"{file}: {what}: expected a comma-separated header line, got one that does not "
            f"parse ({exc}); pass the file unmodified (lines end in \\n or \\r\\n)"
        ) from None
    return [name.strip().lstrip("\ufeff") for name in header]


def shipped_zones(name: str) -> Traversable:
    """The zone table that gigbench ships under ``name`` (a package resource), or a
    :class:`ReplayError` listing the names."""
    if name not in SHIPPED_ZONES:
        raise ReplayError(
            f"zone table {name!r}: expected a shipped table ({', '.join(SHIPPED_ZONES)}) or a "
            "CSV file; pass zones=nyc or zones=<LocationID,lon,lat CSV>"
        )
    return files(__package__).joinpath("data", SHIPPED_ZONES[name])


def read_zones(path: str | os.PathLike[str], margin_km: float = 1.2) -> ZoneTable:
    """Read a ``LocationID, lon, lat`` CSV, or the shipped table named ``path``
    (:data:`SHIPPED_ZONES`), and project it to a km plane (see module docs).

    >>> read_zones("nyc").n_zones
    263
    """
    if str(path) in SHIPPED_ZONES:
        with as_file(shipped_zones(str(path))) as file:
            return _read_zone_file(file, margin_km)
    return _read_zone_file(Path(path), margin_km)


def _read_zone_file(file: Path, margin_km: float) -> ZoneTable:
    fix = "give a CSV with header LocationID,lon,lat (one row per zone, degrees WGS84)"
    if not file.is_file():
        raise ReplayError(
            f"{file}: zone table not found; expected a CSV file or a shipped table "
            f"({', '.join(SHIPPED_ZONES)}); {fix}"
        )
    names = csv_header(file, "zone table")
    lower = {name.lower(): name for name in names}
    missing = [n for n in ("locationid", "lon", "lat") if n not in lower]
    if missing:
        raise ReplayError(
            f"{file}: zone table: missing column(s) {', '.join(missing)}; expected LocationID, "
            f"lon, lat; got {', '.join(names) or 'no header'}; {fix}"
        )
    columns = [names.index(lower[key]) for key in ("locationid", "lon", "lat")]
    rows = []
    try:
        with open(file, encoding="utf-8-sig", newline="") as handle:
            for line, record in enumerate(csv.reader(handle)):
                if line == 0 or not record:
                    continue
                cells = [record[i].strip() for i in columns]
                rows.append((int(float(cells[0])), float(cells[1]), float(cells[2])))
    except (ValueError, IndexError, UnicodeDecodeError) as exc:
        raise ReplayError(
            f"{file}: zone table: expected integer LocationID and numeric lon, lat, got an "
            f"unreadable value ({exc}); {fix}"
        ) from None
    table = np.asarray(rows, dtype=np.float64).reshape(-1, 3)
    ids, lon, lat = table[:, 0].astype(np.int64), table[:, 1], table[:, 2]
    if len(rows) == 0:
        raise ReplayError(f"{file}: zone table: expected at least one zone, got none; {fix}")
    bad = ~np.isfinite(lon) | ~np.isfinite(lat) | (np.abs(lat) > 90) | (np.abs(lon) > 180)
    bad |= ids < 0
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ReplayError(
            f"{file}: zone table: row {row + 2}: expected LocationID >= 0, lon in [-180, 180], "
            f"lat in [-90, 90], got {ids[row]}, {lon[row]}, {lat[row]}; {fix}"
        )
    unique, counts = np.unique(ids, return_counts=True)
    if (counts > 1).any():
        raise ReplayError(
            f"{file}: zone table: expected one row per LocationID, got duplicates "
            f"{unique[counts > 1][:5].tolist()}; keep one point per zone"
        )
    plane = Plane.around(lon, lat, margin_km)
    x = np.full(int(ids.max()) + 1, np.nan)
    y = np.full_like(x, np.nan)
    x[ids], y[ids] = plane.xy(lon, lat)
    return ZoneTable(path=str(file), ids=ids, lon=lon, lat=lat, x=x, y=y, plane=plane)


def read_zone_shapes(path: str | os.PathLike[str]) -> tuple[np.ndarray, list]:
    """Zone ids and shapely polygons of a GeoJSON FeatureCollection (WGS84, ``LocationID``)."""
    import shapely.geometry

    file = Path(path)
    fix = (
        "give a GeoJSON FeatureCollection in WGS84 with a LocationID property per feature "
        "(ogr2ogr -t_srs EPSG:4326 taxi_zones.geojson taxi_zones.shp)"
    )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        features = data["features"]
        ids, shapes = [], []
        for feature in features:
            props = {k.lower(): v for k, v in (feature.get("properties") or {}).items()}
            zone = props.get("locationid", props.get("location_id"))
            ids.append(int(zone))
            shapes.append(shapely.geometry.shape(feature["geometry"]))
    except FileNotFoundError:
        raise ReplayError(f"{file}: zone shapes not found; {fix}") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ReplayError(
            f"{file}: zone shapes: expected GeoJSON features with a LocationID, got "
            f"{type(exc).__name__}: {exc}; {fix}"
        ) from None
    if not shapes:
        raise ReplayError(f"{file}: zone shapes: expected at least one feature, got none; {fix}")
    return np.asarray(ids, dtype=np.int64), shapes


class ZoneMapper:
    """Map recorded points to zone ids by polygon (``shapes`` given) or nearest zone point."""

    def __init__(self, zones: ZoneTable, shapes: str = "", max_zone_km: float = 3.0) -> None:
        self.zones = zones
        self.shapes = shapes
        self.max_zone_km = max_zone_km
        self.method = "polygon" if shapes else "centroid"
        self._index = None  # built on first use: most files carry zone ids

    def _tree(self):  # -> shapely.STRtree or scipy.spatial.cKDTree
        if self._index is None:
            if self.shapes:
                import shapely

                self._ids, polygons = read_zone_shapes(self.shapes)
                self._index = shapely.STRtree(polygons)
            else:
                from scipy.spatial import cKDTree

                zones = self.zones
                self._index = cKDTree(np.column_stack(zones.plane.xy(zones.lon, zones.lat)))
        return self._index

    def __call__(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Zone id per point; -1 outside every zone. Points must be finite."""
        out = np.full(len(lon), -1, dtype=np.int64)
        if len(lon) == 0:
            return out
        if self.method == "polygon":
            import shapely

            points = shapely.points(lon, lat)
            which, hit = self._tree().query(points, predicate="within")
            out[which] = self._ids[hit]  # a point on a shared border takes the last zone
            return out
        x, y = self.zones.plane.xy(lon, lat)
        dist, hit = self._tree().query(np.column_stack([x, y]))
        near = dist <= self.max_zone_km
        out[near] = self.zones.ids[hit[near]]
        return out
