"""Speed of the lexicon classifier vs the reference VADER library on generated demo texts.

python bench/lexicon.py [--items 20000]
"""

from __future__ import annotations

import argparse
import csv
import time
from itertools import islice

from _common import demo_csv
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from socialcem.analysis.lexicon import LexiconClassifier
from socialcem.analysis.vader_fast import FastVader


def rate(fn: object, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)  # type: ignore[operator]
    return len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=20_000)
    args = parser.parse_args()
    with demo_csv(200_000).open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in islice(csv.DictReader(handle), args.items)]
    reference = SentimentIntensityAnalyzer()
    fast = FastVader()
    mismatches = sum(reference.polarity_scores(t) != fast.polarity_scores(t) for t in texts)
    ref = rate(reference.polarity_scores, texts)
    ours = rate(fast.compound, texts)
    classifier = LexiconClassifier()
    start = time.perf_counter()
    classifier.analyse(texts)
    full = len(texts) / (time.perf_counter() - start)
    print(
        f"texts: {len(texts):,} generated demo items; score mismatches vs reference: {mismatches}"
    )
    print(f"reference vaderSentiment: {ref:,.0f} texts/s")
    print(f"FastVader.compound:       {ours:,.0f} texts/s ({ours / ref:.1f}x)")
    print(f"LexiconClassifier.analyse (with categories and probabilities): {full:,.0f} texts/s")


if __name__ == "__main__":
    main()
