"""Intent and emotion tagging: per-label precision, recall and F1 on the hand-written examples
(tests/fixtures) and on the held-out test splits of the public sets, and texts per second.

The public sets stay outside the repository and are read at run time; without them only the
hand-written figures are printed:

    python bench/intents.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from socialcem.analysis.emotions import LABELS, detect_emotions
from socialcem.analysis.intents import INTENTS, detect_intents
from socialcem.analysis.training.data import DataError
from socialcem.analysis.training.intents import (
    emotion_tasks,
    intent_tasks,
    prf,
    purchase_rule_figures,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures"
Tagger = Callable[[Sequence[str]], list[list[str]]]
TAGGERS: dict[str, Tagger] = {"intents": detect_intents, "emotions": detect_emotions}


def read_examples(path: Path) -> tuple[list[str], list[set[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [set(filter(None, r["labels"].split("|"))) for r in rows]


def report(title: str, labels: Sequence[str], found: list[list[str]], gold: list[set[str]]) -> None:
    print(f"\n{title} ({len(gold)} texts)")
    print(f"  {'label':<16}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
    f1s = []
    for label in labels:
        m = prf(np.asarray([label in f for f in found]), np.asarray([label in g for g in gold]))
        f1s.append(m["f1"])
        print(f"  {label:<16}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}"
              f"{m['support']:>9}")  # fmt: skip
    exact = np.mean([set(f) == g for f, g in zip(found, gold, strict=True)])
    print(f"  macro F1 {np.mean(f1s):.3f}; exact label set {exact:.1%}")


def speed(tag: Tagger, texts: list[str]) -> float:
    """Texts per second, the best of three passes in batches of 256."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for i in range(0, len(texts), 256):
            tag(texts[i : i + 256])
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def public(data: Path) -> list[str]:
    """Figures on the public test splits; the texts read, for timing."""
    read: list[str] = []
    for task in intent_tasks(data):
        texts = task.texts["test"]
        gold = [{task.name} if y else set() for y in task.y["test"]]
        found = [[n for n in tags if n == task.name] for tags in detect_intents(texts)]
        report(f"{task.name}: public test split", [task.name], found, gold)
        read += texts
    for reading, m in purchase_rule_figures(data).items():
        print(f"\npurchase_intent rules on all adidas tweets ({reading} labels): "
              f"precision {m['precision']:.3f} recall {m['recall']:.3f} F1 {m['f1']:.3f} "
              f"support {m['support']}")  # fmt: skip
    tasks = emotion_tasks(data)
    texts = tasks[0].texts["test"]
    gold = [{t.name for t in tasks if t.y["test"][i]} or {"neutral"} for i in range(len(texts))]
    report("emotions: GoEmotions dev, test half", LABELS, detect_emotions(texts), gold)
    return read + texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    args = parser.parse_args()
    start = time.perf_counter()
    detect_intents(["warm up"])
    detect_emotions(["warm up"])
    print(f"model load {time.perf_counter() - start:.2f} s (once per process)")
    texts, gold = read_examples(FIXTURES / "intents_examples.csv")
    report("intents: hand-written examples", INTENTS, detect_intents(texts), gold)
    e_texts, e_gold = read_examples(FIXTURES / "emotions_examples.csv")
    report("emotions: hand-written examples", LABELS, detect_emotions(e_texts), e_gold)
    try:
        timing = public(args.data)
    except DataError as error:
        print(f"\npublic sets skipped: {error}")
        timing = (texts + e_texts) * 20
    rates = [f"{name} {speed(tag, timing):,.0f} texts/s" for name, tag in TAGGERS.items()]
    print(f"\nspeed on {len(timing):,} texts (batches of 256): {', '.join(rates)}")


if __name__ == "__main__":
    main()
