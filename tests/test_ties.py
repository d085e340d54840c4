"""Tie edits through PUT/DELETE /key-persons/{id}/ties/{type}/{from}: scoped, kept in history.

The small company (tests/small.py): E2 (rep, owns A1) influences P3 at 80; P3 influences P2 at
50; P2 influences P1 at 90; E3 (rep, owns A2 and A3, not A1) knows P1 at 20. P9 is in A3.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.audit import history
from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.paths import best_paths
from graphbrm.store import Store
from tests.conftest import FROZEN
from tests.small import small_bundle

OPERATOR = Viewer.operator()
E1 = Viewer("E1", "manager")  # E2's and E3's manager
E2 = Viewer("E2", "rep")
E3 = Viewer("E3", "rep")
TIES = "/api/v1/key-persons/{person}/ties/{type}/{source}"


@pytest.fixture
def small(store: Store, frozen_clock: Any) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def url(person: str, tie_type: str, source: str) -> str:
    return TIES.format(person=person, type=tie_type, source=source)


def paths(store: Store, person_id: str) -> list[tuple[float, list[str]]]:
    found = best_paths(store, viewer=OPERATOR, target_id=person_id, k=10)
    return [(p.strength, p.nodes) for p in found.paths]


def tie_records(store: Store, person_id: str) -> list[dict[str, Any]]:
    """The tie changes made through the API into this person, newest first."""
    return [r.model_dump() for r in history(store, viewer=OPERATOR, person_id=person_id).data
            if r.kind == "tie" and r.source == "api" and r.person_id == person_id]


def test_a_rep_adds_changes_and_removes_a_tie_on_their_account(small: Store, client_for: Any,
                                                               frozen_clock: Any) -> None:
    client = client_for(small, E2)
    minute = iter(range(1, 10))
    assert paths(small, "P2") == [(0.4, ["E2", "P3", "P2"])]
    added = client.put(url("P2", "knows", "E2"), json={"strength": 60})
    assert added.status_code == 200, added.text
    assert added.json() | {} == {"type": "knows", "from_id": "E2", "from_kind": "employee",
                                 "person_id": "P2", "account_id": "A1", "strength": 60,
                                 "before": None, "created": True}
    # The direct tie (0.60) now beats E2 → P3 → P2 (0.80 × 0.50 = 0.40).
    assert paths(small, "P2") == [(0.6, ["E2", "P2"]), (0.4, ["E2", "P3", "P2"])]
    frozen_clock(FROZEN + dt.timedelta(minutes=next(minute)))
    changed = client.put(url("P2", "knows", "E2"), json={"strength": 30}).json()
    assert (changed["before"], changed["created"]) == (60, False)
    frozen_clock(FROZEN + dt.timedelta(minutes=next(minute)))
    removed = client.delete(url("P2", "knows", "E2"))
    assert removed.status_code == 200 and removed.json()["before"] == 30
    assert paths(small, "P2") == [(0.4, ["E2", "P3", "P2"])]
    # Newest first: removed (30 → none), changed (60 → 30), added (none → 60); actor and source.
    trail = tie_records(small, "P2")
    assert [(r["changes"][0]["before"], r["changes"][0]["after"]) for r in trail] == [
        (30, None), (60, 30), (None, 60)]
    assert {(r["actor"], r["source"], r["tie_type"], r["from_id"]) for r in trail} == {
        ("E2", "api", "KNOWS", "E2")}


def test_the_same_strength_again_adds_no_history(small: Store, client_for: Any) -> None:
    client = client_for(small, E2)
    assert client.put(url("P3", "influences", "E2"), json={"strength": 80}).json()["before"] == 80
    assert tie_records(small, "P3") == []


def test_since_is_today_for_a_new_tie_and_kept_on_a_change(small: Store,
                                                            client_for: Any) -> None:
    client = client_for(small, OPERATOR)
    client.put(url("P4", "influences", "E3"), json={"strength": 70})
    client.put(url("P3", "influences", "E2"), json={"strength": 85})
    since = {(t["from"], t["to"]): t["since"] for t in small.read("export/influences")}
    assert since[("E3", "P4")] == "2026-11-28"  # the frozen clock's day
    assert since[("E2", "P3")] == "2025-03-01"  # the imported day stays
    client.put(url("P4", "influences", "E3"), json={"strength": 70, "since": "2024-05-06"})
    assert {(t["from"], t["to"]): t["since"] for t in small.read("export/influences")}[
        ("E3", "P4")] == "2024-05-06"


def test_a_key_person_influences_another_of_the_same_account_only(small: Store,
                                                                  client_for: Any) -> None:
    client = client_for(small, E2)
    assert client.put(url("P1", "influences", "P3"), json={"strength": 40}).status_code == 200
    assert (0.32, ["E2", "P3", "P1"]) in paths(small, "P1")  # 0.80 × 0.40
    # P9 belongs to A3: not a person of A1, so no such pair (404, nothing written).
    assert client_for(small, OPERATOR).put(url("P1", "influences", "P9"),
                                           json={"strength": 40}).status_code == 404


def test_foreign_ties_look_missing_and_nothing_is_written(small: Store, client_for: Any) -> None:
    client = client_for(small, E3)  # E3 does not see A1
    before = tie_records(small, "P2")
    assert client.put(url("P2", "knows", "E3"), json={"strength": 60}).status_code == 404
    assert client.delete(url("P2", "influences", "P3")).status_code == 404
    assert tie_records(small, "P2") == before
    assert paths(small, "P2") == [(0.4, ["E2", "P3", "P2"])]
    # The manager of E2's line may.
    assert client_for(small, E1).put(url("P2", "knows", "E3"),
                                     json={"strength": 60}).status_code == 200


@pytest.mark.parametrize(("path", "body", "field"), [
    (url("P2", "knows", "P2"), {"strength": 60}, "from_id"),
    (url("P2", "knows", "E2"), {"strength": 101}, "strength"),
    (url("P2", "knows", "E2"), {"strength": "60"}, "strength"),
    (url("P2", "knows", "E2"), {"strength": 60, "since": "yesterday"}, "since"),
    (url("P2", "knows", "E2"), {"strength": 60, "actor": "E9"}, "actor"),
    (url("P2", "likes", "E2"), {"strength": 60}, "tie_type"),
])
def test_bad_input_names_the_field_and_writes_nothing(small: Store, client_for: Any, path: str,
                                                      body: dict[str, Any], field: str) -> None:
    response = client_for(small, OPERATOR).put(path, json=body)
    assert response.status_code == 422 and field in response.text, response.text
    assert paths(small, "P2") == [(0.4, ["E2", "P3", "P2"])]


def test_missing_ends_and_ties_are_404(small: Store, client_for: Any) -> None:
    client = client_for(small, OPERATOR)
    assert client.put(url("P2", "knows", "E404"), json={"strength": 60}).status_code == 404
    # Only our employees know people: a key person's id is no employee (and says no more).
    refused = client.put(url("P2", "knows", "P3"), json={"strength": 60})
    assert refused.status_code == 404 and "only our employees" in refused.text
    assert client.put(url("P404", "knows", "E2"), json={"strength": 60}).status_code == 404
    assert client.delete(url("P2", "knows", "E2")).status_code == 404  # no such tie


def test_cli_sets_and_removes_a_tie(small: Store, point_cli_at: Any) -> None:
    from typer.testing import CliRunner

    from graphbrm.cli import app

    point_cli_at(small)
    runner = CliRunner()
    added = runner.invoke(app, ["ties", "set", "P2", "E3", "--strength", "45", "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["created"] is True
    assert (0.45, ["E3", "P2"]) in paths(small, "P2")
    removed = runner.invoke(app, ["ties", "remove", "P2", "E3"])
    assert removed.exit_code == 0 and "knows E3 → P2 (A1): 45 → removed" in removed.stdout
    assert runner.invoke(app, ["ties", "remove", "P2", "E3"]).exit_code != 0  # gone already
    assert [r["actor"] for r in tie_records(small, "P2")] == ["operator", "operator"]
