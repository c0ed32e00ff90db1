"""A trained linear model on the shared feature space: heads, their weights, and files.

One feature pass per text serves every head (sentiment, NPS category, likelihood to
recommend). The weights are plain arrays, so the default install needs numpy and
nothing else to run them, and anyone can read which features push a score up or down.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from socialcem.analysis.features import FeatureSpace, Sparse

Matrix = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Head:
    """Classes (or one output for a regression) with weights of shape (features, outputs)."""

    name: str
    outputs: tuple[str, ...]
    weights: NDArray[np.float32]
    bias: NDArray[np.float32]
    kind: str = "softmax"
    """``softmax`` for classes, ``linear`` for a regression clipped to ``clip``."""
    clip: tuple[float, float] | None = None


def linear_scores(rows: Sparse, weights: NDArray[np.float32], bias: NDArray[Any]) -> Matrix:
    """Rows times weights plus bias, for a batch in CSR layout."""
    n = len(rows.indptr) - 1
    out = np.zeros((n, weights.shape[1]), dtype=np.float64)
    if len(rows.indices):
        idx = np.asarray(rows.indices, dtype=np.int64)
        contrib = weights[idx] * np.asarray(rows.values, dtype=np.float32)[:, None]
        bounds = np.asarray(rows.indptr, dtype=np.int64)
        starts = bounds[:-1]
        filled = starts < bounds[1:]
        out[filled] = np.add.reduceat(contrib, starts[filled], axis=0, dtype=np.float64)
    result: Matrix = out + bias
    return result


def softmax(z: Matrix) -> Matrix:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    result: Matrix = e / e.sum(axis=1, keepdims=True)
    return result


@dataclass(slots=True)
class LinearModel:
    space: FeatureSpace
    heads: dict[str, Head]
    meta: dict[str, Any] = field(default_factory=dict)
    _stack: Any = field(default=None, init=False, repr=False)

    def predict(self, texts: Sequence[str]) -> dict[str, Matrix]:
        """Per head: probabilities (softmax heads) or the clipped value (linear heads)."""
        rows = self.space.transform(texts)
        weights, bias, spans = self._stacked()
        scores = linear_scores(rows, weights, bias)
        out = {}
        for name, head in self.heads.items():
            z = scores[:, spans[name][0] : spans[name][1]]
            if head.kind == "softmax":
                out[name] = softmax(z)
            else:
                out[name] = np.clip(z, *head.clip) if head.clip else z
        return out

    def _stacked(
        self,
    ) -> tuple[NDArray[np.float32], NDArray[np.float32], dict[str, tuple[int, int]]]:
        """All heads side by side: one gather of weight rows per batch serves every head."""
        if self._stack is None:
            spans, start = {}, 0
            for name, head in self.heads.items():
                spans[name] = (start, start + head.weights.shape[1])
                start += head.weights.shape[1]
            weights = np.hstack([h.weights for h in self.heads.values()]).astype(np.float32)
            bias = np.concatenate([h.bias for h in self.heads.values()]).astype(np.float32)
            self._stack = (weights, bias, spans)
        stacked: tuple[NDArray[np.float32], NDArray[np.float32], dict[str, tuple[int, int]]]
        stacked = self._stack
        return stacked

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        # mtime=0: the same model gives byte-identical files, so retraining shows no diff.
        raw = gzip.GzipFile(directory / "features.json.gz", "wb", mtime=0)
        with io.TextIOWrapper(raw, encoding="utf-8") as handle:
            json.dump({"names": self.space.names}, handle)
        arrays: dict[str, Any] = {}
        for name, head in self.heads.items():
            arrays[f"{name}.weights"] = head.weights.astype(np.float16)
            arrays[f"{name}.bias"] = head.bias.astype(np.float32)
        np.savez_compressed(directory / "weights.npz", **arrays)
        heads = {
            n: {"outputs": list(h.outputs), "kind": h.kind, "clip": h.clip}
            for n, h in self.heads.items()
        }
        meta = {**self.meta, "heads": heads}
        (directory / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def load_model(directory: Path) -> LinearModel:
    with gzip.open(directory / "features.json.gz", "rt", encoding="utf-8") as handle:
        vocabulary = json.load(handle)
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    heads = {}
    with np.load(directory / "weights.npz") as arrays:
        for name, spec in meta["heads"].items():
            clip = spec.get("clip")
            heads[name] = Head(
                name=name,
                outputs=tuple(spec["outputs"]),
                weights=arrays[f"{name}.weights"].astype(np.float32),
                bias=arrays[f"{name}.bias"],
                kind=spec["kind"],
                clip=(float(clip[0]), float(clip[1])) if clip else None,
            )
    return LinearModel(FeatureSpace(vocabulary["names"]), heads, meta)
