"""Response models of the read API: the OpenAPI document describes every response exactly
(nullable fields declared nullable), so clients and Schemathesis can hold the API to it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from socialcem.insights.scores import Cut, Metric

MetricName = Metric
PeriodName = Literal["day", "week", "month", "all"]
ByName = Cut


class ErrorOut(BaseModel):
    detail: str = Field(description="What was wrong, naming the parameter.")


class ScoreOut(BaseModel):
    """A score with its 95% interval; value, low and high are null when nothing was scored."""

    value: float | None
    low: float | None
    high: float | None
    n: int = Field(description="Responses behind the score.")


class AnalysisOut(BaseModel):
    model: str
    sentiment: str
    p_negative: float
    p_neutral: float
    p_positive: float
    nps_category: str
    p_detractor: float
    p_passive: float
    p_promoter: float
    language: str | None
    scored: bool = Field(description="False when the model cannot read the language.")
    predicted_ltr: float | None = Field(description="Predicted likelihood to recommend, 0-10.")
    aspects: dict[str, float] = Field(description="Topic -> sentiment from -1 to 1.")
    intents: list[str]


class FeedbackItemOut(BaseModel):
    id: int
    source: str
    external_id: str
    author: str | None
    text: str
    created_at: datetime
    location: str | None
    touchpoint: str | None
    constituency: str
    rating: float | None
    rating_scale: str
    rating_category: str | None
    reach: int | None
    url: str | None
    analysis: AnalysisOut | None = Field(description="The default model's reading, if any.")


class FeedbackPageOut(BaseModel):
    items: list[FeedbackItemOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class MetricRowOut(BaseModel):
    """One segment and period; a metric that was not asked for is null."""

    segment: str
    period: str
    items: int
    nps: ScoreOut | None
    social_nps: ScoreOut | None
    enps: ScoreOut | None
    csat: ScoreOut | None


class MetricsOut(BaseModel):
    brand: str
    model: str
    metrics: list[MetricName]
    period: PeriodName
    by: ByName
    location: str | None = Field(description="The subtree the rows cover; null: whole brand.")
    since: date | None
    until: date | None
    social_correction: str = Field(
        description="How Social NPS is corrected: brand calibration, model default or none."
    )
    rows: list[MetricRowOut]


class SegmentOut(BaseModel):
    location: str | None
    channel: str | None
    touchpoint: str | None
    constituency: str | None
    language: str | None
    since: str | None
    until: str | None


class DriverOut(BaseModel):
    topic: str
    mentions: int
    negative: int
    positive: int
    detractor_share: ScoreOut
    impact: ScoreOut
    strength: ScoreOut


class DriversOut(BaseModel):
    brand: str
    segment: SegmentOut
    model: str
    items: int
    nps: ScoreOut
    drivers: list[DriverOut]


class AlertOut(BaseModel):
    id: int
    kind: str
    severity: str
    title: str
    location: str | None
    topic: str | None
    first_day: date
    last_day: date
    status: str
    items: int = Field(description="Feedback items linked to the alert.")
    detail: dict[str, Any]


class AlertsOut(BaseModel):
    alerts: list[AlertOut]


class LocationOut(BaseModel):
    name: str
    kind: str
    parent: str | None = Field(description="Null at the top of what the caller sees.")


class LocationsOut(BaseModel):
    locations: list[LocationOut]


ERROR_DESCRIPTIONS = {
    400: "A parameter is malformed (the message names it).",
    401: "Missing, unknown, expired or revoked token.",
    403: "The token lacks the scope this endpoint needs.",
    404: "Not found, or not visible to this caller (the two read the same).",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses an endpoint may answer with."""
    return {code: {"model": ErrorOut, "description": ERROR_DESCRIPTIONS[code]} for code in codes}
