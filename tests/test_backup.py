"""`graphbrm backup` and `graphbrm restore`: everything round-trips between the stores, a store
with data is only replaced when asked, and a bad file or a failed restore changes nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from graphbrm import backup, tokens
from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.cli import app
from graphbrm.derived import ensure_days
from graphbrm.errors import Conflict
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.review import list_reviews, monthly_review
from graphbrm.store import Store, graph_copy, neo4j_token_graph
from graphbrm.store.falkor import FalkorStore
from tests.recording import RecordingStore
from tests.small import small_bundle

_numbers = itertools.count()
NEO4J = pytest.mark.neo4j
ROUTES = ["falkordb->falkordb", pytest.param("falkordb->neo4j", marks=NEO4J),
          pytest.param("neo4j->falkordb", marks=NEO4J)]
NOV_28 = dt.date(2026, 11, 28)
UTC = ZoneInfo("UTC")
# A label and a relationship type graphbrm has never written, with a value of every kind.
ZETA = {"id": "Z1", "ratio": 1.0, "count": 2, "big": 9007199254740993, "tags": ["a", "b"],
        "weights": [0.5, 1.0], "flag": False, "day": dt.date(2026, 1, 31),
        "name": '王建国 "quoted"\n\\ `tick`'}


@pytest.fixture
def make_store(request: pytest.FixtureRequest) -> Iterator[Callable[[str], Store]]:
    """`make_store(kind)`: an empty store of that kind, with its own graphs."""
    made: list[Any] = []

    def make(kind: str) -> Store:
        server = request.getfixturevalue("embedded_server")
        name = f"backup{next(_numbers)}"
        if kind == "falkordb":
            inner: Any = FalkorStore("127.0.0.1", server.port, name, password=server.password)
        else:
            from graphbrm.store.neo4j import Neo4jStore

            uri, user, password = request.getfixturevalue("neo4j_settings")
            token_side = FalkorStore("127.0.0.1", server.port, neo4j_token_graph(name, "neo4j"),
                                     password=server.password, tokens_only=True)
            inner = Neo4jStore(uri, user, password, "neo4j", tokens=token_side)
        inner.clear()
        inner.ensure_schema()
        made.append(inner)
        return RecordingStore(inner)  # type: ignore[return-value]

    yield make
    for inner in made:
        inner.clear()
        inner.close()


def fill(store: Store, client_for: Any) -> dict[str, str]:
    """A company with every kind of record: imported data, a score and a role edit by a rep, a
    recorded review, an activity, two tokens (one revoked), and a label of its own."""
    import_bundle(store, parse_tables(small_bundle()))
    rep, manager = client_for(store, Viewer("E2", "rep")), client_for(store, Viewer("E1", "manager"))
    assert rep.patch("/api/v1/key-persons/P1", json={"price_acceptance": 65}).status_code == 200
    assert rep.patch("/api/v1/key-persons/P1",
                     json={"decision_role": "approver"}).status_code == 200
    assert manager.post("/api/v1/accounts/A1/reviews", json={
        "date": "2026-10-31", "rep_id": "E2", "notes": "价格是关键",
        "actions": [{"text": "Call 王建国", "person_id": "P1"}]}).status_code == 201
    activity = rep.post("/api/v1/activities", json={
        "kind": "prescribed", "type": "高层拜访", "at": "2026-11-20T02:00:00.000Z",
        "note": "带客户参观", "person_ids": ["P1"]})
    assert activity.status_code == 201, activity.text
    kept = tokens.create_token(store, employee_id="E1", role="manager", lifetime_days=30)
    gone = tokens.create_token(store, employee_id="E2", role="rep", lifetime_days=30)
    tokens.revoke_token(store, token_id=gone.info.token_id)
    write_raw(store, "MATCH (a:Account {id: 'A1'}) CREATE (z:Zeta)-[:ZETA_OF {w: 1.0}]->(a) "
                     "SET z = $props, z.day = date('2026-01-31')",
              props={k: v for k, v in ZETA.items() if k != "day"})
    ensure_days(store, UTC)  # as opening the store from the command line does
    return {"kept": kept.token, "gone": gone.token}


def contents(store: Store) -> backup.Summary:
    return backup.summary(store.dump_graph(), len(tokens.token_records(store)))


def cli(store: Store, point_cli_at: Any, *args: str) -> Any:
    point_cli_at(store)
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("route", ROUTES)
def test_everything_round_trips_between_the_stores(route: str, make_store: Any, client_for: Any,
                                                   point_cli_at: Any, tmp_path: Path) -> None:
    source_kind, target_kind = route.split("->")
    source, target = make_store(source_kind), make_store(target_kind)
    signed = fill(source, client_for)
    file = tmp_path / "all.jsonl.gz"
    written = cli(source, point_cli_at, "backup", str(file))
    assert written.exit_code == 0, written.output
    restored = cli(target, point_cli_at, "restore", str(file))
    assert restored.exit_code == 0, restored.output

    before, after = contents(source), contents(target)
    assert after == before  # counts per label and type, tokens, and every property's checksum
    # the bundle's activity and the one logged here; the review; the two tokens
    assert (before.per_label["Review"], before.per_label["Activity"], before.tokens) == (1, 2, 2)
    assert before.per_label["RoleChange"] == 1 and before.per_type["ZETA_OF"] == 1
    assert f"backed up {before.nodes} nodes, {before.relationships} relationships and 2 tokens" \
        in written.output
    zeta = [props for labels, props in target.dump_graph().nodes if "Zeta" in labels]
    assert zeta == [ZETA]
    assert [type(zeta[0][k]) for k in ("ratio", "count", "day")] == [float, int, dt.date]
    # Who changed P1's price, and how, came along.
    scores = [p for labels, p in target.dump_graph().nodes
              if "Score" in labels and p.get("source") == "api"]
    assert [(s["actor"], s["price_acceptance"]) for s in scores] == [("E2", 65)]
    # The same review figures, the recorded review, and the same sign-ins.
    for viewer in (Viewer.operator(), Viewer("E1", "manager")):
        assert _review(target, viewer) == _review(source, viewer)
        assert list_reviews(target, viewer=viewer, account_id="A1") == list_reviews(
            source, viewer=viewer, account_id="A1")
    assert tokens.viewer_for_token(target, token=signed["kept"]) == Viewer("E1", "manager")
    with pytest.raises(Exception, match="revoked"):
        tokens.viewer_for_token(target, token=signed["gone"])
    # No report cached from what the restore replaced is served again.
    assert target.dump_graph().data_version() > source.dump_graph().data_version()


def _review(store: Store, viewer: Viewer) -> Any:
    return _rounded(monthly_review(store, viewer=viewer, account_id="A1", as_of=NOV_28,
                                   thresholds=Thresholds()).model_dump(mode="json"))


def _rounded(value: Any) -> Any:
    """Floats to 9 places: FalkorDB answers a computed average with 15 significant digits
    (66.6666666666667), Neo4j with 17; the stored records are compared exactly above."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def test_a_store_with_data_is_replaced_only_when_asked(store: Store, client_for: Any,
                                                       point_cli_at: Any, tmp_path: Path) -> None:
    fill(store, client_for)
    file = tmp_path / "backup.jsonl"
    backup.backup(store, file)
    saved = contents(store)
    rep = client_for(store, Viewer("E2", "rep"))
    assert rep.patch("/api/v1/key-persons/P2", json={"closeness": 10}).status_code == 200
    changed = contents(store)

    refused = cli(store, point_cli_at, "restore", str(file))
    assert (refused.exit_code, refused.output.strip()) == (
        1, "conflict: the store already holds data; restore with --replace to put the backup "
           "in its place")
    assert contents(store) == changed
    replaced = cli(store, point_cli_at, "restore", str(file), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert contents(store) == saved


def test_tokens_alone_make_a_store_not_empty(store: Store, tmp_path: Path) -> None:
    file = tmp_path / "empty.jsonl"
    assert backup.backup(store, file).nodes == 0
    import_bundle(store, parse_tables(small_bundle()))
    new = tokens.create_token(store, employee_id="E1", role="admin", lifetime_days=1)
    write_raw(store, "MATCH (n) WHERE NOT n:DataVersion DETACH DELETE n")
    with pytest.raises(Conflict, match="--replace"):
        backup.restore(store, file, replace=False, zone=UTC)
    assert tokens.viewer_for_token(store, token=new.token).role == "admin"
    backup.restore(store, file, replace=True, zone=UTC)
    assert tokens.token_records(store) == []


@pytest.mark.parametrize("damage, message", [
    (lambda lines: lines[:3] + lines[4:], "cut short or has lines added"),
    (lambda lines: lines[:-1], "cut short or has lines added"),
    (lambda lines: [line.replace("王建国", "王建民") for line in lines],
     "changed after it was written"),
    (lambda lines: [], "the file is empty"),
    (lambda lines: ['{"format": "something else"}'], "not a graphbrm-backup file"),
])
def test_a_damaged_file_is_refused_before_anything_is_written(
        store: Store, client_for: Any, point_cli_at: Any, tmp_path: Path,
        damage: Callable[[list[str]], list[str]], message: str) -> None:
    fill(store, client_for)
    file = tmp_path / "backup.jsonl"
    backup.backup(store, file)
    before = contents(store)
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    damaged = damage(lines)
    assert damaged != lines
    file.write_text("".join(damaged), encoding="utf-8")
    result = cli(store, point_cli_at, "restore", str(file), "--replace")
    assert result.exit_code == 2
    assert result.output.startswith("rejected, nothing written")
    assert message in result.output
    assert contents(store) == before


def test_a_restore_that_fails_halfway_changes_nothing(store: Store, client_for: Any,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    file = tmp_path / "backup.jsonl"
    fill(store, client_for)
    backup.backup(store, file)
    rep = client_for(store, Viewer("E2", "rep"))
    assert rep.patch("/api/v1/key-persons/P2", json={"closeness": 10}).status_code == 200
    before = contents(store)

    real, calls = graph_copy._create_relationships, []

    def broken_once(*args: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the disk is full")
        real(*args)  # Neo4j writing back what the restore replaced

    # The nodes are in (FalkorDB's staging graph, or Neo4j's batches) when the relationships
    # fail: FalkorDB drops the staging graph, Neo4j writes the replaced contents back.
    monkeypatch.setattr(graph_copy, "_create_relationships", broken_once)
    with pytest.raises(RuntimeError, match="disk is full"):
        backup.restore(store, file, replace=True, zone=UTC)
    assert contents(store) == before
    assert len(calls) == (1 if store.dialect == "falkordb" else 2)
    if store.dialect == "falkordb":
        graphs = store._db.connection.execute_command("GRAPH.LIST")  # type: ignore[attr-defined]
        assert not [g for g in graphs if "_restore_" in str(g) or "_backup_" in str(g)]


def test_a_write_during_a_backup_is_wholly_in_it_or_wholly_out(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    inner = store.inner  # type: ignore[attr-defined]
    module = __import__(type(inner).__module__, fromlist=["_read_graph"])
    real, reads = module._read_graph, []

    def read_while_writing(source: Any) -> graph_copy.GraphDump:
        reads.append(1)
        if len(reads) == 1:  # another user writes while the backup reads
            store.write("derived/set_day_zone", timezone="Asia/Shanghai")
        return real(source)  # type: ignore[no-any-return]

    store.write("derived/set_day_zone", timezone="UTC")
    monkeypatch.setattr(module, "_read_graph", read_while_writing)
    zones = [p["timezone"] for labels, p in store.dump_graph().nodes if "DataVersion" in labels]
    # FalkorDB copies the graph before it reads, so the backup is the moment before the write;
    # Neo4j sees the data version move and reads again, so it is the moment after.
    expected = (["UTC"], 1) if store.dialect == "falkordb" else (["Asia/Shanghai"], 2)
    assert (zones, len(reads)) == expected


def test_a_file_names_what_it_holds_line_by_line(store: Store, tmp_path: Path) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    file = tmp_path / "b.jsonl"
    done = backup.backup(store, file)
    lines = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    header, ending = lines[0], lines[-1]
    assert header["format"] == "graphbrm-backup" and header["version"] == 1
    assert (header["nodes"], header["relationships"], header["tokens"]) == (
        done.nodes, done.relationships, 0)
    assert len(lines) == done.nodes + done.relationships + 2
    accounts = [e for e in lines[1:1 + done.nodes] if e["labels"] == ["Account"]]
    assert sorted(a["properties"]["id"] for a in accounts) == ["A1", "A2", "A3"]
    assert set(ending) == {"end", "sha256"}


def write_raw(store: Store, text: str, **params: Any) -> None:
    """A write no named query makes (a label graphbrm does not know)."""
    inner = getattr(store, "inner", store)
    if inner.dialect == "falkordb":
        from graphbrm.store.falkor import params_header

        inner._graph.query(params_header(params) + text)
    else:
        inner._driver.execute_query(text, params, database_=inner.database)
