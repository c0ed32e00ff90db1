"""One input record -> a Feedback, or the list of everything wrong with it.

Every problem in a row is reported at once (field and reason), so a user fixes a file in
one pass instead of one error per run.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
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


MAX_REACH = 10**15
"""Above every audience on earth, below a 64-bit column's limit."""


def parse_reach(value: Any) -> int:
    try:
        reach = int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise FieldError(f"reach {clip(str(value), 40)!r} is not a number") from None
    if reach < 0:
        raise FieldError(f"reach {reach} is negative")
    if reach > MAX_REACH:
        raise FieldError(f"reach {reach} is above {MAX_REACH:.0e}: not an audience size")
    return reach


def content_key(
    source: str, author: str | None, moment: datetime, location: str | None, text: str
) -> str:
    """Stand-in external id for items without one: the same content is the same item."""
    joined = "\x1f".join((source, author or "", moment.isoformat(), location or "", text))
    return "h:" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


Getter = Callable[[dict[str, Any]], Any]


def _getter(spec: str) -> Getter:
    """A compiled ``lookup``: a plain column, the common case, is one dict access."""
    if "|" in spec or "." in spec:
        return lambda record: lookup(record, spec)

    def plain(record: dict[str, Any]) -> Any:
        value = record.get(spec)
        return None if value == "" else value

    return plain


@dataclass(frozen=True, slots=True)
class _Compiled:
    getters: dict[str, Getter]
    defaults: dict[str, str]
    date_format: str | None


_compiled: dict[int, tuple[ColumnMapping, _Compiled]] = {}


def _compile(mapping: ColumnMapping) -> _Compiled:
    """Once per mapping (so once per file), not once per row."""
    held = _compiled.get(id(mapping))
    if held is None or held[0] is not mapping:
        getters = {name: _getter(spec) for name, spec in mapping.columns.items()}
        held = (mapping, _Compiled(getters, dict(mapping.defaults), mapping.date_format))
        _compiled.clear()  # a worker handles one file at a time
        _compiled[id(mapping)] = held
    return held[1]


def _raw(c: _Compiled, record: dict[str, Any], name: str) -> Any:
    get = c.getters.get(name)
    value = get(record) if get is not None else None
    return c.defaults.get(name) if value is None else value


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` as UTF-8 can hold it: a lone surrogate (JSON's "\\ud800") becomes U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _storable(text: str) -> str:
    """Encodable, and without NUL: it carries no meaning in text and PostgreSQL cannot
    store it."""
    return encodable(text.replace("\x00", ""))


def _clean(value: Any, name: str) -> str | None:
    if value is None:
        return None
    text = _storable(str(value)).strip()
    limit = MAX_URL_CHARS if name == "url" else MAX_FIELD_CHARS.get(name, MAX_TEXT_CHARS)
    if len(text) > limit:
        raise FieldError(f"oversize: {len(text)} characters (limit {limit})")
    return text or None


TEXT_FIELDS = ("id", "text", "author", "source", "location", "touchpoint", "url")


def to_feedback(
    record: dict[str, Any],
    mapping: ColumnMapping,
    file: str,
    line: int,
    extra_columns: tuple[str, ...] = (),
) -> Feedback | list[Problem]:
    c = _compile(mapping)
    problems: list[Problem] = []

    def problem(name: str, reason: str) -> None:
        problems.append(Problem(file, line, name, reason, clip(repr(record))))

    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        try:
            values[name] = _clean(_raw(c, record, name), name)
        except FieldError as exc:
            problem(name, str(exc))
    if not values.get("text") and "text" in values:
        problem("text", "missing text")

    created_at = None
    raw_moment = _raw(c, record, "created_at")
    try:
        if raw_moment is None:
            raise FieldError("missing created_at")
        created_at = parse_datetime(raw_moment, c.date_format)
    except FieldError as exc:
        problem("created_at", str(exc))

    scale, rating = RatingScale.NONE, None
    get_rating = c.getters.get("rating")
    raw_rating = get_rating(record) if get_rating is not None else None
    if raw_rating is not None:
        try:
            scale_name = _clean(_raw(c, record, "rating_scale"), "rating_scale") or ""
            try:
                scale = RatingScale(scale_name.lower())
            except ValueError:
                raise FieldError(f"unknown rating scale {scale_name!r}") from None
            rating = parse_rating(raw_rating, scale)
        except FieldError as exc:
            problem("rating", str(exc))

    constituency = Constituency.CUSTOMER
    raw_constituency = _raw(c, record, "constituency")
    if raw_constituency is not None:
        name = str(raw_constituency).strip().lower() or "customer"
        try:
            constituency = Constituency(name)
        except ValueError:
            problem("constituency", f"unknown constituency {name!r} (customer, employee, partner)")

    reach = None
    get_reach = c.getters.get("reach")
    raw_reach = get_reach(record) if get_reach is not None else None
    if raw_reach is not None:
        try:
            reach = parse_reach(raw_reach)
        except FieldError as exc:
            problem("reach", str(exc))

    if problems or created_at is None:
        return problems

    source = (values["source"] or "unknown").lower()
    extra = {
        _storable(str(k)): _storable(str(record[k]))
        for k in extra_columns
        if record.get(k) not in (None, "")
    }
    return Feedback(
        source=source,
        external_id=values["id"]
        or content_key(source, values["author"], created_at, values["location"], values["text"]),
        text=values["text"],
        created_at=created_at,
        author=values["author"],
        location=values["location"],
        touchpoint=values["touchpoint"],
        constituency=constituency,
        rating=rating,
        rating_scale=scale,
        reach=reach,
        url=values["url"],
        raw=extra or None,
    )
