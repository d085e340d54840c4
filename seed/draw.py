"""Weighted draws shared by the generator steps."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

Weighted = Sequence[tuple[str, float]]


def pick(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    """A value drawn from (value, weight) pairs."""
    draw = rng.random() * sum(weight for _, weight in table)
    for value, weight in table:
        draw -= weight
        if draw < 0:
            return value
    return table[-1][0]
