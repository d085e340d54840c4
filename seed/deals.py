"""Opportunities whose outcome follows the account's relationship band when they closed."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from graphbrm.seed import vocab
from graphbrm.seed.customers import Account, KeyPerson
from graphbrm.seed.dates import HistoryCalendar
from graphbrm.seed.scores import BandTimeline
from graphbrm.seed.ties import Tie

OPPORTUNITIES_PER_SCALE = 5000
# The chance to win a deal closing while the account is in each band (docs/method.md, win rate
# against score, expects good >= 50 % and excellent >= 70 %). Good and excellent are set a
# little higher so that, with the not credible accounts' losses mixed in, they come out near
# 55 % and 75 %.
WIN_RATE = {"poor": 0.25, "good": 0.58, "excellent": 0.79, "unknown": 0.35}
USED_INFLUENCE_SHARE = 0.4  # of won deals where someone had influence there, as reps record it
NOT_CREDIBLE_WIN_RATE = 0.05
NOT_CREDIBLE_DEALS = 8  # enough closed deals for the Wilson interval to rule the account out

_INVOLVEMENT = {"veto": "decision", "approver": "approval", "decision_maker": "decision",
                "influencer": "evaluation", "evaluator": "evaluation", "user": "user",
                "coach": "coach", "other": "evaluation"}


@dataclass(slots=True)
class Deal:
    """An opportunity before ids are given (ids follow the order of creation)."""

    account_id: str
    name: str
    amount: int
    stage: str
    status: str
    qualified: bool
    created_at: date
    closed_at: date | None
    used_influence: list[str]
    involves: list[tuple[str, str]]  # (person id, role)


@dataclass(frozen=True, slots=True)
class DealContext:
    """What deciding a deal needs to know about its account."""

    account: Account
    timeline: BandTimeline
    influences: list[Tie]
    credible: bool


def deal_count(scale: float) -> int:
    """How many opportunities at `scale`."""
    return max(1, round(OPPORTUNITIES_PER_SCALE * scale))


def build_deals(rng: random.Random, contexts: list[DealContext], calendar: HistoryCalendar,
                scale: float) -> list[Deal]:
    """All opportunities, oldest first: a fixed set for not credible accounts, the rest by size."""
    deals: list[Deal] = []
    doubtful = [context for context in contexts if not context.credible]
    for context in doubtful:
        deals.extend(_deal(rng, context, calendar, must_close=True)
                     for _ in range(NOT_CREDIBLE_DEALS))
    remaining = max(0, deal_count(scale) - len(deals))
    weights = [_appetite(context.account) for context in contexts]
    for context in rng.choices(contexts, weights=weights, k=remaining):
        deals.append(_deal(rng, context, calendar, must_close=False))
    deals.sort(key=lambda deal: (deal.created_at, deal.account_id))
    return deals


def _appetite(account: Account) -> float:
    """Bigger maps and key accounts buy more often."""
    return (1.6 if account.is_key else 0.6) * len(account.persons) / 20


def _deal(rng: random.Random, context: DealContext, calendar: HistoryCalendar, *,
          must_close: bool) -> Deal:
    account = context.account
    last_created = calendar.end - timedelta(days=200) if must_close else calendar.end
    created = calendar.day_between(rng, calendar.start, last_created)
    cycle = min(420, max(20, round(rng.lognormvariate(math.log(100), 0.6))))
    if must_close:
        cycle = min(cycle, (calendar.end - created).days)
    closes = created + timedelta(days=cycle)
    involves = _decision_chain(rng, account)
    if closes > calendar.end:
        elapsed = (calendar.end - created).days / cycle
        stage = vocab.OPEN_STAGES[min(len(vocab.OPEN_STAGES) - 1, int(elapsed * 4))]
        return Deal(account.id, _deal_name(rng, account, created), _amount(rng, account), stage,
                    "open", rng.random() < 0.5, created, None, [], involves)
    won = rng.random() < _win_rate(context, context.timeline.as_of(closes))
    used = _used_influence(rng, context, closes, involves) if won else []
    return Deal(account.id, _deal_name(rng, account, created), _amount(rng, account),
                vocab.WON_STAGE if won else vocab.LOST_STAGE, "won" if won else "lost",
                rng.random() < (0.7 if won else 0.4), created, closes, used, involves)


def _win_rate(context: DealContext, band: str) -> float:
    if not context.credible and band in ("good", "excellent"):
        return NOT_CREDIBLE_WIN_RATE
    return WIN_RATE[band]


def _deal_name(rng: random.Random, account: Account, created: date) -> str:
    products = vocab.DEAL_PRODUCTS[account.industry]
    product = rng.choice(products if rng.random() < 0.6 else vocab.DEAL_PRODUCTS_COMMON)
    return rng.choice(vocab.DEAL_NAME_PATTERNS).format(year=created.year, product=product)


def _amount(rng: random.Random, account: Account) -> int:
    """CNY, rounded to ten thousand; key accounts buy bigger."""
    median = 900_000 if account.is_key else 300_000
    return max(50_000, round(rng.lognormvariate(math.log(median), 0.8) / 10_000) * 10_000)


# (decision role, chance that one such person is in the deal's decision chain)
_CHAIN = (("approver", 0.6), ("veto", 0.55), ("decision_maker", 0.75), ("evaluator", 0.7),
          ("influencer", 0.45), ("user", 0.4), ("coach", 0.25))


def _decision_chain(rng: random.Random, account: Account) -> list[tuple[str, str]]:
    by_role: dict[str, list[KeyPerson]] = {}
    for person in account.persons:
        by_role.setdefault(person.decision_role, []).append(person)
    chain = []
    for role, chance in _CHAIN:
        people = by_role.get(role)
        if people and rng.random() < chance:
            chain.append(rng.choice(people))
    if not chain:
        chain.append(rng.choice(account.persons))
    return [(person.id, _INVOLVEMENT[person.decision_role]) for person in chain]


def _used_influence(rng: random.Random, context: DealContext, closed: date,
                    involves: list[tuple[str, str]]) -> list[str]:
    """Employees whose personal influence helped: those influencing the decision chain first."""
    available = [tie for tie in context.influences if tie.since <= closed]
    if not available or rng.random() >= USED_INFLUENCE_SHARE:
        return []
    involved = {person_id for person_id, _ in involves}
    preferred = [tie for tie in available if tie.target in involved] or available
    employees = list(dict.fromkeys(tie.source for tie in preferred))
    count = 1 if rng.random() < 0.75 else 2
    return sorted(rng.sample(employees, min(count, len(employees))))
