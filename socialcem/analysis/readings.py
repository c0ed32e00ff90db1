"""From a model's head outputs to stored Analysis rows: the contract every trained tier keeps.

Each tier computes sentiment and NPS probabilities and a 0-10 likelihood its own way; what
follows is shared: the language of each text (unsupported ones marked ``scored=False``),
aspect sentiments in ``extra``, and the out-of-domain confusion read from the metadata.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from socialcem.analysis.aspects import Taxonomy, aspect_sentiments_many
from socialcem.analysis.intents import stored_intents
from socialcem.analysis.language import detect_languages, supported_language
from socialcem.analysis.prevalence import Confusion
from socialcem.models import Analysis, NpsCategory, Sentiment

SENTIMENTS = (Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE)
CATEGORIES = (NpsCategory.DETRACTOR, NpsCategory.PASSIVE, NpsCategory.PROMOTER)

Matrix = NDArray[np.float64]


def read_analyses(
    model: str,
    texts: Sequence[str],
    sentiment: Matrix,
    nps: Matrix,
    ltr: Matrix,
    languages: Collection[str],
    taxonomy: Taxonomy,
) -> list[Analysis]:
    """One Analysis per text from probabilities in SENTIMENTS / CATEGORIES order."""
    aspects = aspect_sentiments_many(texts, taxonomy)
    values = np.asarray(ltr, dtype=np.float64).reshape(len(texts))
    out = []
    for i, guess in enumerate(detect_languages(texts)):
        s, c = sentiment[i], nps[i]
        extra: dict[str, object] = {"ltr": round(float(values[i]), 2)}
        if aspects[i]:
            extra["aspects"] = {a.topic: round(a.score, 3) for a in aspects[i]}
        intents = stored_intents(texts[i])
        if intents:
            extra["intents"] = intents
        out.append(
            Analysis(
                model=model,
                sentiment=SENTIMENTS[int(s.argmax())],
                p_negative=float(s[0]),
                p_neutral=float(s[1]),
                p_positive=float(s[2]),
                nps_category=CATEGORIES[int(c.argmax())],
                p_detractor=float(c[0]),
                p_passive=float(c[1]),
                p_promoter=float(c[2]),
                language=guess.code,
                extra=extra,
                scored=supported_language(guess, languages),
            )
        )
    return out


@cache
def confusion_in(directory: Path) -> Confusion | None:
    """A model's confusion from its meta.json alone: a report needs the correction, not the
    weights (loading those costs most of a second)."""
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    return Confusion.from_dict(meta["confusion"]) if meta.get("confusion") else None
