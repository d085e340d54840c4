"""The examples of docs/import.md import on both stores, and give the figures docs/method.md
works out by hand from them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from graphbrm.access import Viewer
from graphbrm.accounts import get_account
from graphbrm.bundle import read_bundle, write_bundle
from graphbrm.daily import daily_view
from graphbrm.dashboard import dashboard
from graphbrm.figures import Averages, Thresholds
from graphbrm.importer import import_bundle
from graphbrm.paths import best_paths
from graphbrm.review import monthly_review
from graphbrm.store import Store
from graphbrm.yearly import Targets, yearly_assessment

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"
FORMATS = {"json": EXAMPLES / "bundle.json", "csv": EXAMPLES / "csv",
           "xlsx": EXAMPLES / "bundle.xlsx"}
NOV_30 = dt.date(2026, 11, 30)
T = Thresholds()
OPERATOR = Viewer.operator()


@pytest.fixture(params=list(FORMATS))
def example(request: pytest.FixtureRequest, store: Store) -> Store:
    import_bundle(store, read_bundle(FORMATS[request.param]))
    return store


def averages(a: Averages) -> list[float | None]:
    """closeness, solution_acceptance, price_acceptance to three decimals."""
    return [None if v is None else round(v, 3) for v in a.values()]


def test_the_formats_hold_the_same_rows(tmp_path: Path) -> None:
    """The committed CSV folder and workbook are bundle.json written by make_examples.py."""
    tables = json.loads(FORMATS["json"].read_text(encoding="utf-8"))
    expected = read_bundle(FORMATS["json"])
    assert read_bundle(FORMATS["csv"]) == expected
    assert read_bundle(FORMATS["xlsx"]) == expected
    write_bundle(tables, tmp_path / "csv", "csv")
    for written in sorted((tmp_path / "csv").iterdir()):
        assert written.read_text(encoding="utf-8") == (
            FORMATS["csv"] / written.name).read_text(encoding="utf-8"), written.name


def test_account_figures(example: Store) -> None:
    a1 = get_account(example, viewer=OPERATOR, account_id="A1", thresholds=T, as_of=NOV_30)
    assert (a1.identified, a1.expected, a1.missing, a1.unknown, a1.band) == (3, 4, 1, 0, "good")
    assert averages(a1.averages) == [81.667, 80.0, 66.667]  # (85+90+70)/3, (70+80+90)/3, (55+80+65)/3
    a2 = get_account(example, viewer=OPERATOR, account_id="A2", thresholds=T, as_of=NOV_30)
    assert (a2.identified, a2.missing, a2.unknown, a2.band) == (2, 0, 1, "excellent")
    assert averages(a2.averages) == [82.5, 82.5, 90.0]  # P5's price is unknown: left out
    # As of 2026-10-31 the 2025-11-01 records and P1's of 2026-05-01 count: A1 is poor.
    before = get_account(example, viewer=OPERATOR, account_id="A1", thresholds=T,
                         as_of=dt.date(2026, 10, 31))
    assert (averages(before.averages), before.band) == ([66.667, 66.667, 56.667], "poor")


def test_monthly_review(example: Store) -> None:
    r = monthly_review(example, viewer=OPERATOR, account_id="A1", as_of=NOV_30, thresholds=T)
    assert [(q.key, q.passed) for q in r.questions] == [
        ("coverage", False), ("averages", True), ("blockers", False)]
    assert [a.text for a in r.actions] == [
        "Identify 1 more key person",
        "Turn around veto holder 王建国 (price acceptance 55): best path "
        "孙丽 → 张伟 → 李晓梅 → 王建国 (0.36)"]
    r2 = monthly_review(example, viewer=OPERATOR, account_id="A2", as_of=NOV_30, thresholds=T)
    assert [q.passed for q in r2.questions] == [False, True, True]  # P5's price is unknown
    assert [a.text for a in r2.actions] == ["Get the unknown scores of Wang Fang"]


def test_paths_and_daily_view(example: Store) -> None:
    found = best_paths(example, viewer=OPERATOR, target_id="P1")
    assert [(p.strength, p.nodes) for p in found.paths] == [
        (0.36, ["E2", "P3", "P2", "P1"]), (0.2, ["E3", "P1"])]
    d = daily_view(example, viewer=OPERATOR, employee_id="E2", thresholds=T, as_of=NOV_30)
    assert (d.potential.team_key_persons, d.potential.influenced) == (3, 1)
    assert [(s.person_id, s.status, s.path.strength) for s in d.next_steps] == [
        ("P1", "opposes", 0.36)]
    assert [a.id for a in d.activities] == ["ACT1"]


def test_dashboard(example: Store) -> None:
    d = dashboard(example, viewer=OPERATOR, as_of=NOV_30, thresholds=T)
    o = d.overall
    assert (o.accounts, o.key_persons, o.bands.good, o.bands.excellent) == (2, 5, 1, 1)
    assert averages(o.averages) == [82.083, 81.25, 78.333]
    assert (d.mom.compared_with, averages(d.mom.averages)) == (
        dt.date(2026, 10, 31), [13.75, 12.917, 15.0])
    assert (d.yoy.compared_with, averages(d.yoy.averages)) == (
        dt.date(2025, 11, 30), [15.417, 12.917, 16.667])
    assert d.influence.potential == pytest.approx(2 / 5)
    c = d.influence.contribution
    assert (c.won, c.won_with_influence, c.amount, c.amount_with_influence) == (
        2, 1, 1_700_000, 1_200_000)
    assert c.amount_share == pytest.approx(12 / 17)
    rates = {r.band: (r.closed, r.won) for r in d.win_rate}
    assert rates == {"excellent": (0, 0), "good": (1, 1), "poor": (2, 1), "unknown": (0, 0)}
    good = next(r for r in d.win_rate if r.band == "good")
    assert (round(good.ci_low or 0, 4), good.ci_high) == (0.2065, 1.0)
    poor = next(r for r in d.win_rate if r.band == "poor")
    assert (round(poor.ci_low or 0, 4), round(poor.ci_high or 0, 4)) == (0.0945, 0.9055)
    assert d.not_credible == []
    months = {m.period: (m.count, m.amount, m.qualified_share) for m in d.incubation if m.count}
    assert months == {"2026-01": (1, 1_200_000, 1.0), "2026-02": (1, 300_000, 0.0),
                      "2026-03": (1, 500_000, 1.0), "2026-11": (1, 800_000, 1.0)}
    assert (d.incubation[0].period, len(d.incubation)) == ("2024-12", 24)


def test_yearly_assessment(example: Store) -> None:
    y = yearly_assessment(example, viewer=OPERATOR, year=2026, thresholds=T, targets=Targets(),
                          today=dt.date(2026, 12, 31))
    reps = {r.employee_id: r for r in y.reps}
    assert set(reps) == {"E2", "E3"}  # reps; E1 manages but owns no key account
    e2, e3 = reps["E2"], reps["E3"]
    assert [(b.account_id, b.start, b.end) for b in e2.account_bands] == [("A1", "poor", "good")]
    assert (e2.share_excellent, e2.share_good_or_better, e2.meets_target) == (0.0, 1.0, False)
    assert [(b.account_id, b.start, b.end) for b in e3.account_bands] == [("A2", "good", "excellent")]
    assert (e3.share_excellent, e3.share_good_or_better, e3.meets_target) == (1.0, 1.0, True)
