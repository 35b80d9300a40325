"""``gigbench-tlc-prepare``: raw trip files of any schema and era -> one day-partitioned dataset.

    gigbench-tlc-prepare yellow_tripdata_2014-*.csv fhvhv_tripdata_2024-*.parquet \\
        --out trips/ --zones nyc --jobs 2 --memory-mb 1024

Each input file is streamed through the reader (:mod:`gigbench.instances.tlc.read`) and the cleaner
(:mod:`gigbench.instances.tlc.clean`) and its kept trips are written to the dataset's partitions
(:mod:`gigbench.instances.tlc.dataset`), with ``_reports/<hash>.json`` saying where each of its rows
went. Files are independent: ``--jobs N`` runs N at once (processes), each with
``--memory-mb / N`` for DuckDB and one batch of ``--batch-rows`` rows in Python. A file whose
report exists (same content hash) is skipped, so re-running after a crash or with new months
only does the missing work. ``--zones`` is needed for pre-2016 files (points mapped to zones)
and makes unknown zone ids a drop reason; ``--bound max_fare=500`` changes a bound.

For a cluster, ``gigbench-tlc-prepare-job`` (:mod:`gigbench.instances.tlc.prepare_app`) is the same
work as one Hydra job per month, through the launchers the sweeps use.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gigbench.instances.tlc.clean import Bounds, Cleaner, check_order
from gigbench.instances.tlc.dataset import (
    DATASET_SCHEMA,
    FORMAT_VERSION,
    MARKER,
    PartWriter,
    write_json_atomic,
)
from gigbench.instances.tlc.params import ReplayError
from gigbench.instances.tlc.read import Engine, TripFile, trip_files
from gigbench.instances.tlc.report import RowReport
from gigbench.instances.tlc.zones import ZoneMapper, read_zones

__all__ = ["PrepareSettings", "main", "prepare", "prepare_file"]


@dataclass(frozen=True)
class PrepareSettings:
    """What every file of one prepare run shares."""

    out: str
    zones: str = ""
    zone_shapes: str = ""
    max_zone_km: float = 3.0
    bounds: Bounds = dataclasses.field(default_factory=Bounds)
    engine: Engine = dataclasses.field(default_factory=Engine)


def content_hash(file: Path) -> str:
    """SHA-256 of the file's bytes, hex."""
    with open(file, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _report_path(root: Path, digest: str) -> Path:
    return root / "_reports" / f"{digest[:16]}.json"


def _mark(root: Path) -> None:
    marker = root / MARKER
    if not marker.is_file():
        root.mkdir(parents=True, exist_ok=True)
        write_json_atomic(
            {
                "format": "gigbench-tlc",
                "version": FORMAT_VERSION,
                "partitioning": ["service", "date"],
                "columns": {f.name: str(f.type) for f in DATASET_SCHEMA},
            },
            marker,
        )
    (root / "_reports").mkdir(exist_ok=True)


def prepare_file(file: Path, settings: PrepareSettings) -> dict[str, Any]:
    """Prepare one input file (or skip it when its report exists); returns its report."""
    root = Path(settings.out)
    digest = content_hash(file)
    done = _report_path(root, digest)
    if done.is_file():
        return {**json.loads(done.read_text()), "skipped": True}
    started = time.perf_counter()
    zones = mapper = None
    if settings.zones:
        zones = read_zones(settings.zones)
        mapper = ZoneMapper(zones, settings.zone_shapes, settings.max_zone_km)
    trip_file = TripFile(file)
    layout = trip_file.layout
    if not layout.has_zones and mapper is None:
        raise ReplayError(
            f"{file}: trip ends are longitude/latitude points (a pre-2016 file), expected a "
            "zone table to map them to zones; pass --zones nyc (and "
            "--zone-shapes <GeoJSON> for point-in-polygon)"
        )
    cleaner = Cleaner(settings.bounds, zones, mapper)
    report = RowReport()
    writer = PartWriter(root, layout.service, digest[:16])
    try:
        for batch in trip_file.batches(settings.engine, report):
            check_order(file, layout, batch)
            keep = cleaner.keep(
                batch,
                report,
                needs_request="request" in layout.roles,
                has_zones=layout.has_zones,
            )
            report.kept_rows += int(keep.sum())
            writer.write(batch.take(keep))
        report.check()
        days = writer.commit()
    except BaseException:
        writer.abort()
        raise
    result = {
        **report.as_dict(),
        "file": str(file),
        "sha256": digest,
        "service": layout.service,
        "zone_ids": "recorded" if layout.has_zones else f"mapped ({mapper.method})",
        "days": days,
        "seconds": round(time.perf_counter() - started, 3),
    }
    write_json_atomic(result, done)
    return result


def _job(args: tuple[Path, PrepareSettings]) -> dict[str, Any]:
    file, settings = args
    try:
        return prepare_file(file, settings)
    except ReplayError as exc:
        return {"file": str(file), "error": str(exc)}


def prepare(inputs: list[str], settings: PrepareSettings, jobs: int = 1) -> list[dict[str, Any]]:
    """Prepare every file named by ``inputs`` (files, folders, globs); one report per file.

    A file that cannot be read at all gives ``{"file", "error"}`` instead of stopping the
    others. With ``jobs > 1`` files run in that many processes, each with a 1/jobs share of
    the memory setting.
    """
    files = list(dict.fromkeys(f for spec in inputs for f in trip_files(spec)))
    _mark(Path(settings.out))
    if jobs <= 1 or len(files) <= 1:
        return [_job((f, settings)) for f in files]
    share = dataclasses.replace(
        settings,
        engine=dataclasses.replace(
            settings.engine, memory_mb=max(64, settings.engine.memory_mb // jobs), threads=1
        ),
    )
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_job, [(f, share) for f in files]))


def _bounds(pairs: list[str]) -> Bounds:
    valid = {f.name for f in dataclasses.fields(Bounds)}
    values = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in valid:
            raise ValueError(
                f"--bound {pair}: expected one of {', '.join(sorted(valid))}=<number>, got {name!r}"
            )
        try:
            values[name] = float(value)
        except ValueError:
            raise ValueError(
                f"--bound {pair}: expected a number after '=', got {value!r}"
            ) from None
    return Bounds(**values)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gigbench-tlc-prepare",
        description="Normalise trip files (NYC TLC of any era, Chicago TNP; CSV or Parquet) "
        "into one Parquet dataset partitioned by service and day.",
    )
    parser.add_argument("inputs", nargs="+", help="trip files, folders or globs")
    parser.add_argument("--out", required=True, help="the dataset folder")
    parser.add_argument(
        "--zones", default="", help="nyc (the shipped TLC zones) or a LocationID,lon,lat CSV"
    )
    parser.add_argument("--zone-shapes", default="", help="zone polygons, GeoJSON (WGS84)")
    parser.add_argument("--max-zone-km", type=float, default=3.0)
    parser.add_argument("--jobs", type=int, default=1, help="files prepared at once")
    parser.add_argument("--memory-mb", type=int, default=1024, help="DuckDB memory, all jobs")
    parser.add_argument("--batch-rows", type=int, default=500_000)
    parser.add_argument("--temp-dir", default="", help="where DuckDB spills (default: none)")
    parser.add_argument("--bound", action="append", default=[], help="name=value, repeatable")
    return parser


def settings_from(args: argparse.Namespace) -> PrepareSettings:
    """The settings of parsed command-line arguments."""
    return PrepareSettings(
        out=args.out,
        zones=args.zones,
        zone_shapes=args.zone_shapes,
        max_zone_km=args.max_zone_km,
        bounds=_bounds(args.bound),
        engine=Engine(memory_mb=args.memory_mb, batch_rows=args.batch_rows, temp_dir=args.temp_dir),
    )


def summarise(reports: list[dict[str, Any]]) -> int:
    """Print one line per file and the totals; the exit code (2 if a file failed)."""
    failed = 0
    rows = kept = 0
    for r in reports:
        if "error" in r:
            failed += 1
            print(f"error: {r['error']}", file=sys.stderr)
            continue
        rows, kept = rows + r["input_rows"], kept + r["kept_rows"]
        how = "skipped (already prepared)" if r.get("skipped") else f"{r['seconds']:.1f} s"
        print(
            f"{r['file']}: {r['service']}, {r['input_rows']:,} rows, {r['kept_rows']:,} kept, "
            f"{len(r['days'])} days, {how}"
        )
    print(f"total: {rows:,} rows, {kept:,} kept, {len(reports) - failed} files, {failed} failed")
    return 2 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Console entry point ``gigbench-tlc-prepare``."""
    args = _parser().parse_args(argv)
    try:
        settings = settings_from(args)
        reports = prepare(args.inputs, settings, args.jobs)
    except (ReplayError, ValueError) as exc:
        print(f"gigbench-tlc-prepare: error: {exc}", file=sys.stderr)
        return 2
    return summarise(reports)


if __name__ == "__main__":
    sys.exit(main())
