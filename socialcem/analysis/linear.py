"""The default model: trained linear heads over word, character and lexicon features.

Sentiment is learnt from labelled tweets; the NPS category and the likelihood to
recommend are learnt from reviews with a native rating, so an NPS reading is never a
relabelled sentiment. Text in a language the model was not trained on is marked
``scored=False``: it is stored and shown, but kept out of Social NPS.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from socialcem.analysis.aspects import Taxonomy, load_taxonomy
from socialcem.analysis.base import MAX_ANALYSED_CHARS
from socialcem.analysis.linear_model import LinearModel, load_model
from socialcem.analysis.prevalence import Confusion
from socialcem.analysis.readings import confusion_in, read_analyses
from socialcem.models import Analysis


def packaged_model_dir() -> Path:
    return Path(str(resources.files("socialcem.analysis") / "models" / "linear"))


@cache
def packaged_model() -> LinearModel:
    return load_model(packaged_model_dir())


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
        """The same for the packaged model, without loading its weights."""
        return confusion_in(packaged_model_dir())

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        texts = [t[:MAX_ANALYSED_CHARS] for t in texts]
        if not texts:
            return []
        scores = self.model.predict(texts)
        return read_analyses(
            self.name, texts, scores["sentiment"], scores["nps"], scores["ltr"],
            self.languages, self.taxonomy,
        )  # fmt: skip
