"""The report's figures (matplotlib, Agg backend): each function takes plain data, writes a PNG.

Pareto frontier of efficiency against fairness, Lorenz curves of earnings per online hour,
solve time against problem size on log axes, and per-zone service maps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import matplotlib.ticker as ticker
import numpy as np

_COLORS = plt.get_cmap("tab10").colors
_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
_DPI = 110


@dataclass
class Point:
    """One configuration on the efficiency-fairness plane: medians over seeds and IQRs."""

    series: str  # the solver: one colour and one frontier each
    label: str  # what else distinguishes the point (objective, lambda, pricing)
    x: float
    y: float
    x_iqr: tuple[float, float] = (0.0, 0.0)  # distance to the 25th and 75th percentiles
    y_iqr: tuple[float, float] = (0.0, 0.0)
    n: int = 1
    frontier: bool = field(default=False)


def non_dominated(xs: Sequence[float], ys: Sequence[float], y_lower_better: bool) -> list[bool]:
    """Which points no other point beats: x higher is better; y lower (or higher) is better."""
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float) * (1.0 if y_lower_better else -1.0)
    keep = []
    for i in range(len(x)):
        better_or_equal = (x >= x[i]) & (y <= y[i])
        strictly = (x > x[i]) | (y < y[i])
        keep.append(not bool(np.any(better_or_equal & strictly)))
    return keep


def pareto_plot(
    points: list[Point],
    path: Path,
    *,
    xlabel: str,
    ylabel: str,
    y_lower_better: bool,
    title: str,
) -> Path:
    """Each solver's points, its frontier (non-dominated points, filled and joined) and the
    dominated ones (hollow); error bars span the interquartile range over seeds."""
    fig, ax = plt.subplots(figsize=(8.0, 5.5), layout="constrained")
    series = sorted({p.series for p in points})
    for k, name in enumerate(series):
        color = _COLORS[k % len(_COLORS)]
        # A shape per solver, each smaller than the last: exact solvers reach the same optimum,
        # so their points coincide and stay visible as nested markers.
        marker, size = _MARKERS[k % len(_MARKERS)], max(13.0 - 2.0 * k, 4.0)
        mine = [p for p in points if p.series == name]
        flags = non_dominated([p.x for p in mine], [p.y for p in mine], y_lower_better)
        for p, flag in zip(mine, flags, strict=True):
            p.frontier = flag
            ax.errorbar(
                p.x,
                p.y,
                xerr=np.array([[p.x_iqr[0]], [p.x_iqr[1]]]),
                yerr=np.array([[p.y_iqr[0]], [p.y_iqr[1]]]),
                fmt="none",
                ecolor=color,
                alpha=0.35,
                lw=1,
            )
            ax.plot(
                p.x,
                p.y,
                marker,
                ms=size,
                color=color,
                mfc=color if flag else "white",
                mew=1.6,
                zorder=3,
            )
            if p.label:
                ax.annotate(
                    p.label,
                    (p.x, p.y),
                    xytext=(5, 4),
                    textcoords="offset points",
                    fontsize=7,
                    color=color,
                )
        front = sorted((p for p in mine if p.frontier), key=lambda p: p.x)
        ax.plot(
            [p.x for p in front],
            [p.y for p in front],
            "-",
            marker=marker,
            ms=size * 0.6,
            color=color,
            lw=1.8,
            label=f"{name} ({len(front)} of {len(mine)} on its frontier)",
        )
    ax.plot([], [], "o", color="grey", mfc="grey", label="non-dominated (filled)")
    ax.plot([], [], "o", color="grey", mfc="white", label="dominated (hollow)")
    better = "lower" if y_lower_better else "higher"
    ax.set_xlabel(f"{xlabel}  (higher is better \u2192)")
    ax.set_ylabel(f"{ylabel}  ({better} is better)")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best", framealpha=0.9)
    return _save(fig, path)


def lorenz_points(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Lorenz curve (population share, earnings share) of non-negative ``values``, and the
    Gini coefficient: 1 - 2 x the area under the curve."""
    v = np.sort(np.clip(np.asarray(values, dtype=float), 0.0, None))
    v = v[np.isfinite(v)]
    if len(v) == 0 or v.sum() <= 0:
        return np.array([0.0, 1.0]), np.array([0.0, 1.0]), float("nan")
    pop = np.linspace(0.0, 1.0, len(v) + 1)
    share = np.concatenate([[0.0], np.cumsum(v) / v.sum()])
    gini = 1.0 - 2.0 * float(np.sum((share[1:] + share[:-1]) / 2.0 * np.diff(pop)))
    return pop, share, gini


def lorenz_plot(
    panels: dict[str, dict[str, np.ndarray]], path: Path, *, earnings: str, title: str
) -> Path:
    """One panel per solver; in each, one Lorenz curve per configuration (seeds pooled)."""
    n = len(panels)
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(4.2 * cols + 0.4, 4.2 * rows + 0.5),
        squeeze=False,
        sharex=True,
        sharey=True,
        layout="constrained",
    )
    for ax, (panel, curves) in zip(axes.flat, panels.items(), strict=False):
        ax.plot([0, 1], [0, 1], color="black", lw=0.8, ls="--", label="equal pay")
        cmap = plt.get_cmap("viridis")
        for k, (label, values) in enumerate(curves.items()):
            pop, share, gini = lorenz_points(values)
            color = cmap(k / max(1, len(curves) - 1)) if len(curves) > 1 else _COLORS[0]
            ax.plot(pop, share, color=color, lw=1.6, label=f"{label} (Gini {gini:.3f})")
        ax.set_title(panel, fontsize=10)
        ax.set_aspect("equal")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("share of workers (lowest-paid first)")
    for ax in axes[:, 0]:
        ax.set_ylabel(f"share of total {earnings}")
    fig.suptitle(title, fontsize=11)
    return _save(fig, path)


def timing_plot(
    series: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    path: Path,
    *,
    title: str,
    note: str = "",
) -> Path:
    """Median solve seconds against size per solver on log-log axes; a band spans the IQR."""
    fig, ax = plt.subplots(figsize=(7.5, 5.0), layout="constrained")
    for k, (name, (sizes, median, q25, q75)) in enumerate(sorted(series.items())):
        color = _COLORS[k % len(_COLORS)]
        ax.plot(sizes, median, "o-", color=color, lw=1.6, label=name)
        if len(sizes) > 1:
            ax.fill_between(sizes, q25, q75, color=color, alpha=0.15, lw=0)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    ax.set_xlabel("problem size n (rows of the cost matrix; log scale)")
    ax.set_ylabel("solve time per problem (seconds; log scale)")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, title="solver", title_fontsize=8)
    if note:
        ax.text(
            0.99,
            0.01,
            note,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=7,
            color="C3",
        )
    return _save(fig, path)


@dataclass
class ZoneGrid:
    """Zones numbered row by row over a ``width_km`` x ``height_km`` rectangle."""

    width_km: float
    height_km: float
    zone_km: float

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of the grid."""
        return (
            int(np.ceil(self.height_km / self.zone_km - 1e-9)),
            int(np.ceil(self.width_km / self.zone_km - 1e-9)),
        )


def zone_map_plot(
    maps: dict[str, tuple[np.ndarray, np.ndarray]],
    grid: ZoneGrid,
    path: Path,
    *,
    title: str,
    min_requests: int = 5,
) -> Path:
    """Per configuration, the share of requests served in each zone of the origin (grey: fewer
    than ``min_requests`` requests there)."""
    n = len(maps)
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(4.0 * cols + 1.2, 4.0 * rows + 0.6),
        squeeze=False,
        layout="constrained",
    )
    n_rows, n_cols = grid.shape
    cmap = plt.get_cmap("RdYlGn").with_extremes(bad="#d9d9d9")
    image = None
    for ax, (label, (requests, served)) in zip(axes.flat, maps.items(), strict=False):
        size = n_rows * n_cols
        req = np.zeros(size)
        srv = np.zeros(size)
        req[: min(size, len(requests))] = requests[:size]
        srv[: min(size, len(served))] = served[:size]
        rate = np.where(req >= min_requests, srv / np.maximum(req, 1), np.nan)
        image = ax.imshow(
            np.ma.masked_invalid(rate.reshape(n_rows, n_cols)),
            origin="lower",
            extent=(0, n_cols * grid.zone_km, 0, n_rows * grid.zone_km),
            cmap=cmap,
            vmin=0.0,
            vmax=1.0,
        )
        total = req.sum()
        overall = srv.sum() / total if total else float("nan")
        ax.set_title(f"{label}\nserved {overall:.1%} of {int(total)} requests", fontsize=8)
        ax.set_xlabel("x (km)")
        ax.set_ylabel("y (km)")
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    if image is not None:
        bar = fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.85)
        bar.set_label(f"share of requests served (grey: < {min_requests} requests)")
    fig.suptitle(title, fontsize=11)
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=_DPI, bbox_inches="tight")
    plt.close(fig)
    return path
