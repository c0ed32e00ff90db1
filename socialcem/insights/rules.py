"""Alert rules a brand sets: what to watch and how loud to be.

Kinds and their parameters:
- ``reach``: a detractor with at least ``min_reach`` followers (rated, else inferred).
- ``keyword``: items whose text matches any of ``words`` (whole words, any case) or a
  ``pattern`` (a regular expression); one alert per rule and day lists the items.
- ``nps_below``: a location's (or the brand's) weekly survey NPS under ``threshold`` with at
  least ``min_responses`` responses.
A rule about cases past their SLA needs the closed-loop cases, which the store has not yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SEVERITIES = ("low", "medium", "high", "critical")
KINDS = ("reach", "keyword", "nps_below")
MAX_PATTERN = 500


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    kind: str
    params: dict[str, Any]
    severity: str = "medium"
    id: int | None = None
    enabled: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "params": self.params,
            "severity": self.severity,
            "enabled": self.enabled,
        }


def validate_rule(rule: Rule) -> Rule:
    """The rule with its parameters normalised; ValueError names the bad field."""
    if not rule.name.strip() or len(rule.name) > 100:
        raise ValueError("name: give 1 to 100 characters")
    if rule.severity not in SEVERITIES:
        raise ValueError(f"severity: {rule.severity!r} is not one of {', '.join(SEVERITIES)}")
    if rule.kind not in KINDS:
        raise ValueError(f"kind: {rule.kind!r} is not one of {', '.join(KINDS)}")
    p = rule.params
    if rule.kind == "reach":
        params: dict[str, Any] = {"min_reach": _int(p, "min_reach", 1)}
    elif rule.kind == "keyword":
        params = _keyword_params(p)
    else:
        params = {
            "threshold": _number(p, "threshold", -100, 100),
            "min_responses": _int(p, "min_responses", 1, default=30),
        }
    return Rule(rule.name.strip(), rule.kind, params, rule.severity, rule.id, rule.enabled)


def _keyword_params(p: dict[str, Any]) -> dict[str, Any]:
    words = [str(w).strip() for w in p.get("words") or [] if str(w).strip()]
    pattern = p.get("pattern")
    if not words and not pattern:
        raise ValueError("words: give at least one word or a pattern")
    if pattern is not None:
        if len(str(pattern)) > MAX_PATTERN:
            raise ValueError(f"pattern: longer than {MAX_PATTERN} characters")
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise ValueError(f"pattern: not a regular expression ({exc})") from None
    return {"words": words, "pattern": pattern}


def matcher(params: dict[str, Any]) -> re.Pattern[str]:
    """One case-insensitive expression for a keyword rule's words and pattern."""
    parts = [r"\b" + re.escape(w) + r"\b" for w in params.get("words") or []]
    if params.get("pattern"):
        parts.append(f"(?:{params['pattern']})")
    return re.compile("|".join(parts), re.IGNORECASE)


def _int(p: dict[str, Any], key: str, low: int, default: int | None = None) -> int:
    value = p.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(f"{key}: give a whole number, got {value!r}")
    if value < low:
        raise ValueError(f"{key}: must be at least {low}, got {value}")
    return int(value)


def _number(p: dict[str, Any], key: str, low: float, high: float) -> float:
    value = p.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key}: give a number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{key}: must be between {low} and {high}, got {value}")
    return float(value)
