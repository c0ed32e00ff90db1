"""NPS arithmetic: categories from ratings, scores with 95% intervals, CSAT.

Scores are computed from category counts so the same functions serve survey NPS,
Social NPS (counts of inferred categories) and eNPS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from socialcem.models import NpsCategory, RatingScale

Z95 = 1.959963984540054

# Stars 1-5: 5 promoter, 4 passive, 1-3 detractor (DESIGN.md); overridable per call.
DEFAULT_STAR_CUTS = (3, 4)


def category_from_rating(
    rating: float, scale: RatingScale, star_cuts: tuple[int, int] = DEFAULT_STAR_CUTS
) -> NpsCategory | None:
    """Map a native rating to its NPS category; None for scales that carry no NPS meaning."""
    if scale is RatingScale.NPS_0_10:
        if rating >= 9:
            return NpsCategory.PROMOTER
        return NpsCategory.PASSIVE if rating >= 7 else NpsCategory.DETRACTOR
    if scale is RatingScale.STARS_1_5:
        detractor_max, passive_max = star_cuts
        if rating <= detractor_max:
            return NpsCategory.DETRACTOR
        return NpsCategory.PASSIVE if rating <= passive_max else NpsCategory.PROMOTER
    return None


@dataclass(frozen=True, slots=True)
class Score:
    """A score with its 95% interval; value is None when there is nothing to score."""

    value: float | None
    low: float | None
    high: float | None
    n: int

    def as_dict(self) -> dict[str, float | int | None]:
        return {"value": self.value, "low": self.low, "high": self.high, "n": self.n}


EMPTY = Score(None, None, None, 0)


def nps(promoters: float, passives: float, detractors: float) -> Score:
    """NPS = %promoters - %detractors with a Wald interval, clipped to [-100, 100].

    Var(NPS) = (p+ + p- - (p+ - p-)^2) / n (DESIGN.md). Counts may be fractional
    (expected counts from probabilities) for Social NPS.
    """
    n = promoters + passives + detractors
    if n <= 0:
        return EMPTY
    value = (promoters - detractors) / n
    # The variance uses one pseudo-count per category (as the Agresti-Coull interval does
    # for a proportion): otherwise 3 promoters out of 3 would get an interval of zero width.
    q_pro, q_det = (promoters + 1) / (n + 3), (detractors + 1) / (n + 3)
    variance = max(q_pro + q_det - (q_pro - q_det) ** 2, 0.0) / n
    half = Z95 * math.sqrt(variance)
    return Score(
        round(100 * value, 2),
        round(max(-100.0, 100 * (value - half)), 2),
        round(min(100.0, 100 * (value + half)), 2),
        round(n),
    )


def csat(satisfied: int, total: int) -> Score:
    """Share of 4-5 ratings on a 1-5 scale, in percent, with a Wilson interval."""
    if total <= 0:
        return EMPTY
    p = satisfied / total
    denom = 1 + Z95**2 / total
    centre = (p + Z95**2 / (2 * total)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / total + Z95**2 / (4 * total * total)) / denom
    return Score(
        round(100 * p, 2),
        round(100 * max(0.0, centre - half), 2),
        round(100 * min(1.0, centre + half), 2),
        total,
    )
