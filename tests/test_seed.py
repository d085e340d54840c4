"""The seed generator: deterministic, to docs/benchmarks.md sizes, consistent, and realistic enough."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest

from graphbrm.seed import generate, relationship_count, table_sizes

END = date(2026, 11, 28)
HISTORY_START = "2024-12-01"  # the first day of the 24 calendar months up to END
DIMENSIONS = ("closeness", "solution_acceptance", "price_acceptance")

Bundle = dict[str, list[dict[str, Any]]]

FIELDS = {
    "accounts": {"id", "name", "industry", "region", "tier", "expected_key_persons"},
    "departments": {"id", "account_id", "name", "parent_id"},
    "key_persons": {"id", "department_id", "name", "title", "decision_role", *DIMENSIONS,
                    "scored_at", "reports_to"},
    "employees": {"id", "name", "title", "role", "manager_id"},
    "account_teams": {"employee_id", "account_id", "role"},
    "influences": {"from", "to", "strength", "since"},
    "knows": {"employee_id", "person_id", "strength", "since"},
    "opportunities": {"id", "account_id", "name", "amount", "currency", "stage", "status",
                      "qualified", "created_at", "closed_at", "used_influence", "involves"},
    "score_history": {"person_id", "at", *DIMENSIONS},
    "activities": {"id", "employee_id", "kind", "type", "at", "note", "person_ids"},
}


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return generate(scale=1, seed=7, end=END)


@pytest.fixture(scope="module")
def small() -> Bundle:
    return generate(scale=0.1, seed=7, end=END)


class Index:
    """Look-ups over a bundle that the checks share."""

    def __init__(self, bundle: Bundle) -> None:
        self.accounts = {row["id"]: row for row in bundle["accounts"]}
        self.departments = {row["id"]: row for row in bundle["departments"]}
        self.persons = {row["id"]: row for row in bundle["key_persons"]}
        self.employees = {row["id"]: row for row in bundle["employees"]}
        self.account_of_person = {
            pid: self.departments[row["department_id"]]["account_id"]
            for pid, row in self.persons.items()
        }
        self.persons_of_account: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for pid, row in self.persons.items():
            self.persons_of_account[self.account_of_person[pid]].append(row)


@pytest.fixture(scope="module")
def index(bundle: Bundle) -> Index:
    return Index(bundle)


# --- docs/method.md bands, written here independently of the generator ---------------------------

def band_of(records: list[dict[str, Any]]) -> str:
    """The band of an account whose persons currently hold these scores."""
    averages = []
    for dimension in DIMENSIONS:
        known = [row[dimension] for row in records if row[dimension] is not None]
        if not known:
            return "unknown"
        averages.append(sum(known) / len(known))
    if all(average >= 80 for average in averages):
        return "excellent"
    if all(average >= 60 for average in averages):
        return "good"
    return "poor"


def bands_at_close(bundle: Bundle, index: Index) -> list[tuple[dict[str, Any], str]]:
    """Each closed opportunity with its account's band as of its closed_at."""
    history: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in bundle["score_history"]:
        history[index.account_of_person[row["person_id"]]].append(row)
    deals: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for deal in bundle["opportunities"]:
        if deal["closed_at"] is not None:
            deals[deal["account_id"]].append(deal)
    result = []
    for account_id, closed in deals.items():
        records = sorted(history[account_id], key=lambda row: row["at"])
        latest: dict[str, dict[str, Any]] = {}
        position = 0
        for deal in sorted(closed, key=lambda row: row["closed_at"]):
            while position < len(records) and records[position]["at"] <= deal["closed_at"]:
                latest[records[position]["person_id"]] = records[position]
                position += 1
            result.append((deal, band_of(list(latest.values()))))
    return result


def wilson_upper(won: int, closed: int, z: float = 1.96) -> float:
    share = won / closed
    centre = share + z * z / (2 * closed)
    spread = z * math.sqrt(share * (1 - share) / closed + z * z / (4 * closed * closed))
    return (centre + spread) / (1 + z * z / closed)


# --- determinism ------------------------------------------------------------------------------

def test_same_inputs_give_the_same_bundle(small: Bundle) -> None:
    again = generate(scale=0.1, seed=7, end=END)
    assert json.dumps(again, ensure_ascii=False) == json.dumps(small, ensure_ascii=False)


def test_another_seed_gives_another_bundle(small: Bundle) -> None:
    other = generate(scale=0.1, seed=8, end=END)
    assert json.dumps(other) != json.dumps(small)


def test_rejects_a_scale_that_is_not_positive() -> None:
    with pytest.raises(ValueError):
        generate(scale=0, end=END)


# --- shape and sizes --------------------------------------------------------------------------

def test_every_key_and_field_is_present(bundle: Bundle) -> None:
    assert set(bundle) == set(FIELDS)
    for key, rows in bundle.items():
        assert rows, key
        assert all(set(row) == FIELDS[key] for row in rows), key


@pytest.mark.parametrize(("figure", "expected"), [
    ("accounts", 1_000), ("key_persons", 20_000), ("employees", 500),
    ("opportunities", 5_000), ("relationships", 100_000),
])
def test_scale_1_matches_design_sizes(bundle: Bundle, figure: str, expected: int) -> None:
    sizes = {**table_sizes(bundle), "relationships": relationship_count(bundle)}
    assert abs(sizes[figure] - expected) <= expected * 0.1


def test_sizes_scale_linearly(bundle: Bundle, small: Bundle) -> None:
    big, little = table_sizes(bundle), table_sizes(small)
    for key in ("accounts", "employees", "opportunities"):
        assert little[key] == big[key] // 10
    assert abs(little["key_persons"] * 10 - big["key_persons"]) <= big["key_persons"] * 0.15
    assert abs(relationship_count(small) * 10 - relationship_count(bundle)) <= 15_000


def test_a_tiny_scale_still_has_every_role() -> None:
    tiny = generate(scale=0.01, end=END)
    assert len(tiny["accounts"]) >= 3
    roles = {row["role"] for row in tiny["employees"]}
    assert roles == {"rep", "manager", "executive", "data", "admin"}
    check_references(tiny, Index(tiny))


# --- referential integrity --------------------------------------------------------------------

def test_ids_are_unique_and_formatted(bundle: Bundle) -> None:
    prefixes = {"accounts": ("A", 6), "departments": ("D", 7), "key_persons": ("P", 8),
                "employees": ("E", 6), "opportunities": ("O", 7), "activities": ("ACT", 10)}
    for key, (prefix, length) in prefixes.items():
        ids = [row["id"] for row in bundle[key]]
        assert len(set(ids)) == len(ids), key
        assert all(i.startswith(prefix) and len(i) == length for i in ids), key


def test_references_point_to_rows_of_the_right_table(bundle: Bundle, index: Index) -> None:
    check_references(bundle, index)


def check_references(bundle: Bundle, index: Index) -> None:
    for row in bundle["departments"]:
        assert row["account_id"] in index.accounts
        if row["parent_id"] is not None:
            assert index.departments[row["parent_id"]]["account_id"] == row["account_id"]
    for pid, row in index.persons.items():
        assert row["department_id"] in index.departments
        if row["reports_to"] is not None:
            assert index.account_of_person[row["reports_to"]] == index.account_of_person[pid]
    for row in bundle["employees"]:
        assert row["manager_id"] is None or row["manager_id"] in index.employees
    for row in bundle["account_teams"]:
        assert row["employee_id"] in index.employees and row["account_id"] in index.accounts
    for row in bundle["influences"]:
        assert row["to"] in index.persons
        if row["from"] in index.persons:
            assert index.account_of_person[row["from"]] == index.account_of_person[row["to"]]
        else:
            assert row["from"] in index.employees
    for row in bundle["knows"]:
        assert row["employee_id"] in index.employees and row["person_id"] in index.persons
    for row in bundle["score_history"]:
        assert row["person_id"] in index.persons
    check_opportunity_references(bundle, index)
    check_activity_references(bundle, index)


def check_opportunity_references(bundle: Bundle, index: Index) -> None:
    influencers: dict[str, set[str]] = defaultdict(set)
    for row in bundle["influences"]:
        if row["from"] in index.employees:
            influencers[index.account_of_person[row["to"]]].add(row["from"])
    for deal in bundle["opportunities"]:
        account_id = deal["account_id"]
        assert account_id in index.accounts
        assert deal["involves"]
        assert all(index.account_of_person[i["person_id"]] == account_id for i in deal["involves"])
        assert set(deal["used_influence"]) <= influencers[account_id]
        assert not deal["used_influence"] or deal["status"] == "won"


def check_activity_references(bundle: Bundle, index: Index) -> None:
    team = {(row["employee_id"], row["account_id"]) for row in bundle["account_teams"]}
    for activity in bundle["activities"]:
        accounts = {index.account_of_person[pid] for pid in activity["person_ids"]}
        assert len(accounts) == 1
        assert (activity["employee_id"], accounts.pop()) in team


def test_everyone_but_the_top_executive_has_a_manager(bundle: Bundle, index: Index) -> None:
    tops = [row for row in bundle["employees"] if row["manager_id"] is None]
    assert [row["role"] for row in tops] == ["executive"]
    for row in bundle["employees"]:
        seen = set()
        while row["manager_id"] is not None:
            assert row["id"] not in seen, "management cycle"
            seen.add(row["id"])
            row = index.employees[row["manager_id"]]
    assert Counter(row["role"] for row in bundle["employees"]).most_common(1)[0][0] == "rep"


def test_each_account_has_one_owner_who_is_a_rep(bundle: Bundle, index: Index) -> None:
    owners = Counter(row["account_id"] for row in bundle["account_teams"] if row["role"] == "owner")
    assert set(owners) == set(index.accounts) and set(owners.values()) == {1}
    for row in bundle["account_teams"]:
        if row["role"] == "owner":
            assert index.employees[row["employee_id"]]["role"] == "rep"
    members = Counter(row["account_id"] for row in bundle["account_teams"] if row["role"] == "member")
    assert max(members.values()) <= 3


def test_a_rep_owns_a_handful_of_key_accounts(bundle: Bundle, index: Index) -> None:
    owned = Counter(row["employee_id"] for row in bundle["account_teams"]
                    if row["role"] == "owner" and index.accounts[row["account_id"]]["tier"] == "key")
    assert 3 <= sum(owned.values()) / len(owned) <= 8
    assert max(owned.values()) <= 12


def test_departments_form_small_trees(bundle: Bundle, index: Index) -> None:
    top_level = Counter(row["account_id"] for row in bundle["departments"] if row["parent_id"] is None)
    assert set(top_level) == set(index.accounts)
    assert min(top_level.values()) >= 3 and max(top_level.values()) <= 8
    for row in bundle["departments"]:
        if row["parent_id"] is not None:
            assert index.departments[row["parent_id"]]["parent_id"] is None


def test_each_customer_has_one_formal_head(index: Index) -> None:
    for account_id, persons in index.persons_of_account.items():
        assert 5 <= len(persons) <= 40, account_id
        assert sum(person["reports_to"] is None for person in persons) == 1, account_id


# --- realism ----------------------------------------------------------------------------------

def test_names_are_chinese_and_accounts_unique(bundle: Bundle) -> None:
    names = [row["name"] for row in bundle["accounts"]]
    assert len(set(names)) == len(names)
    for key in ("accounts", "key_persons", "employees"):
        for row in bundle[key]:
            assert all("\u4e00" <= char <= "\u9fff" for char in row["name"]), row["name"]


def test_key_accounts_have_a_veto_holder_and_an_approver(index: Index) -> None:
    key = [a for a, row in index.accounts.items() if row["tier"] == "key"]
    complete = [a for a in key
                if {"veto", "approver"} <= {p["decision_role"] for p in index.persons_of_account[a]}]
    assert len(complete) >= 0.95 * len(key)


def test_some_maps_miss_persons(index: Index) -> None:
    short = [a for a, row in index.accounts.items()
             if len(index.persons_of_account[a]) < row["expected_key_persons"]]
    assert 0.15 * len(index.accounts) <= len(short) <= 0.6 * len(index.accounts)


def test_about_a_tenth_of_key_persons_have_an_unknown_score(index: Index) -> None:
    key_persons = [p for a, row in index.accounts.items() if row["tier"] == "key"
                   for p in index.persons_of_account[a]]
    unknown = [p for p in key_persons if any(p[d] is None for d in DIMENSIONS)]
    assert 0.05 <= len(unknown) / len(key_persons) <= 0.18


def test_every_band_occurs_among_key_accounts(index: Index) -> None:
    bands = Counter(band_of(index.persons_of_account[a])
                    for a, row in index.accounts.items() if row["tier"] == "key")
    assert set(bands) == {"excellent", "good", "poor", "unknown"}
    assert bands["unknown"] < bands["excellent"] < bands["poor"]


def test_last_history_record_is_the_current_score(bundle: Bundle, index: Index) -> None:
    latest: dict[str, dict[str, Any]] = {}
    for row in bundle["score_history"]:
        previous = latest.get(row["person_id"])
        assert previous is None or previous["at"] < row["at"]
        latest[row["person_id"]] = row
    for pid, person in index.persons.items():
        record = latest.get(pid)
        if record is None:
            assert person["scored_at"] is None
            assert all(person[d] is None for d in DIMENSIONS)
        else:
            assert person["scored_at"] == record["at"]
            assert all(person[d] == record[d] for d in DIMENSIONS)


def test_history_is_monthly_within_24_months(bundle: Bundle) -> None:
    months: dict[str, list[str]] = defaultdict(list)
    for row in bundle["score_history"]:
        assert HISTORY_START <= row["at"] <= END.isoformat()
        assert all(row[d] is None or 0 <= row[d] <= 100 for d in DIMENSIONS)
        months[row["person_id"]].append(row["at"][:7])
    assert all(len(set(seen)) == len(seen) for seen in months.values())
    per_person = len(bundle["score_history"]) / len(months)
    assert 4 <= per_person <= 10  # a first record and about a quarter of the other 23 months


def test_opportunity_dates_and_status_agree(bundle: Bundle) -> None:
    for deal in bundle["opportunities"]:
        assert HISTORY_START <= deal["created_at"] <= END.isoformat()
        if deal["status"] == "open":
            assert deal["closed_at"] is None
        else:
            assert deal["created_at"] <= deal["closed_at"] <= END.isoformat()
    qualified = sum(deal["qualified"] for deal in bundle["opportunities"])
    assert 0.4 <= qualified / len(bundle["opportunities"]) <= 0.6


def test_win_rate_rises_with_the_band_at_close(bundle: Bundle, index: Index) -> None:
    closed: Counter[str] = Counter()
    won: Counter[str] = Counter()
    for deal, band in bands_at_close(bundle, index):
        closed[band] += 1
        won[band] += deal["status"] == "won"
    rate = {band: won[band] / closed[band] for band in closed}
    assert rate["excellent"] > rate["good"] > rate["poor"]
    assert rate["poor"] < 0.35 and 0.45 <= rate["good"] <= 0.65 and rate["excellent"] >= 0.65


def test_some_accounts_scores_are_not_credible(bundle: Bundle, index: Index) -> None:
    expected_min = {"good": 0.5, "excellent": 0.7}
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    bands: dict[str, set[str]] = defaultdict(set)
    for deal, band in bands_at_close(bundle, index):
        if band in expected_min:
            tally[deal["account_id"]][0] += 1
            tally[deal["account_id"]][1] += deal["status"] == "won"
            bands[deal["account_id"]].add(band)
    doubtful = [a for a, (closed, won) in tally.items()
                if closed >= 3
                and wilson_upper(won, closed) < min(expected_min[b] for b in bands[a])]
    assert 3 <= len(doubtful) <= 40


def test_employee_influence_is_rarer_than_knowing(bundle: Bundle, index: Index) -> None:
    from_employees = [row for row in bundle["influences"] if row["from"] in index.employees]
    assert 0 < len(from_employees) < len(bundle["knows"])
    influenced = {row["to"] for row in from_employees}
    assert 0.1 <= len(influenced) / len(index.persons) <= 0.4
    mean = sum(row["strength"] for row in from_employees) / len(from_employees)
    assert mean > sum(row["strength"] for row in bundle["knows"]) / len(bundle["knows"])
