"""The figures of docs/method.md: an account's relationship map quantified, as of any day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from graphbrm.vocabulary import DIMENSIONS

Band = Literal["excellent", "good", "poor", "unknown"]
BANDS: tuple[Band, ...] = ("excellent", "good", "poor", "unknown")
PersonStatus = Literal["opposes", "unclear", "ok", "unknown"]


@dataclass(frozen=True)
class Thresholds:
    """Score thresholds (settings): good = 60, excellent = 80 by default."""

    good: int = 60
    excellent: int = 80


class Targets(BaseModel):
    """The relationship targets (settings): 50 % of accounts excellent, 90 % good or better."""

    share_excellent: float = 0.5
    share_good_or_better: float = 0.9


class Averages(BaseModel):
    closeness: float | None = None
    solution_acceptance: float | None = None
    price_acceptance: float | None = None

    def values(self) -> list[float | None]:
        return [getattr(self, d) for d in DIMENSIONS]


class AccountFigures(BaseModel):
    """One relationship map quantified (docs/method.md, account fields)."""

    id: str
    name: str
    industry: str | None = None
    region: str | None = None
    tier: str
    band: Band
    identified: int
    expected: int
    missing: int
    unknown: int
    averages: Averages


def band(averages: Averages, t: Thresholds) -> Band:
    """unknown if any average is null; excellent if all ≥ excellent; good if all ≥ good."""
    values = averages.values()
    if any(v is None for v in values):
        return "unknown"
    if all(v >= t.excellent for v in values if v is not None):
        return "excellent"
    if all(v >= t.good for v in values if v is not None):
        return "good"
    return "poor"


def person_status(scores: dict[str, Any], decision_role: str | None, t: Thresholds) -> PersonStatus:
    """opposes: a known dimension < good; unclear: a veto/approver with an unknown dimension."""
    values = [scores.get(d) for d in DIMENSIONS]
    if any(v is not None and v < t.good for v in values):
        return "opposes"
    if any(v is None for v in values):
        return "unclear" if decision_role in ("veto", "approver") else "unknown"
    return "ok"


def cut(as_of: dt.date) -> str:
    """The `$cut` parameter: values recorded before the start of the next day count."""
    return (as_of + dt.timedelta(days=1)).isoformat()


def figures_from_row(row: dict[str, Any], t: Thresholds) -> AccountFigures:
    """An account_figures.cypher row as AccountFigures."""
    averages = Averages(**{d: row[d] for d in DIMENSIONS})
    expected = row["expected"] or 0
    return AccountFigures(
        id=row["id"], name=row["name"], industry=row["industry"], region=row["region"],
        tier=row["tier"] or "", band=band(averages, t), identified=row["identified"],
        expected=expected, missing=max(0, expected - row["identified"]), unknown=row["unknown"],
        averages=averages)
