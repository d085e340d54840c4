"""Figures kept as derived data beside the records they come from, so that company-wide
reports read them instead of replaying every key person's history.

Rebuilt per account after every write that can change them (an import, a score edit): each
closed opportunity's averages at closing, and each account's `AccountSeries` (cypher/derived):
the dated running sums of its persons' scores, and the days from which each person is
influenced by one of our employees. `graphbrm rebuild` recomputes them for every account from
the records alone.

Every dated record also stores its company day (graphbrm/clock.py), derived in the time zone
noted on the graph; opening the store with another zone derives them all again
(`ensure_days`), then the figures built on them.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from graphbrm import clock
from graphbrm.bundle import Bundle
from graphbrm.store import Store

BATCH = 200
LOOKUP_BATCH = 5000


def refresh_accounts(store: Store, *, account_ids: list[str]) -> None:
    """Recompute the derived figures of these accounts from their persons' Score records."""
    for start in range(0, len(account_ids), BATCH):
        ids = account_ids[start:start + BATCH]
        store.write("history/refresh_closing_averages", ids=ids)
        store.write("derived/rebuild_account_series", ids=ids)
        store.write("derived/rebuild_account_influence", ids=ids)


def accounts_touched(store: Store, bundle: Bundle) -> set[str]:
    """The accounts whose derived figures importing `bundle` can change, as the store is now.

    Asked before and after the write, it also catches a person moved out of an account.
    """
    persons = sorted({k.id for k in bundle.key_persons} | {h.person_id for h in bundle.score_history}
                     | {i.target for i in bundle.influences})
    departments = sorted({d.id for d in bundle.departments})
    found = {a.id for a in bundle.accounts} | {o.account_id for o in bundle.opportunities}
    for start in range(0, max(len(persons), len(departments)), LOOKUP_BATCH):
        rows = store.read("derived/accounts_of", person_ids=persons[start:start + LOOKUP_BATCH],
                          department_ids=departments[start:start + LOOKUP_BATCH])
        found |= {r["id"] for r in rows if r["id"] is not None}
    return found


def rebuild_all(store: Store) -> int:
    """Recompute the derived figures of every account; how many accounts."""
    ids = [r["id"] for r in store.read("import/all_account_ids")]
    refresh_accounts(store, account_ids=ids)
    return len(ids)


def ensure_days(store: Store, zone: ZoneInfo) -> bool:
    """Derive every record's company day in `zone` again, and the figures built on them, unless
    the graph's days are already in `zone`; whether it did."""
    if store.read("derived/day_zone")[0]["timezone"] == zone.key:
        return False
    restamp_days(store, zone)
    rebuild_all(store)
    store.write("derived/set_day_zone", timezone=zone.key)
    return True


def restamp_days(store: Store, zone: ZoneInfo) -> int:
    """Set the company day of every dated record from its stored instant or date, in `zone`;
    how many records."""
    rows = store.read("derived/dated_records")
    batches: dict[str, list[dict[str, Any]]] = {"Score": [], "Activity": [], "Opportunity": [],
                                                "tie": []}
    for r in rows:
        if r["kind"] == "Opportunity":
            batches["Opportunity"].append({"id": r["id"],
                                           "created_day": clock.optional_day(r["at"], zone),
                                           "closed_day": clock.optional_day(r["closed_at"], zone)})
        elif r["kind"] in ("Score", "Activity"):
            batches[r["kind"]].append({"id": r["id"], "day": clock.optional_day(r["at"], zone)})
        else:
            batches["tie"].append({"type": r["kind"], "from_id": r["id"], "to_id": r["to_id"],
                                   "since_day": clock.optional_day(r["at"], zone)})
    for kind, query in (("Score", "set_score_days"), ("Activity", "set_activity_days"),
                        ("Opportunity", "set_opportunity_days"), ("tie", "set_tie_days")):
        for start in range(0, len(batches[kind]), LOOKUP_BATCH):
            store.write(f"derived/{query}", rows=batches[kind][start:start + LOOKUP_BATCH])
    return len(rows)
