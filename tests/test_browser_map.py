"""The relationship map (关系图谱) in Chromium: a 40-person account fits the screen on open, zooms,
highlights a person's best reach path, filters, searches and exports a PNG; in both languages.

The account is built by hand below (A40, owned by 孙丽 E2 of the small company), so every count a
test checks is read off this file: 40 key persons in 5 departments and 2 sub-departments, the
reporting line, 4 ties between key persons and 6 of our employees' ties.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from tests.browser import (  # noqa: F401  (fixtures)
    UI,
    Live,
    browser,
    expect,
    live,
    open_ui,
    png_size,
    tokens,
)

pytestmark = pytest.mark.browser

ACCOUNT = "A40"
# (department, name, parent) — 总经办 first; two sub-departments of 信息技术部.
DEPARTMENTS = [("D40", "总经办", None), ("D41", "信息技术部", None), ("D42", "基础架构组", "D41"),
               ("D43", "应用开发组", "D41"), ("D44", "采购部", None), ("D45", "财务部", None),
               ("D46", "生产运行部", None)]
OK = (80, 80, 80)


def _persons() -> list[dict[str, Any]]:
    """40 key persons: (id, department, title, role, boss, scores); names are 关键人01 … 关键人40."""
    rows: list[tuple[str, str, str, str, str | None, tuple[int | None, ...]]] = [
        ("P01", "D40", "董事长", "approver", None, (85, 80, None)),    # unclear: approver, unknown
        ("P02", "D40", "总经理", "decision_maker", "P01", OK),
        ("P03", "D40", "副总经理", "veto", "P02", (40, 70, 70)),        # opposes: veto holder
        ("P10", "D41", "信息技术部总监", "decision_maker", "P02", OK),
        ("P20", "D42", "基础架构组组长", "evaluator", "P10", OK),
        ("P30", "D43", "应用开发组组长", "evaluator", "P10", OK),
        ("P40", "D44", "采购总监", "decision_maker", "P03", (50, 60, 55)),  # opposes
        ("P50", "D45", "财务总监", "influencer", "P02", OK),
        ("P60", "D46", "生产运行部总经理", "decision_maker", "P03", OK),
    ]
    members = [("D41", "P10", 3), ("D42", "P20", 5), ("D43", "P30", 5), ("D44", "P40", 6),
               ("D45", "P50", 5), ("D46", "P60", 7)]
    number = 0
    for dept, boss, count in members:
        for _ in range(count):
            number += 1
            scores: tuple[int | None, ...] = (None, 70, 70) if number == 31 else OK  # P131 unknown
            rows.append((f"P1{number:02d}", dept, "信息技术部基础架构组高级系统工程师" if number == 4
                         else "采购专员", "user", boss, scores))
    assert len(rows) == 40
    return [{"id": pid, "department_id": dept, "name": f"关键人{i + 1:02d}", "title": title,
             "decision_role": role, "reports_to": boss, "closeness": s[0],
             "solution_acceptance": s[1], "price_acceptance": s[2], "scored_at": "2026-10-01"}
            for i, (pid, dept, title, role, boss, s) in enumerate(rows)]


def forty_person_account() -> dict[str, list[dict[str, Any]]]:
    """A40 with its 40 key persons, two of our employees' team and their ties."""
    return {
        "accounts": [{"id": ACCOUNT, "name": "华中雅图建设集团股份有限公司", "industry": "建筑",
                      "region": "华中", "tier": "key", "expected_key_persons": 40}],
        "departments": [{"id": d, "account_id": ACCOUNT, "name": n, "parent_id": p}
                        for d, n, p in DEPARTMENTS],
        "key_persons": _persons(),
        "employees": [{"id": "E5", "name": "郑敏", "title": "解决方案经理", "role": "rep",
                       "manager_id": "E1"}],
        "account_teams": [{"employee_id": "E2", "account_id": ACCOUNT, "role": "owner"},
                          {"employee_id": "E5", "account_id": ACCOUNT, "role": "member"}],
        # Best path to the veto holder P03 (关键人03): 孙丽 →90 P121 (finance) →80 P40 →70 P03 = 0.504;
        # next: 郑敏 knows P03 at 30 (0.30).
        "influences": [{"from": "E2", "to": "P121", "strength": 90},
                       {"from": "P121", "to": "P40", "strength": 80},
                       {"from": "P40", "to": "P03", "strength": 70},
                       {"from": "P50", "to": "P02", "strength": 60},
                       {"from": "P10", "to": "P50", "strength": 40},
                       {"from": "E2", "to": "P10", "strength": 70},
                       {"from": "E5", "to": "P20", "strength": 50}],
        "knows": [{"employee_id": "E5", "person_id": "P03", "strength": 30},
                  {"employee_id": "E5", "person_id": "P60", "strength": 40},
                  {"employee_id": "E2", "person_id": "P01", "strength": 20}],
    }


BEST_PATH = "孙丽 → 关键人30 → 关键人07 → 关键人03 (0.50)"  # P121 is 关键人30, P40 关键人07
EMPLOYEE_TIES = 6       # E2→P121, E2→P10, E5→P20 (influences); E5→P03, E5→P60, E2→P01 (knows)
PERSON_INFLUENCES = 4   # P121→P40, P40→P03, P50→P02, P10→P50
STATUS_COUNTS = {"opposes": 2, "unclear": 1, "unknown": 1, "ok": 36}


@pytest.fixture
def company(live: Live, tokens: dict[str, str]) -> dict[str, str]:
    """The small company plus A40; the sign-in tokens of the small company."""
    import_bundle(live.store, parse_tables(forty_person_account()))
    return tokens


def open_map(ui: UI, token: str) -> Any:
    ui.sign_in(token)
    ui.go(f"/accounts/{ACCOUNT}")
    stage = ui.page.get_by_test_id("map-svg")
    expect(stage).to_have_attribute("data-ready", "true")
    return stage


def node(page: Any, person_id: str) -> Any:
    return page.locator(f'[data-testid=map-node][data-id="{person_id}"]')


def test_forty_persons_fit_the_screen_on_open_and_zoom(open_ui: Any, company: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    stage = open_map(ui, company["manager"])
    nodes = page.get_by_test_id("map-node")
    expect(nodes).to_have_count(40)
    statuses = [n.get_attribute("data-status") for n in nodes.all()]
    assert {s: statuses.count(s) for s in STATUS_COUNTS} == STATUS_COUNTS

    # Fitted on open: every person's box lies inside the map and inside the window.
    canvas = page.get_by_test_id("map-canvas").bounding_box()
    viewport = page.viewport_size
    assert canvas and viewport
    assert canvas["y"] + canvas["height"] <= viewport["height"]
    for box in (n.bounding_box() for n in nodes.all()):
        assert box is not None
        assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]
        assert canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"]
    fitted = float(stage.get_attribute("data-zoom") or 0)
    width = (node(page, "P01").bounding_box() or {})["width"]
    assert 0.3 < fitted <= 1.3

    page.get_by_test_id("map-zoom-in").click()
    expect(stage).to_have_attribute("data-zoom", f"{fitted * 1.25:.3f}")
    assert (node(page, "P01").bounding_box() or {})["width"] == pytest.approx(width * 1.25, rel=0.02)
    page.get_by_test_id("map-fit").click()
    expect(stage).to_have_attribute("data-zoom", f"{fitted:.3f}")
    # The mouse wheel zooms in too, around the pointer.
    page.mouse.move(canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2)
    page.mouse.wheel(0, -300)
    expect(stage).not_to_have_attribute("data-zoom", f"{fitted:.3f}")
    assert float(stage.get_attribute("data-zoom") or 0) > fitted


def test_selecting_a_person_highlights_their_best_path(open_ui: Any, company: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    stage = open_map(ui, company["manager"])
    veto = node(page, "P03")
    expect(veto).to_have_attribute("aria-label", "关键人03, Veto holder, Opposes us, 40 / 70 / 70")
    veto.click(force=True)  # a click on the map, where the person's box is drawn
    panel = page.get_by_test_id("person-panel")
    expect(panel.locator("h2")).to_have_text("关键人03 Opposes us")
    expect(veto).to_have_attribute("aria-pressed", "true")
    expect(stage).to_have_attribute("data-selected", "P03")
    paths = panel.get_by_test_id("person-paths").locator("li")
    expect(paths.first).to_have_text(BEST_PATH)
    # On the map: the four people of the best path and its three ties (one of them an employee's
    # tie, drawn although our employees' ties are switched off).
    expect(stage).to_have_attribute("data-path", "E2 P121 P40 P03")
    expect(stage).to_have_attribute("data-path-ties", "3")
    expect(paths.first.locator("button")).to_have_attribute("aria-pressed", "true")
    paths.nth(1).locator("button").click()
    expect(stage).to_have_attribute("data-path", "E5 P03")
    expect(stage).to_have_attribute("data-path-ties", "1")
    assert page.url.endswith(f"/accounts/{ACCOUNT}?person=P03")

    # The keyboard reaches every person: Tab to a box, Enter selects it.
    node(page, "P02").focus()
    page.keyboard.press("Enter")
    expect(panel.locator("h2")).to_have_text("关键人02 OK")
    expect(stage).to_have_attribute("data-selected", "P02")


def test_filters_fade_persons_and_hide_ties(open_ui: Any, company: dict[str, str]) -> None:
    ui = open_ui()
    page = ui.page
    stage = open_map(ui, company["manager"])
    faded = page.locator("[data-testid=map-node].faded")
    expect(faded).to_have_count(0)
    # Opposing, unclear and unknown only: the 36 who are fine fade.
    page.get_by_test_id("map-filter-ok").uncheck()
    expect(faded).to_have_count(36)
    page.get_by_test_id("map-filter-ok").check()
    page.get_by_test_id("map-role-filter").select_option("blocking")
    expect(faded).to_have_count(38)  # all but the approver P01 and the veto holder P03
    expect(node(page, "P03")).not_to_have_class("map-node faded")
    page.get_by_test_id("map-role-filter").select_option("")
    expect(faded).to_have_count(0)

    # Our employees' ties start hidden; influence between key persons shows.
    expect(stage).to_have_attribute("data-hidden-ties", str(EMPLOYEE_TIES))
    page.get_by_test_id("map-filter-employee-ties").check()
    expect(stage).to_have_attribute("data-hidden-ties", "0")
    page.get_by_test_id("map-filter-person-ties").uncheck()
    expect(stage).to_have_attribute("data-hidden-ties", str(PERSON_INFLUENCES))

    # Search: the count, and Enter selects the person found.
    search = page.get_by_test_id("map-search")
    search.fill("关键人1")  # 关键人10 … 关键人19
    expect(page.get_by_test_id("map-search-count")).to_have_text("10 found")
    expect(stage).to_have_attribute("data-matches", "10")
    search.fill("副总经理")
    search.press("Enter")
    expect(page.get_by_test_id("person-panel").locator("h2")).to_have_text("关键人03 Opposes us")


def test_the_map_exports_as_png(open_ui: Any, company: dict[str, str], tmp_path: Path) -> None:
    ui = open_ui()
    page = ui.page
    open_map(ui, company["manager"])
    with page.expect_download() as download:
        page.get_by_test_id("map-export").click()
    assert download.value.suggested_filename == "华中雅图建设集团股份有限公司-Relationship map.png"
    file = tmp_path / "map.png"
    download.value.save_as(file)
    width, height = png_size(file)
    # The whole map at twice the screen's resolution: much larger than the window.
    assert width > 1500 and height > 600 and file.stat().st_size > 50_000


def test_the_map_in_chinese(open_ui: Any, company: dict[str, str]) -> None:
    ui = open_ui("zh-CN")
    page = ui.page
    stage = open_map(ui, company["manager"])
    expect(page.get_by_test_id("map-status-filter").locator("label")).to_have_text(
        ["反对我们", "态度不明", "得分未知", "正常"])
    expect(page.get_by_test_id("map-fit")).to_have_text("适应屏幕")
    node(page, "P01").click(force=True)
    panel = page.get_by_test_id("person-panel")
    expect(panel.locator("h2")).to_have_text("关键人01 态度不明")
    expect(stage).to_have_attribute("data-path", "E2 P01")
    expect(panel.get_by_test_id("person-paths").locator("li").first).to_have_text(
        "孙丽 → 关键人01 (0.20)")
