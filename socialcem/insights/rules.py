"""Alert rules a brand sets: what to watch and how loud to be.

Kinds and their parameters:
- ``reach``: a detractor with at least ``min_reach`` followers (rated, else inferred).
- ``keyword``: items whose text contains any of ``words``: whole words or phrases in any
  case, a trailing ``*`` matching any ending (``refund*``). One alert per rule and day lists
  the items. No free regular expressions: rules run inside every import, and a user's
  expression can backtrack for hours on one text; literal words match in linear time.
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
MAX_WORDS = 200
MAX_WORD = 100


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
    if p.get("pattern") is not None:
        raise ValueError("pattern: not supported; give words, with * for any ending (refund*)")
    words = [" ".join(str(w).split()) for w in p.get("words") or []]
    words = [w for w in words if w.strip("*")]
    if not words:
        raise ValueError("words: give at least one word or phrase")
    if len(words) > MAX_WORDS or any(len(w) > MAX_WORD for w in words):
        raise ValueError(f"words: at most {MAX_WORDS} words of at most {MAX_WORD} characters")
    if any("*" in w.rstrip("*") for w in words):
        raise ValueError("words: * may only end a word (refund*)")
    return {"words": words}


def matcher(params: dict[str, Any]) -> re.Pattern[str]:
    """One case-insensitive expression of escaped literals: linear time on any text."""
    parts = []
    for word in params.get("words") or []:
        stem = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(r"\b" + stem + (r"\w*" if word.endswith("*") else r"\b"))
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
