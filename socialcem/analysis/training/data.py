"""Reading the labelled training corpora: sentiment tweets and rated customer reviews.

The corpora are third-party text read from a directory at training time, never shipped.
A rating becomes an NPS category with the documented mapping and a 0-10 likelihood to
recommend: stars are spread evenly over 0-10 (1 -> 0, 5 -> 10), 1-10 scores stay as given.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from socialcem.analysis.evaluate import label_from_rating

DEFAULT_DATA = Path("../shared/data")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    """Sentiment for tweets, NPS category for rated text."""
    domain: str = ""
    ltr: float | None = None
    source: str = ""


class DataError(FileNotFoundError):
    pass


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        raise DataError(f"training data not found: {path} (pass --data DIR)")
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def read_tweets(data: Path, split: str = "train") -> list[Example]:
    """English tweets labelled negative / neutral / positive (``en_train`` or ``en_val``)."""
    path = data / "tweets" / f"en_{split}.csv"
    return [Example(r["text"], r["label"], "tweets", source=path.stem) for r in _rows(path)]


def ltr_from_rating(rating: float, scale: str) -> float:
    if scale == "stars_1_5":
        return (rating - 1.0) * 2.5
    return rating


def read_rated(data: Path) -> list[Example]:
    """Every rated review, with its domain, NPS category and likelihood to recommend."""
    files = sorted((data / "rated").glob("*.csv"))
    if not files:
        raise DataError(f"no rated reviews under {data / 'rated'} (pass --data DIR)")
    out = []
    for path in files:
        for r in _rows(path):
            rating, scale = float(r["rating"]), r["scale"]
            out.append(
                Example(
                    text=r["text"],
                    label=label_from_rating(r["rating"], scale),
                    domain=r["domain"],
                    ltr=ltr_from_rating(rating, scale),
                    source=path.stem,
                )
            )
    return out
