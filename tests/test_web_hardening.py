"""Issue 12, items 7, 8 and 11: security headers, a limit on failed sign-ins, and ids with '/'
that must not change the route."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graphbrm import tokens
from graphbrm.api.app import STATIC, create_app
from graphbrm.api.security import SignInLimiter
from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.small import small_bundle


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def client(store: Store, address: str = "testclient") -> TestClient:
    """A client of a fresh app (its own sign-in counts) calling from `address`."""
    return TestClient(create_app(Settings(), store), client=(address, 50000))


@pytest.fixture
def app_client(small: Store) -> Iterator[TestClient]:
    with client(small) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ---- 7: security headers ----------------------------------------------------------------------

def csp(response: object) -> dict[str, str]:
    """The Content-Security-Policy header as {directive: sources}."""
    header = response.headers["content-security-policy"]  # type: ignore[attr-defined]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in header.split(";") if d.strip()}


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/static/style.css", "/healthz",
                                  "/api/v1/accounts", "/api/v1/no-such-route", "/openapi.json",
                                  "/docs"])
def test_every_response_carries_the_security_headers(app_client: TestClient, path: str) -> None:
    response = app_client.get(path)
    assert response.status_code in (200, 401, 404), path
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    policy = csp(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    # Scripts only from files, never inline, wherever the page comes from.
    script = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script


def test_the_web_ui_runs_scripts_and_styles_only_from_this_server(app_client: TestClient) -> None:
    policy = csp(app_client.get("/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self'"


def test_the_docs_page_allows_its_own_inline_script_by_hash_only(app_client: TestClient) -> None:
    response = app_client.get("/docs")
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert inline  # FastAPI's Swagger page starts the UI with one inline script
    hashes = re.findall(r"'sha256-[^']+'", csp(response)["script-src"])
    assert len(hashes) == len(inline)


def test_the_web_ui_has_no_inline_script_handler_or_style() -> None:
    """What the policy would refuse: inline <script>, on… handlers, style attributes, <style>."""
    for path in [STATIC / "index.html", *STATIC.rglob("*.js")]:
        text = Path(path).read_text(encoding="utf-8")
        if path.suffix == ".html":
            assert all(' src="' in tag for tag in re.findall(r"<script[^>]*>", text)), path
            assert "<style" not in text and not re.search(r"\son\w+=", text), path
        assert not re.search(r"""\sstyle=|setAttribute\(\s*['"]style""", text), path
        assert "innerHTML" not in text and "eval(" not in text, path


# ---- 8: failed sign-ins -----------------------------------------------------------------------

def test_a_burst_of_bad_tokens_gets_429_and_a_valid_token_keeps_working(small: Store) -> None:
    valid = tokens.create_token(small, employee_id="E1", role="manager", lifetime_days=1).token
    app = create_app(Settings(), small)
    with TestClient(app, client=("192.0.2.7", 1)) as attacker, \
            TestClient(app, client=("192.0.2.8", 1)) as other:
        statuses = [attacker.get("/api/v1/accounts", headers=bearer(f"gbrm_x_{n}")).status_code
                    for n in range(SignInLimiter.BURST)]
        assert statuses == [401] * SignInLimiter.BURST
        refused = attacker.get("/api/v1/accounts", headers=bearer("gbrm_x_more"))
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        # Malformed, revoked or unknown alike: every failed token counts.
        assert attacker.get("/api/v1/me", headers=bearer("nonsense")).status_code == 429
        # A valid token still works, from the same address and from another one.
        assert attacker.get("/api/v1/accounts", headers=bearer(valid)).status_code == 200
        assert other.get("/api/v1/accounts", headers=bearer(valid)).status_code == 200
        # The other address has its own count.
        assert other.get("/api/v1/accounts", headers=bearer("gbrm_x_y")).status_code == 401
        # No token at all is not a failed sign-in: still the plain 401.
        assert attacker.get("/api/v1/accounts").status_code == 401


def test_the_limit_refills_at_its_rate() -> None:
    now = [1000.0]
    limiter = SignInLimiter(clock=lambda: now[0])
    for _ in range(SignInLimiter.BURST):
        assert limiter.failed("a") == 0
    wait = limiter.failed("a")
    assert wait == SignInLimiter.REFILL_S
    assert limiter.failed("b") == 0  # per address
    now[0] += wait
    assert limiter.failed("a") == 0  # one more attempt after Retry-After
    assert limiter.failed("a") > 0


def test_the_limiter_forgets_addresses_beyond_its_cap() -> None:
    now = [0.0]
    limiter = SignInLimiter(clock=lambda: now[0], max_addresses=10)
    for n in range(100):
        limiter.failed(f"10.0.0.{n}")
        now[0] += 1
    assert len(limiter) <= 10


# ---- 11: ids with '/' -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/key-persons/P1%2Fhistory",
                                  "/api/v1/key-persons/P1%2fpaths",
                                  "/api/v1/accounts/A1%2Freview"])
def test_an_encoded_slash_does_not_change_the_route(app_client: TestClient, small: Store,
                                                     path: str) -> None:
    valid = tokens.create_token(small, employee_id="E1", role="manager", lifetime_days=1).token
    response = app_client.get(path, headers=bearer(valid))
    assert response.status_code == 404, response.text
    # The same person without the slash trick: found, so the 404 above is the route's doing.
    assert app_client.get("/api/v1/key-persons/P1", headers=bearer(valid)).status_code == 200
