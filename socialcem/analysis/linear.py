"""The default model: trained linear heads over word, character and lexicon features.

Sentiment is learnt from labelled tweets; the NPS category and the likelihood to
recommend are learnt from reviews with a native rating, so an NPS reading is never a
relabelled sentiment. Text in a language the model was not trained on is marked
``scored=False``: it is stored and shown, but kept out of Social NPS.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from socialcem.analysis.aspects import Taxonomy, aspect_sentiments_many, load_taxonomy
from socialcem.analysis.base import MAX_ANALYSED_CHARS
from socialcem.analysis.language import detect_languages, supported_language
from socialcem.analysis.linear_model import LinearModel, load_model
from socialcem.analysis.prevalence import Confusion
from socialcem.models import Analysis, NpsCategory, Sentiment

SENTIMENTS = (Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE)
CATEGORIES = (NpsCategory.DETRACTOR, NpsCategory.PASSIVE, NpsCategory.PROMOTER)


def packaged_model_dir() -> Path:
    return Path(str(resources.files("socialcem.analysis") / "models" / "linear"))


@cache
def packaged_model() -> LinearModel:
    return load_model(packaged_model_dir())


@cache
def _packaged_confusion() -> Confusion | None:
    meta = json.loads((packaged_model_dir() / "meta.json").read_text(encoding="utf-8"))
    return Confusion.from_dict(meta["confusion"]) if meta.get("confusion") else None


class LinearClassifier:
    name = "linear-cx@1"

    def __init__(self, model: LinearModel | None = None, taxonomy: Taxonomy | None = None) -> None:
        self.model = model or packaged_model()
        self.languages = frozenset(self.model.meta.get("languages", ["en"]))
        self.taxonomy = taxonomy or load_taxonomy()

    @property
    def confusion(self) -> Confusion | None:
        """Out-of-domain confusion of the NPS head, measured when the model was trained."""
        data = self.model.meta.get("confusion")
        return Confusion.from_dict(data) if data else None

    @staticmethod
    def packaged_confusion() -> Confusion | None:
        """The same for the packaged model, read from its metadata alone: a report needs
        the correction, not the weights (loading those costs most of a second)."""
        return _packaged_confusion()

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        texts = [t[:MAX_ANALYSED_CHARS] for t in texts]
        if not texts:
            return []
        scores = self.model.predict(texts)
        sentiment, category, ltr = scores["sentiment"], scores["nps"], scores["ltr"]
        aspects = aspect_sentiments_many(texts, self.taxonomy)
        out = []
        for i, guess in enumerate(detect_languages(texts)):
            s, c = sentiment[i], category[i]
            extra: dict[str, object] = {"ltr": round(float(ltr[i, 0]), 2)}
            if aspects[i]:
                extra["aspects"] = {a.topic: round(a.score, 3) for a in aspects[i]}
            out.append(
                Analysis(
                    model=self.name,
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
                    scored=supported_language(guess, self.languages),
                )
            )
        return out
