"""Event rules 1–4, evaluated right after a write by comparing the touched accounts with their
state just before it.

A write takes a `Watch` before it starts and calls `Watch.finish` after it committed: the rules
read the store, never run inside the write, and a failure in them is logged, never raised, so
an alert can neither fail nor roll back the edit or import that triggered it. An account that
did not exist before the write (a first import) has no "before" and raises no event alert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from graphbrm import clock
from graphbrm.alerts import messages
from graphbrm.alerts.model import AlertConfig, NewAlert, log, record
from graphbrm.figures import Averages, Band, band, cut
from graphbrm.paths import ReachPath, paths_to
from graphbrm.settings import get_settings
from graphbrm.store import Store
from graphbrm.vocabulary import BLOCKING_ROLES, DIMENSIONS

# Rule 4 watches these roles' reach (docs/method.md: "decision makers nobody can reach").
DECIDING_ROLES = ("veto", "approver", "decision_maker")
BAND_RANK = {"excellent": 2, "good": 1, "poor": 0}
BATCH = 500
EVERYONE = {"all": True, "visible": []}


@dataclass(frozen=True)
class PersonState:
    id: str
    name: str | None
    decision_role: str | None
    scores: dict[str, int | None]


@dataclass(frozen=True)
class AccountState:
    id: str
    name: str | None
    persons: dict[str, PersonState]

    def averages(self) -> Averages:
        means: dict[str, float | None] = {}
        for d in DIMENSIONS:
            known = [p.scores[d] for p in self.persons.values() if p.scores[d] is not None]
            means[d] = sum(v for v in known if v is not None) / len(known) if known else None
        return Averages(**means)


def snapshot(store: Store, account_ids: list[str]) -> dict[str, AccountState]:
    """The accounts' key persons with their roles and current scores."""
    found: dict[str, AccountState] = {}
    for start in range(0, len(account_ids), BATCH):
        for row in store.read("alerts/account_snapshot", ids=account_ids[start:start + BATCH]):
            persons = {p["id"]: PersonState(p["id"], p["name"], p["decision_role"],
                                            {d: p[d] for d in DIMENSIONS})
                       for p in row["persons"]}
            found[row["id"]] = AccountState(row["id"], row["name"], persons)
    return found


@dataclass(frozen=True)
class Decider:
    """A decision maker, veto holder or approver, and whether any employee reaches them."""

    id: str
    name: str | None
    decision_role: str | None
    account_id: str
    account_name: str | None
    reached: bool


def reach(store: Store, account_ids: list[str]) -> dict[str, Decider]:
    """The accounts' deciding persons by id, each with whether a reach path (≤ 4 hops) exists."""
    found: dict[str, Decider] = {}
    for start in range(0, len(account_ids), BATCH):
        for r in store.read("alerts/reached_deciders", ids=account_ids[start:start + BATCH],
                            roles=list(DECIDING_ROLES)):
            found[r["id"]] = Decider(r["id"], r["name"], r["decision_role"], r["account_id"],
                                     r["account_name"], r["reached"])
    return found


class Watch:
    """The state of some accounts just before a write, to compare with after it; with `reach`,
    also who of their decision makers our employees reach (for a write that removes ties)."""

    def __init__(self, store: Store, account_ids: list[str], config: AlertConfig, *,
                 reach_too: bool = False) -> None:
        self.store, self.config = store, config
        self.before: dict[str, AccountState] | None = None
        self.reached_before: dict[str, Decider] | None = None
        try:
            ids = sorted(set(account_ids))
            self.before = snapshot(store, ids)
            if reach_too and config.on("cut_off"):
                self.reached_before = reach(store, ids)
        except Exception:  # an alert must never stop the write it watches
            log.exception("alerts: could not read the state before a write")

    def finish(self, account_ids: list[str] | None = None, *,
               cause: tuple[str, str] | None = None) -> list[str]:
        """Raise the event alerts of the write just done; the ids of the new alerts. `cause`
        names the removed tie (from, to) that rule 4's message quotes."""
        if self.before is None:
            return []
        try:
            ids = sorted(set(account_ids or []) | set(self.before))
            found = evaluate(self.store, self.before, snapshot(self.store, ids), self.config)
            if self.reached_before is not None:
                found += cut_off(self.store, self.reached_before, reach(self.store, ids),
                                 self.config, cause)
            return found
        except Exception:  # logged, never raised: the write has already succeeded
            log.exception("alerts: could not evaluate the rules after a write")
            return []


def watch_accounts(store: Store, *, account_ids: Iterable[str],
                   config: AlertConfig | None = None) -> Watch:
    """A watch over these accounts (for an import); `config` defaults to the settings."""
    return Watch(store, list(account_ids), config or _configured())


def watch_person(store: Store, *, person_id: str, config: AlertConfig | None = None) -> Watch:
    """A watch over the account of one key person (for a score or role edit)."""
    try:
        rows = store.read("history/get_key_person", person_id=person_id, **EVERYONE)
    except Exception:  # an alert must never stop the write it watches
        log.exception("alerts: could not find the account of %s", person_id)
        rows = []
    return Watch(store, [rows[0]["account_id"]] if rows else [], config or _configured())


def watch_reach(store: Store, *, person_id: str, config: AlertConfig | None = None) -> Watch:
    """A watch, reach included, over the accounts that a tie into this key person can carry
    reach to: its own and those of the persons it influences within 3 more hops."""
    try:
        ids = [r["id"] for r in store.read("ties/downstream_accounts", person_id=person_id)]
    except Exception:  # an alert must never stop the write it watches
        log.exception("alerts: could not find the accounts reached through %s", person_id)
        ids = []
    return Watch(store, ids, config or _configured(), reach_too=True)


def _configured() -> AlertConfig:
    """The rules as the GRAPHBRM_ALERT_* settings say, or the defaults if they do not read."""
    try:
        return AlertConfig.from_settings(get_settings())
    except Exception:
        log.exception("alerts: settings unreadable, using the default rules")
        return AlertConfig()


def evaluate(store: Store, before: dict[str, AccountState], after: dict[str, AccountState],
             config: AlertConfig) -> list[str]:
    """Rules 1–3 for every account known before and after; the new alerts' ids."""
    today = clock.today(config.zone)
    alerts: list[NewAlert] = []
    for account_id, old in before.items():
        new = after.get(account_id)
        if new is None:
            continue
        changed = [p for pid, p in sorted(new.persons.items())
                   if old.persons.get(pid) != p]
        if config.on("blocker"):
            alerts += [a for p in changed if (a := _blocker(store, new, old.persons.get(p.id), p,
                                                            config, today))]
        if config.on("band_drop"):
            alerts += [a for a in [_band_drop(old, new, changed, config, today)] if a]
        if config.on("fading"):
            alerts += _fading(store, new, [p for p in changed if old.persons.get(p.id)
                                           and old.persons[p.id].scores != p.scores],
                              config, today)
    return [a.id for a in alerts if record(store, a, zone=config.zone)]


def _blocker(store: Store, account: AccountState, old: PersonState | None, new: PersonState,
             config: AlertConfig, today: dt.date) -> NewAlert | None:
    """Rule 1: a veto holder or approver starts to oppose us or becomes unclear."""
    if new.decision_role not in BLOCKING_ROLES:
        return None
    good = config.thresholds.good
    was_blocking_role = old is not None and old.decision_role in BLOCKING_ROLES
    before = old.scores if old is not None else dict.fromkeys(DIMENSIONS)
    low = [d for d in DIMENSIONS if _below(new.scores[d], good)
           and not (was_blocking_role and _below(before[d], good))]
    unknown = [d for d in DIMENSIONS if new.scores[d] is None
               and not (was_blocking_role and before[d] is None)]
    if not low and not unknown:
        return None
    who = messages.person(new.name, new.id, account.name)
    words = messages.blocker(who, new.decision_role, bool(low),
                             messages.changes(before, new.scores, low or unknown),
                             path := best_path(store, new.id))
    return NewAlert(rule="blocker", subject=new.id, period=today.isoformat(),
                    account_id=account.id, account_name=account.name, person_id=new.id,
                    person_name=new.name,
                    before={**before, "decision_role": old.decision_role if old else None},
                    after={**new.scores, "decision_role": new.decision_role},
                    message_zh=words[0], message_en=words[1], path=path_names(path))


def _band_drop(old: AccountState, new: AccountState, changed: list[PersonState],
               config: AlertConfig, today: dt.date) -> NewAlert | None:
    """Rule 2: excellent → good, good → poor (or further), or any known band → unknown."""
    t = config.thresholds
    old_avg, new_avg = old.averages(), new.averages()
    was, now = band(old_avg, t), band(new_avg, t)
    if not _dropped(was, now):
        return None
    people = [messages.person(p.name, p.id, None) for p in changed]
    words = messages.band_drop(new.name or new.id, was, now, new_avg.model_dump(), people)
    return NewAlert(rule="band_drop", subject=new.id, period=today.isoformat(),
                    account_id=new.id, account_name=new.name,
                    before={"band": was, "averages": old_avg.model_dump()},
                    after={"band": now, "averages": new_avg.model_dump()},
                    message_zh=words[0], message_en=words[1])


def _dropped(was: Band, now: Band) -> bool:
    if was == "unknown":
        return False
    return now == "unknown" or BAND_RANK[now] < BAND_RANK[was]


def _fading(store: Store, account: AccountState, changed: list[PersonState], config: AlertConfig,
            today: dt.date) -> list[NewAlert]:
    """Rule 3: a key person's dimension is `fading_points` or more below its value
    `fading_days` days earlier."""
    if not changed:
        return []
    then_day = today - dt.timedelta(days=config.fading_days)
    earlier = {r["id"]: r for r in store.read("alerts/scores_as_of", ids=[p.id for p in changed],
                                               cut=cut(then_day))}
    alerts = []
    for p in changed:
        then = {d: earlier.get(p.id, {}).get(d) for d in DIMENSIONS}
        fell = [d for d in DIMENSIONS
                if _fall(then[d], p.scores[d]) >= config.fading_points]
        if not fell:
            continue
        who = messages.person(p.name, p.id, account.name)
        path = best_path(store, p.id)
        words = messages.fading(who, config.fading_days, messages.changes(then, p.scores, fell),
                                path)
        alerts.append(NewAlert(rule="fading", subject=p.id, period=today.isoformat(),
                               account_id=account.id, account_name=account.name,
                               person_id=p.id, person_name=p.name,
                               before={**then, "as_of": then_day.isoformat()}, after=p.scores,
                               message_zh=words[0], message_en=words[1],
                               path=path_names(path)))
    return alerts


def cut_off(store: Store, before: dict[str, Decider], after: dict[str, Decider],
            config: AlertConfig, cause: tuple[str, str] | None) -> list[str]:
    """Rule 4: a decision maker, veto holder or approver whom our employees reached before the
    write and reach no more; the new alerts' ids."""
    today = clock.today(config.zone)
    lost = [p for pid, p in sorted(after.items())
            if not p.reached and before.get(pid) is not None and before[pid].reached]
    if not lost:
        return []
    removed = _names(store, cause) if cause else None
    alerts = []
    for p in lost:
        who = messages.person(p.name, p.id, p.account_name)
        words = messages.cut_off(who, p.decision_role, removed)
        alerts.append(NewAlert(rule="cut_off", subject=p.id, period=today.isoformat(),
                               account_id=p.account_id, account_name=p.account_name,
                               person_id=p.id, person_name=p.name,
                               before={"reached": True, "decision_role": p.decision_role},
                               after={"reached": False, "decision_role": p.decision_role,
                                      "removed_tie": list(cause) if cause else None},
                               message_zh=words[0], message_en=words[1]))
    return [a.id for a in alerts if record(store, a, zone=config.zone)]


def _names(store: Store, tie: tuple[str, str]) -> tuple[str, str]:
    """The names of a tie's two ends (their ids where they have none)."""
    named = []
    for node_id in tie:
        rows = store.read("ties/find_source", from_id=node_id)
        named.append((rows[0]["name"] if rows else None) or node_id)
    return named[0], named[1]


def _fall(then: int | None, now: int | None) -> int:
    """How many points a dimension fell (0 when either value is unknown)."""
    return 0 if then is None or now is None else then - now


def _below(value: int | None, good: int) -> bool:
    return value is not None and value < good


def best_path(store: Store, person_id: str) -> ReachPath | None:
    found = paths_to(store, target_id=person_id, k=1, max_hops=4, source_ids=None,
                     params=dict(EVERYONE))
    return found[0] if found else None


def path_names(path: ReachPath | None) -> list[str]:
    if path is None:
        return []
    return [n or i for n, i in zip(path.names, path.nodes, strict=True)]
