"""The OR-Library assignment reader: both formats, every malformed case, the real files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gigbench.instances import OrlibFormatError, OrlibInstance, read_orlib
from gigbench.instances.orlib import PUBLISHED_OPTIMA, SHA256, verify_published

ORLIB = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "orlib"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --------------------------------------------------------------------------- good files


def test_dense_file_wrapping_across_lines(tmp_path):
    path = write(tmp_path, "assign3.txt", " 3\n 4 1 3 2 0\n 5 3 2\n 2\n")
    instance = read_orlib(path)
    assert isinstance(instance, OrlibInstance)
    assert (instance.name, instance.n, instance.dense, instance.optimum) == (
        "assign3",
        3,
        True,
        None,
    )
    assert instance.n_edges == 9
    assert instance.rows.dtype == np.int64 and instance.cols.dtype == np.int64
    assert instance.costs.dtype == np.int64
    np.testing.assert_array_equal(instance.cost_matrix(), [[4, 1, 3], [2, 0, 5], [3, 2, 2]])
    np.testing.assert_array_equal(instance.rows, np.repeat(np.arange(3), 3))
    np.testing.assert_array_equal(instance.cols, np.tile(np.arange(3), 3))


def test_sparse_file_is_zero_based_and_sorted(tmp_path):
    path = write(tmp_path, "assignp3.txt", " 3 \n 2 3 7 \n 1 2 5 \n 1 1 -4 \n 3 1 9")
    instance = read_orlib(path)
    assert (instance.n, instance.dense, instance.n_edges) == (3, False, 4)
    np.testing.assert_array_equal(instance.rows, [0, 0, 1, 2])
    np.testing.assert_array_equal(instance.cols, [0, 1, 2, 0])
    np.testing.assert_array_equal(instance.costs, [-4, 5, 7, 9])
    matrix = instance.cost_matrix()
    assert matrix[2, 1] == np.inf and matrix[1, 2] == 7 and matrix[2, 0] == 9
    assert instance.cost_matrix(forbidden=0.0)[2, 1] == 0.0


def test_sparse_file_without_edges(tmp_path):
    instance = read_orlib(write(tmp_path, "assignp4.txt", "4\n"))
    assert (instance.n, instance.n_edges) == (4, 0)


def test_format_inferred_from_counts_for_other_names(tmp_path):
    assert read_orlib(write(tmp_path, "tiny.txt", "2\n1 2\n3 4\n")).dense
    sparse = read_orlib(write(tmp_path, "graph.dat", "2\n1 2 3\n2 1 4\n2 2 1\n"))
    assert not sparse.dense and sparse.n_edges == 3
    assert read_orlib(write(tmp_path, "ASSIGN2.TXT", "2 1 2 3 4")).dense


def test_a_published_name_must_hold_the_published_file(tmp_path):
    """The published optimum is attached by name, so a file named assign100.txt with other
    costs is refused (one line naming it and where to get the real one), not scored against
    305; the same costs under another name are a problem of their own."""
    costs = " ".join(["1"] * 100 * 100)
    fake = write(tmp_path, "assign100.txt", f"100\n{costs}\n")
    with pytest.raises(OrlibFormatError, match=r"assign100.txt: expected OR-Library's assign100 "):
        read_orlib(fake)
    with pytest.raises(OrlibFormatError, match=r"download it again from http://people.brunel"):
        verify_published(fake)
    assert read_orlib(write(tmp_path, "mine100.txt", f"100\n{costs}\n")).optimum is None
    assert set(SHA256) == set(PUBLISHED_OPTIMA) and PUBLISHED_OPTIMA["assignp5000"] == 48533


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("assign2.txt", "", r"expected the size n followed by costs, got an empty file"),
        ("assign2.txt", "  \n \n", r"got an empty file"),
        ("assign2.txt", "2\n1 2\n3 x4\n", r"64-bit integers, got 'x4' at line 3 \(token 5\)"),
        ("assign2.txt", "2\n1 2.5\n3 4\n", r"got '2.5' at line 2 \(token 3\)"),
        ("assign2.txt", "2\n1 99999999999999999999 3 4", r"got '99999999999999999999' at line 2"),
        ("assign2.txt", "-2\n1 2 3 4\n", r"expected a size n >= 1 as the first number, got n = -2"),
        ("assign2.txt", "0\n", r"got n = 0; fix the header"),
        ("assign2.txt", "2\n1 2\n3\n", r"expected n \* n = 4 costs after n = 2 .*got 3; .*trunc"),
        ("assign2.txt", "2\n1 2 3 4 5\n", r"n \* n = 4 costs .*got 5"),
        (
            "assignp2.txt",
            "2\n1 1 3\n2 2\n",
            r"i j c triples .*got 5 numbers, not a multiple of 3; ",
        ),
        (
            "assignp2.txt",
            "2\n1 1 3\n2 3 4\n",
            r"indices i, j in 1..2, got i = 2, j = 3 in triple 2",
        ),
        ("assignp2.txt", "2\n1 1 3\n0 1 4\n", r"got i = 0, j = 1 in triple 2 at '0' at line 3"),
        ("assignp2.txt", "2\n1 1 3\n2 2 4\n1 1 5\n", r"pair \(1, 1\) again in triple 3 .*line 4"),
        ("other.txt", "2\n1 2 3 4 5\n", r"n \* n = 4 costs \(dense\) or i j c triples .*got 5 n"),
    ],
)
def test_malformed_files(tmp_path, name, text, match):
    path = write(tmp_path, name, text)
    with pytest.raises(OrlibFormatError, match=match) as info:
        read_orlib(path)
    message = str(info.value)
    assert message.startswith(str(path) + ": expected ")
    assert "; " in message and "\n" not in message


def test_truncated_sparse_names_the_last_line(tmp_path):
    path = write(tmp_path, "assignp2.txt", "2\n1 1 3\n2 2 4\n1 2")
    with pytest.raises(OrlibFormatError, match=r"ends at '2' at line 4 \(token 9\); .*truncated"):
        read_orlib(path)


def test_missing_file_and_error_type(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_orlib(tmp_path / "assign7.txt")
    assert issubclass(OrlibFormatError, ValueError)


# --------------------------------------------------------------------------- real files

EDGES = {"assignp800": 100057, "assignp1500": 99844, "assignp3000": 99629, "assignp5000": 99969}


@pytest.mark.skipif(not ORLIB.is_dir(), reason=f"OR-Library files not found at {ORLIB}")
@pytest.mark.parametrize("name", sorted(PUBLISHED_OPTIMA, key=lambda s: (len(s), s)))
def test_real_orlib_files(name):
    verify_published(ORLIB / f"{name}.txt")  # the checksums are those of the real files
    instance = read_orlib(ORLIB / f"{name}.txt")
    n = int(name.removeprefix("assignp").removeprefix("assign"))
    assert instance.name == name and instance.n == n
    assert instance.dense == (not name.startswith("assignp"))
    assert instance.n_edges == (n * n if instance.dense else EDGES[name])
    assert instance.optimum == PUBLISHED_OPTIMA[name]
    assert instance.rows.min() >= 0 and instance.rows.max() < n
    assert instance.cols.min() >= 0 and instance.cols.max() < n
    assert np.all(np.diff(instance.rows) >= 0)
    assert instance.costs.min() >= 0
    if not instance.dense:
        keys = instance.rows * n + instance.cols
        assert np.all(np.diff(keys) > 0)  # sorted, no duplicate pair
        assert np.unique(instance.rows).size == n  # every row has an allowed column
