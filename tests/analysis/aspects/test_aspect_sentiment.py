"""Sentiment per aspect: each topic takes the polarity of the clauses that mention it."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from socialcem.analysis.aspects import (
    Taxonomy,
    Topic,
    aspect_sentiments,
    aspect_sentiments_many,
    load_taxonomy,
    vader_polarity,
)
from socialcem.models import Sentiment

POS, NEU, NEG = Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def _read(text: str, taxonomy: Taxonomy) -> dict[str, Sentiment]:
    return {a.topic: a.sentiment for a in aspect_sentiments(text, taxonomy)}


def test_friendly_staff_but_a_long_wait(taxonomy: Taxonomy) -> None:
    found = aspect_sentiments("friendly staff but the wait was long", taxonomy)
    assert [(a.topic, a.sentiment) for a in found] == [
        ("staff_service", POS),
        ("wait_time", NEG),
    ]
    staff = found[0]
    assert staff.terms == ("friendly", "staff")
    assert len(staff.mentions) == 2 and 0.0 < staff.score <= 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The coffee was delicious but way too expensive.",
            {"product_quality": POS, "price_value": NEG},
        ),
        ("The bathroom was filthy.", {"cleanliness": NEG}),
        ("The store was spotless.", {"cleanliness": POS}),
        ("I emailed three times and never heard back.", {"communication": NEG}),
        ("They kept me updated the whole time.", {"communication": POS}),
        ("The music was far too loud.", {"ambience": NEG}),
        ("There is never any parking, it is so annoying.", {"location_access": NEG}),
        ("The staff were not friendly at all.", {"staff_service": NEG}),
        ("The wait was not long at all.", {"wait_time": POS}),
        ("Great value for money.", {"price_value": POS}),
        ("Prices are reasonable.", {"price_value": POS}),
        ("The food was cold and bland.", {"product_quality": NEG}),
        ("My order was delivered on time.", {"delivery": POS}),
        ("My parcel arrived two weeks late.", {"delivery": NEG}),
        ("The app keeps crashing.", {"app_website": NEG}),
        ("They charged my card twice!", {"billing": NEG}),
        (
            "The waiter was lovely, however the bill had errors.",
            {"staff_service": POS, "billing": NEG},
        ),
        ("We ordered at the counter.", {}),
    ],
)
def test_hand_written_examples(
    taxonomy: Taxonomy, text: str, expected: dict[str, Sentiment]
) -> None:
    assert _read(text, taxonomy) == expected


def test_one_result_per_topic_is_the_mean_of_its_clauses(taxonomy: Taxonomy) -> None:
    def fixed(clauses: Sequence[str]) -> list[float]:
        return [0.8 if "good" in c else -0.4 for c in clauses]

    found = aspect_sentiments("The staff were good. The staff were bad. Staff!", taxonomy, fixed)
    assert len(found) == 1
    assert found[0].score == pytest.approx((0.8 - 0.4 - 0.4) / 3)
    assert found[0].sentiment == NEU
    assert len(found[0].mentions) == 3


def test_the_polarity_model_is_injected_and_called_once_per_batch(taxonomy: Taxonomy) -> None:
    calls: list[list[str]] = []

    def model(clauses: Sequence[str]) -> list[float]:
        calls.append(list(clauses))
        return [5.0] * len(clauses)  # out of range: clipped to 1

    texts = ["slow queue", "", "rude staff but clean floors", "nothing here"]
    results = aspect_sentiments_many(texts, taxonomy, model)
    assert calls == [["slow queue", "rude staff", "clean floors"]]
    assert [[(a.topic, a.score) for a in r] for r in results] == [
        [("wait_time", 1.0)],
        [],
        [("staff_service", 1.0), ("cleanliness", 1.0)],
        [],
    ]


def test_a_model_that_returns_the_wrong_count_is_an_error(taxonomy: Taxonomy) -> None:
    with pytest.raises(ValueError, match="must return 2 finite scores"):
        aspect_sentiments("rude staff. slow queue.", taxonomy, lambda clauses: [0.0])
    with pytest.raises(ValueError, match="must return 1 finite scores"):
        aspect_sentiments("rude staff", taxonomy, lambda clauses: [float("nan")])


def test_thresholds_and_cues_are_options(taxonomy: Taxonomy) -> None:
    text = "the wait was long"
    assert _read(text, taxonomy) == {"wait_time": NEG}
    plain = aspect_sentiments(text, taxonomy, cues=False)
    assert [(a.topic, a.sentiment, a.score) for a in plain] == [("wait_time", NEU, 0.0)]
    strict = aspect_sentiments("the staff were okay", taxonomy, positive_min=0.9)
    assert strict[0].sentiment == NEU


def test_cues_belong_to_their_topic() -> None:
    battery = Taxonomy((Topic("battery", "Battery", ("battery",), positive=("long",)),))
    assert _read("the battery life is long", battery) == {"battery": POS}


def test_batch_matches_one_by_one(taxonomy: Taxonomy) -> None:
    texts = ["friendly staff but the wait was long", "dirty tables", "", "great app"]
    assert aspect_sentiments_many(texts, taxonomy) == [
        aspect_sentiments(t, taxonomy) for t in texts
    ]


def test_vader_adapter_scores_in_range() -> None:
    scores = vader_polarity(["I love it", "I hate it", "it is a table", ""])
    assert scores[0] > 0.5 and scores[1] < -0.5 and scores[2] == 0.0 and scores[3] == 0.0
