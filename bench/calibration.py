"""NPS error after calibrating on a few labelled items: three estimators side by side.

python bench/calibration.py [--file ../shared/data/rated/zomato_hyderabad_restaurant_reviews.csv]
                            [--labelled 200] [--repeats 40] [--model linear]

Draws `--labelled` random items as the brand's labelled answers and estimates the NPS of all
the others. Use a file the model never saw in training: for the default model that is the
restaurant domain. Estimators:
- calibrated adjusted count: what `socialcem model calibrate` does today (the brand's
  confusion, with the model's as a prior);
- labelled only: the NPS of the labelled items, ignoring the model;
- model-assisted (difference estimator): the model's mean promoter-minus-detractor
  probability over the unlabelled items, plus the mean residual on the labelled ones.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

import numpy as np

from socialcem.analysis.base import loaded_classifier
from socialcem.analysis.calibration import calibrated_confusion, corrected_nps
from socialcem.analysis.evaluate import label_from_rating

DEFAULT = Path("../shared/data/rated/zomato_hyderabad_restaurant_reviews.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--labelled", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--model", default="linear")
    args = parser.parse_args()
    with args.file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    model = loaded_classifier(args.model)
    texts = [r["text"] for r in rows]
    truth = [label_from_rating(r["rating"], r["scale"]) for r in rows]
    analyses = [a for i in range(0, len(texts), 1000) for a in model.analyse(texts[i : i + 1000])]
    predicted = [a.nps_category.value for a in analyses]
    f = np.array([a.p_promoter - a.p_detractor for a in analyses])
    y = np.array([(t == "promoter") - (t == "detractor") for t in truth], dtype=float)
    prior = getattr(model, "confusion", None)
    rng = random.Random(0)
    errors: dict[str, list[float]] = {"calibrated adjusted count": [], "labelled only": [],
                                      "model-assisted": []}  # fmt: skip
    for _ in range(args.repeats):
        chosen = set(rng.sample(range(len(y)), args.labelled))
        lab = np.array(sorted(chosen))
        rest = np.array([i for i in range(len(y)) if i not in chosen])
        target = 100 * y[rest].mean()
        confusion = calibrated_confusion(
            [truth[i] for i in lab], [predicted[i] for i in lab], prior
        )
        errors["calibrated adjusted count"].append(
            corrected_nps([predicted[i] for i in rest], confusion) - target
        )
        errors["labelled only"].append(100 * y[lab].mean() - target)
        errors["model-assisted"].append(100 * (f[rest].mean() + (y[lab] - f[lab]).mean()) - target)
    print(f"{args.file.name}: {len(y):,} items, {args.labelled} labelled, {args.repeats} draws")
    for name, errs in errors.items():
        e = np.abs(errs)
        print(f"  {name:<26} mean abs error {e.mean():5.2f} points, worst {e.max():5.2f}")


if __name__ == "__main__":
    main()
