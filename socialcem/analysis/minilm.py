"""The ``[ml]`` accuracy tier: MiniLM sentence embeddings read by small trained heads.

The encoder (all-MiniLM-L6-v2, run by PyTorch) turns a text into a 384-d vector; three
heads turn that vector, plus VADER's four lexicon scores (prior polarity that tweets alone
teach poorly), into sentiment, NPS category and a 0-10 likelihood to recommend. The heads
are plain arrays shipped with the package, so inference past the encoder is numpy, and
retraining them (``python -m socialcem.analysis.training.minilm``) needs no GPU.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from socialcem.analysis import readings
from socialcem.analysis.aspects import load_taxonomy
from socialcem.analysis.base import MAX_ANALYSED_CHARS
from socialcem.analysis.embedding import Embeddings, Encoder
from socialcem.analysis.linear_model import softmax
from socialcem.analysis.prevalence import Confusion
from socialcem.analysis.readings import confusion_in, read_analyses
from socialcem.analysis.vader_fast import FastVader
from socialcem.models import Analysis

MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm"
LEXICON = ("neg", "neu", "pos", "compound")
SENTIMENTS = tuple(s.value for s in readings.SENTIMENTS)
CATEGORIES = tuple(c.value for c in readings.CATEGORIES)
# Texts go through the encoder in slices this long, so memory stays flat on a big batch.
CHUNK = 1_024

Matrix = NDArray[np.float64]


def lexicon_features(texts: Sequence[str], vader: FastVader | None = None) -> Matrix:
    """VADER's neg, neu, pos and compound for each text (the same code path as training)."""
    vader = vader or FastVader()
    rows = [vader.polarity_scores(t[:MAX_ANALYSED_CHARS]) for t in texts]
    return np.array([[r[k] for k in LEXICON] for r in rows], dtype=np.float64).reshape(-1, 4)


def head_inputs(embeddings: Embeddings, lexicon: Matrix) -> Matrix:
    return np.hstack([embeddings.astype(np.float64), lexicon])


@dataclass(frozen=True, slots=True)
class Head:
    """An affine map of the inputs (feature scaling folded in), read as classes or a value."""

    outputs: tuple[str, ...]
    weights: Matrix
    bias: Matrix
    kind: str = "softmax"
    clip: tuple[float, float] | None = None

    def apply(self, x: Matrix) -> Matrix:
        z = x @ self.weights + self.bias
        if self.kind == "softmax":
            return softmax(z)
        return np.clip(z, *self.clip) if self.clip else z


@dataclass(slots=True)
class Heads:
    heads: dict[str, Head]
    meta: dict[str, Any] = field(default_factory=dict)

    def predict(self, x: Matrix) -> dict[str, Matrix]:
        return {name: head.apply(x) for name, head in self.heads.items()}

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {}
        for name, head in self.heads.items():
            arrays[f"{name}.weights"] = head.weights.astype(np.float32)
            arrays[f"{name}.bias"] = head.bias.astype(np.float32)
        np.savez_compressed(directory / "heads.npz", **arrays)
        spec = {
            n: {"outputs": list(h.outputs), "kind": h.kind, "clip": h.clip}
            for n, h in self.heads.items()
        }
        meta = {**self.meta, "heads": spec}
        (directory / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def load_heads(directory: Path = MODEL_DIR) -> Heads:
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    heads = {}
    with np.load(directory / "heads.npz") as arrays:
        for name, spec in meta["heads"].items():
            clip = spec.get("clip")
            heads[name] = Head(
                outputs=tuple(spec["outputs"]),
                weights=arrays[f"{name}.weights"].astype(np.float64),
                bias=arrays[f"{name}.bias"].astype(np.float64),
                kind=spec["kind"],
                clip=(float(clip[0]), float(clip[1])) if clip else None,
            )
    return Heads(heads, meta)


class MiniLMClassifier:
    """Sentiment, NPS category and likelihood to recommend from MiniLM embeddings.

    The same contract as the default model: language detected, text in a language the
    heads were not trained on marked ``scored=False`` (the encoder is English-centric and
    reads other languages near chance), and aspect sentiments in ``extra``.
    """

    name = "minilm-heads@1"

    def __init__(self, encoder: Encoder | None = None, directory: Path = MODEL_DIR) -> None:
        self.encoder = encoder or Encoder()
        self.heads = load_heads(directory)
        if self.heads.heads["sentiment"].outputs != SENTIMENTS or (
            self.heads.heads["nps"].outputs != CATEGORIES
        ):
            raise ValueError(f"unexpected head outputs in {directory}")
        self.languages = frozenset(self.heads.meta.get("languages", ["en"]))
        self.taxonomy = load_taxonomy()
        self._vader = FastVader()

    @property
    def confusion(self) -> Confusion:
        """Leave-one-domain-out confusion of the NPS head, for adjusted classify-and-count."""
        return Confusion.from_dict(self.heads.meta["confusion"])

    @staticmethod
    def packaged_confusion() -> Confusion | None:
        """The same from the metadata alone: a report needs it without PyTorch installed."""
        return confusion_in(MODEL_DIR)

    def predict(self, texts: Sequence[str]) -> dict[str, Matrix]:
        """Each head's output for a batch: probabilities, or the 0-10 likelihood."""
        parts = []
        for start in range(0, len(texts), CHUNK):
            chunk = [t[:MAX_ANALYSED_CHARS] for t in texts[start : start + CHUNK]]
            x = head_inputs(self.encoder.encode(chunk), lexicon_features(chunk, self._vader))
            parts.append(self.heads.predict(x))
        if not parts:
            return {n: np.zeros((0, len(h.outputs))) for n, h in self.heads.heads.items()}
        return {n: np.vstack([p[n] for p in parts]) for n in self.heads.heads}

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        texts = [t[:MAX_ANALYSED_CHARS] for t in texts]
        if not texts:
            return []
        out = self.predict(texts)
        return read_analyses(
            self.name, texts, out["sentiment"], out["nps"], out["ltr"],
            self.languages, self.taxonomy,
        )  # fmt: skip
