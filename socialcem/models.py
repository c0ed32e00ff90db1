"""Domain records of the core: plain dataclasses, no database or web types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Constituency(StrEnum):
    CUSTOMER = "customer"
    EMPLOYEE = "employee"
    PARTNER = "partner"


class RatingScale(StrEnum):
    NPS_0_10 = "nps_0_10"
    STARS_1_5 = "stars_1_5"
    CSAT_1_5 = "csat_1_5"
    NONE = "none"

    @property
    def bounds(self) -> tuple[int, int]:
        return {"nps_0_10": (0, 10), "stars_1_5": (1, 5), "csat_1_5": (1, 5)}.get(
            self.value, (0, 0)
        )


class NpsCategory(StrEnum):
    DETRACTOR = "detractor"
    PASSIVE = "passive"
    PROMOTER = "promoter"


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


LOCATION_KINDS = ("region", "store", "franchisee", "dealer", "distributor", "online")


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    parent: str | None = None
    kind: str = "store"


@dataclass(slots=True)
class Feedback:
    """One piece of customer voice; (source, external_id) is the idempotency key."""

    source: str
    external_id: str
    text: str
    created_at: datetime
    author: str | None = None
    location: str | None = None
    touchpoint: str | None = None
    constituency: Constituency = Constituency.CUSTOMER
    rating: float | None = None
    rating_scale: RatingScale = RatingScale.NONE
    reach: int | None = None
    url: str | None = None
    raw: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """What one model read in one text; rows are kept per model version."""

    model: str
    sentiment: Sentiment
    p_negative: float
    p_neutral: float
    p_positive: float
    nps_category: NpsCategory
    p_detractor: float
    p_passive: float
    p_promoter: float
    language: str | None = None
    extra: dict[str, object] = field(default_factory=dict)
    scored: bool = True
    """False when the model cannot read the text (an unsupported language): the item is
    kept and shown, but left out of Social NPS."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A row that could not be ingested, with enough context to fix it at the source."""

    file: str
    line: int
    field: str
    reason: str
    raw: str = ""
