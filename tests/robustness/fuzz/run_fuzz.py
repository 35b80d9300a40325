"""Fuzz the file readers with hypothesis; save every crashing input to ``corpus/`` beside this.

    python tests/robustness/fuzz/run_fuzz.py --minutes 1          # every reader, one minute each
    python tests/robustness/fuzz/run_fuzz.py orlib --examples 5000

Each campaign draws inputs with hypothesis (mutations of small valid seed files: byte flips,
insertions, deletions, truncation, splices of hostile tokens; and structured changes: a column
swapped for one of another type, NaN and inf, out-of-order times, extra and missing columns) and
calls the reader through :mod:`fuzz.harness`, which allows only the documented error
types. A finding is written to ``corpus/<reader>/<kind>__<name>`` (one per distinct exception
type and message head) and the campaign goes on. The corpus is replayed by
``tests/robustness/test_robust_fuzz_corpus.py`` in the default suite. Prints inputs tried and
findings.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fuzz import harness  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus"
HOSTILE = [b"nan", b"NaN", b"inf", b"-inf", b"1e309", b"-1", b"0", b"-0", b"9" * 25,
           b"9223372036854775808", b"-9223372036854775809", b"4611686018427387904", b"",
           b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"1_000", b"\xd9\xa1", b"2024-13-45 25:61:61",
           b"2024-01-15T08:30:00Z", b"01/15/2024 08:30:00 PM", b"1.5", b"0x10", b",", b"\"",
           b"\r\n", b"\n", b" ", b"264", b"265", b"1e18", b"-1e18", b"PAR1"]  # fmt: skip


# --------------------------------------------------------------------------- strategies


def _mutate(data: bytes, ops: list[tuple[int, float, int, bytes]]) -> bytes:
    out = bytearray(data)
    for op, where, size, blob in ops:
        at = int(where * len(out)) if out else 0
        if op == 0 and out:  # flip a byte
            out[min(at, len(out) - 1)] ^= 1 + size % 255
        elif op == 1:  # insert
            out[at:at] = blob
        elif op == 2:  # delete a range
            del out[at : at + size]
        elif op == 3:  # truncate
            del out[at:]
        elif op == 4:  # overwrite with a hostile token
            out[at : at + len(blob)] = blob
        elif op == 5 and out:  # duplicate a chunk
            out[at:at] = out[at : at + size]
    return bytes(out)


MUTATIONS = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.floats(0, 1),
        st.integers(1, 64),
        st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=16)),
    ),
    min_size=1,
    max_size=6,
)


def _token_mutate(data: bytes, edits: list[tuple[float, bytes]]) -> bytes:
    """Replace whole tokens (split on , and whitespace) with hostile ones."""
    parts = re.split(rb"([,\s]+)", data)
    for where, blob in edits:
        if parts:
            k = int(where * len(parts)) % len(parts)
            parts[k] = blob
    return b"".join(parts)


TOKEN_EDITS = st.lists(st.tuples(st.floats(0, 1), st.sampled_from(HOSTILE)), max_size=5)


def _parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


ODD_ARRAYS = {
    "int8": lambda n, r: pa.array(r.integers(-128, 127, n), pa.int8()),
    "uint64": lambda n, r: pa.array(r.integers(0, 2**63, n, dtype=np.uint64), pa.uint64()),
    "int64_huge": lambda n, r: pa.array(np.full(n, 2**62, dtype=np.int64)),
    "float_nan_inf": lambda n, r: pa.array(r.choice([np.nan, np.inf, -np.inf, -1.0, 1e308], n)),
    "float_neg": lambda n, r: pa.array(-r.random(n) * 1e6),
    "string": lambda n, r: pa.array([str(x) for x in r.integers(0, 300, n)]),
    "junk_string": lambda n, r: pa.array(["x\x00\u00e9"] * n),
    "nulls": lambda n, r: pa.nulls(n, pa.float64()),
    "bool": lambda n, r: pa.array(r.random(n) > 0.5),
    "ts_s": lambda n, r: pa.array(r.integers(-(2**40), 2**40, n), pa.int64()).cast(
        pa.timestamp("s")
    ),
    "ts_ns_tz": lambda n, r: pa.array(r.integers(0, 2**62, n), pa.int64()).cast(
        pa.timestamp("ns", tz="America/New_York")
    ),
    "date32": lambda n, r: pa.array(r.integers(0, 20000, n).astype(np.int32), pa.int32()).cast(
        pa.date32()
    ),
    "list": lambda n, r: pa.array([[1, 2]] * n),
    "struct": lambda n, r: pa.array([{"a": 1}] * n),
    "dictionary": lambda n, r: pa.array(["a"] * n).dictionary_encode(),
    "decimal": lambda n, r: pa.array([1] * n, pa.decimal128(10, 2)),
    "reversed": None,  # the column's own values in reverse order (times out of order)
    "shuffled": None,
}


def _structured(table: pa.Table, edits: list[tuple[int, str, int]], drop: list[int]) -> pa.Table:
    """Swap columns for odd ones, reorder, drop or duplicate columns."""
    rng = np.random.default_rng(len(edits) * 7919 + sum(e[2] for e in edits))
    n = table.num_rows
    meta = table.schema.metadata
    for col, kind, seed in edits:
        if not table.num_columns:
            break
        i = col % table.num_columns
        old = table.column(i)
        if kind == "reversed":
            new = old.take(pa.array(np.arange(n)[::-1]))
        elif kind == "shuffled":
            new = old.take(pa.array(np.random.default_rng(seed).permutation(n)))
        else:
            new = ODD_ARRAYS[kind](n, rng)
        table = table.set_column(i, table.field(i).name, new)
    for d in drop:
        if table.num_columns:
            i = d % table.num_columns
            if d % 2:
                table = table.remove_column(i)
            else:
                table = table.append_column(table.field(i).name, table.column(i))
    return table.replace_schema_metadata(meta)


STRUCT_EDITS = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(sorted(ODD_ARRAYS)), st.integers(0, 99)),
    max_size=3,
)
DROPS = st.lists(st.integers(0, 40), max_size=2)


# --------------------------------------------------------------------------- campaigns


class TimeUp(Exception):
    """The campaign's time box is over (ends hypothesis' loop)."""


class Campaign:
    """Counts inputs, records distinct findings to the corpus."""

    def __init__(self, reader: str, save: bool) -> None:
        self.reader, self.save = reader, save
        self.tried = 0
        self.findings: dict[str, str] = {}
        self.tmp = Path(tempfile.mkdtemp(prefix=f"fuzz_{reader}_"))

    def run(self, check, stored: bytes, name_hint: str = "") -> None:
        self.tried += 1
        work = self.tmp / f"w{self.tried % 4}"
        work.mkdir(exist_ok=True)
        for child in work.rglob("*"):
            if child.is_file():
                child.unlink()
        try:
            check(work)
        except harness.Finding as exc:
            cause = exc.__cause__
            head = re.sub(r"/tmp/\S+", "<path>", str(cause).splitlines()[0] if cause else "")
            key = f"{type(cause).__name__}: {re.sub(r'[0-9]+', 'N', head)[:120]}"
            if key not in self.findings:
                self.findings[key] = str(exc)[:300]
                print(f"  [{self.reader}] finding #{len(self.findings)}: {exc}"[:400], flush=True)
                if self.save:
                    folder = CORPUS / self.reader
                    folder.mkdir(parents=True, exist_ok=True)
                    digest = hashlib.sha1(stored).hexdigest()[:10]
                    (folder / f"{type(cause).__name__}_{digest}__{name_hint}").write_bytes(stored)


def campaign(reader: str, examples: int, minutes: float, save: bool) -> Campaign:
    c = Campaign(reader, save)
    deadline = time.monotonic() + 60 * minutes
    seed_tmp = Path(tempfile.mkdtemp(prefix="fuzz_seed_"))
    conf = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    def out_of_time() -> bool:
        if time.monotonic() > deadline:
            raise TimeUp
        return False

    if reader == "orlib":
        seeds = harness.orlib_seeds()

        @conf
        @given(st.sampled_from(seeds), MUTATIONS, TOKEN_EDITS, st.booleans())
        def fuzz(seed, ops, edits, rename):
            if out_of_time():
                return
            name, data = seed
            data = _token_mutate(_mutate(data, ops), edits)
            name = "other.txt" if rename else name
            c.run(lambda w: harness.check_orlib(w, name, data), data, name)

    elif reader == "scenario":
        tasks, workers = harness.scenario_seed(seed_tmp)
        t_table, w_table = pq.read_table(io.BytesIO(tasks)), pq.read_table(io.BytesIO(workers))

        @conf
        @given(st.booleans(), MUTATIONS, STRUCT_EDITS, DROPS, st.integers(0, 3))
        def fuzz(which, ops, edits, drops, mode):
            if out_of_time():
                return
            t, w = tasks, workers
            if mode == 0:  # bytes
                t, w = (_mutate(t, ops), w) if which else (t, _mutate(w, ops))
            elif mode == 1:  # structured, metadata kept (so the checks past the hash run)
                if which:
                    t = _parquet(_structured(t_table, edits, drops))
                else:
                    w = _parquet(_structured(w_table, edits, drops))
            elif mode == 2:  # metadata JSON mutated
                table = t_table if which else w_table
                blob = _mutate(table.schema.metadata[b"gigbench"], ops)
                data = _parquet(table.replace_schema_metadata({b"gigbench": blob}))
                t, w = (data, w) if which else (t, data)
            else:  # both: structured then bytes
                t = _mutate(_parquet(_structured(t_table, edits, drops)), ops[:1])
            stored = t + b"\n--workers--\n" + w
            c.run(lambda d: harness.check_scenario(d, t, w), stored, "scenario")

    elif reader == "replay_csv":
        seed = harness.replay_csv_seed()

        @conf
        @given(MUTATIONS, TOKEN_EDITS, st.integers(0, 3))
        def fuzz(ops, edits, mode):
            if out_of_time():
                return
            data = seed
            if mode in (0, 2):
                data = _mutate(data, ops)
            if mode in (1, 2):
                data = _token_mutate(data, edits)
            if mode == 3:  # re-encoded or reordered lines
                lines = data.split(b"\n")
                data = b"\n".join([lines[0], *lines[1:][::-1]]).decode().encode("utf-16")
                data = _mutate(data, ops[:1]) if ops[0][0] == 1 else data
            c.run(lambda w: harness.check_replay(w, ".csv", data), data, "trips.csv")

    elif reader == "replay_parquet":
        seed = harness.replay_parquet_seed()
        table = pq.read_table(io.BytesIO(seed))

        @conf
        @given(MUTATIONS, STRUCT_EDITS, DROPS, st.booleans())
        def fuzz(ops, edits, drops, as_bytes):
            if out_of_time():
                return
            data = _mutate(seed, ops) if as_bytes else _parquet(_structured(table, edits, drops))
            c.run(lambda w: harness.check_replay(w, ".parquet", data), data, "trips.parquet")

    elif reader == "collect":
        good = harness.row_seed("a")
        extras = st.dictionaries(
            st.sampled_from(["run_id", "status", "m_gini", "seed", "message", "x"]),
            st.one_of(
                st.none(),
                st.integers(-(2**63), 2**63 - 1),
                st.floats(),
                st.text(max_size=5),
                st.lists(st.integers(0, 3), max_size=2),
                st.booleans(),
                st.dictionaries(st.just("k"), st.integers(0, 3), max_size=1),
            ),
            max_size=4,
        )

        @conf
        @given(st.lists(st.tuples(extras, MUTATIONS, st.booleans()), min_size=1, max_size=4))
        def fuzz(specs):
            if out_of_time():
                return
            rows = [good]
            for extra, ops, corrupt in specs:
                try:
                    data = harness.row_seed(**{"run_id": "b", **extra})
                except (pa.ArrowException, OverflowError):  # hypothesis built an unwritable row
                    continue
                rows.append(_mutate(data, ops) if corrupt else data)
            c.run(lambda w: harness.check_collect(w, rows), b"\n--row--\n".join(rows), "rows")

    else:
        raise SystemExit(f"unknown reader {reader!r}; choose from {', '.join(harness.READERS)}")
    with contextlib.suppress(TimeUp):
        fuzz()
    return c


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readers", nargs="*", default=list(harness.READERS))
    parser.add_argument("--minutes", type=float, default=1.0, help="per reader (time box)")
    parser.add_argument("--examples", type=int, default=1_000_000, help="per reader (cap)")
    parser.add_argument("--no-save", action="store_true", help="do not write to the corpus")
    args = parser.parse_args(argv)
    summary = {}
    for reader in args.readers:
        start = time.monotonic()
        c = campaign(reader, args.examples, args.minutes, not args.no_save)
        minutes = (time.monotonic() - start) / 60
        summary[reader] = {"inputs": c.tried, "minutes": round(minutes, 2),
                           "findings": sorted(c.findings)}  # fmt: skip
        print(f"{reader}: {c.tried} inputs in {minutes:.1f} min, {len(c.findings)} findings")
    print(json.dumps(summary, indent=1))
    return 1 if any(s["findings"] for s in summary.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
