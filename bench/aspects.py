"""Aspect detection and per-aspect sentiment on the SemEval ABSA train sets.

python bench/aspects.py [--data ../shared/data/aspects]

Our topics are mapped onto SemEval's restaurant categories where the meaning is the same
(service also covers waiting, so staff_service and wait_time both map to it); topics with
no SemEval counterpart (cleanliness, delivery, billing, ...) are left out of the scores,
neither right nor wrong. Detection: precision/recall/F1 per category over sentences.
Sentiment: accuracy and macro-recall (positive/neutral/negative; "conflict" left out) over
the gold (sentence, category) pairs that were detected, against two baselines: the whole
sentence's VADER label, and our clauses without the topic cues. The laptop set has no
categories, so it is not scored. The data is read where it lies, never copied.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict
from pathlib import Path

from socialcem.analysis.aspects import (
    aspect_sentiments_many,
    discover_themes,
    find_aspects,
    load_taxonomy,
    vader_polarity,
)
from socialcem.analysis.aspects.sentiment import label

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "aspects"
TOPIC_TO_CATEGORY = {
    "semeval14_restaurants_train": {
        "staff_service": "service",
        "wait_time": "service",
        "price_value": "price",
        "product_quality": "food",
        "ambience": "ambience",
    },
    "semeval16_restaurants_train": {
        "staff_service": "SERVICE",
        "wait_time": "SERVICE",
        "price_value": "PRICES",
        "product_quality": "FOOD+DRINKS",
        "ambience": "AMBIENCE",
        "location_access": "LOCATION",
    },
}
SEMEVAL16 = {
    "SERVICE#GENERAL": "SERVICE",
    "FOOD#PRICES": "PRICES",
    "RESTAURANT#PRICES": "PRICES",
    "DRINKS#PRICES": "PRICES",
    "FOOD#QUALITY": "FOOD+DRINKS",
    "FOOD#STYLE_OPTIONS": "FOOD+DRINKS",
    "DRINKS#QUALITY": "FOOD+DRINKS",
    "DRINKS#STYLE_OPTIONS": "FOOD+DRINKS",
    "AMBIENCE#GENERAL": "AMBIENCE",
    "LOCATION#GENERAL": "LOCATION",
}
LABELS = ("positive", "neutral", "negative")

Gold = dict[str, dict[str, set[str]]]  # sentence -> mapped category -> polarities


def read_gold(path: Path) -> Gold:
    gold: Gold = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cats = gold.setdefault(row["sentence"], {})
            category = SEMEVAL16.get(row["category"], row["category"])
            if (row["category"] and row["aspect"] == "") or "#" in row["category"]:
                cats.setdefault(category, set()).add(row["polarity"])
    return gold


def detection(gold: Gold, predicted: list[set[str]], categories: list[str]) -> None:
    print(f"  {'category':<12} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for category in categories:
        tp = fp = fn = 0
        for cats, pred in zip(gold.values(), predicted, strict=True):
            tp += category in cats and category in pred
            fp += category not in cats and category in pred
            fn += category in cats and category not in pred
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {category:<12} {tp + fn:>5} {tp + fp:>5} {p:>6.3f} {r:>6.3f} {f1:>6.3f}")


def sentiment_scores(pairs: list[tuple[str, str]]) -> str:
    """Accuracy and macro-recall of (gold, predicted) label pairs."""
    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    recalls = []
    for name in LABELS:
        of_class = [p for g, p in pairs if g == name]
        recalls.append(sum(p == name for p in of_class) / len(of_class) if of_class else 0.0)
    return f"accuracy {accuracy:.3f}  macro-recall {sum(recalls) / len(recalls):.3f}"


def evaluate(path: Path) -> list[str]:
    taxonomy = load_taxonomy()
    mapping = TOPIC_TO_CATEGORY[path.stem]
    gold = read_gold(path)
    sentences = list(gold)
    start = time.perf_counter()
    with_cues = aspect_sentiments_many(sentences, taxonomy)
    seconds = time.perf_counter() - start
    no_cues = aspect_sentiments_many(sentences, taxonomy, cues=False)
    whole = [label(s) for s in vader_polarity(sentences)]
    predicted = [{mapping[a.topic] for a in item if a.topic in mapping} for item in with_cues]
    print(f"\n{path.stem}: {len(sentences):,} sentences, {len(sentences) / seconds:,.0f} texts/s")
    detection(gold, predicted, sorted(set(mapping.values())))
    systems: dict[str, list[tuple[str, str]]] = defaultdict(list)
    skipped: Counter[str] = Counter()
    for i, cats in enumerate(gold.values()):
        for category, polarities in cats.items():
            if category not in predicted[i]:
                continue
            if len(polarities) > 1 or "conflict" in polarities:
                skipped["conflict"] += 1
                continue
            truth = next(iter(polarities))
            for name, items in (("aspects+cues", with_cues), ("aspects", no_cues)):
                scores = [a.score for a in items[i] if mapping.get(a.topic) == category]
                systems[name].append((truth, label(sum(scores) / len(scores)).value))
            systems["whole sentence"].append((truth, whole[i].value))
    n = len(systems["aspects"])
    print(f"  sentiment on {n:,} detected pairs ({skipped['conflict']} conflict pairs left out):")
    for name, pairs in systems.items():
        print(f"    {name:<15} {sentiment_scores(pairs)}")
    return [s for s, item in zip(sentences, with_cues, strict=True) if not item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    vader_polarity(["warm up: the lexicon loads on first use"])
    unmatched: list[str] = []
    for name in TOPIC_TO_CATEGORY:
        unmatched += evaluate(args.data / f"{name}.csv")
    taxonomy = load_taxonomy()
    laptops = list(read_gold(args.data / "semeval14_laptops_train.csv"))
    start = time.perf_counter()
    for text in laptops:
        find_aspects(text, taxonomy)
    rate = len(laptops) / (time.perf_counter() - start)
    print(f"\nfind_aspects alone on {len(laptops):,} laptop sentences: {rate:,.0f} texts/s")
    start = time.perf_counter()
    themes = discover_themes(unmatched)
    seconds = time.perf_counter() - start
    print(
        f"\nthemes among the {len(unmatched):,} restaurant sentences no topic matched"
        f" ({seconds:.1f}s):"
    )
    for theme in themes:
        print(f"  {theme.size:>4}  {theme.label:<30} {', '.join(theme.terms)}")


if __name__ == "__main__":
    main()
