"""What real-time ingest answers: each item's outcome, and the new items the alert rules
read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from socialcem.models import Analysis, Feedback
from socialcem.nps import category_from_rating
from socialcem.store.writer import EPOCH

Status = Literal["created", "duplicate", "rejected"]
FieldProblems = tuple[tuple[str, str], ...]
"""(field, reason) pairs."""


@dataclass(frozen=True, slots=True)
class Invalid:
    """An item the edge could not read as one (wrong types, oversize): quarantined as is."""

    problems: FieldProblems
    raw: Any


Record = Mapping[str, Any] | Invalid


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    source: str
    id: int | None = None
    """The stored item: new when created, the earlier one when a duplicate."""
    problems: FieldProblems = ()


@dataclass(frozen=True, slots=True)
class Arrived:
    """A newly stored item, with what the per-item alert rules read."""

    id: int
    location_id: int | None
    day: int
    text: str
    reach: int | None
    rating_category: str | None
    inferred_category: str | None
    """The model's NPS category, None when unscored or the model could not read the text."""


@dataclass(frozen=True, slots=True)
class LiveResult:
    run_id: int | None
    """None when there was nothing to store (and so no import run)."""
    file: str
    outcomes: list[Outcome]
    """One per record, in input order."""
    arrived: list[Arrived]

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def by_source(self, status: Status) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            if o.status == status:
                out[o.source] = out.get(o.source, 0) + 1
        return out


def arrived_item(id_: int, loc: int | None, item: Feedback, analysis: Analysis | None) -> Arrived:
    rated = None
    if item.rating is not None:
        category = category_from_rating(item.rating, item.rating_scale)
        rated = category.value if category else None
    inferred = analysis.nps_category.value if analysis is not None and analysis.scored else None
    day = (item.created_at - EPOCH).days  # as encode_item counts it
    return Arrived(id_, loc, day, item.text, item.reach, rated, inferred)
