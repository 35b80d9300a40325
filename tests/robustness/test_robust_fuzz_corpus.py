"""Replay the fuzzers' crashing inputs (tests/robustness/fuzz/corpus): each reader must now
raise only its documented error type. New findings of ``python tests/robustness/fuzz/run_fuzz.py``
land in the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz import harness

CORPUS = Path(__file__).resolve().parent / "fuzz" / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file())


def test_corpus_is_not_empty() -> None:
    assert {p.parent.name for p in FILES} <= set(harness.READERS)
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_corpus_input(tmp_path: Path, path: Path) -> None:
    harness.check_corpus_file(tmp_path, path)


@pytest.mark.parametrize("reader", ["orlib", "scenario", "replay_csv", "replay_parquet", "collect"])
def test_seeds_are_accepted(tmp_path: Path, reader: str) -> None:
    """The fuzzers' seeds are valid files: a reader that rejects them would hide every bug."""
    if reader == "orlib":
        for name, data in harness.orlib_seeds():
            harness.check_orlib(tmp_path, name, data)
    elif reader == "scenario":
        tasks, workers = harness.scenario_seed(tmp_path)
        harness.check_scenario(tmp_path, tasks, workers)
    elif reader == "replay_csv":
        harness.check_replay(tmp_path, ".csv", harness.replay_csv_seed())
    elif reader == "replay_parquet":
        harness.check_replay(tmp_path, ".parquet", harness.replay_parquet_seed())
    else:
        harness.check_collect(tmp_path, [harness.row_seed("a"), harness.row_seed("b")])
