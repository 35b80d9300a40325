"""Row columns of the metric catalogue (gigbench.market.catalogue) for the docs/measure
scripts: a metric the catalogue does not list fails here, before a table is printed."""

from __future__ import annotations

from gigbench.market.catalogue import lookup


def col(name: str) -> str:
    """``m_<name>``, the row column of the catalogued metric ``name``."""
    if lookup(name) is None:
        raise KeyError(f"expected a metric of gigbench.market.catalogue, got {name!r}")
    return f"m_{name}"


def day_col(name: str, to_date: bool = False) -> str:
    """The ``days.parquet`` column of the catalogued metric ``name``: that day's figure, or
    (``to_date``) the figure over each worker's earnings and hours from day 0 to that day."""
    col(name)
    return f"{name}_to_date" if to_date else name
