"""Linear heads: sparse scoring equals the dense product; files round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcem.analysis.features import Sparse, fit_space
from socialcem.analysis.linear_model import Head, LinearModel, linear_scores, load_model

row = st.lists(st.tuples(st.integers(0, 19), st.floats(-2, 2)), max_size=8)


@settings(deadline=None)
@given(st.lists(row, max_size=6), st.integers(0, 10_000))
def test_sparse_scores_equal_the_dense_product(
    rows: list[list[tuple[int, float]]], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=(20, 3)).astype(np.float32)
    bias = rng.normal(size=3).astype(np.float32)
    indptr, indices, values = [0], [], []
    dense = np.zeros((len(rows), 20))
    for i, r in enumerate(rows):
        for j, v in r:
            indices.append(j)
            values.append(v)
            dense[i, j] += v
        indptr.append(len(indices))
    got = linear_scores(Sparse(indptr, indices, values), weights, bias)
    assert np.allclose(got, dense @ weights.astype(np.float64) + bias, atol=1e-6)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    texts = ["great friendly staff", "rude staff, slow service", "it was fine I guess"]
    space = fit_space(texts, min_df=1)
    rng = np.random.default_rng(0)
    heads = {
        "sentiment": Head(
            "sentiment",
            ("negative", "neutral", "positive"),
            rng.normal(size=(len(space), 3)).astype(np.float32),
            np.zeros(3, dtype=np.float32),
        ),
        "ltr": Head(
            "ltr", ("ltr",), rng.normal(size=(len(space), 1)).astype(np.float32),
            np.asarray([5.0], dtype=np.float32), kind="linear", clip=(0.0, 10.0),
        ),
    }  # fmt: skip
    model = LinearModel(space, heads, {"name": "test@1"})
    model.save(tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    before, after = model.predict(texts), loaded.predict(texts)
    # Weights are stored as float16: equal to about three significant digits.
    assert np.allclose(before["sentiment"], after["sentiment"], atol=1e-2)
    assert np.allclose(after["sentiment"].sum(axis=1), 1.0)
    assert np.all((after["ltr"] >= 0) & (after["ltr"] <= 10))
    assert loaded.meta["name"] == "test@1"
