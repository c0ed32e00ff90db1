"""Training the default linear model: `socialcem model train`.

Sentiment is fitted on English tweets (a tenth of the training split kept aside for
tuning; the official validation split is only scored). The NPS and likelihood heads are
fitted on rated reviews from every domain but one, which is held out completely. Their
out-of-domain confusion, measured leave-one-domain-out, is what the prevalence
correction uses on a brand the model has never seen.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from socialcem.analysis.calibration import simulate
from socialcem.analysis.evaluate import metrics as classification_metrics
from socialcem.analysis.features import FeatureSpace, fit_space
from socialcem.analysis.linear_model import Head, LinearModel, softmax
from socialcem.analysis.prevalence import CLASSES, Confusion, adjust
from socialcem.analysis.training.card import render_card
from socialcem.analysis.training.data import Example, read_rated, read_tweets

SENTIMENTS = ("negative", "neutral", "positive")
HOLDOUT_DOMAIN = "restaurant"
PER_DOMAIN = 8_000
SEED = 7
SENTIMENT_C = 0.5
NPS_C = 0.5
LTR_ALPHA = 3.0

Step = Callable[[str], None]


def _matrix(space: FeatureSpace, texts: Sequence[str]) -> Any:
    from scipy.sparse import csr_matrix

    rows = space.transform(texts)
    return csr_matrix((rows.values, rows.indices, rows.indptr), shape=(len(texts), len(space)))


def _capped(examples: list[Example], per_domain: int, seed: int) -> list[Example]:
    """At most ``per_domain`` reviews a domain, so one large source does not dominate."""
    rng = random.Random(seed)
    by_domain: dict[str, list[Example]] = {}
    for ex in examples:
        by_domain.setdefault(ex.domain, []).append(ex)
    out = []
    for domain in sorted(by_domain):
        items = by_domain[domain]
        rng.shuffle(items)
        out.extend(items[:per_domain])
    return out


def _softmax_head(
    name: str,
    x: Any,
    y: Sequence[str],
    classes: Sequence[str],
    c: float,
    weights: Any = None,
    start: Head | None = None,
) -> Head:
    """Balanced logistic regression; ``start`` warm-starts from a related fit (much faster
    for the leave-one-domain-out refits, which move little from the full model)."""
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", warm_start=True)
    if start is not None:
        fit.coef_ = start.weights.T.astype(np.float64).copy()
        fit.intercept_ = start.bias.astype(np.float64).copy()
    fit.fit(x, list(y), sample_weight=weights)
    order = [list(fit.classes_).index(k) for k in classes]
    return Head(
        name, tuple(classes), fit.coef_[order].T.astype(np.float32),
        fit.intercept_[order].astype(np.float32),
    )  # fmt: skip


def _ltr_head(x: Any, y: Sequence[float], weights: Any) -> Head:
    from sklearn.linear_model import Ridge

    fit = Ridge(alpha=LTR_ALPHA).fit(x, np.asarray(y), sample_weight=weights)
    return Head(
        "ltr", ("ltr",), fit.coef_.reshape(-1, 1).astype(np.float32),
        np.asarray([fit.intercept_], dtype=np.float32), kind="linear", clip=(0.0, 10.0),
    )  # fmt: skip


def _domain_weights(domains: Sequence[str]) -> Any:
    counts = Counter(domains)
    return np.asarray([len(domains) / len(counts) / counts[d] for d in domains])


def _nps(shares: Any) -> float:
    return float(100 * (shares[2] - shares[0]))


def train_linear(data: Path, out: Path, step: Step = lambda _: None) -> dict[str, Any]:
    """Fit, evaluate and save the model to ``out``; returns the metrics the card quotes."""
    tweets = read_tweets(data, "train")
    random.Random(SEED).shuffle(tweets)
    tune, tweets_fit = tweets[: len(tweets) // 10], tweets[len(tweets) // 10 :]
    rated = read_rated(data)
    held_out = [e for e in rated if e.domain == HOLDOUT_DOMAIN]
    reviews = _capped([e for e in rated if e.domain != HOLDOUT_DOMAIN], PER_DOMAIN, SEED)

    step("vocabulary")
    space = fit_space([e.text for e in tweets_fit] + [e.text for e in reviews])
    step("features")
    x_tweets = _matrix(space, [e.text for e in tweets_fit])
    x_reviews = _matrix(space, [e.text for e in reviews])
    labels = [e.label for e in reviews]
    domains = np.asarray([e.domain for e in reviews])
    weights = _domain_weights(list(domains))

    step("sentiment head")
    sentiment = _softmax_head("sentiment", x_tweets, [e.label for e in tweets_fit],
                              SENTIMENTS, SENTIMENT_C)  # fmt: skip
    step("NPS and likelihood heads")
    nps_head = _softmax_head("nps", x_reviews, labels, CLASSES, NPS_C, weights)
    ltr = _ltr_head(x_reviews, [float(e.ltr or 0.0) for e in reviews], weights)
    oof = np.zeros((len(reviews), 3))
    for domain in sorted(set(domains)):
        step(f"NPS head without {domain}")
        inside = domains != domain
        head = _softmax_head("nps", x_reviews[inside], [labels[i] for i in np.flatnonzero(inside)],
                             CLASSES, NPS_C, weights[inside], start=nps_head)  # fmt: skip
        oof[~inside] = _predict(head, x_reviews[~inside])
    model = LinearModel(space, {"sentiment": sentiment, "nps": nps_head, "ltr": ltr})

    step("evaluation")
    per_domain, confusion = _out_of_domain(labels, domains, oof)
    metrics: dict[str, Any] = {"leave_one_domain_out": per_domain}
    for name, examples in (("tweets_tune", tune), ("tweets_en_val", read_tweets(data, "val"))):
        probs = model.predict([e.text for e in examples])["sentiment"]
        metrics[name] = classification_metrics(
            [e.label for e in examples], [SENTIMENTS[i] for i in probs.argmax(1)], SENTIMENTS
        )
    metrics[f"holdout_{HOLDOUT_DOMAIN}"] = _nps_report(model, held_out, confusion)
    model.meta.update(
        {"name": "linear-cx@1", "languages": ["en"], "confusion": confusion.as_dict(),
         "metrics": metrics, "holdout_domain": HOLDOUT_DOMAIN,
         "sources": {e.source: e.domain for e in rated},
         "training": {"tweets": len(tweets_fit), "reviews": len(reviews),
                      "per_domain_cap": PER_DOMAIN, "seed": SEED}}
    )  # fmt: skip
    step("saving")
    model.save(out)
    (out / "MODEL_CARD.md").write_text(render_card(metrics, model.meta, data), encoding="utf-8")
    return metrics


def _predict(head: Head, x: Any) -> Any:
    return softmax(np.asarray(x @ head.weights.astype(np.float64)) + head.bias)


def _out_of_domain(labels: Sequence[str], domains: Any, oof: Any) -> tuple[list[Any], Confusion]:
    """Per held-out domain: macro-recall and NPS error, raw and corrected with the other
    domains' confusion; plus the pooled confusion and its cross-domain spread."""
    predicted = [CLASSES[i] for i in oof.argmax(1)]
    truth = np.asarray(labels)
    pred = np.asarray(predicted)
    rows, errors = [], []
    for domain in sorted(set(domains)):
        inside = domains == domain
        others = Confusion.from_pairs(list(truth[~inside]), list(pred[~inside]))
        true = np.asarray([np.mean(truth[inside] == c) for c in CLASSES])
        counted = np.asarray([np.mean(pred[inside] == c) for c in CLASSES])
        corrected = adjust(counted, others.rates())
        errors.append(_nps(corrected) - _nps(true))
        m = classification_metrics(list(truth[inside]), list(pred[inside]), CLASSES)
        calibrated = simulate(list(truth[inside]), list(pred[inside]), others)
        rows.append({"domain": domain, "n": int(inside.sum()), "macro_recall": m["macro_recall"],
                     "true_nps": round(_nps(true), 1), "counted_nps": round(_nps(counted), 1),
                     "adjusted_nps": round(_nps(corrected), 1),
                     "adjusted_error": round(errors[-1], 1),
                     "calibrated_200_mae": calibrated["calibrated_mae"]})  # fmt: skip
    spread = float(np.sqrt(np.mean(np.square(errors))))
    pooled = Confusion.from_pairs(labels, predicted, systematic_sd=round(spread, 2))
    return rows, pooled


def _nps_report(
    model: LinearModel, examples: list[Example], confusion: Confusion
) -> dict[str, Any]:
    from socialcem.analysis.prevalence import adjusted_nps

    probs = model.predict([e.text for e in examples])["nps"]
    predicted = [CLASSES[i] for i in probs.argmax(1)]
    truth = [e.label for e in examples]
    counts = Counter(predicted)
    true = np.asarray([truth.count(c) / len(truth) for c in CLASSES])
    estimate = adjusted_nps(counts["promoter"], counts["passive"], counts["detractor"], confusion)
    return {
        **classification_metrics(truth, predicted, CLASSES),
        "calibrated_200": simulate(truth, predicted, confusion),
        "true_nps": round(_nps(true), 1),
        "counted_nps": round(100 * (counts["promoter"] - counts["detractor"]) / len(truth), 1),
        "adjusted_nps": estimate.as_dict(),
    }
