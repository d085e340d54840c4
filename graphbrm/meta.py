"""What the web UI needs to know of the settings and the vocabulary, so it keeps no copies:
the score thresholds, the yearly targets and the words a key person is described with."""

from __future__ import annotations

from typing import get_args

from pydantic import BaseModel

from graphbrm.figures import BANDS, PersonStatus, Targets, Thresholds
from graphbrm.vocabulary import BLOCKING_ROLES, DIMENSIONS, DecisionRole

# Worst first: the order in which a list of key persons puts them.
STATUS_ORDER: tuple[PersonStatus, ...] = ("opposes", "unclear", "unknown", "ok")


class ThresholdsOut(BaseModel):
    """A score below `good` is weak (a person with one opposes us); all averages at or above
    `excellent` make an excellent relationship."""

    good: int
    excellent: int


class Meta(BaseModel):
    thresholds: ThresholdsOut
    targets: Targets
    dimensions: list[str]
    decision_roles: list[str]
    # Decision roles whose opposition, or unknown attitude, blocks a deal.
    blocking_roles: list[str]
    # A key person's relationship status, worst first (STATUS_ORDER).
    statuses: list[str]
    bands: list[str]
    # The company's time zone: the one "today" is taken in.
    timezone: str


def meta(*, thresholds: Thresholds, targets: Targets, timezone: str) -> Meta:
    """The thresholds and targets in force and the vocabulary, in the order the UI lists them."""
    return Meta(thresholds=ThresholdsOut(good=thresholds.good, excellent=thresholds.excellent),
                targets=targets, dimensions=list(DIMENSIONS),
                decision_roles=list(get_args(DecisionRole)), blocking_roles=list(BLOCKING_ROLES),
                statuses=list(STATUS_ORDER), bands=list(BANDS), timezone=timezone)
