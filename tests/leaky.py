"""A small company whose ties cross account boundaries, for the scoping tests.

Two lines under the executive X0, and one employee shared by both:

    X0 (executive) ← M1 (manager) ← R1 (rep, owns V1), R2 (rep, owns V2)
    X0 ← M2 (manager) ← R3 (rep, owns HIDDEN-A)
    X0 ← S1 (rep, a member of the teams of V1 *and* HIDDEN-A)
    X0 ← D0 (data), AD (admin)

So R1 sees V1; M1 sees V1 and V2; X0, D0 and AD see all three. Nobody in M1's line may see
anything of HIDDEN-A, by id or by name (`HIDDEN_MARKERS`), even though its people are tied to
V1's: HIDDEN-P1 influences V1's veto holder VP1, VP2 influences HIDDEN-P2, R1 knows HIDDEN-P2,
a deal of V1 involves HIDDEN-P1 and an activity of S1 was with VP1 and HIDDEN-P1 together.
HIDDEN-P3 (scores unknown) reports to HIDDEN-P2 and R3's influence is on record for
HIDDEN-O, so that every scoped query has something hidden to return to those who see all.
Our own employees are not customer data: every role may see every employee (R3 and S1 too).

The reach paths to VP1 (veto, price 40 → opposes), strength = product of strengths ÷ 100:
    R3 → HIDDEN-P1 → VP1   0.8 × 0.9 = 0.72   (through a hidden person)
    S1 → HIDDEN-P1 → VP1   0.7 × 0.9 = 0.63   (through a hidden person)
    S1 → VP1               0.30
    R1 → VP2 → VP1         0.6 × 0.5 = 0.30   (2 hops: after S1 → VP1)
    R3 → VP2 → VP1         0.4 × 0.5 = 0.20
Every first hop differs, so all five are "first" paths and rank by strength, then hops.
"""

from __future__ import annotations

from typing import Any

HIDDEN_MARKERS = ("HIDDEN", "暗河")

ALL_PATHS_TO_VP1: list[dict[str, Any]] = [
    {"strength": 0.72, "nodes": ["R3", "HIDDEN-P1", "VP1"], "names": ["外线代表", "暗河甲", "钱进"]},
    {"strength": 0.63, "nodes": ["S1", "HIDDEN-P1", "VP1"], "names": ["共享工程师", "暗河甲", "钱进"]},
    {"strength": 0.3, "nodes": ["S1", "VP1"], "names": ["共享工程师", "钱进"]},
    {"strength": 0.3, "nodes": ["R1", "VP2", "VP1"], "names": ["李可见", "孙敏", "钱进"]},
    {"strength": 0.2, "nodes": ["R3", "VP2", "VP1"], "names": ["外线代表", "孙敏", "钱进"]},
]
VISIBLE_PATHS_TO_VP1 = [p for p in ALL_PATHS_TO_VP1 if "HIDDEN-P1" not in p["nodes"]]

# Who holds each role's token, and which accounts each one may see.
HOLDERS = {"rep": "R1", "manager": "M1", "executive": "X0", "data": "D0", "admin": "AD"}
SEES = {"rep": ["V1"], "manager": ["V1", "V2"], "executive": ["HIDDEN-A", "V1", "V2"],
        "data": ["HIDDEN-A", "V1", "V2"], "admin": ["HIDDEN-A", "V1", "V2"]}
ROLES = ("rep", "manager", "executive", "data", "admin")
SCOPED = ("rep", "manager")
SEES_ALL = ("executive", "data", "admin")


def leaky_bundle() -> dict[str, list[dict[str, Any]]]:
    """The company described in the module docstring."""
    return {
        "accounts": [
            {"id": "V1", "name": "明光电子", "region": "华东", "tier": "key",
             "expected_key_persons": 2},
            {"id": "V2", "name": "青松物流", "region": "华东", "tier": "key",
             "expected_key_persons": 1},
            {"id": "HIDDEN-A", "name": "暗河集团", "region": "西南", "tier": "key",
             "expected_key_persons": 2},
        ],
        "departments": [
            {"id": "VD1", "account_id": "V1", "name": "总经办"},
            {"id": "VD2", "account_id": "V2", "name": "采购部"},
            {"id": "HIDDEN-D", "account_id": "HIDDEN-A", "name": "暗河采购部"},
        ],
        "key_persons": [
            {"id": "VP1", "department_id": "VD1", "name": "钱进", "decision_role": "veto",
             "closeness": 70, "solution_acceptance": 70, "price_acceptance": 40,
             "scored_at": "2026-10-01"},
            {"id": "VP2", "department_id": "VD1", "name": "孙敏", "decision_role": "approver",
             "closeness": 80, "solution_acceptance": 80, "price_acceptance": 80,
             "scored_at": "2026-10-01"},
            {"id": "VP3", "department_id": "VD2", "name": "周平", "decision_role": "veto",
             "closeness": 65, "solution_acceptance": 65, "price_acceptance": 65,
             "scored_at": "2026-10-01"},
            {"id": "HIDDEN-P1", "department_id": "HIDDEN-D", "name": "暗河甲",
             "decision_role": "influencer", "closeness": 50, "solution_acceptance": 50,
             "price_acceptance": 50, "scored_at": "2026-10-01"},
            {"id": "HIDDEN-P2", "department_id": "HIDDEN-D", "name": "暗河乙",
             "decision_role": "veto", "closeness": 30, "solution_acceptance": 30,
             "price_acceptance": 30, "scored_at": "2026-10-01"},
            {"id": "HIDDEN-P3", "department_id": "HIDDEN-D", "name": "暗河丙",
             "decision_role": "user", "reports_to": "HIDDEN-P2"},
        ],
        "employees": [
            {"id": "X0", "name": "总裁", "role": "executive"},
            {"id": "M1", "name": "东区经理", "role": "manager", "manager_id": "X0"},
            {"id": "R1", "name": "李可见", "role": "rep", "manager_id": "M1"},
            {"id": "R2", "name": "王二", "role": "rep", "manager_id": "M1"},
            {"id": "M2", "name": "西区经理", "role": "manager", "manager_id": "X0"},
            {"id": "R3", "name": "外线代表", "role": "rep", "manager_id": "M2"},
            {"id": "S1", "name": "共享工程师", "role": "rep", "manager_id": "X0"},
            {"id": "D0", "name": "数据分析师", "role": "data", "manager_id": "X0"},
            {"id": "AD", "name": "管理员", "role": "admin", "manager_id": "X0"},
        ],
        "account_teams": [
            {"employee_id": "R1", "account_id": "V1", "role": "owner"},
            {"employee_id": "S1", "account_id": "V1", "role": "member"},
            {"employee_id": "R2", "account_id": "V2", "role": "owner"},
            {"employee_id": "R3", "account_id": "HIDDEN-A", "role": "owner"},
            {"employee_id": "S1", "account_id": "HIDDEN-A", "role": "member"},
        ],
        "influences": [
            {"from": "R3", "to": "HIDDEN-P1", "strength": 80},
            {"from": "S1", "to": "HIDDEN-P1", "strength": 70},
            {"from": "HIDDEN-P1", "to": "VP1", "strength": 90},
            {"from": "R1", "to": "VP2", "strength": 60},
            {"from": "VP2", "to": "VP1", "strength": 50},
            {"from": "VP2", "to": "HIDDEN-P2", "strength": 40},
            {"from": "R2", "to": "VP3", "strength": 70},
        ],
        "knows": [
            {"employee_id": "S1", "person_id": "VP1", "strength": 30},
            {"employee_id": "R3", "person_id": "VP2", "strength": 40},
            {"employee_id": "R1", "person_id": "HIDDEN-P2", "strength": 20},
        ],
        "opportunities": [
            {"id": "OV1", "account_id": "V1", "name": "明光一期", "amount": 100000,
             "status": "won", "stage": "won", "qualified": True, "created_at": "2026-01-10",
             "closed_at": "2026-06-30", "used_influence": ["S1"],
             "involves": [{"person_id": "VP1", "role": "decision"},
                          {"person_id": "HIDDEN-P1", "role": "evaluation"}]},
            {"id": "HIDDEN-O", "account_id": "HIDDEN-A", "name": "暗河项目", "amount": 50000,
             "status": "open", "qualified": True, "created_at": "2026-03-01",
             "used_influence": ["R3"]},
        ],
        "activities": [
            {"id": "ACT-V", "employee_id": "S1", "kind": "optional", "type": "联合拜访",
             "at": "2026-11-20", "person_ids": ["VP1", "HIDDEN-P1"]},
            {"id": "HIDDEN-ACT", "employee_id": "R3", "kind": "optional", "type": "拜访",
             "at": "2026-11-21", "note": "暗河", "person_ids": ["HIDDEN-P2"]},
        ],
    }
