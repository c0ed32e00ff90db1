"""The classifier interface and the registry that picks an implementation by name.

Implementations live one per module and are imported lazily, so a heavy one (an
embedding model) costs nothing until it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import import_module
from typing import Any, Protocol

from socialcem.models import Analysis

DEFAULT_MODEL = "linear"

# Long texts are read up to this many characters: enough for any review, and it keeps
# the cost of one pathological item bounded.
MAX_ANALYSED_CHARS = 10_000


class Classifier(Protocol):
    """Reads texts and returns one Analysis each, in order."""

    name: str
    """Versioned model name stored on every analysis row, e.g. ``lexicon-vader@1``."""

    def analyse(self, texts: Sequence[str]) -> list[Analysis]: ...


_REGISTRY: dict[str, tuple[str, str]] = {
    "linear": ("socialcem.analysis.linear", "LinearClassifier"),
    "lexicon": ("socialcem.analysis.lexicon", "LexiconClassifier"),
    "minilm": ("socialcem.analysis.minilm", "MiniLMClassifier"),
}


class UnknownModelError(ValueError):
    pass


def available_models() -> list[str]:
    return sorted(_REGISTRY)


def _implementation(name: str) -> Any:
    """The class behind a model name, imported on first use."""
    try:
        module_name, attr = _REGISTRY[name]
    except KeyError:
        raise UnknownModelError(
            f"unknown model {name!r}; available: {', '.join(available_models())}"
        ) from None
    return getattr(import_module(module_name), attr)


def model_class(name: str = DEFAULT_MODEL) -> Any:
    """The class behind a model name, without loading the model's weights."""
    return _implementation(name)


def get_classifier(name: str = DEFAULT_MODEL) -> Classifier:
    factory: Callable[[], Classifier] = _implementation(name)
    return factory()


@lru_cache(maxsize=4)
def loaded_classifier(name: str) -> Classifier:
    """One instance per model and process: loading a model costs more than a batch."""
    return get_classifier(name)


def model_version(name: str | None = None) -> str:
    """The versioned name a model stores on its rows, without loading the model."""
    return str(_implementation(name or DEFAULT_MODEL).name)
