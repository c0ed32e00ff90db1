"""TF-IDF of short texts on word unigrams and bigrams, as a sparse matrix in plain numpy.

Stop words and generic opinion words go, plurals fold onto their singular ("hours" and
"hour" are one term) and a bigram is two kept words that stood side by side. Each term is
shown in the spelling its texts use most. Rows are L2-normalised, so a dot product is a
cosine similarity.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socialcem.analysis.base import MAX_ANALYSED_CHARS

_STOP = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each else
    even ever every few for from further get got had has have having he her here hers herself
    him himself his how i if in into is it its itself just let me more most much must my
    myself no nor not now of off on once one only or other our ours ourselves out over own
    quite rather re really same she should so some still such than that the their theirs them
    themselves then there these they this those though through to too under until up upon us
    ve ll very was we were what when where which while who whom why will with would yet you
    your yours yourself yourselves don didn doesn isn wasn weren aren won wouldn couldn
    shouldn hasn haven ain im ive id youre theyre thats dont cant wont etc oh"""
STOP_WORDS = frozenset(_STOP.split())
# Opinion and filler words common to all feedback: they say how, never what, so they
# would pull unrelated texts together ("great place", "great app") and name no theme.
_GENERIC = """good great nice bad best worst better worse love loved like liked hate amazing awesome
    excellent terrible awful horrible perfect fine ok okay definitely recommend highly always
    never ever place go going went come came back get got make made time times thing things
    lot lots little way well want wanted say said know think thought try tried really pretty
    truly absolutely totally especially overall today yesterday day"""
GENERIC_WORDS = frozenset(_GENERIC.split())
_DROPPED = STOP_WORDS | GENERIC_WORDS
_TOKEN = re.compile(r"[^\W\d_]+")

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class TermMatrix:
    """Rows are texts in CSR form: row i's terms are ``cols[ptr[i]:ptr[i + 1]]``."""

    ptr: Ints
    cols: Ints
    vals: Floats
    terms: tuple[str, ...]
    """Each column's term as its texts spell it most often ("car park", "hours")."""
    keys: tuple[str, ...]
    """Each column's term as counted: singular forms ("car park", "hour")."""

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.ptr) - 1, len(self.terms)

    def row_ids(self) -> Ints:
        return np.repeat(np.arange(self.shape[0]), np.diff(self.ptr))

    def subset(self, rows: Ints) -> TermMatrix:
        """The given rows (sorted, distinct) as a matrix of their own."""
        mask = np.zeros(self.shape[0], dtype=bool)
        mask[rows] = True
        nonzero = mask[self.row_ids()]
        ptr = np.concatenate([[0], np.cumsum(np.diff(self.ptr)[rows])]).astype(np.int64)
        return TermMatrix(ptr, self.cols[nonzero], self.vals[nonzero], self.terms, self.keys)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _terms(text: str, surface: dict[str, Counter[str]]) -> list[str]:
    """The unigram and bigram terms of one text; records each term's spellings."""
    words = [w for w in _TOKEN.findall(text[:MAX_ANALYSED_CHARS].lower()) if len(w) > 1]
    kept = [(i, w) for i, w in enumerate(words) if w not in _DROPPED]
    found = []
    for n, (i, word) in enumerate(kept):
        term = _singular(word)
        surface.setdefault(term, Counter())[word] += 1
        found.append(term)
        if n and kept[n - 1][0] == i - 1:
            bigram = f"{_singular(kept[n - 1][1])} {term}"
            surface.setdefault(bigram, Counter())[f"{kept[n - 1][1]} {word}"] += 1
            found.append(bigram)
    return found


def tfidf(
    texts: Sequence[str], *, min_df: int = 2, max_df: float = 0.8, max_terms: int = 5000
) -> TermMatrix:
    """Sublinear TF (1 + log tf) times smoothed IDF, on terms in at least ``min_df`` texts
    and at most a ``max_df`` share of them (the ``max_terms`` most frequent kept)."""
    surface: dict[str, Counter[str]] = {}
    counts = [Counter(_terms(t, surface)) for t in texts]
    df = Counter(term for c in counts for term in c)
    ceiling = max_df * len(texts)
    eligible = [t for t, n in df.items() if min_df <= n <= ceiling]
    eligible.sort(key=lambda t: (-df[t], t))
    vocabulary = sorted(eligible[:max_terms])
    index = {t: i for i, t in enumerate(vocabulary)}
    idf = [math.log((1 + len(texts)) / (1 + df[t])) + 1 for t in vocabulary]
    ptr, cols, vals = [0], [], []
    for c in counts:
        row = sorted(
            (index[t], (1 + math.log(n)) * idf[index[t]]) for t, n in c.items() if t in index
        )
        norm = math.sqrt(sum(v * v for _, v in row)) or 1.0
        cols += [j for j, _ in row]
        vals += [v / norm for _, v in row]
        ptr.append(len(cols))
    terms = tuple(surface[t].most_common(1)[0][0] for t in vocabulary)
    return TermMatrix(
        np.asarray(ptr, np.int64),
        np.asarray(cols, np.int64),
        np.asarray(vals, np.float64),
        terms,
        tuple(vocabulary),
    )
