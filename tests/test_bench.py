"""The benchmark cases run, on the small company, and time what they claim to."""

from __future__ import annotations

import datetime as dt

from graphbrm.bench.suite import cases, time_case
from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle


def test_every_case_runs_on_the_sample_account(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    assert store.read("bench/sample_account") == [
        {"account_id": "A1", "person_id": "P1", "rep_id": "E2"}]
    timed = {name: case() for name, case in cases(store, as_of=dt.date(2026, 11, 28)).items()}
    assert timed["monthly review (rep)"].account_id == "A1"
    assert timed["reach paths k=5, 4 hops (rep)"].paths[0].nodes == ["E2", "P3", "P2", "P1"]
    timing = time_case("review", lambda: None, repeat=3)
    assert timing.runs == 3 and 0 <= timing.median_ms <= timing.p90_ms
