"""Small statistics for the dashboard: rates and their Wilson score interval."""

from __future__ import annotations

import math

Z95 = 1.959964  # two-sided 95 % normal quantile


def rate(part: float, whole: float) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float | None, float | None]:
    """The Wilson score interval of successes/trials; (None, None) without trials."""
    if trials <= 0:
        return None, None
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # Clamp away rounding noise at 0 % and 100 % (the exact bounds are 0 and 1 there).
    return max(0.0, centre - half), min(1.0, centre + half)
