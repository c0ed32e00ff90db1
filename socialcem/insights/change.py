"""Did a score really move? Period-over-period change with a two-sided z-test.

Each score's standard error is read back from its own 95% interval, so the test works the
same for survey NPS (Wald), Social NPS (simulated, corrected) and CSAT (Wilson).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from socialcem.nps import Z95, Score

ALPHA = 0.05


@dataclass(frozen=True, slots=True)
class Change:
    before: str
    after: str
    delta: float | None
    """after - before, in the score's unit; None when either side has no data."""
    p_value: float | None
    significant: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
            "p_value": self.p_value,
            "significant": self.significant,
        }


def standard_error(score: Score) -> float | None:
    if score.value is None or score.low is None or score.high is None:
        return None
    # The larger half: an interval clipped at +-100 (or 0 and 100) is short on one side only.
    return max(score.value - score.low, score.high - score.value) / Z95


def change(before_label: str, before: Score, after_label: str, after: Score) -> Change:
    """The change from ``before`` to ``after``; significant when p < 0.05 (independent
    samples: two different periods)."""
    se_a, se_b = standard_error(before), standard_error(after)
    if se_a is None or se_b is None or before.value is None or after.value is None:
        return Change(before_label, after_label, None, None, False)
    delta = round(after.value - before.value, 2)
    se = math.hypot(se_a, se_b)
    p = (1.0 if delta == 0 else 0.0) if se == 0 else math.erfc(abs(delta) / se / math.sqrt(2))
    return Change(before_label, after_label, delta, round(p, 6), p < ALPHA)
