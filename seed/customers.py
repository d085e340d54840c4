"""Customer accounts with their departments and key persons (the relationship maps)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from graphbrm.seed import vocab
from graphbrm.seed.draw import Weighted, pick
from graphbrm.seed.names import NameMaker

ACCOUNTS_PER_SCALE = 1000
MIN_ACCOUNTS = 3
KEY_TIER_SHARE = 0.6
MIN_PERSONS, MAX_PERSONS = 5, 40

# Ranks in the customer's formal line, from the top down.
TOP, DEPUTY, ASSISTANT, HEAD, LEAD, MEMBER = range(6)

# A score record: the day it became valid and closeness, solution and price acceptance.
ScoreRecord = tuple[date, int | None, int | None, int | None]


@dataclass(slots=True)
class Department:
    """A customer department; sub-departments point to their parent."""

    id: str
    account_id: str
    name: str
    parent_id: str | None


@dataclass(slots=True)
class KeyPerson:
    """A key person with the formal line and the score history (oldest first)."""

    id: str
    department_id: str
    name: str
    title: str
    decision_role: str
    rank: int
    reports_to: str | None
    history: list[ScoreRecord] = field(default_factory=list)

    @property
    def current(self) -> ScoreRecord | None:
        """The latest score record, or None when the person has never been scored."""
        return self.history[-1] if self.history else None


@dataclass(slots=True)
class Account:
    """A customer account and its relationship map."""

    id: str
    name: str
    industry: str
    region: str
    tier: str
    expected_key_persons: int
    departments: list[Department] = field(default_factory=list)
    persons: list[KeyPerson] = field(default_factory=list)

    @property
    def is_key(self) -> bool:
        """Whether the account is a key account (the company figures count only these)."""
        return self.tier == "key"


class _Ids:
    """Consecutive ids for departments and key persons across all accounts."""

    def __init__(self) -> None:
        self.departments = itertools.count(1)
        self.persons = itertools.count(1)

    def department(self) -> str:
        return f"D{next(self.departments):06d}"

    def person(self) -> str:
        return f"P{next(self.persons):07d}"


def account_count(scale: float) -> int:
    """How many accounts at `scale`."""
    return max(MIN_ACCOUNTS, round(ACCOUNTS_PER_SCALE * scale))


def build_accounts(rng: random.Random, names: NameMaker, scale: float) -> list[Account]:
    """All accounts with departments and key persons (scores come later)."""
    regions = list(vocab.REGIONS)
    region_weights = list(itertools.accumulate(vocab.REGIONS[r][0] for r in regions))
    industries = list(vocab.INDUSTRY_WEIGHTS)
    industry_weights = list(itertools.accumulate(vocab.INDUSTRY_WEIGHTS.values()))
    ids = _Ids()
    accounts = []
    for number in range(1, account_count(scale) + 1):
        region = rng.choices(regions, cum_weights=region_weights)[0]
        industry = rng.choices(industries, cum_weights=industry_weights)[0]
        tier = "key" if rng.random() < KEY_TIER_SHARE else "standard"
        expected = _expected_key_persons(rng, tier)
        account = Account(id=f"A{number:05d}", name=names.organisation(industry, region),
                          industry=industry, region=region, tier=tier,
                          expected_key_persons=expected)
        _build_map(rng, names, ids, account, _identified(rng, expected))
        accounts.append(account)
    return accounts


def _expected_key_persons(rng: random.Random, tier: str) -> int:
    """The size of the map the account should have: key accounts are the bigger customers."""
    if tier == "key":
        return round(rng.triangular(10, 42, 24))
    return round(rng.triangular(6, 24, 12))


def _identified(rng: random.Random, expected: int) -> int:
    """How many key persons the rep has found: often all, sometimes a few short, rarely more."""
    draw = rng.random()
    if draw < 0.55:
        found = expected
    elif draw < 0.9:
        found = expected - rng.randint(1, 5)
    else:
        found = expected + rng.randint(1, 3)
    return min(MAX_PERSONS, max(MIN_PERSONS, found))


@dataclass(slots=True)
class _Unit:
    """A department or sub-department while its people are being placed."""

    department: Department
    spec: vocab.DepartmentSpec
    parent: _Unit | None = None
    members: int = 0
    leader: KeyPerson | None = None


def _build_map(rng: random.Random, names: NameMaker, ids: _Ids, account: Account,
               size: int) -> None:
    spec = vocab.org_spec(account.industry)
    office = Department(ids.department(), account.id, spec.office, None)
    deputies = min(3, int(size / 12 + rng.random()))
    assistants = 1 if size >= 18 and rng.random() < 0.5 else 0
    units = _plan_units(rng, ids, account, spec, size - 1 - deputies - assistants)
    account.departments = [office] + [unit.department for unit in units]
    people = iter(names.people(size))
    top, deputy_people, assistant_people = _staff_office(rng, ids, spec, office, people, deputies,
                                                         assistants)
    account.persons = [top, *deputy_people, *assistant_people]
    for unit in units:
        account.persons.extend(_staff_unit(rng, ids, unit, people, top, deputy_people))
    veto_departments = {unit.department.id for unit in units
                        if unit.parent is None and unit.spec.can_veto}
    _assign_decision_roles(rng, account, veto_departments)


def _plan_units(rng: random.Random, ids: _Ids, account: Account, spec: vocab.OrgSpec,
                seats: int) -> list[_Unit]:
    """Top-level departments (2–7 beside the office), some sub-departments, and member counts."""
    wanted = min(seats, max(2, min(7, round(2 + (seats + 3) / 8 + rng.uniform(-1, 1)))))
    pool = [dept for dept in spec.core if rng.random() < 0.9]
    pool += rng.sample(spec.optional, len(spec.optional))
    units = [_Unit(Department(ids.department(), account.id, dept.name, None), dept)
             for dept in pool[:wanted]]
    free = seats - len(units)
    for unit in list(units):
        if unit.spec.subs and free >= 2 and rng.random() < 0.4:
            count = rng.randint(1, min(3, len(unit.spec.subs), free // 2))
            for name in rng.sample(unit.spec.subs, count):
                sub = Department(ids.department(), account.id, name, unit.department.id)
                units.append(_Unit(sub, unit.spec, parent=unit))
            free -= count
    weights = [unit.spec.weight * (0.7 if unit.parent else 1.0) for unit in units]
    for unit in rng.choices(units, weights=weights, k=free):
        unit.members += 1
    return units


def _staff_office(rng: random.Random, ids: _Ids, spec: vocab.OrgSpec, office: Department,
                  people: Iterator[str], deputies: int,
                  assistants: int) -> tuple[KeyPerson, list[KeyPerson], list[KeyPerson]]:
    chaired = len(spec.top_titles) > 1 and deputies > 0 and rng.random() < 0.3
    top_title = spec.top_titles[1] if chaired else spec.top_titles[0]
    top = KeyPerson(ids.person(), office.id, next(people), top_title, "", TOP, None)
    deputy_people = []
    for index in range(deputies):
        title = spec.top_titles[0] if chaired and index == 0 else rng.choice(spec.deputy_titles)
        deputy_people.append(KeyPerson(ids.person(), office.id, next(people), title, "", DEPUTY,
                                       top.id))
    assistant_people = [
        KeyPerson(ids.person(), office.id, next(people), rng.choice(spec.assistant_titles), "",
                  ASSISTANT, top.id)
        for _ in range(assistants)
    ]
    return top, deputy_people, assistant_people


def _staff_unit(rng: random.Random, ids: _Ids, unit: _Unit, people: Iterator[str],
                top: KeyPerson, deputies: list[KeyPerson]) -> list[KeyPerson]:
    department_id = unit.department.id
    if unit.parent is None:
        boss = rng.choice(deputies) if deputies and rng.random() < 0.6 else top
        leader = KeyPerson(ids.person(), department_id, next(people), rng.choice(unit.spec.heads),
                           "", HEAD, boss.id)
    else:
        assert unit.parent.leader is not None  # parents are staffed before their sub-units
        leader = KeyPerson(ids.person(), department_id, next(people),
                           _sub_lead_title(unit.department.name), "", LEAD,
                           unit.parent.leader.id)
    unit.leader = leader
    members = [
        KeyPerson(ids.person(), department_id, next(people), rng.choice(unit.spec.members), "",
                  MEMBER, leader.id)
        for _ in range(unit.members)
    ]
    return [leader, *members]


def _sub_lead_title(name: str) -> str:
    for ending, word in vocab.SUB_LEAD_WORDS:
        if name.endswith(ending):
            return name + word
    return name + "负责人"


_CHIEF_EXECUTIVES = {"总经理", "校长"}
_ROLES_BY_RANK: dict[int, Weighted] = {
    DEPUTY: (("decision_maker", 0.6), ("influencer", 0.4)),
    ASSISTANT: (("influencer", 0.5), ("coach", 0.2), ("other", 0.3)),
    HEAD: (("decision_maker", 0.45), ("influencer", 0.35), ("evaluator", 0.2)),
    LEAD: (("evaluator", 0.5), ("influencer", 0.3), ("decision_maker", 0.1), ("coach", 0.1)),
    MEMBER: (("evaluator", 0.3), ("user", 0.35), ("influencer", 0.12), ("coach", 0.08),
             ("other", 0.15)),
}


def _assign_decision_roles(rng: random.Random, account: Account,
                           veto_departments: set[str]) -> None:
    """The top is the approver; one or two senior people can veto; the rest by rank."""
    candidates = [person for person in account.persons
                  if person.rank == DEPUTY
                  or (person.rank == HEAD and person.department_id in veto_departments)]
    vetoes = 0
    if candidates and rng.random() < (0.98 if account.is_key else 0.7):
        vetoes = 2 if len(account.persons) >= 25 and rng.random() < 0.35 else 1
    veto_ids = {person.id for person in rng.sample(candidates, min(vetoes, len(candidates)))}
    for person in account.persons:
        if person.rank == TOP:
            person.decision_role = "approver"
        elif person.id in veto_ids:
            person.decision_role = "veto"
        elif person.title in _CHIEF_EXECUTIVES:  # the 总经理 under a 董事长 runs the business
            person.decision_role = "decision_maker"
        else:
            person.decision_role = pick(rng, _ROLES_BY_RANK[person.rank])
