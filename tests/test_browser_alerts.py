"""The alert bell in a real browser: an edit elsewhere shows in the header within two seconds,
the list links to the account's review and map, acknowledging lowers the count, a rep of other
accounts sees nothing, and the daily view starts with my open alerts."""

from __future__ import annotations

import time
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.figures import Thresholds
from graphbrm.key_persons import KeyPersonUpdate, update_key_person
from tests.browser import (  # noqa: F401  (fixtures)
    Live,
    browser,
    expect,
    live,
    open_ui,
    tokens,
)

pytestmark = pytest.mark.browser


def approver_turns_against_us(live: Live) -> None:
    """李晓梅 (P2, approver of A1) from price 80 to 40: a blocker; A1's price average falls to
    (59 + 40 + 61) / 3 = 53.3, so A1 drops from good to poor; and P2 fell 40 points in 30 days.
    Three alerts on A1."""
    update_key_person(live.store, viewer=Viewer.operator(), person_id="P2",
                      changes=KeyPersonUpdate(price_acceptance=40), thresholds=Thresholds())


def alert_requests(page: Any) -> list[str]:
    """The URLs of the bell's questions, as the page sends them."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/api/v1/alerts?" in r.url else None)
    return seen


def test_an_edit_in_the_map_panel_shows_in_the_bell_within_two_seconds(
        open_ui: Any, live: Live, tokens: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    ui.sign_in(tokens["rep_a1"])
    expect(page.get_by_test_id("alert-count")).to_have_text("0")
    ui.go("/accounts/A1?person=P2")
    panel = page.get_by_test_id("person-panel")
    expect(panel.locator("h2")).to_contain_text("李晓梅")
    panel.get_by_test_id("person-price_acceptance").fill("40")
    started = time.monotonic()
    panel.get_by_test_id("person-save").click()  # the same change as approver_turns_against_us
    expect(page.get_by_test_id("alert-count")).to_have_text("3", timeout=2_000)
    assert time.monotonic() - started < 2.0
    expect(page.get_by_test_id("alert-bell")).to_have_attribute("aria-label", "3 open alerts")
    page.get_by_test_id("alert-bell").click()
    expect(page.locator("h1")).to_have_text("Alerts")
    items = page.get_by_test_id("alert-item")
    expect(items).to_have_count(3)
    blocker = page.locator('[data-alert-id^="blocker:P2:"]')
    expect(blocker.get_by_test_id("alert-message")).to_contain_text(
        "Final approver 李晓梅 (华东精密机械) now opposes us: price acceptance 80 → 40.")
    expect(blocker.get_by_test_id("alert-severity")).to_have_text("High")
    expect(blocker.get_by_test_id("alert-review")).to_have_attribute("href", "#/accounts/A1/review")
    expect(blocker.get_by_test_id("alert-map")).to_have_attribute("href", "#/accounts/A1")
    blocker.get_by_test_id("alert-ack").click()
    expect(items).to_have_count(2)
    expect(page.get_by_test_id("alert-count")).to_have_text("2")
    page.get_by_test_id("alerts-all").click()
    expect(items).to_have_count(3)
    expect(page.locator('[data-alert-id^="blocker:P2:"]').get_by_test_id("alert-acked")).to_contain_text(
        "Acknowledged by E2")
    page.locator('[data-alert-id^="band_drop:A1:"]').get_by_test_id("alert-review").click()
    expect(page).to_have_url(f"{live.url}/#/accounts/A1/review")
    assert ui.errors == []


def test_the_bell_asks_every_30_seconds_and_when_the_tab_shows_again(
        open_ui: Any, live: Live, tokens: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    asked = alert_requests(page)
    ui.sign_in(tokens["rep_a1"])
    expect(page.get_by_test_id("alert-count")).to_have_text("0")
    page.wait_for_timeout(3_000)
    assert len(asked) == 1, asked  # once on sign-in, not every 1.5 s
    approver_turns_against_us(live)  # someone else's edit: the bell waits for its next round
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("alert-count")).to_have_text("0")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the tab is back
    expect(page.get_by_test_id("alert-count")).to_have_text("3", timeout=2_000)
    assert len(asked) == 2
    assert ui.errors == []


def test_other_accounts_rep_sees_no_alert_and_the_daily_view_starts_with_mine(
        open_ui: Any, live: Live, tokens: dict[str, str]) -> None:
    approver_turns_against_us(live)
    other = open_ui()
    other.sign_in(tokens["rep_a2_a3"])
    expect(other.page.get_by_test_id("alert-count")).to_have_text("0")
    other.go("/alerts")
    expect(other.page.get_by_test_id("alerts-none")).to_have_text("No alerts.")
    rep = open_ui(locale="zh-CN")
    rep.sign_in(tokens["rep_a1"])
    expect(rep.page.get_by_test_id("alert-count")).to_have_text("3")
    rep.go("/daily")
    panel = rep.page.get_by_test_id("daily-alerts")
    expect(panel.locator("h2")).to_have_text("我的未处理预警（3）")
    expect(panel.get_by_test_id("alert-item")).to_have_count(3)
    expect(panel.locator('[data-alert-id^="blocker:P2:"]').get_by_test_id("alert-message")
           ).to_contain_text("一票批准人 李晓梅 (华东精密机械) 开始反对我们：价格接受度 80 → 40")
    # The alerts come first: before the influence potential and the next steps.
    first = rep.page.locator("main section").first
    expect(first).to_have_attribute("data-testid", "daily-alerts")
    assert other.errors == [] and rep.errors == []
