"""The normalised trip records every reader yields: one numpy array per field, any schema."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

__all__ = ["NULL_TIME", "TIME_FIELDS", "Trips"]

NULL_TIME = np.iinfo(np.int64).min  # a null or absent timestamp
TIME_FIELDS = ("request", "on_scene", "pickup", "dropoff")


@dataclass
class Trips:
    """Trip records as arrays. Times are int64 microseconds since 1970 in local time
    (``NULL_TIME`` when null or absent); every float is NaN when null or absent.

    ``request`` is the request time where the file records one (high-volume FHV), else
    ``NULL_TIME``; :meth:`arrival` is what the replay uses as the request time.
    ``unparseable`` names, per row, the first column whose cell did not parse ("" if none).
    """

    request: np.ndarray
    on_scene: np.ndarray
    pickup: np.ndarray
    dropoff: np.ndarray
    pu: np.ndarray  # zone ids as float64 (NaN = null; checked for integrality later)
    do: np.ndarray
    pu_lon: np.ndarray
    pu_lat: np.ndarray
    do_lon: np.ndarray
    do_lat: np.ndarray
    miles: np.ndarray
    fare: np.ndarray
    tips: np.ndarray
    driver_pay: np.ndarray
    unparseable: np.ndarray  # object array of column names, "" where every cell parsed

    def __len__(self) -> int:
        return len(self.pickup)

    def arrival(self) -> np.ndarray:
        """The request time where recorded, else the pick-up time."""
        return np.where(self.request != NULL_TIME, self.request, self.pickup)

    def take(self, index: np.ndarray) -> Trips:
        """The rows at ``index`` (a boolean mask or integer positions)."""
        return Trips(*(getattr(self, f.name)[index] for f in dataclasses.fields(Trips)))

    @staticmethod
    def concat(parts: list[Trips]) -> Trips:
        """One Trips from several (an empty list gives zero rows)."""
        if not parts:
            return Trips.empty()
        if len(parts) == 1:
            return parts[0]
        return Trips(
            *(
                np.concatenate([getattr(p, f.name) for p in parts])
                for f in dataclasses.fields(Trips)
            )
        )

    @staticmethod
    def empty() -> Trips:
        """Zero rows."""
        values = {f.name: np.zeros(0) for f in dataclasses.fields(Trips)}
        for name in TIME_FIELDS:
            values[name] = np.zeros(0, dtype=np.int64)
        values["unparseable"] = np.zeros(0, dtype=object)
        return Trips(**values)

    @staticmethod
    def from_batch(batch: pa.RecordBatch | pa.Table) -> Trips:
        """From a batch with one column per field (absent fields: null / NaN)."""
        n = batch.num_rows
        names = set(batch.schema.names)
        values = {}
        for f in dataclasses.fields(Trips):
            if f.name not in names:
                values[f.name] = (
                    np.full(n, NULL_TIME, dtype=np.int64)
                    if f.name in TIME_FIELDS
                    else np.full(n, "", dtype=object)
                    if f.name == "unparseable"
                    else np.full(n, np.nan)
                )
                continue
            column = batch.column(f.name)
            if f.name in TIME_FIELDS:
                values[f.name] = _times(column)
            elif f.name == "unparseable":
                values[f.name] = _names(column)
            else:
                values[f.name] = _numbers(column, pa.float64(), np.nan)
        return Trips(**values)


# Both helpers stay on Arrow buffers: pyarrow's fill_null and string to_numpy import pandas,
# which costs a replay most of a second.


def _combined(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _numbers(column: pa.Array | pa.ChunkedArray, dtype: pa.DataType, null: object) -> np.ndarray:
    """A writable numpy copy of ``column`` cast to ``dtype``; nulls become ``null``."""
    arr = _combined(column.cast(dtype))
    width = np.dtype(dtype.to_pandas_dtype())
    values = np.frombuffer(arr.buffers()[1], dtype=width)[arr.offset : arr.offset + len(arr)]
    if arr.null_count:
        bits = np.unpackbits(np.frombuffer(arr.buffers()[0], dtype=np.uint8), bitorder="little")
        valid = bits[arr.offset : arr.offset + len(arr)].astype(bool)
        return np.where(valid, values, null)
    return values.copy()


def _times(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """int64 microseconds (or whatever integer unit the column holds); null -> NULL_TIME."""
    return _numbers(column, pa.int64(), NULL_TIME)


def _names(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Strings as an object array; null -> ""."""
    encoded = _combined(_combined(column).dictionary_encode())
    names = np.array([*encoded.dictionary.to_pylist(), ""], dtype=object)
    index = encoded.indices.fill_null(len(names) - 1) if encoded.null_count else encoded.indices
    return names[index.to_numpy(zero_copy_only=False)]
