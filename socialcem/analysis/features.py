"""Text to sparse features: the one code path shared by training and inference.

Three groups: words (unigrams with negation scope marked, and bigrams), character n-grams
(robust to misspellings, elongations and unseen inflections), and the VADER lexicon's
scores (prior polarity knowledge a small training set cannot learn). Word and character
features are binary and each group is scaled to unit length, so long reviews and short
tweets land on the same scale; binary features also keep inference to dictionary lookups.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from socialcem.analysis.char_grams import CharIndex
from socialcem.analysis.vader_fast import FastVader

MAX_CHARS = 5_000
CHAR_RANGE = (3, 5)
COMPOUND_BINS = 8

_URL = re.compile(r"https?://\S+|www\.\S+")
_USER = re.compile(r"@\w+")
_URL_OR_USER = re.compile(r"<url>|<user>")
_ELONGATED = re.compile(r"(.)\1{2,}")
_TOKEN = re.compile(
    r"<url>|<user>"
    r"|[:;=8x][\-o^']?[)\](\[dpo/\\|3*]"  # emoticons, lowercased
    r"|<3"
    r"|\w+(?:['’]\w+)*"
    r"|[!?]"
    r"|[^\w\s]"
)
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "cannot",
        "without",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "hardly",
        "barely",
        "dont",
        "don't",
        "doesnt",
        "doesn't",
        "didnt",
        "didn't",
        "isnt",
        "isn't",
        "wasnt",
        "wasn't",
        "arent",
        "aren't",
        "werent",
        "weren't",
        "wont",
        "won't",
        "cant",
        "can't",
        "couldnt",
        "couldn't",
        "shouldnt",
        "shouldn't",
        "wouldnt",
        "wouldn't",
        "havent",
        "haven't",
        "hasnt",
        "hasn't",
        "hadnt",
        "hadn't",
        "aint",
        "ain't",
    ]
)
_SCOPE_END = frozenset(".,:;!?")


def normalise(text: str) -> str:
    text = text[:MAX_CHARS].lower().replace("’", "'")
    text = _URL.sub(" <url> ", text)
    text = _USER.sub(" <user> ", text)
    return _ELONGATED.sub(r"\1\1", text)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


def text_features(text: str) -> tuple[set[str], set[str]]:
    """(word features, character features) of one text."""
    clean = normalise(text)
    return word_features(_TOKEN.findall(clean)), char_features(clean)


def word_features(toks: Sequence[str]) -> set[str]:
    """Unigrams, with ``neg_`` on words inside a negation's scope, and plain bigrams."""
    out: set[str] = set()
    negated = False
    prev = "<s>"
    for tok in toks:
        if tok in _SCOPE_END:
            negated = False
        out.add("w:neg_" + tok if negated else "w:" + tok)
        out.add("b:" + prev + " " + tok)
        if tok in _NEGATORS or tok.endswith("n't"):
            negated = True
        prev = tok
    return out


def _padded(clean: str) -> str:
    return " " + " ".join(_URL_OR_USER.sub(" ", clean).split()) + " "


def char_features(text: str) -> set[str]:
    """Character n-grams of the normalised text, spaces included (so word edges count).

    The reference definition, used to build the vocabulary; ``transform`` matches the same
    n-grams vectorised (``char_grams``)."""
    padded = _padded(text)
    size = len(padded)
    out: set[str] = set()
    lo, hi = CHAR_RANGE
    for n in range(lo, hi + 1):
        out.update([padded[i : i + n] for i in range(size - n + 1)])
    return out


@dataclass(frozen=True, slots=True)
class Sparse:
    """A batch of feature rows in CSR layout: row i is ``indices[indptr[i]:indptr[i+1]]``.

    numpy arrays from ``transform``; plain lists are accepted too (tests, small inputs)."""

    indptr: Sequence[int] | NDArray[np.int64]
    indices: Sequence[int] | NDArray[np.int64]
    values: Sequence[float] | NDArray[np.float64]


class FeatureSpace:
    """A fitted vocabulary; maps texts to sparse rows."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self.index = {name: i for i, name in enumerate(self.names)}
        self._vader = FastVader()
        self._lexicon = [self.index.get(name, -1) for name in lexicon_feature_names()]
        self._chars = CharIndex(self.names, tuple(range(CHAR_RANGE[0], CHAR_RANGE[1] + 1)))

    def __len__(self) -> int:
        return len(self.names)

    def transform(self, texts: Iterable[str]) -> Sparse:
        """Binary features, each group scaled to unit length; lexicon scores as they are.

        Words are looked up in Python (a few dozen per text); character n-grams, the bulk,
        are matched for the whole batch at once in numpy.
        """
        index, lexicon = self.index, self._lexicon
        rows_w: list[int] = []
        cols_w: list[int] = []
        vals_w: list[float] = []
        padded: list[str] = []
        for row, text in enumerate(texts):
            clean = normalise(text)
            found = [index[f] for f in word_features(_TOKEN.findall(clean)) if f in index]
            if found:
                rows_w.extend([row] * len(found))
                cols_w.extend(found)
                vals_w.extend([1.0 / math.sqrt(len(found))] * len(found))
            for j, value in zip(lexicon, self.lexicon_values(text), strict=True):
                if j >= 0 and value:
                    rows_w.append(row)
                    cols_w.append(j)
                    vals_w.append(value)
            padded.append(_padded(clean))
        rows_c, cols_c = self._chars.lookup(padded)
        per_row = np.bincount(rows_c, minlength=len(padded)).astype(np.float64)
        vals_c = 1.0 / np.sqrt(per_row[rows_c])
        rows = np.concatenate([np.asarray(rows_w, dtype=np.int64), rows_c])
        order = np.argsort(rows, kind="stable")
        counts = np.bincount(rows, minlength=len(padded))
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        indices = np.concatenate([np.asarray(cols_w, dtype=np.int64), cols_c])[order]
        values = np.concatenate([np.asarray(vals_w, dtype=np.float64), vals_c])[order]
        return Sparse(indptr, indices, values)

    def lexicon_values(self, text: str) -> list[float]:
        scores = self._vader.polarity_scores(text[:MAX_CHARS])
        compound = scores["compound"]
        bins = [0.0] * COMPOUND_BINS
        bins[min(COMPOUND_BINS - 1, int((compound + 1) / 2 * COMPOUND_BINS))] = 1.0
        return [compound, scores["pos"], scores["neg"], scores["neu"], *bins]


def lexicon_feature_names() -> list[str]:
    bins = [f"x:vader_bin{k}" for k in range(COMPOUND_BINS)]
    return ["x:vader_compound", "x:vader_pos", "x:vader_neg", "x:vader_neu", *bins]


def fit_space(texts: Iterable[str], min_df: int = 3, max_features: int = 400_000) -> FeatureSpace:
    """Vocabulary of the features seen in at least ``min_df`` texts, most frequent first."""
    df: dict[str, int] = {}
    for text in texts:
        words, chars = text_features(text)
        for feature in words | chars:
            df[feature] = df.get(feature, 0) + 1
    kept = sorted((f for f, c in df.items() if c >= min_df), key=lambda f: (-df[f], f))
    kept = kept[:max_features]
    return FeatureSpace([*kept, *lexicon_feature_names()])
