"""Sign-in, the role × route matrix, scoping of every route, body caps and the audit trail.

The matrix below is the spec: the expected status of every route for every role (and for no
token, a revoked and an expired token), written by hand, not read from the routes' gates.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graphbrm import tokens
from graphbrm.access import Viewer
from graphbrm.alerts import model as alerts
from graphbrm.api import app as app_module
from graphbrm.api.app import create_app
from graphbrm.audit import history
from graphbrm.bundle import parse_tables
from graphbrm.errors import InvalidInput, NotFound, Unauthorized
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.small import small_bundle

ROLES = ("rep", "manager", "executive", "data", "admin")
SIGNED_OUT = ("no token", "revoked", "expired")
EDITORS = ("rep", "manager", "executive", "admin")
REVIEWERS = ("manager", "executive", "admin")
# Who holds each role's token in the company below.
HOLDERS = {"rep": "E2", "manager": "E1", "executive": "E4", "data": "E5", "admin": "E6"}
# The customer data of the foreign line (FX-MANAGER ← FX-REP, owner of FX-ACCOUNT): neither
# the rep E2 nor the manager E1 may see any of it, by id or by name. (Our own employees are
# not customer data: the export lists every employee to every role, by design.)
FOREIGN_MARKERS = ("FX-ACCOUNT", "FX-DEPT", "FX-PERSON", "外域集团", "Foreign Person")


def security_bundle() -> dict[str, list[dict[str, Any]]]:
    """The small company, with a full line above it and a second, foreign line beside it.

    E4 (executive) ← E7 (regional manager) ← E1 (manager) ← E2, E3 (reps);
    E4 ← FX-MANAGER ← FX-REP, who owns FX-ACCOUNT with key person FX-PERSON;
    E5 (data) and E6 (admin) report to E4.
    """
    bundle = copy.deepcopy(small_bundle())
    bundle["employees"][0]["manager_id"] = "E7"
    bundle["employees"] += [
        {"id": "E4", "name": "总裁", "role": "executive"},
        {"id": "E7", "name": "华东大区经理", "role": "manager", "manager_id": "E4"},
        {"id": "E5", "name": "数据分析", "role": "data", "manager_id": "E4"},
        {"id": "E6", "name": "系统管理员", "role": "admin", "manager_id": "E4"},
        {"id": "FX-MANAGER", "name": "外域经理", "role": "manager", "manager_id": "E4"},
        {"id": "FX-REP", "name": "外域代表", "role": "rep", "manager_id": "FX-MANAGER"},
    ]
    bundle["accounts"].append({"id": "FX-ACCOUNT", "name": "外域集团", "region": "西南",
                               "tier": "key", "expected_key_persons": 1})
    bundle["departments"].append({"id": "FX-DEPT", "account_id": "FX-ACCOUNT", "name": "采购"})
    bundle["key_persons"].append({"id": "FX-PERSON", "department_id": "FX-DEPT",
                                  "name": "Foreign Person", "decision_role": "veto",
                                  "closeness": 30, "solution_acceptance": 40,
                                  "price_acceptance": 50, "scored_at": "2026-10-01"})
    bundle["account_teams"].append({"employee_id": "FX-REP", "account_id": "FX-ACCOUNT",
                                    "role": "owner"})
    bundle["influences"].append({"from": "FX-REP", "to": "FX-PERSON", "strength": 70})
    return bundle


@dataclass
class Company:
    """The imported company, a client, and a token per caller."""

    store: Store
    client: TestClient
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def call(self, caller: str, request: Request) -> Any:
        return self.client.request(request.method, request.path, json=request.body,
                                   files=request.files(), headers=self.headers[caller])

    def prepared_call(self, caller: str, row: Row, *, foreign: bool = False) -> Any:
        for step in row.prepare:
            if isinstance(step, Request):
                assert self.call("admin", step).status_code == 200, step
            else:
                step(self.store)
        request = row.foreign if foreign else row.request
        assert request is not None
        return self.call(caller, request)


@pytest.fixture
def company(store: Store) -> Iterator[Company]:
    import_bundle(store, parse_tables(security_bundle()))
    for account_id in ("A1", "FX-ACCOUNT"):
        record_alert(store, account_id)
    add_webhooks(store)
    with TestClient(create_app(Settings(), store)) as client:
        yield Company(store, client, signed_headers(store))


def signed_headers(store: Store) -> dict[str, dict[str, str]]:
    """Authorization headers for each role's holder, and for the three signed-out callers."""
    headers = {role: bearer(tokens.create_token(store, employee_id=employee, role=role,
                                                lifetime_days=1).token)
               for role, employee in HOLDERS.items()}
    revoked = tokens.create_token(store, employee_id="E2", role="rep", lifetime_days=1)
    tokens.revoke_token(store, token_id=revoked.info.token_id)
    expired = tokens.create_token(store, employee_id="E2", role="rep", lifetime_days=1,
                                  now=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))
    headers.update({"no token": {}, "revoked": bearer(revoked.token),
                    "expired": bearer(expired.token)})
    return headers


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Request:
    method: str
    path: str
    body: Any = None
    upload: bytes | None = None

    def files(self) -> dict[str, tuple[str, bytes, str]] | None:
        if self.upload is None:
            return None
        return {"file": ("bundle.json", self.upload, "application/json")}


@dataclass
class Row:
    """A route: a request on objects every role may see, and the expected status per role.

    `foreign` is the same request on the foreign line's objects: the rep and the manager get
    404 there (a foreign object looks exactly like a missing one) unless their role is refused.
    """

    request: Request
    expected: dict[str, int]
    foreign: Request | None = None
    # Run before each call, for a request that consumes what it acts on (DELETE): a request made
    # as the admin, or a function of the store.
    prepare: tuple[Request | Callable[[Store], None], ...] = ()


def allowed(status: int = 200, roles: tuple[str, ...] = ROLES) -> dict[str, int]:
    return {role: status if role in roles else 403 for role in ROLES}


def get(path: str) -> Request:
    return Request("GET", path)


REVIEW = {"date": "2026-11-27", "rep_id": "E2", "notes": "月度复盘",
          "actions": [{"text": "转化王建国", "person_id": "P1"}]}
FOREIGN_REVIEW = {**REVIEW, "rep_id": "FX-REP", "actions": [{"text": "转化", "person_id": "FX-PERSON"}]}
NEW_BUNDLE = json.dumps({"accounts": [{"id": "A-NEW", "name": "新客户", "tier": "key"}]}).encode()

# An alert on A1 and one on the foreign account; a webhook for E1's line and one for the
# foreign line (ids are random when made through the API, so they are stored directly).
def alert_id(account_id: str) -> str:
    return f"review_overdue:{account_id}:2026-11"


def record_alert(store: Store, account_id: str) -> None:
    alerts.record(store, alerts.NewAlert(
        rule="review_overdue", subject=account_id, period="2026-11", account_id=account_id,
        account_name=None, before={}, after={}, message_zh="本月尚未复盘",
        message_en="no review this month"), zone=dt.UTC)  # type: ignore[arg-type]


WEBHOOKS = {"wh_line": "E1", "wh_foreign": "FX-MANAGER"}
PUBLIC_URL = "https://93.184.216.34/hook"  # an address literal: checked as public, no DNS needed


def add_webhooks(store: Store) -> None:
    existing = {w["id"] for w in store.read("webhooks/list_webhooks", all=True,
                                             scope_employee_id=None)}
    for webhook_id, employee_id in WEBHOOKS.items():
        if webhook_id not in existing:
            store.write("webhooks/create_webhook", id=webhook_id, format="wecom",
                        rules=list(alerts.RULES), scope_employee_id=employee_id,
                        url_shown=PUBLIC_URL, url_sealed="sealed", secret_sealed=None,
                        created_by="E6", created_at="2026-11-27T00:00:00Z")


MATRIX: dict[str, Row] = {
    "GET /healthz": Row(get("/healthz"), allowed()),
    "GET /api/v1/me": Row(get("/api/v1/me"), allowed()),
    "GET /api/v1/meta": Row(get("/api/v1/meta"), allowed()),
    "GET /api/v1/accounts": Row(get("/api/v1/accounts"), allowed()),
    "GET /api/v1/accounts/{account_id}": Row(
        get("/api/v1/accounts/A1"), allowed(), get("/api/v1/accounts/FX-ACCOUNT")),
    "GET /api/v1/accounts/{account_id}/map": Row(
        get("/api/v1/accounts/A1/map"), allowed(), get("/api/v1/accounts/FX-ACCOUNT/map")),
    "GET /api/v1/accounts/{account_id}/review": Row(
        get("/api/v1/accounts/A1/review?as_of=2026-11-28"), allowed(),
        get("/api/v1/accounts/FX-ACCOUNT/review?as_of=2026-11-28")),
    "GET /api/v1/accounts/{account_id}/reviews": Row(
        get("/api/v1/accounts/A1/reviews"), allowed(), get("/api/v1/accounts/FX-ACCOUNT/reviews")),
    "POST /api/v1/accounts/{account_id}/reviews": Row(
        Request("POST", "/api/v1/accounts/A1/reviews", REVIEW), allowed(201, REVIEWERS),
        Request("POST", "/api/v1/accounts/FX-ACCOUNT/reviews", FOREIGN_REVIEW)),
    "GET /api/v1/key-persons/{person_id}": Row(
        get("/api/v1/key-persons/P3"), allowed(), get("/api/v1/key-persons/FX-PERSON")),
    "PATCH /api/v1/key-persons/{person_id}": Row(
        Request("PATCH", "/api/v1/key-persons/P3", {"closeness": 75}), allowed(200, EDITORS),
        Request("PATCH", "/api/v1/key-persons/FX-PERSON", {"closeness": 75})),
    "GET /api/v1/key-persons/{person_id}/history": Row(
        get("/api/v1/key-persons/P3/history"), allowed(),
        get("/api/v1/key-persons/FX-PERSON/history")),
    "PUT /api/v1/key-persons/{person_id}/ties/{tie_type}/{from_id}": Row(
        Request("PUT", "/api/v1/key-persons/P3/ties/knows/E3", {"strength": 50}),
        allowed(200, EDITORS),
        Request("PUT", "/api/v1/key-persons/FX-PERSON/ties/knows/E2", {"strength": 50})),
    "DELETE /api/v1/key-persons/{person_id}/ties/{tie_type}/{from_id}": Row(
        Request("DELETE", "/api/v1/key-persons/P3/ties/knows/E3"), allowed(200, EDITORS),
        Request("DELETE", "/api/v1/key-persons/FX-PERSON/ties/influences/FX-REP"),
        prepare=(Request("PUT", "/api/v1/key-persons/P3/ties/knows/E3", {"strength": 50}),
                 Request("PUT", "/api/v1/key-persons/FX-PERSON/ties/influences/FX-REP",
                         {"strength": 70}))),
    "GET /api/v1/key-persons/{person_id}/paths": Row(
        get("/api/v1/key-persons/P1/paths"), allowed(),
        get("/api/v1/key-persons/FX-PERSON/paths")),
    "GET /api/v1/employees/{employee_id}/daily": Row(
        get("/api/v1/employees/E2/daily"), allowed(), get("/api/v1/employees/FX-REP/daily")),
    "POST /api/v1/activities": Row(
        Request("POST", "/api/v1/activities", {"kind": "optional", "type": "拜访",
                                                "person_ids": ["P3"]}),
        allowed(201, EDITORS),
        Request("POST", "/api/v1/activities", {"kind": "optional", "type": "拜访",
                                                "person_ids": ["FX-PERSON"]})),
    "GET /api/v1/assessments/yearly": Row(get("/api/v1/assessments/yearly?year=2026"), allowed()),
    "GET /api/v1/dashboard": Row(get("/api/v1/dashboard?as_of=2026-11-28"), allowed()),
    "GET /api/v1/analysis/reachability": Row(get("/api/v1/analysis/reachability"), allowed()),
    "GET /api/v1/analysis/disjoint-paths/{person_id}": Row(
        get("/api/v1/analysis/disjoint-paths/P1"), allowed(),
        get("/api/v1/analysis/disjoint-paths/FX-PERSON")),
    "POST /api/v1/analysis/what-if": Row(
        Request("POST", "/api/v1/analysis/what-if",
                {"person_changes": [{"person_id": "P1", "price_acceptance": 70}]}), allowed(),
        Request("POST", "/api/v1/analysis/what-if",
                {"person_changes": [{"person_id": "FX-PERSON", "price_acceptance": 70}]})),
    "GET /api/v1/export/graph": Row(get("/api/v1/export/graph?format=json"), allowed()),
    "GET /api/v1/audit": Row(get("/api/v1/audit?account_id=A1"),
                             allowed(200, ("manager", "admin", "data")),
                             get("/api/v1/audit?account_id=FX-ACCOUNT")),
    "POST /api/v1/query": Row(Request("POST", "/api/v1/query",
                                      {"query": "MATCH (a:Account) RETURN count(a) AS n"}),
                              allowed(200, ("data", "admin"))),
    "GET /api/v1/alerts": Row(get("/api/v1/alerts?state=all"), allowed()),
    "POST /api/v1/alerts/{alert_id}/ack": Row(
        Request("POST", f"/api/v1/alerts/{alert_id('A1')}/ack"), allowed(200, EDITORS),
        Request("POST", f"/api/v1/alerts/{alert_id('FX-ACCOUNT')}/ack")),
    "POST /api/v1/webhooks": Row(
        Request("POST", "/api/v1/webhooks", {"url": PUBLIC_URL, "format": "json"}),
        allowed(201, ("manager", "admin"))),
    "GET /api/v1/webhooks": Row(get("/api/v1/webhooks"), allowed(200, ("manager", "admin"))),
    "DELETE /api/v1/webhooks/{webhook_id}": Row(
        Request("DELETE", "/api/v1/webhooks/wh_line"), allowed(204, ("manager", "admin")),
        Request("DELETE", "/api/v1/webhooks/wh_foreign"), prepare=(add_webhooks,)),
    "GET /api/v1/webhooks/{webhook_id}/deliveries": Row(
        get("/api/v1/webhooks/wh_line/deliveries"), allowed(200, ("manager", "admin")),
        get("/api/v1/webhooks/wh_foreign/deliveries")),
    "POST /api/v1/import": Row(Request("POST", "/api/v1/import", upload=NEW_BUNDLE),
                               allowed(200, ("admin",))),
}
OPEN_ROUTES = {"GET /healthz"}


def openapi_routes() -> set[str]:
    document = create_app(Settings()).openapi()
    return {f"{method.upper()} {path}" for path, operations in document["paths"].items()
            for method in operations}


def test_the_matrix_covers_every_route_of_the_openapi_document() -> None:
    routes = openapi_routes()
    assert sorted(routes - set(MATRIX)) == [], "routes missing from the matrix"
    assert sorted(set(MATRIX) - routes) == [], "matrix rows for routes that do not exist"


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_role_route_matrix(company: Company, route: str) -> None:
    row = MATRIX[route]
    open_route = route in OPEN_ROUTES
    expected = {**row.expected, **dict.fromkeys(SIGNED_OUT, 200 if open_route else 401)}
    got = {caller: company.prepared_call(caller, row) for caller in (*ROLES, *SIGNED_OUT)}
    assert {c: r.status_code for c, r in got.items()} == expected, \
        {c: r.text[:200] for c, r in got.items() if r.status_code != expected[c]}
    for caller in SIGNED_OUT:
        if not open_route:
            assert got[caller].headers["www-authenticate"] == "Bearer"
    for caller in ("rep", "manager"):
        leaked = [m for m in FOREIGN_MARKERS if m in got[caller].text]
        assert leaked == [], f"{caller} sees foreign data on {route}"


@pytest.mark.parametrize("route", sorted(r for r in MATRIX if MATRIX[r].foreign))
def test_foreign_objects_look_missing(company: Company, route: str) -> None:
    row = MATRIX[route]
    assert row.foreign is not None
    for caller in ("rep", "manager"):
        response = company.prepared_call(caller, row, foreign=True)
        refused = row.expected[caller] == 403
        assert response.status_code == (403 if refused else 404), (caller, response.text[:200])
        names = [m for m in FOREIGN_MARKERS if m in response.text and m not in row.foreign.path
                 and m not in json.dumps(row.foreign.body, ensure_ascii=False)]
        assert names == []
    # The roles that see everything get the foreign objects like any other.
    for caller in ("executive", "admin"):
        assert company.prepared_call(caller, row, foreign=True).status_code == row.expected[caller]


def test_a_manager_sees_the_accounts_of_the_whole_line_below(company: Company) -> None:
    # E7 ← E1 ← {E2: A1; E3: A2, A3}; FX-ACCOUNT belongs to another line.
    regional = bearer(tokens.create_token(company.store, employee_id="E7", role="manager",
                                          lifetime_days=1).token)
    listed = company.client.get("/api/v1/accounts", headers=regional).json()
    assert sorted(a["id"] for a in listed["data"]) == ["A1", "A2", "A3"]
    assert company.client.get("/api/v1/employees/E2/daily", headers=regional).status_code == 200
    assert company.client.get("/api/v1/employees/FX-REP/daily",
                              headers=regional).status_code == 404
    rep_list = company.client.get("/api/v1/accounts", headers=company.headers["rep"]).json()
    assert [a["id"] for a in rep_list["data"]] == ["A1"]
    every = company.client.get("/api/v1/accounts", headers=company.headers["executive"]).json()
    assert every["count"] == 4


def test_a_rep_sees_only_their_own_daily_view(company: Company) -> None:
    # E2 and E3 are peers under E1: neither is in the other's line.
    response = company.client.get("/api/v1/employees/E3/daily", headers=company.headers["rep"])
    assert response.status_code == 404


def test_me_names_the_token_holder(company: Company) -> None:
    me = company.client.get("/api/v1/me", headers=company.headers["manager"]).json()
    assert me == {"employee_id": "E1", "name": "刘总", "role": "manager"}


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer gbrm_x_y",
                                    "Bearer " + "x" * 5000, "gbrm_abc"])
def test_malformed_credentials_are_refused(company: Company, header: str) -> None:
    response = company.client.get("/api/v1/accounts", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_web_ui_and_docs_need_no_sign_in(company: Company) -> None:
    for path in ("/", "/static/app.js", "/docs", "/openapi.json", "/healthz"):
        assert company.client.get(path).status_code == 200, path


def test_only_the_hash_of_a_token_is_stored(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    new = tokens.create_token(store, employee_id="E2", role="rep", lifetime_days=7)
    stored = tokens.token_records(store)
    assert len(stored) == 1
    secret = new.token.rsplit("_", 1)[1]
    assert secret not in json.dumps(stored)
    assert stored[0]["hash"] == tokens.hash_token(new.token)
    # created now, expiring in 7 days (compared as ISO strings, seconds precision)
    created = dt.datetime.fromisoformat(new.info.created_at)
    assert dt.datetime.fromisoformat(new.info.expires_at) - created == dt.timedelta(days=7)


def test_token_life_cycle(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    start = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    new = tokens.create_token(store, employee_id="E1", role="manager", lifetime_days=30,
                              now=start, label="laptop")
    assert tokens.viewer_for_token(store, token=new.token, now=start) == Viewer("E1", "manager")
    last_valid = start + dt.timedelta(days=30, seconds=-1)
    assert tokens.viewer_for_token(store, token=new.token, now=last_valid).role == "manager"
    with pytest.raises(Unauthorized, match="expired"):
        tokens.viewer_for_token(store, token=new.token, now=start + dt.timedelta(days=30))
    first = tokens.revoke_token(store, token_id=new.info.token_id, now=start)
    again = tokens.revoke_token(store, token_id=new.info.token_id,
                                now=start + dt.timedelta(days=1))
    assert first.revoked_at == again.revoked_at == "2026-11-01T09:00:00+00:00"
    with pytest.raises(Unauthorized, match="revoked"):
        tokens.viewer_for_token(store, token=new.token, now=start)
    with pytest.raises(Unauthorized, match="unknown"):
        tokens.viewer_for_token(store, token=new.token + "x", now=start)
    assert [(t.token_id, t.label) for t in tokens.list_tokens(store)] == [
        (new.info.token_id, "laptop")]


def test_tokens_need_a_real_employee_a_known_role_and_a_sane_lifetime(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    with pytest.raises(NotFound):
        tokens.create_token(store, employee_id="nobody", role="rep", lifetime_days=1)
    with pytest.raises(InvalidInput) as bad:
        tokens.create_token(store, employee_id="E2", role="root", lifetime_days=0)
    assert {p.field for p in bad.value.problems} == {"role", "expires"}
    with pytest.raises(NotFound):
        tokens.revoke_token(store, token_id="nope")
    assert tokens.list_tokens(store) == []


def test_demo_sign_ins_pick_a_rep_their_manager_and_the_other_roles(store: Store) -> None:
    import_bundle(store, parse_tables(security_bundle()))
    # Owners of key accounts: E2 (A1), E3 (A2; A3 is standard), FX-REP (FX-ACCOUNT): one each,
    # so the tie goes to the smallest id, E2, whose manager is E1. E4 is the only executive…
    first = tokens.demo_sign_ins(store, lifetime_days=1)
    assert [(s.role, s.employee_id) for s in first] == [
        ("rep", "E2"), ("manager", "E1"), ("executive", "E4"), ("data", "E5"), ("admin", "E6")]
    second = tokens.demo_sign_ins(store, lifetime_days=1)
    # …and a second start revokes the first start's links.
    with pytest.raises(Unauthorized, match="revoked"):
        tokens.viewer_for_token(store, token=first[0].token)
    assert tokens.viewer_for_token(store, token=second[0].token) == Viewer("E2", "rep")


def test_bodies_above_the_cap_are_refused_before_they_are_read(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    token = tokens.create_token(store, employee_id="E1", role="manager", lifetime_days=1).token
    settings = Settings(max_body_bytes=4096, import_max_bytes=8192)
    with TestClient(create_app(settings, store)) as client:
        big = {"date": "2026-11-27", "rep_id": "E2", "notes": "x" * 5000}
        response = client.post("/api/v1/accounts/A1/reviews", json=big, headers=bearer(token))
        assert response.status_code == 413
        # Without a Content-Length (chunked), the body is counted as it arrives.
        chunks = iter([b'{"date": "2026-11-27", "rep_id": "E2", "notes": "', b"y" * 5000, b'"}'])
        response = client.post("/api/v1/accounts/A1/reviews", content=chunks,
                               headers={**bearer(token), "Content-Type": "application/json"})
        assert response.status_code == 413
        # Nothing was recorded; the import path has its own, larger cap.
        assert client.get("/api/v1/accounts/A1/reviews",
                          headers=bearer(token)).json()["count"] == 0
        small = client.post("/api/v1/import", files={"file": ("b.json", b"x" * 6000)},
                            headers=bearer(token))
        assert small.status_code == 403  # under the import cap: reaches the role check
        big_file = client.post("/api/v1/import", files={"file": ("b.json", b"x" * 9000)},
                               headers=bearer(token))
        assert big_file.status_code == 413


def test_the_import_cap_follows_the_import_route_wherever_it_is_mounted(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    token = tokens.create_token(store, employee_id="E1", role="manager", lifetime_days=1).token
    monkeypatch.setattr(app_module, "API_PREFIX", "/moved/v9")
    app = create_app(Settings(max_body_bytes=4096, import_max_bytes=8192), store)
    path = "/moved/v9/import"
    with TestClient(app) as client:
        small = client.post(path, files={"file": ("b.json", b"x" * 6000)}, headers=bearer(token))
        assert small.status_code == 403  # over the body cap, under the import cap
        big = client.post(path, files={"file": ("b.json", b"x" * 9000)}, headers=bearer(token))
        assert big.status_code == 413


def test_every_request_model_forbids_unknown_fields() -> None:
    document = create_app(Settings()).openapi()
    schemas = document["components"]["schemas"]
    checked: set[str] = set()

    def walk(schema: dict[str, Any], where: str) -> list[str]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            if name in checked:
                return []
            checked.add(name)
            return walk(schemas[name], name)
        loose = [where] if "properties" in schema and schema.get(
            "additionalProperties") is not False else []
        children = [*schema.get("properties", {}).values(), *schema.get("anyOf", []),
                    *([schema["items"]] if isinstance(schema.get("items"), dict) else [])]
        return loose + [bad for child in children for bad in walk(child, where)]

    loose = [bad for path, operations in document["paths"].items()
             for operation in operations.values()
             for media in operation.get("requestBody", {}).get("content", {}).values()
             if "multipart/form-data" not in operation["requestBody"]["content"]
             for bad in walk(media["schema"], path)]
    assert checked, "no request models found"
    assert loose == []


def test_unknown_and_server_owned_fields_are_rejected(company: Company) -> None:
    editor = company.headers["manager"]
    for path, method, body in [
        ("/api/v1/key-persons/P3", "PATCH", {"closeness": 70, "actor": "E4"}),
        ("/api/v1/key-persons/P3", "PATCH", {"closeness": 70, "scored_at": "2020-01-01"}),
        ("/api/v1/accounts/A1/reviews", "POST", {**REVIEW, "reviewer_id": "E4"}),
        ("/api/v1/activities", "POST", {"kind": "optional", "type": "拜访", "person_ids": ["P3"],
                                        "actor": "E4"}),
    ]:
        response = company.client.request(method, path, json=body, headers=editor)
        assert response.status_code == 422, (path, body)


@pytest.mark.parametrize("value", [101, -1, 80.5, "80", True])
def test_scores_are_integers_from_0_to_100(company: Company, value: Any) -> None:
    response = company.client.patch("/api/v1/key-persons/P3", json={"closeness": value},
                                    headers=company.headers["rep"])
    assert response.status_code == 422
    person = company.client.get("/api/v1/key-persons/P3", headers=company.headers["rep"]).json()
    assert person["closeness"] == 70


def test_the_audit_trail_names_actor_source_and_time(company: Company) -> None:
    rep = company.headers["rep"]
    assert company.client.patch("/api/v1/key-persons/P1", json={"price_acceptance": 65},
                                headers=rep).status_code == 200
    assert company.client.patch("/api/v1/key-persons/P1", json={"decision_role": "approver"},
                                headers=rep).status_code == 200
    trail = company.client.get("/api/v1/audit?person_id=P1",
                               headers=company.headers["manager"]).json()
    records = trail["data"]
    # P1: the two API edits (newest first); the import's tie changes P2 → P1 (influence 90) and
    # E3 → P1 (knows 20), none before, dated at the import; the 2026-10-01 and 2025-11-01 scores.
    assert [(r["kind"], r["source"]) for r in records[:2]] == [("role", "api"), ("score", "api")]
    assert records[0]["changes"] == [{"field": "decision_role", "before": "veto",
                                      "after": "approver"}]
    assert records[1]["actor"] == "E2"
    assert records[1]["changes"] == [{"field": "price_acceptance", "before": 59, "after": 65}]
    assert [r["kind"] for r in records[2:]] == ["tie", "tie", "score", "score"]
    imported = records[4:]
    assert [r["at"] for r in imported] == ["2026-10-01", "2025-11-01"]
    assert imported[0]["changes"] == [
        {"field": "closeness", "before": 50, "after": 80},
        {"field": "solution_acceptance", "before": 50, "after": 60},
        {"field": "price_acceptance", "before": 50, "after": 59}]
    ties = sorted((r["tie_type"], r["from_id"], r["changes"]) for r in records[2:4])
    assert ties == [("INFLUENCES", "P2", [{"field": "strength", "before": None, "after": 90}]),
                    ("KNOWS", "E3", [{"field": "strength", "before": None, "after": 20}])]
    assert all(r["actor"] and r["source"] and r["at"] for r in records)
    assert all(r["source"].startswith("import:") for r in records[2:])
    assert trail["count"] == len(records) == 6


def test_the_audit_of_an_account_covers_its_persons_and_stays_in_scope(store: Store) -> None:
    import_bundle(store, parse_tables(security_bundle()))
    admin, manager = Viewer.operator(), Viewer("E1", "manager")
    # A1's persons P1..P4: 2 + 2 + 1 + 1 score records, and the ties E2→P3, P3→P2, P2→P1
    # (influence) and E3→P1 (knows).
    whole = history(store, viewer=admin, account_id="A1")
    assert whole.count == 10
    assert {r.kind for r in whole.data} == {"score", "tie"}
    assert [r.at for r in whole.data] == sorted((r.at for r in whole.data), reverse=True)
    assert history(store, viewer=manager, account_id="A1", limit=2, offset=1).data == \
        whole.data[1:3]
    with pytest.raises(NotFound):
        history(store, viewer=manager, account_id="FX-ACCOUNT")
    with pytest.raises(NotFound):
        history(store, viewer=manager, person_id="FX-PERSON")
    assert history(store, viewer=admin, person_id="FX-PERSON").count == 2
    with pytest.raises(InvalidInput):
        history(store, viewer=admin, person_id="P1", account_id="A1")


def test_a_manager_lists_only_the_webhooks_of_their_line(company: Company) -> None:
    listed = company.client.get("/api/v1/webhooks", headers=company.headers["manager"]).json()
    assert [w["id"] for w in listed["data"]] == ["wh_line"]
    every = company.client.get("/api/v1/webhooks", headers=company.headers["admin"]).json()
    assert sorted(w["id"] for w in every["data"]) == ["wh_foreign", "wh_line"]
