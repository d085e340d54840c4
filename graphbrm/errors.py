"""The few domain errors; the store translates driver errors into them, `api/` maps them to HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class GraphbrmError(Exception):
    """Base of graphbrm's own errors."""


class NotFound(GraphbrmError):
    """The object does not exist, or the caller may not see it (the two look the same)."""


class Conflict(GraphbrmError):
    """The write clashes with what is stored (e.g. a duplicate id)."""


class Forbidden(GraphbrmError):
    """The caller's role may not do this at all."""


class Unauthorized(GraphbrmError):
    """No valid credentials."""


class StoreUnavailable(GraphbrmError):
    """The graph store cannot be reached or started."""


class TooLarge(GraphbrmError):
    """The input is bigger than a configured limit allows (the message names the setting)."""


class CannotServe(GraphbrmError):
    """The service cannot listen where it was asked to (the port is taken, the address not ours)."""


@dataclass
class Problem:
    """One bad value: where it is and why it is wrong."""

    table: str
    row: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.table
        if self.row is not None:
            where += f" row {self.row}"
        if self.field:
            where += f" field {self.field}"
        return f"{where}: {self.reason}"


@dataclass
class InvalidInput(GraphbrmError):
    """The input was rejected; nothing was written. Carries every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        shown = "; ".join(str(p) for p in self.problems[:20])
        more = len(self.problems) - 20
        return shown + (f"; and {more} more" if more > 0 else "")

    def as_dicts(self) -> list[dict[str, Any]]:
        return [p.__dict__ for p in self.problems]
