"""The packaged default model on text written for these tests."""

from __future__ import annotations

import time

import pytest

from socialcem.analysis.base import get_classifier, model_version
from socialcem.analysis.linear import LinearClassifier
from socialcem.analysis.prevalence import Confusion
from socialcem.models import NpsCategory, Sentiment


@pytest.fixture(scope="module")
def model() -> LinearClassifier:
    return LinearClassifier()


def test_registered_under_linear() -> None:
    assert model_version("linear") == "linear-cx@1"
    assert isinstance(get_classifier("linear"), LinearClassifier)


def test_clear_cases(model: LinearClassifier) -> None:
    bad, good = model.analyse(
        [
            "Worst service ever. Rude staff, cold food, and they overcharged me. Never again.",
            "Absolutely loved it! Friendly staff, great food, I recommend them to everyone.",
        ]
    )
    assert bad.sentiment is Sentiment.NEGATIVE and bad.nps_category is NpsCategory.DETRACTOR
    assert good.sentiment is Sentiment.POSITIVE and good.nps_category is NpsCategory.PROMOTER
    assert bad.extra["ltr"] < 5 < good.extra["ltr"]


def test_probabilities_are_distributions(model: LinearClassifier) -> None:
    for a in model.analyse(["ok", "meh, it was fine", "Great!!! :)"]):
        assert abs(a.p_negative + a.p_neutral + a.p_positive - 1) < 1e-6
        assert abs(a.p_detractor + a.p_passive + a.p_promoter - 1) < 1e-6
        assert 0 <= float(a.extra["ltr"]) <= 10  # type: ignore[arg-type]


def test_aspects_carry_their_own_sentiment(model: LinearClassifier) -> None:
    [a] = model.analyse(["The staff were friendly but the wait was far too long."])
    aspects = a.extra["aspects"]
    assert isinstance(aspects, dict)
    assert aspects["staff_service"] > 0 > aspects["wait_time"]


def test_unsupported_language_is_kept_out_of_social_nps(model: LinearClassifier) -> None:
    german, english = model.analyse(
        [
            "Der Kellner war sehr unfreundlich und das Essen war leider kalt.",
            "The waiter was very unfriendly and the food was cold.",
        ]
    )
    assert german.language == "de" and german.scored is False
    assert english.language == "en" and english.scored is True


def test_odd_input_gets_a_defined_result_quickly(model: LinearClassifier) -> None:
    start = time.perf_counter()
    empty, huge, emoji = model.analyse(["", "terrible " * 120_000, "🙂🙂🙂"])
    assert time.perf_counter() - start < 2.0
    assert empty.language == "und" and empty.scored
    assert huge.sentiment is Sentiment.NEGATIVE
    assert emoji.sentiment in set(Sentiment)
    assert model.analyse([]) == []


def test_ships_its_out_of_domain_confusion(model: LinearClassifier) -> None:
    confusion = model.confusion
    assert isinstance(confusion, Confusion)
    assert confusion.systematic_sd > 0
    assert all(sum(row) > 0 for row in confusion.counts)
