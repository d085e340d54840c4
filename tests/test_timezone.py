"""Days are the company's (GRAPHBRM_TIMEZONE), never UTC's or the server process's.

Each case freezes the clock just before or just after midnight in a zone ahead of UTC
(Asia/Shanghai) and one behind it (America/Los_Angeles), with the process's own TZ set to a
third zone whose day differs; every answer below is worked out by hand for that company day.
The midnight is New Year's, so the day, the month end for MoM and the year all turn over.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from graphbrm import clock, derived
from graphbrm.access import Viewer
from graphbrm.accounts import get_account
from graphbrm.bundle import parse_tables
from graphbrm.daily import daily_view
from graphbrm.dashboard import dashboard
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings
from graphbrm.store import Store

OPERATOR = Viewer.operator()
T = Thresholds()
UTC = dt.UTC

# (company zone, the frozen UTC instant, its company day, the process's TZ)
CASES = [
    pytest.param("Asia/Shanghai", dt.datetime(2026, 12, 31, 15, 30, tzinfo=UTC), "2026-12-31",
                 "America/New_York", id="shanghai-23:30"),
    pytest.param("Asia/Shanghai", dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC), "2027-01-01",
                 "America/New_York", id="shanghai-00:30"),
    pytest.param("America/Los_Angeles", dt.datetime(2027, 1, 1, 7, 30, tzinfo=UTC), "2026-12-31",
                 "Asia/Tokyo", id="los_angeles-23:30"),
    pytest.param("America/Los_Angeles", dt.datetime(2027, 1, 1, 8, 30, tzinfo=UTC), "2027-01-01",
                 "Asia/Tokyo", id="los_angeles-00:30"),
]


def company(instant: str) -> dict[str, list[dict[str, Any]]]:
    """One key account with one veto holder scored 50 in June; a deal won and a tie formed at
    `instant` (a UTC date-time without offset, as exports write them)."""
    return {
        "accounts": [{"id": "A1", "name": "Acme", "region": "East", "tier": "key",
                      "expected_key_persons": 1}],
        "departments": [{"id": "D1", "account_id": "A1", "name": "Board"}],
        "key_persons": [{"id": "P1", "department_id": "D1", "name": "Wang", "decision_role": "veto",
                         "closeness": 50, "solution_acceptance": 50, "price_acceptance": 50,
                         "scored_at": "2026-06-01"}],
        "employees": [{"id": "E1", "name": "Sun", "role": "rep"}],
        "account_teams": [{"employee_id": "E1", "account_id": "A1", "role": "owner"}],
        "influences": [{"from": "E1", "to": "P1", "strength": 70, "since": instant}],
        "opportunities": [{"id": "O1", "account_id": "A1", "name": "MES", "amount": 100,
                           "status": "won", "created_at": instant, "closed_at": instant}],
    }


def stamp(instant: dt.datetime) -> str:
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat()


def day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(("zone", "instant", "day", "process_tz"), CASES)
def test_an_edit_counts_from_the_company_day_it_was_made(
        store: Store, client_for: Any, frozen_clock: Any, zone: str, instant: dt.datetime,
        day: str, process_tz: str) -> None:
    frozen_clock(instant, process_tz=process_tz)
    import_bundle(store, parse_tables(company(stamp(instant))), zone=ZoneInfo(zone))
    client = client_for(store, OPERATOR, Settings(timezone=zone))
    before = day_before(day)

    assert client.patch("/api/v1/key-persons/P1", json={"closeness": 90}).status_code == 200
    newest = client.get("/api/v1/key-persons/P1/history").json()["data"][0]
    assert (newest["day"], newest["at"][:16]) == (day, stamp(instant)[:16])

    # Today (the default) already has the edit; the company's yesterday does not.
    assert client.get("/api/v1/accounts/A1").json()["averages"]["closeness"] == 90
    assert client.get(f"/api/v1/accounts/A1?as_of={before}").json()["averages"]["closeness"] == 50
    persons = {n["id"]: n for n in client.get("/api/v1/accounts/A1/map").json()["nodes"]}
    assert persons["P1"]["closeness"] == 90
    assert client.get("/api/v1/accounts/A1/review").json()["as_of"] == day

    board = client.get("/api/v1/dashboard").json()
    assert board["as_of"] == day
    assert board["overall"]["averages"]["closeness"] == 90
    # MoM: against the end of the company's previous month, when the person was still at 50.
    assert board["mom"]["averages"]["closeness"] == 40
    # The deal closed and the tie formed on the company day `day`: counted today, not before.
    assert sum(r["closed"] for r in board["win_rate"]) == 1
    assert board["influence"]["contribution"]["won"] == 1
    assert board["influence"]["potential"] == 1.0
    earlier = client.get(f"/api/v1/dashboard?as_of={before}").json()
    assert earlier["overall"]["averages"]["closeness"] == 50
    assert sum(r["closed"] for r in earlier["win_rate"]) == 0
    assert earlier["influence"]["contribution"]["won"] == 0
    assert earlier["influence"]["potential"] == 0.0

    assert client.get("/api/v1/assessments/yearly").json()["year"] == int(day[:4])


@pytest.mark.parametrize(("zone", "instant", "day", "process_tz"), CASES)
def test_an_activity_belongs_to_the_company_day_it_was_logged(
        store: Store, client_for: Any, frozen_clock: Any, zone: str, instant: dt.datetime,
        day: str, process_tz: str) -> None:
    frozen_clock(instant, process_tz=process_tz)
    import_bundle(store, parse_tables(company(stamp(instant))), zone=ZoneInfo(zone))
    client = client_for(store, OPERATOR, Settings(timezone=zone))

    logged = client.post("/api/v1/activities", json={
        "kind": "optional", "type": "visit", "person_ids": ["P1"], "employee_id": "E1"})
    assert logged.status_code == 201 and logged.json()["day"] == day
    today = client.get("/api/v1/employees/E1/daily").json()
    assert today["as_of"] == day
    assert [a["id"] for a in today["activities"]] == [logged.json()["id"]]
    assert [t["person_id"] for t in today["influences"]] == ["P1"]  # the tie formed today
    earlier = client.get(f"/api/v1/employees/E1/daily?as_of={day_before(day)}").json()
    assert (earlier["activities"], earlier["influences"]) == ([], [])


@pytest.mark.parametrize(("zone", "instant", "day", "process_tz"), CASES)
def test_a_review_may_be_dated_today_but_not_tomorrow(
        store: Store, client_for: Any, frozen_clock: Any, zone: str, instant: dt.datetime,
        day: str, process_tz: str) -> None:
    frozen_clock(instant, process_tz=process_tz)
    import_bundle(store, parse_tables(company(stamp(instant))), zone=ZoneInfo(zone))
    client = client_for(store, OPERATOR, Settings(timezone=zone))
    tomorrow = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()

    late = client.post("/api/v1/accounts/A1/reviews", json={"date": tomorrow, "rep_id": "E1"})
    assert late.status_code == 422
    assert client.post("/api/v1/accounts/A1/reviews",
                       json={"date": day, "rep_id": "E1"}).status_code == 201


def test_imported_instants_count_on_their_day_in_the_company_zone(store: Store) -> None:
    # 00:30 on New Year's Day in Shanghai, once with its offset and once as the UTC instant.
    bundle = company("2026-12-31T16:30:00")
    bundle["score_history"] = [
        {"person_id": "P1", "at": "2027-01-01T00:30:00+08:00", "closeness": 90,
         "solution_acceptance": 50, "price_acceptance": 50}]
    import_bundle(store, parse_tables(bundle), zone=ZoneInfo("Asia/Shanghai"))

    def closeness(day: dt.date) -> float | None:
        replayed = get_account(store, viewer=OPERATOR, account_id="A1", thresholds=T, as_of=day)
        series = dashboard(store, viewer=OPERATOR, as_of=day, thresholds=T)
        assert series.overall.averages.closeness == replayed.averages.closeness
        return replayed.averages.closeness

    assert closeness(dt.date(2026, 12, 31)) == 50
    assert closeness(dt.date(2027, 1, 1)) == 90
    # The instant is kept in UTC, whatever offset it came with.
    rows = store.read("history/list_scores", person_id="P1", all=True, visible=[])
    assert [(r["at"], r["day"]) for r in rows][0] == ("2026-12-31T16:30:00", "2027-01-01")


def test_a_new_time_zone_derives_every_stored_day_again(store: Store) -> None:
    bundle = company("2026-12-31T16:30:00")
    bundle["score_history"] = [{"person_id": "P1", "at": "2026-12-31T16:30:00", "closeness": 90,
                                "solution_acceptance": 50, "price_acceptance": 50}]
    bundle["activities"] = [{"id": "ACT1", "employee_id": "E1", "kind": "optional",
                             "type": "visit", "at": "2026-12-31T16:30:00", "person_ids": ["P1"]}]
    import_bundle(store, parse_tables(bundle))  # in UTC: all of it on 31 December
    assert derived.ensure_days(store, ZoneInfo("UTC")) is True  # notes the zone
    assert derived.ensure_days(store, ZoneInfo("UTC")) is False

    def board(day: dt.date) -> tuple[float | None, int, int]:
        d = dashboard(store, viewer=OPERATOR, as_of=day, thresholds=T)
        replayed = get_account(store, viewer=OPERATOR, account_id="A1", thresholds=T, as_of=day)
        assert d.overall.averages.closeness == replayed.averages.closeness
        return (d.overall.averages.closeness, sum(r.closed for r in d.win_rate),
                d.influence.contribution.won)

    def daily(day: dt.date) -> tuple[list[str], list[str]]:
        d = daily_view(store, viewer=OPERATOR, employee_id="E1", thresholds=T, as_of=day)
        return [a.id for a in d.activities], [t.person_id for t in d.influences]

    assert board(dt.date(2026, 12, 31)) == (90, 1, 1)
    assert daily(dt.date(2026, 12, 31)) == (["ACT1"], ["P1"])
    assert derived.ensure_days(store, ZoneInfo("Asia/Shanghai")) is True
    assert board(dt.date(2026, 12, 31)) == (50, 0, 0)
    assert daily(dt.date(2026, 12, 31)) == ([], [])
    assert board(dt.date(2027, 1, 1)) == (90, 1, 1)
    assert daily(dt.date(2027, 1, 1)) == (["ACT1"], ["P1"])
    # The deal's averages at closing are those of its new closing day, 1 January.
    closing = store.read("test/closing_averages", ids=["A1"], cut="2027-01-02", all=True,
                         visible=[])
    assert [r["closeness"] for r in closing] == [90]
    assert derived.ensure_days(store, ZoneInfo("Asia/Shanghai")) is False


def test_the_time_zone_setting_is_an_iana_name_and_utc_by_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPHBRM_TIMEZONE", raising=False)
    assert Settings().zone == ZoneInfo("UTC")
    monkeypatch.setenv("GRAPHBRM_TIMEZONE", "Asia/Shanghai")
    assert Settings().zone == ZoneInfo("Asia/Shanghai")
    for bad in ("Asia/Atlantis", "UTC+8", "../../etc/passwd", ""):
        monkeypatch.setenv("GRAPHBRM_TIMEZONE", bad)
        with pytest.raises(ValidationError, match="IANA time zone"):
            Settings()


def test_day_of_takes_dates_as_days_and_date_times_as_instants() -> None:
    shanghai, los_angeles = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/Los_Angeles")
    assert clock.day_of("2026-12-31", shanghai) == "2026-12-31"  # a date is already a day
    assert clock.day_of("2026-12-31T16:30:00", shanghai) == "2027-01-01"  # no offset: UTC
    assert clock.day_of("2026-12-31T16:30:00.123456", los_angeles) == "2026-12-31"
    assert clock.day_of("2027-01-01T00:30:00+08:00", los_angeles) == "2026-12-31"
    assert clock.as_utc("2027-01-01T00:30:00+08:00") == "2026-12-31T16:30:00"
    assert clock.as_utc("2027-01-01") == "2027-01-01"


def test_today_is_the_company_day_whatever_the_process_zone(frozen_clock: Any) -> None:
    frozen_clock(dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC), process_tz="America/New_York")
    assert clock.today(ZoneInfo("Asia/Shanghai")) == dt.date(2027, 1, 1)
    assert clock.today(ZoneInfo("America/Los_Angeles")) == dt.date(2026, 12, 31)
    assert clock.utc_stamp() == "2026-12-31T16:30:00.000000"


def test_the_latest_record_is_the_one_of_the_latest_company_day(
        store: Store, client_for: Any, frozen_clock: Any) -> None:
    # 23:30 on 31 December in Los Angeles is 07:30 on 1 January in UTC: an edit then belongs to
    # 31 December, before a record imported for 1 January, though its instant sorts after it.
    frozen_clock(dt.datetime(2027, 1, 1, 7, 30, tzinfo=UTC), process_tz="Asia/Tokyo")
    bundle = company("2026-06-01")
    bundle["score_history"] = [{"person_id": "P1", "at": "2027-01-01", "closeness": 70,
                                "solution_acceptance": 50, "price_acceptance": 50}]
    import_bundle(store, parse_tables(bundle), zone=ZoneInfo("America/Los_Angeles"))
    client = client_for(store, OPERATOR, Settings(timezone="America/Los_Angeles"))
    edited = client.patch("/api/v1/key-persons/P1", json={"closeness": 90}).json()
    assert edited["closeness"] == 70  # the current value is 1 January's

    def closeness(day: str) -> tuple[float, float]:
        account = client.get(f"/api/v1/accounts/A1?as_of={day}").json()
        board = client.get(f"/api/v1/dashboard?as_of={day}").json()
        return account["averages"]["closeness"], board["overall"]["averages"]["closeness"]

    assert closeness("2026-12-31") == (90, 90)
    assert closeness("2027-01-01") == (70, 70)
