"""Score histories of key persons, drifting per account, and the account bands they imply."""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter, truediv

from graphbrm.seed.customers import DEPUTY, TOP, Account, KeyPerson, ScoreRecord
from graphbrm.seed.dates import HistoryCalendar
from graphbrm.seed.draw import Weighted, pick

GOOD, EXCELLENT = 60, 80  # docs/method.md default thresholds
DIMENSIONS = 3  # closeness, solution_acceptance, price_acceptance

Levels = tuple[float, float, float]

_END_BANDS: dict[str, Weighted] = {
    "key": (("excellent", 0.22), ("good", 0.36), ("poor", 0.42)),
    "standard": (("excellent", 0.12), ("good", 0.33), ("poor", 0.55)),
}
_TRENDS: Weighted = (("improving", 0.3), ("declining", 0.25), ("stable", 0.45))
# Price acceptance is the dimension most often lagging or unassessed, closeness the least.
_WEAK_DIMENSION = ((2, 0.5), (1, 0.3), (0, 0.2))
_MIN_LEVEL, _MAX_LEVEL = 20.0, 95.0


@dataclass(frozen=True, slots=True)
class ScoreProfile:
    """How an account's relationship develops over the history."""

    start: Levels
    finish: Levels
    turn_month: int  # the drift from start to finish begins after this month
    never_known: int | None = None  # a dimension nobody at the account was ever scored on
    known_from: tuple[int, int] | None = None  # (dimension, month) first assessed for everyone

    def level(self, dimension: int, month: int, last_month: int) -> float:
        """The account's typical score in `dimension` during `month`."""
        start, finish = self.start[dimension], self.finish[dimension]
        if month <= self.turn_month:
            return start
        return start + (finish - start) * (month - self.turn_month) / (last_month - self.turn_month)


@dataclass(slots=True)
class BandTimeline:
    """An account's band from each day on which it changed."""

    days: list[date]
    bands: list[str]

    def as_of(self, day: date) -> str:
        """The band at the end of `day` ("unknown" before any score)."""
        index = bisect.bisect_right(self.days, day)
        return self.bands[index - 1] if index else "unknown"


def draw_profile(rng: random.Random, account: Account, *, credible: bool) -> ScoreProfile:
    """A profile: the band the account ends in, a trend towards it, and unassessed dimensions.

    A not `credible` account ends good or excellent and stays there, fully assessed, while its
    deals are mostly lost (docs/method.md, win rate against score, lists such accounts).
    """
    if not credible:
        band = "excellent" if rng.random() < 0.4 else "good"
        finish = _levels_for(rng, band)
        return ScoreProfile(start=_drift(rng, finish, "stable"), finish=finish, turn_month=0)
    finish = _levels_for(rng, pick(rng, _END_BANDS[account.tier]))
    start = _drift(rng, finish, pick(rng, _TRENDS))
    turn = rng.randint(0, 12)
    draw = rng.random()
    if draw < 0.05:
        return ScoreProfile(start, finish, turn, never_known=_weak_dimension(rng))
    if draw < 0.13:
        known_from = (_weak_dimension(rng), rng.randint(2, 14))
        return ScoreProfile(start, finish, turn, known_from=known_from)
    return ScoreProfile(start, finish, turn)


def _weak_dimension(rng: random.Random) -> int:
    return pick(rng, _WEAK_DIMENSION)


def _levels_for(rng: random.Random, band: str) -> Levels:
    if band == "excellent":
        return (rng.uniform(83, 93), rng.uniform(83, 93), rng.uniform(83, 93))
    if band == "good":
        return (rng.uniform(64, 79), rng.uniform(64, 79), rng.uniform(64, 79))
    levels = [rng.uniform(45, 76) for _ in range(DIMENSIONS)]
    levels[_weak_dimension(rng)] = rng.uniform(32, 56)
    return (levels[0], levels[1], levels[2])


def _drift(rng: random.Random, finish: Levels, trend: str) -> Levels:
    """Where the account started, given where it ends and its trend."""
    if trend == "improving":
        shift = -rng.uniform(6, 18)
    elif trend == "declining":
        shift = rng.uniform(6, 15)
    else:
        shift = rng.uniform(-3, 3)
    start = [min(_MAX_LEVEL, max(_MIN_LEVEL, level + shift + rng.uniform(-2, 2)))
             for level in finish]
    return (start[0], start[1], start[2])


def write_histories(rng: random.Random, account: Account, profile: ScoreProfile,
                    calendar: HistoryCalendar) -> None:
    """Fill each key person's history: a first record, then one per month a score changed."""
    last = calendar.last_month
    levels = [(profile.level(0, month, last), profile.level(1, month, last),
               profile.level(2, month, last)) for month in range(last + 1)]
    for person in account.persons:
        person.history = _person_history(rng, person, profile, levels, calendar)


def _person_history(rng: random.Random, person: KeyPerson, profile: ScoreProfile,
                    levels: list[Levels], calendar: HistoryCalendar) -> list[ScoreRecord]:
    last = calendar.last_month
    first = 0 if rng.random() < 0.85 else rng.randint(1, last)  # later ones were found later
    if rng.random() < (0.1 if first else 0.015):
        return []  # identified, but not assessed on anything yet
    known_from = _first_known_months(rng, profile, never=last + 1)
    assessed_month = profile.known_from[1] if profile.known_from else -1
    offsets = _offsets(rng, person)
    change_rate = rng.uniform(0.15, 0.35)
    history: list[ScoreRecord] = []
    for month in range(first, last + 1):
        if month != first and month != assessed_month and rng.random() >= change_rate:
            continue
        level = levels[month]
        scores = (
            _score(rng, level[0] + offsets[0]) if month >= known_from[0] else None,
            _score(rng, level[1] + offsets[1]) if month >= known_from[1] else None,
            _score(rng, level[2] + offsets[2]) if month >= known_from[2] else None,
        )
        if history and scores == history[-1][1:]:
            continue
        history.append((calendar.day_in_month(rng, month), *scores))
    return history


def _first_known_months(rng: random.Random, profile: ScoreProfile, *,
                        never: int) -> list[int]:
    """Per dimension, the first month the person has a score in it (`never` if none)."""
    first_known = [0] * DIMENSIONS
    if profile.known_from is not None:
        dimension, month = profile.known_from
        first_known[dimension] = month
    if profile.never_known is not None:
        first_known[profile.never_known] = never
    if rng.random() < 0.04:
        first_known[_weak_dimension(rng)] = never
    return first_known


def _offsets(rng: random.Random, person: KeyPerson) -> Levels:
    """How this person deviates from the account's level: senior people are harder to win."""
    common = rng.gauss(0, 7)
    if person.rank in (TOP, DEPUTY) or person.decision_role in ("veto", "approver"):
        common -= 4
    closeness = common + rng.gauss(0, 5)
    solution = common + rng.gauss(0, 5)
    if person.decision_role == "coach":
        closeness += 12
        solution += 6
    return (closeness, solution, common + rng.gauss(0, 5))


def _score(rng: random.Random, level: float) -> int:
    """The level plus a little noise (triangular, sd 3: cheaper than a gaussian)."""
    noise = (rng.random() + rng.random() - 1.0) * 7.35
    return min(100, max(0, round(level + noise)))


def band_timeline(persons: Sequence[KeyPerson]) -> BandTimeline:
    """The account's band (docs/method.md), each time it changed, from its persons' histories."""
    events = sorted(((record[0], index, record) for index, person in enumerate(persons)
                     for record in person.history), key=itemgetter(0, 1))
    current: list[ScoreRecord | None] = [None] * len(persons)
    sums = [0] * DIMENSIONS
    counts = [0] * DIMENSIONS
    timeline = BandTimeline(days=[], bands=[])
    for position, (day, index, record) in enumerate(events):
        _swap(sums, counts, current[index], record)
        current[index] = record
        if position + 1 < len(events) and events[position + 1][0] == day:
            continue
        now = band(sums, counts)
        if not timeline.bands or timeline.bands[-1] != now:
            timeline.days.append(day)
            timeline.bands.append(now)
    return timeline


def _swap(sums: list[int], counts: list[int], old: ScoreRecord | None, new: ScoreRecord) -> None:
    """Replace a person's previous record by the new one in the running sums and counts."""
    if old is not None:
        _add(sums, counts, old, -1)
    _add(sums, counts, new, 1)


def _add(sums: list[int], counts: list[int], record: ScoreRecord, sign: int) -> None:
    _, closeness, solution, price = record  # unrolled: this runs for every history record
    if closeness is not None:
        sums[0] += sign * closeness
        counts[0] += sign
    if solution is not None:
        sums[1] += sign * solution
        counts[1] += sign
    if price is not None:
        sums[2] += sign * price
        counts[2] += sign


def band(sums: Sequence[int], counts: Sequence[int]) -> str:
    """docs/method.md band from per-dimension sums and counts of known scores."""
    if 0 in counts:
        return "unknown"
    lowest_average = min(map(truediv, sums, counts))
    if lowest_average >= EXCELLENT:
        return "excellent"
    return "good" if lowest_average >= GOOD else "poor"
