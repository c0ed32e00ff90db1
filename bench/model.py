"""Throughput of a classifier on generated demo texts: one process, and one worker per core.

python bench/model.py [--model linear] [--items 20000] [--workers 2]

The per-core figure is `analyse()` in this process after the model is loaded; the
all-cores figure runs batches in worker processes as ingest and `analyse` do, model
loading included (each worker loads it once).
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from functools import partial
from itertools import islice

from _common import demo_csv

from socialcem.analysis.base import loaded_classifier
from socialcem.parallel import ordered_map

BATCH = 1_000


def _score(model: str, batch: list[str]) -> int:
    return len(loaded_classifier(model).analyse(batch))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="linear")
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with demo_csv(200_000).open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in islice(csv.DictReader(handle), args.items)]
    start = time.perf_counter()
    classifier = loaded_classifier(args.model)
    load = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        classifier.analyse(texts[i : i + BATCH])
    one = len(texts) / (time.perf_counter() - start)
    batches = [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]
    start = time.perf_counter()
    done = sum(n for _, n in ordered_map(partial(_score, args.model), batches, args.workers))
    many = done / (time.perf_counter() - start)
    chars = sum(map(len, texts)) / len(texts)
    print(f"model {classifier.name}: {len(texts):,} demo texts, {chars:.0f} characters on average")
    print(f"load: {load:.2f} s")
    print(f"one process: {one:,.0f} items/s")
    print(f"{args.workers} worker processes (model loading included): {many:,.0f} items/s")


if __name__ == "__main__":
    main()
