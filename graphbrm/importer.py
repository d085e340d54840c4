"""Import a bundle: validate every row and reference first, then write in idempotent batches.

Nothing of a rejected bundle is written: all checks run before the first write. Every write is
an `UNWIND $rows … MERGE`, so importing the same bundle twice leaves the graph unchanged, and a
re-run after a crash converges to the graph of a clean import.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from graphbrm import clock, derived
from graphbrm.alerts import events as alert_events
from graphbrm.alerts.model import AlertConfig
from graphbrm.bundle import TABLES, Bundle, reports_to_problems
from graphbrm.errors import InvalidInput, Problem
from graphbrm.import_counts import TableCounts, count_changes, total
from graphbrm.score_records import ScoreRecords, same_day_problems, score_records
from graphbrm.store import Store

Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
    """What an import wrote: per table of the bundle, the rows it created, changed or found
    already stored as they are, and the Score records it added."""

    batch_id: str
    rows: int
    score_records: int
    counts: dict[str, TableCounts]

    @property
    def total(self) -> TableCounts:
        return total(self.counts)

    def summary(self) -> list[str]:
        """What the import did, in words: all tables together, then each table."""
        return [f"imported: {_counted(self.total)}; {self.score_records} score records added "
                f"(batch {self.batch_id})"] + [f"  {table}: {_counted(counts)}"
                                              for table, counts in self.counts.items()]


def _counted(c: TableCounts) -> str:
    return f"{c.created} created, {c.changed} changed, {c.unchanged} unchanged"


def import_bundle(store: Store, bundle: Bundle, *, actor: str = "import",
                  batch_size: int = 2000, progress: Progress | None = None,
                  zone: ZoneInfo = clock.UTC, alerts: AlertConfig | None = None) -> ImportResult:
    """Check `bundle` against itself and the store, then write it; raise InvalidInput if bad.

    Each dated row also gets the day it belongs to in the company's time zone `zone`: a date
    is that day, a date-time is an instant (UTC unless it names an offset). The alert rules
    `alerts` (default: the settings') then compare the touched accounts with before.
    """
    check_references(store, bundle, zone=zone)
    batch_id = uuid.uuid4().hex[:12]
    now = clock.utc_stamp()
    records = score_records(store, bundle, now, zone)
    counts = count_changes(store, bundle, records)
    scores = records.rows
    writer = _Writer(store, batch_size, progress, bundle.row_count() + len(scores),
                     {"actor": actor, "source": f"import:{batch_id}", "at": now})
    touched = derived.accounts_touched(store, bundle)
    watch = alert_events.watch_accounts(store, account_ids=touched, config=alerts)
    _write_all(writer, bundle, records, batch_id, zone)
    derived.refresh_accounts(store, account_ids=sorted(touched | derived.accounts_touched(store, bundle)))
    watch.finish()
    if progress:
        progress(writer.total, writer.total)
    return ImportResult(batch_id, bundle.row_count(), len(scores), counts)


class _Writer:
    def __init__(self, store: Store, batch_size: int, progress: Progress | None, total: int,
                 audit: dict[str, str]) -> None:
        self.store, self.batch_size, self.progress = store, batch_size, progress
        self.total, self.done, self.audit = total, 0, audit

    def run(self, query: str, rows: list[dict[str, Any]], *, counts: bool = True,
            audited: bool = False) -> None:
        """Write `rows` in batches; `audited` history records get the import's actor and time."""
        audit = self.audit if audited else {}
        for start in range(0, len(rows), self.batch_size):
            batch = rows[start:start + self.batch_size]
            self.store.write(f"import/{query}", rows=batch, **audit)
            if counts:
                self.done += len(batch)
                if self.progress:
                    self.progress(self.done, self.total)


def _write_all(w: _Writer, b: Bundle, scores: ScoreRecords, batch_id: str,
               zone: ZoneInfo) -> None:
    dump = _dump
    w.run("upsert_accounts", dump(b.accounts))
    w.run("upsert_departments", dump(b.departments))
    w.run("link_departments_to_accounts", [r for r in dump(b.departments) if not r["parent_id"]],
          counts=False)
    w.run("link_departments_to_parents", [r for r in dump(b.departments) if r["parent_id"]],
          counts=False)
    w.run("upsert_employees", dump(b.employees))
    w.run("link_employee_managers", [r for r in dump(b.employees) if r["manager_id"]], counts=False)
    w.run("upsert_key_persons", dump(b.key_persons))
    w.run("link_key_person_departments", dump(b.key_persons), counts=False)
    w.run("link_key_person_managers", [r for r in dump(b.key_persons) if r["reports_to"]],
          counts=False)
    w.run("link_account_teams", dump(b.account_teams))
    employee_ids = {e.id for e in b.employees} | _stored_ids(w.store, "employee", (
        i.source for i in b.influences))
    ties = [{**i.model_dump(), "since_day": clock.optional_day(i.since, zone),
             "change_id": f"INFLUENCES:{i.source}>{i.target}@{batch_id}"} for i in b.influences]
    w.run("upsert_employee_influences", [t for t in ties if t["source"] in employee_ids],
          audited=True)
    w.run("upsert_person_influences", [t for t in ties if t["source"] not in employee_ids],
          audited=True)
    w.run("upsert_knows", [{**k.model_dump(), "since_day": clock.optional_day(k.since, zone),
                            "change_id": f"KNOWS:{k.employee_id}>{k.person_id}@{batch_id}"}
                           for k in b.knows], audited=True)
    w.run("upsert_opportunities", [{**o.model_dump(),
                                    "created_day": clock.day_of(o.created_at, zone),
                                    "closed_day": clock.optional_day(o.closed_at, zone)}
                                   for o in b.opportunities])
    w.run("link_opportunity_influence", [{"opportunity_id": o.id, "employee_id": e}
                                         for o in b.opportunities for e in o.used_influence],
          counts=False)
    w.run("link_opportunity_persons", [{"opportunity_id": o.id, "person_id": i.person_id,
                                        "role": i.role}
                                       for o in b.opportunities for i in o.involves], counts=False)
    w.run("upsert_activities", [{**a.model_dump(), "day": clock.day_of(a.at, zone)}
                                for a in b.activities])
    w.run("append_scores", scores.rows, audited=True)
    # Every scored person, not only those with a new record: a run cut short may have written
    # the records without refreshing the person's copy.
    touched = scores.person_ids()
    for start in range(0, len(touched), w.batch_size):
        w.store.write("import/refresh_current_scores", ids=touched[start:start + w.batch_size])


def _dump(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [r.model_dump() for r in rows]


def check_references(store: Store, b: Bundle, *, zone: ZoneInfo = clock.UTC) -> None:
    """Every id unique in its table, every reference resolvable and one score per person and
    company day (in `zone`), or InvalidInput listing these problems together with the rows
    refused while reading (`Bundle.problems`)."""
    problems = (b.problems + b.numbered(_reference_problems(store, b))
                + same_day_problems(b, zone))
    if problems:
        raise InvalidInput(sorted(problems, key=_position))


def _position(p: Problem) -> tuple[int, int]:
    """Problems in the order of the bundle: by table, then row (whole-table problems first)."""
    tables = list(TABLES)
    return (tables.index(p.table) + 1 if p.table in tables else 0), p.row or 0


def _reference_problems(store: Store, b: Bundle) -> list[Problem]:
    problems: list[Problem] = []
    for table, rows in (("accounts", b.accounts), ("departments", b.departments),
                        ("key_persons", b.key_persons), ("employees", b.employees),
                        ("opportunities", b.opportunities), ("activities", b.activities)):
        problems += _duplicates(table, [r.id for r in rows])
    known = _Known(store, b)
    problems += _clashes(store, b, known)
    problems += _department_problems(b, known)
    problems += _reports_to_problems(store, b, known)
    problems += known.check("key_persons", b.key_persons, department_id=known.departments,
                            reports_to=known.persons)
    problems += known.check("employees", b.employees, manager_id=known.employees)
    problems += known.check("account_teams", b.account_teams, employee_id=known.employees,
                            account_id=known.accounts)
    problems += known.check("influences", b.influences, source=known.employees | known.persons,
                            target=known.persons, labels={"source": "from", "target": "to"})
    problems += known.check("knows", b.knows, employee_id=known.employees,
                            person_id=known.persons)
    problems += known.check("opportunities", b.opportunities, account_id=known.accounts,
                            used_influence=known.employees, involves=known.persons)
    problems += known.check("score_history", b.score_history, person_id=known.persons)
    problems += known.check("activities", b.activities, employee_id=known.employees,
                            person_ids=known.persons)
    return problems


def _clashes(store: Store, b: Bundle, known: _Known) -> list[Problem]:
    """An id names one node: an employee and a key person never share it, stored or not (a
    clash inside the bundle is reported once, on the employee's row)."""
    persons = known.persons | _stored_ids(store, "key_person", (e.id for e in b.employees))
    employees = _stored_ids(store, "employee", (k.id for k in b.key_persons))
    problems = [Problem("employees", n, "id", f"{e.id!r} is also a key person id")
                for n, e in enumerate(b.employees, 1) if e.id in persons]
    problems += [Problem("key_persons", n, "id", f"{k.id!r} is also an employee id")
                 for n, k in enumerate(b.key_persons, 1) if k.id in employees]
    return problems


def _reports_to_problems(store: Store, b: Bundle, known: _Known) -> list[Problem]:
    """The customer's formal line stays inside one customer, also toward stored persons."""
    account_of = {k.id: known.department_account.get(k.department_id) for k in b.key_persons}
    stored = sorted({k.reports_to for k in b.key_persons if k.reports_to} - set(account_of))
    for chunk in _chunks(stored):
        account_of |= {r["id"]: r["account_id"]
                       for r in store.read("import/find_person_accounts", ids=chunk)}
    return reports_to_problems(b.key_persons, account_of)


def _duplicates(table: str, ids: list[str]) -> list[Problem]:
    seen: Counter[str] = Counter()
    problems = []
    for n, id_ in enumerate(ids, 1):
        seen[id_] += 1
        if seen[id_] == 2:
            problems.append(Problem(table, n, "id", f"duplicate id {id_!r}"))
    return problems


def _department_problems(b: Bundle, known: _Known) -> list[Problem]:
    problems = known.check("departments", b.departments, account_id=known.accounts,
                           parent_id=known.departments)
    for n, d in enumerate(b.departments, 1):
        parent_account = known.department_account.get(d.parent_id or "")
        if parent_account is not None and parent_account != d.account_id:
            problems.append(Problem("departments", n, "parent_id",
                                    f"{d.parent_id!r} belongs to another account"))
    return problems


class _Known:
    """The ids a bundle may refer to: its own, plus those already in the store."""

    def __init__(self, store: Store, b: Bundle) -> None:
        # A row refused while reading is reported once, not again as an unknown id.
        self.accounts = {a.id for a in b.accounts} | b.refused_ids("accounts")
        self.employees = {e.id for e in b.employees} | b.refused_ids("employees")
        self.persons = {k.id for k in b.key_persons} | b.refused_ids("key_persons")
        self.refused_departments = b.refused_ids("departments")
        self.department_account = {d.id: d.account_id for d in b.departments}
        wanted_accounts = {d.account_id for d in b.departments} | {
            t.account_id for t in b.account_teams} | {o.account_id for o in b.opportunities}
        self.accounts |= _stored_ids(store, "account", wanted_accounts - self.accounts)
        wanted_people = ({k.reports_to for k in b.key_persons if k.reports_to}
                         | {i.target for i in b.influences} | {i.source for i in b.influences}
                         | {k.person_id for k in b.knows} | {h.person_id for h in b.score_history}
                         | {i.person_id for o in b.opportunities for i in o.involves}
                         | {p for a in b.activities for p in a.person_ids})
        self.persons |= _stored_ids(store, "key_person", wanted_people - self.persons)
        wanted_employees = ({e.manager_id for e in b.employees if e.manager_id}
                            | {t.employee_id for t in b.account_teams}
                            | {i.source for i in b.influences} | {k.employee_id for k in b.knows}
                            | {e for o in b.opportunities for e in o.used_influence}
                            | {a.employee_id for a in b.activities})
        self.employees |= _stored_ids(store, "employee", wanted_employees - self.employees)
        wanted_departments = ({k.department_id for k in b.key_persons}
                              | {d.parent_id for d in b.departments if d.parent_id})
        for start_ids in _chunks(sorted(wanted_departments - set(self.department_account))):
            for r in store.read("import/find_department_ids", ids=start_ids):
                self.department_account[r["id"]] = r["account_id"]

    @property
    def departments(self) -> set[str]:
        return set(self.department_account) | self.refused_departments

    def check(self, table: str, rows: list[Any], labels: dict[str, str] | None = None,
              **references: set[str]) -> list[Problem]:
        problems = []
        for n, row in enumerate(rows, 1):
            for field, known in references.items():
                for value in _referenced(getattr(row, field)):
                    if value not in known:
                        name = (labels or {}).get(field, field)
                        problems.append(Problem(table, n, name, f"unknown id {value!r}"))
        return problems


def _referenced(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [v.person_id if hasattr(v, "person_id") else v for v in value]
    return [value]


def _stored_ids(store: Store, kind: str, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(set(ids))):
        found |= {r["id"] for r in store.read(f"import/find_{kind}_ids", ids=chunk)}
    return found


def _chunks(ids: list[str], size: int = 5000) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
