"""Values every store and every JSON answer can carry: days in a sane range, text without NUL or
lone surrogates, finite numbers. Both stores and the API refuse the rest the same way."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import Field

# Years outside these make date arithmetic overflow (9999-12-31 + 1 day, 0001-01-01 with an
# offset) and are never a real business day; one range for every date the service accepts.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)

Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
"""A date field or `as_of` query parameter: a day from 1900-01-01 to 2200-12-31."""

Path = tuple[str | int, ...]


def check_in_range(moment: dt.date) -> None:
    """ValueError for a date or date-time outside FIRST_DAY..LAST_DAY (its own calendar day)."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{moment.isoformat()} is outside {FIRST_DAY} to {LAST_DAY}")


def unkeepable(value: Any, at: Path = ()) -> Iterator[tuple[Path, str]]:
    """Where in a parsed JSON value there is something no store keeps, and why: a NUL (the
    FalkorDB client ends the query text there), a lone surrogate (not UTF-8), or NaN, an
    infinity or a number too large for a double (JSON has none of them)."""
    if isinstance(value, str):
        if "\x00" in value:
            yield at, "NUL characters (\\u0000) are not accepted"
        elif _has_lone_surrogate(value):
            yield at, "lone surrogates (\\ud800-\\udfff) are not text"
    elif isinstance(value, float):
        if not math.isfinite(value):
            yield at, "numbers must be finite (no NaN, Infinity or beyond ±1.8e308)"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unkeepable(key, at)
            yield from unkeepable(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unkeepable(item, (*at, index))


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
