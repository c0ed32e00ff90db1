"""Training the intent and emotion heads: one binary logistic regression per label.

Every public set is split by a stable hash of its text (or of its post, for sentences of one
post) into train 70 % / tune 15 % / test 15 %. Train fits the weights; tune picks the
regularisation (by average precision) and the decision threshold (by F1); test is only
reported. GoEmotions ships a dev split: its halves are tune and test. The shipped weights are
the ones fitted on train, so the reported figures are those of the shipped model.
Needs the ``train`` extra (scikit-learn, scipy).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from socialcem.analysis.features import FeatureSpace, fit_space
from socialcem.analysis.linear_model import Head, LinearModel
from socialcem.analysis.training.data import DataError

SEED = 13
INTENT_C = (1.0, 4.0, 16.0)
# Wider grids gained under 0.03 average precision on GoEmotions and cost minutes per value.
EMOTION_C = (1.0, 4.0)
INTENT_FEATURES = 60_000
EMOTION_FEATURES = 80_000
EKMAN = {  # the GoEmotions authors' mapping, goemotions/data/ekman_mapping.json
    "anger": ("anger", "annoyance", "disapproval"),
    "disgust": ("disgust",),
    "fear": ("fear", "nervousness"),
    "joy": ("joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism",
            "relief", "pride", "admiration", "desire", "caring"),
    "sadness": ("sadness", "disappointment", "embarrassment", "grief", "remorse"),
    "surprise": ("surprise", "realization", "confusion", "curiosity"),
}  # fmt: skip
Vector = NDArray[np.int_]
INTENTS_VERSION = "intents-linear@1"
EMOTIONS_VERSION = "emotions-goemotions-ekman@1"
LIMITS = """## Limits
- English only: other languages get few or no tags. Sarcasm reads literally.
- Figures are on held-out splits of the training sources, whose domains differ from a brand's
  feed: see `bench/intents.py` for figures on hand-written customer texts.
"""
INTENT_CARD = f"""Version `{INTENTS_VERSION}`. Binary logistic-regression heads (complaint,
suggestion) on word and character n-gram TF-IDF plus VADER lexicon features
(`socialcem.analysis.features`, 60k features). Praise, question, purchase intent and churn
risk are rules in `socialcem.analysis.intents`; suggestion is also tagged by rules.

## Sources (read at training time, never shipped)
- complaint: Preoţiuc-Pietro, Găman & Aletras 2019, Twitter complaints
  (`danielpreotiuc/complaints-social-media`), licence: none stated.
- complaint: airline and telecom tweets (`RigautAntoine/twitter-customer-service`),
  licence: none stated.
- suggestion: SemEval-2019 Task 9 Subtask A train (Negi, Daudert & Buitelaar 2019),
  licence: CC BY-NC-SA 4.0.
- purchase_intent (evaluation of the rules only, no weights): adidas tweets
  (`fco-parga/EIT---Adidas`), low confidence. Licence: none stated.

The weights derive from research data under CC BY-NC-SA 4.0 or with no stated licence:
check that your use is allowed before shipping them in a commercial product.

{LIMITS}- Complaint data is tweets to brands (2010s): neutral messages to a brand ("sent you a
  DM") are sometimes tagged as complaints, and complaints without negative words missed.
- Suggestion data is developer-forum sentences, where requests ("please fix") count as
  suggestions: the head also tags some requests and questions.
- A question mark reads as a question in any language.
- Praise, question, purchase intent and churn risk have no public test set: their figures are
  on hand-written texts only (`bench/intents.py`).
"""
EMOTION_CARD = f"""Version `{EMOTIONS_VERSION}`. One binary logistic-regression head per Ekman
emotion on word and character n-gram TF-IDF plus VADER lexicon features (80k features).
Neutral is tagged when no emotion reaches its threshold.

## Sources (read at training time, never shipped)
- GoEmotions train and dev (Demszky et al. 2020; `google-research/google-research`,
  `goemotions/`). Licence: the README states none; the Hugging Face dataset card lists
  Apache-2.0. Reddit comments; cite Demszky et al. 2020.

Labels: the 27 GoEmotions emotions grouped into Ekman's six with the authors'
`goemotions/data/ekman_mapping.json`. Train fits, half of dev tunes, the other half is reported.

{LIMITS}- Reddit comments, not customer feedback. Disgust there is mostly aimed at people, so
  disgust at dirt, smells or spoiled food is mostly missed.
- The groups are broad: joy includes approval and gratitude, surprise includes curiosity and
  confusion (so many questions read as surprise), anger includes annoyance and disapproval.
"""


@dataclass(frozen=True, slots=True)
class Task:
    """One binary label: texts with 0/1 targets per split."""

    name: str
    texts: dict[str, list[str]]
    y: dict[str, Vector]


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise DataError(f"training data not found: {path} (pass --data DIR)")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def split_of(key: str, train: float = 0.7, tune: float = 0.15) -> str:
    """``train``, ``tune`` or ``test`` by a stable hash of ``key``; the rest is test."""
    bucket = int(hashlib.sha1(f"{SEED}:{key}".encode()).hexdigest()[:8], 16) / 16**8
    return "train" if bucket < train else "tune" if bucket < train + tune else "test"


def make_task(name: str, rows: Sequence[tuple[str, int, str]]) -> Task:
    """``rows`` of (text, 0/1, split); a text seen with both labels is dropped."""
    labels: dict[str, set[int]] = {}
    for text, y, _ in rows:
        labels.setdefault(text, set()).add(y)
    texts: dict[str, list[str]] = {"train": [], "tune": [], "test": []}
    ys: dict[str, list[int]] = {"train": [], "tune": [], "test": []}
    for text, y, part in rows:
        if len(labels.pop(text, ())) == 1:
            texts[part].append(text)
            ys[part].append(y)
    return Task(name, texts, {k: np.asarray(v, dtype=np.int_) for k, v in ys.items()})


def to_csr(space: FeatureSpace, texts: Sequence[str]) -> Any:
    from scipy.sparse import csr_matrix

    rows = space.transform(texts)
    shape = (len(texts), len(space))
    return csr_matrix((rows.values, rows.indices, rows.indptr), shape=shape, dtype=np.float64)


def prf(pred: NDArray[np.bool_], gold: NDArray[np.bool_]) -> dict[str, float]:
    tp = float(np.sum(pred & gold))
    p = tp / max(float(pred.sum()), 1.0)
    r = tp / max(float(gold.sum()), 1.0)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3),
            "support": int(gold.sum())}  # fmt: skip


def best_threshold(p: NDArray[np.float64], y: Vector) -> float:
    """The probability cut with the best F1 on ``y`` (midway between two scores)."""
    order = np.sort(np.unique(p))
    cuts = np.concatenate([[order[0] - 1e-9], (order[1:] + order[:-1]) / 2])
    f1 = [prf(p >= c, y == 1)["f1"] for c in cuts]
    return float(cuts[int(np.argmax(f1))])


def fit_head(
    task: Task, matrices: dict[str, Any], grid: Sequence[float]
) -> tuple[Head, dict[str, float]]:
    """Weights fitted on train with the C best on tune; the threshold tuned; test figures."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    best: tuple[float, Any] = (-1.0, None)
    for c in grid:
        clf = LogisticRegression(C=c, solver="liblinear", random_state=SEED)
        clf.fit(matrices["train"], task.y["train"])
        ap = float(
            average_precision_score(task.y["tune"], clf.predict_proba(matrices["tune"])[:, 1])
        )
        best = max(best, (ap, clf), key=lambda pair: pair[0])
    clf = best[1]
    threshold = best_threshold(clf.predict_proba(matrices["tune"])[:, 1], task.y["tune"])
    p_test = clf.predict_proba(matrices["test"])[:, 1]
    metrics = {**prf(p_test >= threshold, task.y["test"] == 1), "threshold": round(threshold, 4),
               "C": float(clf.C), "tune_average_precision": round(best[0], 3)}  # fmt: skip
    coef = clf.coef_[0].astype(np.float16).astype(np.float32)  # as saved, so as evaluated
    weights = np.stack([np.zeros_like(coef), coef], axis=1)
    bias = np.asarray([0.0, clf.intercept_[0]], dtype=np.float32)
    return Head(task.name, ("no", "yes"), weights, bias), metrics


def train_heads(
    tasks: Sequence[Task], max_features: int, grid: Sequence[float]
) -> tuple[LinearModel, dict[str, Any]]:
    """A shared feature space fitted on every task's train texts, and one head per task."""
    space = fit_space(
        [t for task in tasks for t in task.texts["train"]], min_df=3, max_features=max_features
    )
    heads, metrics, seen = {}, {}, {}
    for task in tasks:
        key = tuple(tuple(texts) for texts in task.texts.values())
        if key not in seen:  # the emotion heads share one set of texts: transform it once
            seen[key] = {part: to_csr(space, texts) for part, texts in task.texts.items()}
        heads[task.name], metrics[task.name] = fit_head(task, seen[key], grid)
    thresholds = {name: m["threshold"] for name, m in metrics.items()}
    return LinearModel(space, heads, {"thresholds": thresholds}), metrics


def evaluate(
    labels: Sequence[str],
    scores: Callable[[list[str]], list[dict[str, float]]],
    texts: list[str],
    gold: Sequence[set[str]],
) -> dict[str, dict[str, float]]:
    """Per-label precision/recall/F1 of scores tagged from 0.5 up."""
    found = scores(texts)
    return {
        name: prf(
            np.asarray([s[name] >= 0.5 for s in found]), np.asarray([name in g for g in gold])
        )
        for name in labels
    }


def write_card(
    out_dir: Path, title: str, body: str, metrics: dict[str, Any], extra: str = ""
) -> None:
    rows = [
        f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |"
        for name, m in metrics.items()
    ]
    table = "| label | precision | recall | F1 | support |\n|---|---|---|---|---|\n"
    text = f"# {title}\n\n{body.strip()}\n\n## Test figures (held-out split)\n\n{table}"
    text += "\n".join(rows) + "\n" + extra
    (out_dir / "MODEL_CARD.md").write_text(text, encoding="utf-8")


def intent_tasks(data: Path) -> list[Task]:
    folder = data / "intents"
    complaints = [
        (r["text"], int(r["label"] == "complaint"), split_of(r["text"]))
        for name in ("complaints_preotiuc2019_tweets", "complaints_uva_airline_telecom_tweets")
        for r in read_csv(folder / f"{name}.csv")
    ]
    suggestions = [
        (r["text"], int(r["label"] == "suggestion"), split_of(r["id"].split("_")[0]))
        for r in read_csv(folder / "suggestions_semeval2019_task9_train.csv")
    ]
    return [make_task("complaint", complaints), make_task("suggestion", suggestions)]


def purchase_rule_figures(data: Path) -> dict[str, dict[str, float]]:
    """The purchase-intent rules on every adidas tweet, under a strict and a loose reading."""
    from socialcem.analysis.intents import rule_scores
    from socialcem.analysis.vader_fast import FastVader

    vader = FastVader()
    rows = read_csv(data / "intents" / "purchase_intent_adidas_tweets_lowconfidence.csv")
    fired = np.asarray([rule_scores(r["text"], 0.0, vader)["purchase_intent"] > 0 for r in rows])
    labels = np.asarray([r["label"] for r in rows])
    return {
        "strict": prf(fired, labels == "purchase_intent"),
        "loose": prf(fired, labels != "no_purchase_intent"),
    }


def cross_source(data: Path) -> dict[str, dict[str, float]]:
    """Complaint figures on one complaint set by a head trained and tuned on the other only."""
    sets = {
        "preotiuc": "complaints_preotiuc2019_tweets",
        "uva": "complaints_uva_airline_telecom_tweets",
    }
    tasks = {}
    for key, name in sets.items():
        rows = read_csv(data / "intents" / f"{name}.csv")
        labelled = [(r["text"], int(r["label"] == "complaint")) for r in rows]
        own = make_task("complaint", [(t, y, split_of(t)) for t, y in labelled])
        whole = make_task("complaint", [(t, y, "test") for t, y in labelled])
        tasks[key] = (own, whole)
    out = {}
    for train, test in (("preotiuc", "uva"), ("uva", "preotiuc")):
        own, other = tasks[train][0], tasks[test][1]
        texts = {**own.texts, "test": other.texts["test"]}
        task = Task("complaint", texts, {**own.y, "test": other.y["test"]})
        out[f"{train} -> {test}"] = train_heads([task], INTENT_FEATURES, INTENT_C)[1]["complaint"]
    return out


def train_intents(data_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Fit, tune and save the intent heads to ``out_dir``; returns the test figures."""
    from socialcem.analysis.intents import INTENTS, intent_scores

    tasks = intent_tasks(data_dir)
    model, heads = train_heads(tasks, INTENT_FEATURES, INTENT_C)
    tagged = {}  # the shipped decision (model and rules) on each set's test split
    for task in tasks:
        gold = [{task.name} if y else set() for y in task.y["test"]]
        found = evaluate(INTENTS, lambda t: intent_scores(t, model), task.texts["test"], gold)
        tagged[task.name] = found[task.name]
    metrics = {
        "heads": heads,
        "tagged": tagged,
        "complaint_cross_source": cross_source(data_dir),
        "purchase_rules_adidas": purchase_rule_figures(data_dir),
    }
    model.meta.update(version=INTENTS_VERSION, seed=SEED, features=INTENT_FEATURES, metrics=metrics)
    model.save(out_dir)
    cross = "\n".join(
        f"- {pair}: precision {m['precision']:.3f}, recall {m['recall']:.3f}, F1 {m['f1']:.3f}"
        for pair, m in metrics["complaint_cross_source"].items()
    )
    strict = metrics["purchase_rules_adidas"]["strict"]
    extra = (
        f"\nComplaint head trained on one complaint set, tested on the other:\n\n{cross}\n"
        f"\nPurchase-intent rules on the {strict['support']} adidas tweets labelled purchase "
        f"intent: precision {strict['precision']:.3f},\nrecall {strict['recall']:.3f} (those "
        "labels mark brand enthusiasm more than questions about buying).\n"
    )
    write_card(out_dir, "Intent heads", INTENT_CARD, tagged, extra)
    return metrics


def emotion_tasks(data: Path) -> list[Task]:
    folder = data / "emotions"
    train = read_csv(folder / "goemotions_train.csv")
    dev = read_csv(folder / "goemotions_dev.csv")
    parts = [(r, "train") for r in train]
    parts += [(r, split_of(r["id"], train=0.0, tune=0.5)) for r in dev]
    tasks = []
    for emotion, fine in EKMAN.items():
        rows = [(r["text"], int(bool(set(fine) & set(r["emotions"].split(";")))), part)
                for r, part in parts]  # fmt: skip
        tasks.append(make_task(emotion, rows))
    return tasks


def train_emotions(data_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Fit, tune and save the emotion heads to ``out_dir``; returns the test figures."""
    from socialcem.analysis.emotions import LABELS, emotion_scores

    tasks = emotion_tasks(data_dir)
    model, heads = train_heads(tasks, EMOTION_FEATURES, EMOTION_C)
    texts = tasks[0].texts["test"]
    gold = [{t.name for t in tasks if t.y["test"][i]} or {"neutral"} for i in range(len(texts))]
    tagged = evaluate(LABELS, lambda t: emotion_scores(t, model), texts, gold)
    metrics = {"heads": heads, "tagged": tagged}
    model.meta.update(
        version=EMOTIONS_VERSION, seed=SEED, features=EMOTION_FEATURES, metrics=metrics
    )
    model.save(out_dir)
    write_card(out_dir, "Emotion heads", EMOTION_CARD, tagged)
    return metrics
