"""The monthly review (M, docs/method.md): three questions on one relationship map, with action items."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Annotated, Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from graphbrm import clock
from graphbrm.access import Viewer, visibility
from graphbrm.accounts import figures_for
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.figures import AccountFigures, Thresholds, cut, person_status
from graphbrm.paths import ReachPath, paths_to
from graphbrm.store import QueryRow, Store
from graphbrm.values import Day
from graphbrm.vocabulary import BLOCKING_ROLES, DIMENSIONS

BLOCKER_PATHS = 3
# A recorded review keeps more paths than it shows: a reader who may not see some of the
# people on them still gets their own best three (as far as these reach): `snapshots_for_reader`.
STORED_BLOCKER_PATHS = 20
BLOCKER_MAX_HOPS = 4  # docs/method.md: at most 4 hops
DIMENSION_NAMES = {"closeness": ("closeness", "关系紧密度"),
                   "solution_acceptance": ("solution acceptance", "方案认可度"),
                   "price_acceptance": ("price acceptance", "价格接受度")}
ROLE_NAMES = {"veto": ("veto holder", "一票否决人"), "approver": ("final approver", "一票批准人")}

Text = Annotated[str, Field(min_length=1, max_length=2000)]


# ---- the review -----------------------------------------------------------------------------

class UnknownPerson(BaseModel):
    id: str
    name: str | None
    unknown_dimensions: list[str]


class CoverageEvidence(BaseModel):
    missing: int
    expected: int
    # A key account needs an expected number of key persons: without one (0 or not given) no
    # map can be complete.
    expected_unset: bool = False
    identified: int
    unknown: int
    unknown_persons: list[UnknownPerson]


class AveragesEvidence(BaseModel):
    averages: dict[str, float | None]
    short: list[str]
    unknown_dimensions: list[str]
    good: int


class Blocker(BaseModel):
    id: str
    name: str | None
    title: str | None = None
    decision_role: str
    closeness: int | None = None
    solution_acceptance: int | None = None
    price_acceptance: int | None = None
    status: Literal["opposes", "unclear"]
    paths: list[ReachPath]


class BlockersEvidence(BaseModel):
    persons: list[Blocker]


class Question(BaseModel):
    key: Literal["coverage", "averages", "blockers"]
    passed: bool
    evidence: CoverageEvidence | AveragesEvidence | BlockersEvidence


class ActionItem(BaseModel):
    """An action item; suggested ones carry both languages, recorded ones what was agreed."""

    model_config = ConfigDict(extra="forbid")

    text: Text
    text_zh: Text | None = None
    person_id: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class PreviousReview(BaseModel):
    """A recorded review as the next month shows it: who, when, and the agreed actions."""

    id: str
    date: dt.date
    reviewer_id: str | None
    reviewer_name: str | None = None
    rep_id: str | None
    rep_name: str | None = None
    notes: str
    actions: list[ActionItem]


class MonthlyReview(BaseModel):
    """The review of one account as of a day: figures, the three questions, action items."""

    account_id: str
    as_of: dt.date
    figures: AccountFigures
    questions: list[Question]
    actions: list[ActionItem]
    previous: PreviousReview | None


def monthly_review(store: Store, *, viewer: Viewer, account_id: str, as_of: dt.date,
                   thresholds: Thresholds) -> MonthlyReview:
    """The three questions with evidence and action items, scores as of `as_of` (paths: current ties)."""
    params = visibility(store, viewer)
    review, _ = _review(store, account_id=account_id, as_of=as_of, thresholds=thresholds,
                        params=params, paths=BLOCKER_PATHS)
    return review


def _review(store: Store, *, account_id: str, as_of: dt.date, thresholds: Thresholds,
            params: dict[str, Any], paths: int) -> tuple[MonthlyReview, list[QueryRow]]:
    """The review and the account's key persons as of `as_of` (NotFound if not visible)."""
    found = figures_for(store, ids=[account_id], as_of=as_of, thresholds=thresholds,
                        params=params)
    if not found:
        raise NotFound(f"account {account_id!r}")
    figures = found[0]
    persons = store.read("accounts/account_persons", account_id=account_id, cut=cut(as_of),
                         **params)
    blockers = _blockers(store, persons, thresholds, params, paths)
    questions = [_coverage(figures, persons), _averages(figures, thresholds),
                 Question(key="blockers", passed=not blockers,
                          evidence=BlockersEvidence(persons=blockers))]
    actions = (_coverage_actions(figures, persons, {b.id for b in blockers})
               + _averages_actions(figures, thresholds)
               + [_blocker_action(b, thresholds) for b in blockers])
    previous = _previous(store, account_id=account_id, before=as_of, params=params)
    return MonthlyReview(account_id=account_id, as_of=as_of, figures=figures, questions=questions,
                         actions=actions, previous=previous), persons


def _unknown_dimensions(person: QueryRow) -> list[str]:
    return [d for d in DIMENSIONS if person[d] is None]


def _coverage(figures: AccountFigures, persons: list[QueryRow]) -> Question:
    unknown = [UnknownPerson(id=p["id"], name=p["name"], unknown_dimensions=_unknown_dimensions(p))
               for p in persons if _unknown_dimensions(p)]
    evidence = CoverageEvidence(missing=figures.missing, expected=figures.expected,
                                expected_unset=expected_unset(figures),
                                identified=figures.identified, unknown=figures.unknown,
                                unknown_persons=unknown)
    return Question(key="coverage", passed=map_complete(figures), evidence=evidence)


def expected_unset(figures: AccountFigures) -> bool:
    """A key account whose expected number of key persons was never set (0 or not given)."""
    return figures.tier == "key" and figures.expected == 0


def map_complete(figures: AccountFigures) -> bool:
    """The coverage question: every expected key person identified and scored; a key account
    must say how many it expects."""
    return figures.missing == 0 and figures.unknown == 0 and not expected_unset(figures)


def _averages(figures: AccountFigures, t: Thresholds) -> Question:
    averages = figures.averages.model_dump()
    short = [d for d in DIMENSIONS if averages[d] is not None and averages[d] < t.good]
    unknown = [d for d in DIMENSIONS if averages[d] is None]
    return Question(key="averages", passed=not short and not unknown,
                    evidence=AveragesEvidence(averages=averages, short=short,
                                              unknown_dimensions=unknown, good=t.good))


def _blockers(store: Store, persons: list[QueryRow], t: Thresholds, params: dict[str, Any],
              k: int) -> list[Blocker]:
    """Veto holders, then approvers, who oppose us or are unclear, with their best paths."""
    deciding = sorted((p for p in persons if p["decision_role"] in BLOCKING_ROLES),
                      key=lambda p: (BLOCKING_ROLES.index(p["decision_role"]), p["id"]))
    blockers = []
    for p in deciding:
        status = person_status(p, p["decision_role"], t)
        if status not in ("opposes", "unclear"):
            continue
        paths = paths_to(store, target_id=p["id"], k=k, max_hops=BLOCKER_MAX_HOPS,
                         source_ids=None, params=params)
        blockers.append(Blocker(**{k: p[k] for k in ("id", "name", "title", "decision_role",
                                                     *DIMENSIONS)},
                                status=status, paths=paths))
    return blockers


# ---- action items ---------------------------------------------------------------------------

def _action(text: str, text_zh: str, person_id: str | None = None) -> ActionItem:
    return ActionItem(text=text, text_zh=text_zh, person_id=person_id)


def _coverage_actions(figures: AccountFigures, persons: list[QueryRow],
                      blocker_ids: set[str]) -> list[ActionItem]:
    actions = []
    if expected_unset(figures):
        actions.append(_action("Set the expected number of key persons",
                               "设定应有的关键人数量"))
    if figures.missing:
        noun = "key person" if figures.missing == 1 else "key persons"
        actions.append(_action(f"Identify {figures.missing} more {noun}",
                               f"再摸清 {figures.missing} 位关键人"))
    # Unclear veto holders and approvers get their own, sharper action below.
    unknown = [p for p in persons if _unknown_dimensions(p) and p["id"] not in blocker_ids]
    if unknown:
        names = [_name(p) for p in unknown]
        actions.append(_action(f"Get the unknown scores of {', '.join(names)}",
                               f"摸清 {'、'.join(names)} 的商业关系得分",
                               unknown[0]["id"] if len(unknown) == 1 else None))
    return actions


def _averages_actions(figures: AccountFigures, t: Thresholds) -> list[ActionItem]:
    averages = figures.averages.model_dump()
    actions = [_action(f"Raise {DIMENSION_NAMES[d][0]} from {_number(v)} to {t.good}",
                       f"将{DIMENSION_NAMES[d][1]}从 {_number(v)} 提升到 {t.good}")
               for d in DIMENSIONS if (v := averages[d]) is not None and v < t.good]
    if figures.identified == 0 and figures.missing == 0 and not expected_unset(figures):
        # Nothing to average and no expected count to ask for: the map is simply empty.
        actions.append(_action("Identify the key persons of this account and their scores",
                               "摸清该客户的关键人及其商业关系得分"))
    return actions


def _blocker_action(b: Blocker, t: Thresholds) -> ActionItem:
    role_en, role_zh = ROLE_NAMES[b.decision_role]
    name = b.name or b.id
    scores = b.model_dump()
    weak = [d for d in DIMENSIONS if scores[d] is None or scores[d] < t.good]
    details_en = ", ".join(_detail(d, scores[d], lang=0) for d in weak)
    details_zh = ",".join(_detail(d, scores[d], lang=1) for d in weak)
    if b.status == "opposes":
        head_en, head_zh = f"Turn around {role_en} {name}", f"扭转{role_zh} {name}"
    else:
        head_en, head_zh = f"Find out where {role_en} {name} stands", f"摸清{role_zh} {name} 的态度"
    if b.paths:
        best = b.paths[0]
        route = " → ".join(n or i for n, i in zip(best.names, best.nodes, strict=True))
        return _action(f"{head_en} ({details_en}): best path {route} ({best.strength:.2f})",
                       f"{head_zh}({details_zh}):最佳路径 {route}({best.strength:.2f})", b.id)
    return _action(f"{head_en} ({details_en}): no path from our employees: "
                   f"find someone who can reach {name}",
                   f"{head_zh}({details_zh}):我司员工无人能触达,找到能触达 {name} 的人", b.id)


def _detail(dimension: str, value: int | None, *, lang: int) -> str:
    label = DIMENSION_NAMES[dimension][lang]
    if value is None:
        return f"{label} unknown" if lang == 0 else f"{label}未知"
    return f"{label} {value}"


def _name(person: QueryRow) -> str:
    return str(person["name"] or person["id"])


def _number(value: float) -> str:
    """48.333 → "48.3", 55.0 → "55"."""
    return f"{value:.1f}".removesuffix(".0")


# ---- recorded reviews -----------------------------------------------------------------------

class ReviewCreate(BaseModel):
    """A review as the manager records it; the reviewer is the caller, never sent."""

    model_config = ConfigDict(extra="forbid")

    date: Day
    rep_id: Annotated[str, Field(min_length=1, max_length=200)]
    notes: Annotated[str, Field(max_length=20_000)] = ""
    actions: Annotated[list[ActionItem], Field(max_length=100, default_factory=list)]


class ReviewPublic(PreviousReview):
    """A recorded review with the figures and question results as they were on its date."""

    account_id: str
    figures: AccountFigures | None
    questions: list[Question]
    created_at: str


class ReviewPage(BaseModel):
    data: list[ReviewPublic]
    count: int


class Recorded(NamedTuple):
    """A recorded review, and whether it is new (False: the day's review was updated)."""

    review: ReviewPublic
    created: bool


def record_review(store: Store, *, viewer: Viewer, account_id: str, review: ReviewCreate,
                  thresholds: Thresholds, zone: ZoneInfo = clock.UTC) -> Recorded:
    """Store a review with the figures and question results as of its date (a day of the
    company's time zone `zone`, not after today); NotFound if not visible.

    An account has one review per day and reviewer: recording it again (a double submit, or a
    correction) updates that review's rep, notes, actions and figures, keeping its id and
    created_at. The store query enforces this, so concurrent submissions cannot both create.
    """
    _check_date(review.date, zone)
    params = visibility(store, viewer)
    snapshot, persons = _review(store, account_id=account_id, as_of=review.date,
                                thresholds=thresholds, params=params, paths=STORED_BLOCKER_PATHS)
    _check_references(store, review, {p["id"] for p in persons})
    row = {"id": uuid.uuid4().hex, "date": review.date.isoformat(),
           "reviewer_id": viewer.employee_id or "operator", "rep_id": review.rep_id,
           "notes": review.notes,
           "actions_json": json.dumps([a.model_dump(exclude_none=True) for a in review.actions],
                                      ensure_ascii=False),
           "figures_json": json.dumps({"figures": snapshot.figures.model_dump(mode="json"),
                                       "questions": [q.model_dump(mode="json")
                                                     for q in snapshot.questions]},
                                      ensure_ascii=False),
           "created_at": clock.utc_stamp()}
    written = store.write("review/create_review", account_id=account_id, **row, **params)
    if not written:
        raise NotFound(f"account {account_id!r}")
    [stored] = snapshots_for_reader(store, params=params, texts=[row["figures_json"]])
    return Recorded(_public({"account_id": account_id, **row, **written[0]}, stored),
                    created=bool(written[0]["created"]))


def list_reviews(store: Store, *, viewer: Viewer, account_id: str) -> ReviewPage:
    """The recorded reviews of a visible account, newest first; NotFound if not visible."""
    params = visibility(store, viewer)
    rows = store.read("review/list_reviews", account_id=account_id, **params)
    if not rows:
        raise NotFound(f"account {account_id!r}")
    rows = [r for r in rows if r["id"] is not None]
    stored = snapshots_for_reader(store, params=params, texts=[r["figures_json"] for r in rows])
    reviews = [_public(r, s) for r, s in zip(rows, stored, strict=True)]
    return ReviewPage(data=reviews, count=len(reviews))


def snapshots_for_reader(store: Store, *, params: dict[str, Any],
                         texts: list[str | None]) -> list[dict[str, Any]]:
    """Stored review snapshots (`figures_json`) as a reader with scope `params` may see them.

    A review is stored with the paths its recorder could see; a reader who may not see some
    person on a path does not get that path. The reader's best `BLOCKER_PATHS` of the rest are
    shown, ranked as `paths/best_paths` ranks them (one query for all the snapshots).
    """
    snapshots = [json.loads(text or "{}") for text in texts]
    blockers = [b for s in snapshots for b in _stored_blockers(s)]
    people = sorted({n for b in blockers for p in b["paths"] for n in p["nodes"][1:]})
    hidden: set[str] = set()
    if people and not params["all"]:
        seen = store.read("daily/visible_person_ids", ids=people, **params)
        hidden = set(people) - {r["id"] for r in seen}
    for b in blockers:
        kept = [p for p in b["paths"] if hidden.isdisjoint(p["nodes"][1:])]
        b["paths"] = (kept if len(kept) == len(b["paths"]) else _ranked(kept))[:BLOCKER_PATHS]
    return snapshots


def _stored_blockers(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    return [person for q in snapshot.get("questions", []) if q.get("key") == "blockers"
            for person in q["evidence"]["persons"]]


def _ranked(paths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Paths in the order of `paths/best_paths`: the best per first hop, then the rest."""
    def order(p: dict[str, Any]) -> tuple[float, int, str]:
        return -p["strength"], len(p["nodes"]), "".join(f"{n}>" for n in p["nodes"])

    firsts: dict[tuple[str, str], dict[str, Any]] = {}
    for p in sorted(paths, key=order):
        firsts.setdefault((p["nodes"][0], p["nodes"][1]), p)
    chosen = {id(p) for p in firsts.values()}
    return sorted(paths, key=lambda p: (id(p) not in chosen, *order(p)))


def _previous(store: Store, *, account_id: str, before: dt.date,
              params: dict[str, Any]) -> PreviousReview | None:
    rows = store.read("review/latest_review_before", account_id=account_id,
                      before=before.isoformat(), **params)
    if not rows:
        return None
    r = _public(rows[0])
    return PreviousReview(id=r.id, date=r.date, reviewer_id=r.reviewer_id, rep_id=r.rep_id,
                          notes=r.notes, actions=r.actions)


def _public(row: QueryRow, snapshot: dict[str, Any] | None = None) -> ReviewPublic:
    if snapshot is None:
        snapshot = json.loads(row["figures_json"] or "{}")
    return ReviewPublic.model_validate({
        **{k: row[k] for k in ("id", "account_id", "date", "reviewer_id", "rep_id", "created_at")},
        "reviewer_name": row.get("reviewer_name"), "rep_name": row.get("rep_name"),
        "notes": row["notes"] or "", "actions": json.loads(row["actions_json"] or "[]"),
        "figures": snapshot.get("figures"), "questions": snapshot.get("questions", [])})


def _check_date(date: dt.date, zone: ZoneInfo) -> None:
    if date > clock.today(zone):
        raise InvalidInput([Problem("review", None, "date", f"{date} is in the future")])


def _check_references(store: Store, review: ReviewCreate, person_ids: set[str]) -> None:
    problems = []
    if not store.read("import/find_employee_ids", ids=[review.rep_id]):
        problems.append(Problem("review", None, "rep_id", f"unknown employee {review.rep_id!r}"))
    for n, action in enumerate(review.actions, 1):
        if action.person_id is not None and action.person_id not in person_ids:
            problems.append(Problem("review", n, "actions.person_id",
                                    f"{action.person_id!r} is not a key person of this account"))
    if problems:
        raise InvalidInput(problems)
