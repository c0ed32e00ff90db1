"""Reading feedback items as a caller may see them: a filtered, newest-first listing with
a keyset cursor, and one item by id.

Pages are keyed by id (``id < last``), never by offset: a page costs the same however deep
it is, and items arriving between two pages neither repeat nor push others out of view.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, func, select

from socialcem.accounts.principal import Principal
from socialcem.analysis.base import model_version
from socialcem.insights.segment import day_of
from socialcem.store.schema import analyses, feedback, locations
from socialcem.store.visibility import visible_conditions, visible_subtree

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_QUERY_CHARS = 200
MAX_ID = 2**63 - 1
NARROW_DAYS = 31
_CURSOR_KEY = b"socialcem-feedback-cursor"


class BadCursor(ValueError):
    """A cursor that was altered, or made for other filters."""


@dataclass(frozen=True, slots=True)
class FeedbackFilter:
    """Narrowing of a listing; every field that is set must hold. ``location`` includes
    the locations below it; ``q`` is a case-insensitive substring of the text."""

    source: str | None = None
    location: str | None = None
    since: date | None = None
    until: date | None = None
    constituency: str | None = None
    touchpoint: str | None = None
    author: str | None = None
    sentiment: str | None = None
    rating_category: str | None = None
    q: str | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since: {self.since} is after until ({self.until})")
        if self.q is not None and len(self.q) > MAX_QUERY_CHARS:
            raise ValueError(f"q: at most {MAX_QUERY_CHARS} characters")

    def as_dict(self) -> dict[str, str]:
        """The fields that are set, as text (for the audit log and cursors)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: str(v) for k, v in values.items() if v is not None}


@dataclass(frozen=True, slots=True)
class AnalysisView:
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
    scored: bool
    predicted_ltr: float | None = None
    aspects: dict[str, float] = field(default_factory=dict)
    intents: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FeedbackItem:
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
    analysis: AnalysisView | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Page:
    items: list[FeedbackItem]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Selection:
    """Filters resolved against the store once (location names to ids), reusable per page."""

    principal: Principal
    filters: FeedbackFilter
    conditions: tuple[ColumnElement[bool], ...]
    model: str


def select_feedback(conn: Connection, principal: Principal, filters: FeedbackFilter) -> Selection:
    """Raises LocationNotFound for a location the caller does not see."""
    f = feedback.c
    where = visible_conditions(principal, feedback, _indexed(conn, filters))
    if filters.location is not None:
        where.append(f.location_id.in_(visible_subtree(conn, principal, filters.location)))
    for name in ("source", "constituency", "touchpoint", "author", "rating_category"):
        value = getattr(filters, name)
        if value is not None:
            where.append(f[name] == value)
    if filters.sentiment is not None:
        where.append(analyses.c.sentiment == filters.sentiment)
    if filters.since is not None:
        where.append(f.day >= day_of(filters.since))
    if filters.until is not None:
        where.append(f.day <= day_of(filters.until))
    if filters.q:
        where.append(f.text.icontains(filters.q, autoescape=True))
    return Selection(principal, filters, tuple(where), model_version(None))


def _indexed(conn: Connection, filters: FeedbackFilter) -> bool:
    """Whether the store may read the brand's items through an index on (brand, day|author).

    A page is the newest items: walking the ids backwards stops after one page. SQLite, which
    keeps no statistics, would rather take the (brand, day) index and sort every item of the
    brand first (seconds at a million items), so there the index is only for an author or a
    short date window, where it finds the few rows directly. PostgreSQL plans from its
    statistics.
    """
    if conn.dialect.name != "sqlite" or filters.author is not None:
        return True
    if filters.since is None or filters.until is None:
        return False
    return (filters.until - filters.since).days <= NARROW_DAYS


def _statement(selection: Selection) -> Any:
    f, a = feedback.c, analyses.c
    columns = (
        f.id, f.source, f.external_id, f.author, f.text, f.created_at,
        locations.c.name, f.touchpoint, f.constituency, f.rating, f.rating_scale,
        f.rating_category, f.reach, f.url,
        a.model, a.sentiment, a.p_negative, a.p_neutral, a.p_positive, a.nps_category,
        a.p_detractor, a.p_passive, a.p_promoter, a.language, a.scored, a.extra,
    )  # fmt: skip
    return (
        select(*columns)
        .select_from(feedback)
        .outerjoin(locations, locations.c.id == f.location_id)
        .outerjoin(analyses, and_(a.feedback_id == f.id, a.model == selection.model))
        .where(*selection.conditions)
    )


def fetch_page(
    conn: Connection, selection: Selection, before: int | None, limit: int
) -> list[FeedbackItem]:
    """Up to ``limit`` items with ids below ``before`` (all when None), newest first."""
    stmt = _statement(selection).order_by(feedback.c.id.desc()).limit(limit)
    if before is not None:
        stmt = stmt.where(feedback.c.id < before)
    return [_item(row) for row in conn.execute(stmt)]


def list_feedback(
    conn: Connection,
    principal: Principal,
    filters: FeedbackFilter,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Page:
    """One page; raises BadCursor, LocationNotFound, or ValueError for a bad limit."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit: must be 1 to {MAX_LIMIT}, got {limit}")
    before = None if cursor is None else decode_cursor(cursor, principal, filters)
    selection = select_feedback(conn, principal, filters)
    items = fetch_page(conn, selection, before, limit + 1)
    more = len(items) > limit
    items = items[:limit]
    token = encode_cursor(items[-1].id, principal, filters) if more else None
    return Page(items, token)


def iter_feedback(
    engine: Engine, selection: Selection, page_size: int = 1_000
) -> Iterator[list[FeedbackItem]]:
    """Every selected item in pages, one short read each: a slow consumer (a download)
    holds no connection or transaction between pages, and memory stays one page."""
    before: int | None = None
    while True:
        with engine.connect() as conn:
            items = fetch_page(conn, selection, before, page_size)
        if items:
            yield items
        if len(items) < page_size:
            return
        before = items[-1].id


def count_feedback(conn: Connection, selection: Selection) -> int:
    inner = _statement(selection).subquery()
    return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())


def get_feedback(conn: Connection, principal: Principal, feedback_id: int) -> FeedbackItem | None:
    """The item, or None when it does not exist or the caller may not see it (the same)."""
    if not 1 <= feedback_id <= MAX_ID:
        return None
    selection = select_feedback(conn, principal, FeedbackFilter())
    row = conn.execute(_statement(selection).where(feedback.c.id == feedback_id)).first()
    return None if row is None else _item(row)


def _item(row: Any) -> FeedbackItem:
    (id_, source, external_id, author, text, created_at, location, touchpoint, constituency,
     rating, rating_scale, rating_category, reach, url, model, *scores) = row  # fmt: skip
    if created_at.tzinfo is None:  # SQLite keeps naive UTC
        created_at = created_at.replace(tzinfo=UTC)
    return FeedbackItem(
        int(id_), source, external_id, author, text, created_at, location, touchpoint,
        constituency, rating, rating_scale, rating_category,
        None if reach is None else int(reach), url,
        None if model is None else _analysis(model, scores),
    )  # fmt: skip


def _analysis(model: str, scores: list[Any]) -> AnalysisView:
    *probabilities, language, scored, extra = scores
    sentiment, p_neg, p_neu, p_pos, category, p_det, p_pas, p_pro = probabilities
    extra = extra if isinstance(extra, dict) else {}
    aspects = extra.get("aspects")
    intents = extra.get("intents")
    ltr = extra.get("ltr")
    return AnalysisView(
        model, sentiment, p_neg, p_neu, p_pos, category, p_det, p_pas, p_pro, language,
        bool(scored),
        float(ltr) if isinstance(ltr, int | float) else None,
        {str(k): float(v) for k, v in aspects.items()} if isinstance(aspects, dict) else {},
        [str(i) for i in intents] if isinstance(intents, list) else [],
    )  # fmt: skip


def _signature(last_id: int, principal: Principal, filters: FeedbackFilter) -> str:
    scope = json.dumps([last_id, principal.brand_id, filters.as_dict()], sort_keys=True)
    digest = hashlib.blake2b(scope.encode(), key=_CURSOR_KEY, digest_size=8)
    return digest.hexdigest()


def encode_cursor(last_id: int, principal: Principal, filters: FeedbackFilter) -> str:
    """An opaque, URL-safe token for the page after ``last_id``, bound to these filters."""
    raw = f"{last_id}.{_signature(last_id, principal, filters)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, principal: Principal, filters: FeedbackFilter) -> int:
    """The last id a cursor stands for; BadCursor when altered or made for other filters."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        text_id, _, signature = raw.partition(".")
        last_id = int(text_id)
    except (ValueError, binascii.Error, UnicodeError):
        raise BadCursor("cursor: not a cursor this API issued") from None
    expected = _signature(last_id, principal, filters)
    if not 1 <= last_id <= MAX_ID or not hmac.compare_digest(signature, expected):
        raise BadCursor("cursor: altered, or issued for other filters") from None
    return last_id
