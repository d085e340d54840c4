"""Issue 12, items 5, 6 and 10: no input gets a 500, a small workbook cannot expand without
bound, and a 422 stays small whatever it complains about."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.small import small_bundle

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def client(store: Store, client_for: Any) -> TestClient:
    """The API over the small company, as the operator (every role)."""
    import_bundle(store, parse_tables(small_bundle()))
    return client_for(store)  # type: ignore[no-any-return]


def locs(response: Any) -> list[list[Any]]:
    """The places a 422 names; the body must be JSON any client can read (no NaN)."""
    assert response.status_code == 422, response.text
    body = json.loads(response.text, parse_constant=_no_constant)
    return [item["loc"] for item in body["detail"]]


def _no_constant(name: str) -> Any:
    raise AssertionError(f"the answer holds {name}, which JSON cannot carry")


def activity(**changes: Any) -> dict[str, Any]:
    return {"kind": "optional", "type": "lunch", "person_ids": ["P1"], "employee_id": "E2",
            **changes}


# ---- 5. 500s from input -----------------------------------------------------------------------


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e309"])
def test_a_score_json_cannot_carry_is_refused_naming_the_field(client: TestClient,
                                                               number: str) -> None:
    sent = client.patch("/api/v1/key-persons/P1", content=f'{{"closeness": {number}}}',
                        headers=JSON)
    assert locs(sent) == [["body", "closeness"]]


def test_a_query_parameter_json_cannot_carry_is_refused_naming_it(client: TestClient) -> None:
    sent = client.post("/api/v1/query", content='{"query": "RETURN $v AS v", "params": {"v": NaN}}',
                       headers=JSON)
    assert locs(sent) == [["body", "params", "v"]]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"])
@pytest.mark.parametrize("path", ["/api/v1/accounts/A1/review", "/api/v1/dashboard",
                                  "/api/v1/accounts", "/api/v1/accounts/A1",
                                  "/api/v1/accounts/A1/map", "/api/v1/employees/E2/daily"])
def test_a_day_outside_1900_to_2200_is_refused_on_every_as_of(client: TestClient, path: str,
                                                              day: str) -> None:
    assert locs(client.get(path, params={"as_of": day})) == [["query", "as_of"]]


def test_the_range_keeps_its_ends(client: TestClient) -> None:
    assert client.get("/api/v1/dashboard", params={"as_of": "1900-01-01"}).status_code == 200
    assert client.get("/api/v1/accounts/A1/review",
                      params={"as_of": "1900-01-01"}).status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31"])
def test_a_recorded_review_dated_outside_the_range_is_refused(client: TestClient, day: str) -> None:
    sent = client.post("/api/v1/accounts/A1/reviews", json={"date": day, "rep_id": "E2"})
    assert locs(sent) == [["body", "date"]]


@pytest.mark.parametrize("at", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00",
                                "9999-12-31", "0001-01-01T00:00:00", "2201-01-01"])
def test_an_activity_time_outside_the_range_is_refused(client: TestClient, at: str) -> None:
    assert locs(client.post("/api/v1/activities", json=activity(at=at))) == [["body", "at"]]


@pytest.mark.parametrize("field", ["scored_at", "name"])
def test_an_imported_row_outside_the_range_or_with_a_lone_surrogate_is_refused(
        client: TestClient, field: str) -> None:
    bundle = small_bundle()
    bundle["key_persons"][0][field] = "\ud800" if field == "name" else "9999-12-31"
    text = json.dumps(bundle)  # ASCII: the surrogate travels as the escape \ud800
    sent = client.post("/api/v1/import", files={"file": ("b.json", text.encode(), "application/json")})
    assert sent.status_code == 422, sent.text
    assert [(p["table"], p["row"], p["field"]) for p in sent.json()["problems"]] == [
        ("key_persons", 1, field)]


@pytest.mark.parametrize("field", ["note", "type"])
def test_a_lone_surrogate_in_a_text_field_is_refused_naming_it(client: TestClient,
                                                             field: str) -> None:
    body = json.dumps(activity(**{field: "a\ud800b"}))
    assert '\\ud800' in body
    assert locs(client.post("/api/v1/activities", content=body, headers=JSON)) == [["body", field]]


def test_a_lone_surrogate_deep_in_a_review_is_refused_naming_it(client: TestClient) -> None:
    body = json.dumps({"date": "2026-01-05", "rep_id": "E2", "actions": [{"text": "\udfff"}]})
    sent = client.post("/api/v1/accounts/A1/reviews", content=body, headers=JSON)
    assert locs(sent) == [["body", "actions", 0, "text"]]


@pytest.mark.parametrize("content_type", ["Application/JSON", "application/vnd.api+json",
                                          "APPLICATION/JSON; charset=utf-8", None])
def test_a_nul_is_refused_whatever_the_json_content_type(client: TestClient,
                                                          content_type: str | None) -> None:
    body = json.dumps(activity(note="a\x00b"))
    headers = {"Content-Type": content_type} if content_type else {}
    request = client.build_request("POST", "/api/v1/activities", content=body, headers=headers)
    assert request.headers.get("Content-Type") == content_type  # none at all: JSON to FastAPI
    assert locs(client.send(request)) == [["body", "note"]]


# ---- 6. Decompression bomb --------------------------------------------------------------------


def workbook(rows: int, *, garbage_after: int | None = None) -> bytes:
    """An XLSX with `rows` account rows of about 2 kB; with `garbage_after`, the sheet's XML
    breaks after that many rows, so a reader that goes on past a limit well below it (the XML
    parser reads ahead 16 kB at a time) fails on the break instead."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("accounts")
    sheet.append(["id", "name", "industry"])
    for n in range(rows):
        sheet.append([f"A{n}", f"Account {n}", "i" * 1900])
    buffer = io.BytesIO()
    book.save(buffer)
    if garbage_after is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                cut = data.index(f'<row r="{garbage_after + 2}"'.encode())
                data = data[:cut] + b"<row <<< not XML" + data[cut:]
            target.writestr(item, data)
    return out.getvalue()


def send_xlsx(client: TestClient, data: bytes) -> Any:
    return client.post("/api/v1/import", files={"file": ("b.xlsx", data, "application/octet-stream")})


def test_a_table_over_the_row_limit_is_refused_reading_no_further(store: Store,
                                                                 client_for: Any) -> None:
    client = client_for(store, settings=Settings(import_max_rows=50))
    broken = workbook(200, garbage_after=120)
    assert "not well-formed" in send_xlsx(client_for(store), broken).text  # read to the end
    sent = send_xlsx(client, broken)
    assert sent.status_code == 413, sent.text
    assert "GRAPHBRM_IMPORT_MAX_ROWS" in sent.json()["detail"]
    assert "accounts" in sent.json()["detail"]
    assert client.get("/api/v1/accounts").json()["count"] == 0


def test_a_table_at_the_row_limit_is_read(store: Store, client_for: Any) -> None:
    client = client_for(store, settings=Settings(import_max_rows=50))
    assert send_xlsx(client, workbook(50)).status_code == 200


def test_a_json_table_over_the_row_limit_is_refused(store: Store, client_for: Any) -> None:
    client = client_for(store, settings=Settings(import_max_rows=2))
    sent = client.post("/api/v1/import", files={"file": ("b.json", json.dumps(small_bundle()))})
    assert sent.status_code == 413, sent.text
    assert "GRAPHBRM_IMPORT_MAX_ROWS" in sent.json()["detail"]


def test_a_workbook_expanding_past_the_limit_is_refused_before_it_is_opened(
        store: Store, client_for: Any) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("accounts")
    sheet.append(["id", "name", "industry"])
    for n in range(100):  # 3 MB of XML that compresses to a few kB (a cell holds 32,767 at most)
        sheet.append([f"A{n}", "Big", "x" * 30_000])
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(buffer.getvalue()) < 100_000
    client = client_for(store, settings=Settings(import_max_uncompressed_bytes=2_000_000))
    sent = send_xlsx(client, buffer.getvalue())
    assert sent.status_code == 413, sent.text
    assert "GRAPHBRM_IMPORT_MAX_UNCOMPRESSED_BYTES" in sent.json()["detail"]


# ---- 10. A 422 stays small --------------------------------------------------------------------


def test_a_bundle_with_thousands_of_bad_rows_answers_the_first_thousand_and_a_count(
        client: TestClient) -> None:
    bad = {"accounts": [{"id": f"A{n}", "name": "x", "tier": ""} for n in range(3000)]
           + [{"id": "", "name": ""}] * 1000}
    sent = client.post("/api/v1/import", files={"file": ("b.json", json.dumps(bad))})
    assert sent.status_code == 422, sent.text
    body = sent.json()
    assert len(body["detail"]) == len(body["problems"]) == 1000
    assert body["count"] == 3000 + 2000
    assert body["problems"][0] == {"table": "accounts", "row": 1, "field": "tier",
                                   "reason": body["problems"][0]["reason"]}
    assert len(sent.content) < 400_000


def test_a_megabyte_of_text_is_not_echoed_whole(client: TestClient) -> None:
    sent = client.post("/api/v1/activities", json=activity(note="x" * 1_000_000))
    assert locs(sent) == [["body", "note"]]
    [item] = sent.json()["detail"]
    assert item["input"].startswith("x" * 100)
    assert len(item["input"]) <= 201
    assert len(sent.content) < 2_000


def test_a_long_value_in_a_problem_message_is_cut(client: TestClient) -> None:
    bundle = small_bundle()
    bundle["key_persons"][0]["scored_at"] = "9" * 100_000
    sent = client.post("/api/v1/import", files={"file": ("b.json", json.dumps(bundle))})
    assert sent.status_code == 422, sent.text
    [problem] = sent.json()["problems"]
    assert problem["field"] == "scored_at"
    assert problem["reason"].startswith("'999")
    assert len(sent.content) < 3_000
