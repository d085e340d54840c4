"""The calendar of the generated history: 24 calendar months ending on the last day of history."""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

HISTORY_MONTHS = 24


@dataclass(frozen=True, slots=True)
class HistoryCalendar:
    """The days of each history month; month 0 is the oldest, the last one ends at `end`."""

    end: date
    month_days: tuple[tuple[date, ...], ...]

    @property
    def start(self) -> date:
        """The first day of history."""
        return self.month_days[0][0]

    @property
    def last_month(self) -> int:
        """The index of the month holding `end`."""
        return len(self.month_days) - 1

    def day_in_month(self, rng: random.Random, month: int) -> date:
        """A random day of history month `month`."""
        days = self.month_days[month]
        return days[int(rng.random() * len(days))]  # cheaper than rng.choice in the hot loop

    def day_between(self, rng: random.Random, first: date, last: date) -> date:
        """A random day from `first` to `last`, both included."""
        return first + timedelta(days=rng.randint(0, (last - first).days))

    def day_before_history(self, rng: random.Random, *, max_years: int) -> date:
        """A random day in the `max_years` years before history starts."""
        return self.start - timedelta(days=rng.randint(1, 365 * max_years))


def history_calendar(end: date) -> HistoryCalendar:
    """The calendar of the HISTORY_MONTHS calendar months up to and including `end`."""
    months = []
    for back in range(HISTORY_MONTHS - 1, -1, -1):
        year, month = _shift_month(end.year, end.month, -back)
        last_day = end.day if back == 0 else calendar.monthrange(year, month)[1]
        months.append(tuple(date(year, month, day) for day in range(1, last_day + 1)))
    return HistoryCalendar(end=end, month_days=tuple(months))


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


@cache
def iso(day: date) -> str:
    """ISO text of a day; cached so that a large bundle shares one string per day."""
    return day.isoformat()
