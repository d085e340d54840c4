"""Who is asking, and which accounts they may see: every account query takes `$all, $visible`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphbrm.errors import NotFound
from graphbrm.store import QueryRow, Store
from graphbrm.vocabulary import EmployeeRole

# A viewer signs in with the role the company gives the employee.
Role = EmployeeRole
SEES_ALL: frozenset[str] = frozenset({"executive", "data", "admin"})


@dataclass(frozen=True)
class Viewer:
    """The caller: an employee with a role, or the local operator (CLI) who sees everything."""

    employee_id: str | None
    role: Role

    @classmethod
    def operator(cls) -> Viewer:
        """The local operator of the CLI and of a deployment without sign-in."""
        return cls(employee_id=None, role="admin")

    @property
    def sees_all(self) -> bool:
        return self.role in SEES_ALL


def visibility(store: Store, viewer: Viewer) -> dict[str, Any]:
    """The `$all` and `$visible` parameters that every account-scoped query filters on."""
    if viewer.sees_all:
        return {"all": True, "visible": []}
    rows = store.read("access/visible_account_ids", employee_id=viewer.employee_id)
    return {"all": False, "visible": rows[0]["ids"] if rows else []}


def require_visible_employee(store: Store, *, viewer: Viewer, employee_id: str) -> QueryRow:
    """The employee, if the viewer is them, above them in the line, or sees all; else NotFound."""
    rows = store.read("daily/find_employee", employee_id=employee_id)
    if not rows or not (viewer.sees_all or viewer.employee_id in rows[0]["chain"]):
        raise NotFound(f"employee {employee_id!r}")
    return rows[0]


def line_of(store: Store, *, employee_id: str) -> list[str]:
    """The employee and everyone who reports to them, at any depth."""
    rows = store.read("daily/line_employee_ids", employee_id=employee_id)
    return list(rows[0]["ids"]) if rows else []
