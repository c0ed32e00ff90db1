"""Key drivers: which topics cost (or earn) the most NPS points in a segment.

A topic's impact is how much the segment's NPS would rise if its negative mentions were
neutral: the items that mention it negatively are given the NPS of the items that do not
mention it with any sentiment, so impact = share of negative mentions x the NPS gap. The
interval propagates both groups' sampling variance (DESIGN.md's NPS variance). An item's
category is its own rating when it has one, else the model's inferred category.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socialcem.nps import EMPTY, Z95, Score, nps
from socialcem.store.topics import ALL_ITEMS

# Positions in TOPIC_COUNT_COLUMNS.
ITEMS, PRO, PAS, DET, NEG, POS = 0, 1, 2, 3, 4, 5
NEG_MIX, POS_MIX = slice(6, 9), slice(9, 12)


@dataclass(frozen=True, slots=True)
class Driver:
    topic: str
    mentions: int
    negative: int
    positive: int
    detractor_share: Score
    """Percent of the mentions with a category that are detractors."""
    impact: Score
    """NPS points gained if the negative mentions were neutral (higher = bigger problem)."""
    strength: Score
    """NPS points lost if the positive mentions were neutral (higher = bigger asset)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "mentions": self.mentions,
            "negative": self.negative,
            "positive": self.positive,
            "detractor_share": self.detractor_share.as_dict(),
            "impact": self.impact.as_dict(),
            "strength": self.strength.as_dict(),
        }


def _mix_nps(mix: Sequence[float]) -> tuple[float, float, float]:
    """(NPS as a fraction, its variance, n) of a (promoters, passives, detractors) mix."""
    pro, pas, det = mix
    n = pro + pas + det
    if n <= 0:
        return 0.0, 0.0, 0.0
    # Pseudo-counts as in socialcem.nps, so a group of 3 detractors is not certain.
    q_pro, q_det = (pro + 1) / (n + 3), (det + 1) / (n + 3)
    return (pro - det) / n, max(q_pro + q_det - (q_pro - q_det) ** 2, 0.0) / n, n


def _effect(group: Sequence[float], reference: Sequence[float], total: float) -> Score:
    """NPS points the whole moves if ``group`` had the reference's NPS, with an interval."""
    g, g_var, g_n = _mix_nps(group)
    r, r_var, r_n = _mix_nps(reference)
    if g_n <= 0 or r_n <= 0 or total <= 0:
        return EMPTY
    weight = g_n / total
    value = weight * (r - g)
    half = Z95 * weight * math.sqrt(g_var + r_var)
    return Score(
        round(100 * value, 2),
        round(100 * (value - half), 2),
        round(100 * (value + half), 2),
        round(g_n),
    )


def _share(part: int, whole: int) -> Score:
    score = nps(0, whole - part, part)  # detractor share = -NPS of (0, rest, part)
    if score.value is None or score.low is None or score.high is None:
        return EMPTY
    return Score(-score.value, -score.high, -score.low, score.n)


def drivers_from_totals(totals: Mapping[str, Sequence[int]]) -> list[Driver]:
    """Drivers of every topic in ``totals`` (TOPIC_COUNT_COLUMNS order), biggest impact first."""
    everything = totals.get(ALL_ITEMS)
    if everything is None:
        return []
    all_mix = everything[PRO : DET + 1]
    n_all = sum(all_mix)
    out = []
    for topic, row in totals.items():
        if topic == ALL_ITEMS:
            continue
        neg, pos = row[NEG_MIX], row[POS_MIX]
        # Items without a sentiment-bearing mention of the topic: the counterfactual's NPS.
        reference = [a - n - p for a, n, p in zip(all_mix, neg, pos, strict=True)]
        categorised = sum(row[PRO : DET + 1])
        out.append(
            Driver(
                topic=topic,
                mentions=row[ITEMS],
                negative=row[NEG],
                positive=row[POS],
                detractor_share=_share(row[DET], categorised),
                impact=_effect(neg, reference, n_all),
                strength=_negated(_effect(pos, reference, n_all)),
            )
        )
    return sorted(out, key=lambda d: (-(d.impact.value or 0.0), d.topic))


def _negated(score: Score) -> Score:
    if score.value is None or score.low is None or score.high is None:
        return score
    return Score(-score.value, -score.high, -score.low, score.n)


def overall(totals: Mapping[str, Sequence[int]]) -> Score:
    """The NPS of all categorised items of the segment, the base the impacts refer to."""
    row = totals.get(ALL_ITEMS)
    return nps(row[PRO], row[PAS], row[DET]) if row else EMPTY
