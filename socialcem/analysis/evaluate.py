"""Scoring a model against labelled text: the figures every model card quotes.

Labels are sentiment (negative/neutral/positive), NPS categories (detractor/passive/
promoter), or native ratings with their scale. Besides per-item metrics it compares the
true NPS of the sample with the model's classify-and-count estimate, because an NPS
estimate can be off even when accuracy looks fine.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from socialcem.analysis.base import Classifier
from socialcem.analysis.prevalence import Confusion, adjusted_nps
from socialcem.models import NpsCategory, RatingScale, Sentiment
from socialcem.nps import Score, category_from_rating, nps

SENTIMENTS = tuple(s.value for s in Sentiment)
CATEGORIES = tuple(c.value for c in NpsCategory)
# Scales seen in exports that read like a 0-10 likelihood to recommend.
SCALE_ALIASES = {"score_1_10": RatingScale.NPS_0_10, "score_0_10": RatingScale.NPS_0_10}


class LabelError(ValueError):
    pass


def label_from_rating(rating: str, scale: str) -> str:
    """The NPS category of a native rating, e.g. ("4", "stars_1_5") -> "passive"."""
    try:
        kind = SCALE_ALIASES.get(scale) or RatingScale(scale)
        category = category_from_rating(float(rating), kind)
    except ValueError:
        raise LabelError(f"cannot read rating {rating!r} on scale {scale!r}") from None
    if category is None:
        raise LabelError(f"scale {scale!r} has no NPS reading")
    return category.value


def task_of(labels: Sequence[str]) -> str:
    """'sentiment' or 'nps', from the label values themselves."""
    seen = set(labels)
    if seen <= set(SENTIMENTS):
        return "sentiment"
    if seen <= set(CATEGORIES):
        return "nps"
    raise LabelError(
        f"labels {sorted(seen)[:6]} are neither sentiment {SENTIMENTS} nor NPS {CATEGORIES}"
    )


@dataclass(frozen=True, slots=True)
class EvalResult:
    model: str
    task: str
    n: int
    accuracy: float
    macro_recall: float
    macro_f1: float
    per_class: dict[str, dict[str, float]]
    labels: tuple[str, ...]
    confusion: list[list[int]]
    """Rows are true labels, columns predictions, both in ``labels`` order."""
    true_nps: Score
    estimated_nps: Score
    """Classify-and-count, corrected for the model's known confusion when it has one."""
    nps_error: float | None
    items_per_s: float
    counted_nps: Score
    """Plain classify-and-count, for comparison."""
    unscored: int = 0
    """Items in a language the model does not read: left out of the NPS estimate."""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["true_nps"] = self.true_nps.as_dict()
        out["estimated_nps"] = self.estimated_nps.as_dict()
        out["counted_nps"] = self.counted_nps.as_dict()
        return out


def _net(labels: Sequence[str], order: tuple[str, ...]) -> Score:
    """NPS over categories; for sentiment the same formula gives %positive - %negative."""
    low, mid, high = (sum(1 for x in labels if x == name) for name in order)
    return nps(high, mid, low)


def metrics(
    truth: Sequence[str], predicted: Sequence[str], labels: tuple[str, ...]
) -> dict[str, Any]:
    index = {name: i for i, name in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for t, p in zip(truth, predicted, strict=True):
        confusion[index[t]][index[p]] += 1
    per_class: dict[str, dict[str, float]] = {}
    for i, name in enumerate(labels):
        tp = confusion[i][i]
        support = sum(confusion[i])
        predicted_n = sum(row[i] for row in confusion)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    present = [c for c in labels if per_class[c]["support"]]
    n = len(truth)
    return {
        "accuracy": sum(confusion[i][i] for i in range(len(labels))) / n if n else 0.0,
        "macro_recall": sum(per_class[c]["recall"] for c in present) / len(present)
        if present
        else 0.0,
        "macro_f1": sum(per_class[c]["f1"] for c in present) / len(present) if present else 0.0,
        "per_class": per_class,
        "confusion": confusion,
    }


def evaluate(classifier: Classifier, texts: Sequence[str], truth: Sequence[str]) -> EvalResult:
    if not texts:
        raise LabelError("nothing to evaluate: no labelled rows")
    task = task_of(truth)
    start = time.perf_counter()
    analyses = classifier.analyse(texts)
    elapsed = time.perf_counter() - start
    if task == "sentiment":
        labels: tuple[str, ...] = SENTIMENTS
        predicted = [a.sentiment.value for a in analyses]
    else:
        labels = CATEGORIES
        predicted = [a.nps_category.value for a in analyses]
    readable = [p for p, a in zip(predicted, analyses, strict=True) if a.scored]
    true_score, counted = _net(truth, labels), _net(readable, labels)
    estimate = counted
    confusion = getattr(classifier, "confusion", None)
    if task == "nps" and isinstance(confusion, Confusion):
        low, mid, high = (readable.count(c) for c in labels)
        estimate = adjusted_nps(high, mid, low, confusion)
    error = None
    if true_score.value is not None and estimate.value is not None:
        error = round(estimate.value - true_score.value, 2)
    return EvalResult(
        model=classifier.name,
        task=task,
        n=len(texts),
        labels=labels,
        true_nps=true_score,
        estimated_nps=estimate,
        nps_error=error,
        items_per_s=round(len(texts) / elapsed, 1) if elapsed > 0 else float("inf"),
        counted_nps=counted,
        unscored=len(predicted) - len(readable),
        **metrics(truth, predicted, labels),
    )
