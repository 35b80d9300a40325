"""How a configuration looks in every figure of a report: one colour per solver, one marker
and line dash per configuration of the other keys (``λ=0.5``, ``pricing=surge``), assigned once
for the whole report so that a configuration reads the same from panel to panel. A report of one
solver (most experiments vary something else) colours the other keys instead."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gigbench.report.data import Group

COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
# What is not a configuration (a trip record, the line of equal pay) is drawn in these.
RECORD_COLOR = "#555555"


@dataclass(frozen=True)
class Style:
    """A series' colour (its solver's, or its other keys' in a report of one solver), marker
    and dash (its other keys'), and a marker size that shrinks with the solver's rank so that
    two solvers' equal points both show."""

    color: str
    symbol: str
    dash: str
    size: int


class Palette:
    """The report's one assignment of styles: solvers and the other keys' labels in sorted
    order first, any label a figure asks for later after them. A solver alone (no other keys:
    a line per solver) is a circle on a solid line."""

    def __init__(self, groups: Iterable[Group] = ()) -> None:
        groups = list(groups)
        self._solvers: dict[str, int] = {}
        self._rests: dict[str, int] = {}
        for solver in sorted({g.solver for g in groups}):
            self._rank(self._solvers, solver)
        for rest in ["", *sorted({g.rest for g in groups})]:
            self._rank(self._rests, rest)
        self._by_solver = len(self._solvers) > 1

    @staticmethod
    def _rank(ranks: dict[str, int], key: str) -> int:
        return ranks.setdefault(key, len(ranks))

    def style(self, solver: str, rest: str = "") -> Style:
        """The style of the series of ``solver`` whose other keys read ``rest``."""
        s, r = self._rank(self._solvers, solver), self._rank(self._rests, rest)
        c = s if self._by_solver else r
        return Style(
            COLORS[c % len(COLORS)], SYMBOLS[r % len(SYMBOLS)], DASHES[r % len(DASHES)],
            max(14 - 2 * s, 7),
        )  # fmt: skip

    def of(self, group: Group) -> Style:
        """The style of a configuration."""
        return self.style(group.solver, group.rest)


def meta(group: Group | None = None, *, solver: str | None = None, label: str = "") -> dict:
    """What a trace draws, kept on it (plotly's ``meta``): its configuration's label and its
    solver. A test reads it to hold one style per configuration across a report."""
    if group is not None:
        return {"configuration": group.label, "solver": group.solver}
    return {"configuration": label, "solver": solver}
