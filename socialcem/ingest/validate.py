"""One input record -> a Feedback, or the list of everything wrong with it.

Every problem in a row is reported at once (field and reason), so a user fixes a file in
one pass instead of one error per run.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from socialcem.ingest.mapping import ColumnMapping
from socialcem.ingest.readers import clip
from socialcem.models import Constituency, Feedback, Problem, RatingScale

MAX_TEXT_CHARS = 32_000
MAX_FIELD_CHARS = {"id": 200, "author": 200, "source": 40, "location": 200, "touchpoint": 60}
MAX_URL_CHARS = 2_000
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


class FieldError(ValueError):
    pass


def lookup(record: dict[str, Any], spec: str) -> Any:
    """Value at ``spec``: a column, a dotted path into nested objects, or a|b alternatives."""
    for path in spec.split("|"):
        value: Any = record.get(path)  # a column whose own name has a dot ("Q1.comment")
        if value is None and "." in path:
            value = record
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
        if value is not None and value != "":
            return value
    return None


def parse_datetime(value: Any, date_format: str | None = None) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_epoch(float(value))
    else:
        text = str(value).strip()
        try:
            if date_format:
                moment = datetime.strptime(text, date_format)
            elif text.replace(".", "", 1).isdigit() and len(text) != 8:  # 20260301 is a date
                moment = _from_epoch(float(text))
            else:
                moment = datetime.fromisoformat(text)
        except ValueError:
            hint = f"format {date_format!r}" if date_format else "ISO 8601, e.g. 2026-05-01T14:30Z"
            raise FieldError(f"unparseable date {clip(text, 60)!r} (expected {hint})") from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if moment < EARLIEST or moment > datetime.now(UTC) + FUTURE_SLACK:
        raise FieldError(f"date {moment.isoformat()} is out of range (1990 to now)")
    return moment


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise FieldError(f"epoch time {seconds} is out of range") from None


def parse_rating(value: Any, scale: RatingScale) -> float:
    try:
        rating = float(value)
    except (TypeError, ValueError):
        raise FieldError(f"rating {clip(str(value), 40)!r} is not a number") from None
    low, high = scale.bounds
    if math.isnan(rating) or not low <= rating <= high:
        raise FieldError(f"rating {value} out of range {low}-{high} for {scale.value}")
    return rating


def parse_reach(value: Any) -> int:
    try:
        reach = int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise FieldError(f"reach {clip(str(value), 40)!r} is not a number") from None
    if reach < 0:
        raise FieldError(f"reach {reach} is negative")
    return reach


def content_key(
    source: str, author: str | None, moment: datetime, location: str | None, text: str
) -> str:
    """Stand-in external id for items without one: the same content is the same item."""
    joined = "\x1f".join((source, author or "", moment.isoformat(), location or "", text))
    return "h:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def _text(record: dict[str, Any], mapping: ColumnMapping, name: str) -> str | None:
    spec = mapping.columns.get(name)
    value = lookup(record, spec) if spec else None
    if value is None:
        value = mapping.defaults.get(name)
    if value is None:
        return None
    # NUL carries no meaning in text and PostgreSQL cannot store it.
    text = str(value).replace("\x00", "").strip()
    limit = MAX_URL_CHARS if name == "url" else MAX_FIELD_CHARS.get(name, MAX_TEXT_CHARS)
    if len(text) > limit:
        raise FieldError(f"oversize: {len(text)} characters (limit {limit})")
    return text or None


def to_feedback(
    record: dict[str, Any],
    mapping: ColumnMapping,
    file: str,
    line: int,
    extra_columns: tuple[str, ...] = (),
) -> Feedback | list[Problem]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def field(name: str, parse: Any = None) -> None:
        try:
            raw = _text(record, mapping, name) if parse is None else parse()
            values[name] = raw
        except FieldError as exc:
            problems.append(Problem(file, line, name, str(exc), clip(repr(record))))

    for name in ("id", "text", "author", "source", "location", "touchpoint", "url"):
        field(name)
    if "text" not in [p.field for p in problems] and not values.get("text"):
        problems.append(Problem(file, line, "text", "missing text", clip(repr(record))))

    def moment() -> datetime:
        spec = mapping.columns.get("created_at")
        raw = lookup(record, spec) if spec else mapping.defaults.get("created_at")
        if raw is None:
            raise FieldError("missing created_at")
        return parse_datetime(raw, mapping.date_format)

    def scale_and_rating() -> tuple[RatingScale, float | None]:
        raw = lookup(record, mapping.columns["rating"]) if "rating" in mapping.columns else None
        if raw is None:
            return RatingScale.NONE, None
        scale_name = _text(record, mapping, "rating_scale") or ""
        try:
            scale = RatingScale(scale_name.lower())
        except ValueError:
            raise FieldError(f"unknown rating scale {scale_name!r}") from None
        return scale, parse_rating(raw, scale)

    def constituency() -> Constituency:
        raw = (_text(record, mapping, "constituency") or "customer").lower()
        try:
            return Constituency(raw)
        except ValueError:
            raise FieldError(
                f"unknown constituency {raw!r} (customer, employee, partner)"
            ) from None

    def reach() -> int | None:
        raw = lookup(record, mapping.columns["reach"]) if "reach" in mapping.columns else None
        return None if raw is None else parse_reach(raw)

    field("created_at", moment)
    field("rating", scale_and_rating)
    field("constituency", constituency)
    field("reach", reach)
    if problems:
        return problems

    source = (values["source"] or "unknown").lower()
    created_at: datetime = values["created_at"]
    scale, rating = values["rating"]
    extra = {c: str(record[c]) for c in extra_columns if record.get(c) not in (None, "")}
    return Feedback(
        source=source,
        external_id=values["id"]
        or content_key(source, values["author"], created_at, values["location"], values["text"]),
        text=values["text"],
        created_at=created_at,
        author=values["author"],
        location=values["location"],
        touchpoint=values["touchpoint"],
        constituency=values["constituency"],
        rating=rating,
        rating_scale=scale,
        reach=values["reach"],
        url=values["url"],
        raw=extra or None,
    )
