"""The Score records an import adds: new ones, corrections of stored ones, none for rows that
are already recorded.

A record is valid from its company day (`day`) and was recorded at `recorded_at`. Of two
records of one person with the same day, the one recorded last stands (then the later instant
`at`): a later import or edit corrects an earlier one, and both stay in the history. Inside one
bundle, two rows that score one person on one day with different values are an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from graphbrm import clock
from graphbrm.bundle import Bundle
from graphbrm.errors import Problem
from graphbrm.store import Store
from graphbrm.vocabulary import DIMENSIONS

Outcome = Literal["created", "changed", "unchanged"]
Scores = dict[str, int | None]
LOOKUP_BATCH = 5000


@dataclass(frozen=True)
class _Dated:
    """A bundle row that scores a person as of an instant or date."""

    table: str
    index: int  # among the table's kept rows, from 1
    field: str
    person_id: str
    at: str  # as stored: a date, or a UTC instant without offset
    scores: tuple[int | None, ...]


def same_day_problems(bundle: Bundle, zone: ZoneInfo) -> list[Problem]:
    """Two rows of the bundle scoring one person on one company day with different values."""
    first: dict[tuple[str, str], _Dated] = {}
    problems = []
    for row in _dated_rows(bundle):
        day = clock.day_of(row.at, zone)
        other = first.setdefault((row.person_id, day), row)
        if other.scores != row.scores:
            problems.append(Problem(
                row.table, bundle.row_number(row.table, row.index), row.field,
                f"{row.person_id!r} is scored on {day} with other values by {other.table} row "
                f"{bundle.row_number(other.table, other.index)}: one record per person and day"))
    return problems


def _dated_rows(bundle: Bundle) -> list[_Dated]:
    rows = [_Dated("score_history", n, "at", h.person_id, clock.as_utc(h.at),
                   tuple(getattr(h, d) for d in DIMENSIONS))
            for n, h in enumerate(bundle.score_history, 1)]
    return rows + [_Dated("key_persons", n, "scored_at", k.id, clock.as_utc(k.scored_at),
                          tuple(getattr(k, d) for d in DIMENSIONS))
                   for n, k in enumerate(bundle.key_persons, 1) if k.scored_at is not None]


@dataclass
class ScoreRecords:
    """The records to write, and what each bundle score row amounts to."""

    rows: list[dict[str, Any]]
    # (person id, instant key) → outcome, for every dated row; person id → outcome for the
    # current scores of a key person row without `scored_at`.
    dated: dict[tuple[str, str], Outcome]
    undated: dict[str, Outcome]

    def person_ids(self) -> list[str]:
        """The persons the bundle scores, whether or not it adds a record for them."""
        return sorted({p for p, _ in self.dated} | {r["person_id"] for r in self.rows})

    def of_history_row(self, person_id: str, at: str) -> Outcome:
        return self.dated[(person_id, instant_key(clock.as_utc(at)))]

    def of_key_person(self, person_id: str, scored_at: str | None) -> Outcome:
        if scored_at is None:
            return self.undated.get(person_id, "unchanged")
        return self.of_history_row(person_id, scored_at)


def score_records(store: Store, bundle: Bundle, now: str, zone: ZoneInfo) -> ScoreRecords:
    """The Score records importing `bundle` adds: a dated row is new when the person has no
    record for that instant, a correction when the last recorded one for it has other values,
    and adds nothing when it has the same. A key person row without `scored_at` is dated now,
    and adds a record only when its scores differ from the person's current ones."""
    wanted: dict[tuple[str, str], tuple[str, Scores]] = {}
    for row in _dated_rows(bundle):
        wanted[(row.person_id, instant_key(row.at))] = (row.at, dict(zip(DIMENSIONS, row.scores,
                                                                         strict=True)))
    stored = _stored_records(store, sorted({p for p, _ in wanted}))
    rows, dated = [], {}
    for (person_id, key), (at, scores) in wanted.items():
        before = stored.get((person_id, key))
        dated[(person_id, key)] = outcome = _outcome(before, scores)
        if outcome != "unchanged":
            suffix = "" if before is None else f"@{now}"  # a correction keeps the first's id free
            rows.append(_record(f"{person_id}@{at}{suffix}", person_id, at, scores, zone))
    undated = _undated(store, bundle)
    rows += [_record(f"{person_id}@{now}", person_id, now, scores, zone)
             for person_id, (_, scores) in undated.items()]
    return ScoreRecords(rows, dated, {p: o for p, (o, _) in undated.items()})


def _outcome(before: Scores | None, scores: Scores) -> Outcome:
    if before is None:
        return "created"
    return "unchanged" if before == scores else "changed"


def _record(id_: str, person_id: str, at: str, scores: Scores, zone: ZoneInfo) -> dict[str, Any]:
    return {"id": id_, "person_id": person_id, "at": at, "day": clock.day_of(at, zone), **scores}


def _undated(store: Store, bundle: Bundle) -> dict[str, tuple[Outcome, Scores]]:
    """The key person rows without `scored_at` whose scores differ from the current ones."""
    undated = [k for k in bundle.key_persons if k.scored_at is None]
    current = _current_scores(store, [k.id for k in undated])
    changed: dict[str, tuple[Outcome, Scores]] = {}
    for k in undated:
        scores: Scores = {d: getattr(k, d) for d in DIMENSIONS}
        before = current.get(k.id)
        if (before or dict.fromkeys(DIMENSIONS)) != scores:
            changed[k.id] = ("created" if before is None else "changed", scores)
    return changed


def _stored_records(store: Store, person_ids: list[str]) -> dict[tuple[str, str], Scores]:
    """Per person and instant, the values of the record recorded last."""
    latest: dict[tuple[str, str], tuple[str, Scores]] = {}
    for start in range(0, len(person_ids), LOOKUP_BATCH):
        for r in store.read("import/stored_scores", ids=person_ids[start:start + LOOKUP_BATCH]):
            key = (r["person_id"], instant_key(r["at"]))
            recorded = r["recorded_at"] or ""
            if key not in latest or recorded >= latest[key][0]:
                latest[key] = (recorded, {d: r[d] for d in DIMENSIONS})
    return {key: scores for key, (_, scores) in latest.items()}


def _current_scores(store: Store, ids: list[str]) -> dict[str, Scores]:
    """The current scores of the persons that have a Score record."""
    found: dict[str, Scores] = {}
    for start in range(0, len(ids), LOOKUP_BATCH):
        for r in store.read("import/current_scores", ids=ids[start:start + LOOKUP_BATCH]):
            if r["scored_at"] is not None:
                found[r["id"]] = {d: r[d] for d in DIMENSIONS}
    return found


def instant_key(at: str) -> str:
    """One spelling per instant (a stored `…T10:00:00.000000` and a bundle's `…T10:00:00` are
    the same instant); a date stays a date."""
    if len(at) == 10:
        return at
    return dt.datetime.fromisoformat(at).isoformat(timespec="microseconds")
