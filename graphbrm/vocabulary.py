"""The words of the model that every layer shares: ids, texts, scores and their dimensions, the
decision roles of key persons and the roles of employees.

The import bundle, the domain and the API all check values against these types, so an id or a
score means the same wherever it arrives.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

# No control characters, and no '/': an id is a segment of the API's URLs.
Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f/]+$")]
# The FalkorDB client cannot carry a NUL; refusing it here keeps a bad bundle from being
# half-written.
Text = Annotated[str, Field(max_length=2000, pattern=r"^[^\x00]*$")]
Name = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00]*$")]
Score = Annotated[int | None, Field(ge=0, le=100)]
Strength = Annotated[int, Field(ge=0, le=100)]
DecisionRole = Literal["veto", "approver", "decision_maker", "influencer", "evaluator", "user",
                       "coach", "other"]
EmployeeRole = Literal["rep", "manager", "executive", "data", "admin"]
DIMENSIONS = ("closeness", "solution_acceptance", "price_acceptance")
# 一票否决人 and 一票批准人: one of them opposing or unclear blocks the deal (listed in this order).
BLOCKING_ROLES: tuple[DecisionRole, ...] = ("veto", "approver")
