"""Reader for J.E. Beasley's OR-Library linear assignment instances.

Two formats, both whitespace separated integers:

* dense ``assignN``: ``n``, then the ``n * n`` costs row by row (lines wrap anywhere);
* sparse ``assignpN``: ``n``, then one ``i j c`` triple per allowed pair, 1-based; a pair
  that is not listed is forbidden.

The format comes from the file name (``assignp*`` sparse, ``assign*`` dense); for other names
it is inferred: exactly ``n * n`` values after ``n`` is dense, a multiple of three is sparse.
The task is to pick one column per row, each column once, minimising total cost.

The files are not shipped with gigbench: download them from :data:`ORLIB_URL`. A file named as
one of the twelve published instances must be that file, byte for byte (:data:`SHA256`),
since its published optimum is attached to it and checked.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "ORLIB_URL",
    "PUBLISHED_OPTIMA",
    "SHA256",
    "OrlibFormatError",
    "OrlibInstance",
    "read_orlib",
    "verify_published",
]

ORLIB_URL = "http://people.brunel.ac.uk/~mastjjb/jeb/orlib/assigninfo.html"

# OR-Library's published table of optimal (minimum) total costs.
PUBLISHED_OPTIMA: dict[str, int] = {
    "assign100": 305,
    "assign200": 475,
    "assign300": 626,
    "assign400": 804,
    "assign500": 991,
    "assign600": 1176,
    "assign700": 1362,
    "assign800": 1552,
    "assignp800": 2239,
    "assignp1500": 5839,
    "assignp3000": 18696,
    "assignp5000": 48533,
}

# sha256 of each published file as OR-Library distributes it.
SHA256: dict[str, str] = {
    "assign100": "bdfe42b2fae67790aa4b42c43ad3899ad537f71bb104513c0bd97b8945985be6",
    "assign200": "55e100948dafe1bf030b8517e1a74285aebcf536f1146a9e9ad78216c416f17e",
    "assign300": "d51cae20078a3792ba8a9562be1d3dbcf474147864fc09163268a80f972c42b6",
    "assign400": "9620f0e850153c0dec7e1ddd9641bcdc35c401c618e173403ad44acd64ba9274",
    "assign500": "358e297ba5e4d32fb1729fa6f9e8cb837198b70916a6f09162af3c64b8897c9f",
    "assign600": "e9f33cd84c2a761fb6c1ecd0a06d649e5000ad1a97d6d7e15ea8fcf7bf1cd581",
    "assign700": "fb14fbb0e4911668814096ec31426758c58d52538f0b411a895ffc615b6bfbf7",
    "assign800": "1dddd33b0c633eb32c9880ad3e80014f0ec0452a3851dff28789a70fd076574c",
    "assignp800": "fdfcd7f73c411ab29364e2a290e2c61822e1bb5ff45c3631e732cd5ceaa4c7b4",
    "assignp1500": "81abbd7e12052d139ed55bb770ef909754f4cc5dd9016d17afa559aac6748215",
    "assignp3000": "878af1597d173a2be01a22866c20c3599a90f0d3684b8509215f502df02ca72a",
    "assignp5000": "fc5772930b5fe6a77c33431810472b191998b3060bbd66b5c5ecd094e1e449cc",
}

_INTEGER = re.compile(rb"[+-]?[0-9]+")
_TOKEN = re.compile(rb"\S+")


class OrlibFormatError(ValueError):
    """A malformed OR-Library file: names the file, the expectation, what was found, the fix."""


@dataclass(frozen=True, eq=False)
class OrlibInstance:
    """An assignment instance as an edge list: ``costs[k]`` is the cost of ``(rows[k], cols[k])``.

    Indices are 0-based int64, sorted by row then column; ``dense`` instances list all
    ``n * n`` pairs. ``optimum`` is the published minimum total cost, or None if unknown.
    """

    name: str
    n: int
    rows: np.ndarray
    cols: np.ndarray
    costs: np.ndarray
    dense: bool
    optimum: int | None

    @property
    def n_edges(self) -> int:
        """Number of allowed (row, column) pairs."""
        return int(self.costs.size)

    def cost_matrix(self, forbidden: float = np.inf) -> np.ndarray:
        """The ``n x n`` float64 cost matrix, ``forbidden`` where a pair is not listed.

        scipy's ``linear_sum_assignment`` convention (``+inf`` = forbidden). Costs
        ``8 * n * n`` bytes: 200 MB for assignp5000.
        """
        matrix = np.full((self.n, self.n), forbidden, dtype=np.float64)
        matrix[self.rows, self.cols] = self.costs
        return matrix


def _fail(path: Path, expected: str, got: str, fix: str) -> OrlibFormatError:
    return OrlibFormatError(f"{path}: expected {expected}, got {got}; {fix}")


def _where(data: bytes, index: int) -> str:
    """Line number and text of the ``index``-th (0-based) whitespace separated token."""
    for k, match in enumerate(_TOKEN.finditer(data)):
        if k == index:
            line = data.count(b"\n", 0, match.start()) + 1
            return f"{match.group().decode(errors='replace')!r} at line {line} (token {k + 1})"
    return f"end of file after {index} tokens"


def _parse_ints(path: Path, data: bytes, tokens: list[bytes]) -> np.ndarray:
    try:
        return np.array(tokens, dtype=np.int64)
    except (ValueError, OverflowError):
        pass
    for k, token in enumerate(tokens):
        if not _INTEGER.fullmatch(token) or not -(2**63) <= int(token) < 2**63:
            raise _fail(
                path,
                "whitespace separated 64-bit integers",
                _where(data, k),
                "remove the stray text or re-download the file",
            )
    raise _fail(path, "integers", "an unparsable file", "re-download the file")  # unreachable


def verify_published(path: str | os.PathLike[str], data: bytes | None = None) -> None:
    """Raise :class:`OrlibFormatError` if ``path`` is named as a published instance
    (``assign100.txt``, ...) but is not that file byte for byte; other names pass."""
    path = Path(path)
    want = SHA256.get(path.stem.lower())
    if want is None:
        return
    got = hashlib.sha256(path.read_bytes() if data is None else data).hexdigest()
    if got != want:
        raise _fail(
            path,
            f"OR-Library's {path.stem} (sha256 {want[:16]}...)",
            f"a file with sha256 {got[:16]}...",
            f"download it again from {ORLIB_URL} (a problem of your own needs another name)",
        )


def read_orlib(path: str | os.PathLike[str]) -> OrlibInstance:
    """Parse an OR-Library ``assignN`` (dense) or ``assignpN`` (sparse) file.

    Raises :class:`OrlibFormatError` (a ``ValueError``) for an empty file, a non-integer
    token, a size ``n < 1``, the wrong number of values, an index outside ``1..n``, a pair
    listed twice, or a file named as a published instance whose checksum differs
    (:func:`verify_published`); ``FileNotFoundError`` if the file does not exist.
    """
    path = Path(path)
    if path.is_dir():
        raise _fail(path, "an OR-Library file", "a folder", "pass one assign*.txt file in it")
    data = path.read_bytes()
    verify_published(path, data)
    tokens = data.split()
    if not tokens:
        raise _fail(path, "the size n followed by costs", "an empty file", "re-download it")
    values = _parse_ints(path, data, tokens)
    n, body = int(values[0]), values[1:]
    if n < 1:
        raise _fail(path, "a size n >= 1 as the first number", f"n = {n}", "fix the header")
    name = path.stem
    lower = name.lower()
    if lower.startswith("assign"):
        dense = not lower.startswith("assignp")
    elif body.size == n * n or body.size % 3 == 0:
        dense = body.size == n * n
    else:
        raise _fail(
            path,
            f"n * n = {n * n} costs (dense) or i j c triples (sparse) after n = {n}",
            f"{body.size} numbers",
            "name the file assignN (dense) or assignpN (sparse) or fix the count",
        )
    if dense:
        if body.size != n * n:
            raise _fail(
                path,
                f"n * n = {n * n} costs after n = {n} (dense assignN format)",
                f"{body.size}",
                "the file is truncated or not dense; sparse files are named assignpN",
            )
        rows = np.repeat(np.arange(n, dtype=np.int64), n)
        cols = np.tile(np.arange(n, dtype=np.int64), n)
        costs = body
    else:
        rows, cols, costs = _sparse(path, data, n, body)
    return OrlibInstance(
        name=name,
        n=n,
        rows=rows,
        cols=cols,
        costs=np.ascontiguousarray(costs),
        dense=dense,
        optimum=PUBLISHED_OPTIMA.get(lower),
    )


def _sparse(
    path: Path, data: bytes, n: int, body: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if body.size % 3:
        raise _fail(
            path,
            f"i j c triples after n = {n} (sparse assignpN format)",
            f"{body.size} numbers, not a multiple of 3; the last triple ends at "
            f"{_where(data, body.size)}",
            "the file is truncated or not sparse; dense files are named assignN",
        )
    triples = body.reshape(-1, 3)
    rows, cols, costs = triples[:, 0] - 1, triples[:, 1] - 1, triples[:, 2]
    bad = (rows < 0) | (rows >= n) | (cols < 0) | (cols >= n)
    if bad.any():
        t = int(np.flatnonzero(bad)[0])
        raise _fail(
            path,
            f"1-based indices i, j in 1..{n}",
            f"i = {int(rows[t]) + 1}, j = {int(cols[t]) + 1} in triple {t + 1} at "
            f"{_where(data, 1 + 3 * t)}",
            "fix that line or the size n on the first line",
        )
    order = np.lexsort((cols, rows))
    rows, cols, costs = rows[order], cols[order], costs[order]
    same = (rows[1:] == rows[:-1]) & (cols[1:] == cols[:-1])
    if same.any():
        k = int(np.flatnonzero(same)[0]) + 1
        t = int(max(order[k], order[k - 1]))  # the later of the two occurrences
        raise _fail(
            path,
            "each (i, j) pair at most once",
            f"pair ({rows[k] + 1}, {cols[k] + 1}) again in triple {t + 1} at "
            f"{_where(data, 1 + 3 * t)}",
            "keep one of the duplicated lines",
        )
    return rows, cols, np.ascontiguousarray(costs)
