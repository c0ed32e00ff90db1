"""Which slice of the voice a question is about: location subtree, channel, period and so on.

A plain value the CLI and the API build from their input; the store turns it into filters.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Segment:
    """All items of a brand narrowed by every field that is set.

    ``location`` includes its descendants: a region is all of its locations. Customers are
    the default constituency, because NPS drivers of employees are a different question.
    """

    location: str | None = None
    channel: str | None = None
    touchpoint: str | None = None
    constituency: str | None = "customer"
    language: str | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")

    @property
    def first_day(self) -> int | None:
        return None if self.since is None else (self.since - EPOCH).days

    @property
    def last_day(self) -> int | None:
        return None if self.until is None else (self.until - EPOCH).days

    def describe(self) -> str:
        parts = [
            f"{f.name} {getattr(self, f.name)}"
            for f in fields(self)
            if getattr(self, f.name) is not None
        ]
        return ", ".join(parts) or "all items"

    def as_dict(self) -> dict[str, str | None]:
        return {
            f.name: None if getattr(self, f.name) is None else str(getattr(self, f.name))
            for f in fields(self)
        }


def day_of(moment: date) -> int:
    return (moment - EPOCH).days


def date_of(day: int) -> date:
    return EPOCH + timedelta(days=day)
