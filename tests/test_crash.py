"""Durability of the embedded store: SIGKILL mid-import, and after acknowledged API writes.

The store runs with `fsync="always"` (GRAPHBRM_FSYNC=always): a write is on disk before it is
acknowledged. With the default `everysec` up to about a second of acknowledged writes may be
lost on a crash of the machine or of the store process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graphbrm import tokens
from graphbrm.api.app import create_app
from graphbrm.bundle import Bundle, parse_tables
from graphbrm.bundle_export import export_bundle
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings
from graphbrm.store import Store
from graphbrm.store.embedded import EmbeddedServer
from graphbrm.store.falkor import FalkorStore
from tests.recording import RecordingStore
from tests.small import small_bundle

# The generated company for the killed import: the scale S1 (1,000 accounts, ~316k rows).
CRASH_SCALE = 1.0
KILL_AT = 0.4  # share of the import's rows written before the kill


@contextmanager
def embedded(data_dir: Path) -> Iterator[tuple[EmbeddedServer, Store]]:
    """A store on its own embedded server with fsync=always; the server stops afterwards."""
    server = EmbeddedServer(data_dir, fsync="always")
    port = server.start()
    store = FalkorStore("127.0.0.1", port, "graphbrm", password=server.password)
    store.ensure_schema()
    try:
        yield server, RecordingStore(store)
    finally:
        server.stop()


def checksum(store: Store) -> str:
    """The exported bundle (every table, rows sorted) and the node/relationship counts, hashed."""
    tables = {name: sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)
              for name, rows in export_bundle(store).items()}
    # Alerts are not the company's data: the re-import after a kill compares with the half-written
    # state and may raise some that a clean import does not.
    counts = sorted((r["kind"], r["count"]) for r in store.read("stats/graph_counts")
                    if r["kind"] not in ("node:Alert", "node:Delivery", "rel:SENDS"))
    return hashlib.sha256(json.dumps([tables, counts]).encode()).hexdigest()


@pytest.fixture(scope="module")
def company() -> Bundle:
    from graphbrm.seed.generate import generate

    return parse_tables(generate(scale=CRASH_SCALE, seed=11, end=dt.date(2026, 11, 28)))


def test_an_import_killed_halfway_converges_on_reimport(company: Bundle, tmp_path: Path) -> None:
    with embedded(tmp_path / "clean") as (_, clean):
        import_bundle(clean, company)
        expected = checksum(clean)

    with embedded(tmp_path / "crashed") as (server, store):
        failure = _import_killed_at(store, server, company, KILL_AT)
    assert failure is not None, "the import finished before the kill"

    with embedded(tmp_path / "crashed") as (_, store):
        partial = {r["kind"]: r["count"] for r in store.read("stats/graph_counts")}
        # The batches written before the kill survived, and not everything was written.
        assert partial.get("node:Account", 0) == len(company.accounts)
        assert checksum(store) != expected
        import_bundle(store, company)
        assert checksum(store) == expected


def _import_killed_at(store: Store, server: EmbeddedServer, bundle: Bundle,
                      share: float) -> BaseException | None:
    """Run the import and SIGKILL the store from another thread once `share` of it is written."""
    reached = threading.Event()
    failure: list[BaseException] = []

    def progress(done: int, total: int) -> None:
        if done >= share * total:
            reached.set()

    def run() -> None:
        try:
            import_bundle(store, bundle, batch_size=500, progress=progress)
        except Exception as e:  # the store went away under the import
            failure.append(e)
        finally:
            reached.set()

    worker = threading.Thread(target=run)
    worker.start()
    reached.wait(timeout=300)
    server.kill()  # while the import sends its next batch
    worker.join(timeout=60)
    return failure[0] if failure else None


def test_acknowledged_api_writes_survive_a_kill(tmp_path: Path) -> None:
    edits = [("P1", {"price_acceptance": 61}), ("P2", {"closeness": 95}),
             ("P3", {"decision_role": "coach"}), ("P4", {"price_acceptance": 45}),
             ("P1", {"closeness": 85, "solution_acceptance": 62})]
    with embedded(tmp_path) as (server, store):
        import_bundle(store, parse_tables(small_bundle()))
        token = tokens.create_token(store, employee_id="E1", role="manager", lifetime_days=1)
        headers = {"Authorization": f"Bearer {token.token}"}
        with TestClient(create_app(Settings(), store)) as client:
            for person, change in edits:
                response = client.patch(f"/api/v1/key-persons/{person}", json=change,
                                        headers=headers)
                assert response.status_code == 200
            review = client.post("/api/v1/accounts/A1/reviews", headers=headers,
                                 json={"date": "2026-11-27", "rep_id": "E2", "notes": "已确认"})
            assert review.status_code == 201
            acknowledged = {p: client.get(f"/api/v1/key-persons/{p}", headers=headers).json()
                            for p in ("P1", "P2", "P3", "P4")}
        server.kill()

    with embedded(tmp_path) as (_, store), \
            TestClient(create_app(Settings(), store)) as client:
        for person, before in acknowledged.items():
            assert client.get(f"/api/v1/key-persons/{person}", headers=headers).json() == before
        # P1: 80/60/59 then the two edits → 85/62/61; 2 imported + 2 API records.
        p1 = acknowledged["P1"]
        assert (p1["closeness"], p1["solution_acceptance"], p1["price_acceptance"]) == (85, 62, 61)
        history = client.get("/api/v1/key-persons/P1/history", headers=headers).json()
        assert [r["source"] for r in history["data"]][:2] == ["api", "api"]
        assert history["count"] == 4
        assert acknowledged["P3"]["decision_role"] == "coach"
        reviews = client.get("/api/v1/accounts/A1/reviews", headers=headers).json()
        assert [r["notes"] for r in reviews["data"]] == ["已确认"]
