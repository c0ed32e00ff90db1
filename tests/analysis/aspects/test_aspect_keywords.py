"""Keyword syntax: whole words, inflections, wildcards, phrases, and nothing else."""

from __future__ import annotations

import re

import pytest

from socialcem.analysis.aspects.keywords import KeywordError, fold, keyword_pattern, keyword_regex


def _matches(keyword: str, word: str) -> bool:
    return re.fullmatch(keyword_regex(keyword), fold(word)) is not None


@pytest.mark.parametrize(
    ("keyword", "found", "not_found"),
    [
        ("wait", ["wait", "waits", "waited", "waiting", "WAITING"], ["waiter", "awaited"]),
        ("price", ["price", "prices", "priced", "pricing"], ["pricey", "priceless"]),
        ("delivery", ["delivery", "deliveries"], ["deliver"]),
        ("reply", ["reply", "replies", "replied", "replying"], ["replay"]),
        ("ship", ["ship", "ships", "shipped", "shipping"], ["shipment"]),
        ("mess", ["mess", "messes", "messed"], ["message"]),
        ("clean*", ["clean", "cleaner", "cleanliness"], ["unclean"]),
        (
            "car park",
            ["car park", "car-park", "Car  Park", "car parking"],
            ["carpark", "cars park"],
        ),
        ("wi-fi", ["wi-fi", "wifi", "wi fi"], ["wi-fis"]),
        ("doesn't work", ["doesn't work", "doesn\u2019t work"], ["doesnt work"]),
        ("ui", ["ui", "UI"], ["uis"]),
    ],
)
def test_keyword_forms(keyword: str, found: list[str], not_found: list[str]) -> None:
    for word in found:
        assert _matches(keyword, word), word
    for word in not_found:
        assert not _matches(keyword, word), word


@pytest.mark.parametrize("keyword", ["", "   ", "a|b", "x(y)", "*x", "x*y", "a_b", "a--b", "$5"])
def test_anything_else_is_refused(keyword: str) -> None:
    with pytest.raises(KeywordError):
        keyword_regex(keyword)


def test_one_pattern_finds_whole_words_and_prefers_phrases() -> None:
    keywords = ["service", "service charge", "bill", "charge"]
    pattern, order = keyword_pattern(keywords)
    text = fold("The SERVICE CHARGE on my bill; billions of services, no surcharge.")
    found = [(m.group(), keywords[order[(m.lastindex or 0) - 1]]) for m in pattern.finditer(text)]
    assert found == [
        ("service charge", "service charge"),
        ("bill", "bill"),
        ("services", "service"),
    ]


def test_fold_keeps_every_offset() -> None:
    text = "İSTANBUL Straße café ’"
    assert len(fold(text)) == len(text)
