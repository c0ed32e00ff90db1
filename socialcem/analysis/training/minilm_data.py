"""Training sets for the MiniLM heads, and a disk cache of their embeddings.

Encoding ~90k texts takes about an hour on two cores, and every experiment needs the same
vectors, so they are cached outside the repository (``$SOCIALCEM_EMBED_CACHE`` or the
temporary directory), keyed by a hash of the text, in shards written as they are made:
an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from socialcem.analysis.embedding import DIMENSIONS, MAX_TOKENS, Embeddings, Encoder
from socialcem.analysis.training.data import Example, read_rated

PER_DOMAIN = 5_000
HELD_OUT_DOMAIN = "restaurant"
"""Never used for training or tuning: reported once, at the end."""
SHARD = 2_048


def cache_dir() -> Path:
    root = os.environ.get("SOCIALCEM_EMBED_CACHE") or tempfile.gettempdir()
    return Path(root) / f"socialcem-minilm-l6-t{MAX_TOKENS}"


def capped(examples: Sequence[Example], per_domain: int, seed: int = 0) -> list[Example]:
    """At most ``per_domain`` reviews a domain, sampled within each label in proportion.

    Proportional strata keep each domain's true NPS, which the evaluation compares against.
    """
    rng = random.Random(seed)
    groups: dict[str, dict[str, list[Example]]] = defaultdict(lambda: defaultdict(list))
    for ex in examples:
        groups[ex.domain][ex.label].append(ex)
    out: list[Example] = []
    for domain in sorted(groups):
        by_label = groups[domain]
        total = sum(len(v) for v in by_label.values())
        share = min(1.0, per_domain / total)
        for label in sorted(by_label):
            items = by_label[label]
            out.extend(rng.sample(items, round(len(items) * share)))
    return out


def rated_sample(data: Path, per_domain: int = PER_DOMAIN) -> list[Example]:
    return capped(read_rated(data), per_domain)


def read_multilingual(data: Path, split: str = "val") -> list[Example]:
    """Non-English tweets (text, label, lang); ``domain`` carries the language."""
    path = data / "tweets" / f"multi_{split}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return [Example(r["text"], r["label"], r["lang"]) for r in csv.DictReader(handle)]


def _key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


def _padded(stored: bytes) -> bytes:
    """A key read back from numpy, which drops a digest's trailing zero bytes."""
    return bytes(stored).ljust(20, b"\0")


class EmbeddingCache:
    """Embeddings by text hash, loaded from and appended to shards in one directory."""

    def __init__(self, directory: Path | None = None, encoder: Encoder | None = None) -> None:
        self.directory = directory or cache_dir()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._encoder = encoder
        self._rows: dict[bytes, Embeddings] = {}
        for shard in sorted(self.directory.glob("shard-*.npz")):
            with np.load(shard) as arrays:
                for key, vec in zip(arrays["keys"], arrays["vectors"], strict=True):
                    self._rows[_padded(key)] = vec

    def __len__(self) -> int:
        return len(self._rows)

    def missing(self, texts: Sequence[str]) -> list[str]:
        seen: set[bytes] = set()
        out = []
        for text in texts:
            key = _key(text)
            if key not in self._rows and key not in seen:
                seen.add(key)
                out.append(text)
        return out

    def _write(self, texts: Sequence[str], vectors: Embeddings) -> None:
        keys = np.array([_key(t) for t in texts], dtype="S20")
        name = f"shard-{len(list(self.directory.glob('shard-*.npz'))):05d}"
        tmp = self.directory / f"{name}.partial"
        with tmp.open("wb") as handle:
            np.savez(handle, keys=keys, vectors=vectors.astype(np.float32))
        tmp.rename(self.directory / f"{name}.npz")
        for key, vec in zip(keys, vectors, strict=True):
            self._rows[_padded(key)] = vec

    def fill(
        self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Encode what is not cached yet, one shard at a time."""
        todo = self.missing(texts)
        if todo and self._encoder is None:
            self._encoder = Encoder()
        for start in range(0, len(todo), SHARD):
            chunk = todo[start : start + SHARD]
            assert self._encoder is not None
            self._write(chunk, self._encoder.encode(chunk))
            if progress:
                progress(start + len(chunk), len(todo))

    def embed(self, texts: Sequence[str]) -> Embeddings:
        """Rows for the texts, in order, encoding whatever is missing first."""
        self.fill(texts)
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._rows[_key(text)]
        return out
