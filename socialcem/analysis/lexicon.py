"""Lexicon classifier (VADER): fast and dependency-light, the v0 baseline.

VADER gives a compound polarity in [-1, 1], not probabilities and not an NPS: the
category and the probabilities below are a monotone reading of that polarity, useful
for ranking and trends but biased as an NPS estimate. A trained model replaces it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from socialcem.analysis.base import MAX_ANALYSED_CHARS
from socialcem.analysis.vader_fast import FastVader
from socialcem.models import Analysis, NpsCategory, Sentiment

# VADER's own documented cut-offs for sentiment.
NEGATIVE_MAX = -0.05
POSITIVE_MIN = 0.05
# Strongly positive text reads as a promoter; anything negative as a detractor.
PROMOTER_MIN = 0.5
DETRACTOR_MAX = -0.05
STEEPNESS = 8.0


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _three_way(low_cut: float, high_cut: float, x: float) -> tuple[float, float, float]:
    """Soft scores for (below low_cut, between, above high_cut) that sum to 1."""
    low = _sigmoid(STEEPNESS * (low_cut - x) * 4)
    high = _sigmoid(STEEPNESS * (x - high_cut) * 4)
    mid = max(0.0, 1.0 - low - high)
    total = low + mid + high
    return low / total, mid / total, high / total


class LexiconClassifier:
    name = "lexicon-vader@1"

    def __init__(self) -> None:
        self._vader = FastVader()  # VADER's scores exactly, several times faster

    def analyse_one(self, text: str) -> Analysis:
        compound = self._vader.compound(text[:MAX_ANALYSED_CHARS])
        p_neg, p_neu, p_pos = _three_way(NEGATIVE_MAX, POSITIVE_MIN, compound)
        p_det, p_pas, p_pro = _three_way(DETRACTOR_MAX, PROMOTER_MIN, compound)
        if compound <= NEGATIVE_MAX:
            sentiment = Sentiment.NEGATIVE
        else:
            sentiment = Sentiment.POSITIVE if compound >= POSITIVE_MIN else Sentiment.NEUTRAL
        if compound <= DETRACTOR_MAX:
            category = NpsCategory.DETRACTOR
        else:
            category = NpsCategory.PROMOTER if compound >= PROMOTER_MIN else NpsCategory.PASSIVE
        return Analysis(
            model=self.name,
            sentiment=sentiment,
            p_negative=p_neg,
            p_neutral=p_neu,
            p_positive=p_pos,
            nps_category=category,
            p_detractor=p_det,
            p_passive=p_pas,
            p_promoter=p_pro,
        )

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        return [self.analyse_one(t) for t in texts]
