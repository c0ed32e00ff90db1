"""Candidate themes: clustering texts no topic matched, on generated texts written here."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from socialcem.analysis.aspects import Taxonomy, Topic
from socialcem.analysis.aspects.themes import Theme, discover_themes

PLANTED = {
    "parking": (
        "could not find a parking space anywhere near the shop",
        "the car park was full again so I drove around for ages",
        "parking is a nightmare, the car park needs more spaces",
        "had to pay for parking because the free car park was closed",
        "no parking spaces left at lunchtime, the car park is too small",
        "the car park barrier was broken and parking took forever",
        "please add more parking, the car park is always full",
        "parking tickets from the car park attendant for ten minutes over",
    ),
    "loyalty": (
        "my loyalty card stamps disappeared after the update",
        "the loyalty card never gives me the free tenth cup",
        "lost my loyalty card and they could not transfer the stamps",
        "loyalty card rewards expired before I could use them",
        "the new loyalty card scheme is confusing, stamps or points",
        "forgot my loyalty card and they refused to add the stamps later",
        "loyalty card stamps only count on weekdays now",
        "they stopped taking the old loyalty card with my saved stamps",
    ),
    "hours": (
        "the opening hours on the door say nine but nobody opened until ten",
        "please extend the opening hours on sundays",
        "opening hours changed without notice, closed at four today",
        "the sign shows different opening hours from the one online",
        "evening opening hours would help people who work late",
        "your holiday opening hours were not posted anywhere",
        "early opening hours before seven would be great for commuters",
        "opening hours are too short, it is closed by the time I finish work",
    ),
}
LABEL_WORDS = {"parking": "park", "loyalty": "loyalty", "hours": "opening hours"}
NOISE = (
    "my cousin visited from abroad",
    "the weather turned grey",
    "just bought new running shoes",
    "our neighbour adopted a puppy",
    "reading a novel about sailors",
    "the football match ended in a draw",
    "planting tomatoes in the garden",
    "the library has a new exhibition about maps",
    "my sister is learning the violin",
    "we watched fireworks over the river",
    "the train to the coast was quiet",
    "a documentary about volcanoes",
)
WHEN = ("", "", "last saturday", "this morning", "on my way to work", "with the kids", "as usual")


def planted(seed: int, per_theme: int = 20, noise: int = 15) -> tuple[list[str], list[str]]:
    """(texts, the planted theme of each or "noise"), shuffled."""
    rng = random.Random(seed)
    rows = [
        (f"{rng.choice(pool)} {rng.choice(WHEN)}".strip(), name)
        for name, pool in PLANTED.items()
        for _ in range(per_theme)
    ]
    for _ in range(noise):
        first, second = rng.sample(NOISE, 2)
        rows.append((f"{first} {rng.choice(WHEN)} and {second}", "noise"))
    rng.shuffle(rows)
    return [text for text, _ in rows], [name for _, name in rows]


def _best_match(themes: list[Theme], truth: list[str], name: str) -> Theme:
    return max(themes, key=lambda t: sum(truth[i] == name for i in t.members))


@pytest.mark.parametrize("seed", range(1, 11))
def test_planted_themes_are_recovered_with_readable_labels(seed: int) -> None:
    texts, truth = planted(seed)
    themes = discover_themes(texts, seed=seed)
    for name in PLANTED:
        theme = _best_match(themes, truth, name)
        members = Counter(truth[i] for i in theme.members)
        assert members[name] >= 15, (name, theme)  # most of the 20 planted texts
        assert members[name] >= 0.9 * theme.size, (name, theme)  # and little else
        assert LABEL_WORDS[name] in theme.label, (name, theme.label)
        assert theme.size == len(theme.members) and set(theme.examples) <= set(theme.members)
        assert 0.0 < theme.cohesion <= 1.0
    assert themes == sorted(themes, key=lambda t: -t.size)


def test_labels_prefer_phrases_to_their_words() -> None:
    texts, _ = planted(1)
    labels = {t.label for t in discover_themes(texts)}
    assert any(label.startswith("loyalty card") for label in labels)
    assert any(label.startswith("opening hours") for label in labels)


def test_same_seed_same_themes() -> None:
    texts, _ = planted(6)
    assert discover_themes(texts, seed=3) == discover_themes(texts, seed=3)


def test_a_taxonomy_leaves_matched_texts_out_and_indices_stay_global() -> None:
    texts, truth = planted(2)
    parking = Taxonomy((Topic("parking", "Parking", ("parking", "car park")),))
    themes = discover_themes(texts, taxonomy=parking)
    members = {i for t in themes for i in t.members}
    assert members and not any(truth[i] == "parking" for i in members)
    assert {truth[i] for i in members} >= {"loyalty", "hours"}


def test_explicit_k_and_tiny_clusters() -> None:
    texts, _ = planted(3)
    assert len(discover_themes(texts, k=2, merge_similarity=1.0)) <= 2
    assert discover_themes(texts, min_size=len(texts) + 1) == []


@pytest.mark.parametrize("texts", [[], [""], ["a", "the"], ["one lonely text"] * 2])
def test_too_little_text_gives_no_themes(texts: list[str]) -> None:
    assert discover_themes(texts) == []
