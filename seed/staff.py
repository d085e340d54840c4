"""Our own company: executives, regional and first-line managers, reps, data and admin staff."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from graphbrm.seed import vocab
from graphbrm.seed.names import NameMaker

EMPLOYEES_PER_SCALE = 500
MIN_EMPLOYEES = 5  # one of every role


@dataclass(slots=True)
class Employee:
    """One of our employees; `kind` refines `role` (e.g. a rep is key_account, sales, presales…)."""

    id: str
    name: str
    title: str
    role: str
    kind: str
    manager_id: str | None
    regions: tuple[str, ...] = ()


@dataclass(slots=True)
class Staff:
    """All employees, in hierarchy order, with look-ups the later steps need."""

    employees: list[Employee] = field(default_factory=list)

    def by_id(self) -> dict[str, Employee]:
        """Employees keyed by id."""
        return {employee.id: employee for employee in self.employees}

    def of_kind(self, kind: str) -> list[Employee]:
        """Employees of one kind, in id order."""
        return [employee for employee in self.employees if employee.kind == kind]

    def reps(self) -> list[Employee]:
        """All reps, in id order."""
        return [employee for employee in self.employees if employee.role == "rep"]


@dataclass(frozen=True, slots=True)
class Headcount:
    """How many employees of each group."""

    executives: int
    data: int
    admins: int
    regional_managers: int
    line_managers: int
    reps: int


def headcount(scale: float) -> Headcount:
    """The size of each group at `scale`: most employees are reps, about one manager per nine."""
    total = max(MIN_EMPLOYEES, round(EMPLOYEES_PER_SCALE * scale))
    executives = 1 + round(3 * math.sqrt(scale))  # a CEO and a few sales VPs, growing slowly
    executives = min(executives, total - 4)
    data = max(1, round(total * 0.02))
    admins = max(1, round(total * 0.012))
    sales_force = total - executives - data - admins
    managers = max(1, round(sales_force * 0.1))
    regional = 0 if managers == 1 else max(1, min(round(7 * scale), managers // 2))
    return Headcount(executives, data, admins, regional, managers - regional,
                     sales_force - managers)


def build_staff(rng: random.Random, names: NameMaker, scale: float) -> Staff:
    """The whole organisation at `scale`, each employee reporting to the level above."""
    counts = headcount(scale)
    staff = Staff()
    add = _Adder(staff, names)
    ceo = add("总裁", "executive", "ceo", None, tuple(vocab.REGIONS))
    vps = [add("销售副总裁", "executive", "vp", ceo.id, ()) for _ in range(counts.executives - 1)]
    _add_support(add, ceo, counts)
    regional = _add_regional_managers(add, counts.regional_managers, vps or [ceo])
    lines = _add_line_managers(rng, add, counts.line_managers, regional or [ceo])
    _add_reps(rng, add, counts.reps, lines)
    return staff


class _Adder:
    """Appends employees with consecutive ids."""

    def __init__(self, staff: Staff, names: NameMaker) -> None:
        self._staff = staff
        self._names = names

    def __call__(self, title: str, role: str, kind: str, manager_id: str | None,
                 regions: tuple[str, ...]) -> Employee:
        employee = Employee(id=f"E{len(self._staff.employees) + 1:05d}", name=self._names.person(),
                            title=title, role=role, kind=kind, manager_id=manager_id,
                            regions=regions)
        self._staff.employees.append(employee)
        return employee


def _add_support(add: _Adder, ceo: Employee, counts: Headcount) -> None:
    lead = add("数据分析主管", "data", "data", ceo.id, ())
    for index in range(counts.data - 1):
        add(vocab.DATA_TITLES[index % len(vocab.DATA_TITLES)], "data", "data", lead.id, ())
    admin_lead = add("系统管理员", "admin", "admin", ceo.id, ())
    for index in range(counts.admins - 1):
        add(vocab.ADMIN_TITLES[index % len(vocab.ADMIN_TITLES)], "admin", "admin", admin_lead.id,
            ())


def _add_regional_managers(add: _Adder, count: int, bosses: list[Employee]) -> list[Employee]:
    territories = _territories(count)
    return [add("区域总经理", "manager", "regional", bosses[index % len(bosses)].id, regions)
            for index, regions in enumerate(territories)]


def _territories(count: int) -> list[tuple[str, ...]]:
    """Regions per regional manager: each region its own when there are enough managers."""
    if count == 0:
        return []
    by_weight = sorted(vocab.REGIONS, key=lambda region: -vocab.REGIONS[region][0])
    if count < len(by_weight):
        return [tuple(by_weight[index::count]) for index in range(count)]
    seats = _largest_remainder({region: vocab.REGIONS[region][0] for region in by_weight}, count,
                               minimum=1)
    return [(region,) for region in by_weight for _ in range(seats[region])]


def _add_line_managers(rng: random.Random, add: _Adder, count: int,
                       bosses: list[Employee]) -> list[Employee]:
    weights = {boss.id: sum(vocab.REGIONS[r][0] for r in boss.regions) for boss in bosses}
    seats = _largest_remainder(weights, count, minimum=0)
    managers = []
    for boss in bosses:
        for index in range(seats[boss.id]):
            title = vocab.LINE_MANAGER_TITLES[(index + rng.randrange(3)) % 3]
            managers.append(add(title, "manager", "line", boss.id, boss.regions))
    return managers


def _add_reps(rng: random.Random, add: _Adder, count: int, lines: list[Employee]) -> None:
    for index in range(count):
        manager = lines[index % len(lines)]
        position = index // len(lines)
        kind = vocab.REP_KIND_CYCLE[position % len(vocab.REP_KIND_CYCLE)]
        titles = vocab.REP_TITLES[kind]
        title = titles[0] if rng.random() < 0.7 else rng.choice(titles)
        add(title, "rep", kind, manager.id, manager.regions)


def _largest_remainder(weights: dict[str, float], seats: int, *, minimum: int) -> dict[str, int]:
    """Split `seats` in proportion to `weights`, each key getting at least `minimum`."""
    result = {key: minimum for key in weights}
    free = seats - minimum * len(weights)
    total = sum(weights.values())
    quotas = {key: free * weight / total for key, weight in weights.items()}
    for key, quota in quotas.items():
        result[key] += int(quota)
    left = seats - sum(result.values())
    by_remainder = sorted(weights, key=lambda key: (-(quotas[key] - int(quotas[key])), key))
    for key in by_remainder[:left]:
        result[key] += 1
    return result
