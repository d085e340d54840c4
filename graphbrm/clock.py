"""The one clock: instants are read here (in UTC) and days taken in the company's time zone.

Stored instants (`Score.at`, `recorded_at`, `created_at`) are UTC without an offset; every
record that belongs to a day also stores that day (`Score.day`, `Activity.day`,
`Opportunity.created_day`/`closed_day`, a tie's `since_day`) as YYYY-MM-DD in the company's
zone at the time it was written, and queries compare days with days. Tests freeze `now`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")


def now() -> dt.datetime:
    """The current instant, timezone-aware in UTC (the only place graphbrm reads the time)."""
    return dt.datetime.now(dt.UTC)


def utc_stamp(moment: dt.datetime | None = None) -> str:
    """An instant as stored: ISO 8601 in UTC with microseconds and no offset."""
    instant = (moment or now()).astimezone(dt.UTC).replace(tzinfo=None)
    return instant.isoformat(timespec="microseconds")


def today(zone: ZoneInfo) -> dt.date:
    """The company's current day: now, in its time zone."""
    return now().astimezone(zone).date()


def as_utc(text: str) -> str:
    """A date stays a date; a date-time with an offset becomes UTC without one (so stored
    instants compare as text); one without an offset is already UTC."""
    if len(text) == 10:
        return text
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat()


def day_of(value: str, zone: ZoneInfo) -> str:
    """The company day (YYYY-MM-DD) a stored value belongs to: a date is that day; a date-time
    without an offset is a UTC instant, taken in the company's zone."""
    if len(value) == 10:
        return dt.date.fromisoformat(value).isoformat()
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).date().isoformat()


def optional_day(value: str | None, zone: ZoneInfo) -> str | None:
    """`day_of` for a value that may be absent."""
    return None if value is None else day_of(value, zone)
