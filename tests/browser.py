"""The browser-test harness: a live API server on the embedded store, Debian's chromium,
and a page that fails the test on any JavaScript error.

Playwright drives Debian's chromium (`apt-get install -y chromium fonts-wqy-microhei`); it never
downloads a browser. Without /usr/bin/chromium or the playwright module these tests skip.

The server is uvicorn in a thread, serving `create_app` on a FalkorDB graph of the session's
embedded server; before each test that graph is emptied and the small company (tests/small.py)
imported again, so the tests that change data do not leak into the others. Figures are those
worked out by hand in tests/test_accounts.py (the UI computes them as of today, and every score in
the small company is dated 2026-10-01 or earlier).
"""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} "
                "(apt-get install -y chromium fonts-wqy-microhei)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need Playwright: pip install -e '.[test]'")

import uvicorn  # noqa: E402

from graphbrm.api.app import create_app  # noqa: E402
from graphbrm.bundle import parse_tables  # noqa: E402
from graphbrm.importer import import_bundle  # noqa: E402
from graphbrm.settings import Settings  # noqa: E402
from graphbrm.store.embedded import EmbeddedServer  # noqa: E402
from graphbrm.store.falkor import FalkorStore  # noqa: E402
from graphbrm.tokens import create_token  # noqa: E402
from tests.recording import RecordingStore  # noqa: E402
from tests.small import small_bundle  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Locator, Page

pytestmark = pytest.mark.browser

expect = sync_api.expect
TIMEOUT_MS = 8_000
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Who signs in: (employee, role) as in small_bundle().
SIGN_INS = {"manager": ("E1", "manager"), "rep_a1": ("E2", "rep"), "rep_a2_a3": ("E3", "rep")}
# The best path from our employees to 王建国 (P1): E2 →80 P3 →50 P2 →90 P1, 0.8·0.5·0.9 = 0.36.
P1_BEST_PATH = "孙丽 → 张伟 → 李晓梅 → 王建国 (0.36)"
A1_NAME = "华东精密机械"


# ---- the server -------------------------------------------------------------------------------

@dataclass
class Live:
    url: str
    store: FalkorStore


@pytest.fixture(scope="module")
def live(embedded_server: EmbeddedServer) -> Iterator[Live]:
    """uvicorn in a thread on a free loopback port, on the graph `browser` of the embedded server."""
    yield from serve(embedded_server, "browser", Settings())


@pytest.fixture(scope="module")
def live_good70(embedded_server: EmbeddedServer) -> Iterator[Live]:
    """A second server whose settings move the good threshold to 70 (GRAPHBRM_GOOD=70)."""
    yield from serve(embedded_server, "browser-good70", Settings(good=70))


def serve(embedded_server: EmbeddedServer, graph: str, settings: Settings) -> Iterator[Live]:
    """uvicorn serving `settings` on a graph of its own, until the generator is closed."""
    assert embedded_server.port is not None, "the session's embedded server is running"
    store = FalkorStore("127.0.0.1", embedded_server.port, graph,
                        password=embedded_server.password)
    store.clear()
    app = create_app(settings, RecordingStore(store))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # ws="none": the page uses no websockets, and importing them may warn (warnings are errors).
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, ws="none",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="browser-test-uvicorn")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", store)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.clear()
        store.close()


@pytest.fixture
def tokens(live: Live) -> dict[str, str]:
    """A fresh small company in the server's graph, and a sign-in token per SIGN_INS entry."""
    return small_company(live)


def small_company(live: Live) -> dict[str, str]:
    live.store.clear()
    import_bundle(live.store, parse_tables(small_bundle()))
    return {who: create_token(live.store, employee_id=employee, role=role, lifetime_days=1).token
            for who, (employee, role) in SIGN_INS.items()}


# ---- the browser ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@dataclass
class UI:
    """One browser context (own localStorage) with its page and the JavaScript errors seen."""

    page: Page
    base: str
    errors: list[str] = field(default_factory=list)
    # Console errors a test expects: each predicate matches, and uses up, one logged message.
    expected: list[Callable[[ConsoleMessage], bool]] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        for i, allowed in enumerate(self.expected):
            if allowed(message):
                del self.expected[i]
                return
        self.errors.append(f"console error: {message.text} at {message.location.get('url')}")

    def expect_404_log(self, api_path: str, status: int = 404) -> None:
        """Chromium logs every failed fetch; allow exactly one `status` (default 404) of
        `api_path` (no query)."""
        url = f"{self.base}/api/v1{api_path}"

        def matches(message: ConsoleMessage) -> bool:
            return (message.text.startswith("Failed to load resource: the server responded with "
                                            f"a status of {status}")
                    and message.location.get("url", "").split("?")[0] == url)

        self.expected.append(matches)

    def sign_in(self, token: str) -> None:
        """Open the sign-in link; the UI lands on the accounts page and drops the token from the URL."""
        self.page.goto(f"{self.base}/#token={token}")
        expect(self.page.get_by_test_id("accounts-table")).to_be_visible()
        assert self.page.url == f"{self.base}/#/accounts"
        assert token not in self.page.url

    def go(self, route: str) -> None:
        """Type an address of the app into the address bar (a hash route like `/accounts/A1`)."""
        self.page.goto(f"{self.base}/#{route}")


@pytest.fixture
def open_ui(browser: Browser, live: Live) -> Iterator[Callable[..., UI]]:
    """`open_ui(locale="en-US")`: a new context and page; at the end, no JavaScript errors."""
    contexts = []
    uis: list[UI] = []

    def make(locale: str = "en-US", base: str | None = None) -> UI:
        context = browser.new_context(locale=locale, timezone_id="UTC",
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        ui = UI(page, base or live.url)
        page.on("pageerror", lambda error: ui.errors.append(f"page error: {error}"))
        page.on("console", ui.on_console)
        uis.append(ui)
        return ui

    expect.set_options(timeout=TIMEOUT_MS)
    yield make
    for context in contexts:
        context.close()
    errors = [e for ui in uis for e in ui.errors]
    assert errors == [], "JavaScript errors in the page"
    # Every expected 404 happened, so the filter hid nothing else.
    assert [ui.expected for ui in uis if ui.expected] == []


# ---- helpers -----------------------------------------------------------------------------------

def row_cells(page: Page, account_id: str) -> Locator:
    return page.locator(f'[data-testid=account-row][data-id="{account_id}"] td')


def band_of_row(page: Page, account_id: str) -> Locator:
    return page.locator(f'[data-testid=account-row][data-id="{account_id}"] [data-testid=band-badge]')


def figure(scope: Locator, label: str) -> Locator:
    """The value (dd) of a figure (dt label) in a `dl.figs`."""
    return scope.locator(".fig").filter(has=scope.page.locator("dt", has_text=label)).locator("dd")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
