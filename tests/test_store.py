"""The stores: schema, the embedded server's life cycle and durability."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from graphbrm.bundle import parse_tables
from graphbrm.bundle_export import export_bundle
from graphbrm.errors import Conflict
from graphbrm.importer import import_bundle
from graphbrm.queries import all_names, load
from graphbrm.store import Store
from graphbrm.store.embedded import EmbeddedServer
from graphbrm.store.falkor import FalkorStore
from tests.small import small_bundle


def test_schema_is_idempotent_and_ids_are_unique(store: Store) -> None:
    store.ensure_schema()
    store.ensure_schema()
    store.write("test/create_duplicate_account")  # the first account A1 is welcome
    with pytest.raises(Conflict):
        store.write("test/create_duplicate_account")
    store.clear()
    store.ensure_schema()
    import_bundle(store, parse_tables(small_bundle()))
    with pytest.raises(Conflict):
        store.write("test/create_duplicate_account")


# Dummy values of the right shape for every $parameter a query file uses: lists where the
# queries UNWIND or test membership, numbers where they page or compare, maps where they read
# fields; text for the rest. Only the plan is asked for, so the values never meet any data.
LIST_PARAMS = {"ids", "visible", "rows", "cuts", "names", "person_ids", "fields", "team",
               "sources", "employees", "department_ids", "keys", "roles", "hashes"}
NUMBER_PARAMS = {"good": 60, "excellent": 80, "offset": 0, "limit": 1, "max_hops": 4, "k": 1,
                 "seed": 1, "scale": 1}
PARAM_VALUES: dict[str, object] = {"all": True, "scores": {"closeness": 1}, "complete": True,
                                   "open_only": True}


def dummy_params(text: str) -> dict[str, object]:
    names = set(re.findall(r"\$(\w+)", text))
    return {n: [] if n in LIST_PARAMS else NUMBER_PARAMS.get(n, PARAM_VALUES.get(n, "x"))
            for n in names}


def test_every_query_file_parses_on_each_store(store: Store) -> None:
    failed = {}
    for name in all_names():
        try:
            store.explain(name, **dummy_params(load(name, store.dialect)))
        except Exception as e:  # the store's own parse or planning error, whatever its class
            failed[name] = str(e).splitlines()[0]
    assert failed == {}


def test_a_query_that_does_not_parse_fails_the_check(store: Store,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from graphbrm import queries

    monkeypatch.setattr(queries, "load", lambda name, dialect: "MATCH (n RETURN n")
    with pytest.raises(Exception, match="(?i)invalid|syntax|error|unexpected"):
        store.explain("health/ping")


def test_second_process_attaches_instead_of_starting(tmp_path: Path) -> None:
    first = EmbeddedServer(tmp_path)
    port = first.start()
    try:
        second = EmbeddedServer(tmp_path)
        assert second.start() == port
        assert not second.owned
        second.stop()  # not the owner: leaves the server running
        graph = FalkorStore("127.0.0.1", port, "g", password=first.password)
        graph.ensure_schema()
        assert graph.read("health/ping") == [{"ok": 1}]
    finally:
        first.stop()
    assert not (tmp_path / "store.json").exists()


def test_acknowledged_import_survives_sigkill(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path, fsync="always")
    store = FalkorStore("127.0.0.1", server.start(), "g", server=server)
    store.ensure_schema()
    import_bundle(store, parse_tables(small_bundle()))
    before = export_bundle(store)
    server.kill()

    restarted = EmbeddedServer(tmp_path)
    again = FalkorStore("127.0.0.1", restarted.start(), "g", server=restarted)
    try:
        assert restarted.owned
        assert export_bundle(again) == before
    finally:
        again.close()


def test_cut_is_the_start_of_the_next_day() -> None:
    from graphbrm.figures import cut

    assert cut(dt.date(2026, 12, 31)) == "2027-01-01"
    assert cut(dt.date(2026, 12, 31)) > "2026-12-31T23:59:59"
