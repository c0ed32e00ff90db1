"""Accuracy and speed of the [ml] tier (MiniLM embeddings + trained heads), end to end.

    python bench/minilm.py [--data ../shared/data] [--threads 2] [--skip-rated]

Scores the shipped model live: sentiment on TweetEval ``en_val`` (never used in training
or tuning), NPS category, classify-and-count NPS and likelihood to recommend on the held-out
``restaurant`` reviews (the same capped sample training reports), and sentiment on the
multilingual tweets. The per-domain leave-one-domain-out figures are training-time
results, read from the model's meta.json. Speed is ``analyse()`` on a warm model,
encoder, lexicon features and heads included; the data stays outside the repository.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from socialcem.analysis.evaluate import metrics
from socialcem.analysis.minilm import CATEGORIES, SENTIMENTS, MiniLMClassifier
from socialcem.analysis.prevalence import Confusion, adjusted_nps
from socialcem.analysis.training.data import read_tweets
from socialcem.analysis.training.minilm_data import (
    HELD_OUT_DOMAIN,
    rated_sample,
    read_multilingual,
)
from socialcem.analysis.training.minilm_eval import nps_of
from socialcem.models import Analysis

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def timed(model: MiniLMClassifier, texts: Sequence[str]) -> tuple[list[Analysis], str]:
    """Analyses and speed: wall clock, and per CPU-second (steady when the machine is shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = model.analyse(texts)
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    return out, f"{len(texts) / wall:.0f} items/s wall, {len(texts) / used:.0f} per CPU-second"


def best_speed(model: MiniLMClassifier, texts: Sequence[str], passes: int = 3) -> float:
    """Items/s of the fastest pass: the least disturbed by other work on a shared machine."""
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        model.analyse(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def ltr_of(analysis: Analysis) -> float:
    value = analysis.extra["ltr"]
    assert isinstance(value, float)
    return value


def line(name: str, truth: Sequence[str], predicted: Sequence[str], labels: tuple[str, ...]) -> str:
    m = metrics(truth, predicted, labels)
    return (
        f"{name:<22} n={len(truth):>5}  macro-recall {m['macro_recall']:.3f}  "
        f"accuracy {m['accuracy']:.3f}  macro-F1 {m['macro_f1']:.3f}"
    )


def lodo_table(meta: dict[str, Any]) -> None:
    rated = meta["rated"]
    print("\nleave-one-domain-out (training time; NPS errors in points, estimate - true)")
    head = ("domain", "n", "m-recall", "acc", "true", "cc err", "adj err", "LTR MAE")
    print(f"{head[0]:<20}" + "".join(f"{h:>9}" for h in head[1:]))
    for domain, r in rated["lodo"].items():
        keys = ("macro_recall", "accuracy", "true_nps", "cc_error", "adjusted_error", "ltr_mae")
        cells = [r[k] for k in keys]
        print(f"{domain:<20}{r['n']:>9}" + "".join(f"{c:>9.3f}" for c in cells))
    print(f"summary: {rated['lodo_summary']}")
    print(f"pooled confusion (rows true, columns predicted, {'/'.join(CATEGORIES)}): ")
    print(f"  {meta['confusion']['counts']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--skip-rated", action="store_true")
    args = parser.parse_args()
    if args.threads:
        os.environ["SOCIALCEM_TORCH_THREADS"] = str(args.threads)
    start = time.perf_counter()
    model = MiniLMClassifier()
    model.analyse(["warm up the encoder"])
    print(
        f"model {model.name}: loaded in {time.perf_counter() - start:.1f} s, "
        f"{model.encoder.threads} torch thread(s), {os.cpu_count()} cores visible, "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    val = read_tweets(args.data, "val")
    out, speed = timed(model, [e.text for e in val])
    print(line("en_val sentiment", [e.label for e in val], [a.sentiment for a in out], SENTIMENTS))
    print(f"  speed (tweets): {speed}")

    multi = read_multilingual(args.data)
    out, speed = timed(model, [e.text for e in multi])
    for lang in sorted({e.domain for e in multi}):
        idx = [i for i, e in enumerate(multi) if e.domain == lang]
        truth = [multi[i].label for i in idx]
        print(line(f"multi_val {lang}", truth, [out[i].sentiment for i in idx], SENTIMENTS))
    unscored = sum(not a.scored for a in out) / len(out)
    print(f"  marked unscored (kept out of Social NPS): {unscored:.1%}")
    print(f"  speed (non-English tweets): {speed}")

    if not args.skip_rated:
        test = [e for e in rated_sample(args.data) if e.domain == HELD_OUT_DOMAIN]
        out, speed = timed(model, [e.text for e in test])
        truth, predicted = [e.label for e in test], [a.nps_category.value for a in out]
        print(line(f"{HELD_OUT_DOMAIN} NPS (held out)", truth, predicted, CATEGORIES))
        errors = [abs(ltr_of(a) - (e.ltr or 0.0)) for a, e in zip(out, test, strict=True)]
        ltr_mae = sum(errors) / len(errors)
        confusion = Confusion.from_dict(model.heads.meta["confusion"])
        det, pas, pro = (predicted.count(c) for c in CATEGORIES)
        adjusted = adjusted_nps(pro, pas, det, confusion)
        print(
            f"  true NPS {nps_of(truth):.1f}, classify-and-count {nps_of(predicted):.1f}, "
            f"adjusted {adjusted.value} [{adjusted.low}, {adjusted.high}], LTR MAE {ltr_mae:.2f}"
        )
        print(f"  speed (reviews): {speed}")
        reviews = [e.text for e in test[:500]]
        print(f"best of 3 passes: {best_speed(model, reviews):.0f} reviews/s (500 restaurant)")
    print(f"best of 3 passes: {best_speed(model, [e.text for e in val[:1000]]):.0f} tweets/s")
    lodo_table(model.heads.meta)


if __name__ == "__main__":
    main()
