"""Evaluation metrics against hand-computed values, and the `eval` command end to end."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from helpers import write_csv
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from socialcem.analysis.evaluate import (
    CATEGORIES,
    SENTIMENTS,
    LabelError,
    evaluate,
    label_from_rating,
    metrics,
    task_of,
)
from socialcem.analysis.labelled import read_labelled
from socialcem.cli.main import app
from socialcem.models import Analysis, NpsCategory, Sentiment


class Echo:
    """A fake model that reads the answer from the text: 'pos ...', 'neg ...', 'neu ...'."""

    name = "echo@1"

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        out = []
        for text in texts:
            kind = text.split()[0]
            sentiment = {"pos": Sentiment.POSITIVE, "neg": Sentiment.NEGATIVE}.get(
                kind, Sentiment.NEUTRAL
            )
            category = {"pos": NpsCategory.PROMOTER, "neg": NpsCategory.DETRACTOR}.get(
                kind, NpsCategory.PASSIVE
            )
            out.append(Analysis(self.name, sentiment, 0, 0, 0, category, 0, 0, 0))
        return out


def test_metrics_by_hand() -> None:
    truth = ["negative", "negative", "neutral", "positive", "positive", "positive"]
    predicted = ["negative", "neutral", "neutral", "positive", "positive", "negative"]
    m = metrics(truth, predicted, SENTIMENTS)
    assert m["confusion"] == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert m["accuracy"] == pytest.approx(4 / 6)
    # recalls: 1/2, 1/1, 2/3
    assert m["macro_recall"] == pytest.approx((0.5 + 1 + 2 / 3) / 3)
    # precisions: 1/2, 1/2, 1 -> f1: 0.5, 2/3, 0.8
    assert m["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)


@given(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=60))
def test_perfect_predictions_score_one(truth: list[str]) -> None:
    m = metrics(truth, truth, CATEGORIES)
    assert m["accuracy"] == 1 and m["macro_recall"] == 1 and m["macro_f1"] == 1


def test_evaluate_reports_true_and_estimated_nps() -> None:
    texts = ["pos a", "pos b", "neu c", "neg d"]
    truth = ["promoter", "promoter", "promoter", "detractor"]
    result = evaluate(Echo(), texts, truth)
    assert result.task == "nps" and result.n == 4
    assert result.true_nps.value == 50  # 3 promoters, 1 detractor of 4
    assert result.estimated_nps.value == 25  # 2 promoters, 1 detractor
    assert result.nps_error == -25
    assert result.items_per_s > 0


def test_labels_and_ratings() -> None:
    assert task_of(["positive", "neutral"]) == "sentiment"
    assert task_of(["passive"]) == "nps"
    with pytest.raises(LabelError, match="neither"):
        task_of(["good", "bad"])
    assert label_from_rating("4", "stars_1_5") == "passive"
    assert label_from_rating("9", "score_1_10") == "promoter"
    with pytest.raises(LabelError):
        label_from_rating("x", "stars_1_5")
    with pytest.raises(LabelError):
        label_from_rating("4", "csat_1_5")
    with pytest.raises(LabelError, match="nothing"):
        evaluate(Echo(), [], [])


def test_read_labelled_reports_what_it_skips(tmp_path: Path) -> None:
    rows = [
        {"body": "pos fine", "stars": "5", "s": "stars_1_5"},
        {"body": "", "stars": "1", "s": "stars_1_5"},
        {"body": "neg awful", "stars": "seven", "s": "stars_1_5"},
        {"body": "neu ok", "stars": "8", "s": "score_1_10"},
    ]
    data = read_labelled(write_csv(tmp_path / "r.csv", rows), "body", "stars", scale_col="s")
    assert data.labels == ["promoter", "passive"]
    assert [(p.line, p.field) for p in data.skipped] == [(3, "body"), (4, "stars")]


def test_eval_command_json(tmp_path: Path) -> None:
    rows = [
        {"text": "I love this, wonderful!", "label": "positive"},
        {"text": "Terrible, awful service.", "label": "negative"},
        {"text": "The store opens at nine.", "label": "neutral"},
    ]
    path = write_csv(tmp_path / "s.csv", rows)
    result = CliRunner().invoke(app, ["eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in (
        "macro_recall",
        "macro_f1",
        "accuracy",
        "true_nps",
        "estimated_nps",
        "nps_error",
        "items_per_s",
    ):
        assert key in data
    assert data["n"] == 3 and data["accuracy"] == 1.0
    bad = CliRunner().invoke(app, ["eval", str(path), "--label-col", "text"])
    assert bad.exit_code == 2 and "neither" in bad.output
