"""Activities reps logged with key persons over the last three months."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from graphbrm.seed import vocab
from graphbrm.seed.customers import Account
from graphbrm.seed.dates import HistoryCalendar
from graphbrm.seed.ties import Seat, Ties

ACTIVITY_MONTHS = 3
_PER_MONTH = (1, 2, 3, 4)
_PER_MONTH_WEIGHTS = (0.3, 0.35, 0.25, 0.1)
_PRESCRIBED_SHARE = 0.55


@dataclass(frozen=True, slots=True)
class Activity:
    """A prescribed (service menu) or optional activity before ids are given."""

    employee_id: str
    kind: str
    type: str
    at: date
    note: str
    person_ids: list[str]


def build_activities(rng: random.Random, accounts: list[Account], seats: list[Seat],
                     rep_ids: set[str], ties: Ties, calendar: HistoryCalendar) -> list[Activity]:
    """A few activities per rep per month with key persons of the rep's team accounts."""
    by_id = {account.id: account for account in accounts}
    team_accounts: dict[str, list[str]] = {}
    for seat in seats:
        if seat.employee_id in rep_ids:
            team_accounts.setdefault(seat.employee_id, []).append(seat.account_id)
    activities = []
    first_month = max(0, calendar.last_month - ACTIVITY_MONTHS + 1)
    for employee_id, account_ids in team_accounts.items():
        for month in range(first_month, calendar.last_month + 1):
            count = rng.choices(_PER_MONTH, weights=_PER_MONTH_WEIGHTS)[0]
            for _ in range(count):
                account = by_id[rng.choice(account_ids)]
                activities.append(_activity(rng, employee_id, account, ties,
                                            calendar.day_in_month(rng, month)))
    activities.sort(key=lambda activity: (activity.at, activity.employee_id))
    return activities


def _activity(rng: random.Random, employee_id: str, account: Account, ties: Ties,
              day: date) -> Activity:
    prescribed = rng.random() < _PRESCRIBED_SHARE
    menu = vocab.PRESCRIBED_ACTIVITIES if prescribed else vocab.OPTIONAL_ACTIVITIES
    kind = rng.choice(list(menu))
    contacts = ties.contacts.get((employee_id, account.id)) or [p.id for p in account.persons]
    people = rng.sample(contacts, min(len(contacts), rng.randint(1, 3)))
    return Activity(employee_id, "prescribed" if prescribed else "optional", kind, day,
                    rng.choice(menu[kind]), sorted(people))
