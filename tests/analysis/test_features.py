"""The shared featuriser: negation scope, determinism and defined results on odd input."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from socialcem.analysis.features import (
    FeatureSpace,
    char_features,
    fit_space,
    lexicon_feature_names,
    normalise,
    tokens,
    word_features,
)

TEXTS = [
    "The staff were not friendly at all, never again.",
    "Sooooo happy with the delivery!!! @shop https://example.com/x",
    "Great coffee, friendly staff.",
    "The wait was long but the food was great.",
]


def test_normalise_replaces_links_mentions_and_elongations() -> None:
    assert normalise("Sooooo GOOD @shop https://x.y/z").split() == [
        "soo",
        "good",
        "<user>",
        "<url>",
    ]


def test_negation_scope_runs_to_punctuation() -> None:
    words = word_features(tokens("not friendly at all, lovely"))
    assert {"w:not", "w:neg_friendly", "w:neg_at", "w:neg_all", "w:lovely"} <= words
    assert "w:friendly" not in words and "w:neg_lovely" not in words


def test_contractions_open_a_negation_scope() -> None:
    assert "w:neg_good" in word_features(tokens("It wasn't good"))


def test_char_ngrams_span_word_edges_but_not_links() -> None:
    grams = char_features(normalise("ok https://x.y"))
    assert " ok" in grams and "ok " in grams
    assert not any("url" in g for g in grams)


def test_fit_space_is_deterministic_and_ends_with_lexicon_features() -> None:
    a, b = fit_space(TEXTS, min_df=1), fit_space(list(reversed(TEXTS)), min_df=1)
    assert a.names == b.names
    assert a.names[-len(lexicon_feature_names()) :] == lexicon_feature_names()


def test_rows_are_unit_length_per_group() -> None:
    space = fit_space(TEXTS, min_df=1)
    rows = space.transform(TEXTS[:1])
    lexicon = set(range(len(space) - len(lexicon_feature_names()), len(space)))
    sq = sum(v * v for j, v in zip(rows.indices, rows.values, strict=True) if j not in lexicon)
    assert abs(sq - 2.0) < 1e-9  # words and characters, each of unit length


@given(st.text(max_size=300))
def test_any_text_gives_a_row(text: str) -> None:
    space = fit_space(TEXTS, min_df=1)
    rows = space.transform([text])
    assert len(rows.indptr) == 2
    assert all(0 <= j < len(space) for j in rows.indices)


def test_a_megabyte_of_text_is_cut_and_fast() -> None:
    space = FeatureSpace(fit_space(TEXTS, min_df=1).names)
    start = time.perf_counter()
    space.transform(["terrible service " * 60_000])
    assert time.perf_counter() - start < 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=6))
def test_vectorised_transform_equals_the_reference(texts: list[str]) -> None:
    """Same features as a plain dictionary lookup of word_features and char_features."""
    space = fit_space([*TEXTS, "ok 🙂 café ñ", "日本語のテキスト"], min_df=1)
    rows = space.transform(texts)
    for i, text in enumerate(texts):
        clean = normalise(text)
        expected = {space.index[f] for f in word_features(tokens(text)) if f in space.index}
        expected |= {space.index[f] for f in char_features(clean) if f in space.index}
        got = set(rows.indices[rows.indptr[i] : rows.indptr[i + 1]].tolist())
        lexicon = set(range(len(space) - len(lexicon_feature_names()), len(space)))
        assert got - lexicon == expected
