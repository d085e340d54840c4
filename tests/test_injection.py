"""Hostile text in every string field of every write route and of the import.

Each value is either stored and read back exactly, or refused with 422 — and in both cases the
rest of the graph is untouched: its full dump (every node's and relationship's properties)
differs from the one before only by the intended write.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from graphbrm import tokens
from graphbrm.api.app import create_app
from graphbrm.bundle import parse_tables
from graphbrm.bundle_export import export_bundle
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.small import small_bundle

# ~10 kB: "关系图谱😀" is 4 × 3 + 4 = 16 bytes of UTF-8 in 5 characters; 625 of them = 10,000 bytes.
TEN_KB = "关系图谱😀" * 625
HOSTILE = {
    "quote": "' OR 1=1 //",
    "close-and-delete": '"})-[r]-() DELETE r //',
    "escaped-quote": '\\"}) MATCH (n) DETACH DELETE n //',
    "backticks": "`Account`) DETACH DELETE n // `KeyPerson`",
    "parameters": "$all $visible {id: $person_id} $$",
    "ten-kb": TEN_KB,
}
# Cap of each free-text field (characters), as the request models declare them.
CAPS = {"review notes": 20_000, "action text": 2000, "activity type": 200, "activity note": 2000}

Dump = Counter[str]


def dump(store: Store) -> Dump:
    """Every node and relationship with all its properties, as a multiset of JSON lines; the
    derived bookkeeping (the data version, the account series) is rewritten by design."""
    nodes = rows_of(store, "MATCH (n) WHERE NOT n:DataVersion AND NOT n:AccountSeries "
                           "RETURN labels(n) AS l, properties(n) AS p", ("l", "p"))
    rels = rows_of(store, "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, "
                          "properties(r) AS p, b.id AS b", ("a", "t", "p", "b"))
    return Counter(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in nodes + rels)


def rows_of(store: Store, text: str, columns: tuple[str, ...]) -> list[list[Any]]:
    """The rows with their values in the order of `columns`, whatever order the store gives."""
    names, rows, _ = store.run_read_only(text, {}, timeout_s=10, row_limit=1_000_000)
    return [[row[names.index(c)] for c in columns] for row in rows]


def added_kinds(before: Dump, after: Dump) -> Counter[str]:
    """What a write added, by label or relationship type; it must have removed nothing."""
    assert before - after == Counter(), "the write changed or removed existing data"
    kinds: Counter[str] = Counter()
    for line, n in (after - before).items():
        row = json.loads(line)
        kinds[row[0][0] if isinstance(row[0], list) else row[1]] += n
    return kinds


class Api:
    def __init__(self, store: Store, client: TestClient) -> None:
        self.store, self.client = store, client
        self.headers = {role: {"Authorization": "Bearer " + tokens.create_token(
            store, employee_id=employee, role=role, lifetime_days=1).token}
            for role, employee in (("rep", "E2"), ("manager", "E1"), ("admin", "E1"),
                                   ("data", "E1"))}

    def send(self, role: str, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, path, headers=self.headers[role], **kwargs)


@pytest.fixture
def api(store: Store) -> Iterator[Api]:
    import_bundle(store, parse_tables(small_bundle()))
    with TestClient(create_app(Settings(), store)) as client:
        yield Api(store, client)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_review_notes_and_actions(api: Api, name: str) -> None:
    text = HOSTILE[name]
    before = dump(api.store)
    review = {"date": "2026-11-27", "rep_id": "E2", "notes": text,
              "actions": [{"text": text[:2000], "person_id": "P1"}]}
    response = api.send("manager", "POST", "/api/v1/accounts/A1/reviews", json=review)
    assert response.status_code == 201, response.text
    assert added_kinds(before, dump(api.store)) == {"Review": 1, "REVIEWS": 1}
    stored = api.send("rep", "GET", "/api/v1/accounts/A1/reviews").json()["data"][0]
    assert stored["notes"] == text
    assert stored["actions"][0]["text"] == text[:2000]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_activity_type_and_note(api: Api, name: str) -> None:
    text = HOSTILE[name]
    before = dump(api.store)
    activity = {"kind": "optional", "type": text, "note": text, "person_ids": ["P3"]}
    response = api.send("rep", "POST", "/api/v1/activities", json=activity)
    if len(text) > CAPS["activity type"]:
        assert response.status_code == 422
        assert dump(api.store) == before
        return
    assert response.status_code == 201, response.text
    # One Activity, BY its employee, WITH one person.
    assert added_kinds(before, dump(api.store)) == {"Activity": 1, "BY": 1, "WITH": 1}
    daily = api.send("rep", "GET", "/api/v1/employees/E2/daily").json()
    logged = [a for a in daily["activities"] if a["id"] == response.json()["id"]]
    assert [(a["type"], a["note"]) for a in logged] == [(text, text)]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_ids_and_enums_never_reach_the_graph_as_code(api: Api, name: str) -> None:
    text = HOSTILE[name]
    before = dump(api.store)
    missing = 404 if len(text) <= 200 else 422  # ids are capped at 200 characters
    # An id in a new activity is also refused when it holds '/' (ids are URL segments).
    bad_id = 422 if len(text) > 200 or "/" in text else 404
    calls = [
        ("rep", "PATCH", "/api/v1/key-persons/P1", {"decision_role": text}, 422),
        ("rep", "PATCH", f"/api/v1/key-persons/{quote(text, safe='')}", {"closeness": 1}, missing),
        ("manager", "POST", "/api/v1/accounts/A1/reviews",
         {"date": "2026-11-27", "rep_id": text}, 422),
        ("rep", "POST", "/api/v1/activities",
         {"kind": "optional", "type": "拜访", "person_ids": [text]}, bad_id),
        ("rep", "POST", "/api/v1/analysis/what-if",
         {"person_changes": [{"person_id": text, "closeness": 1}]}, missing),
    ]
    for role, method, path, body, status in calls:
        response = api.send(role, method, path, json=body)
        assert response.status_code == status, (path[:80], response.text[:300])
    found = 200 if len(text) <= 200 else 422
    for path, status in ((f"/api/v1/accounts/{quote(text, safe='')}", missing),
                         (f"/api/v1/accounts?q={quote(text)}", found),
                         (f"/api/v1/audit?person_id={quote(text)}", missing)):
        assert api.send("manager", "GET", path).status_code == status, path[:80]
    assert dump(api.store) == before


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_read_only_query_takes_hostile_text_as_data(api: Api, name: str) -> None:
    text = HOSTILE[name]
    before = dump(api.store)
    answer = api.send("data", "POST", "/api/v1/query",
                      json={"query": "RETURN $text AS text", "params": {"text": text}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["rows"] == [[text]]
    assert dump(api.store) == before


def hostile_bundle(text: str) -> dict[str, list[dict[str, Any]]]:
    """One new account with a department, a key person and an activity, all named `text`."""
    return {
        "accounts": [{"id": "HX", "name": text[:500], "industry": text[:2000],
                      "region": text[:2000], "tier": "key", "expected_key_persons": 1}],
        "departments": [{"id": "HX-D", "account_id": "HX", "name": text[:500]}],
        "key_persons": [{"id": "HX-P", "department_id": "HX-D", "name": text[:500],
                         "title": text[:2000], "decision_role": "veto", "closeness": 50,
                         "scored_at": "2026-11-01"}],
        "activities": [{"id": "HX-ACT", "employee_id": "E2", "kind": "optional",
                        "type": text[:200], "at": "2026-11-02", "note": text[:2000],
                        "person_ids": ["HX-P"]}],
    }


def upload(bundle: dict[str, Any]) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("bundle.json", json.dumps(bundle, ensure_ascii=False).encode(),
                     "application/json")}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_import_stores_hostile_names_exactly(api: Api, name: str) -> None:
    text = HOSTILE[name]
    before = dump(api.store)
    bundle = hostile_bundle(text)
    response = api.send("admin", "POST", "/api/v1/import", files=upload(bundle))
    assert response.status_code == 200, response.text
    assert added_kinds(before, dump(api.store)) == {
        "Account": 1, "Department": 1, "KeyPerson": 1, "Activity": 1, "Score": 1,
        "PART_OF": 1, "MEMBER_OF": 1, "SCORED": 1, "BY": 1, "WITH": 1}
    exported = export_bundle(api.store)
    for table, rows in bundle.items():
        stored = {r["id"]: r for r in exported[table]}
        for row in rows:
            for key, value in row.items():
                if isinstance(value, str):
                    assert stored[row["id"]][key] == value, (table, key)


def test_text_over_the_cap_is_refused_whole(api: Api) -> None:
    before = dump(api.store)
    bundle = hostile_bundle(TEN_KB)
    bundle["accounts"][0]["name"] = TEN_KB  # 3,125 characters, the cap is 500
    response = api.send("admin", "POST", "/api/v1/import", files=upload(bundle))
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "name"
    assert dump(api.store) == before


NUL_REQUESTS = [
    ("manager", "POST", "/api/v1/accounts/A1/reviews",
     {"date": "2026-11-27", "rep_id": "E2", "notes": "a\u0000b"}),
    ("manager", "POST", "/api/v1/accounts/A1/reviews",
     {"date": "2026-11-27", "rep_id": "E2", "actions": [{"text": "\u0000"}]}),
    ("rep", "POST", "/api/v1/activities",
     {"kind": "optional", "type": "拜访\u0000", "person_ids": ["P3"]}),
    ("rep", "POST", "/api/v1/activities",
     {"kind": "optional", "type": "拜访", "note": "\u0000", "person_ids": ["P3"]}),
    ("rep", "PATCH", "/api/v1/key-persons/P1\u0000", {"closeness": 1}),
    ("data", "POST", "/api/v1/query", {"query": "RETURN $t AS t", "params": {"t": "\u0000"}}),
    ("rep", "GET", "/api/v1/accounts?q=%00", None),
]


@pytest.mark.parametrize("request_", NUL_REQUESTS, ids=lambda r: f"{r[1]} {r[2][:30]}")
def test_nul_is_refused_with_422_and_nothing_is_written(api: Api,
                                                        request_: tuple[Any, ...]) -> None:
    # Decision: NUL is refused everywhere. The FalkorDB client sends parameters inside the
    # query text, where a NUL ends it, so it could not be stored exactly.
    role, method, path, body = request_
    before = dump(api.store)
    response = api.send(role, method, path.replace("\u0000", "%00"), json=body)
    assert response.status_code == 422, response.text
    assert dump(api.store) == before


def test_nul_in_an_imported_name_is_refused_and_nothing_is_written(api: Api) -> None:
    before = dump(api.store)
    bundle = hostile_bundle("x")
    bundle["key_persons"][0]["title"] = "a\u0000b"
    response = api.send("admin", "POST", "/api/v1/import", files=upload(bundle))
    assert response.status_code == 422
    assert dump(api.store) == before


@pytest.mark.parametrize("key", ["a`b", ""])
def test_query_parameter_map_keys_are_checked(api: Api, key: str) -> None:
    # The FalkorDB client writes parameters into the query text, where a backtick in a map key
    # would end the quoted key: refused before any store sees it, on both stores alike.
    answer = api.send("data", "POST", "/api/v1/query",
                      json={"query": "RETURN $m AS m", "params": {"m": {key: 1}}})
    assert answer.status_code == 422, answer.text
    assert f"map key {key!r}" in answer.text
    # A plain key passes the same check and comes back as sent.
    plain = api.send("data", "POST", "/api/v1/query",
                     json={"query": "RETURN $m AS m", "params": {"m": {"ab": 1}}})
    assert plain.status_code == 200, plain.text
    assert plain.json()["rows"] == [[{"ab": 1}]]
