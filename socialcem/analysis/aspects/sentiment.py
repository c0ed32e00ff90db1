"""Sentiment per aspect: each topic of an item takes the polarity of the clauses naming it.

The polarity model is injected (``Polarity``: clauses in, one score in [-1, 1] each out),
so the lexicon, a trained model or a transformer can be plugged in; it sees every clause
of a batch in one call. Negation ("the staff were not friendly") is the model's job, which
is why it reads the whole clause and not only the keyword.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from socialcem.analysis.aspects.cues import cue_score
from socialcem.analysis.aspects.matcher import AspectMention, find_aspects
from socialcem.analysis.aspects.taxonomy import Taxonomy
from socialcem.analysis.vader_fast import FastVader
from socialcem.models import Sentiment

Polarity = Callable[[Sequence[str]], list[float]]
"""Scores clauses: one float in [-1, 1] per clause, in order."""

# VADER's own documented cut-offs, also used by the lexicon classifier.
POSITIVE_MIN = 0.05
NEGATIVE_MAX = -0.05


@dataclass(frozen=True, slots=True)
class AspectSentiment:
    """One topic of one item: the mean score of the distinct clauses that mention it."""

    topic: str
    sentiment: Sentiment
    score: float
    mentions: tuple[AspectMention, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.term.lower() for m in self.mentions))


@lru_cache(maxsize=1)
def _vader() -> FastVader:
    return FastVader()


def vader_polarity(clauses: Sequence[str]) -> list[float]:
    """VADER's compound score of each clause: the default ``Polarity``."""
    compound = _vader().compound
    return [compound(c) for c in clauses]


def label(
    score: float, positive_min: float = POSITIVE_MIN, negative_max: float = NEGATIVE_MAX
) -> Sentiment:
    if score >= positive_min:
        return Sentiment.POSITIVE
    return Sentiment.NEGATIVE if score <= negative_max else Sentiment.NEUTRAL


def aspect_sentiments_many(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    polarity: Polarity = vader_polarity,
    *,
    positive_min: float = POSITIVE_MIN,
    negative_max: float = NEGATIVE_MAX,
    cues: bool = True,
) -> list[list[AspectSentiment]]:
    """``aspect_sentiments`` of each text, with one ``polarity`` call for the whole batch
    (each distinct clause once)."""
    found = [find_aspects(text, taxonomy) for text in texts]
    clause_text: dict[tuple[int, int, int], str] = {}
    for i, mentions in enumerate(found):
        for m in mentions:
            clause_text.setdefault((i, m.clause_start, m.clause_end), m.clause)
    keys = list(clause_text)
    scores = [float(s) for s in polarity([clause_text[key] for key in keys])]
    if len(scores) != len(keys) or not all(math.isfinite(s) for s in scores):
        raise ValueError(f"polarity must return {len(keys)} finite scores, got {scores[:5]}...")
    score_of = {key: min(1.0, max(-1.0, s)) for key, s in zip(keys, scores, strict=True)}
    results = []
    for i, mentions in enumerate(found):
        by_topic: dict[str, list[AspectMention]] = {}
        for m in mentions:
            by_topic.setdefault(m.topic, []).append(m)
        item = []
        for topic, ms in by_topic.items():
            scored = []
            for key, clause in {(i, m.clause_start, m.clause_end): m.clause for m in ms}.items():
                score = score_of[key]
                if cues and negative_max < score < positive_min:  # the model read nothing
                    score = cue_score(clause, taxonomy.topic(topic))
                scored.append(score)
            mean = sum(scored) / len(scored)
            item.append(
                AspectSentiment(topic, label(mean, positive_min, negative_max), mean, tuple(ms))
            )
        results.append(item)
    return results


def aspect_sentiments(
    text: str,
    taxonomy: Taxonomy,
    polarity: Polarity = vader_polarity,
    *,
    positive_min: float = POSITIVE_MIN,
    negative_max: float = NEGATIVE_MAX,
    cues: bool = True,
) -> list[AspectSentiment]:
    """One result per topic found in ``text``, in order of first mention.

    "friendly staff but the wait was long" gives staff_service positive and wait_time
    negative: each clause is scored on its own, and where ``polarity`` reads a clause as
    neutral the topic's opinion cues decide ("long" is bad for a wait), unless ``cues`` is off.
    """
    return aspect_sentiments_many(
        [text],
        taxonomy,
        polarity,
        positive_min=positive_min,
        negative_max=negative_max,
        cues=cues,
    )[0]
