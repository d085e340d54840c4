"""Ties in the map's person panel, in a real browser: add one (our employee by name, strength),
see it in the list and the reach paths, remove it; removing the last way to a decision maker
shows the cut-off alert in the bell at once, in Chinese too.

The small company: 李晓梅 (P2, approver of A1) is reached only by 孙丽 (E2) →80 张伟 (P3) →50
李晓梅, strength 0.40; 周强 (E3) knows 王建国 (P1) at 20, so he is on A1's map.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser import (  # noqa: F401  (fixtures)
    Live,
    browser,
    expect,
    live,
    open_ui,
    tokens,
)

pytestmark = pytest.mark.browser


def test_a_rep_adds_and_removes_a_tie_in_the_person_panel(open_ui: Any,
                                                          tokens: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    ui.sign_in(tokens["rep_a1"])
    ui.go("/accounts/A1?person=P2")
    panel = page.get_by_test_id("person-panel")
    ties = panel.get_by_test_id("tie-item")
    expect(ties).to_have_text(["张伟 · influences 50 Remove"])
    expect(panel.get_by_test_id("person-paths").locator("li")).to_have_text(
        ["孙丽 → 张伟 → 李晓梅 (0.40)"])
    # Our employees on the map, by name: 周强 (E3) and 孙丽 (E2), the signed-in rep.
    expect(panel.get_by_test_id("tie-employee").locator("option")).to_have_text(["周强", "孙丽"])
    panel.get_by_test_id("tie-employee").select_option(label="周强")
    panel.get_by_test_id("tie-type").select_option("knows")
    panel.get_by_test_id("tie-strength").fill("45")
    panel.get_by_test_id("tie-save").click()
    expect(page.get_by_test_id("flash")).to_have_text("Tie saved.")
    expect(ties).to_have_count(2)
    expect(panel.locator('[data-testid=tie-item][data-source="E3"]')).to_have_text(
        "周强 · knows 45 Remove")
    expect(panel.get_by_test_id("person-paths").locator("li")).to_have_text(
        ["周强 → 李晓梅 (0.45)", "孙丽 → 张伟 → 李晓梅 (0.40)"])
    panel.locator('[data-testid=tie-item][data-source="E3"]').get_by_test_id("tie-remove").click()
    expect(page.get_by_test_id("flash")).to_have_text("Tie removed.")
    expect(ties).to_have_text(["张伟 · influences 50 Remove"])
    expect(panel.get_by_test_id("person-paths").locator("li")).to_have_text(
        ["孙丽 → 张伟 → 李晓梅 (0.40)"])
    assert ui.errors == []


def test_removing_the_last_way_in_shows_the_cut_off_alert_at_once_in_chinese(
        open_ui: Any, live: Live, tokens: dict[str, str]) -> None:
    ui = open_ui(locale="zh-CN")
    page = ui.page
    ui.sign_in(tokens["rep_a1"])
    expect(page.get_by_test_id("alert-count")).to_have_text("0")
    ui.go("/accounts/A1?person=P2")
    panel = page.get_by_test_id("person-panel")
    expect(panel.locator("h3", has_text="与此人的关系")).to_be_visible()
    started = time.monotonic()
    panel.locator('[data-testid=tie-item][data-source="P3"]').get_by_test_id("tie-remove").click()
    expect(page.get_by_test_id("alert-count")).to_have_text("1", timeout=2_000)
    assert time.monotonic() - started < 2.0
    expect(page.get_by_test_id("flash")).to_have_text("关系已移除。")
    expect(panel.get_by_test_id("person-ties").locator("li")).to_have_text(
        ["尚无人与此人有关系。"])
    ui.go("/alerts")
    expect(page.get_by_test_id("alert-message")).to_have_text(
        "一票批准人 李晓梅 (华东精密机械) 已被切断：我方已无人能在 4 步内接触到"
        "（移除的关系：张伟 → 李晓梅）。")
    assert ui.errors == []
