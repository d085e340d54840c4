"""End-to-end tests of the web UI in a real browser, against the real API and embedded store.

Playwright drives Debian's chromium (`apt-get install -y chromium fonts-wqy-microhei`); it never
downloads a browser. Without /usr/bin/chromium or the playwright module these tests skip.

The server is uvicorn in a thread, serving `create_app` on a FalkorDB graph of the session's
embedded server; before each test that graph is emptied and the small company (tests/small.py)
imported again, so the tests that change data do not leak into the others. Figures are those
worked out by hand in tests/test_accounts.py (the UI computes them as of today, and every score in
the small company is dated 2026-10-01 or earlier).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from tests.browser import (  # noqa: F401  (fixtures)
    A1_NAME,
    P1_BEST_PATH,
    Live,
    band_of_row,
    browser,
    expect,
    figure,
    live,
    open_ui,
    png_size,
    row_cells,
    tokens,
)

pytestmark = pytest.mark.browser


# ---- the tests ---------------------------------------------------------------------------------

def test_sign_in_link_lists_the_accounts_with_their_figures(open_ui: Any,
                                                           tokens: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    ui.sign_in(tokens["manager"])
    expect(page.get_by_test_id("current-user")).to_have_text("刘总 · Sales manager")
    expect(page.locator("h1")).to_have_text("Accounts")
    expect(page.get_by_test_id("account-row")).to_have_count(3)
    expect(page.get_by_test_id("accounts-pager")).to_contain_text("1–3 of 3")
    for account_id, band, label in [("A1", "good", "Good"), ("A2", "unknown", "Unknown"),
                                    ("A3", "poor", "Poor")]:
        expect(band_of_row(page, account_id)).to_have_attribute("data-band", band)
        expect(band_of_row(page, account_id)).to_have_text(label)
    # Columns: region, tier, band, identified / expected, unknown, the three averages, review.
    expect(row_cells(page, "A1")).to_have_text(
        ["华东", "Key", "Good", "4 / 5", "1", "70.0", "75.0", "66.7", "Monthly review"])
    expect(row_cells(page, "A2")).to_have_text(
        ["华南", "Key", "Unknown", "0 / 3", "0", "—", "—", "—", "Monthly review"])
    # A3: one person (赵六) at 50 / 50 / 50, every average below 60 and highlighted.
    for cell in (5, 6, 7):
        expect(row_cells(page, "A3").nth(cell)).to_have_text("50.0")
        expect(row_cells(page, "A3").nth(cell)).to_have_class("num low")
    # A1's price average (66.7) is fine; A1's one unknown score is highlighted.
    expect(row_cells(page, "A1").nth(7)).to_have_class("num")
    expect(row_cells(page, "A1").nth(4)).to_have_class("num low")
    expect(page.locator('[data-testid=account-row][data-id="A1"] th a')).to_have_text(A1_NAME)


def test_language_toggle_switches_to_the_articles_terms(open_ui: Any, tokens: dict[str, str],
                                                       tmp_path: Path) -> None:
    ui = open_ui("en-US")
    page = ui.page
    ui.sign_in(tokens["manager"])
    html = page.locator("html")
    toggle = page.get_by_test_id("lang-toggle")
    headers = page.get_by_test_id("accounts-table").locator("thead th")
    expect(html).to_have_attribute("lang", "en")
    expect(headers.nth(6)).to_have_text("Closeness")

    toggle.click()
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text("客户")
    expect(headers).to_have_text(["客户", "区域", "级别", "商业关系", "已识别 / 应有", "得分未知",
                                  "关系紧密度", "方案认可度", "价格接受度", "月度 Review"])
    expect(page.get_by_test_id("nav-dashboard")).to_have_text("实时监控")
    expect(band_of_row(page, "A1")).to_have_text("良")
    expect(band_of_row(page, "A2")).to_have_text("未知")
    expect(band_of_row(page, "A3")).to_have_text("差")
    expect(page.get_by_test_id("current-user")).to_have_text("刘总 · 一线销售主管")
    expect(toggle).to_have_text("English")
    expect(toggle).to_be_focused()  # the toggle keeps the focus when the page re-renders

    shot = tmp_path / "accounts-zh-CN.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height = png_size(shot)
    assert width >= 1000 and height >= 300 and shot.stat().st_size > 10_000

    # The choice is remembered across a reload; toggling again goes back to English.
    page.reload()
    expect(page.get_by_test_id("accounts-table")).to_be_visible()
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(headers.nth(6)).to_have_text("关系紧密度")
    toggle.click()
    expect(html).to_have_attribute("lang", "en")
    expect(headers.nth(8)).to_have_text("Price acceptance")
    expect(toggle).to_have_text("中文")


def test_account_map_marks_opposing_persons_and_shows_paths(open_ui: Any,
                                                           tokens: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    ui.sign_in(tokens["manager"])
    page.get_by_role("link", name=A1_NAME).click()
    expect(page.get_by_test_id("map-svg")).to_be_visible()
    assert page.url == f"{ui.base}/#/accounts/A1"

    header = page.get_by_test_id("account-header")
    expect(header.locator("h1")).to_have_text(f"{A1_NAME} Good")
    expect(header.get_by_test_id("band-badge")).to_have_attribute("data-band", "good")
    expect(figure(header, "Key persons (identified / expected)")).to_have_text("4 / 5")
    expect(figure(header, "Missing")).to_have_text("1")
    expect(figure(header, "Closeness")).to_have_text("70.0")
    expect(figure(header, "Solution acceptance")).to_have_text("75.0")
    expect(figure(header, "Price acceptance")).to_have_text("66.7")

    nodes = page.get_by_test_id("map-node")
    expect(nodes).to_have_count(4)
    statuses = {n.get_attribute("data-id"): n.get_attribute("data-status") for n in nodes.all()}
    assert statuses == {"P1": "opposes", "P2": "ok", "P3": "ok", "P4": "opposes"}
    p1 = page.locator('[data-testid=map-node][data-id="P1"]')
    expect(p1).to_have_attribute("aria-label", "王建国, Veto holder, Opposes us, 80 / 60 / 59")
    expect(p1.get_by_test_id("map-role-badge")).to_have_text("V")
    expect(page.locator('[data-testid=map-node][data-id="P4"]')).to_have_attribute(
        "aria-label", "Chen Jing, User, Opposes us, 40 / 60 / —")
    # Our employees on the left: 孙丽 (influences 张伟) and 周强 (knows 王建国).
    expect(page.locator("svg g.node.employee")).to_have_count(2)

    panel = page.get_by_test_id("person-panel")
    expect(panel).to_have_text("Select a person on the map or in the list.")
    p1.click()
    expect(panel.locator("h2")).to_have_text("王建国 Opposes us")
    expect(panel.get_by_test_id("status-badge")).to_have_attribute("data-status", "opposes")
    expect(panel).to_contain_text("总经理 · 总经办")
    expect(figure(panel, "Price acceptance")).to_have_text("59")
    expect(panel.get_by_test_id("person-paths").locator("li").first).to_have_text(P1_BEST_PATH)
    expect(p1).to_have_attribute("aria-pressed", "true")
    assert page.url == f"{ui.base}/#/accounts/A1?person=P1"

    # The persons list sorts who opposes us first; the address keeps the selection on reload.
    rows = page.get_by_test_id("persons-table").locator("tbody tr")
    expect(rows.locator("th")).to_have_text(["Chen Jing", "王建国", "张伟", "李晓梅"])
    page.reload()
    expect(panel.locator("h2")).to_have_text("王建国 Opposes us")
    expect(panel.get_by_test_id("person-paths").locator("li").first).to_have_text(P1_BEST_PATH)
    rows.locator("th button", has_text="Chen Jing").click()
    expect(panel.locator("h2")).to_have_text("Chen Jing Opposes us")
    expect(panel.get_by_test_id("person-price_acceptance")).to_have_value("")


def test_monthly_review_questions_and_recording_a_review(open_ui: Any,
                                                        tokens: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    ui.sign_in(tokens["manager"])
    row = page.locator('[data-testid=account-row][data-id="A1"]')
    row.get_by_role("link", name="Monthly review").click()
    expect(page.get_by_test_id("review-form")).to_be_visible()
    assert page.url == f"{ui.base}/#/accounts/A1/review"

    coverage = page.get_by_test_id("review-question-coverage")
    expect(coverage).to_have_attribute("data-passed", "false")
    expect(coverage.get_by_test_id("review-verdict")).to_have_text("✗ Failed")
    expect(coverage).to_contain_text(
        "1 key person(s) still to identify (expected 5, identified 4).")
    expect(coverage.get_by_role("link")).to_have_text(["Chen Jing"])
    expect(coverage.get_by_role("link")).to_have_attribute("href", "#/accounts/A1?person=P4")

    averages = page.get_by_test_id("review-question-averages")
    expect(averages).to_have_attribute("data-passed", "true")
    expect(averages.get_by_test_id("review-verdict")).to_have_text("✓ Passed")
    expect(averages.locator("dd")).to_have_text(["70.0", "75.0", "66.7"])

    blockers = page.get_by_test_id("review-question-blockers")
    expect(blockers).to_have_attribute("data-passed", "false")
    blocker_rows = blockers.get_by_test_id("blocker-row")
    expect(blocker_rows).to_have_count(1)
    expect(blocker_rows.locator("th")).to_have_text("王建国")
    expect(blocker_rows.get_by_test_id("status-badge")).to_have_attribute("data-status", "opposes")
    expect(blocker_rows.locator("ol.paths li").first).to_have_text(P1_BEST_PATH)

    expect(page.get_by_test_id("review-previous")).to_contain_text("No previous review.")
    history = page.get_by_test_id("review-history")
    expect(history).to_contain_text("None")
    expect(page.get_by_test_id("review-actions").locator("li")).to_have_text([
        "Identify 1 more key person",
        "Get the unknown scores of Chen Jing ↗",
        "Turn around veto holder 王建国 (price acceptance 59): best path "
        "孙丽 → 张伟 → 李晓梅 → 王建国 (0.36) ↗",
    ])

    form = page.get_by_test_id("review-form")
    expect(form.get_by_test_id("review-rep")).to_have_value("E2")  # the account's owner
    review_date = form.get_by_test_id("review-date").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review_date)
    form.get_by_test_id("review-extra-actions").fill("Invite 王建国 to the Suzhou site")
    form.get_by_test_id("review-notes").fill("李晓梅 will introduce us")
    form.get_by_test_id("review-submit").click()

    expect(page.get_by_test_id("flash")).to_have_text("Review saved.")
    expect(page.get_by_test_id("review-error")).to_be_hidden()
    recorded = history.locator("tbody tr")
    expect(recorded).to_have_count(1)
    cells = recorded.locator("td")
    expect(cells.nth(0)).to_have_text(review_date)
    expect(cells.nth(1)).to_have_text("孙丽")
    expect(cells.nth(3).locator("li")).to_have_text([
        "Identify 1 more key person", "Get the unknown scores of Chen Jing",
        re.compile(r"^Turn around .*王建国"), "Invite 王建国 to the Suzhou site"])
    expect(cells.nth(4)).to_have_text("李晓梅 will introduce us")

    page.reload()  # it is stored, not just drawn
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history.locator("tbody tr td").nth(4)).to_have_text("李晓梅 will introduce us")


def test_a_rep_sees_only_their_accounts(open_ui: Any, tokens: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    ui.sign_in(tokens["rep_a2_a3"])
    expect(page.get_by_test_id("current-user")).to_have_text("周强 · Sales rep")
    rows = page.get_by_test_id("account-row")
    expect(rows).to_have_count(2)
    assert sorted(str(r.get_attribute("data-id")) for r in rows.all()) == ["A2", "A3"]
    expect(page.get_by_text(A1_NAME)).to_have_count(0)

    # The address of A1 shows the not-found panel and nothing of A1. The browser logs the
    # API's 404 as a console error; exactly that one is expected.
    ui.expect_404_log("/accounts/A1/map")
    ui.go("/accounts/A1")
    panel = page.get_by_test_id("error-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h1")).to_have_text("Something went wrong")
    expect(panel).to_contain_text("Not found.")
    expect(page.get_by_test_id("account-header")).to_have_count(0)
    expect(page.get_by_test_id("map-svg")).to_have_count(0)
    for secret in (A1_NAME, "王建国", "李晓梅", "Chen Jing"):
        expect(page.locator("body")).not_to_contain_text(secret)

    # So does its monthly review (three fetches, each a 404 logged by the browser).
    for path in ("/accounts/A1/review", "/accounts/A1/reviews", "/accounts/A1/map"):
        ui.expect_404_log(path)
    ui.go("/accounts/A1/review")
    expect(page.get_by_test_id("review-form")).to_have_count(0)
    expect(panel).to_contain_text("Not found.")
    for secret in (A1_NAME, "王建国"):
        expect(page.locator("body")).not_to_contain_text(secret)

    # Their own account still opens.
    ui.go("/accounts/A2")
    expect(page.get_by_test_id("account-header").locator("h1")).to_have_text(
        "Northwind Trading Unknown")


def test_a_rep_edits_a_score_and_the_figures_follow(open_ui: Any, tokens: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    ui.sign_in(tokens["rep_a1"])
    expect(page.get_by_test_id("account-row")).to_have_count(1)
    page.get_by_role("link", name=A1_NAME).click()
    page.locator('[data-testid=map-node][data-id="P4"]').click()
    panel = page.get_by_test_id("person-panel")
    expect(panel.locator("h2")).to_have_text("Chen Jing Opposes us")
    price = panel.get_by_test_id("person-price_acceptance")
    expect(price).to_have_value("")
    price.fill("70")
    panel.get_by_test_id("person-save").click()

    expect(page.get_by_test_id("flash")).to_have_text("Saved.")
    expect(panel.get_by_test_id("person-error")).to_be_hidden()
    header = page.get_by_test_id("account-header")
    # (59 + 80 + 61 + 70) / 4 = 67.5, and no score is unknown any more.
    expect(figure(header, "Price acceptance")).to_have_text("67.5")
    expect(figure(header, "Unknown scores")).to_have_text("0")
    # The panel stays on Chen Jing; closeness 40 still makes them oppose us.
    expect(panel.locator("h2")).to_have_text("Chen Jing Opposes us")
    expect(figure(panel, "Price acceptance")).to_have_text("70")
    expect(page.locator('[data-testid=map-node][data-id="P4"]')).to_have_attribute(
        "aria-label", "Chen Jing, User, Opposes us, 40 / 60 / 70")

    page.reload()
    expect(figure(header, "Price acceptance")).to_have_text("67.5")
    expect(panel.get_by_test_id("person-price_acceptance")).to_have_value("70")
    page.get_by_test_id("nav-accounts").click()
    expect(row_cells(page, "A1")).to_have_text(
        ["华东", "Key", "Good", "4 / 5", "0", "70.0", "75.0", "67.5", "Monthly review"])

    # Saving without a change says so instead of calling the API.
    page.get_by_role("link", name=A1_NAME).click()
    page.locator('[data-testid=map-node][data-id="P4"]').click()
    panel.get_by_test_id("person-save").click()
    expect(panel.get_by_test_id("person-error")).to_have_text("Nothing changed.")


def test_every_page_renders_without_errors(open_ui: Any, tokens: dict[str, str]) -> None:
    """Each page as the manager, in both languages; the fixture fails on any JavaScript error."""
    ui = open_ui("zh-CN")  # a Chinese browser starts in zh-CN, before anyone signs in
    page = ui.page
    page.goto(f"{ui.base}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("signin-submit")).to_have_text("登录")
    ui.sign_in(tokens["manager"])
    for zh in (True, False):
        if not zh:
            page.get_by_test_id("lang-toggle").click()
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if zh else "en")
        pages = [
            ("/accounts/A1", "map-svg", A1_NAME),
            ("/accounts/A2", "map-svg", "Northwind Trading"),
            ("/accounts/A1/review", "review-form", A1_NAME),
            ("/daily", "daily-potential", "每日运营" if zh else "Daily"),
            ("/yearly", "yearly-year", "年度考核" if zh else "Yearly assessment"),
            ("/dashboard", "dash-overall", "商业关系量化实时监控" if zh else "Realtime dashboard"),
            ("/accounts", "accounts-table", "客户" if zh else "Accounts"),
        ]
        # Consecutive pages differ in their h1, so each check waits for the new page.
        for route, testid, title in pages:
            ui.go(route)
            expect(page.locator("#main h1")).to_contain_text(title)
            expect(page.get_by_test_id(testid)).to_be_visible()
            expect(page.get_by_test_id("error-panel")).to_have_count(0)
        # An unknown address shows the no-such-page panel (no fetch, so nothing logged).
        ui.go("/nowhere")
        expect(page.get_by_test_id("error-panel")).to_contain_text(
            "页面不存在。" if zh else "There is no such page.")
    # Signing out returns to the sign-in form, and the API no longer gets the token.
    page.get_by_test_id("signout").click()
    expect(page.get_by_test_id("signin-form")).to_be_visible()
    assert page.evaluate("localStorage.getItem('graphbrm.token')") is None


def test_a_rep_without_key_accounts_is_not_assessed(open_ui: Any, tokens: dict[str, str],
                                                    live: Live) -> None:
    """Listed last, in grey, "not assessed" rather than "not met"; in both languages."""
    import_bundle(live.store, parse_tables({"employees": [
        {"id": "E4", "name": "新人小王", "title": "销售代表", "role": "rep", "manager_id": "E1"}]}))
    ui = open_ui()
    page = ui.page
    ui.sign_in(tokens["manager"])
    ui.go("/yearly")
    rows = page.get_by_test_id("yearly-row")
    expect(rows).to_have_count(3)
    assert [r.get_attribute("data-id") for r in rows.all()][2] == "E4"
    badge = rows.nth(2).get_by_test_id("meets-target-badge")
    expect(badge).to_have_text("Not assessed")
    expect(badge).to_have_attribute("data-met", "null")
    expect(rows.nth(2)).to_have_class("not-assessed")
    expect(rows.nth(0).get_by_test_id("meets-target-badge")).not_to_have_text("Not assessed")
    page.get_by_test_id("lang-toggle").click()
    expect(rows.nth(2).get_by_test_id("meets-target-badge")).to_have_text("不参与考核")
