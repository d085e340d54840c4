"""Webhooks (issue 13): delivery to a local receiver in each format with the payload and
signature checked, a retry after a 500, a dead receiver that does not slow a PATCH, refused
private URLs, secrets that a read-only query cannot read, and who may manage webhooks."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import SecretStr

from graphbrm.access import Viewer
from graphbrm.alerts.delivery import Courier, deliver_due
from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.small import small_bundle

OPERATOR = Viewer.operator()
E1 = Viewer("E1", "manager")
E2 = Viewer("E2", "rep")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A local HTTP receiver: records every POST and answers with the next queued reply."""

    replies: list[tuple[int, bytes]] = field(default_factory=list)
    hang_s: float = 0.0
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def reply(self) -> tuple[int, bytes]:
        return self.replies.pop(0) if self.replies else (200, b'{"errcode":0,"errmsg":"ok"}')


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(Received(self.path, dict(self.headers), body))
            time.sleep(state.hang_s)
            status, answer = state.reply()
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except BrokenPipeError:  # the sender gave up waiting (a timeout test)
                pass

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    return Settings(webhook_allow_private=True, webhook_key=SecretStr("test key"),
                    webhook_retry_s=0, webhook_timeout_s=2, data_dir=tmp_path)


@pytest.fixture
def small(store: Store, frozen_clock: Any) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def add(client: Any, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/webhooks", json=fields)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def approver_turns(client: Any, price: int = 59) -> None:
    response = client.patch("/api/v1/key-persons/P2", json={"price_acceptance": price})
    assert response.status_code == 200


def test_json_delivery_is_signed(small: Store, client_for: Any, settings: Settings,
                                 receiver: Receiver) -> None:
    admin = client_for(small, OPERATOR, settings)
    made = add(admin, url=receiver.url, format="json", rules=["blocker"])
    assert made["secret"] and made["webhook"]["signed"] is True
    approver_turns(admin)
    assert deliver_due(small, settings) == 1
    [got] = receiver.received
    stamp = got.headers["X-Graphbrm-Timestamp"]
    expected = hmac.new(made["secret"].encode(), stamp.encode() + b"." + got.body,
                        hashlib.sha256).hexdigest()
    assert got.headers["X-Graphbrm-Signature"] == f"sha256={expected}"
    payload = got.json()
    assert payload["type"] == "graphbrm.alert"
    alert = payload["alert"]
    assert (alert["id"], alert["rule"], alert["person_name"]) == (
        "blocker:P2:2026-11-28", "blocker", "李晓梅")
    assert alert["after"]["price_acceptance"] == 59 and alert["path"] == ["孙丽", "张伟", "李晓梅"]
    assert payload["delivery_id"] == got.headers["X-Graphbrm-Delivery"]
    log = admin.get(f"/api/v1/webhooks/{made['webhook']['id']}/deliveries").json()
    assert [(d["status"], d["attempts"], d["last_status"]) for d in log["data"]] == [
        ("delivered", 1, 200)]
    assert deliver_due(small, settings) == 0  # delivered once, not again


def test_robot_formats(small: Store, client_for: Any, settings: Settings,
                       receiver: Receiver) -> None:
    admin = client_for(small, OPERATOR, settings)
    add(admin, url=receiver.url + "?key=wecom-key", format="wecom", rules=["blocker"])
    add(admin, url=receiver.url + "?access_token=ding", format="dingtalk", rules=["blocker"],
        secret="SECding")
    add(admin, url=receiver.url + "/feishu", format="feishu", rules=["blocker"],
        secret="feishu-secret")
    approver_turns(admin)
    assert deliver_due(small, settings) == 3
    by_path = {urllib.parse.urlsplit(r.path).path + "?" + urllib.parse.urlsplit(r.path).query:
               r for r in receiver.received}
    wecom = next(r for p, r in by_path.items() if "key=wecom-key" in p).json()
    assert wecom["msgtype"] == "markdown"
    assert "一票批准人 李晓梅" in wecom["markdown"]["content"]
    assert "Final approver 李晓梅" in wecom["markdown"]["content"]
    ding_request = next(r for p, r in by_path.items() if "access_token=ding" in p)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(ding_request.path).query)
    string = f"{query['timestamp'][0]}\nSECding".encode()
    sign = base64.b64encode(hmac.new(b"SECding", string, hashlib.sha256).digest()).decode()
    assert query["sign"] == [sign]
    ding = ding_request.json()
    assert ding["msgtype"] == "markdown" and "李晓梅" in ding["markdown"]["text"]
    feishu = next(r for p, r in by_path.items() if p.startswith("/hook/feishu")).json()
    key = f"{feishu['timestamp']}\nfeishu-secret".encode()
    assert feishu["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert feishu["msg_type"] == "text" and "李晓梅" in feishu["content"]["text"]


def test_retry_after_a_500_and_a_robot_error(small: Store, client_for: Any, settings: Settings,
                                             receiver: Receiver) -> None:
    admin = client_for(small, OPERATOR, settings)
    hook = add(admin, url=receiver.url, format="wecom", rules=["blocker"])["webhook"]["id"]
    receiver.replies = [(500, b"boom"), (200, b'{"errcode":93000,"errmsg":"invalid key"}')]
    approver_turns(admin)
    log = f"/api/v1/webhooks/{hook}/deliveries"
    assert deliver_due(small, settings) == 1
    [first] = admin.get(log).json()["data"]
    assert (first["status"], first["attempts"], first["last_status"]) == ("pending", 1, 500)
    assert deliver_due(small, settings) == 1  # retry_s = 0: due again at once
    [second] = admin.get(log).json()["data"]
    assert (second["status"], second["attempts"]) == ("pending", 2)
    assert "93000" in second["last_error"]
    assert deliver_due(small, settings) == 1
    [third] = admin.get(log).json()["data"]
    assert (third["status"], third["attempts"], third["last_error"]) == ("delivered", 3, None)
    assert len(receiver.received) == 3


def test_gives_up_after_the_last_attempt(small: Store, client_for: Any, settings: Settings,
                                         receiver: Receiver) -> None:
    settings.webhook_max_attempts = 2
    admin = client_for(small, OPERATOR, settings)
    hook = add(admin, url=receiver.url, rules=["blocker"])["webhook"]["id"]
    receiver.replies = [(503, b""), (503, b""), (200, b"")]
    approver_turns(admin)
    deliver_due(small, settings)
    deliver_due(small, settings)
    assert deliver_due(small, settings) == 0
    [entry] = admin.get(f"/api/v1/webhooks/{hook}/deliveries").json()["data"]
    assert (entry["status"], entry["attempts"], entry["last_status"]) == ("failed", 2, 503)
    listed = admin.get("/api/v1/webhooks").json()["data"]
    assert [(w["failed"], w["pending"]) for w in listed] == [(1, 0)]


def test_a_dead_receiver_does_not_slow_a_patch(small: Store, client_for: Any,
                                               settings: Settings, receiver: Receiver,
                                               frozen_clock: Any) -> None:
    receiver.hang_s = 1.5
    settings.webhook_timeout_s = 1.0
    admin = client_for(small, OPERATOR, settings)
    hook = add(admin, url=receiver.url, rules=["blocker", "fading", "band_drop"])
    courier = Courier(small, settings, poll_s=0.02)
    courier.start()
    try:
        approver_turns(admin)  # the first alert: the courier is now stuck on the receiver
        time.sleep(0.2)
        frozen_clock(dt.datetime(2026, 11, 28, 11, 0, tzinfo=dt.UTC))
        started = time.perf_counter()
        approver_turns(admin, price=20)
        took = time.perf_counter() - started
    finally:
        courier.stop()
    assert took < 0.5, took
    log = admin.get(f"/api/v1/webhooks/{hook['webhook']['id']}/deliveries").json()["data"]
    assert log and any("timed out" in (d["last_error"] or "") for d in log)


def test_private_urls_are_refused(small: Store, client_for: Any, tmp_path: Any) -> None:
    strict = Settings(webhook_key=SecretStr("k"), data_dir=tmp_path)
    admin = client_for(small, OPERATOR, strict)
    for url in ("http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://[::1]/hook",
                "http://169.254.169.254/latest", "http://localhost/hook",
                "ftp://example.com/hook", "not a url"):
        response = admin.post("/api/v1/webhooks", json={"url": url})
        assert response.status_code == 422, url
        assert response.json()["problems"][0]["field"] == "url", response.text
    assert admin.get("/api/v1/webhooks").json()["count"] == 0


def test_secrets_are_not_readable_by_a_query(small: Store, client_for: Any, settings: Settings,
                                            receiver: Receiver) -> None:
    admin = client_for(small, OPERATOR, settings)
    made = add(admin, url=receiver.url + "?key=robot-key-123", format="json")
    assert made["webhook"]["url_shown"] == receiver.url + "?…"
    answer = admin.post("/api/v1/query", json={
        "query": "MATCH (w:Webhook) RETURN properties(w) AS w"})
    assert answer.status_code == 200, answer.text
    rows = answer.text
    assert "url_sealed" in rows and "secret_sealed" in rows  # the query did read the node
    assert "robot-key-123" not in rows and made["secret"] not in rows


def test_who_manages_webhooks_and_scope(small: Store, client_for: Any, settings: Settings,
                                        receiver: Receiver) -> None:
    admin = client_for(small, OPERATOR, settings)
    manager = client_for(small, E1, settings)
    rep = client_for(small, E2, settings)
    assert rep.post("/api/v1/webhooks", json={"url": receiver.url}).status_code == 403
    assert rep.get("/api/v1/webhooks").status_code == 403
    assert manager.post("/api/v1/webhooks", json={"url": receiver.url,
                                                  "scope": "company"}).status_code == 403
    mine = add(manager, url=receiver.url + "/e1", rules=["blocker"])["webhook"]
    assert mine["scope"] == "team:E1"
    # An admin's webhook for E3's line: E3 does not work on A1, so A1's alert skips it.
    add(admin, url=receiver.url + "/e3", rules=["blocker"], scope="team:E3")
    nobody = admin.post("/api/v1/webhooks", json={"url": receiver.url, "scope": "team:E404"})
    assert nobody.status_code == 422 and nobody.json()["problems"][0]["field"] == "scope"
    assert [w["id"] for w in manager.get("/api/v1/webhooks").json()["data"]] == [mine["id"]]
    assert admin.get("/api/v1/webhooks").json()["count"] == 2
    approver_turns(admin)
    deliver_due(small, settings)
    assert [r.path for r in receiver.received] == ["/hook/e1"]
    other = [w["id"] for w in admin.get("/api/v1/webhooks").json()["data"] if w["id"] != mine["id"]]
    assert manager.delete(f"/api/v1/webhooks/{other[0]}").status_code == 404
    assert manager.delete(f"/api/v1/webhooks/{mine['id']}").status_code == 204
    assert manager.get(f"/api/v1/webhooks/{mine['id']}/deliveries").status_code == 404


def test_cli_add_list_remove(small: Store, point_cli_at: Any, receiver: Receiver,
                             monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from graphbrm.cli import app

    point_cli_at(small)
    monkeypatch.setenv("GRAPHBRM_WEBHOOK_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("GRAPHBRM_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    added = runner.invoke(app, ["webhooks", "add", receiver.url, "--format", "dingtalk",
                                "--rule", "blocker", "--secret", "SECx"])
    assert added.exit_code == 0, added.output
    assert (tmp_path / "webhook.key").stat().st_mode & 0o777 == 0o600
    listed = runner.invoke(app, ["webhooks", "list", "--json"])
    [hook] = json.loads(listed.stdout)["data"]
    assert (hook["format"], hook["rules"], hook["signed"]) == ("dingtalk", ["blocker"], True)
    removed = runner.invoke(app, ["webhooks", "remove", hook["id"]])
    assert removed.exit_code == 0 and hook["id"] in removed.output
    gone = runner.invoke(app, ["webhooks", "remove", hook["id"]])
    assert gone.exit_code == 1 and "not found" in gone.output
