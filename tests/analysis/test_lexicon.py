"""The lexicon (VADER) classifier behind the classifier registry."""

from __future__ import annotations

import time

import pytest

from socialcem.analysis import DEFAULT_MODEL, get_classifier
from socialcem.analysis.base import UnknownModelError, available_models, model_version
from socialcem.analysis.lexicon import LexiconClassifier
from socialcem.models import Analysis, NpsCategory, Sentiment

POSITIVE = "I love this place! The staff are wonderful, friendly and amazing. Best coffee ever."
NEGATIVE = "Terrible service. The staff were rude, the coffee was awful and I hate waiting."
NEUTRAL = "The store opens at nine on weekdays."


@pytest.fixture(scope="module")
def classifier() -> LexiconClassifier:
    found = get_classifier("lexicon")
    assert isinstance(found, LexiconClassifier)
    return found


def _check_probabilities(a: Analysis) -> None:
    sentiment = (a.p_negative, a.p_neutral, a.p_positive)
    nps = (a.p_detractor, a.p_passive, a.p_promoter)
    for group in (sentiment, nps):
        assert all(0.0 <= p <= 1.0 for p in group)
        assert sum(group) == pytest.approx(1.0, abs=1e-3)


def test_lexicon_stays_available_beside_the_default(classifier: LexiconClassifier) -> None:
    assert DEFAULT_MODEL == "linear"
    assert "lexicon" in available_models()
    assert isinstance(get_classifier("lexicon"), LexiconClassifier)


def test_one_analysis_per_text_in_order(classifier: LexiconClassifier) -> None:
    texts = [POSITIVE, NEGATIVE, NEUTRAL, POSITIVE, "", NEGATIVE]
    results = classifier.analyse(texts)
    assert len(results) == len(texts)
    assert [r.sentiment for r in results] == [
        Sentiment.POSITIVE,
        Sentiment.NEGATIVE,
        Sentiment.NEUTRAL,
        Sentiment.POSITIVE,
        Sentiment.NEUTRAL,
        Sentiment.NEGATIVE,
    ]
    assert results[0] == results[3]
    for a in results:
        assert a.model == classifier.name
        _check_probabilities(a)


def test_empty_batch(classifier: LexiconClassifier) -> None:
    assert classifier.analyse([]) == []


def test_positive_text_is_a_promoter(classifier: LexiconClassifier) -> None:
    (a,) = classifier.analyse([POSITIVE])
    assert a.sentiment is Sentiment.POSITIVE
    assert a.nps_category is NpsCategory.PROMOTER
    assert a.p_positive > max(a.p_negative, a.p_neutral)
    assert a.p_promoter > max(a.p_detractor, a.p_passive)


def test_negative_text_is_a_detractor(classifier: LexiconClassifier) -> None:
    (a,) = classifier.analyse([NEGATIVE])
    assert a.sentiment is Sentiment.NEGATIVE
    assert a.nps_category is NpsCategory.DETRACTOR
    assert a.p_negative > max(a.p_neutral, a.p_positive)
    assert a.p_detractor > max(a.p_passive, a.p_promoter)


@pytest.mark.parametrize("text", ["", " ", "\n\t  \r\n", "\u00a0\u2003"])
def test_empty_and_whitespace_are_neutral_passive(classifier: LexiconClassifier, text: str) -> None:
    (a,) = classifier.analyse([text])
    assert a.sentiment is Sentiment.NEUTRAL
    assert a.nps_category is NpsCategory.PASSIVE
    assert a.p_neutral > max(a.p_negative, a.p_positive)
    assert a.p_passive > max(a.p_detractor, a.p_promoter)
    _check_probabilities(a)


@pytest.mark.parametrize(
    "text",
    [
        "!!!???...",
        "😀😀😀",
        "ÇA VA? très bien merci 👍",
        "x" * 50,
        "NOT BAD AT ALL, but not great",
        "\x00\x01 control characters",
    ],
)
def test_odd_texts_do_not_fail(classifier: LexiconClassifier, text: str) -> None:
    (a,) = classifier.analyse([text])
    _check_probabilities(a)


@pytest.mark.parametrize(
    "text",
    [
        ("Great coffee and lovely staff. " * 40_000)[:1_000_000],
        "x" * 1_000_000,
        ("bad " * 250_000),
    ],
    ids=["sentences", "one-word", "repeated-negative"],
)
def test_one_megabyte_text_is_fast(classifier: LexiconClassifier, text: str) -> None:
    assert len(text) >= 999_000
    start = time.perf_counter()
    (a,) = classifier.analyse([text])
    assert time.perf_counter() - start < 2.0
    _check_probabilities(a)


def test_unknown_model_lists_the_available_ones() -> None:
    with pytest.raises(UnknownModelError) as info:
        get_classifier("nope")
    message = str(info.value)
    assert "'nope'" in message
    assert "lexicon" in message
    assert isinstance(info.value, ValueError)


def test_model_version_matches_the_classifier_name(classifier: LexiconClassifier) -> None:
    assert model_version("lexicon") == classifier.name
    assert classifier.name == "lexicon-vader@1"


def test_model_version_unknown() -> None:
    with pytest.raises(UnknownModelError, match="lexicon"):
        model_version("nope")
