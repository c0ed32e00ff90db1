"""Topic opinion cues: how a topic went, where a general sentiment model reads nothing.

"The wait was long" holds no word VADER scores, yet for a wait "long" is bad (and for a
battery good), so a topic may list its own positive and negative cues. A cue after a
negation within three words ("not long", "wasn't slow") counts for the other side.
"""

from __future__ import annotations

import re
from functools import lru_cache

from socialcem.analysis.aspects.keywords import fold, keyword_pattern
from socialcem.analysis.aspects.taxonomy import Topic

# The score a clause gets from cues alone: past the label cut-offs, short of a strong
# opinion, because a cue is weaker evidence than a model that read the clause.
CUE_WEIGHT = 0.5
NEGATION_WINDOW = 3
_NEGATION_WORDS = (
    "not no never none nobody nothing without hardly barely isnt wasnt werent arent dont"
    " didnt doesnt wont cant cannot couldnt shouldnt wouldnt hasnt havent"
)
_NEGATORS = frozenset(_NEGATION_WORDS.split())
_WORD = re.compile(r"[\w']+")


@lru_cache(maxsize=256)
def _pattern(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    return keyword_pattern(cues)[0] if cues else None


def _negated(before: str) -> bool:
    words = _WORD.findall(before)[-NEGATION_WINDOW:]
    return any(w.replace("'", "") in _NEGATORS or w.endswith("n't") for w in words)


def _votes(folded: str, cues: tuple[str, ...], sign: int) -> int:
    pattern = _pattern(cues)
    if pattern is None:
        return 0
    return sum(-sign if _negated(folded[: m.start()]) else sign for m in pattern.finditer(folded))


def cue_score(clause: str, topic: Topic) -> float:
    """``CUE_WEIGHT`` times the sign of (positive - negative) cues in ``clause``; 0 if even."""
    folded = fold(clause)
    votes = _votes(folded, topic.positive, 1) + _votes(folded, topic.negative, -1)
    return CUE_WEIGHT * ((votes > 0) - (votes < 0))
