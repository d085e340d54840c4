"""A small hand-made company whose figures are worked out by hand in the tests."""

from __future__ import annotations

from typing import Any


def small_bundle() -> dict[str, list[dict[str, Any]]]:
    """Two key accounts and one standard account; see the comments for the expected figures."""
    return {
        "accounts": [
            # A1: 4 persons, expects 5 → missing 1; P4 unknown in price → unknown 1.
            {"id": "A1", "name": "华东精密机械", "industry": "制造", "region": "华东",
             "tier": "key", "expected_key_persons": 5},
            # A2: no key persons at all → band unknown.
            {"id": "A2", "name": "Northwind Trading", "industry": "Retail", "region": "华南",
             "tier": "key", "expected_key_persons": 3},
            {"id": "A3", "name": "小客户", "region": "华北", "tier": "standard",
             "expected_key_persons": 0},
        ],
        "departments": [
            {"id": "D1", "account_id": "A1", "name": "总经办"},
            {"id": "D2", "account_id": "A1", "name": "信息技术部"},
            {"id": "D3", "account_id": "A1", "name": "基础架构组", "parent_id": "D2"},
            {"id": "D9", "account_id": "A3", "name": "采购部"},
        ],
        "key_persons": [
            {"id": "P1", "department_id": "D1", "name": "王建国", "title": "总经理",
             "decision_role": "veto", "closeness": 80, "solution_acceptance": 60,
             "price_acceptance": 59, "scored_at": "2026-10-01"},
            {"id": "P2", "department_id": "D2", "name": "李晓梅", "title": "IT总监",
             "decision_role": "approver", "closeness": 90, "solution_acceptance": 80,
             "price_acceptance": 80, "scored_at": "2026-10-01", "reports_to": "P1"},
            {"id": "P3", "department_id": "D3", "name": "张伟", "title": "架构师",
             "decision_role": "evaluator", "closeness": 70, "solution_acceptance": 100,
             "price_acceptance": 61, "scored_at": "2026-10-01", "reports_to": "P2"},
            {"id": "P4", "department_id": "D3", "name": "Chen Jing", "title": "Engineer",
             "decision_role": "user", "closeness": 40, "solution_acceptance": 60,
             "price_acceptance": None, "scored_at": "2026-10-01", "reports_to": "P3"},
            {"id": "P9", "department_id": "D9", "name": "赵六", "decision_role": "other",
             "closeness": 50, "solution_acceptance": 50, "price_acceptance": 50,
             "scored_at": "2026-10-01"},
        ],
        "employees": [
            {"id": "E1", "name": "刘总", "title": "销售总监", "role": "manager"},
            {"id": "E2", "name": "孙丽", "title": "大客户经理", "role": "rep", "manager_id": "E1"},
            {"id": "E3", "name": "周强", "title": "销售代表", "role": "rep", "manager_id": "E1"},
        ],
        "account_teams": [
            {"employee_id": "E2", "account_id": "A1", "role": "owner"},
            {"employee_id": "E3", "account_id": "A2", "role": "owner"},
            {"employee_id": "E3", "account_id": "A3", "role": "owner"},
        ],
        "influences": [
            {"from": "E2", "to": "P3", "strength": 80, "since": "2025-03-01"},
            {"from": "P3", "to": "P2", "strength": 50},
            {"from": "P2", "to": "P1", "strength": 90},
        ],
        "knows": [{"employee_id": "E3", "person_id": "P1", "strength": 20, "since": "2026-01-10"}],
        "opportunities": [
            {"id": "O1", "account_id": "A1", "name": "MES 升级", "amount": 1200000,
             "currency": "CNY", "stage": "won", "status": "won", "qualified": True,
             "created_at": "2026-01-05", "closed_at": "2026-06-30", "used_influence": ["E2"],
             "involves": [{"person_id": "P1", "role": "decision"},
                          {"person_id": "P3", "role": "evaluation"}]},
            {"id": "O2", "account_id": "A1", "name": "数据中心扩容", "amount": 300000,
             "currency": "CNY", "stage": "lost", "status": "lost", "qualified": False,
             "created_at": "2026-02-01", "closed_at": "2026-08-15"},
        ],
        "score_history": [
            {"person_id": "P1", "at": "2025-11-01", "closeness": 50, "solution_acceptance": 50,
             "price_acceptance": 50},
            {"person_id": "P2", "at": "2025-11-01", "closeness": 60, "solution_acceptance": None,
             "price_acceptance": 70},
        ],
        "activities": [
            {"id": "ACT1", "employee_id": "E2", "kind": "prescribed", "type": "客户参观成功案例",
             "at": "2026-11-20", "note": "参观苏州工厂", "person_ids": ["P2", "P3"]},
        ],
    }
