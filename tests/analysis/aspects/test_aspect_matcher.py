"""Clause splitting and finding topic mentions in text."""

from __future__ import annotations

import time

import pytest

from socialcem.analysis.aspects import Taxonomy, find_aspects, load_taxonomy, split_clauses
from socialcem.analysis.base import MAX_ANALYSED_CHARS


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def _clauses(text: str) -> list[str]:
    return [text[start:end] for start, end in split_clauses(text)]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("friendly staff but the wait was long", ["friendly staff", "the wait was long"]),
        ("Great coffee! The price is $4.50 now.", ["Great coffee!", "The price is $4.50 now."]),
        ("Nice, however slow; ok\nfine", ["Nice", "slow", "ok", "fine"]),
        ("Although it was busy, we sat at once", ["it was busy, we sat at once"]),
        ("good food though pricey", ["good food", "pricey"]),
        ("clean tables, yet a sticky floor", ["clean tables", "a sticky floor"]),
        ("my parcel has not yet arrived", ["my parcel has not yet arrived"]),
        ("we waited a while while they cooked", ["we waited a while", "they cooked"]),
        ("tasty - but cold", ["tasty", "cold"]),
        ("", []),
        ("  ,  but . ", []),
    ],
)
def test_clause_splitting(text: str, clauses: list[str]) -> None:
    assert _clauses(text) == clauses


def test_each_mention_carries_its_term_and_clause(taxonomy: Taxonomy) -> None:
    text = "Friendly staff but the wait was long."
    mentions = find_aspects(text, taxonomy)
    assert [(m.topic, m.term, m.clause) for m in mentions] == [
        ("staff_service", "Friendly", "Friendly staff"),
        ("staff_service", "staff", "Friendly staff"),
        ("wait_time", "wait", "the wait was long."),
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.term
        assert text[m.clause_start : m.clause_end] == m.clause


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("The barista remembered my order", {"staff_service"}),
        ("Queued for twenty minutes", {"wait_time"}),
        ("Way too pricey for a sandwich", {"price_value"}),
        ("The croissant was stale", {"product_quality"}),
        ("Sticky tables and an overflowing bin", {"cleanliness"}),
        ("The courier lost my parcel", {"delivery"}),
        ("I was overcharged and the refund never came", {"billing"}),
        ("The app crashed at login", {"app_website"}),
        ("Nobody answered my emails", {"communication"}),
        ("Cosy decor and calm music", {"ambience"}),
        ("No parking near the entrance", {"location_access"}),
        ("We had a service charge added", {"billing"}),
        ("Our wait staff was great", {"staff_service"}),
        ("I can't wait to come back", set()),
        ("I can\u2019t wait to come back", set()),
        ("The waiter brought a message", {"staff_service", "communication"}),
        ("Nothing to report about anything here", set()),
    ],
)
def test_topics_across_the_taxonomy(taxonomy: Taxonomy, text: str, topics: set[str]) -> None:
    assert {m.topic for m in find_aspects(text, taxonomy)} == topics
    assert taxonomy.topics_in(text) == topics


def test_empty_and_blank_text(taxonomy: Taxonomy) -> None:
    assert find_aspects("", taxonomy) == []
    assert find_aspects(" \n\t ", taxonomy) == []


def test_huge_text_is_read_up_to_the_cap_in_bounded_time(taxonomy: Taxonomy) -> None:
    sentence = "The staff were lovely but the queue was slow. "
    text = sentence * (1_000_000 // len(sentence))
    start = time.perf_counter()
    mentions = find_aspects(text, taxonomy)
    assert time.perf_counter() - start < 2.0
    assert mentions and all(m.end <= MAX_ANALYSED_CHARS for m in mentions)
    assert len(mentions) <= 4 * (MAX_ANALYSED_CHARS // len(sentence) + 1)
