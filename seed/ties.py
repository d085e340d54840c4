"""Account teams and the ties between our employees and key persons, and among key persons."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from graphbrm.seed.customers import DEPUTY, HEAD, TOP, Account, KeyPerson
from graphbrm.seed.dates import HistoryCalendar
from graphbrm.seed.staff import Employee, Staff

# Share of employee influences that come from someone outside the account's team and line.
OLD_FRIEND_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Seat:
    """An employee on an account team."""

    employee_id: str
    account_id: str
    role: str  # owner or member


@dataclass(frozen=True, slots=True)
class Tie:
    """An INFLUENCES or KNOWS edge from an employee or key person to a key person."""

    source: str
    target: str
    strength: int
    since: date


@dataclass(slots=True)
class Ties:
    """All ties, plus who reaches whom per account for the deals and activities."""

    knows: list[Tie] = field(default_factory=list)
    influences: list[Tie] = field(default_factory=list)
    # account id -> employee influences on its key persons
    influence_by_account: dict[str, list[Tie]] = field(default_factory=dict)
    # (employee id, account id) -> key persons the employee knows or influences there
    contacts: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add_employee_tie(self, account_id: str, tie: Tie, *, influence: bool) -> None:
        """Record a tie from one of our employees to a key person of `account_id`."""
        if influence:
            self.influences.append(tie)
            self.influence_by_account.setdefault(account_id, []).append(tie)
        else:
            self.knows.append(tie)
        self.contacts.setdefault((tie.source, account_id), []).append(tie.target)


@dataclass(frozen=True, slots=True)
class _Reach:
    """How likely an employee in some position is to know a senior / other key person, and how
    readily a contact turns into personal influence."""

    senior: float
    other: float
    influence: float


_OWNER_KEY = _Reach(senior=0.5, other=0.65, influence=0.55)
_OWNER_STANDARD = _Reach(senior=0.45, other=0.5, influence=0.45)
_PRESALES = _Reach(senior=0.12, other=0.32, influence=0.25)
_MEMBER = _Reach(senior=0.12, other=0.22, influence=0.2)
_LINE_MANAGER = _Reach(senior=0.3, other=0.04, influence=0.3)
_REGIONAL_MANAGER = _Reach(senior=0.1, other=0.0, influence=0.35)
_EXECUTIVE = _Reach(senior=0.04, other=0.0, influence=0.4)


def assign_teams(rng: random.Random, accounts: list[Account], staff: Staff) -> list[Seat]:
    """One owner per account (a rep of its region) and 0–3 members."""
    picker = _OwnerPicker(rng, staff)
    by_id = staff.by_id()
    presales = _by_region(staff.of_kind("presales"))
    helpers = _by_region(staff.of_kind("success") + staff.of_kind("sales"))
    seats = []
    for account in accounts:
        owner = picker.owner(account)
        seats.append(Seat(owner.id, account.id, "owner"))
        members = _members(rng, account, owner, by_id, presales, helpers)
        seats.extend(Seat(member.id, account.id, "member") for member in members)
    return seats


class _OwnerPicker:
    """Spreads accounts over reps of the account's region: a handful to about ten each."""

    def __init__(self, rng: random.Random, staff: Staff) -> None:
        self._rng = rng
        reps = staff.reps()
        self._capacity = {rep.id: rng.uniform(0.2, 2.0) for rep in reps}
        self._load = {rep.id: 0 for rep in reps}
        self._pools = {
            "key": (_by_region(staff.of_kind("key_account")), reps),
            "standard": (_by_region(staff.of_kind("sales")), reps),
        }

    def owner(self, account: Account) -> Employee:
        by_region, everyone = self._pools[account.tier]
        candidates = by_region.get(account.region) or _flatten(by_region) or everyone
        weights = [self._capacity[rep.id] / (1 + self._load[rep.id]) ** 2 for rep in candidates]
        owner = self._rng.choices(candidates, weights=weights)[0]
        self._load[owner.id] += 1
        return owner


def _by_region(employees: list[Employee]) -> dict[str, list[Employee]]:
    result: dict[str, list[Employee]] = {}
    for employee in employees:
        for region in employee.regions:
            result.setdefault(region, []).append(employee)
    return result


def _flatten(by_region: dict[str, list[Employee]]) -> list[Employee]:
    unique = {employee.id: employee for group in by_region.values() for employee in group}
    return sorted(unique.values(), key=lambda employee: employee.id)


def _members(rng: random.Random, account: Account, owner: Employee, by_id: dict[str, Employee],
             presales: dict[str, list[Employee]],
             helpers: dict[str, list[Employee]]) -> list[Employee]:
    """Presales for most key accounts, sometimes another rep or the owner's manager."""
    presales_chance, helper_chance, manager_chance = (
        (0.85, 0.4, 0.25) if account.is_key else (0.35, 0.08, 0.05))
    members: list[Employee] = []
    for pool, chance in ((presales.get(account.region, []), presales_chance),
                         (helpers.get(account.region, []), helper_chance)):
        if pool and rng.random() < chance:
            members.append(rng.choice(pool))
    manager = by_id.get(owner.manager_id or "")
    if manager is not None and manager.role == "manager" and rng.random() < manager_chance:
        members.append(manager)
    unique = {member.id: member for member in members if member.id != owner.id}
    return list(unique.values())


def build_ties(rng: random.Random, accounts: list[Account], staff: Staff, seats: list[Seat],
               calendar: HistoryCalendar) -> Ties:
    """KNOWS and INFLUENCES from our people to key persons, and influence inside each customer."""
    ties = Ties()
    by_id = staff.by_id()
    teams: dict[str, list[Seat]] = {}
    for seat in seats:
        teams.setdefault(seat.account_id, []).append(seat)
    executives = staff.of_kind("ceo") + staff.of_kind("vp")
    for account in accounts:
        reach = _reach_of_account(rng, account, teams[account.id], by_id, executives)
        _employee_ties(rng, account, reach, ties, calendar)
        ties.influences.extend(_customer_influences(rng, account, calendar))
    _old_friends(rng, accounts, staff, teams, ties, calendar)
    return ties


def _reach_of_account(rng: random.Random, account: Account, team: list[Seat],
                      by_id: dict[str, Employee],
                      executives: list[Employee]) -> list[tuple[Employee, _Reach]]:
    """Who of ours is in touch with the account: the team, the owner's manager line, an executive."""
    owner = by_id[team[0].employee_id]
    reach = [(owner, _OWNER_KEY if account.is_key else _OWNER_STANDARD)]
    for seat in team[1:]:
        member = by_id[seat.employee_id]
        reach.append((member, _PRESALES if member.kind == "presales" else _MEMBER))
    line = by_id.get(owner.manager_id or "")
    if line is not None and line.role == "manager" and line.id not in {e.id for e, _ in reach}:
        reach.append((line, _LINE_MANAGER))
        regional = by_id.get(line.manager_id or "")
        if account.is_key and regional is not None and regional.role == "manager":
            reach.append((regional, _REGIONAL_MANAGER))
    if account.is_key and executives:
        reach.append((rng.choice(executives), _EXECUTIVE))
    return reach


def _is_senior(person: KeyPerson) -> bool:
    return person.rank in (TOP, DEPUTY, HEAD) or person.decision_role in ("veto", "approver")


def _employee_ties(rng: random.Random, account: Account, reach: list[tuple[Employee, _Reach]],
                   ties: Ties, calendar: HistoryCalendar) -> None:
    """Each contact is a KNOWS, or INFLUENCES when the person trusts us (more likely when close)."""
    for person in account.persons:
        trust = _trust(person)
        senior = _is_senior(person)
        for employee, odds in reach:
            if rng.random() >= (odds.senior if senior else odds.other):
                continue
            influence = rng.random() < odds.influence * trust
            strength = rng.triangular(50, 98, 78) if influence else rng.triangular(10, 65, 35)
            tie = Tie(employee.id, person.id, round(strength), _since(rng, calendar))
            ties.add_employee_tie(account.id, tie, influence=influence)


def _trust(person: KeyPerson) -> float:
    """How open the person is to a personal tie: their closeness to us now, squared."""
    current = person.current
    if current is None or current[1] is None:
        return 0.25
    return (current[1] / 100) ** 2


def _since(rng: random.Random, calendar: HistoryCalendar) -> date:
    if rng.random() < 0.65:
        return calendar.day_before_history(rng, max_years=6)
    return calendar.day_between(rng, calendar.start, calendar.end)


# Whom people inside a customer tend to sway: those who decide.
_SWAY_WEIGHT = {"veto": 3.0, "approver": 3.0, "decision_maker": 2.5, "influencer": 1.0,
                "evaluator": 1.0, "coach": 0.8, "user": 0.6, "other": 0.6}


def _customer_influences(rng: random.Random, account: Account,
                         calendar: HistoryCalendar) -> list[Tie]:
    """Informal influence between key persons of one account, mostly towards decision makers."""
    persons = account.persons
    weights = [_SWAY_WEIGHT[person.decision_role] for person in persons]
    wanted = round(len(persons) * rng.uniform(0.25, 0.65))
    seen: set[tuple[str, str]] = set()
    result = []
    for target in rng.choices(persons, weights=weights, k=wanted):
        source = rng.choice(persons)
        if source is target or (source.id, target.id) in seen:
            continue
        seen.add((source.id, target.id))
        strength = round(rng.triangular(25, 95, 60))
        result.append(Tie(source.id, target.id, strength, _since(rng, calendar)))
    return result


def _old_friends(rng: random.Random, accounts: list[Account], staff: Staff,
                 teams: dict[str, list[Seat]], ties: Ties, calendar: HistoryCalendar) -> None:
    """A few employees personally trusted by a key person of an account they do not work on."""
    employee_influences = sum(len(group) for group in ties.influence_by_account.values())
    count = max(1, round(employee_influences * OLD_FRIEND_SHARE))
    for _ in range(count):
        employee = rng.choice(staff.employees)
        account = rng.choice(accounts)
        if any(seat.employee_id == employee.id for seat in teams[account.id]):
            continue
        person = rng.choice(account.persons)
        if person.id in ties.contacts.get((employee.id, account.id), []):
            continue
        strength = round(rng.triangular(60, 98, 85))
        since = calendar.day_before_history(rng, max_years=15)
        ties.add_employee_tie(account.id, Tie(employee.id, person.id, strength, since),
                              influence=True)
