"""The deterministic generator of a realistic company as an import bundle (docs/import.md)."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from graphbrm.seed.activities import Activity, build_activities
from graphbrm.seed.customers import Account, KeyPerson, build_accounts
from graphbrm.seed.dates import HistoryCalendar, history_calendar, iso
from graphbrm.seed.deals import Deal, DealContext, build_deals
from graphbrm.seed.names import NameMaker
from graphbrm.seed.scores import BandTimeline, band_timeline, draw_profile, write_histories
from graphbrm.seed.staff import Staff, build_staff
from graphbrm.seed.ties import Seat, Tie, Ties, assign_teams, build_ties

Row = dict[str, Any]
Bundle = dict[str, list[Row]]

BUNDLE_KEYS = ("accounts", "departments", "key_persons", "employees", "account_teams",
               "influences", "knows", "opportunities", "score_history", "activities")
NOT_CREDIBLE_PER_SCALE = 8


def generate(*, scale: float = 1.0, seed: int = 7, end: date | None = None) -> Bundle:
    """A company at `scale` (1 = docs/benchmarks.md S1) with history up to `end` (default today)."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    with _collector_paused():
        return _generate(scale, seed, end or date.today())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the millions of rows built here hold no cycles, and
    its repeated full passes over them would otherwise double the time at scale 10."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _generate(scale: float, seed: int, end: date) -> Bundle:
    calendar = history_calendar(end)
    rng = random.Random(seed)
    names = NameMaker(rng)
    staff = build_staff(rng, names, scale)
    accounts = build_accounts(rng, names, scale)
    doubtful = _not_credible(rng, accounts, scale)
    timelines = _score_accounts(rng, accounts, doubtful, calendar)
    seats = assign_teams(rng, accounts, staff)
    ties = build_ties(rng, accounts, staff, seats, calendar)
    contexts = [DealContext(account, timeline, ties.influence_by_account.get(account.id, []),
                            credible=account.id not in doubtful)
                for account, timeline in zip(accounts, timelines, strict=True)]
    deals = build_deals(rng, contexts, calendar, scale)
    rep_ids = {employee.id for employee in staff.reps()}
    activities = build_activities(rng, accounts, seats, rep_ids, ties, calendar)
    return _bundle(accounts, staff, seats, ties, deals, activities)


def _not_credible(rng: random.Random, accounts: list[Account], scale: float) -> set[str]:
    """A handful of key accounts whose good scores their deals will contradict."""
    key_accounts = [account for account in accounts if account.is_key]
    count = min(len(key_accounts) // 5, max(1, round(NOT_CREDIBLE_PER_SCALE * scale)))
    return {account.id for account in rng.sample(key_accounts, count)}


def _score_accounts(rng: random.Random, accounts: list[Account], doubtful: set[str],
                    calendar: HistoryCalendar) -> list[BandTimeline]:
    """Write every key person's score history; return each account's band over time."""
    timelines = []
    for account in accounts:
        profile = draw_profile(rng, account, credible=account.id not in doubtful)
        write_histories(rng, account, profile, calendar)
        timelines.append(band_timeline(account.persons))
    return timelines


def _bundle(accounts: list[Account], staff: Staff, seats: list[Seat], ties: Ties,
            deals: list[Deal], activities: list[Activity]) -> Bundle:
    persons = [person for account in accounts for person in account.persons]
    return {
        "accounts": [_account_row(account) for account in accounts],
        "departments": [
            {"id": d.id, "account_id": d.account_id, "name": d.name, "parent_id": d.parent_id}
            for account in accounts for d in account.departments
        ],
        "key_persons": [_person_row(person) for person in persons],
        "employees": [
            {"id": e.id, "name": e.name, "title": e.title, "role": e.role,
             "manager_id": e.manager_id}
            for e in staff.employees
        ],
        "account_teams": [
            {"employee_id": s.employee_id, "account_id": s.account_id, "role": s.role}
            for s in seats
        ],
        "influences": [_tie_row(tie, "from", "to") for tie in ties.influences],
        "knows": [_tie_row(tie, "employee_id", "person_id") for tie in ties.knows],
        "opportunities": [_deal_row(number, deal) for number, deal in enumerate(deals, 1)],
        "score_history": [_history_row(person.id, record) for person in persons
                          for record in person.history],
        "activities": [_activity_row(number, a) for number, a in enumerate(activities, 1)],
    }


def _account_row(account: Account) -> Row:
    return {"id": account.id, "name": account.name, "industry": account.industry,
            "region": account.region, "tier": account.tier,
            "expected_key_persons": account.expected_key_persons}


def _person_row(person: KeyPerson) -> Row:
    current = person.current
    closeness, solution, price = (None, None, None) if current is None else current[1:]
    return {"id": person.id, "department_id": person.department_id, "name": person.name,
            "title": person.title, "decision_role": person.decision_role,
            "closeness": closeness, "solution_acceptance": solution, "price_acceptance": price,
            "scored_at": None if current is None else iso(current[0]),
            "reports_to": person.reports_to}


def _tie_row(tie: Tie, source_key: str, target_key: str) -> Row:
    return {source_key: tie.source, target_key: tie.target, "strength": tie.strength,
            "since": iso(tie.since)}


def _deal_row(number: int, deal: Deal) -> Row:
    return {"id": f"O{number:06d}", "account_id": deal.account_id, "name": deal.name,
            "amount": deal.amount, "currency": "CNY", "stage": deal.stage, "status": deal.status,
            "qualified": deal.qualified, "created_at": iso(deal.created_at),
            "closed_at": None if deal.closed_at is None else iso(deal.closed_at),
            "used_influence": list(deal.used_influence),
            "involves": [{"person_id": person_id, "role": role}
                         for person_id, role in deal.involves]}


def _history_row(person_id: str, record: tuple[date, int | None, int | None, int | None]) -> Row:
    return {"person_id": person_id, "at": iso(record[0]), "closeness": record[1],
            "solution_acceptance": record[2], "price_acceptance": record[3]}


def _activity_row(number: int, activity: Activity) -> Row:
    return {"id": f"ACT{number:07d}", "employee_id": activity.employee_id, "kind": activity.kind,
            "type": activity.type, "at": iso(activity.at), "note": activity.note,
            "person_ids": list(activity.person_ids)}


def relationship_counts(bundle: Bundle) -> dict[str, int]:
    """The relationships the bundle implies in the graph (the model in docs/import.md), per type."""
    return {
        "PART_OF": len(bundle["departments"]),
        "MEMBER_OF": len(bundle["key_persons"]),
        "REPORTS_TO": sum(row["reports_to"] is not None for row in bundle["key_persons"])
        + sum(row["manager_id"] is not None for row in bundle["employees"]),
        "INFLUENCES": len(bundle["influences"]),
        "KNOWS": len(bundle["knows"]),
        "ON_TEAM": len(bundle["account_teams"]),
        "FOR": len(bundle["opportunities"]),
        "INVOLVES": sum(len(row["involves"]) for row in bundle["opportunities"]),
        "USED_INFLUENCE": sum(len(row["used_influence"]) for row in bundle["opportunities"]),
    }


def relationship_count(bundle: Bundle) -> int:
    """All relationships the bundle implies (the "edges" of docs/benchmarks.md)."""
    return sum(relationship_counts(bundle).values())


def table_sizes(bundle: Bundle) -> dict[str, int]:
    """Rows per bundle key."""
    return {key: len(rows) for key, rows in bundle.items()}
