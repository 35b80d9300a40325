"""Conformance: the suites of ``gigbench.testing`` run over every registered plugin of every
kind, built-in or installed; the checks an outside plugin must pass (``gigbench-conformance``)
are exactly these.

A new plugin is covered here without any edit. Solvers also run in the variants that take
paths of theirs only large problems reach; ``replay`` runs on a small trip log (it has no
default file).
"""

from __future__ import annotations

import dataclasses

import pytest
from replay_fixtures import DAY, ZONES, write_yellow_csv

from gigbench.testing import KINDS, Check, Skipped, Subject, checks

# Paths a registered plugin takes only on large inputs, run on the small cases too.
VARIANTS = [Subject("solver", "auction", {"sparse_min_edges": 0})]


def subjects() -> list[Subject]:
    """Every registered plugin of every kind with its default parameters, and the variants."""
    found = [Subject(kind, name) for kind in KINDS for name in KINDS[kind].registry().names()]
    return found + [v for v in VARIANTS if v.name in KINDS[v.kind].registry().names()]


CASES = [(subject, check) for subject in subjects() for check in checks(subject.kind)]


@pytest.fixture(scope="module")
def replay_params(tmp_path_factory) -> dict[str, str]:
    """A day of twelve yellow-taxi trips and its zone table."""
    folder = tmp_path_factory.mktemp("replay")
    zones = folder / "zones.csv"
    zones.write_text(
        "LocationID,lon,lat\n" + "".join(f"{i},{lon},{lat}\n" for i, (lon, lat) in ZONES.items())
    )
    trips = write_yellow_csv(folder / "trips.csv")
    return {"path": str(trips), "zones": str(zones), "day": DAY}


@pytest.mark.parametrize(
    ("subject", "check"), CASES, ids=[f"{s.kind}-{s}-{c.id}" for s, c in CASES]
)
def test_plugin_conforms(subject: Subject, check: Check, request) -> None:
    if subject.kind == "generator" and subject.name == "replay":
        subject = dataclasses.replace(subject, params=request.getfixturevalue("replay_params"))
    try:
        check.run(subject)  # raises Failed (an AssertionError) with what was expected and got
    except Skipped as reason:
        pytest.skip(str(reason))


def test_every_kind_has_a_suite() -> None:
    assert set(KINDS) == {"solver", "generator", "pricing", "objective", "reposition",
                          "supply", "pay_rule", "market_kind"}  # fmt: skip
    for kind in KINDS:
        assert len(checks(kind)) >= 5, kind
    with pytest.raises(KeyError, match="valid kinds are: solver, generator"):
        checks("solvers")
