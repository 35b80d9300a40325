"""Where every input row went: the row-fate report of a replay or of one prepared file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["RowReport"]


@dataclass
class RowReport:
    """``input_rows == kept_rows + sum(dropped.values())``, always (:meth:`check`).

    ``dropped`` maps a reason to a row count, in the order reasons were first met (see
    :mod:`gigbench.instances.tlc.clean` for the reasons and their order). ``files`` maps each input
    file to its service and row count; ``zone_mapping`` records how points became zones
    (method, points mapped, points outside every zone) where a file had no zone ids.
    """

    input_rows: int = 0
    kept_rows: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    zone_mapping: dict[str, Any] = field(default_factory=dict)

    @property
    def dropped_rows(self) -> int:
        """Rows dropped, all reasons together."""
        return sum(self.dropped.values())

    def add(self, reason: str, count: int) -> None:
        """Count ``count`` rows dropped for ``reason`` (zero counts are not listed)."""
        if count:
            self.dropped[reason] = self.dropped.get(reason, 0) + int(count)

    def file(self, name: str, service: str) -> dict[str, Any]:
        """The entry of input file ``name`` (created on first use)."""
        return self.files.setdefault(name, {"service": service, "rows": 0})

    def mapped(self, method: str, points: int, outside: int) -> None:
        """Count ``points`` trip ends mapped to zones by ``method``, ``outside`` of them in none."""
        entry = self.zone_mapping.setdefault(method, {"points": 0, "outside": 0})
        entry["points"] += int(points)
        entry["outside"] += int(outside)
        entry["outside_share"] = round(entry["outside"] / max(entry["points"], 1), 6)

    def check(self) -> None:
        """Raise ``AssertionError`` unless every input row is accounted for."""
        if self.input_rows != self.kept_rows + self.dropped_rows:
            raise AssertionError(
                f"row report does not add up: {self.input_rows} input rows, "
                f"{self.kept_rows} kept + {self.dropped_rows} dropped"
            )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (``meta["replay"]``, the prepare reports)."""
        return {
            "input_rows": self.input_rows,
            "kept_rows": self.kept_rows,
            "dropped": dict(self.dropped),
            "files": {name: dict(info) for name, info in self.files.items()},
            "zone_mapping": {k: dict(v) for k, v in self.zone_mapping.items()},
        }

    def summary(self) -> str:
        """``dropped: reason n, ...`` for error messages."""
        parts = [f"{reason} {n}" for reason, n in self.dropped.items() if n]
        return "dropped: " + (", ".join(parts) if parts else "none")

    def __str__(self) -> str:
        lines = [f"{self.input_rows} input rows, {self.kept_rows} kept"]
        lines += [f"  dropped {n:>10}  {reason}" for reason, n in self.dropped.items() if n]
        return "\n".join(lines)
