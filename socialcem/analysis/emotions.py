"""Basic emotions of customer text: Ekman's six (anger, disgust, fear, joy, sadness,
surprise), or neutral when none of them is there.

One binary head per emotion, trained on GoEmotions (Reddit comments) grouped into Ekman's
six with its authors' mapping, so the groups are broad: joy covers gratitude, approval and
admiration; surprise covers curiosity and confusion; anger covers annoyance and
disapproval. Scores are in [0, 1], tagged from 0.5 up: each head's probability is rescaled so
that its tuned threshold lands on 0.5. Neutral scores 1 minus the strongest emotion.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from socialcem.analysis.base import MAX_ANALYSED_CHARS
from socialcem.analysis.intents import TAGGED, rescale
from socialcem.analysis.linear_model import LinearModel, load_model

EMOTIONS = ("anger", "disgust", "fear", "joy", "sadness", "surprise")
NEUTRAL = "neutral"
LABELS = (*EMOTIONS, NEUTRAL)
MODEL_DIR = Path(__file__).with_name("models") / "emotions"


@lru_cache(maxsize=1)
def _shipped() -> LinearModel:
    return load_model(MODEL_DIR)


def emotion_scores(
    texts: Sequence[str], model: LinearModel | None = None
) -> list[dict[str, float]]:
    """Per text, a score in [0, 1] for each of ``LABELS``; all 0 for text without letters."""
    if not texts:
        return []
    model = model or _shipped()
    cut = [text[:MAX_ANALYSED_CHARS] for text in texts]
    probs = model.predict(cut)
    thresholds = model.meta["thresholds"]
    table = np.stack([rescale(probs[e][:, 1], thresholds[e]) for e in EMOTIONS], axis=1)
    out = []
    for text, row in zip(cut, table, strict=True):
        if not any(ch.isalpha() for ch in text):
            out.append(dict.fromkeys(LABELS, 0.0))
            continue
        scores = {e: round(float(s), 4) for e, s in zip(EMOTIONS, row, strict=True)}
        scores[NEUTRAL] = round(1.0 - max(scores.values()), 4)
        out.append(scores)
    return out


def tags(scores: dict[str, float]) -> list[str]:
    """The emotions from 0.5 up, in the order of ``EMOTIONS``; else neutral; [] if no text."""
    found = [e for e in EMOTIONS if scores[e] >= TAGGED]
    if found:
        return found
    return [NEUTRAL] if scores[NEUTRAL] > 0 else []


def detect_emotions(texts: Sequence[str]) -> list[list[str]]:
    return [tags(scores) for scores in emotion_scores(texts)]
