"""The derived account series equal the figures replayed from the Score records, on any day.

The dashboard and the yearly assessment read `dashboard/account_states` (the series); the
review and the account pages replay the records (`accounts/account_figures`). Random histories,
back-dated re-imports, edits through the API and moved persons must never set them apart.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from graphbrm import derived
from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.figures import Thresholds, cut
from graphbrm.importer import import_bundle
from graphbrm.key_persons import KeyPersonUpdate, update_key_person
from graphbrm.store import Store
from graphbrm.vocabulary import DIMENSIONS
from tests.small import small_bundle

ALL = {"all": True, "visible": []}
START = dt.date(2024, 1, 1)


def random_company(rng: random.Random, *, accounts: int = 6) -> dict[str, list[dict[str, Any]]]:
    """Accounts with nested departments, persons with scattered (often unknown) score records."""
    bundle: dict[str, list[dict[str, Any]]] = {
        "accounts": [], "departments": [], "key_persons": [], "score_history": []}
    for a in range(accounts):
        bundle["accounts"].append({"id": f"A{a}", "name": f"Account {a}", "tier": "key",
                                   "expected_key_persons": 5})
        departments = [f"D{a}-{d}" for d in range(3)]
        for d, dep in enumerate(departments):
            parent = departments[d - 1] if d else None
            bundle["departments"].append({"id": dep, "account_id": f"A{a}", "name": dep,
                                          "parent_id": parent})
        for p in range(rng.randint(0, 6)):  # some accounts have no key persons at all
            person = f"P{a}-{p}"
            bundle["key_persons"].append({"id": person, "department_id": rng.choice(departments),
                                          "name": person, "decision_role": "user"})
            for _ in range(rng.randint(0, 5)):
                bundle["score_history"].append({"person_id": person, "at": random_day(rng),
                                                **random_scores(rng)})
    return dedupe_days(bundle)


def random_day(rng: random.Random) -> str:
    return (START + dt.timedelta(days=rng.randint(0, 700))).isoformat()


def random_scores(rng: random.Random) -> dict[str, int | None]:
    return {d: None if rng.random() < 0.2 else rng.randint(0, 100) for d in DIMENSIONS}


def dedupe_days(bundle: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """One record per person and day (two different ones are a separate rule's business)."""
    seen = {(h["person_id"], h["at"]): h for h in bundle["score_history"]}
    bundle["score_history"] = list(seen.values())
    return bundle


def replayed(store: Store, ids: list[str], day: dt.date) -> dict[str, tuple[Any, ...]]:
    rows = store.read("accounts/account_figures", ids=ids, cut=cut(day), **ALL)
    return {r["id"]: (r["identified"], *(r[d] for d in DIMENSIONS)) for r in rows}


def from_series(store: Store, ids: list[str], day: dt.date) -> dict[str, tuple[Any, ...]]:
    rows = store.read("dashboard/account_states", ids=ids, cuts=[cut(day)], **ALL)
    return {r["account_id"]: (r["key_persons"], *(r[d] for d in DIMENSIONS)) for r in rows}


def assert_series_match(store: Store, ids: list[str], days: list[dt.date]) -> None:
    for day in days:
        expected, got = replayed(store, ids, day), from_series(store, ids, day)
        assert set(got) == set(expected), day
        for account, values in expected.items():
            assert got[account] == pytest.approx(values), (account, day)


def some_days(rng: random.Random) -> list[dt.date]:
    days = [START - dt.timedelta(days=1), dt.date.today(), *(
        START + dt.timedelta(days=rng.randint(0, 720)) for _ in range(12))]
    return sorted(set(days))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_series_equal_the_replayed_records_after_imports_and_edits(store: Store,
                                                                       seed: int) -> None:
    rng = random.Random(seed)
    company = random_company(rng)
    import_bundle(store, parse_tables(company))
    ids = [a["id"] for a in company["accounts"]]
    assert_series_match(store, ids, some_days(rng))

    # A second import: back-dated records, one person moved to another account, a new person.
    more = {"score_history": [{"person_id": rng.choice(company["key_persons"])["id"],
                               "at": random_day(rng), **random_scores(rng)} for _ in range(10)]}
    moved = dict(company["key_persons"][0], department_id="D5-2")
    more["key_persons"] = [moved, {"id": "PX", "department_id": "D0-0", "name": "PX",
                                   "decision_role": "veto", "closeness": 70,
                                   "solution_acceptance": 65, "price_acceptance": 90,
                                   "scored_at": "2025-02-03"}]
    import_bundle(store, parse_tables(dedupe_days(more)))
    assert_series_match(store, ids, some_days(rng))

    # Edits through the API, today: one dimension, one set unknown, several on one person.
    for person in rng.sample([p["id"] for p in company["key_persons"]], 3):
        update_key_person(store, viewer=Viewer.operator(), person_id=person,
                          changes=KeyPersonUpdate(closeness=rng.randint(0, 100)),
                          thresholds=Thresholds())
    assert_series_match(store, ids, [dt.date.today(), dt.date.today() - dt.timedelta(days=1)])


def test_the_series_of_the_small_company_by_hand(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    # A1 on 2026-10-01: closeness (80 + 90 + 70 + 40) / 4 = 70; price known for 3 of 4 persons:
    # (59 + 80 + 61) / 3. A2 has no key persons: nothing is known.
    [a1] = store.read("dashboard/account_states", ids=["A1"], cuts=["2026-10-02"], **ALL)
    assert (a1["key_persons"], a1["closeness"]) == (4, 70)
    assert a1["price_acceptance"] == pytest.approx(200 / 3)
    [a2] = store.read("dashboard/account_states", ids=["A2"], cuts=["2026-10-02"], **ALL)
    assert (a2["key_persons"], a2["closeness"], a2["price_acceptance"]) == (0, None, None)


def test_rebuild_recomputes_a_lost_series_from_the_records(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    before = from_series(store, ["A1", "A2"], dt.date(2026, 10, 1))
    store.write("test/forget_account_series")
    assert from_series(store, ["A1", "A2"], dt.date(2026, 10, 1)) == {}
    assert derived.rebuild_all(store) == 3
    assert from_series(store, ["A1", "A2"], dt.date(2026, 10, 1)) == before
