"""The averages-at-closing stored on opportunities equal the account's figures as of that day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graphbrm.access import Viewer
from graphbrm.accounts import figures_for
from graphbrm.bundle import parse_tables
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.key_persons import KeyPersonUpdate, update_key_person
from graphbrm.store import Store
from tests.small import small_bundle


def closing(store: Store) -> dict[str, dict[str, Any]]:
    rows = store.read("test/closing_averages", ids=["A1"], cut="9999-12-31", all=True,
                      visible=[])
    return {f"{r['won']}": r for r in rows}


def figures_on(store: Store, day: str) -> dict[str, Any]:
    found = figures_for(store, ids=["A1"], as_of=dt.date.fromisoformat(day), thresholds=Thresholds(),
                        params={"all": True, "visible": []})
    return found[0].averages.model_dump()


def test_stored_closing_averages_match_the_figures_of_that_day(store: Store) -> None:
    raw = small_bundle()
    today = dt.date.today().isoformat()
    raw["opportunities"][1]["closed_at"] = today  # O2 (lost) closes today
    import_bundle(store, parse_tables(raw))
    # O1 (won) closed 2026-06-30: only the 2025-11-01 records count, closeness (50+60)/2 = 55.
    won, lost = closing(store)["True"], closing(store)["False"]
    assert won["closeness"] == figures_on(store, "2026-06-30")["closeness"] == 55
    assert lost["closeness"] == figures_on(store, today)["closeness"] == 70

    # An edit today changes what O2 closed with, and nothing about O1.
    update_key_person(store, viewer=Viewer.operator(), person_id="P4",
                      changes=KeyPersonUpdate(closeness=80), thresholds=Thresholds())
    won, lost = closing(store)["True"], closing(store)["False"]
    assert lost["closeness"] == figures_on(store, today)["closeness"] == (80 + 90 + 70 + 80) / 4
    assert won["closeness"] == 55
